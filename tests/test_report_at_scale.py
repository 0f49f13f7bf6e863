"""The HTML report of a large run (issue 9 part 4): capped, counted whole, one small file."""

from __future__ import annotations

import re

from transaudit.html_report import render_report
from transaudit.html_report.at_scale import FINDINGS_CAP, PAIRS_CAP, cap_for_report


def _result(n_pairs: int, n_findings: int) -> dict:
    pairs = [{"file": "corpus.jsonl", "index": i, "line": i + 1, "end_line": i + 1, "source_line": i + 1,
              "source_end_line": i + 1, "paper": None, "section": None,
              "source": f"It improves accuracy by {i}%.", "translation": f"यह accuracy को {i + 1}% बढ़ाता है।"}
             for i in range(n_pairs)]
    findings = [{"id": f"{i:016x}", "file": "corpus.jsonl", "line": i + 1, "end_line": i + 1, "column": None,
                 "end_column": None, "check": "TA301", "category": "number_mismatch",
                 "severity": "error" if i % 3 else "warning", "message": f"source has {i}%, translation has {i + 1}%",
                 "excerpt": f"{i + 1}%", "suggestion": None, "paper": None, "section": None, "spans": [], "fix": None}
                for i in range(n_findings)]
    return {"schema_version": 2, "tool": {"name": "transaudit", "version": "0", "checks": ["TA301"], "signature": "s"},
            "findings": findings, "pairs": pairs, "errors": [],
            "summary": {"files": 1, "pairs": n_pairs, "findings": n_findings}}


def test_a_small_result_is_shown_whole():
    data = _result(50, 10)
    assert cap_for_report(data) is data
    assert "cap-note" not in render_report(data)


def test_a_large_result_shows_the_first_findings_and_counts_everything():
    data = _result(PAIRS_CAP * 3, FINDINGS_CAP + 700)
    capped = cap_for_report(data)
    assert capped["findings"] == data["findings"][:FINDINGS_CAP]
    assert len(capped["pairs"]) == FINDINGS_CAP  # clean pairs are counted, not listed
    html = render_report(capped)
    note = re.search(r'<p class="cap-note" id="cap-note" role="note">(.*?)</p>', html).group(1)
    assert note == (f"Showing the first {FINDINGS_CAP:,} of {FINDINGS_CAP + 700:,} findings: 700 more in the JSON "
                    f"output (--format json or jsonl). {PAIRS_CAP * 3 - FINDINGS_CAP:,} pairs without findings are "
                    "counted in the overview, not listed.")
    assert f"{FINDINGS_CAP + 700} findings in {PAIRS_CAP * 3} pairs" in html
    # the overview counts every finding, not only the ones shown
    severity_table = html.split("By severity")[1].split("</table>")[0]
    assert f"<td>{FINDINGS_CAP + 700}</td>" in severity_table
    assert html.count('class="item has-findings') == FINDINGS_CAP
