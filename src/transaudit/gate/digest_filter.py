"""Which named files hold a digest at all, for the pre-commit hook (``check --skip-non-digests``).

A hook's ``files:`` pattern cannot tell a digest from ``README.md`` or ``CHANGELOG.md``; auditing
those fails the commit on findings about text that was never a translation. A file holds digest
structure when it has Hindi (Devanagari) text, or the plain-text layout's pair markers (a ``•``
Hindi bullet and an indented ``>`` English quote). Parallel files (``.csv``, ``.tsv``,
``.jsonl``) are always kept: their columns say what they are. Files that cannot be read or
decoded are kept too, so the run reports them instead of waving a broken digest through.
"""

from __future__ import annotations

import os
import re

from transaudit.parsing.decode import DecodeProblem, decode_bytes
from transaudit.parsing.loader import ReadProblem, read_bytes

_DEVANAGARI = re.compile("[\u0900-\u097f\ua8e0-\ua8ff]")
_BULLET = re.compile(r"^[ \t]*•[ \t]", re.MULTILINE)
_INDENTED_QUOTE = re.compile(r"^[ \t]+>[ \t]", re.MULTILINE)
PARALLEL_SUFFIXES = (".csv", ".tsv", ".jsonl")
NOT_A_DIGEST = "no Hindi text and no pair markers ('•' bullets with indented '>' quotes)"


def holds_digest(text: str) -> bool:
    if _DEVANAGARI.search(text):
        return True
    return bool(_BULLET.search(text) and _INDENTED_QUOTE.search(text))


def skip_reason(path: str) -> str | None:
    """Why ``path`` is not audited by the hook, or None to audit it."""
    if os.path.splitext(path)[1].lower() in PARALLEL_SUFFIXES:
        return None
    try:
        text = decode_bytes(read_bytes(path))
    except ReadProblem:
        return None
    except DecodeProblem as exc:
        # An empty file is not a broken digest: nothing to audit.
        return "empty file" if str(exc) == "empty file" else None
    return None if holds_digest(text) else NOT_A_DIGEST


def digest_files(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Split named paths into those to audit and ``(path, reason)`` for those skipped.
    Directories are kept: walking them already skips README, CHANGELOG and the like."""
    keep, skipped = [], []
    for path in paths:
        reason = None if os.path.isdir(path) else skip_reason(path)
        if reason is None:
            keep.append(path)
        else:
            skipped.append((path, reason))
    return keep, skipped
