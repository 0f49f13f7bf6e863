"""What a fix changes, for people: a unified diff of a file, the before/after lines of one fix."""

from __future__ import annotations

import difflib
from typing import Sequence

from transaudit.fixes.apply import apply_ranges, edit_ranges, line_starts
from transaudit.model import Finding, Fix


def unified_diff(path: str, old_text: str, new_text: str) -> str:
    """``diff -u`` of the two texts, headed by ``path`` (empty when they are equal)."""
    if old_text == new_text:
        return ""
    old, new = old_text.splitlines(keepends=True), new_text.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(old, new, fromfile=path, tofile=path, lineterm="\n"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def touched_lines(fix: Fix) -> tuple[int, int]:
    """First and last line a fix changes (a removal that ends at column 1 ends the line before)."""
    first = min(e.span.line for e in fix.edits)
    last = max(e.span.end_line - 1 if e.span.end_column == 1 and e.span.end_line > e.span.line
               else e.span.end_line for e in fix.edits)
    return first, max(first, last)


def before_after(lines: Sequence[str], finding: Finding) -> tuple[list[str], list[str]] | None:
    """The lines a finding's fix touches, before and after it (None when it does not apply)."""
    if finding.fix is None:
        return None
    first, last = touched_lines(finding.fix)
    if last > len(lines):
        return None
    before = list(lines[first - 1:last])
    region = "".join(line + "\n" for line in before)
    ranges = edit_ranges(region, line_starts(region), finding.fix.edits, first)
    if ranges is None:
        return None
    after = apply_ranges(region, ranges).split("\n")[:-1]
    return before, after
