"""Offsets in a block's text -> :class:`~transaudit.model.Span` values in the file, and back.

A block's text (``Segment.translation``/``source``, ``Block.text``) is its lines with the layout
markers (``  • ``, ``    > ``, ``> ``, list bullets) removed, joined with ``"\\n"``; a parallel
file's cell is a CSV field (quotes doubled) or a JSON string (escapes). A check finds the
offending text as offsets in that text; :class:`TextMap` turns them into 1-based lines and
columns (code points of the decoded line, end exclusive) that point into ``Document.lines``.

Maps are built only when a finding needs one: the clean path of the checks never pays for them.
"""

from __future__ import annotations

import json
import re
from typing import Iterable, Sequence

from transaudit.model import Span
from transaudit.script import normalize


class TextMap:
    """Where each character of a text lies in the file's lines.

    ``text`` is split at ``"\\n"``; piece ``k`` is looked for on line ``first_line + k``. A piece
    that cannot be found on its line (the file changed, a text that is not verbatim) maps to
    nothing, and spans on it are dropped rather than pointed somewhere wrong.
    """

    __slots__ = ("first_line", "text", "pieces", "_piece_starts")

    def __init__(self, lines: Sequence[str], first_line: int, text: str):
        self.first_line = first_line
        self.text = text
        # per piece: (line number, raw column of each character and of the end) or None
        self.pieces: list[tuple[int, Sequence[int]] | None] = []
        self._piece_starts: list[int] = []
        offset = 0
        parts = text.split("\n")
        first_line = self.first_line = _start_line(lines, first_line, parts[0])
        for k, part in enumerate(parts):
            n = first_line + k
            line = lines[n - 1] if 1 <= n <= len(lines) else None
            columns = _columns_of(line, part) if line is not None else None
            self.pieces.append((n, columns) if columns is not None else None)
            self._piece_starts.append(offset)
            offset += len(part) + 1

    def spans(self, start: int, end: int, trim: bool = True) -> tuple[Span, ...]:
        """Spans of ``text[start:end]``, one per physical line it touches, blanks at the edges
        of each line left out when ``trim`` (not when the blanks are the offending text)."""
        out = []
        text = self.text
        for k, piece in enumerate(self.pieces):
            if piece is None:
                continue
            n, columns = piece
            p0 = self._piece_starts[k]
            a, b = max(start, p0), min(end, p0 + len(columns) - 1)
            while trim and a < b and text[a].isspace():
                a += 1
            while trim and b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                out.append(Span(n, columns[a - p0] + 1, n, columns[b - p0] + 1))
        return tuple(out)

    def offsets(self, span: Span) -> tuple[int, int] | None:
        """``(start, end)`` in the text of a one-line span, or None when it is not on the text."""
        k = span.line - self.first_line
        if not 0 <= k < len(self.pieces) or self.pieces[k] is None or span.end_line != span.line:
            return None
        columns = self.pieces[k][1]
        try:
            a = columns.index(span.column - 1)
            b = columns.index(span.end_column - 1)
        except ValueError:
            return None
        p0 = self._piece_starts[k]
        return p0 + a, p0 + b


_ROW_LINES = 50  # how far a CSV cell may start below its row's first line


def _start_line(lines: Sequence[str], first_line: int, part: str) -> int:
    """The line the text starts on: ``first_line`` for a digest block; in a parallel file a cell
    after a multi-line cell of the same row starts further down."""
    for n in range(first_line, min(first_line + _ROW_LINES, len(lines)) + 1):
        if _columns_of(lines[n - 1], part) is not None:
            return n
    return first_line


def _columns_of(line: str, part: str) -> Sequence[int] | None:
    """Raw 0-based column of each character of ``part`` in ``line`` (plus one for its end)."""
    if not part:
        return None
    stripped = line.rstrip()
    # Layout markers come before the text, so the text is the end of its line; searching from
    # the left could land inside the marker run ("> > x").
    if stripped.endswith(part):
        start = len(stripped) - len(part)
    else:
        start = line.find(part)
    if start >= 0:
        return range(start, start + len(part) + 1)  # indexable, and index() is O(1)
    if '"' in part:  # a CSV field with its quotes doubled
        start = line.find(part.replace('"', '""'))
        if start >= 0:
            out, col = [], start
            for ch in part:
                out.append(col)
                col += 2 if ch == '"' else 1
            return out + [col]
    return _json_columns(line, part)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_ESCAPE = re.compile(r'\\(?:u[0-9a-fA-F]{4}(?:\\u[0-9a-fA-F]{4})?|.)')


def _json_columns(line: str, part: str) -> list[int] | None:
    """Columns of ``part`` inside a JSON string literal of ``line`` (``\\u0939`` escapes...)."""
    if "\\" not in line:
        return None
    for m in _JSON_STRING.finditer(line):
        raw = m.group()
        try:
            decoded = json.loads(raw)
        except ValueError:
            continue
        at = decoded.find(part)
        if at < 0:
            continue
        columns, col, body = [], m.start() + 1, raw[1:-1]
        i = 0
        while i < len(body):
            esc = _JSON_ESCAPE.match(body, i) if body[i] == "\\" else None
            width = len(esc.group()) if esc else 1
            chars = len(json.loads(f'"{body[i:i + width]}"')) if esc else 1
            columns.append(col)
            columns.extend([col] * (chars - 1))  # a surrogate pair is one code point
            col += width
            i += width
        columns.append(col)
        return columns[at:at + len(part) + 1]
    return None


def text_spans(lines: Sequence[str], first_line: int | None, text: str | None,
               ranges: Iterable[tuple[int, int]], trim: bool = True) -> tuple[Span, ...]:
    """Spans of every ``(start, end)`` range of ``text``, a block starting on ``first_line``."""
    ranges = [(a, b) for a, b in ranges if b > a]
    if not text or first_line is None or not ranges:
        return ()
    tmap = TextMap(lines, first_line, text)
    out: list[Span] = []
    for a, b in sorted(ranges):
        out.extend(tmap.spans(a, b, trim))
    return tuple(dict.fromkeys(out))


# -- from the normalised form back to the text ----------------------------------------------------
def denormalize(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets in ``text`` of ``normalize(text)[start:end]`` (the content checks compare texts in
    that form): the same occurrence of the same characters, a blank there matching any run of
    blanks here (a line break inside "6 अरब"), or None when normalising changed the characters
    (NFC composed them, a zero-width character sat inside)."""
    norm = normalize(text)
    if norm == text:
        return start, end
    snippet = norm[start:end]
    if not snippet.strip():
        return None
    nth = _count(norm, snippet, start)
    pattern = re.compile(r"\s+".join(map(re.escape, snippet.split(" "))))
    for i, m in enumerate(pattern.finditer(text)):
        if i == nth:
            return m.span()
    return None


def _count(text: str, snippet: str, before: int) -> int:
    n, pos = 0, text.find(snippet)
    while 0 <= pos < before:
        n += 1
        pos = text.find(snippet, pos + 1)
    return n


_NAME_CHAR = r"[\w\u0900-\u097F]"


def token_ranges(text: str, token: str, *, fold: bool = False) -> list[tuple[int, int]]:
    """Every occurrence of ``token`` in ``text`` as a whole token (not inside a longer word:
    ``GPT-4`` is not found in ``GPT-45``)."""
    if not token or not token.strip():
        return []
    pattern = re.compile(rf"(?<!{_NAME_CHAR}){re.escape(token)}(?!{_NAME_CHAR})",
                         re.IGNORECASE if fold else 0)
    return [m.span() for m in pattern.finditer(text)]


_NAME_RUN = re.compile(rf"{_NAME_CHAR}+")
_MAX_RUNS = 8  # tokens of more word runs (rare) are searched one by one


def tokens_ranges(text: str, tokens: Iterable[str]) -> list[tuple[int, int]]:
    """:func:`token_ranges` of every token, in the order of ``tokens``, in one pass over
    ``text``: a whole token starts and ends at the edges of runs of word characters, so each
    run start is looked up for the token lengths (in runs) wanted, and the time is linear in
    the text however many tokens there are (a paragraph with hundreds of altered names)."""
    tokens = list(dict.fromkeys(t for t in tokens if t and t.strip()))
    by_runs: dict[int, set[str]] = {}
    slow = []
    for token in tokens:
        runs = _NAME_RUN.findall(token)
        whole = runs and token.startswith(runs[0]) and token.endswith(runs[-1])
        if whole and len(runs) <= _MAX_RUNS:
            by_runs.setdefault(len(runs), set()).add(token)
        else:
            slow.append(token)
    found: dict[str, list[tuple[int, int]]] = {t: [] for t in tokens}
    if by_runs:
        runs = [(m.start(), m.end()) for m in _NAME_RUN.finditer(text)]
        for i, (start, _) in enumerate(runs):
            for k, wanted in by_runs.items():
                if i + k <= len(runs):
                    end = runs[i + k - 1][1]
                    if text[start:end] in wanted:
                        found[text[start:end]].append((start, end))
    for token in slow:
        found[token] = token_ranges(text, token)
    return [r for t in tokens for r in found[t]]


def excerpt_spans(lines: Sequence[str], line: int, end_line: int, excerpt: str) -> tuple[Span, ...]:
    """Fallback for a finding whose check gives no spans: its excerpt on the finding's lines.

    Exact, then with any run of blanks matching any other; the first occurrence wins (an
    excerpt names the first instance of what a message describes). Nothing when not found.
    """
    words = excerpt.split()
    if not words:
        return ()
    last = max(line, end_line)
    region_lines = [lines[n - 1] if 1 <= n <= len(lines) else "" for n in range(line, last + 1)]
    region = "\n".join(region_lines)
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(rf"(?<!{_NAME_CHAR}){pattern}(?!{_NAME_CHAR})", region) or re.search(pattern, region)
    if not m:
        return ()
    tmap = TextMap(lines, line, region)
    return tmap.spans(m.start(), m.end())


def pair_spans(lines: Sequence[str], pair, side: str, ranges: Iterable[tuple[int, int]],
               trim: bool = True) -> tuple[Span, ...]:
    """Spans of ``ranges`` of one side (``"translation"`` or ``"source"``) of a pair."""
    if side == "translation":
        return text_spans(lines, pair.translation_line, pair.translation, ranges, trim)
    return text_spans(lines, pair.source_line, pair.source, ranges, trim)


def normalized_spans(lines: Sequence[str], pair, side: str, ranges: Iterable[tuple[int, int]]) -> tuple[Span, ...]:
    """Like :func:`pair_spans` for offsets in the side's :func:`~transaudit.script.normalize` form."""
    text = (pair.translation if side == "translation" else pair.source) or ""
    found = [denormalize(text, a, b) for a, b in ranges]
    return pair_spans(lines, pair, side, [r for r in found if r])
