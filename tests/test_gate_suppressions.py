"""In-document suppressions in Markdown digests and the unused-suppression report (TA901),
with the real parser and the real checks; unused waivers are reported the same way."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from gate_digests import NEW_MD
from transaudit.audit import run_checks
from transaudit.checks.base import select_checks
from transaudit.cli import app
from transaudit.parsing import parse_document

# Two papers, each with an English clause left in Hindi (TA204) on lines 9 and 17; lines 20 on
# are the ``tail``.
PAPER = """## {title}

### पेपर परिचय

{comment}हम दिखाते हैं that the model works well on all tasks {n}।

> We show that the model works well on all tasks {n}.
"""


def digest(first_comment: str = "", second_comment: str = "", tail: str = "") -> str:
    return ("## अवलोकन\n\nइस सप्ताह के पेपर।\n\n"
            + PAPER.format(title="Paper One", comment=first_comment, n="one") + "\n"
            + PAPER.format(title="Paper Two", comment=second_comment, n="two") + tail)


def audit_md(text: str, select=(), ignore=()):
    doc = parse_document("digest.md", text)
    return run_checks([doc], select_checks(select, ignore))


def lines_of(findings, code):
    return [f.line for f in findings if f.check == code]


def test_baseline_digest_has_two_errors():
    findings = audit_md(digest())
    assert lines_of(findings, "TA204") == [9, 17]
    assert lines_of(findings, "TA901") == []


def test_ignore_silences_the_next_paragraph_only():
    findings = audit_md(digest(first_comment="<!-- transaudit: ignore untranslated_fragment -->\n"))
    assert lines_of(findings, "TA204") == [18]  # the second paper's error, one line lower now
    assert lines_of(findings, "TA901") == []


def test_ignore_by_code_is_case_insensitive_and_lists_work():
    findings = audit_md(digest(second_comment="<!-- transaudit: ignore ta204, punctuation -->\n"))
    assert lines_of(findings, "TA204") == [9]
    (unused,) = [f for f in findings if f.check == "TA901"]
    assert unused.line == 17 and "nothing to suppress for punctuation" in unused.message


def test_ignore_without_names_silences_every_check():
    findings = audit_md(digest(first_comment="<!-- transaudit: ignore -->\n"))
    assert lines_of(findings, "TA204") == [18]


def test_disable_enable_range():
    text = digest().replace("## Paper One", "<!-- transaudit: disable TA204 -->\n## Paper One", 1)
    text = text.replace("## Paper Two", "<!-- transaudit: enable TA204 -->\n## Paper Two", 1)
    findings = audit_md(text)
    assert lines_of(findings, "TA204") == [19]
    assert lines_of(findings, "TA901") == []


def test_disable_without_enable_runs_to_the_end():
    text = digest().replace("## Paper Two", "<!-- transaudit: disable untranslated_fragment -->\n## Paper Two", 1)
    findings = audit_md(text)
    assert lines_of(findings, "TA204") == [9]
    assert lines_of(findings, "TA901") == []


def test_unused_suppressions_are_info_findings_with_the_reason():
    text = digest(tail="\n<!-- transaudit: ignore TA204 -->\n> Just a quote with nothing wrong.\n"
                       "<!-- transaudit: ignore no_such_check -->\ntext\n<!-- transaudit: enable TA204 -->\n")
    unused = [f for f in audit_md(text) if f.check == "TA901"]
    assert [(f.line, str(f.severity)) for f in unused] == [(21, "info"), (23, "info"), (25, "info")]
    assert "nothing to suppress for TA204" in unused[0].message
    assert "unknown check: no_such_check" in unused[1].message
    assert "no 'disable' before it is still open" in unused[2].message
    assert unused[0].excerpt == "<!-- transaudit: ignore TA204 -->"


def test_suppression_of_a_check_not_enabled_says_so():
    text = digest(first_comment="<!-- transaudit: ignore untranslated_fragment -->\n")
    (unused,) = [f for f in audit_md(text, ignore=["TA204"]) if f.check == "TA901"]
    assert "not enabled in this run: untranslated_fragment" in unused.message


def test_select_and_ignore_apply_to_ta901():
    text = digest(tail="\n<!-- transaudit: ignore TA204 -->\n> Just a quote.\n")
    assert lines_of(audit_md(text, select=["TA204"]), "TA901") == []
    assert lines_of(audit_md(text, ignore=["unused_suppression"]), "TA901") == []
    assert lines_of(audit_md(text, select=["TA204", "TA901"]), "TA901") == [21]


def test_plain_text_digests_have_no_comment_suppressions():
    text = ("अवलोकन\n\nइस सप्ताह के पेपर।\n\nPaper One\n\nपेपर परिचय\n\n<!-- transaudit: ignore -->\n"
            "  • हम दिखाते हैं that the model works well on all tasks।\n"
            "    > We show that the model works well on all tasks.\n")
    findings = run_checks([parse_document("d.txt", text)], select_checks(["TA204", "TA901"]))
    assert lines_of(findings, "TA204") == [10] and lines_of(findings, "TA901") == []


def test_unused_waiver_is_reported_through_the_cli(tmp_path):
    path = tmp_path / "new.md"
    path.write_text(NEW_MD, encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["check", str(path), "--no-report", "--no-comet", "-f", "json"])
    (finding,) = json.loads(first.stdout)["findings"]
    waivers = tmp_path / "waivers.json"
    waivers.write_text(json.dumps({"version": 1, "waivers": [
        {"id": finding["id"], "decision": "not_a_mistake", "file": str(path), "line": 9},
        {"id": "0123456789abcdef", "decision": "not_a_mistake", "file": str(path), "line": 3,
         "category": "punctuation"},
        {"id": "fedcba9876543210", "decision": "not_a_mistake", "file": str(tmp_path / "other.md"), "line": 3},
    ]}), encoding="utf-8")
    second = runner.invoke(app, ["check", str(path), "--no-report", "--no-comet", "-f", "json", "--waivers", str(waivers)])
    assert second.exit_code == 0, second.output  # the waived error is gone; TA901 is info
    (unused,) = json.loads(second.stdout)["findings"]  # other.md was not audited: not judged
    assert (unused["check"], unused["severity"], unused["line"]) == ("TA901", "info", 3)
    assert "0123456789abcdef" in unused["message"] and "punctuation" in unused["message"]
