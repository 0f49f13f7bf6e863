"""Recognise a line that is only a link (bare URL, ``<URL>`` or Markdown ``[text](URL)``)."""

from __future__ import annotations

import re

# Bounded, anchored patterns without nested quantifiers: linear on any input.
_BARE = re.compile(r"(?:https?://|www\.)\S+")
_ANGLE = re.compile(r"<(?:https?://|www\.)[^\s>]+>")
_MARKDOWN = re.compile(r"\[[^\]\n]*\]\([^)\s]+\)")


def is_link_line(stripped: str) -> bool:
    return bool(
        _BARE.fullmatch(stripped) or _ANGLE.fullmatch(stripped) or _MARKDOWN.fullmatch(stripped)
    )
