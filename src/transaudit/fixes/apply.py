"""Apply findings' fixes to a file's text: never two that overlap, the file in its own encoding.

The edits of a fix go in together or not at all. Fixes are taken in the order of where they
start; one that overlaps an edit already taken waits for the next run (its finding is still
reported after the fix). Writing keeps the file's encoding (UTF-8, with its BOM if it had one,
or UTF-16 with its BOM), its line endings and its mode, and replaces it atomically; a file that
changed since it was read is left alone.
"""

from __future__ import annotations

import bisect
import codecs
import os
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from transaudit.fixes.build import SAFE
from transaudit.model import Finding


def wanted(finding: Finding, unsafe: bool) -> bool:
    """Whether ``--fix`` (``unsafe``: with ``--unsafe-fixes``) applies this finding's fix."""
    return finding.fix is not None and (finding.fix.applicability == SAFE or unsafe)


@dataclass
class FilePlan:
    """What fixing one file does: the findings fixed, those that wait, the text before and after."""

    path: str
    old_text: str
    new_text: str
    fixed: list[Finding] = field(default_factory=list)
    waiting: list[Finding] = field(default_factory=list)
    ranges: list[tuple[int, int, str]] = field(default_factory=list)  # the edits taken, as offsets

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text


def line_starts(text: str) -> list[int]:
    """Offset of the first character of every line (lines split on LF, as the parser does)."""
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _offset(text: str, starts: Sequence[int], line: int, column: int) -> int | None:
    """Offset of a (line, column) position; column 1 of the line after the last is the end."""
    if line == len(starts) + 1 and column == 1:
        return len(text)
    if not 1 <= line <= len(starts):
        return None
    start = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(text)
    if end > start and text[end - 1] == "\r":
        end -= 1  # columns count the line without its CR
    at = start + column - 1
    return at if start <= at <= end or (column == 1 and at == start) else None


def edit_ranges(text: str, starts: Sequence[int], edits, first_line: int = 1) -> list[tuple[int, int, str]] | None:
    """Edits as ``(start, end, new_text)`` offsets of ``text`` (whose first line is line
    ``first_line`` of the file), or None when one is off the text."""
    out = []
    shift = first_line - 1
    for edit in edits:
        a = _offset(text, starts, edit.span.line - shift, edit.span.column)
        b = _offset(text, starts, edit.span.end_line - shift, edit.span.end_column)
        if a is None or b is None or b < a:
            return None
        out.append((a, b, edit.new_text))
    return sorted(out)


def _within(finding: Finding) -> bool:
    """Whether every edit starts on the finding's own lines (a fix is never applied elsewhere,
    whatever located it)."""
    last = max(finding.line, finding.end_line)
    return all(finding.line <= e.span.line <= last for e in finding.fix.edits)


class _Taken:
    """Non-overlapping ranges taken so far, sorted, for bisect look-ups."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def clashes(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.starts, a)
        # the range starting at or before a, and the one starting after it
        if i and (self.ends[i - 1] > a or (self.starts[i - 1] == a == self.ends[i - 1] == b)):
            return True
        return i < len(self.starts) and self.starts[i] < b

    def add(self, a: int, b: int) -> None:
        i = bisect.bisect_right(self.starts, a)
        self.starts.insert(i, a)
        self.ends.insert(i, b)


def plan_file(path: str, text: str, findings: Iterable[Finding], unsafe: bool = False) -> FilePlan:
    """Choose the fixes of one file's findings and build its fixed text."""
    starts = line_starts(text)
    candidates = []
    for f in findings:
        if not wanted(f, unsafe) or not _within(f):
            continue
        ranges = edit_ranges(text, starts, f.fix.edits)
        if ranges:
            candidates.append((ranges[0][0], len(candidates), f, ranges))
    plan = FilePlan(path, text, text)
    taken = _Taken()
    chosen: list[tuple[int, int, str]] = []
    for _, _, f, ranges in sorted(candidates, key=lambda c: (c[0], c[1])):
        own_overlap = any(b1 > a2 for (_, b1, _), (a2, _, _) in zip(ranges, ranges[1:]))
        if own_overlap or any(taken.clashes(a, b) for a, b, _ in ranges):
            plan.waiting.append(f)
            continue
        for a, b, new in ranges:
            taken.add(a, b)
        chosen.extend(ranges)
        plan.fixed.append(f)
    plan.ranges = sorted(chosen, key=lambda r: (r[0], r[1]))
    plan.new_text = apply_ranges(text, plan.ranges)
    return plan


def apply_ranges(text: str, ranges: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with every non-overlapping ``(start, end, new_text)`` replaced."""
    pieces, pos = [], 0
    for a, b, new in sorted(ranges, key=lambda r: (r[0], r[1])):
        pieces += [text[pos:a], new]
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


# -- the file on disk ---------------------------------------------------------------------------
class FileChanged(ValueError):
    """The file is not what was audited (edited meanwhile, or unreadable now)."""


def read_for_fix(path: str, lines: Sequence[str]) -> tuple[str, str]:
    """The file's decoded text and how to encode it again, checked against the audited ``lines``."""
    from transaudit.parsing.decode import DecodeProblem, decode_bytes, split_lines
    from transaudit.parsing.loader import ReadProblem, read_bytes

    try:
        data = read_bytes(path)
        text = decode_bytes(data)
    except (ReadProblem, DecodeProblem) as exc:
        raise FileChanged(str(exc)) from None
    if split_lines(text) != list(lines):
        raise FileChanged("changed since it was read; not fixed")
    if data.startswith(codecs.BOM_UTF16_LE):
        encoding = "utf-16-le"
    elif data.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16-be"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    if text.startswith("\ufeff"):  # decode_bytes leaves a UTF-16 BOM in the text
        text = text[1:]
    return text, encoding


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)


def write_fixed(path: str, text: str, encoding: str) -> None:
    """Replace the file (through a symlink: its target) atomically, keeping its mode."""
    from transaudit.fileio import write_atomic

    write_atomic(os.path.realpath(path), encode(text, encoding))
