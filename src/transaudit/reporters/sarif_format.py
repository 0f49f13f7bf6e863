"""SARIF 2.1.0 for code scanning: one rule per check (its documentation as help), one result
per finding, the finding's fingerprint as a partial fingerprint so alerts follow moved lines.

Deterministic (no timestamps): the same audit gives the same bytes.
"""

from __future__ import annotations

import json
import os
from pathlib import PurePath
from urllib.parse import quote

from transaudit import __version__
from transaudit.project_urls import CHECKS_HELP, HOMEPAGE

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "transaudit/v1"


def artifact_location(path: str) -> dict:
    """A relative path stays relative to the checkout (what code scanning expects)."""
    if os.path.isabs(path):
        return {"uri": PurePath(path).as_uri()}
    return {"uri": quote(path.replace(os.sep, "/"), safe="/"), "uriBaseId": "%SRCROOT%"}


def _rule(code: str) -> dict:
    from transaudit.checks.base import registered
    from transaudit.codes import CODES

    cls = registered().get(code)
    if cls is None:  # a code from a saved result that this version no longer has
        return {"id": code, "name": CODES.get(code, code), "properties": {"category": CODES.get(code, "")}}
    return {
        "id": code,
        "name": cls.__name__,
        "shortDescription": {"text": cls.summary()},
        "fullDescription": {"text": cls.documentation()},
        "help": {"text": cls.documentation()},
        "helpUri": CHECKS_HELP,
        "defaultConfiguration": {"level": LEVEL[str(cls.default_severity)]},
        "properties": {"category": cls.category, "tags": ["translation", cls.category]},
    }


def _span_region(span, lines: list[str] | None) -> dict:
    region = {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line,
              "endColumn": span.end_column}
    if lines and span.line == span.end_line and span.line <= len(lines):
        region["snippet"] = {"text": lines[span.line - 1][span.column - 1:span.end_column - 1]}
    return region


def _result(f, rule_index: int, with_baseline: bool, lines: list[str] | None = None) -> dict:
    # The region is the first span (columns in code points: the run's columnKind); a finding
    # without spans keeps its lines and its excerpt.
    if f.spans:
        region = _span_region(f.spans[0], lines)
    else:
        region = {"startLine": f.line, "endLine": max(f.end_line, f.line)}
        if f.excerpt:
            region["snippet"] = {"text": f.excerpt}
    out = {
        "ruleId": f.check,
        "ruleIndex": rule_index,
        "level": LEVEL[str(f.severity)],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(f.root_file or f.file), "region": region}}],
        "partialFingerprints": {FINGERPRINT: f.id},
        "properties": {"category": f.category, "severity": str(f.severity)},
    }
    if len(f.spans) > 1:
        out["relatedLocations"] = [
            {"id": i, "message": {"text": "also part of this finding"},
             "physicalLocation": {"artifactLocation": artifact_location(f.root_file or f.file), "region": _span_region(s, lines)}}
            for i, s in enumerate(f.spans[1:], 1)]
    if f.suggestion:
        out["properties"]["suggestion"] = f.suggestion
    if f.fix is not None:
        out["fixes"] = [_fix(f)]
    if with_baseline:  # only findings missing from the baseline are reported
        out["baselineState"] = "new"
    return out


def _fix(f) -> dict:
    """The finding's fix as a SARIF fix (3.55): its edits as replacements in the one file, in the
    coordinates of the regions (a removed line ends at column 1 of the next one); whether
    ``--fix`` applies it alone or only with ``--unsafe-fixes`` is in its properties."""
    return {
        "description": {"text": f.fix.message},
        "artifactChanges": [{
            "artifactLocation": artifact_location(f.root_file or f.file),
            "replacements": [
                {"deletedRegion": {"startLine": e.span.line, "startColumn": e.span.column,
                                   "endLine": e.span.end_line, "endColumn": e.span.end_column},
                 "insertedContent": {"text": e.new_text}}
                for e in f.fix.edits],
        }],
        "properties": {"applicability": f.fix.applicability},
    }


def sarif_log(result) -> dict:
    codes = sorted(set(result.checks) | {f.check for f in result.findings})
    index = {code: i for i, code in enumerate(codes)}
    with_baseline = bool((result.summary_extras.get("gate") or {}).get("baseline"))
    lines = {d.path: d.lines for d in result.documents}
    notifications = [
        {"level": "error", "message": {"text": e.message},
         "locations": [{"physicalLocation": {"artifactLocation": artifact_location(result.path_of(e.file))}}]}
        for e in result.errors
    ]
    invocation = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run_extra = {}
    if getattr(result, "root", None) is not None:  # where %SRCROOT% is on this machine (SARIF 3.14.14)
        run_extra["originalUriBaseIds"] = {"%SRCROOT%": {"uri": result.root.path.as_uri() + "/"}}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "transaudit",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": HOMEPAGE,
                "rules": [_rule(code) for code in codes],
            }},
            "invocations": [invocation],
            "results": [_result(f, index[f.check], with_baseline, lines.get(f.file)) for f in result.findings],
            "columnKind": "unicodeCodePoints",
            "properties": {"signature": result.signature()},
            **run_extra,
        }],
    }


def render(result) -> str:
    from transaudit.terminal_text import json_text

    return json_text(json.dumps(sarif_log(result), ensure_ascii=False, indent=2)) + "\n"
