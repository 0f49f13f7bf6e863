"""``--format jsonl``: one JSON object per line, each finding written as soon as it is found.

Every line has a ``type``. ``"finding"`` lines carry exactly the fields of a finding in the JSON
format (``id``, ``file``, ``line`` ... ``fix``), in report order; the **last** line is the one
``"summary"`` line: ``schema_version``, ``tool``, ``errors`` (files that could not be read) and
``summary`` (the JSON format's summary, plus ``stream``: what the streaming run used). A file cut
short (a killed run) therefore has no summary line, and every line before the cut is whole.
"""

from __future__ import annotations

import json

from transaudit.terminal_text import json_text


def finding_line(finding) -> str:
    # json_text: a non-UTF-8 file name as \\xe9, bidi overrides and C1 controls escaped
    return json_text(json.dumps({"type": "finding", **finding.to_dict()}, ensure_ascii=False)) + "\n"


def summary_line(schema_version: int, tool: dict, errors: list[dict], summary: dict) -> str:
    return json_text(json.dumps({"type": "summary", "schema_version": schema_version, "tool": tool,
                                 "errors": errors, "summary": summary}, ensure_ascii=False)) + "\n"


def render(result) -> str:
    """The same lines for a result held in memory (``transaudit check`` streams them instead)."""
    data = result.to_dict()
    return "".join(finding_line(f) for f in result.findings) + summary_line(
        data["schema_version"], data["tool"], data["errors"], data["summary"])
