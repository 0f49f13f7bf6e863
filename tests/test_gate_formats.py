"""The CI output formats: golden files (github, sarif, junit), SARIF schema validation,
workflow-command escaping, JUnit structure and the step summary.

Update the golden files after an intended change with ``TRANSAUDIT_UPDATE_GOLDEN=1 pytest
tests/test_gate_formats.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from gate_digests import NEW_MD, OLD_MD, OLD_TXT
from transaudit.audit import AuditResult, audit
from transaudit.checks.base import registered, select_checks
from transaudit.gate.step_summary import render_summary
from transaudit.model import Document, Finding, InputError, Severity, Span
from transaudit.parsing import parse_document
from transaudit.reporters import render
from transaudit.reporters.github_format import escape_data, escape_property

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
SARIF_SCHEMA = json.loads((HERE / "schemas" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
UPDATE = os.environ.get("TRANSAUDIT_UPDATE_GOLDEN") == "1"


def golden_result() -> AuditResult:
    """A fixed result that exercises the awkward cases: a space and a comma in file names,
    ``%``, ``:``, ``,`` and a newline in a message, Devanagari, an unreadable file, a clean digest.
    Only TA305/TA901 appear, so the golden files change only with this module's own checks.
    The first two findings carry spans (columns on the span's line; a second span on the next
    line), the third has none (it keeps its lines and no columns)."""
    issue, odd, clean = "digests/2024-01 issue.md", "digests/b,c.txt", "digests/clean.md"
    comment = "<!-- transaudit: ignore TA204 -->"
    issue_lines = ["## पेपर", "", comment] + [""] * 8 + ["हम एक नया attention तंत्र प्रस्तावित करते हैं।",
                                                          "और attention को मापते हैं।"]
    findings = [
        Finding(check="TA901", category="unused_suppression", severity=Severity.INFO, file=issue, line=3,
                end_line=3, message="unused suppression: nothing to suppress for TA204", excerpt=comment,
                suggestion="remove the comment", anchor=comment, spans=(Span(3, 1, 3, len(comment) + 1),)),
        Finding(check="TA305", category="terminology", severity=Severity.WARNING, file=issue, line=12,
                end_line=13, message="glossary: 'attention' should be rendered as 'ध्यान', not kept as "
                "'attention'\nratio 50%, see: a,b", excerpt="attention", suggestion="ध्यान",
                anchor=issue_lines[11], spans=(Span(12, 11, 12, 20), Span(13, 4, 13, 13))),
        Finding(check="TA305", category="terminology", severity=Severity.ERROR, file=odd, line=7, end_line=7,
                message="glossary: 'benchmark' should be rendered as 'बेंचमार्क', which the translation lacks",
                excerpt="benchmark", suggestion="बेंचमार्क", anchor="  • यह मॉडल तीन परीक्षाओं में सबसे आगे है।"),
    ]
    documents = [Document(path=p, layout="markdown", lines=issue_lines if p == issue else ["x"])
                 for p in (issue, odd, clean)]
    result = AuditResult(documents=documents, findings=findings, checks=["TA305", "TA901"],
                         errors=[InputError("digests/broken.txt", "not UTF-8 at byte 17")])
    result.summary_extras["gate"] = {"fail_on": "warning"}
    return result


@pytest.mark.parametrize("fmt,name", [("github", "github.txt"), ("sarif", "sarif.json"), ("junit", "junit.xml")])
def test_golden(fmt, name):
    text = render(fmt, golden_result())
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert path.exists(), f"{path} missing: run with TRANSAUDIT_UPDATE_GOLDEN=1 and review it"
    with open(path, encoding="utf-8", newline="") as fh:
        assert text == fh.read(), f"{fmt} output changed; see the module docstring"


def test_github_golden_reads_as_github_expects():
    lines = (GOLDEN / "github.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("::notice file=digests/2024-01 issue.md,line=3,col=1,endLine=3,endColumn=34,"
                        "title=TA901 unused_suppression"
                        "::unused suppression: nothing to suppress for TA204 (suggestion: remove the comment)")
    # the first span: its line, its columns (endColumn exclusive, as ruff writes it)
    assert lines[1].startswith("::warning file=digests/2024-01 issue.md,line=12,col=11,endLine=12,endColumn=20,"
                               "title=TA305 terminology::")
    assert "%0Aratio 50%25, see: a,b" in lines[1]  # data: only %, CR, LF are escaped
    assert lines[2].startswith("::error file=digests/b%2Cc.txt,line=7,endLine=7,title=TA305 terminology::")
    assert lines[3] == "::error file=digests/broken.txt,title=input error::not UTF-8 at byte 17"


def test_workflow_command_escaping():
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("dir:a,b%\n.md") == "dir%3Aa%2Cb%25%0A.md"


def validate_sarif(log: dict) -> None:
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_shipped_schema_is_the_official_one():
    assert SARIF_SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SARIF_SCHEMA["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert len(SARIF_SCHEMA["definitions"]) == 52
    with pytest.raises(jsonschema.ValidationError):  # it really constrains: a level must be known
        jsonschema.validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                             "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}, SARIF_SCHEMA)


def test_sarif_golden_validates():
    validate_sarif(json.loads((GOLDEN / "sarif.json").read_text(encoding="utf-8")))


def test_sarif_of_a_real_audit_validates_and_describes_every_check():
    docs = [parse_document("digests/old.md", OLD_MD), parse_document("digests/old.txt", OLD_TXT),
            parse_document("digests/new issue.md", NEW_MD)]
    result = audit(docs, select_checks(), [InputError("digests/bad.txt", "binary file")])
    log = json.loads(render("sarif", result))
    validate_sarif(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(registered())  # one rule per check
    for rule in rules:
        assert rule["help"]["text"] == registered()[rule["id"]].documentation()
    assert len(run["results"]) == len(result.findings) >= 3
    for res, f in zip(run["results"], result.findings):
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == f.check
        assert res["partialFingerprints"]["transaudit/v1"] == f.id
        region = res["locations"][0]["physicalLocation"]["region"]
        first = f.spans[0] if f.spans else None
        assert region["startLine"] == (first.line if first else f.line)
        if first:  # the snippet is the text the columns cut out of the digest line
            assert (region["startColumn"], region["endColumn"]) == (first.column, first.end_column)
            line = next(d for d in docs if d.path == f.file).lines[first.line - 1]
            assert region["snippet"]["text"] == line[first.column - 1:first.end_column - 1]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "digests/new%20issue.md" in uris
    assert run["invocations"][0]["executionSuccessful"] is False  # a file could not be read


def test_junit_one_case_per_digest():
    root = ET.fromstring(render("junit", golden_result()))
    (suite,) = root
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert sorted(cases) == ["digests/2024-01 issue.md", "digests/b,c.txt", "digests/broken.txt", "digests/clean.md"]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "1")
    assert cases["digests/clean.md"].find("failure") is None
    assert cases["digests/broken.txt"].find("error").get("message") == "not UTF-8 at byte 17"
    issue = cases["digests/2024-01 issue.md"]
    assert "TA305 terminology warning" in issue.find("failure").text  # fail-on warning: it fails
    assert "TA901" in issue.find("system-out").text  # info stays below the threshold


def test_junit_fail_on_never_fails_nothing_and_survives_control_characters():
    result = golden_result()
    result.summary_extras["gate"] = {"fail_on": "never"}
    result.findings.append(Finding(check="TA305", category="terminology", severity=Severity.ERROR,
                                   file="digests/clean.md", line=1, end_line=1, message="bell\x07 and <tag> & co"))
    root = ET.fromstring(render("junit", result))
    assert root.get("failures") == "0"
    (clean,) = [c for c in root.iter("testcase") if c.get("name") == "digests/clean.md"]
    assert clean.find("failure") is None
    assert clean.find("system-out").text.endswith("bell\\x07 and <tag> & co")  # escaped as on a terminal


def test_step_summary_escapes_digest_text():
    result = golden_result()
    result.findings.append(Finding(check="TA305", category="terminology", severity=Severity.ERROR,
                                   file="digests/clean.md", line=4, end_line=4,
                                   message="<script>alert(1)</script> | *bold*"))
    text = render_summary(result)
    assert text.startswith("## transaudit: 4 findings (2 error, 1 warning, 1 info)\n")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*bold\\*" in text
    assert "- digests/broken.txt: not UTF-8 at byte 17" in text
