"""The plain-text digest layout.

::

    अवलोकन                               heading; the prose under it is never paired
    VALL-E: ... / VALL-E: ...            paper title (the plain line before the first section)
    पेपर परिचय                            section heading
      • हिंदी अनुच्छेद ...                  Hindi slot (paragraph)
        > English original ...           English original (quote)
    पेपर लिंक / और पढ़ें                     link sections: URLs, no pairs
    मूल लेख                               footer: URL, disclaimer bullets, comment line

A line indented under a bullet continues it, unless the bullet is Hindi and the line starts
an English sentence: that is an English original that lost its ``>`` marker.
"""

from __future__ import annotations

from transaudit.model import Block, BlockKind, Paper
from transaudit.parsing.lang_hint import looks_hindi, starts_english_sentence
from transaudit.parsing.links import is_link_line
from transaudit.parsing.structure import Assembler, Draft, Region, is_known_heading, is_known_section

BULLETS = ("•", "◦", "▪")


def _strip_marker(body: str) -> str:
    return body[1:].strip()


def parse_text_layout(lines: list[str]) -> tuple[list[Block], list[Paper]]:
    asm = Assembler()
    open_draft: Draft | None = None  # what an unmarked line right below may continue
    for n, line in enumerate(lines, 1):
        body = line.lstrip()
        stripped = body.rstrip()
        if not stripped:
            open_draft = None
            continue
        indented = len(body) < len(line)
        if is_known_heading(stripped):
            asm.heading(stripped, n)
            open_draft = None
        elif is_known_section(stripped):
            asm.section_heading(stripped, n)
            open_draft = None
        elif body.startswith(">"):
            part = _strip_marker(body)
            if open_draft is not None and open_draft.kind is BlockKind.QUOTE:
                open_draft.add_line(n, part)
            else:
                _promote_preamble_paragraph(asm)
                open_draft = asm.add(BlockKind.QUOTE, n, part, marker="quote")
        elif body.startswith(BULLETS):
            open_draft = asm.add(asm.slot_kind(), n, _strip_marker(body), marker="bullet")
        elif is_link_line(stripped):
            asm.add(BlockKind.LINK, n, stripped)
            open_draft = None
        elif open_draft is not None and (indented or open_draft.marker == "plain"):
            open_draft = _continue(asm, open_draft, n, stripped, indented)
        elif indented:
            open_draft = asm.add(asm.slot_kind(), n, stripped, marker="indent")
        else:
            open_draft = asm.add(_plain_kind(asm), n, stripped, marker="plain", title_candidate=True)
    return asm.build()


def _plain_kind(asm: Assembler) -> BlockKind:
    # Before any heading, an unmarked line is a paragraph only if a quote follows it
    # (see _promote_preamble_paragraph); until then it is prose, e.g. a document title.
    if asm.region is Region.PREAMBLE:
        return BlockKind.TEXT
    return asm.slot_kind()


def _promote_preamble_paragraph(asm: Assembler) -> None:
    last = asm.drafts[-1] if asm.drafts else None
    if last is not None and asm.region is Region.PREAMBLE and last.marker == "plain":
        last.kind = BlockKind.PARAGRAPH


def _continue(asm: Assembler, draft: Draft, n: int, stripped: str, indented: bool) -> Draft:
    """Extend ``draft`` with an unmarked line, or start the English original it switches to."""
    # Judge the draft by its first line: bounded work per line, however long the run.
    if draft.kind is not BlockKind.QUOTE and looks_hindi(draft.parts[0]) and starts_english_sentence(stripped):
        if indented:
            return asm.add(asm.slot_kind(), n, stripped, marker="indent")
        return asm.add(_plain_kind(asm), n, stripped, marker="plain", title_candidate=True)
    draft.add_line(n, stripped)
    return draft
