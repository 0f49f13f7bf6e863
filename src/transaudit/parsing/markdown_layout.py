"""The Markdown digest layout.

::

    ## अवलोकन                     heading; the paragraphs under it are never paired
    ## Paper title                 every other level-2 heading is a paper title
    ### पेपर परिचय                  section
    हिंदी अनुच्छेद ...               paragraph: a run of consecutive non-blank lines
    > English original ...        quote: consecutive ``>`` lines, a bare ``>`` included
    [https://...](https://...)     link
    ---                            rule
    ## मूल लेख                     footer: link, ``- `` disclaimer bullets, comment line
    <!-- transaudit: ... -->       comment block (suppressions live here)
"""

from __future__ import annotations

import re

from transaudit.model import Block, BlockKind, Paper
from transaudit.parsing.lang_hint import looks_hindi, starts_english_sentence
from transaudit.parsing.links import is_link_line
from transaudit.parsing.structure import Assembler, Draft, is_known_heading, is_known_section

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?")
_RULE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})")
_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(\S.*)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _heading_text(raw: str | None) -> str:
    text = (raw or "").rstrip()
    stripped = text.rstrip("#")
    # A closing "###" sequence is dropped only when separated by a space (CommonMark).
    if stripped != text and (not stripped or stripped[-1] in " \t"):
        text = stripped.rstrip()
    return text


def parse_markdown_layout(lines: list[str]) -> tuple[list[Block], list[Paper]]:
    asm = Assembler()
    open_draft: Draft | None = None
    fence: tuple[Draft, str] | None = None  # open code fence and its marker
    comment: Draft | None = None  # open <!-- ... --> block
    for n, line in enumerate(lines, 1):
        if fence is not None:
            fence[0].add_line(n, line)
            if line.strip().startswith(fence[1]) and not line.strip().strip(fence[1][0]):
                fence = None
            continue
        if comment is not None:
            comment.add_line(n, line)
            if "-->" in line:
                comment = None
            continue
        stripped = line.strip()
        if not stripped:
            open_draft = None
            continue
        if stripped.startswith("<!--"):
            draft = asm.add(BlockKind.COMMENT, n, line)
            comment = None if "-->" in stripped[4:] else draft
            open_draft = None
            continue
        if m := _FENCE.match(line):
            fence = (asm.add(BlockKind.TEXT, n, line, marker="fence"), m.group(1))
            open_draft = None
            continue
        if m := _HEADING.fullmatch(line):
            _heading(asm, len(m.group(1)), _heading_text(m.group(2)), n)
            open_draft = None
            continue
        if is_known_heading(stripped) or is_known_section(stripped):
            # A known heading written without '#' still structures the digest.
            _heading(asm, 2 if is_known_heading(stripped) else 3, stripped, n)
            open_draft = None
            continue
        if stripped.startswith(">"):
            part = stripped[1:].removeprefix(" ")
            if open_draft is not None and open_draft.kind is BlockKind.QUOTE:
                open_draft.add_line(n, part)
            else:
                open_draft = asm.add(BlockKind.QUOTE, n, part, marker="quote")
            continue
        if _RULE.fullmatch(line):
            asm.add(BlockKind.RULE, n, stripped)
            open_draft = None
            continue
        if is_link_line(stripped):
            asm.add(BlockKind.LINK, n, stripped)
            open_draft = None
            continue
        if m := _LIST_ITEM.fullmatch(line):
            open_draft = asm.add(asm.slot_kind(), n, m.group(1).strip(), marker="bullet")
            continue
        if open_draft is not None and open_draft.kind is not BlockKind.QUOTE:
            open_draft = _continue(asm, open_draft, n, stripped)
            continue
        open_draft = asm.add(asm.slot_kind(), n, stripped, marker="plain", title_candidate=True)
    return asm.build()


def _heading(asm: Assembler, level: int, text: str, n: int) -> None:
    if level == 1 or (level == 2 and is_known_heading(text)) or (level == 2 and not text):
        asm.heading(text, n)
    elif level == 2:
        asm.paper_title(text, n)
    else:
        asm.section_heading(text, n)


def _continue(asm: Assembler, draft: Draft, n: int, stripped: str) -> Draft:
    """Extend a paragraph, or split off an English original that follows a Hindi paragraph."""
    if looks_hindi(draft.parts[0]) and starts_english_sentence(stripped):
        return asm.add(asm.slot_kind(), n, stripped, marker="plain", title_candidate=True)
    draft.add_line(n, stripped)
    return draft

