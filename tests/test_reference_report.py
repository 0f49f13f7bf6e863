"""The report's view of references (issue 14): word diff, TER sort, trend chart, escaping."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transaudit.cli import app
from transaudit.html_report import render_report
from transaudit.html_report.reference_view import trend_chart, word_diff

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / "clean_corpus"
CHROMIUM = os.environ.get("TRANSAUDIT_CHROMIUM", "/usr/bin/chromium")
runner = CliRunner()
# (file, Hindi phrase in its first paragraph that has it, the MT's wrong words)
EDITS = {"301_ea6035752f016c07.txt": [("प्रस्तुत करते हैं", "पेश करते हैं")],
         "302_ccd514050c3c5c4f.md": [],
         "303_f8b708cdbebb65d9.txt": [("व्यापक survey", "बड़ा survey"), ("प्रभावशाली क्षमताएँ", "शानदार क्षमताएँ")]}


def test_word_diff_keeps_every_word_once_in_order():
    mt, ref = "हम FlashDecoding++ पेश करते हैं, जो तेज़ है।", "हम FlashDecoding++ प्रस्तुत करते हैं, जो बहुत तेज़ है।"
    pieces = word_diff(mt, ref)
    assert [(p.kind, p.text) for p in pieces] == [
        ("same", "हम FlashDecoding++"), ("del", "पेश"), ("ins", "प्रस्तुत"), ("same", "करते हैं, जो"),
        ("ins", "बहुत"), ("same", "तेज़ है।")]
    assert " ".join(p.text for p in pieces if p.kind != "ins") == mt
    assert " ".join(p.text for p in pieces if p.kind != "del") == ref


def test_trend_chart_has_a_point_per_scored_digest_in_file_name_order():
    rows = [{"file": f"d/{n}.md", "pairs": 2, "chrf": c, "comet": m}
            for n, c, m in (("w01", 90.0, 0.8), ("w02", None, None), ("w03", 70.0, 0.6))]
    chart = trend_chart(rows)
    chrf, comet = chart.panels
    assert [p.label.split(":")[0] for p in chrf.points] == ["d/w01.md", "d/w03.md"]
    assert chrf.points[0].x < chrf.points[1].x and chrf.points[0].y < chrf.points[1].y  # higher is up
    assert len(chrf.segments) == 2  # the digest without a score breaks the line
    assert "reference-based" in comet.title
    assert trend_chart([{"file": "a", "pairs": 1, "chrf": None}]) is None


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("refreport")
    (tmp / "mt").mkdir()
    (tmp / "ref").mkdir()
    for name, edits in EDITS.items():
        text = (CORPUS / name).read_text(encoding="utf-8")
        shutil.copy(CORPUS / name, tmp / "ref" / name)
        for old, new in edits:
            assert old in text
            text = text.replace(old, new, 1)
        (tmp / "mt" / name).write_text(text, encoding="utf-8")
    page = tmp / "report.html"
    out = tmp / "out.json"
    result = runner.invoke(app, ["check", str(tmp / "mt"), "--reference", str(tmp / "ref"), "--no-comet",
                                 "--report", str(page), "--format", "json", "-o", str(out), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    return page, json.loads(out.read_text(encoding="utf-8"))


def test_report_shows_the_editors_words_against_the_translations(report):
    page, data = report
    text = page.read_text(encoding="utf-8")
    for name, edits in EDITS.items():
        for old, new in edits:
            assert f"<del title=\"in the translation, not in the reference\">{new.split()[0]}" in text
            assert f"<ins title=\"in the reference (the editor's words)\">{old.split()[0]}" in text
    assert text.count('class="ref-diff"') == data["summary"]["reference"]["pairs_with_reference"]
    assert "The translation is the reference, word for word." in text


def test_report_has_the_trend_chart_and_table_in_file_name_order(report):
    page, data = report
    text = page.read_text(encoding="utf-8")
    svg = text[text.index('<figure class="trend">'):text.index("</figure>", text.index('<figure class="trend">'))]
    tips = re.findall(r"<circle class=\"pt chrf\"[^>]*><title>([^<]*)</title>", svg)
    assert [t.split(":")[0].rsplit("/", 1)[-1] for t in tips] == sorted(EDITS)
    rows = data["summary"]["by_file_reference"]
    for tip in tips:
        file, value = tip.split(": chrF ")
        assert float(value) == pytest.approx(rows[html.unescape(file)]["chrf"], abs=0.01)
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert 'value="ter-desc"' in text


def test_reference_text_is_escaped(tmp_path):
    data = {"findings": [], "errors": [], "summary": {"reference": {"chrf": 50.0, "bleu": 10.0, "ter": 60.0,
            "signatures": {"chrf": "<b>x</b>"}, "pairs_with_reference": 1, "pairs_without_reference": 0},
            "by_file_reference": {"a.md": {"reference": "r/<a>.md", "pairs": 1, "pairs_with_reference": 1,
                                           "chrf": 50.0, "bleu": 10.0, "ter": 60.0, "comet": None}}},
            "pairs": [{"file": "a.md", "index": 0, "line": 3, "end_line": 3, "source_line": 4, "source_end_line": 4,
                       "paper": "P", "section": "S", "source": "An <img src=x onerror=alert(1)>.",
                       "translation": "हिंदी <script>alert(1)</script> पाठ।",
                       "reference": {"text": "हिंदी </p><script>alert(2)</script> पाठ।", "file": "r/<a>.md",
                                     "line": 3, "chrf": 50.0, "bleu": 10.0, "ter": 60.0, "comet": None}}]}
    page = render_report(data)
    assert "<script>alert" not in page and "</p><script>" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="install the test extra: pip install -e '.[test]'")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def test_sorting_by_ter_puts_the_most_edited_pair_first_without_requests(report, browser):
    page_path, data = report
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.resolve().as_uri())
    page.select_option("#f-sort", "ter-desc")
    ters = page.eval_on_selector_all(".item", "els => els.map(e => e.getAttribute('data-ter'))")
    expected = max(p["reference"]["ter"] for p in data["pairs"])
    assert float(ters[0]) == pytest.approx(expected, abs=1e-6)
    page.select_option("#f-sort", "ter-asc")
    first = page.eval_on_selector_all(".item", "els => els.map(e => e.getAttribute('data-ter'))")[0]
    assert float(first) == 0.0
    assert errors == [] and all(u.startswith("file:") for u in requests)
    page.close()
