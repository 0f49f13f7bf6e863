"""Waivers: reviewer decisions exported by the HTML report, applied by ``check --waivers FILE``.

The file is JSON, version 1::

    {
      "version": 1,
      "tool": "transaudit",
      "exported": "2024-05-01T10:00:00Z",           # optional, informative
      "waivers": [
        {"id": "3f9c0a1b2c3d4e5f",                  # the finding's fingerprint (required)
         "decision": "not_a_mistake",               # or "confirmed" (required)
         "file": "digests/901.txt", "line": 12,     # where it was, for people reading the file
         "category": "untranslated_fragment",
         "excerpt": "that the model",
         "note": ""}
      ]
    }

Only ``not_a_mistake`` entries suppress findings; ``confirmed`` entries are kept so that a
reviewer's triage survives a round trip, and never count as unused. Fingerprints do not depend on
line numbers, so a waiver keeps working when lines above the finding move.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Iterable, Sequence

from transaudit.fileio import ReadError, read_json_file

WAIVERS_VERSION = 1
WAIVE = "not_a_mistake"
CONFIRM = "confirmed"
DECISIONS = (WAIVE, CONFIRM)


class WaiversError(ValueError):
    """A waivers file that cannot be used; the message names the file and the cause."""


@dataclass(frozen=True)
class Waiver:
    id: str
    decision: str = WAIVE
    file: str = ""
    line: int | None = None
    category: str = ""
    excerpt: str = ""
    note: str = ""

    @property
    def waives(self) -> bool:
        return self.decision == WAIVE

    def to_dict(self) -> dict:
        return asdict(self)


def parse_waivers(data: object, source: str = "<waivers>") -> list[Waiver]:
    """Validate the decoded JSON of a waivers file; raise WaiversError naming ``source``."""
    if not isinstance(data, dict):
        raise WaiversError(f"{source}: not a waivers file (expected a JSON object)")
    if data.get("version") != WAIVERS_VERSION:
        raise WaiversError(f"{source}: unsupported waivers version {data.get('version')!r} "
                           f"(expected {WAIVERS_VERSION})")
    entries = data.get("waivers")
    if not isinstance(entries, list):
        raise WaiversError(f"{source}: 'waivers' must be a list")
    out = []
    for n, entry in enumerate(entries, 1):
        where = f"{source}: waiver {n}"
        if not isinstance(entry, dict):
            raise WaiversError(f"{where}: expected an object")
        wid = entry.get("id")
        if not isinstance(wid, str) or not wid.strip():
            raise WaiversError(f"{where}: missing 'id' (the finding's fingerprint)")
        decision = entry.get("decision", WAIVE)
        if decision not in DECISIONS:
            raise WaiversError(f"{where}: unknown decision {decision!r} (use {' or '.join(DECISIONS)})")
        line = entry.get("line")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
            raise WaiversError(f"{where}: 'line' must be an integer")
        texts = {}
        for key in ("file", "category", "excerpt", "note"):
            value = entry.get(key) or ""
            if not isinstance(value, str):
                raise WaiversError(f"{where}: '{key}' must be a string")
            texts[key] = value
        out.append(Waiver(id=wid.strip(), decision=decision, line=line, **texts))
    from transaudit.json_inputs import JSONShapeError, check_waivers

    try:  # what the checks above do not name (a line of 0, a version of the wrong type ...)
        check_waivers(data, source)
    except JSONShapeError as exc:
        raise WaiversError(str(exc)) from None
    return out


def load_waivers(path: str | os.PathLike) -> list[Waiver]:
    """Read a waivers file; every problem is a one-line WaiversError naming the file."""
    try:
        data = read_json_file(path, "waivers file")
    except ReadError as exc:
        raise WaiversError(str(exc)) from None
    return parse_waivers(data, str(path))


def _waived_ids(waivers: Iterable[Waiver]) -> set[str]:
    return {w.id for w in waivers if w.waives}


def _finding_id(finding) -> str:
    return finding["id"] if isinstance(finding, dict) else finding.id


def apply_waivers(findings: Sequence, waivers: Iterable[Waiver]) -> list:
    """The findings whose fingerprint is not waived (Finding objects or their dicts)."""
    waived = _waived_ids(waivers)
    return [f for f in findings if _finding_id(f) not in waived]


def unused_waivers(findings: Sequence, waivers: Iterable[Waiver]) -> list[Waiver]:
    """``not_a_mistake`` waivers that match no finding, so the file can be pruned."""
    present = {_finding_id(f) for f in findings}
    return [w for w in waivers if w.waives and w.id not in present]


def waivers_document(waivers: Iterable[Waiver], exported: str | None = None) -> dict:
    """The JSON object of a waivers file (what the HTML report's export writes)."""
    doc = {"version": WAIVERS_VERSION, "tool": "transaudit"}
    if exported:
        doc["exported"] = exported
    doc["waivers"] = [w.to_dict() for w in waivers]
    return doc


def apply_to_result(result, waivers: Sequence[Waiver], source: str) -> tuple[list[Waiver], dict[str, str]]:
    """Drop the waived findings from an audit result before any output or exit code.

    Returns the waivers that hid a finding in this run (an export from the report keeps them)
    and the ``confirmed`` decisions for findings still present (the report shows them).
    """
    before = list(result.findings)
    result.findings, carried, confirmed = partition(before, waivers)
    result.summary_extras["waivers"] = {
        "file": source,
        "waived": len(before) - len(result.findings),
        "unused": len(unused_waivers(before, waivers)),
    }
    return carried, confirmed


def partition(findings: Sequence, waivers: Sequence[Waiver]) -> tuple[list, list[Waiver], dict[str, str]]:
    """(findings kept, waivers that hid one of them, ``confirmed`` decisions on those kept);
    for Finding objects or their dicts."""
    present = {_finding_id(f) for f in findings}
    carried = [w for w in waivers if w.waives and w.id in present]
    confirmed = {w.id: w.decision for w in waivers if not w.waives and w.id in present}
    return apply_waivers(findings, waivers), carried, confirmed
