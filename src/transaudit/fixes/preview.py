"""What a fix changes, for people: a unified diff of a file, the before/after lines of one fix."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence

from transaudit.fixes.apply import apply_ranges, edit_ranges, line_starts
from transaudit.model import Edit, Span

CONTEXT = 40  # characters kept on each side of a change in a long line


def unified_diff(path: str, old_text: str, new_text: str, ranges=None) -> str:
    """``diff -u`` of the two texts, headed by ``path`` (empty when they are equal).

    With ``ranges`` (the ``(start, end, new_text)`` edits that made ``new_text``) the hunks are
    built from the edits themselves: the lines they touch out, the lines they make in, three
    lines of context; linear in the file (difflib over a whole file of similar lines is not)."""
    if old_text == new_text:
        return ""
    if ranges is None:
        out = []
        for line in difflib.unified_diff(old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                         fromfile=path, tofile=path, lineterm="\n"):
            out.append(_terminated(line))
        return "".join(out)
    old_lines = old_text.splitlines(keepends=True)
    starts = line_starts(old_text)
    runs = _runs(old_text, starts, ranges)
    out, shift, i = [f"--- {path}\n", f"+++ {path}\n"], 0, 0
    while i < len(runs):
        j = i
        while j + 1 < len(runs) and runs[j + 1][0] - runs[j][1] - 1 <= 2 * CONTEXT_LINES:
            j += 1
        first, last = max(runs[i][0] - CONTEXT_LINES, 1), min(runs[j][1] + CONTEXT_LINES, len(old_lines))
        body, pos, added = [], first, 0
        for la, lb, new in runs[i:j + 1]:
            body += [" " + line for line in old_lines[pos - 1:la - 1]]
            body += ["-" + line for line in old_lines[la - 1:lb]]
            body += ["+" + line for line in new]
            added += len(new) - (lb - la + 1)
            pos = lb + 1
        body += [" " + line for line in old_lines[pos - 1:last]]
        old_len, new_len = last - first + 1, last - first + 1 + added
        new_first = first + shift if new_len else first + shift - 1
        out.append(f"@@ -{first},{old_len} +{new_first},{new_len} @@\n")
        out += [_terminated(line) for line in body]
        shift += added
        i = j + 1
    return "".join(out)


CONTEXT_LINES = 3


def _terminated(line: str) -> str:
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def _runs(text: str, starts, ranges) -> list[tuple[int, int, list[str]]]:
    """Runs of touched lines: ``(first line, last line, the lines the edits make of them)``."""
    import bisect

    merged: list[list] = []
    lines = len(starts) - (1 if text.endswith("\n") else 0)  # the empty "line" after a final LF is none
    for a, b, new in sorted(ranges, key=lambda r: (r[0], r[1])):
        if a == b and not new:
            continue  # changes nothing
        first = min(bisect.bisect_right(starts, a), lines)
        last = min(bisect.bisect_right(starts, max(a, b - 1)), lines)
        if merged and first <= merged[-1][1] + 1 and (first <= merged[-1][1] or a <= merged[-1][3]):
            merged[-1][1] = max(merged[-1][1], last)
            merged[-1][2].append((a, b, new))
            merged[-1][3] = max(merged[-1][3], b)
        else:
            merged.append([first, last, [(a, b, new)], b])
    out = []
    k = 0
    while k < len(merged):
        first, last, edits, _ = merged[k]
        k += 1
        while True:
            base = starts[first - 1]
            end = starts[last] if last < len(starts) else len(text)
            piece = apply_ranges(text[base:end], [(x - base, y - base, t) for x, y, t in edits])
            if piece.endswith("\n") or end >= len(text):
                break
            # the edits leave the run's last line unterminated: the next line joins it
            last += 1
            while k < len(merged) and merged[k][0] <= last:
                last = max(last, merged[k][1])
                edits = edits + merged[k][2]
                k += 1
        out.append((first, last, piece.splitlines(keepends=True)))
    return out


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
