"""One parametrized test over every check's YAML case file (sqlfluff/proselint style).

A case file ``tests/check_cases/<CODE>.yml`` holds::

    check: TA204
    cases:
      - name: clause left in English            # pair case: translation on line 1, source on line 2
        translation: "हम दिखाते हैं that it works।"
        source: "We show that it works."
        expect: [1]                              # lines of this check's findings ([] = must pass)
      - name: duplicated paragraph               # document case: parsed with the real parser
        layout: text                             # text | markdown
        document: |
          ...
        expect: [7]

Every registered check must have at least one passing and one failing case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from transaudit.audit import run_checks
from transaudit.checks.base import registered
from transaudit.model import Document, Segment

CASE_DIR = Path(__file__).parent / "check_cases"


def _load_cases():
    for path in sorted(CASE_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            yield pytest.param(data["check"], case, id=f"{data['check']}-{i}-{case.get('name', '')[:40]}")


def _document(case) -> Document:
    if "document" in case:
        from transaudit.parsing import parse_document

        suffix = ".md" if case.get("layout") == "markdown" else ".txt"
        return parse_document(f"case{suffix}", case["document"])
    seg = Segment(
        index=0,
        translation=case.get("translation"),
        source=case.get("source"),
        translation_line=1 if case.get("translation") is not None else None,
        translation_end_line=1 if case.get("translation") is not None else None,
        source_line=2 if case.get("source") is not None else None,
        source_end_line=2 if case.get("source") is not None else None,
    )
    lines = [case.get("translation") or "", case.get("source") or ""]
    return Document(path="case.txt", layout="pairs", lines=lines, segments=[seg])


@pytest.mark.parametrize("code,case", list(_load_cases()))
def test_check_case(code, case):
    check = registered()[code]()
    doc = _document(case)
    findings = [f for f in run_checks([doc], [check], case.get("settings")) if f.check == code]
    got = sorted(f.line for f in findings)
    assert got == sorted(case["expect"]), "\n".join(f"{f.line}: {f.message} [{f.excerpt}]" for f in findings)


def test_every_check_has_pass_and_fail_cases():
    covered: dict[str, set[bool]] = {}
    for path in CASE_DIR.glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            covered.setdefault(data["check"], set()).add(bool(case["expect"]))
    missing = [code for code in registered() if covered.get(code) != {True, False}]
    assert not missing, f"checks without both pass and fail cases: {missing}"


def test_every_check_documents_bad_and_good_examples():
    for code, cls in registered().items():
        doc = cls.documentation()
        assert cls.summary(), code
        assert "Bad:" in doc and "Good:" in doc, code
