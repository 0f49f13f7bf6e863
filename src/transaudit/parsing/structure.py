"""What both digest layouts share: heading names, regions, papers and sections.

A layout reader classifies lines and hands elements to an :class:`Assembler`, which knows
where in the digest it is (overview, a paper's sections, the original-article footer) and so
whether a Hindi-slot text there is a paragraph to pair or boilerplate that never is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from transaudit.model import Block, BlockKind, Paper
from transaudit.script import normalize


def heading_key(text: str) -> str:
    """Compare headings in one form: NFC (nukta!), no zero-width chars, no trailing colon."""
    return normalize(text).rstrip(":：").strip()


OVERVIEW = heading_key("अवलोकन")
ORIGINAL = heading_key("मूल लेख")
CONTENT_SECTIONS = tuple(map(heading_key, ("पेपर परिचय", "पेपर सारांश")))
LINK_SECTIONS = tuple(map(heading_key, ("पेपर लिंक", "और पढ़ें")))
# A section heading whose rank is not above the previous one starts the next paper.
SECTION_RANK = {name: rank for rank, name in enumerate(CONTENT_SECTIONS + LINK_SECTIONS)}


_MAX_HEADING = 80  # headings are short; never normalise a whole long paragraph to compare


def is_known_heading(text: str) -> bool:
    return len(text) <= _MAX_HEADING and heading_key(text) in (OVERVIEW, ORIGINAL)


def is_known_section(text: str) -> bool:
    return len(text) <= _MAX_HEADING and heading_key(text) in SECTION_RANK


class Region(enum.Enum):
    PREAMBLE = "preamble"  # before any heading
    OVERVIEW = "overview"  # अवलोकन prose: never paired
    PAPER = "paper"
    ORIGINAL = "original"  # मूल लेख footer: link, disclaimer, comment line


@dataclass
class Draft:
    """A block under construction; ``parts`` holds one text per line, markers removed."""

    kind: BlockKind
    start: int
    end: int
    parts: list[str]
    paper: int | None = None
    section: str | None = None
    marker: str = ""  # "bullet", "quote", "plain", "indent", ... (how the layout marked it)
    title_candidate: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.parts)

    def add_line(self, line: int, part: str) -> None:
        self.end = line
        self.parts.append(part)


@dataclass
class Assembler:
    drafts: list[Draft] = field(default_factory=list)
    titles: list[tuple[str, int]] = field(default_factory=list)
    sections: list[list[str]] = field(default_factory=list)  # per paper, in order
    region: Region = Region.PREAMBLE
    section: str | None = None
    paper: int | None = None
    last_rank: int = -1

    # -- where are we --------------------------------------------------------------
    def slot_kind(self) -> BlockKind:
        """Kind of a Hindi-slot text here: a paragraph to pair, or boilerplate prose."""
        if self.region in (Region.OVERVIEW, Region.ORIGINAL):
            return BlockKind.TEXT
        if self.section is not None and heading_key(self.section) in LINK_SECTIONS:
            return BlockKind.TEXT
        return BlockKind.PARAGRAPH

    # -- elements --------------------------------------------------------------------
    def add(self, kind: BlockKind, line: int, part: str, *, marker: str = "",
            title_candidate: bool = False) -> Draft:
        draft = Draft(kind, line, line, [part], self.paper, self.section, marker, title_candidate)
        self.drafts.append(draft)
        return draft

    def heading(self, text: str, line: int) -> None:
        """A heading that is not a paper title: overview, original article, or another one."""
        key = heading_key(text)
        if key == OVERVIEW:
            self.region = Region.OVERVIEW
        elif key == ORIGINAL:
            self.region = Region.ORIGINAL
        if key in (OVERVIEW, ORIGINAL):
            self.paper = None
        self.section = text
        self.last_rank = -1
        self.add(BlockKind.HEADING, line, text)

    def paper_title(self, text: str, line: int) -> None:
        self._start_paper(text, line)
        self.add(BlockKind.PAPER_TITLE, line, text)

    def section_heading(self, text: str, line: int) -> None:
        rank = SECTION_RANK.get(heading_key(text))
        restarts = rank is not None and rank <= self.last_rank
        if self.region is not Region.PAPER or restarts:
            if not self._promote_title():
                self._start_paper("", line)
        if rank is not None:
            self.last_rank = rank
        self.section = text
        if self.paper is not None:
            self.sections[self.paper].append(text)
        self.add(BlockKind.SECTION, line, text)

    # -- papers ----------------------------------------------------------------------
    def _start_paper(self, title: str, line: int) -> None:
        self.titles.append((title, line))
        self.sections.append([])
        self.paper = len(self.titles) - 1
        self.region = Region.PAPER
        self.section = None
        self.last_rank = -1

    def _promote_title(self) -> bool:
        """The plain line just before a paper's first section heading is its title."""
        if not self.drafts or not self.drafts[-1].title_candidate:
            return False
        draft = self.drafts[-1]
        if len(draft.parts) > 1:  # the title is the last line of a run of prose
            title_text = draft.parts.pop()
            draft.end -= 1
            draft = Draft(draft.kind, draft.end + 1, draft.end + 1, [title_text])
            self.drafts.append(draft)
        title = draft.parts[0].strip()
        self._start_paper(title, draft.start)
        draft.kind = BlockKind.PAPER_TITLE
        draft.paper, draft.section, draft.title_candidate = self.paper, None, False
        draft.parts = [title]
        return True

    # -- result ----------------------------------------------------------------------
    def build(self) -> tuple[list[Block], list[Paper]]:
        papers = [Paper(title=title, line=line, end_line=line, sections=list(sections))
                  for (title, line), sections in zip(self.titles, self.sections)]
        blocks = []
        for d in self.drafts:
            paper = papers[d.paper] if d.paper is not None else None
            if paper is not None:
                paper.end_line = max(paper.end_line, d.end)
            blocks.append(Block(d.kind, d.text, d.start, d.end,
                                paper=(paper.title or None) if paper else None, section=d.section))
        return blocks, papers
