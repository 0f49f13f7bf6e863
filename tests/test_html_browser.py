"""The HTML report in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

What a reviewer does with the page: open it from disk, filter, copy a report, triage findings and
export the decisions, which the next ``transaudit check --waivers`` honours. Also: digest text
holding HTML/JS runs nothing. The run leaves screenshots in tests/.artifacts/ for a human look.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transaudit.cli import app

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / ".artifacts"
FIXTURES = ROOT / "fixtures" / "digests"
CHROMIUM = os.environ.get("TRANSAUDIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

runner = CliRunner()

# A digest with three findings (English copied into the Hindi slot, Hindi inside the English
# original, a Hindi paragraph with no English original) and one clean pair.
REVIEW_DIGEST = """अवलोकन

इस सप्ताह के पेपर।

Toolformer: भाषा मॉडल खुद tools इस्तेमाल करना सीखते हैं / Toolformer: Language Models Can Teach Themselves to Use Tools

पेपर परिचय

  • We show that the model learns to call external tools on its own.
    > We show that the model learns to call external tools on its own.

पेपर सारांश

  • मॉडल API calls को खुद चुनता है और नतीजों को अगले token के अनुमान में जोड़ता है।
    > The model decides which APIs to call and मॉडल नतीजों को अगले token में जोड़ता है।

  • यह पैराग्राफ़ बिना अंग्रेज़ी मूल के है।

  • Toolformer कई tasks पर बड़े मॉडलों के बराबर प्रदर्शन करता है।
    > Toolformer matches much larger models on many tasks.

पेपर लिंक

https://arxiv.org/abs/2302.04761
"""

# Markup and script in Hindi text, English text and a paper title: all must show as text.
HOSTILE_DIGEST = """अवलोकन

इस सप्ताह के पेपर।

<img src=x onerror="window.__pwned='title'"> मॉडल / "><svg onload="window.__pwned='title2'"> Model

पेपर परिचय

  • मॉडल <script>window.__pwned='hi'</script> और <img src=x onerror="window.__pwned='img'"> नतीजे देता है।
    > The model "><svg onload="window.__pwned='svg'"> returns </script><b>results</b> and मॉडल नतीजे <script>window.__pwned='en'</script>.

पेपर सारांश

  • The model "><svg onload="window.__pwned='copied'"> returns <img src=y onerror="window.__pwned=1"> results.
    > The model "><svg onload="window.__pwned='copied'"> returns <img src=y onerror="window.__pwned=1"> results.
"""


def _check(*args) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", "--no-comet", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="install the test extra: pip install -e '.[test]'")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package (.ci/run does)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page opened from file:// that records console errors, page errors, dialogs and requests."""

    def __init__(self, browser, path: Path, **context_args):
        self.context = browser.new_context(accept_downloads=True, **context_args)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")

    def visible_findings(self) -> list[dict]:
        return self.page.eval_on_selector_all(
            "[data-finding-id]",
            "els => els.filter(e => e.offsetParent !== null).map(e => ({id: e.dataset.findingId, "
            "category: e.dataset.category, severity: e.dataset.severity}))")

    def close(self):
        self.context.close()


def _audit(tmp_path: Path, digests: dict[str, str] | Path, *extra) -> tuple[Path, dict, int]:
    """Run ``check`` like a user: JSON result and HTML report side by side."""
    if isinstance(digests, Path):
        src = digests
    else:
        src = tmp_path / "digests"
        src.mkdir(exist_ok=True)
        for name, text in digests.items():
            (src / name).write_text(text, encoding="utf-8")
    report, out = tmp_path / "report.html", tmp_path / "result.json"
    code, _, err = _check(src, "--format", "json", "--output", out, "--report", report, "--fail-on", "error", *extra)
    assert code in (0, 1), err
    assert f"report: {report}" in err
    return report, json.loads(out.read_text(encoding="utf-8")), code


def _fixture_report(tmp_path_factory):
    if not FIXTURES.is_dir() or not any(FIXTURES.iterdir()):
        pytest.fail(f"{FIXTURES} is missing: the browser tests render the fixtures' report")
    return _audit(tmp_path_factory.mktemp("fixtures"), FIXTURES)


@pytest.fixture(scope="module")
def fixtures_report(tmp_path_factory):
    return _fixture_report(tmp_path_factory)


# -- the fixtures' report ------------------------------------------------------------------

def test_fixtures_report_loads_offline_without_errors_and_shows_every_finding(browser, fixtures_report):
    report, data, _ = fixtures_report
    assert data["findings"], "the fixtures should produce findings"
    page = Page(browser, report)
    try:
        assert page.errors == []
        assert page.dialogs == []
        assert {url.split(":", 1)[0] for url in page.requests} <= {"file", "data"}, page.requests
        ids = page.page.eval_on_selector_all("[data-finding-id]", "els => els.map(e => e.dataset.findingId)")
        assert sorted(ids) == sorted(f["id"] for f in data["findings"])
        assert len(page.visible_findings()) == len(data["findings"])

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.page.set_viewport_size({"width": 1280, "height": 1600})
        page.page.evaluate("document.querySelector('.item.has-findings').closest('.paper').scrollIntoView()")
        page.page.screenshot(path=str(ARTIFACTS / "report.png"))
        page.page.set_viewport_size({"width": 390, "height": 844})
        page.page.evaluate("document.querySelector('.item.has-findings').scrollIntoView()")
        page.page.screenshot(path=str(ARTIFACTS / "report-phone.png"))
        # phone width: the Hindi and English sides stack instead of sitting side by side
        boxes = page.page.eval_on_selector(".item.has-findings .sides", "s => Array.from(s.children).map("
                                           "c => c.getBoundingClientRect().top)")
        assert len(boxes) < 2 or boxes[1] > boxes[0]
        overflow = page.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "the page scrolls sideways on a phone"
        # printed: no controls or buttons, the findings stay
        page.page.emulate_media(media="print")
        assert not page.page.is_visible("#controls") and not page.page.is_visible("button.copy >> nth=0")
        assert page.page.is_visible("[data-finding-id] >> nth=0")
    finally:
        page.close()


def test_filtering_by_category_hides_the_others(browser, fixtures_report):
    report, data, _ = fixtures_report
    counts: dict[str, int] = {}
    for f in data["findings"]:
        counts[f["category"]] = counts.get(f["category"], 0) + 1
    category = min(counts, key=lambda c: (counts[c], c))  # the rarest: most others to hide
    page = Page(browser, report)
    try:
        page.page.select_option("#f-category", category)
        shown = page.visible_findings()
        assert {f["category"] for f in shown} == {category}
        assert len(shown) == counts[category]
        assert f"Showing {counts[category]} of {len(data['findings'])}" in page.page.text_content("#status")
        page.page.select_option("#f-category", "")
        page.page.select_option("#f-severity", "error")
        errors = sum(1 for f in data["findings"] if f["severity"] == "error")
        assert len(page.visible_findings()) == errors
        assert page.errors == []
    finally:
        page.close()


# -- reporting, triage and waivers on a digest set of our own ---------------------------------

@pytest.fixture()
def review(tmp_path):
    report, data, code = _audit(tmp_path, {"toolformer.txt": REVIEW_DIGEST})
    by_cat = {f["category"]: f for f in data["findings"]}
    assert {"english_in_translation", "hindi_in_source", "missing_source"} <= set(by_cat), data["findings"]
    return tmp_path, report, data, by_cat, code


def test_copy_report_puts_the_expected_text_on_the_clipboard(browser, review):
    _, report, data, by_cat, _ = review
    f = by_cat["hindi_in_source"]
    pair = next(p for p in data["pairs"] if p["source_line"] == f["line"])
    expected = (
        f"Digest: {f['file']}\n"
        "Paper: Toolformer: भाषा मॉडल खुद tools इस्तेमाल करना सीखते हैं / "
        "Toolformer: Language Models Can Teach Themselves to Use Tools\n"
        "Section: पेपर सारांश\n"
        f"Line: {f['line']}\n"
        f"Category: hindi_in_source ({f['check']}, {f['severity']})\n"
        f"Problem: {f['message']}\n"
        f"Wrong text: {f['excerpt']}\n"
        "English original: The model decides which APIs to call and मॉडल नतीजों को अगले token में जोड़ता है।\n"
        + (f"Suggested fix: {f['suggestion']}\n" if f.get("suggestion") else "")
        + f"Finding id: {f['id']}\n"
    )
    assert pair["source"] in expected
    page = Page(browser, report)
    try:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.page.click(f"[data-finding-id='{f['id']}'] button.copy")
        page.page.wait_for_function("document.getElementById('status').textContent.startsWith('Copied')")
        assert page.page.evaluate("navigator.clipboard.readText()") == expected

        # the fallback for browsers without the async clipboard (hidden textarea + execCommand)
        page.page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
        page.page.evaluate("document.getElementById('status').textContent = ''")
        page.page.click(f"[data-finding-id='{by_cat['missing_source']['id']}'] button.copy")
        page.page.wait_for_function("document.getElementById('status').textContent !== ''")
        copied = page.page.input_value("#copy-buffer")
        assert copied.startswith(f"Digest: {f['file']}\n") and f"Line: {by_cat['missing_source']['line']}\n" in copied
        assert "Wrong text: यह पैराग्राफ़ बिना अंग्रेज़ी मूल के है।" in copied  # line text: no excerpt needed
        assert page.errors == []
    finally:
        page.close()


def test_triage_is_keyboard_usable_and_survives_a_reload(browser, review):
    _, report, _, by_cat, _ = review
    fid = by_cat["english_in_translation"]["id"]
    page = Page(browser, report)
    try:
        button = f"[data-finding-id='{fid}'] button[data-decision='confirmed']"
        page.page.focus(button)
        page.page.keyboard.press("Enter")
        assert page.page.get_attribute(button, "aria-pressed") == "true"
        page.page.reload()
        assert page.page.get_attribute(button, "aria-pressed") == "true"
        assert page.page.get_attribute(f"[data-finding-id='{fid}']", "data-triage") == "confirmed"
        page.page.select_option("#f-triage", "confirmed")
        assert [f["id"] for f in page.visible_findings()] == [fid]
    finally:
        page.close()


def test_waivers_exported_from_the_page_suppress_those_findings_next_run(browser, review):
    tmp_path, report, data, by_cat, code = review
    assert code == 1
    dismissed = [by_cat["hindi_in_source"]["id"], by_cat["missing_source"]["id"]]
    confirmed = by_cat["english_in_translation"]["id"]
    page = Page(browser, report)
    try:
        for fid in dismissed:
            page.page.click(f"[data-finding-id='{fid}'] button[data-decision='not_a_mistake']")
        page.page.click(f"[data-finding-id='{confirmed}'] button[data-decision='confirmed']")
        with page.page.expect_download() as download:
            page.page.click("#export")
        waivers = tmp_path / "waivers.json"
        download.value.save_as(waivers)
        assert download.value.suggested_filename == "transaudit-waivers.json"
        assert page.errors == []
    finally:
        page.close()

    exported = json.loads(waivers.read_text(encoding="utf-8"))
    assert exported["version"] == 1
    assert {w["id"]: w["decision"] for w in exported["waivers"]} == {
        dismissed[0]: "not_a_mistake", dismissed[1]: "not_a_mistake", confirmed: "confirmed"}

    again = tmp_path / "again"
    again.mkdir()
    second, data2, code2 = _audit(again, tmp_path / "digests", "--waivers", waivers)
    remaining = {f["id"] for f in data2["findings"]}
    assert remaining == {f["id"] for f in data["findings"]} - set(dismissed)
    assert code2 == 1  # the confirmed error still fails the run
    assert data2["summary"]["waivers"]["waived"] == 2

    # waiving the last error turns the run green; the waivers carried over stay in the next export
    page = Page(browser, second)
    try:
        assert page.page.get_attribute(f"[data-finding-id='{confirmed}']", "data-triage") == "confirmed"
        page.page.click(f"[data-finding-id='{confirmed}'] button[data-decision='not_a_mistake']")
        with page.page.expect_download() as download:
            page.page.click("#export")
        download.value.save_as(waivers)
    finally:
        page.close()
    code3, _, _ = _check(tmp_path / "digests", "--waivers", waivers, "--no-report")
    assert code3 == 0
    assert {w["id"] for w in json.loads(waivers.read_text())["waivers"]} == set(dismissed) | {confirmed}


# -- hostile digest text -----------------------------------------------------------------------

def test_markup_in_a_digest_is_shown_as_text_and_runs_nothing(browser, tmp_path):
    report, data, _ = _audit(tmp_path, {"hostile.txt": HOSTILE_DIGEST})
    assert data["findings"], "the hostile digest should produce findings (so highlights are exercised)"
    page = Page(browser, report)
    try:
        page.page.wait_for_timeout(200)  # let any onerror/onload fire if something slipped through
        assert page.page.evaluate("typeof window.__pwned") == "undefined"
        assert page.dialogs == [] and page.errors == []
        assert page.page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.page.evaluate("document.querySelectorAll('[onload], [onerror]').length") == 0
        assert page.page.evaluate("document.querySelectorAll('script').length") == 2  # data + page script
        assert page.page.evaluate("document.querySelectorAll('b').length") == 0
        # the only SVG would be the score histogram, and there are no scores here
        assert page.page.evaluate("document.querySelectorAll('svg').length") == 0
        body = page.page.text_content("body")
        assert "<script>window.__pwned='hi'</script>" in body
        assert '"><svg onload="window.__pwned=\'svg\'">' in body
        assert "<img src=x onerror=\"window.__pwned='title'\">" in body
        # interacting with the page (search, copy) does not run the text either
        page.page.fill("#f-search", "<script>")
        page.page.click("button.copy >> nth=0")
        page.page.wait_for_timeout(100)
        assert page.page.evaluate("typeof window.__pwned") == "undefined"
        assert page.errors == []
    finally:
        page.close()


# -- sort by score (a saved result with scores, re-rendered by `transaudit report`) -------------

def test_sort_by_score_on_a_rerendered_result(browser, tmp_path):
    layout = [("a.txt", "P1", 0.7), ("a.txt", "P1", 0.9), ("a.txt", "P2", 0.5), ("b.txt", "Q", 0.2), ("b.txt", "Q", 0.8)]
    pairs = []
    for i, (file, paper, score) in enumerate(layout):
        pairs.append({"file": file, "index": i, "line": 10 + 3 * i, "end_line": 10 + 3 * i,
                      "source_line": 11 + 3 * i, "source_end_line": 11 + 3 * i, "paper": paper, "section": "S",
                      "source": f"English {i}.", "translation": f"हिंदी {i}।",
                      "comet": {"model": "tiny", "score": score, "chunks": [], "cached": False}})
    result = {"schema_version": 1, "tool": {"name": "transaudit", "version": "0", "checks": [], "signature": "s"},
              "findings": [], "pairs": pairs, "errors": [], "summary": {"comet": {"model": "tiny"}}}
    saved = tmp_path / "result.json"
    saved.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", str(saved), "--output", str(out)])
    assert res.exit_code == 0 and f"report: {out}" in res.stderr
    page = Page(browser, out)
    try:
        order = "Array.from(document.querySelectorAll('.item')).map(e => +e.dataset.score)"
        assert page.page.evaluate(order) == [0.7, 0.9, 0.5, 0.2, 0.8]
        # lowest first: the digest, then the paper, then the pair holding the lowest score
        page.page.select_option("#f-sort", "score-asc")
        assert page.page.evaluate(order) == [0.2, 0.8, 0.5, 0.7, 0.9]
        page.page.select_option("#f-sort", "score-desc")
        assert page.page.evaluate(order) == [0.9, 0.7, 0.5, 0.8, 0.2]
        page.page.select_option("#f-sort", "document")
        assert page.page.evaluate(order) == [0.7, 0.9, 0.5, 0.2, 0.8]
        assert page.page.evaluate("document.querySelectorAll('svg rect.bar').length") == 20
        assert page.errors == []
    finally:
        page.close()


def test_highlights_in_the_browser_are_exactly_the_findings_spans(browser, fixtures_report):
    """What the reviewer sees marked, per finding, is the text its spans cut out of the digest;
    a finding without spans (a missing original) has nothing marked."""
    from transaudit.parsing.decode import decode_bytes, split_lines

    report, data, _ = fixtures_report
    lines = {f["file"]: split_lines(decode_bytes(Path(f["file"]).read_bytes())) for f in data["findings"]}
    page = Page(browser, report)
    try:
        marked = page.page.evaluate(
            "() => { const out = {}; document.querySelectorAll('mark[data-for]').forEach(m => "
            "m.dataset.for.split(' ').forEach(id => (out[id] = out[id] || []).push(m.textContent))); return out; }")
    finally:
        page.close()
    empty = 0
    for f in data["findings"]:
        want = [lines[f["file"]][s["line"] - 1][s["column"] - 1:s["end_column"] - 1] for s in f["spans"]]
        # overlapping findings split a mark; what one finding has marked, joined, is its spans' text
        assert "".join(marked.get(f["id"], [])) == "".join(want), (f["check"], f["line"])
        empty += not f["spans"]
    assert empty >= 3  # the fixtures' missing originals, missing translations and omissions
