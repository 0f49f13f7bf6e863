"""In-document suppressions for Markdown digests (HTML comments, invisible when rendered).

``<!-- transaudit: ignore untranslated_fragment -->`` on a line of its own silences that check
(a code or a category; several separated by commas; none means every check) for the next
paragraph: the lines from the next non-blank line up to the following blank line.
``<!-- transaudit: disable TA204 -->`` ... ``<!-- transaudit: enable TA204 -->`` silences it for
a range of lines; a ``disable`` without ``enable`` runs to the end of the file.

A suppression that silences nothing is dead weight that would hide the next real mistake at that
place, so each one is reported as an ``unused_suppression`` (TA901, info) finding, with the
reason: nothing to suppress, a check that is not enabled in this run, an unknown check name, or an
``enable`` without a ``disable``. Those findings exist only when TA901 itself is selected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from transaudit.model import Document, Finding

UNUSED_CODE = "TA901"
ALL = "*"
# The whole line is the comment: a directive inside text would be part of what checks read.
_DIRECTIVE = re.compile(r"^\s*<!--\s*transaudit\s*:\s*(?P<verb>[A-Za-z_-]+)\s*(?P<names>[^>]*?)\s*-->\s*$")
VERBS = ("ignore", "disable", "enable")


@dataclass
class Directive:
    verb: str
    names: tuple[str, ...]  # as written; (ALL,) when none given
    line: int
    text: str
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # (name, first, last line)
    used: set[str] = field(default_factory=set)  # names that silenced at least one finding
    problem: str | None = None  # why it cannot work at all (bad verb, enable without disable)


def parse_directives(doc: Document) -> list[Directive]:
    """Directives of a Markdown document, with the line spans each name covers."""
    if doc.layout != "markdown":
        return []
    directives: list[Directive] = []
    open_ranges: dict[str, tuple[Directive, int]] = {}  # name -> (disable directive, first line)
    for number, text in enumerate(doc.lines, 1):
        if "transaudit" not in text:
            continue
        match = _DIRECTIVE.match(text)
        if not match:
            continue
        names = tuple(n for n in re.split(r"[\s,]+", match["names"]) if n) or (ALL,)
        d = Directive(verb=match["verb"].lower(), names=names, line=number, text=text.strip())
        directives.append(d)
        if d.verb == "ignore":
            first, last = _next_paragraph(doc.lines, number)
            if first is None:
                d.problem = "no paragraph follows it"
            else:
                d.spans = [(_key(name), first, last) for name in names]
        elif d.verb == "disable":
            for name in names:
                open_ranges.setdefault(_key(name), (d, number + 1))
        elif d.verb == "enable":
            keys = list(open_ranges) if names == (ALL,) else [_key(n) for n in names]
            closed = [k for k in keys if k in open_ranges]
            for key in closed:
                opener, first = open_ranges.pop(key)
                opener.spans.append((key, first, number - 1))
            d.used.update(_key(n) for n in names)  # an enable silences nothing itself; judged by its disable
            if not closed:
                d.problem = "no 'disable' before it is still open"
        else:
            d.problem = f"unknown directive {d.verb!r} (use {', '.join(VERBS)})"
    for key, (opener, first) in open_ranges.items():
        opener.spans.append((key, first, len(doc.lines)))
    return directives


def _key(name: str) -> str:
    """Codes and categories compare case-insensitively (``ta204`` is ``TA204``)."""
    return name.lower()


def _next_paragraph(lines: list[str], after: int) -> tuple[int | None, int]:
    """1-based first and last line of the paragraph after line ``after``; stacked directives skip."""
    i = after  # 0-based index of the line after the directive
    while i < len(lines) and (not lines[i].strip() or _DIRECTIVE.match(lines[i])):
        i += 1
    if i >= len(lines):
        return None, 0
    j = i
    while j + 1 < len(lines) and lines[j + 1].strip():
        j += 1
    return i + 1, j + 1


def _named(name: str, names: set[str]) -> bool:
    return name.upper() in names or name.lower() in names


def _matches(name: str, finding: Finding) -> bool:
    return name == ALL or name.upper() == finding.check or name == finding.category.lower()


def apply_suppressions(documents: Sequence[Document], findings: Sequence[Finding],
                       enabled: Iterable) -> list[Finding]:
    """Drop findings silenced in their document; add TA901 findings when TA901 is enabled.

    ``enabled`` are the checks of this run (instances or classes with ``code``/``category``).
    """
    enabled = list(enabled)
    by_file = {doc.path: parse_directives(doc) for doc in documents}
    if not any(by_file.values()):
        return list(findings)
    kept = []
    for f in findings:
        silenced = False
        for d in by_file.get(f.file, ()):
            for name, first, last in d.spans:
                if first <= f.line <= last and _matches(name, f):
                    d.used.add(name)
                    silenced = True
        if not silenced:
            kept.append(f)
    if any(c.code == UNUSED_CODE for c in enabled):
        docs = {doc.path: doc for doc in documents}
        for path, directives in by_file.items():
            kept.extend(_unused_findings(docs[path], directives, enabled))
    return kept


def _unused_findings(doc: Document, directives: list[Directive], enabled: list) -> list[Finding]:
    from transaudit.checks.base import registered
    from transaudit.codes import CODES

    table = registered()
    known = set(CODES) | set(CODES.values())
    on = {c.code for c in enabled} | {c.category for c in enabled}
    reporter = table[UNUSED_CODE]()
    out = []
    for d in directives:
        if d.problem:
            reason = d.problem
        else:
            unused = [n for n in d.names if _key(n) not in d.used]
            if not unused:
                continue
            reasons = []
            unknown = [n for n in unused if n != ALL and not _named(n, known)]
            off = [n for n in unused if n != ALL and n not in unknown and not _named(n, on)]
            idle = [n for n in unused if n not in unknown and n not in off]
            if idle:
                reasons.append(f"nothing to suppress for {', '.join('every check' if n == ALL else n for n in idle)}")
            if off:
                reasons.append(f"not enabled in this run: {', '.join(off)}")
            if unknown:
                reasons.append(f"unknown check: {', '.join(unknown)}")
            reason = "; ".join(reasons)
        out.append(reporter.finding(doc, d.line, f"unused suppression: {reason}", excerpt=d.text,
                                    suggestion="remove the comment"))
    return out
