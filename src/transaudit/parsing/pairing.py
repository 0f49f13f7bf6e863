"""Pair each Hindi paragraph with the English original that follows it.

Within one section (headings, links and prose break pairing; blank lines and comments do not):

- paragraph, then quote                    -> a pair
- quote with no unpaired paragraph before  -> ``Segment(translation=None)``
- paragraph not followed by a quote        -> ``Segment(source=None)``, except when the
  next block is an unmarked English text (not itself followed by a quote) right after a
  Hindi paragraph: that is the English original without its marker (``source_quoted=False``).
"""

from __future__ import annotations

from transaudit.model import Block, BlockKind, Segment
from transaudit.parsing.lang_hint import looks_english, looks_hindi

_TRANSPARENT = (BlockKind.COMMENT,)


def pair_blocks(blocks: list[Block]) -> list[Segment]:
    items = [b for b in blocks if b.kind not in _TRANSPARENT]
    segments: list[Segment] = []

    def emit(paragraph: Block | None, original: Block | None, quoted: bool = True) -> None:
        anchor = paragraph or original
        segments.append(Segment(
            index=len(segments),
            translation=paragraph.text if paragraph else None,
            source=original.text if original else None,
            translation_line=paragraph.line if paragraph else None,
            translation_end_line=paragraph.end_line if paragraph else None,
            source_line=original.line if original else None,
            source_end_line=original.end_line if original else None,
            source_quoted=quoted,
            paper=anchor.paper,
            section=anchor.section,
        ))

    pending: Block | None = None
    for i, block in enumerate(items):
        if block.kind is BlockKind.PARAGRAPH:
            if pending is not None:
                if _is_unmarked_original(pending, block, items[i + 1] if i + 1 < len(items) else None):
                    emit(pending, block, quoted=False)
                    pending = None
                    continue
                emit(pending, None)
            pending = block
        elif block.kind is BlockKind.QUOTE:
            emit(pending, block)
            pending = None
        elif pending is not None:
            emit(pending, None)
            pending = None
    if pending is not None:
        emit(pending, None)
    return segments


def _is_unmarked_original(hindi: Block, candidate: Block, after: Block | None) -> bool:
    if after is not None and after.kind is BlockKind.QUOTE:
        return False  # the candidate has its own original: it is an (English) translation slot
    return looks_hindi(hindi.text) and looks_english(candidate.text)
