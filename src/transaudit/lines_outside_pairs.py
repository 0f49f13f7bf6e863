"""Lines of a digest that belong to no pair: titles, headings, overview prose, footers.

They are read by people as much as the paragraphs are, so the style and language checks look
at them too (samples README, "Special cases"). Plain data in, plain data out.
"""

from __future__ import annotations

import re
from typing import Iterator

from transaudit.model import BlockKind, Document

OUTSIDE_KINDS = (BlockKind.TEXT, BlockKind.HEADING, BlockKind.PAPER_TITLE, BlockKind.SECTION)
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")
_LATIN = re.compile(r"[A-Za-z]")
TITLE_SEPARATOR = " / "


def hindi_lines_outside_pairs(doc: Document) -> Iterator[tuple[int, str]]:
    """(line number, text without layout markers) of every Hindi line outside the pairs."""
    for block in doc.blocks:
        if block.kind not in OUTSIDE_KINDS:
            continue
        for offset, text in enumerate(block.text.split("\n")):
            if _DEVANAGARI.search(text):
                yield block.line + offset, text


def english_title_halves(doc: Document) -> Iterator[tuple[int, str]]:
    """Paper titles written "Hindi / English" whose Hindi half holds no Devanagari at all: the
    translation of the title is missing and the English was left (an English-only title,
    without the separator, is allowed)."""
    for block in doc.blocks:
        if block.kind is not BlockKind.PAPER_TITLE or TITLE_SEPARATOR not in block.text:
            continue
        hindi, english = block.text.split(TITLE_SEPARATOR, 1)
        if _LATIN.search(hindi) and not _DEVANAGARI.search(block.text):
            yield block.line, hindi
