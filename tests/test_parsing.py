"""The parser: both digest layouts, pairing, line numbers, parallel files, file discovery."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from transaudit.model import BlockKind, Document
from transaudit.parsing import detect_layout, load_paths, parse_document, split_lines

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"

TEXT_DIGEST = """\
अवलोकन

DAIR.AI द्वारा हर हफ्ते प्रकाशित ML पेपरों पर आधारित सारांश।
इस बार speech synthesis और retrieval पर ज़ोर है।

VALL-E: भाषा मॉडल / VALL-E: Neural Codec Language Models

पेपर परिचय

  • VALL-E एक text-to-audio मॉडल प्रस्तुत करता है।
    > Introduces VALL-E, a text-to-audio model.

पेपर सारांश

  • हम TTS के लिए एक language modeling approach प्रस्तुत करते हैं,
    जो discrete codes पर आधारित है।
    > We introduce a language modeling approach for TTS
    based on discrete codes.

पेपर लिंक

https://valle-demo.github.io/

और पढ़ें

https://twitter.com/dair_ai/status/1612153097962328067

A Succinct Summary of Reinforcement Learning

पेपर परिचय

  • RL के कुछ महत्वपूर्ण विचारों का एक अच्छा अवलोकन।
    A nice overview of some important ideas in RL.

पेपर सारांश

    > This document is a concise summary of many key results.
  • यह दस्तावेज़ कई प्रमुख परिणामों का सारांश है।

मूल लेख

https://github.com/dair-ai/ML-Papers-of-the-Week


  • यह लेख GPT मॉडल द्वारा स्वचालित रूप से संक्षेपित विवरण है।
  • पढ़ते समय यदि आपको कोई गलत बात दिखे, तो कृपया टिप्पणी में बताएं!

अभी कोई टिप्पणी नहीं है।
"""

MD_DIGEST = """\
## अवलोकन

DAIR.AI द्वारा हर हफ्ते प्रकाशित ML पेपरों पर आधारित सारांश।

## REPLUG: Retrieval-Augmented Black-Box Language Models

### पेपर परिचय

एक retrieval-augmented LM framework, जो retriever को GPT-3 के अनुकूल बनाता है।

> A retrieval-augmented LM framework that adapts a retriever to GPT-3.

### पेपर सारांश

<!-- transaudit: ignore untranslated_fragment -->
हम REPLUG प्रस्तुत करते हैं,
एक retrieval-augmented language modeling framework।

> We introduce REPLUG,
>
> a retrieval-augmented language modeling framework.

### पेपर लिंक

[https://arxiv.org/abs/2301.12652](https://arxiv.org/abs/2301.12652)

## Diffusion Models से Training Data निकालना / Extracting Training Data from Diffusion Models

### पेपर परिचय

यह दिखाता है कि diffusion models training images याद रख सकते हैं।

Shows that diffusion models can memorize images from the training data.

---

## मूल लेख

[https://github.com/dair-ai/ML-Papers-of-the-Week](https://github.com/dair-ai/ML-Papers-of-the-Week)

- यह लेख GPT मॉडल द्वारा स्वचालित रूप से संक्षेपित विवरण है।
- पढ़ते समय यदि आपको कोई गलत बात दिखे, तो कृपया टिप्पणी में बताएं!

अभी कोई टिप्पणी नहीं है।
"""


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle`` (an oracle independent of the parser)."""
    for n, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in text")


def assert_every_line_in_one_block(doc: Document) -> None:
    owner: dict[int, int] = {}
    for i, block in enumerate(doc.blocks):
        assert 1 <= block.line <= block.end_line <= len(doc.lines), block
        for n in range(block.line, block.end_line + 1):
            assert n not in owner, f"line {n} in two blocks"
            owner[n] = i
    lost = [n for n, line in enumerate(doc.lines, 1) if line.strip() and n not in owner]
    assert not lost, f"lines in no block: {lost}"


def pairs(doc: Document) -> list[tuple]:
    return [(s.translation_line, s.source_line, s.source_quoted) for s in doc.segments]


# -- plain-text layout ---------------------------------------------------------------------


def test_text_layout_pairs_and_orphans():
    doc = parse_document("d.txt", TEXT_DIGEST)
    assert doc.layout == "text"
    t = TEXT_DIGEST
    assert pairs(doc) == [
        (line_of(t, "VALL-E एक"), line_of(t, "Introduces VALL-E"), True),
        (line_of(t, "हम TTS"), line_of(t, "We introduce a language"), True),
        (line_of(t, "RL के कुछ"), line_of(t, "A nice overview"), False),  # unquoted original
        (None, line_of(t, "This document is"), True),  # quote without paragraph
        (line_of(t, "यह दस्तावेज़"), None, True),  # paragraph without quote
    ]
    assert_every_line_in_one_block(doc)


def test_text_layout_multi_line_bullet_and_quote_keep_their_ranges_and_text():
    doc = parse_document("d.txt", TEXT_DIGEST)
    seg = doc.segments[1]
    assert (seg.translation_line, seg.translation_end_line) == (line_of(TEXT_DIGEST, "हम TTS"),
                                                                 line_of(TEXT_DIGEST, "जो discrete"))
    assert (seg.source_line, seg.source_end_line) == (line_of(TEXT_DIGEST, "We introduce a language"),
                                                      line_of(TEXT_DIGEST, "based on discrete"))
    assert seg.translation == "हम TTS के लिए एक language modeling approach प्रस्तुत करते हैं,\nजो discrete codes पर आधारित है।"
    assert seg.source == "We introduce a language modeling approach for TTS\nbased on discrete codes."


def test_text_layout_papers_sections_and_boilerplate():
    doc = parse_document("d.txt", TEXT_DIGEST)
    assert [(p.title, p.line) for p in doc.papers] == [
        ("VALL-E: भाषा मॉडल / VALL-E: Neural Codec Language Models", 6),
        ("A Succinct Summary of Reinforcement Learning", line_of(TEXT_DIGEST, "A Succinct")),
    ]
    assert doc.papers[0].sections == ["पेपर परिचय", "पेपर सारांश", "पेपर लिंक", "और पढ़ें"]
    assert doc.papers[1].sections == ["पेपर परिचय", "पेपर सारांश"]
    assert doc.papers[0].end_line == line_of(TEXT_DIGEST, "twitter.com")
    kinds = {b.line: b.kind for b in doc.blocks}
    assert kinds[1] is BlockKind.HEADING and kinds[3] is BlockKind.TEXT  # overview prose
    assert kinds[line_of(TEXT_DIGEST, "valle-demo")] is BlockKind.LINK
    assert kinds[line_of(TEXT_DIGEST, "मूल लेख")] is BlockKind.HEADING
    for needle in ("यह लेख GPT", "पढ़ते समय", "अभी कोई टिप्पणी"):  # footer: never a paragraph
        assert kinds[line_of(TEXT_DIGEST, needle)] is BlockKind.TEXT
    seg = doc.segments[0]
    assert (seg.paper, seg.section) == (doc.papers[0].title, "पेपर परिचय")
    overview = next(b for b in doc.blocks if b.line == 3)
    assert (overview.end_line, overview.paper) == (4, None)


def test_text_layout_bullet_continuation_that_switches_to_english_is_a_new_block():
    text = "पेपर सारांश\n\n  • हम StitchNet प्रस्तावित करते हैं, एक नया तरीका।\n    We propose StitchNet, a novel paradigm for networks.\n"
    doc = parse_document("d.txt", text)
    assert pairs(doc) == [(3, 4, False)]
    assert [b.kind for b in doc.blocks] == [BlockKind.SECTION, BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]


def test_section_order_restart_without_title_starts_an_untitled_paper():
    text = "T / T\n\nपेपर परिचय\n\n  • पहला।\n    > First.\n\nपेपर परिचय\n\n  • दूसरा।\n    > Second.\n"
    doc = parse_document("d.txt", text)
    assert [(p.title, p.line) for p in doc.papers] == [("T / T", 1), ("", 8)]
    assert doc.segments[1].paper is None and doc.segments[1].section == "पेपर परिचय"


def test_preamble_text_is_prose_unless_a_quote_follows():
    doc = parse_document("d.txt", "Weekly digest\n\nहिंदी अनुच्छेद यहाँ।\n    > English paragraph here.\n")
    assert [b.kind for b in doc.blocks] == [BlockKind.TEXT, BlockKind.PARAGRAPH, BlockKind.QUOTE]
    assert pairs(doc) == [(3, 4, True)]


# -- Markdown layout -----------------------------------------------------------------------


def test_markdown_layout_pairs_and_orphans():
    doc = parse_document("d.md", MD_DIGEST)
    assert doc.layout == "markdown"
    t = MD_DIGEST
    assert pairs(doc) == [
        (line_of(t, "एक retrieval-augmented LM"), line_of(t, "> A retrieval-augmented LM"), True),
        (line_of(t, "हम REPLUG"), line_of(t, "We introduce REPLUG"), True),
        (line_of(t, "यह दिखाता है"), line_of(t, "Shows that diffusion"), False),
    ]
    assert_every_line_in_one_block(doc)


def test_markdown_blocks_comment_rule_quote_and_titles():
    doc = parse_document("d.md", MD_DIGEST)
    by_line = {b.line: b for b in doc.blocks}
    comment = by_line[line_of(MD_DIGEST, "<!--")]
    assert comment.kind is BlockKind.COMMENT and "ignore untranslated_fragment" in comment.text
    quote = by_line[line_of(MD_DIGEST, "We introduce REPLUG")]
    assert quote.kind is BlockKind.QUOTE
    assert quote.end_line == line_of(MD_DIGEST, "> a retrieval-augmented language")  # bare '>' inside
    assert quote.text == "We introduce REPLUG,\n\na retrieval-augmented language modeling framework."
    assert by_line[line_of(MD_DIGEST, "---")].kind is BlockKind.RULE
    assert by_line[1].kind is BlockKind.HEADING and by_line[3].kind is BlockKind.TEXT
    assert [p.title for p in doc.papers] == [
        "REPLUG: Retrieval-Augmented Black-Box Language Models",
        "Diffusion Models से Training Data निकालना / Extracting Training Data from Diffusion Models",
    ]
    assert doc.papers[0].sections == ["पेपर परिचय", "पेपर सारांश", "पेपर लिंक"]
    for needle in ("- यह लेख", "- पढ़ते समय", "अभी कोई"):
        assert by_line[line_of(MD_DIGEST, needle)].kind is BlockKind.TEXT
    assert by_line[line_of(MD_DIGEST, "[https://arxiv")].kind is BlockKind.LINK


def test_markdown_unclosed_comment_and_fence_swallow_to_the_end_without_pairs():
    doc = parse_document("d.md", "### पेपर परिचय\n\n```\n> not a quote\n\nहिंदी\n")
    assert [b.kind for b in doc.blocks] == [BlockKind.SECTION, BlockKind.TEXT]
    assert doc.segments == []
    doc = parse_document("d.md", "हिंदी अनुच्छेद।\n<!-- note\n\n> hidden\n")
    assert [b.kind for b in doc.blocks] == [BlockKind.PARAGRAPH, BlockKind.COMMENT]
    assert doc.blocks[1].end_line == 4


# -- layout detection, line numbers, encodings ------------------------------------------------


@pytest.mark.parametrize("name,text,layout", [
    ("a.md", "plain", "markdown"),
    ("a.markdown", "plain", "markdown"),
    ("a.txt", "## looks like markdown\n> quote", "text"),
    ("digest", "## Title\n\nहिंदी\n", "markdown"),
    ("digest.rst", "हिंदी\n> English\n", "markdown"),
    ("digest", "पेपर परिचय\n  • हिंदी\n    > English\n", "text"),
    ("a.csv", "source,translation\n", "parallel"),
])
def test_layout_by_extension_then_sniffing(name, text, layout):
    assert detect_layout(name, split_lines(text)) == layout


def test_crlf_gives_the_same_document_as_lf():
    lf = parse_document("d.txt", TEXT_DIGEST)
    crlf = parse_document("d.txt", TEXT_DIGEST.replace("\n", "\r\n"))
    assert crlf.blocks == lf.blocks and crlf.segments == lf.segments
    md = parse_document("d.md", MD_DIGEST.replace("\n", "\r\n"))
    assert md.segments == parse_document("d.md", MD_DIGEST).segments


def test_line_numbers_agree_with_sed(tmp_path):
    # Lone CR, VT, FS and U+2028 are not line breaks for sed (nor for editors' line counts).
    text = ("पेपर परिचय\r\n\r\n  • पहला\x0b अनुच्छेद।\x1c\r\n    > First\u2028 one.\r\n"
            "old mac\rline\n  • दूसरा अनुच्छेद।\n    > Second\x85 one.\n")
    path = tmp_path / "d.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = load_paths([str(path)])[0][0]
    for block in doc.blocks:
        sed = subprocess.run(["sed", "-n", f"{block.line}p", str(path)], capture_output=True, check=True)
        assert block.text.split("\n")[0][:4] in sed.stdout.decode("utf-8"), block
    assert pairs(doc) == [(3, 4, True), (5, None, True), (6, 7, True)]
    assert doc.blocks[3].text == "old mac\rline"
    assert len(doc.lines) == 7


def test_utf8_bom_is_stripped_so_the_first_heading_is_recognised(tmp_path):
    path = tmp_path / "d.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT_DIGEST.encode("utf-8"))
    doc = load_paths([str(path)])[0][0]
    assert doc.blocks[0].kind is BlockKind.HEADING and doc.lines[0] == "अवलोकन"
    assert doc.segments == parse_document("d.txt", TEXT_DIGEST).segments


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_read(tmp_path, encoding):
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    path = tmp_path / "d.md"
    path.write_bytes(bom + MD_DIGEST.replace("\n", "\r\n").encode(encoding))
    docs, errors = load_paths([str(path)])
    assert errors == []
    assert docs[0].segments == parse_document("d.md", MD_DIGEST).segments


# -- parallel files ------------------------------------------------------------------------------


def test_csv_rows_keep_their_physical_lines(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        'id,source,translation\n'
        '1,We show it.,हम इसे दिखाते हैं।\n'
        '\n'
        '2,"A source\nover two lines.","एक स्रोत\nदो पंक्तियों में।"\n'  # lines 4-6
        '3,Only the source.,\n'
        '4,,केवल अनुवाद।\n',
        encoding="utf-8",
    )
    docs, errors = load_paths([str(path)])
    assert errors == []
    doc = docs[0]
    assert doc.layout == "parallel"
    assert [(s.translation_line, s.source_line) for s in doc.segments] == [(2, 2), (4, 4), (None, 7), (8, None)]
    assert doc.segments[1].source == "A source\nover two lines." and doc.segments[1].source_end_line == 6
    assert doc.segments[2].translation is None and doc.segments[3].source is None


def test_tsv_and_jsonl(tmp_path):
    tsv = tmp_path / "p.tsv"
    tsv.write_text("translation\tsource\nहम दिखाते हैं।\tWe show.\n", encoding="utf-8")
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text('{"source": "We show.", "translation": "हम दिखाते हैं।"}\n\n'
                     '{"source": "Second.", "translation": null, "note": 3}\n', encoding="utf-8")
    docs, errors = load_paths([str(tsv), str(jsonl)])
    assert errors == []
    assert [(s.source, s.translation, s.source_line) for s in docs[0].segments] == [("We show.", "हम दिखाते हैं।", 2)]
    assert [(s.source, s.translation, s.source_line) for s in docs[1].segments] == [
        ("We show.", "हम दिखाते हैं।", 1), ("Second.", None, 3)]


@pytest.mark.parametrize("name,content,cause", [
    ("p.csv", "src,translation\na,b\n", "missing column(s) source (found: src, translation)"),
    ("p.jsonl", '{"text": "a"}\n', "missing column(s) source, translation (found: text)"),
    ("p.jsonl", '{"source": "a", "translation": "b"}\n{oops\n', "invalid JSON on line 2"),
    ("p.csv", 'source,translation\n"a,b\n', "cannot read as CSV"),
])
def test_bad_parallel_files_are_input_errors(tmp_path, name, content, cause):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    docs, errors = load_paths([str(path)])
    assert docs == [] and len(errors) == 1
    assert errors[0].file == str(path) and cause in errors[0].message and "\n" not in errors[0].message


# -- discovering files ------------------------------------------------------------------------------


def _tree(root: Path) -> None:
    for rel in ("b.txt", "a.md", "sub/c.md", "sub/draft/d.txt", "notes.rst", "data.csv",
                ".hidden/e.md", "sub/.f.md"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("source,translation\nA,अ\n" if rel.endswith(".csv") else "पेपर परिचय\n\n  • अ\n    > A\n",
                        encoding="utf-8")


def test_directories_are_walked_recursively_in_sorted_order(tmp_path):
    _tree(tmp_path / "digests")
    given = str(tmp_path / "digests")
    docs, errors = load_paths([given])
    assert errors == []
    rels = [Path(d.path).relative_to(given).as_posix() for d in docs]
    assert rels == ["a.md", "b.txt", "data.csv", "sub/c.md", "sub/draft/d.txt"]
    assert docs[0].path == str(Path(given) / "a.md")


def test_path_is_the_given_path_joined_with_the_path_inside(tmp_path, monkeypatch):
    _tree(tmp_path / "digests")
    monkeypatch.chdir(tmp_path)
    docs, _ = load_paths(["digests/"])
    assert [d.path for d in docs][:2] == ["digests/a.md", "digests/b.txt"]
    docs, _ = load_paths(["./digests/sub"])
    assert [d.path for d in docs] == ["./digests/sub/c.md", "./digests/sub/draft/d.txt"]


def test_include_and_exclude_globs_match_relative_path_or_name(tmp_path):
    _tree(tmp_path)
    root = str(tmp_path)
    names = lambda docs: [Path(d.path).relative_to(root).as_posix() for d in docs]  # noqa: E731
    assert names(load_paths([root], include=["*.md"])[0]) == ["a.md", "sub/c.md"]
    assert names(load_paths([root], exclude=["sub/draft/*"])[0]) == ["a.md", "b.txt", "data.csv", "sub/c.md"]
    assert names(load_paths([root], exclude=["draft"])[0]) == ["a.md", "b.txt", "data.csv", "sub/c.md"]
    assert names(load_paths([root], include=["*.rst", "*.txt"], exclude=["d.txt"])[0]) == ["b.txt", "notes.rst"]


def test_files_named_explicitly_are_always_read(tmp_path):
    _tree(tmp_path)
    docs, errors = load_paths([str(tmp_path / "notes.rst")], include=["*.md"], exclude=["*.rst"])
    assert errors == [] and [d.layout for d in docs] == ["text"]


# -- spot check on the shared samples (not a tuning set) ---------------------------------------------


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"shared samples not present at {SAMPLES}")
def test_shared_samples_parse_with_known_pairs():
    docs, errors = load_paths([str(SAMPLES / "901_c692f97057e58ba4.txt"), str(SAMPLES / "902_a2ece605023676bd.md")])
    assert errors == []
    txt, md = docs
    for doc in docs:
        assert_every_line_in_one_block(doc)
    assert {(10, 11, True), (15, 16, True), (30, 31, True), (32, None, True), (96, 97, True)} <= set(pairs(txt))
    assert [p.line for p in txt.papers] == [6, 26, 47, 67, 87]
    assert {(11, 13, True), (17, 19, True), (105, 107, True)} <= set(pairs(md))
    assert [p.line for p in md.papers] == [7, 29, 51, 73, 95]
    assert len(md.segments) == 10 and all(s.is_pair for s in md.segments)


FIXTURE_DIGESTS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "digests").rglob("*.*"))


@pytest.mark.parametrize("path", [p for p in FIXTURE_DIGESTS if p.suffix in (".txt", ".md")],
                         ids=lambda p: p.name)
def test_fixture_digests_lose_no_line(path):
    docs, errors = load_paths([str(path)])
    assert errors == []
    assert_every_line_in_one_block(docs[0])
    assert docs[0].papers and docs[0].segments
