"""Is an English word written in Devanagari somewhere in a Hindi text (Transformer as ट्रांसफॉर्मर)?

Tech Hindi keeps most names in Latin script, but a capitalised word such as Transformer,
Internet or Minecraft is also transliterated. Transliterations vary (ट्रांसफॉर्मर, ट्रांसफ़ॉर्मर,
ट्रान्सफॉर्मर), so both spellings are reduced to a *consonant skeleton*: vowels and ``h`` dropped,
consonants folded into classes a transliteration keeps (t/d and ट/ड/त/द are one class, f and
फ/फ़ another, n and the nasal sign ं another), repeats collapsed. Two words are a plausible
transliteration of each other when their skeletons are equal, or, for skeletons of four classes
or more, one edit apart (a dropped nasal, ``x`` written क्स or ज़).

The skeletons are an approximation made for one question, "could this Hindi word be that
English word written in Devanagari": a false yes costs a missed deletion, never a false alarm.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Devanagari consonants and signs by class; vowels, matras, virama and nukta are dropped.
_DEVANAGARI_CLASSES = {
    "K": "कखक़ख़", "G": "गघग़", "C": "चछजझज़", "T": "टठडढतथदधड़ढ़", "N": "णनञङंँ", "P": "पबभ",
    "F": "फफ़", "M": "म", "R": "रऋृ", "L": "लळ", "V": "व", "S": "सशष",
}
_DEVANAGARI = {ch: cls for cls, chars in _DEVANAGARI_CLASSES.items() for ch in chars}
_NUKTA = "\u093c"
_NUKTA_PAIRS = {"फ" + _NUKTA: "F", "ज" + _NUKTA: "C", "क" + _NUKTA: "K", "ख" + _NUKTA: "K",
                "ग" + _NUKTA: "G", "ड" + _NUKTA: "T", "ढ" + _NUKTA: "T"}

# English spellings, longest first: digraphs before single letters.
_LATIN_RULES = [
    ("ph", "F"), ("th", "T"), ("sh", "S"), ("ch", "C"), ("ck", "K"), ("gh", "G"), ("qu", "KV"),
    ("ce", "S"), ("ci", "S"), ("cy", "S"), ("x", "KS"),
    ("b", "P"), ("c", "K"), ("d", "T"), ("f", "F"), ("g", "G"), ("j", "C"), ("k", "K"), ("l", "L"),
    ("m", "M"), ("n", "N"), ("p", "P"), ("q", "K"), ("r", "R"), ("s", "S"), ("t", "T"), ("v", "V"),
    ("w", "V"), ("z", "C"),
]
_LATIN_RULE = re.compile("|".join(re.escape(a) for a, _ in _LATIN_RULES))
_LATIN_CLASS = dict(_LATIN_RULES)
_DEVANAGARI_WORD = re.compile(r"[\u0900-\u0963\u0971-\u097F]+")


def _collapse(classes: list[str]) -> str:
    out: list[str] = []
    for c in classes:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


_SOFT_G = re.compile(r"g(?=[eiy])")


@lru_cache(maxsize=4096)
def latin_skeletons(word: str) -> tuple[str, ...]:
    """Consonant skeletons of an English word: ``Transformer`` -> ``TRNSFRMR``; a ``g`` before
    e/i/y may be hard or soft (Gemini जेमिनी, Gecko गेको): both, for the first such ``g``."""
    word = word.lower()
    spellings = [word]
    soft = _SOFT_G.search(word)
    if soft:
        spellings.append(word[:soft.start()] + "j" + word[soft.end():])
    out = []
    for spelling in spellings:
        classes: list[str] = []
        for m in _LATIN_RULE.finditer(spelling):
            classes.extend(_LATIN_CLASS[m.group()])
        out.append(_collapse(classes))
    return tuple(dict.fromkeys(out))


def devanagari_skeleton(word: str) -> str:
    """Consonant skeleton of a Devanagari word: ``ट्रांसफॉर्मर`` -> ``TRNSFRMR``."""
    classes: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in _NUKTA_PAIRS:
            classes.append(_NUKTA_PAIRS[pair])
            i += 2
            continue
        cls = _DEVANAGARI.get(word[i])
        if cls:
            classes.append(cls)
        i += 1
    return _collapse(classes)


def _one_shorter(skeleton: str) -> list[str]:
    return [skeleton[:i] + skeleton[i + 1:] for i in range(len(skeleton))]


class Transliterations:
    """The Devanagari words of one text by skeleton, built once per text."""

    MIN_FUZZY = 4  # shorter skeletons must match exactly

    def __init__(self, text: str):
        self._exact: set[str] = set()
        self._near: set[str] = set()  # skeletons of 4+ classes and each one class shorter
        for word in set(_DEVANAGARI_WORD.findall(text)):
            skeleton = devanagari_skeleton(word)
            if len(skeleton) < 2:
                continue
            self._exact.add(skeleton)
            if len(skeleton) >= self.MIN_FUZZY:
                self._near.add(skeleton)
                self._near.update(_one_shorter(skeleton))

    def has(self, word: str) -> bool:
        """Whether the text holds a plausible Devanagari transliteration of ``word``."""
        for skeleton in latin_skeletons(word):
            if len(skeleton) < 2:
                continue
            if skeleton in self._exact:
                return True
            # one class added, dropped or replaced on either side
            if len(skeleton) >= self.MIN_FUZZY and (
                    skeleton in self._near or any(v in self._near for v in _one_shorter(skeleton))):
                return True
        return False
