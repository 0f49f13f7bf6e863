"""Property-based tests: the parser never crashes and every line number it reports exists."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transaudit.model import BlockKind
from transaudit.parsing import parse_document
from transaudit.parsing.parallel import ParallelFormatError

WORDS = ["हम", "मॉडल", "प्रस्तुत", "करते", "हैं।", "model", "We", "propose", "a", "LLM", "7B", "70%",
         "पढ़ें", "क़", "\u200d", "ह\u093c", "한국어", "é", "—", "`", "*", "#", "[x](y)", "<!--", "-->", "|"]
STRUCTURE = ["अवलोकन", "मूल लेख", "पेपर परिचय", "पेपर सारांश", "पेपर लिंक", "और पढ़ें", "पेपर परिचय:",
             "## अवलोकन", "## मूल लेख", "## Title / शीर्षक", "### पेपर परिचय", "### और पढ़ें", "#", "##",
             "---", "***", "```", "~~~", "<!-- transaudit: ignore x -->", "<!-- open", "-->", ">", "> ",
             "https://arxiv.org/abs/2301.00001", "[https://a.b](https://a.b)", "- ", "1. ", ""]
MARKERS = ["", "  • ", "    > ", "> ", "    ", "- ", "\t", "•", ">>", "  • > ", " "]
SEPARATORS = ["\n", "\r\n", "\r", "\n\n", "\x0b", "\u2028", "\x1c", "\x85"]


@st.composite
def digest_text(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 30))):
        if draw(st.booleans()):
            line = draw(st.sampled_from(STRUCTURE))
        else:
            body = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=12)))
            line = draw(st.sampled_from(MARKERS)) + body
        if draw(st.integers(0, 9)) == 0:
            line += draw(st.text(max_size=8))
        lines.append(line + draw(st.sampled_from(SEPARATORS)))
    return "".join(lines)


def assert_line_numbers_exist(doc) -> None:
    n_lines = len(doc.lines)
    covered: set[int] = set()
    for block in doc.blocks:
        assert 1 <= block.line <= block.end_line <= n_lines, block
        span = set(range(block.line, block.end_line + 1))
        assert not span & covered, f"block {block} overlaps another"
        covered |= span
    for n, line in enumerate(doc.lines, 1):
        if line.strip():
            assert n in covered, f"line {n} {line!r} is in no block"
    starts = {b.line: b.kind for b in doc.blocks}
    for seg in doc.segments:
        assert seg.translation is not None or seg.source is not None
        if seg.translation is not None:
            assert 1 <= seg.translation_line <= seg.translation_end_line <= n_lines
            assert starts[seg.translation_line] is BlockKind.PARAGRAPH
        if seg.source is not None:
            assert 1 <= seg.source_line <= seg.source_end_line <= n_lines
            assert starts[seg.source_line] is (BlockKind.QUOTE if seg.source_quoted else BlockKind.PARAGRAPH)
    for paper in doc.papers:
        assert 1 <= paper.line <= paper.end_line <= n_lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=digest_text(), name=st.sampled_from(["d.txt", "d.md", "digest", "d.markdown"]))
def test_parser_never_crashes_on_digest_like_text(text, name):
    doc = parse_document(name, text)
    assert doc.layout in ("text", "markdown")
    assert_line_numbers_exist(doc)


@settings(max_examples=200, deadline=None)
@given(text=st.text(), name=st.sampled_from(["d.txt", "d.md", "digest"]))
def test_parser_never_crashes_on_arbitrary_text(text, name):
    assert_line_numbers_exist(parse_document(name, text))


@settings(max_examples=100, deadline=None)
@given(text=st.lists(st.sampled_from(list(',"\t\n\r ab{}:[]') + ["source", "translation", "हम", "null"]))
       .map("".join),
       name=st.sampled_from(["p.csv", "p.tsv", "p.jsonl"]))
def test_parallel_files_parse_or_give_a_one_line_reason(text, name):
    try:
        doc = parse_document(name, "source,translation\n" + text if name == "p.csv" else text)
    except ParallelFormatError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for seg in doc.segments:
        for line in (seg.translation_line, seg.source_line):
            assert line is None or 1 <= line <= len(doc.lines)
