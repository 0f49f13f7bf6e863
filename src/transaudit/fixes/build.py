"""Fixes as checks build them: edits in the coordinates of :class:`~transaudit.model.Span`.

An edit replaces the text between two positions (1-based line and column, code points of the
decoded line, end exclusive) with new text. Removing whole lines ends at column 1 of the line
after the last one removed (one past the last line of the file when it is the last). A fix is
built only when every edit lands verbatim on the file's lines; otherwise there is none rather
than one that points somewhere wrong.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from transaudit.locate import TextMap, denormalize
from transaudit.model import Document, Edit, Fix, Span

SAFE, UNSAFE = "safe", "unsafe"


def text_fix(lines: Sequence[str], first_line: int | None, text: str | None,
             replacements: Iterable[tuple[int, int, str]], message: str,
             applicability: str = SAFE) -> Fix | None:
    """A fix replacing ``text[a:b]`` with ``new`` for each ``(a, b, new)``; ``text`` is a block's
    text starting on ``first_line`` (see :mod:`transaudit.locate`)."""
    replacements = sorted(replacements)
    if not text or first_line is None or not replacements:
        return None
    tmap = TextMap(lines, first_line, text)
    edits = []
    for a, b, new in replacements:
        span = _one_line_span(tmap, a, b)
        if span is None:
            return None
        edits.append(Edit(span, new))
    return Fix(applicability, message, tuple(edits))


def normalized_text_fix(lines: Sequence[str], first_line: int | None, text: str | None,
                        replacements: Iterable[tuple[int, int, str]], message: str,
                        applicability: str = SAFE) -> Fix | None:
    """:func:`text_fix` for offsets in ``script.normalize(text)`` (how content checks read it)."""
    if not text:
        return None
    found = []
    for a, b, new in replacements:
        hit = denormalize(text, a, b)
        if hit is None:
            return None
        found.append((*hit, new))
    return text_fix(lines, first_line, text, found, message, applicability)


def _one_line_span(tmap: TextMap, a: int, b: int) -> Span | None:
    """The span of ``text[a:b]`` when it lies verbatim on one line."""
    if b <= a:
        return None
    spans = tmap.spans(a, b, trim=False)
    if len(spans) != 1 or tmap.offsets(spans[0]) != (a, b):
        return None
    return spans[0]


def delete_lines_fix(lines: Sequence[str], first: int, last: int, message: str) -> Fix | None:
    """Remove lines ``first``..``last`` whole; when blank lines surround them, one of those blanks
    goes too, so the blocks around stay separated by one blank line, as before."""
    if not 1 <= first <= last <= len(lines):
        return None
    blank_before = first == 1 or not lines[first - 2].strip()
    end = last + 1
    if blank_before and end <= len(lines) and not lines[end - 1].strip():
        end += 1
    return Fix(SAFE, message, (Edit(Span(first, 1, end, 1), ""),))


def quote_prefix(doc: Document) -> str:
    """How this digest writes a quote marker: the most common run before a quote line's text
    (``"    > "`` in the text layout, ``"> "`` in Markdown), or the layout's usual one."""
    seen: Counter = Counter()
    for block in doc.blocks:
        if block.kind.value != "quote":
            continue
        raw = doc.line_text(block.line)
        at = raw.find(">")
        if at >= 0 and not raw[:at].strip():
            seen[raw[:at + 1] + (" " if raw[at + 1:at + 2] == " " or not raw[at + 1:] else "")] += 1
    if seen:
        prefix = seen.most_common(1)[0][0]
        return prefix if prefix.endswith(" ") else prefix + " "
    return "> " if doc.layout == "markdown" else "    > "


def quote_marker_fix(doc: Document, first: int, last: int, prefix: str | None = None) -> Fix | None:
    """Give lines ``first``..``last`` (an English original without its marker) the digest's own
    quote marker, in place of their indentation."""
    if doc.layout not in ("text", "markdown") or not 1 <= first <= last <= len(doc.lines):
        return None
    prefix = prefix or quote_prefix(doc)
    edits = []
    for n in range(first, last + 1):
        line = doc.lines[n - 1]
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        edits.append(Edit(Span(n, 1, n, indent + 1), prefix))
    if not edits:
        return None
    return Fix(SAFE, f"add the quote marker '{prefix.strip()} '", tuple(edits))
