"""The HTML report without a browser: what the page holds, escaping, waivers, the CLI around it.

The browser-side behaviour (filters, clipboard, triage, export) is in test_html_browser.py.
"""

from __future__ import annotations

import functools
import html
import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from transaudit.cli import app
from transaudit.html_report import json_for_script, render_report
from transaudit.html_report.issue_text import check_report_url
from transaudit.html_report.overview import score_histogram
from transaudit.html_report.spans import locate, split_marked
from transaudit.html_report.view import why_it_matters
from transaudit.waivers import (WaiversError, apply_waivers, load_waivers, parse_waivers, unused_waivers,
                                waivers_document, Waiver)

runner = CliRunner()

PAYLOAD_HI = 'मॉडल <script>window.__pwned=1</script> और <img src=x onerror="window.__pwned=2"> अंत'
PAYLOAD_EN = 'The model "><svg onload="window.__pwned=3"> and </script><b>bold</b> end'


def _finding(fid, line, category="untranslated_fragment", severity="error", check="TA204", excerpt="",
             file="d.txt", paper="Paper One", section="पेपर परिचय", suggestion=None, message="msg"):
    return {"id": fid, "file": file, "line": line, "end_line": line, "check": check, "category": category,
            "severity": severity, "message": message, "excerpt": excerpt, "suggestion": suggestion,
            "paper": paper, "section": section}


def _pair(index, line, hindi, english, score=None, file="d.txt", paper="Paper One"):
    return {"file": file, "index": index, "line": line, "end_line": line, "source_line": line + 1,
            "source_end_line": line + 1, "paper": paper, "section": "पेपर परिचय", "source": english,
            "translation": hindi,
            "comet": None if score is None else {"model": "tiny-qe", "score": score, "chunks": [], "cached": False}}


def _result(findings, pairs, comet_model=None):
    summary = {"findings": len(findings)}
    if comet_model:
        summary["comet"] = {"model": comet_model}
    return {"schema_version": 1,
            "tool": {"name": "transaudit", "version": "0.1.0", "checks": ["TA204"],
                     "signature": "transaudit:0.1.0|checks:1"},
            "findings": findings, "pairs": pairs, "errors": [], "summary": summary}


class _Elements(HTMLParser):
    """Every start tag with its attributes, as the browser's tokenizer sees them, and the text of
    each ``<p class="text">`` (a side of a pair)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.side_texts: list[str] = []
        self._in_side = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "p" and attrs.get("class") == "text":
            self._in_side = True
            self.side_texts.append("")

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_side = False

    def handle_data(self, data):
        if self._in_side:
            self.side_texts[-1] += data

    def having(self, attr):
        return [a for _, a in self.tags if attr in a]

    def named(self, tag):
        return [a for t, a in self.tags if t == tag]


def _sample():
    findings = [
        _finding("f-frag", 10, excerpt="that the model"),
        _finding("f-punct", 10, category="punctuation", severity="warning", check="TA501", excerpt="."),
        _finding("f-src", 11, category="hindi_in_source", check="TA201", excerpt="मॉडल नतीजों"),
        _finding("f-dup", 3, category="duplicate_paragraph", severity="warning", check="TA104",
                 excerpt="इस सप्ताह", paper=None, section=None, suggestion="Delete the repeated line."),
    ]
    pairs = [  # pair 0: Hindi on line 10, English original on line 11
        _pair(0, 10, "हम दिखाते हैं that the model tools सीखता है.",
              "We show that the model learns tools; मॉडल नतीजों जोड़ता है.", 0.41),
        _pair(1, 15, "साफ़ अनुवाद।", "A clean translation.", 0.88),
    ]
    lines = [""] * 20
    lines[2] = "इस सप्ताह के पेपर।"
    return _result(findings, pairs, comet_model="tiny-qe"), {"d.txt": lines}


# -- page content ---------------------------------------------------------------------------

def test_every_finding_is_an_element_with_its_data_attributes():
    data, lines = _sample()
    page = _Elements(render_report(data, line_texts=lines, docs={}))
    els = page.having("data-finding-id")
    assert sorted(e["data-finding-id"] for e in els) == sorted(f["id"] for f in data["findings"])
    by_id = {e["data-finding-id"]: e for e in els}
    for f in data["findings"]:
        assert by_id[f["id"]]["data-category"] == f["category"]
        assert by_id[f["id"]]["data-severity"] == f["severity"]


def test_offending_spans_are_marked_on_the_right_side():
    data, lines = _sample()
    text = render_report(data, line_texts=lines, docs={})
    assert '<mark data-for="f-frag">that the model</mark>' in text  # Hindi side
    assert '<mark data-for="f-src">मॉडल नतीजों</mark>' in text  # English original side
    assert '<mark data-for="f-dup">इस सप्ताह</mark> के पेपर।' in text  # a line outside every pair


def test_finding_outside_pairs_shows_its_line_from_the_document():
    data, lines = _sample()
    text = render_report(data, line_texts=lines, docs={})
    assert "Line outside any pair" in text and "के पेपर।" in text
    # without the document's lines the finding is still there, with a note instead of the text
    page = render_report(data, line_texts={}, docs={})
    assert 'data-finding-id="f-dup"' in page and "line text unavailable" in page


def test_pairs_without_findings_are_collapsed_and_pairs_with_findings_are_not():
    data, lines = _sample()
    page = _Elements(render_report(data, line_texts=lines, docs={}))
    details = page.named("details")
    assert len(details) == 1 and "open" not in details[0]
    articles = [a for a in page.named("article")]
    assert len(articles) == 2  # the pair with findings and the line outside pairs


def test_why_it_matters_comes_from_the_check_docstring():
    doc = "Summary line.\n\nWhy it matters: a reader meets an English\nclause mid-sentence.\n\nBad: x\nGood: y"
    assert why_it_matters(doc) == "a reader meets an English clause mid-sentence."
    data, lines = _sample()
    text = render_report(data, line_texts=lines, docs={"TA204": "readers <notice> it"})
    assert "Why it matters:</span> readers &lt;notice&gt; it" in text


def test_overview_counts_per_severity_category_and_digest():
    data, lines = _sample()
    data["findings"].append(_finding("f-other", 5, file="<b>odd</b>.md"))
    text = render_report(data, line_texts=lines, docs={})
    assert "&lt;b&gt;odd&lt;/b&gt;.md" in text and "<b>odd</b>" not in text
    assert "<td>untranslated_fragment</td>" in text
    # severity table: 3 errors (frag, src, other), 2 warnings, 5 in total
    rows = {cells[0]: cells[1:] for cells in _table_rows(text, "By severity")}
    assert rows["error"] == ["3"] and rows["warning"] == ["2"] and rows["info"] == ["0"] and rows["total"] == ["5"]
    digest_rows = {cells[0]: cells[1:] for cells in _table_rows(text, "By digest")}
    assert digest_rows["d.txt"][:5] == ["2", "4", "2", "2", "0"]  # pairs, findings, error, warning, info


def _table_rows(text, heading):
    part = text.split(f"<h3>{heading}</h3>", 1)[1].split("</table>", 1)[0]
    rows = []
    for row in part.split("<tbody>", 1)[1].split("<tr>")[1:]:
        rows.append([html.unescape(c.split("</td>")[0]) for c in row.split("<td>")[1:]])
    return rows


def test_histogram_only_when_pairs_have_scores():
    data, lines = _sample()
    assert "<svg" in render_report(data, line_texts=lines, docs={})
    for p in data["pairs"]:
        p["comet"] = None
    assert "<svg" not in render_report(data, line_texts=lines, docs={})
    hist = score_histogram([0.1, 0.12, 0.5, 0.99, 1.0, 1.3])
    assert sum(b.count for b in hist.bars) == 6 and hist.high >= 1.3
    assert score_histogram([]) is None


def test_score_badge_marks_low_quality_pairs():
    data, lines = _sample()
    data["findings"].append(_finding("f-low", 10, category="low_quality", check="TA401", severity="warning"))
    data["pairs"][0]["comet"].update(score_capped=True, raw_score=0.9, capped_by=["english_in_translation"],
                                     chunks=[{"source": "a", "translation": "क", "score": 0.2},
                                             {"source": "b", "translation": "ख", "score": 0.6}])
    text = render_report(data, line_texts=lines, docs={})
    assert 'class="badge score low"' in text and "score 0.410" in text
    assert 'class="badge score"' in text and "score 0.880" in text
    assert "2 chunks, weakest 0.200: क; capped from 0.900 (english_in_translation)" in text


# -- escaping -------------------------------------------------------------------------------

def test_markup_in_digest_text_is_shown_as_text():
    findings = [_finding("x1", 10, excerpt="<script>window.__pwned=1</script>"),
                _finding("x2", 11, category="hindi_in_source", check="TA201", excerpt='"><svg onload="window.__pwned=3">')]
    data = _result(findings, [_pair(0, 10, PAYLOAD_HI, PAYLOAD_EN)])
    data["pairs"][0]["paper"] = data["findings"][0]["paper"] = "<img src=y onerror=alert(1)>"
    text = render_report(data, docs={})
    page = _Elements(text)
    assert page.named("img") == [] and page.named("b") == []
    assert [a.get("type") for a in page.named("script")] == ["application/json", None]
    assert len(page.named("svg")) == 0  # no scores, so not even the histogram
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text
    # the JSON block cannot be closed early and still holds the exact text
    block = text.split('<script type="application/json" id="report-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert '"><svg onload' in json.loads(block)["findings"]["x2"]["excerpt"]


def test_json_for_script_round_trips():
    data = {"a": "</script><!-- & \u2028 ह", "b": [1, None]}
    text = json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


def test_excerpt_is_split_and_each_part_escaped():
    text = "a <b>x</b> b"
    start, end = locate(text, "<b>x</b>")
    pieces = split_marked(text, [(start, end, "f1")])
    assert [(p.text, p.finding_ids) for p in pieces] == [("a ", ()), ("<b>x</b>", ("f1",)), (" b", ())]
    data = _result([_finding("f1", 10, excerpt="<b>x</b>")], [_pair(0, 10, text, "source")])
    assert '<mark data-for="f1">&lt;b&gt;x&lt;/b&gt;</mark>' in render_report(data, docs={})


def test_locate_tolerates_case_and_spacing_and_overlaps_split_cleanly():
    assert locate("हम  दिखाते\nहैं that", "दिखाते हैं") == (4, 14)
    assert locate("The Model", "the model") == (0, 9)
    assert locate("abc", "zzz") is None and locate("abc", "") is None
    pieces = split_marked("abcdef", [(0, 4, "a"), (2, 6, "b")])
    assert [(p.text, p.finding_ids) for p in pieces] == [("ab", ("a",)), ("cd", ("a", "b")), ("ef", ("b",))]


# -- reporting a mistake ---------------------------------------------------------------------

def test_copy_text_and_report_link_carry_the_fields():
    data, lines = _sample()
    data["findings"][0]["suggestion"] = "हम दिखाते हैं कि"
    text = render_report(data, line_texts=lines, docs={},
                         report_url="https://example.org/issues/new?title={title}&body={body}")
    block = text.split('id="report-data">', 1)[1].split("</script>", 1)[0]
    report = json.loads(block)["findings"]["f-frag"]["report"]
    assert report == (
        "Digest: d.txt\nPaper: Paper One\nSection: पेपर परिचय\nLine: 10\n"
        "Category: untranslated_fragment (TA204, error)\nProblem: msg\nWrong text: that the model\n"
        "English original: We show that the model learns tools; मॉडल नतीजों जोड़ता है.\n"
        "Suggested fix: हम दिखाते हैं कि\nFinding id: f-frag\n")
    links = [a["href"] for a in _Elements(text).named("a") if a.get("class") == "report-link"]
    assert len(links) == len(data["findings"])
    query = parse_qs(urlsplit(links[0]).query)
    assert query["title"] == ["Translation mistake (duplicate_paragraph) in d.txt:3"]  # document order
    assert any(parse_qs(urlsplit(h).query)["body"] == [report] for h in links)


def test_report_url_must_be_web_or_mail_and_have_placeholders():
    assert check_report_url("https://x.org/new?title={title}&body={body}")
    for bad in ("javascript:alert({title})", "https://x.org/new", "file:///etc/{body}"):
        with pytest.raises(ValueError):
            check_report_url(bad)


# -- waivers ----------------------------------------------------------------------------------

def test_waivers_round_trip_and_apply(tmp_path):
    doc = waivers_document([Waiver(id="f-frag", file="d.txt", line=10, category="untranslated_fragment"),
                            Waiver(id="f-src", decision="confirmed"),
                            Waiver(id="gone")])
    path = tmp_path / "w.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    waivers = load_waivers(path)
    data, _ = _sample()
    kept = apply_waivers(data["findings"], waivers)
    assert {f["id"] for f in kept} == {"f-punct", "f-src", "f-dup"}  # confirmed is not a waiver
    assert [w.id for w in unused_waivers(data["findings"], waivers)] == ["gone"]


@pytest.mark.parametrize("content, cause", [
    ("{", "invalid JSON at line 1"),
    ("[]", "not a waivers file"),
    ('{"version": 2, "waivers": []}', "unsupported waivers version 2"),
    ('{"version": 1, "waivers": [{"decision": "not_a_mistake"}]}', "waiver 1: missing 'id'"),
    ('{"version": 1, "waivers": [{"id": "a", "decision": "maybe"}]}', "unknown decision 'maybe'"),
    ('{"version": 1, "waivers": [{"id": "a", "line": "7"}]}', "'line' must be an integer"),
])
def test_bad_waivers_files_give_one_line_naming_the_file(tmp_path, content, cause):
    path = tmp_path / "w.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WaiversError) as err:
        load_waivers(path)
    message = str(err.value)
    assert message.startswith(str(path)) and cause in message and "\n" not in message
    with pytest.raises(WaiversError, match="not found"):
        load_waivers(tmp_path / "missing.json")
    assert parse_waivers({"version": 1, "waivers": []}) == []


# -- the command line around the report --------------------------------------------------------

DIGEST = """अवलोकन

Toolformer: भाषा मॉडल खुद tools इस्तेमाल करना सीखते हैं / Toolformer: Language Models Can Teach Themselves to Use Tools

पेपर परिचय

  • We show that the model learns to call external tools on its own.
    > We show that the model learns to call external tools on its own.

  • यह पैराग्राफ़ बिना अंग्रेज़ी मूल के है।

  • Toolformer कई tasks पर बड़े मॉडलों के बराबर प्रदर्शन करता है।
    > Toolformer matches much larger models on many tasks.
"""


def _ids_in(path):
    return sorted(a["data-finding-id"] for a in _Elements(path.read_text(encoding="utf-8")).having("data-finding-id"))


def test_check_writes_the_report_by_default_and_says_where(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.txt").write_text(DIGEST, encoding="utf-8")
    result = runner.invoke(app, ["check", "d.txt", "--format", "json", "--no-comet"])
    assert result.exit_code == 1
    report = tmp_path / "reports" / "transaudit-report.html"
    assert result.stderr.strip().splitlines()[-1] == "report: reports/transaudit-report.html"
    data = json.loads(result.stdout)
    assert _ids_in(report) == sorted(f["id"] for f in data["findings"]) and data["findings"]
    assert "यह पैराग्राफ़ बिना अंग्रेज़ी मूल के है।" in report.read_text(encoding="utf-8")
    assert not [p for p in (tmp_path / "reports").iterdir() if p.name.endswith(".tmp")]  # atomic write

    report.unlink()
    quiet = runner.invoke(app, ["check", "d.txt", "--quiet", "--no-comet"])
    assert report.exists() and "report:" not in quiet.stderr
    report.unlink()
    runner.invoke(app, ["check", "d.txt", "--no-report", "--no-comet"])
    assert not report.exists()


def test_report_rerenders_a_saved_result_like_check(tmp_path):
    digest = tmp_path / "d.txt"
    digest.write_text(DIGEST, encoding="utf-8")
    saved, first = tmp_path / "r.json", tmp_path / "first.html"
    runner.invoke(app, ["check", str(digest), "--format", "json", "-o", str(saved), "--report", str(first), "--no-comet"])
    second = tmp_path / "second.html"
    result = runner.invoke(app, ["report", str(saved), "--output", str(second)])
    assert result.exit_code == 0 and result.stderr.strip() == f"report: {second}"
    assert _ids_in(second) == _ids_in(first) and _ids_in(first)
    # the digest is still there, so the finding outside every pair shows its line again
    assert "यह पैराग्राफ़ बिना अंग्रेज़ी मूल के है।" in second.read_text(encoding="utf-8")


def test_waivers_on_the_command_line_drop_findings_and_change_the_exit_code(tmp_path):
    digest = tmp_path / "d.txt"
    digest.write_text(DIGEST, encoding="utf-8")
    first = runner.invoke(app, ["check", str(digest), "--format", "json", "--no-report", "--no-comet"])
    findings = json.loads(first.stdout)["findings"]
    assert first.exit_code == 1 and findings
    waivers = tmp_path / "w.json"
    waivers.write_text(json.dumps(waivers_document([Waiver(id=f["id"]) for f in findings] + [Waiver(id="stale")])),
                       encoding="utf-8")
    second = runner.invoke(app, ["check", str(digest), "--format", "json", "--no-report", "--no-comet",
                                   "--waivers", str(waivers)])
    data = json.loads(second.stdout)
    assert second.exit_code == 0
    # what is left is the note that one waiver matched nothing
    assert [(f["category"], f["file"]) for f in data["findings"]] == [("unused_suppression", str(waivers))]
    assert data["summary"]["waivers"] == {"file": str(waivers), "waived": len(findings), "unused": 1}


@pytest.mark.parametrize("args, message", [
    (["check", "{d}", "--waivers", "{tmp}/missing.json"], "missing.json: waivers file not found"),
    (["check", "{d}", "--report-url", "javascript:alert({{title}})"], "--report-url must start with"),
    (["check", "{d}", "--report", "{tmp}"], "cannot write the report"),
    (["report", "{tmp}/none.json"], "none.json: no such file"),
    (["report", "{tmp}/bad.json"], "bad.json: invalid JSON at line 1"),
    (["report", "{tmp}/list.json"], "list.json: not a transaudit JSON result"),
])
def test_bad_report_options_and_inputs_give_exit_2_and_one_line(tmp_path, args, message):
    digest = tmp_path / "d.txt"
    digest.write_text(DIGEST, encoding="utf-8")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    argv = [a.format(d=digest, tmp=tmp_path) for a in args] + (["--no-comet"] if args[0] == "check" else [])
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("transaudit:")]
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_report_rejects_a_result_with_a_malformed_pair(tmp_path):
    saved = tmp_path / "r.json"
    saved.write_text(json.dumps(_result([], [{"index": 0, "source": "x"}])), encoding="utf-8")
    result = runner.invoke(app, ["report", str(saved), "--output", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"transaudit: {saved}: not a transaudit JSON result (pairs[0].file is missing)"


def test_cli_default_report_path_is_the_packages():
    from transaudit import cli, html_report

    assert cli.DEFAULT_REPORT == html_report.DEFAULT_REPORT_PATH


# -- properties ---------------------------------------------------------------------------------

TEXT = st.lists(st.sampled_from(list("ab <>&\"'/=ह्िं।.\n") + ["script", "img", "onerror", "</p>", "<!--"]),
                max_size=30).map("".join)


@given(text=TEXT, data=st.data())
def test_marking_any_substring_keeps_the_text_whole(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    excerpt = text[start:end]
    where = locate(text, excerpt)
    if not excerpt.strip():
        assert where is None
        return
    assert where is not None and text[where[0]:where[1]] == excerpt
    pieces = split_marked(text, [(*where, "f")])
    assert "".join(p.text for p in pieces) == text
    assert [p.text for p in pieces if p.marked] == [excerpt]


def _tags(page):
    return [t for t, _ in page.tags if t != "mark"]


@functools.lru_cache(maxsize=1)
def _baseline_tags():
    return _tags(_Elements(render_report(_result([_finding("f", 10, excerpt="x", message="m")],
                                                 [_pair(0, 10, "x", "y")]), docs={})))


@settings(max_examples=40, deadline=None)
@given(hindi=TEXT, english=TEXT, data=st.data())
def test_any_digest_text_leaves_the_page_structure_unchanged(hindi, english, data):
    start = data.draw(st.integers(0, len(hindi)))
    excerpt = hindi[start:data.draw(st.integers(start, len(hindi)))]
    excerpt = excerpt if excerpt.strip() else ""  # blank excerpts are not marked
    data = _result([_finding("f", 10, excerpt=excerpt, message=english)], [_pair(0, 10, hindi, english)])
    page = _Elements(render_report(data, docs={}))
    assert _tags(page) == _baseline_tags()
    assert page.side_texts == [hindi, english]
