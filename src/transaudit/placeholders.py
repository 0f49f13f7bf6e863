"""Placeholders of localization strings: ``%s``, ``%(count)d``, ``%1$s``, ``{name}``, ``{0}``,
``<b>``, ``</b>``, ``&amp;``. A translation must carry each one of its source unchanged; a
missing or altered one is an entity_mismatch (TA302).

Read only in units of PO, XLIFF and TMX files (digest prose has braces in formulas and ``%`` after
numbers, which are no placeholders).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_PLACEHOLDER = re.compile(
    r"(?<![\d%])%(?:\([A-Za-z_][\w.-]*\))?(?:\d+\$)?[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn@]"          # printf, Python %-format
    r"|(?<![\d%])%\d+(?![\d$])"                                 # Qt: %1
    r"|\$\{[^{}\s]+\}"                                          # ${var}
    r"|\{\{?[A-Za-z_][\w.\[\]-]*(?:![rsa])?(?::[^{}]*)?\}?\}|\{\d*\}"  # {name}, {{name}}, {0}, {}
    r"|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>"                      # <b>, </b>, <br/>, <a href="...">
    r"|&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);"       # &amp; &#8230;
)
_TRIGGERS = ("%", "{", "<", "&")


@dataclass(frozen=True)
class Placeholder:
    text: str
    start: int
    end: int


def placeholders(text: str) -> list[Placeholder]:
    """The placeholders of ``text`` in order (cheap when it has none of ``% { < &``)."""
    if not text or not any(t in text for t in _TRIGGERS):
        return []
    return [Placeholder(m.group(), m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]


@dataclass(frozen=True)
class PlaceholderDiff:
    """Placeholders of the source missing from the translation, and the translation's extra ones;
    ``altered`` pairs one missing with one extra when exactly one of each is left."""

    missing: list[str]
    extra: list[Placeholder]

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra)

    @property
    def altered(self) -> tuple[str, Placeholder] | None:
        if len(self.missing) == 1 and len(self.extra) == 1:
            return self.missing[0], self.extra[0]
        return None


def compare_placeholders(source: str, translation: str) -> PlaceholderDiff:
    """What the translation lost or changed of the source's placeholders (as multisets: word
    order changes in translation, so position is not compared)."""
    src = Counter(p.text for p in placeholders(source))
    tgt_list = placeholders(translation)
    if not src and not tgt_list:
        return PlaceholderDiff([], [])
    left = Counter(src)
    extra = []
    for p in tgt_list:
        if left[p.text] > 0:
            left[p.text] -= 1
        else:
            extra.append(p)
    missing = [t for t, n in left.items() for _ in range(n) if n > 0]
    return PlaceholderDiff(missing, extra)
