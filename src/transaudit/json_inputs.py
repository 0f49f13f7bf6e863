"""The shape of every JSON input, checked before anything uses it.

Saved results (``transaudit report``), baselines, waivers and score-cache rows are each described by a JSON Schema below and validated with ``jsonschema``
(a well-kept library; a hand-written walk would drift from the documented format). The first
problem found becomes one line naming the file, the field as a path (``findings[3].excerpt``)
and what is wrong with it; nothing downstream has to guard against a list where a dict belongs.

Beyond what a schema can say: a saved result's ``schema_version`` must be one this version reads
(1 or 2), and a pair's line range must fit its own text (``line`` 1 with ``end_line``
30,000,000 is refused rather than walked).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

RESULT_VERSIONS = (1, 2)  # what `transaudit report` and `eval` read (docs/json-schema.md)
MAX_LINE = 2**31 - 1  # a line or column beyond this is no digest's

_LINE = {"type": "integer", "minimum": 1, "maximum": MAX_LINE}
_LINE_OR_NULL = {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_LINE}
_TEXT_OR_NULL = {"type": ["string", "null"]}
_NUMBER_OR_NULL = {"type": ["number", "null"]}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_SPAN = {"type": "object", "required": ["line", "column", "end_line", "end_column"],
         "properties": {"line": _LINE, "column": _LINE, "end_line": _LINE, "end_column": _LINE}}

_CHUNK = {"type": "object", "required": ["score"],
          "properties": {"source": {"type": "string"}, "translation": {"type": "string"},
                         "score": {"type": "number"}, "tokens": {"type": "integer", "minimum": 0},
                         "truncated": {"type": "boolean"}}}

_FINDING = {
    "type": "object",
    "required": ["id", "file", "line", "check", "category", "severity", "message"],
    "properties": {
        "id": {"type": "string", "minLength": 1}, "file": {"type": "string"}, "line": _LINE,
        "end_line": _LINE_OR_NULL, "column": _LINE_OR_NULL, "end_column": _LINE_OR_NULL,
        "check": {"type": "string"}, "category": {"type": "string"},
        "severity": {"enum": ["error", "warning", "info"]}, "message": {"type": "string"},
        "excerpt": _TEXT_OR_NULL, "suggestion": _TEXT_OR_NULL, "paper": _TEXT_OR_NULL,
        "section": _TEXT_OR_NULL, "spans": {"type": "array", "items": _SPAN},
        "fix": {"type": ["object", "null"], "required": ["applicability", "message", "edits"],
                "properties": {"applicability": {"enum": ["safe", "unsafe"]}, "message": {"type": "string"},
                               "edits": {"type": "array", "items": {
                                   **_SPAN, "required": [*_SPAN["required"], "new_text"],
                                   "properties": {**_SPAN["properties"], "new_text": {"type": "string"}}}}}},
    },
}

_COMET = {
    "type": ["object", "null"],
    "properties": {
        "model": _TEXT_OR_NULL, "score": _NUMBER_OR_NULL, "chunks": {"type": "array", "items": _CHUNK},
        "cached": {"type": "boolean"}, "signature": _TEXT_OR_NULL,
        "weakest_chunk": {"type": ["integer", "null"], "minimum": 0}, "truncated": {"type": "boolean"},
        "raw_score": _NUMBER_OR_NULL, "score_capped": {"type": "boolean"}, "capped_by": _STRINGS,
    },
}

_PAIR = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string"}, "index": {"type": "integer", "minimum": 0},
        "line": _LINE_OR_NULL, "end_line": _LINE_OR_NULL,
        "source_line": _LINE_OR_NULL, "source_end_line": _LINE_OR_NULL,
        "paper": _TEXT_OR_NULL, "section": _TEXT_OR_NULL,
        "source": _TEXT_OR_NULL, "translation": _TEXT_OR_NULL, "comet": _COMET,
    },
}

RESULT_SCHEMA = {
    "type": "object",
    "required": ["schema_version", "findings", "pairs"],
    "properties": {
        "schema_version": {"type": "integer"},
        "tool": {"type": "object", "properties": {
            "name": {"type": "string"}, "version": {"type": "string"}, "checks": _STRINGS,
            "signature": {"type": "string"}}},
        "findings": {"type": "array", "items": _FINDING},
        "pairs": {"type": "array", "items": _PAIR},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["file", "message"],
            "properties": {"file": {"type": "string"}, "message": {"type": "string"}}}},
        "summary": {"type": "object", "properties": {
            "signature": {"type": "string"},
            "comet": {"type": ["object", "null"], "properties": {
                "model": _TEXT_OR_NULL, "min_score": _NUMBER_OR_NULL, "signature": _TEXT_OR_NULL}}}},
    },
}

BASELINE_SCHEMA = {
    "type": "object",
    "required": ["version", "findings"],
    "properties": {
        "version": {"const": 1}, "tool": {"type": "string"},
        "findings": {"type": "array", "items": {
            "type": "object", "required": ["id"],
            "properties": {"id": {"type": "string", "minLength": 1}, "file": {"type": "string"},
                           "line": _LINE_OR_NULL, "check": {"type": "string"}, "category": {"type": "string"},
                           "message": {"type": "string"}}}},
    },
}

WAIVERS_SCHEMA = {
    "type": "object",
    "required": ["version", "waivers"],
    "properties": {
        "version": {"const": 1}, "tool": {"type": "string"}, "exported": {"type": "string"},
        "waivers": {"type": "array", "items": {
            "type": "object", "required": ["id"],
            "properties": {"id": {"type": "string", "pattern": r"\S"},
                           "decision": {"enum": ["not_a_mistake", "confirmed"]},
                           "file": _TEXT_OR_NULL, "line": _LINE_OR_NULL, "category": _TEXT_OR_NULL,
                           "excerpt": _TEXT_OR_NULL, "note": _TEXT_OR_NULL}}},
    },
}

CACHE_ROW_SCHEMA = {
    "type": "object",
    "required": ["score", "chunks"],
    "properties": {"score": {"type": "number"}, "chunks": {"type": "array", "items": _CHUNK},
                   "weakest_chunk": {"type": "integer", "minimum": 0}, "truncated": {"type": "boolean"}},
}


class JSONShapeError(ValueError):
    """A JSON input of the wrong shape; ``str(exc)`` is one line: file, field, cause."""


@lru_cache(maxsize=None)
def _validator(name: str):
    import jsonschema
    from jsonschema import validators

    base = jsonschema.Draft202012Validator
    # JSON's 1.0 is a float here, and a float line number breaks range(); bool is no integer.
    checker = base.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool))
    cls = validators.extend(base, type_checker=checker)
    return cls(globals()[name])


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_KIND = {"string": "a string", "integer": "an integer", "number": "a number", "object": "an object",
         "array": "a list", "boolean": "true or false", "null": "null"}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def field_path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top level"


def _describe(error) -> tuple[str, str]:
    """(field path, what is wrong) for one jsonschema error."""
    where = list(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = next((k for k in expected if not isinstance(value, dict) or k not in value), "?")
        return field_path(where + [missing]), "is missing"
    if kind == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        return field_path(where), f"must be {' or '.join(_KIND.get(n, n) for n in names)}, not {_json_type(value)}"
    if kind == "enum":
        return field_path(where), f"must be one of {', '.join(map(str, expected))}, not {_short(value)}"
    if kind == "const":
        return field_path(where), f"must be {expected!r}, not {_short(value)}"
    if kind == "minimum":
        return field_path(where), f"must be at least {expected}, not {_short(value)}"
    if kind == "maximum":
        return field_path(where), f"must be at most {expected}, not {_short(value)}"
    if kind in ("minLength", "pattern"):
        return field_path(where), "must not be empty"
    return field_path(where), " ".join(error.message.split())[:120]


def shape_problem(schema: str, data: Any) -> str | None:
    """``field: cause`` for the first place ``data`` breaks the named schema, or None."""
    try:
        error = next(iter(_validator(schema).iter_errors(data)), None)
    except RecursionError:
        return "the top level: nested too deeply"
    if error is None:
        return None
    where, what = _describe(error)
    return f"{where} {what}"


def _check(schema: str, data: Any, source: str, what: str) -> None:
    problem = shape_problem(schema, data)
    if problem:
        raise JSONShapeError(f"{source}: not a {what} ({problem})")


def check_result(data: Any, source: str) -> None:
    """Raise :class:`JSONShapeError` unless ``data`` is a saved result this version can show."""
    if isinstance(data, dict) and "schema_version" in data and data["schema_version"] not in RESULT_VERSIONS:
        raise JSONShapeError(f"{source}: unsupported schema_version {_short(data['schema_version'])} "
                             f"(this transaudit reads {' and '.join(map(str, RESULT_VERSIONS))})")
    _check("RESULT_SCHEMA", data, source, "transaudit JSON result")
    for n, pair in enumerate(data["pairs"]):
        for first, last, text in (("line", "end_line", "translation"), ("source_line", "source_end_line", "source")):
            problem = _range_problem(pair.get(first), pair.get(last), pair.get(text))
            if problem:
                raise JSONShapeError(f"{source}: not a transaudit JSON result (pairs[{n}].{last} {problem})")
    for n, finding in enumerate(data["findings"]):
        if finding.get("end_line") is not None and finding["end_line"] < finding["line"]:
            raise JSONShapeError(f"{source}: not a transaudit JSON result (findings[{n}].end_line "
                                 f"{finding['end_line']} is before its line {finding['line']})")


def _range_problem(first, last, text) -> str | None:
    if first is None or last is None:
        return None
    if last < first:
        return f"{last} is before its first line {first}"
    lines = (text or "").count("\n") + 1
    if last - first + 1 > lines:
        return f"{last}: the range {first}-{last} is longer than its text ({lines} line(s))"
    return None


def check_baseline(data: Any, source: str) -> None:
    _check("BASELINE_SCHEMA", data, source, "transaudit baseline")


def check_waivers(data: Any, source: str) -> None:
    _check("WAIVERS_SCHEMA", data, source, "waivers file")


def cache_row_problem(data: Any) -> str | None:
    """Why a score-cache row cannot be used (then it counts as a miss and is scored again)."""
    problem = shape_problem("CACHE_ROW_SCHEMA", data)
    if problem is None and len(data["chunks"]) > 1:
        weakest = data.get("weakest_chunk")
        if not isinstance(weakest, int) or weakest >= len(data["chunks"]):
            problem = "weakest_chunk is not the index of a chunk"
    return problem
