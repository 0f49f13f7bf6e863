"""What a fix changes, for people: a unified diff of a file, the before/after lines of one fix."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence

from transaudit.fixes.apply import apply_ranges, edit_ranges, line_starts
from transaudit.model import Edit, Span

CONTEXT = 40  # characters kept on each side of a change in a long line


def unified_diff(path: str, old_text: str, new_text: str) -> str:
    """``diff -u`` of the two texts, headed by ``path`` (empty when they are equal)."""
    if old_text == new_text:
        return ""
    old, new = old_text.splitlines(keepends=True), new_text.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(old, new, fromfile=path, tofile=path, lineterm="\n"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def edits_of(fix) -> list[Edit]:
    """A fix's edits, from a :class:`~transaudit.model.Fix` or its JSON form."""
    if isinstance(fix, dict):
        return [Edit(Span(e["line"], e["column"], e["end_line"], e["end_column"]), e["new_text"])
                for e in fix.get("edits") or []]
    return list(fix.edits)


def touched_lines(edits: Iterable[Edit]) -> tuple[int, int]:
    """First and last line the edits change (a removal that ends at column 1 ends the line before)."""
    edits = list(edits)
    first = min(e.span.line for e in edits)
    last = max(e.span.end_line - 1 if e.span.end_column == 1 and e.span.end_line > e.span.line
               else e.span.end_line for e in edits)
    return first, max(first, last)


@dataclass(frozen=True)
class BeforeAfter:
    """The lines a fix touches before and after it, cut to the change in long lines ("…")."""

    first_line: int
    before: list[str]
    after: list[str]


def before_after(lines: Sequence[str], fix) -> BeforeAfter | None:
    """What ``fix`` (a Fix or its JSON form) does to ``lines``; None when it does not apply."""
    edits = edits_of(fix) if fix else []
    if not edits:
        return None
    first, last = touched_lines(edits)
    if last > len(lines):
        return None
    before = list(lines[first - 1:last])
    region = "".join(line + "\n" for line in before)
    ranges = edit_ranges(region, line_starts(region), edits, first)
    if ranges is None:
        return None
    after = apply_ranges(region, ranges).split("\n")[:-1]
    if len(before) == len(after) == 1:
        before, after = _cut(before[0], after[0], [(a, b, new) for a, b, new in ranges])
    elif not after:
        before = [_short(line) for line in before]
    return BeforeAfter(first, before, after)


def _cut(old: str, new: str, ranges) -> tuple[list[str], list[str]]:
    """One changed line, kept to the changes and about ``CONTEXT`` characters around them, cut
    at blanks (a cut inside a word could split an akshara)."""
    start = max(0, min(a for a, _, _ in ranges) - CONTEXT)
    if start:
        start = old.rfind(" ", 0, start) + 1
    old_end = max(b for _, b, _ in ranges) + CONTEXT
    blank = old.find(" ", old_end)
    old_end = len(old) if old_end >= len(old) or blank < 0 else blank
    new_end = old_end + len(new) - len(old)
    head = "…" if start > 0 else ""
    return [head + old[start:old_end] + ("…" if old_end < len(old) else "")], \
           [head + new[start:new_end] + ("…" if new_end < len(new) else "")]


def _short(line: str, limit: int = 2 * CONTEXT + 40) -> str:
    """A removed line, its opening only when it is long."""
    if len(line) <= limit:
        return line
    blank = line.rfind(" ", 0, limit)
    return line[:blank if blank > 0 else limit] + "…"
