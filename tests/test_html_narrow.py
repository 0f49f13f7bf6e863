"""The HTML report on a phone (420 px wide, real Chromium): tables scroll sideways inside their box
instead of breaking words, digest and category names stay whole, and the page itself never
scrolls sideways. A word is "broken" when its letters lie on more than one line. The run saves a
screenshot (tests/.artifacts/report-420.png, and /tmp/transaudit-report-420.png) to look at."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from test_html_browser import ARTIFACTS, FIXTURES, Page, browser, _check  # noqa: F401  (browser: fixture)

WIDTH = 420
SCREENSHOT = Path("/tmp/transaudit-report-420.png")

# Each word of each element's text (paths split at "/", where a heading may wrap) must sit on one
# line; returns the words that do not, with the selector that holds them.
BROKEN_WORDS_JS = """
(selectors) => {
  const broken = [];
  for (const sel of selectors) {
    for (const el of document.querySelectorAll(sel)) {
      if (!el.getClientRects().length) continue;  // hidden (collapsed pair, filtered out)
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const re = /[^\\s\\/]+/g;
        for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
          const r = document.createRange();
          r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
          const tops = new Set(Array.from(r.getClientRects()).filter(x => x.width > 0).map(x => Math.round(x.top)));
          if (tops.size > 1) broken.push(sel + ': ' + m[0]);
        }
      }
    }
  }
  return broken;
}
"""
NAMES = ["table.counts th", "table.counts td", ".digest > h2 .file", ".cat", ".sev", ".item-head"]


def _long_names(rng: random.Random, n: int) -> list[str]:
    words = ["weekly", "digest", "ml-papers", "hindi", "issue", "top", "of-the-week", "translation", "draft"]
    return ["_".join(rng.choice(words) for _ in range(rng.randint(2, 5))) + f"_{rng.randrange(10**8):08d}"
            for _ in range(n)]


@pytest.fixture(scope="module")
def narrow_report(tmp_path_factory):
    """The fixture digests plus copies under long, nested names (as a real repository has)."""
    rng = random.Random(420)
    root = tmp_path_factory.mktemp("narrow")
    digests = root / "digests"
    shutil.copytree(FIXTURES, digests)
    sources = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".md", ".txt"))
    for i, name in enumerate(_long_names(rng, 3)):
        src = sources[i % len(sources)]
        dest = digests / "2024" / f"week-{i + 1:02d}" / (name + src.suffix)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
    report = root / "report.html"
    cwd = os.getcwd()
    os.chdir(root)  # outside any git repository: paths are relative to here, as in a real project
    try:
        code, _, _ = _check("digests", "--report", report, "--format", "json", "--output", root / "r.json")
    finally:
        os.chdir(cwd)
    assert code == 1 and report.exists()
    return report


def test_names_stay_whole_and_tables_scroll_at_420_px(browser, narrow_report):
    page = Page(browser, narrow_report, viewport={"width": WIDTH, "height": 900})
    try:
        p = page.page
        assert p.evaluate("document.documentElement.clientWidth") == WIDTH
        broken = p.evaluate(BROKEN_WORDS_JS, NAMES)
        assert broken == [], broken[:20]
        # the page never scrolls sideways; a table that does not fit scrolls inside its box
        assert p.evaluate("document.documentElement.scrollWidth") <= WIDTH
        boxes = p.eval_on_selector_all(".table-box", "els => els.map(e => [e.scrollWidth, e.clientWidth, "
                                       "getComputedStyle(e).overflowX])")
        assert boxes and all(style == "auto" and client <= WIDTH for _, client, style in boxes)
        digest_box = p.eval_on_selector_all(".table-box.wide", "els => els.map(e => e.scrollWidth > e.clientWidth)")
        assert digest_box == [True], "the long digest names make the digest table scroll"
        # a heading of a nested name wraps between its folders: each part on one line
        parts = p.eval_on_selector_all(".digest > h2 .file .seg", "els => els.map(e => e.getClientRects().length)")
        assert parts and set(parts) == {1}
        nested = p.eval_on_selector_all(".digest > h2 .file", "els => els.filter(e => e.textContent.includes('week-'))"
                                        ".map(e => e.getClientRects().length)")
        assert nested and max(nested) > 1, "a long nested path wraps onto more lines"
        assert page.errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        p.screenshot(path=str(ARTIFACTS / "report-420.png"))
        shutil.copyfile(ARTIFACTS / "report-420.png", SCREENSHOT)
        p.evaluate("[...document.querySelectorAll('.digest')].find(d => d.dataset.file.includes('week-'))"
                   ".scrollIntoView()")
        p.screenshot(path=str(ARTIFACTS / "report-420-digest.png"))
    finally:
        page.close()


def test_the_word_check_catches_a_broken_name(browser, narrow_report):
    """The oracle itself: with the old rule (break anywhere in a narrow cell) it reports words."""
    page = Page(browser, narrow_report, viewport={"width": WIDTH, "height": 900})
    try:
        page.page.add_style_tag(content="table.counts td:first-child { white-space: normal !important; "
                                        "overflow-wrap: anywhere !important; max-width: 90px; }")
        broken = page.page.evaluate(BROKEN_WORDS_JS, ["table.counts td"])
        assert any("duplicate_paragraph" in b or "english_in_translation" in b for b in broken), broken
    finally:
        page.close()
