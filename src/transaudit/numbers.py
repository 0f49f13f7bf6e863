"""Numbers in English and Hindi text, normalised to exact values so both sides can be compared.

Read as quantities: ASCII and Devanagari digits (``४.५``), Western and Indian grouping
(``100,000`` = ``1,00,000``), decimals (``4.5`` is not ``45``), suffixes ``7B``/``1.3B``/``60K``/
``$100K``/``10x``/``70%``, scale words (``1.5 million``, ``15 लाख``, ``100 अरब``, ``a thousand``,
``एक हज़ार``), number words (``three`` = ``तीन`` = 3, ``twenty-five``), and both ends of a range
(``3-5``, ``3–5``, ``3 से 5``). Units are not compared (``70%`` = ``70 प्रतिशत``, ``10x`` =
``10 गुना``): translators move them around, the value is what must survive.

Not read as quantities:

- anything inside a name (``GPT-3``, ``OPT-175B``, ``T5``, ``top-1``), URL, arXiv id or handle:
  see :func:`transaudit.entities.protected_spans`; a name is one token and checked by TA302;
- ordinals (``first``, ``1st``, ``पहली``, ``10वें``) and vague plurals (``hundreds``, ``सैकड़ों``,
  ``लाखों``); scale words without a number, except ``a hundred/thousand ...``, ``सौ`` and
  ``हज़ार`` (``अरब`` alone is also "Arab");
- ``zero`` (it is nearly always ``zero-shot``).

"one", "a" and "एक" double as articles ("एक नया model" = "a new model"), so the value 1 written
as a word is *soft*: it may match a 1 on the other side but is never reported missing or extra.
So are "both" and "दोनों" (2): "these two stages" is "इन दोनों चरणों", but "both A and B" is
often translated without a number word.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache

from transaudit.entities import protected_spans
from transaudit.script import normalize

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_HAS_DEVANAGARI_DIGIT = re.compile("[०-९]")
_NUKTA = "\u093c"

_EN_WORDS = {
    w: n for n, w in enumerate(
        "_ one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    ) if n
}
_EN_WORDS.update({w: 10 * n for n, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if n >= 2})
_HI_WORDS_RAW = {
    "एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पाँच": 5, "पांच": 5, "छह": 6, "छः": 6, "सात": 7, "आठ": 8,
    "नौ": 9, "दस": 10, "ग्यारह": 11, "बारह": 12, "तेरह": 13, "चौदह": 14, "पंद्रह": 15,
    "पन्द्रह": 15, "सोलह": 16, "सत्रह": 17, "अठारह": 18, "उन्नीस": 19, "बीस": 20, "पच्चीस": 25,
    "तीस": 30, "चालीस": 40, "पचास": 50, "साठ": 60, "सत्तर": 70, "अस्सी": 80, "नब्बे": 90,
    "डेढ़": Decimal("1.5"), "ढाई": Decimal("2.5"),
    "दोनों": 2,
}
_EN_WORDS["both"] = 2
# "both" / "दोनों" stand for two ("these two stages" = "इन दोनों चरणों"), but "both A and B" is
# often translated without it: soft, like the articles.
_SOFT_WORDS_RAW = {"both", "दोनों"}
_SCALES_RAW = {
    "hundred": 10**2, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "lakh": 10**5, "lakhs": 10**5, "crore": 10**7, "crores": 10**7,
    "सौ": 10**2, "हज़ार": 10**3, "हजार": 10**3, "लाख": 10**5, "करोड़": 10**7, "अरब": 10**9,
    "खरब": 10**11, "मिलियन": 10**6, "बिलियन": 10**9, "ट्रिलियन": 10**12,
}
# Scale words that stand for a number on their own ("सौ से अधिक" = "over a hundred").
_STANDALONE_SCALES = {"सौ", "हजार"}
_VAGUE = {"several", "few", "many", "some", "कई", "कुछ", "अनेक"}
_ARTICLES = {"a", "an"}
_SUFFIX_SCALE = {"k": 10**3, "K": 10**3, "M": 10**6, "B": 10**9, "bn": 10**9, "T": 10**12}


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """Lookup key of a word from normalised text: nukta dropped (हज़ार = हजार), case-folded."""
    return word.replace(_NUKTA, "").casefold()


def _key(word: str) -> str:
    return _fold(normalize(word))


_WORD_VALUES: dict[str, Decimal] = {_key(k): Decimal(v) for k, v in {**_EN_WORDS, **_HI_WORDS_RAW}.items()}
_SOFT_WORDS = {_key(w) for w in _SOFT_WORDS_RAW}
_SCALES: dict[str, Decimal] = {_key(k): Decimal(v) for k, v in _SCALES_RAW.items()}
_STANDALONE = {_key(w) for w in _STANDALONE_SCALES}
_VAGUE_F = {_key(w) for w in _VAGUE}

def _char_pattern(ch: str) -> str:
    # A nukta may follow any Devanagari consonant (हज़ार / हजार); NFC keeps it a separate mark.
    return re.escape(ch) + ("\u093c?" if "\u0915" <= ch <= "\u092f" else "")


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation for ``words``, factored by common prefixes so that the engine
    tries one branch per character instead of every word at every word start."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [_char_pattern(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


_KNOWN_WORDS = sorted({*_WORD_VALUES, *_SCALES})
# Articles and vague words matter only right before a scale word ("a thousand", "कई सौ").
_LEADING_WORDS = sorted({*_VAGUE_F, *_ARTICLES})
_LETTER = r"A-Za-z\u0900-\u0963\u0971-\u097F"
# The digits after the first one: Western (100,000) or Indian (1,00,000) grouping, or plain.
_NUM_REST = r"(?:\d{0,2}(?:,\d{3})+(?!\d)|\d?(?:,\d{2})+,\d{3}(?!\d)|\d*)"
# Each pattern starts with a character, not a lookbehind, so the regex engine can skip ahead
# to candidate positions; the "not glued to a name" conditions are checked right after it.
_NUM_TOKENS = re.compile(
    r"(?:[$€£₹](?<![A-Za-z0-9.].)\d|\d(?<![A-Za-z0-9.]\d)(?<![A-Za-z\u0900-\u097F]-\d))"
    + _NUM_REST + r"(?:\.\d+)?"
    # A measurement unit glued to its digits (80GB, 10ms) keeps them a number: the value counts.
    r"(?:\s?%|[xX×](?![A-Za-z])|(?:[KMGTP]i?B|[kMG]Hz|ms)(?![A-Za-z])|(?:bn|[kKMBT])(?![A-Za-z]))?"
    # An ordinal suffix is read here and the token dropped below, unless it is a fraction's
    # denominator (1/1,000th).
    r"(?P<ordinal>st|nd|rd|th)?"
    # Digits glued to letters (3D, 1st, 10वें) are not counted; 45घंटे is. Nor is the head
    # of a longer number (1 of 1,000th).
    r"(?![0-9A-Za-z_]|\.\d|,\d{3}(?!\d)|व[ाीेंँ])"
)
# Only the words that matter are tokens; any other word between two breaks a number. (Here
# the leading lookbehind is the fast form: it fails at once inside the many other words.)
_WORD_TOKENS = re.compile(
    rf"(?<![{_LETTER}])(?:{_trie_pattern(_KNOWN_WORDS)}"
    rf"|{_trie_pattern(_LEADING_WORDS)}(?=[ \t]+(?:{_trie_pattern(sorted(_SCALES))})(?![{_LETTER}])))(?![{_LETTER}])",
)  # matched against the lower-cased text: IGNORECASE makes every Unicode class ~30% slower


def _lower(text: str) -> str:
    """Lower-cased with the same length (a rare character like İ would grow by one)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _tokens(masked: str) -> list[tuple[str, str, int, int]]:
    tokens = [
        ("num", m.group(), m.start(), m.end())
        if not m.group("ordinal") else ("num", m.group()[:-2], m.start(), m.end() - 2)
        for m in _NUM_TOKENS.finditer(masked)
        if not m.group("ordinal") or masked[m.start() - 1: m.start()] == "/"
    ]
    # lower() keeps ASCII and Devanagari offsets, so spans index ``masked`` directly.
    words = [("word", masked[m.start():m.end()], m.start(), m.end()) for m in _WORD_TOKENS.finditer(_lower(masked))]
    if tokens and words:
        tokens += words
        tokens.sort(key=lambda t: t[2])
        return tokens
    return tokens or words


_JOIN_GAP = re.compile(r"[ \t]*[-–]?[ \t]*")


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    text: str  # the span as written (normalised text)
    start: int
    end: int
    soft: bool = False  # a bare "one"/"एक"/"a": may match, never reported
    # "%" or "x" written as a suffix (70%, 10x), a glued measurement unit (80GB, 10ms) or a
    # currency sign before the digits ($15): what dropped_units looks for in the translation.
    unit: str = ""

    @cached_property
    def key(self) -> Decimal:
        return self.value.normalize()


@dataclass
class NumberDiff:
    """Source quantities with no counterpart in the translation, and the reverse."""

    missing: list[Quantity] = field(default_factory=list)
    extra: list[Quantity] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra)


_GLUED_UNIT = re.compile(r"(?:[KMGTP]i?B|[kMG]Hz|ms)$")


def _digits_value(token: str) -> tuple[Decimal, str] | None:
    """Value of a digit token and its suffix class ('', '%', 'x', 'scale')."""
    body = token.lstrip("$€£₹")
    unit = _GLUED_UNIT.search(body)
    if unit:
        body = body[: unit.start()]
    suffix = ""
    for suf in ("bn", "%", "x", "X", "×", "k", "K", "M", "B", "T"):
        if body.endswith(suf):
            suffix, body = suf, body[: -len(suf)].rstrip()
            break
    try:
        value = Decimal(body.replace(",", ""))
    except InvalidOperation:
        return None
    if suffix in _SUFFIX_SCALE:
        return value * _SUFFIX_SCALE[suffix], "scale"
    return value, {"%": "%", "": ""}.get(suffix, "x")


def _unit_of(token: str, suffix: str) -> str:
    """The unit a digit token writes: % or x, else a glued unit (GB, ms), else its currency."""
    if suffix in ("%", "x"):
        return suffix
    glued = _GLUED_UNIT.search(token)
    if glued:
        return glued.group()
    return token[0] if token[0] in _CURRENCY else ""


_CURRENCY = "$€£₹"


def prepare(text: str) -> str:
    """``text`` (normalised) with Devanagari digits as ASCII and names/URLs blanked (offsets kept)."""
    if _HAS_DEVANAGARI_DIGIT.search(text):
        text = text.translate(_DEVANAGARI_DIGITS)
    spans = sorted(protected_spans(text))
    if not spans:
        return text
    pieces, pos = [], 0
    for start, end in spans:
        start = max(start, pos)
        if end > start:
            pieces += [text[pos:start], " " * (end - start)]
            pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def extract_quantities(text: str) -> list[Quantity]:
    """Quantities of ``text`` in order; see the module docstring for what counts."""
    return _extract(normalize(text))


def _extract(shown: str) -> list[Quantity]:
    masked = prepare(shown)
    tokens = _tokens(masked)
    out: list[Quantity] = []
    i, n = 0, len(tokens)

    def joined(a: int, b: int) -> bool:
        """Tokens a and b are adjacent parts of one number (space, hyphen or 'and' between)."""
        return b < n and _JOIN_GAP.fullmatch(masked[tokens[a][3]: tokens[b][2]]) is not None

    def folded(j: int) -> str:
        return _fold(tokens[j][1]) if tokens[j][0] == "word" else ""

    while i < n:
        kind, tok, start, end = tokens[i]
        if kind == "num":
            parsed = _digits_value(tok)
            i += 1
            if parsed is None:
                continue
            value, suffix = parsed
            while not suffix and i < n and folded(i) in _SCALES and joined(i - 1, i):
                value *= _SCALES[folded(i)]  # 1.5 million, 2 hundred thousand
                end = tokens[i][3]
                i += 1
            out.append(Quantity(value, shown[start:end], start, end, unit=_unit_of(tok, suffix)))
            continue
        word = _fold(tok)
        prev_vague = i > 0 and folded(i - 1) in _VAGUE_F and joined(i - 1, i)
        if word in _WORD_VALUES and not prev_vague:
            value = _WORD_VALUES[word]
            j = i + 1
            # twenty-five, twenty five
            if value >= 20 and value % 10 == 0 and joined(j - 1, j) and 0 < _WORD_VALUES.get(folded(j), 0) < 10:
                value += _WORD_VALUES[folded(j)]
                j += 1
            scaled = False
            while joined(j - 1, j) and folded(j) in _SCALES:
                value *= _SCALES[folded(j)]
                scaled = True
                j += 1
            end = tokens[j - 1][3]
            out.append(Quantity(value, shown[start:end], start, end, soft=(value == 1 or word in _SOFT_WORDS) and not scaled))
            i = j
            continue
        if word in _ARTICLES and joined(i, i + 1) and folded(i + 1) in _SCALES:
            end = tokens[i + 1][3]
            out.append(Quantity(_SCALES[folded(i + 1)], shown[start:end], start, end))
            i += 2
            continue
        if word in _STANDALONE and not prev_vague:
            out.append(Quantity(_SCALES[word], shown[start:end], start, end))
        i += 1
    return out


# TA301 reads a pair's quantities twice (values, then units) and callers never change the list.
_extract_once = lru_cache(maxsize=1024)(_extract)


def compare_quantities(source: list[Quantity], translation: list[Quantity]) -> NumberDiff:
    """Multiset difference by value; soft quantities only absorb unmatched hard ones."""
    diff = NumberDiff()
    # The common case: every hard quantity copied (soft ones, such as the Hindi's many "एक",
    # only absorb unmatched hard ones, so with equal hard multisets nothing is left over).
    if sorted(q.key for q in source if not q.soft) == sorted(q.key for q in translation if not q.soft):
        return diff
    pools = []
    for side in (source, translation):
        hard = Counter(q.key for q in side if not q.soft)
        soft = Counter(q.key for q in side if q.soft)
        pools.append((hard, soft))
    (src_hard, src_soft), (tgt_hard, tgt_soft) = pools
    left_src = src_hard - tgt_hard
    left_tgt = tgt_hard - src_hard
    left_src -= tgt_soft  # "1 billion" ~ "एक" never; "1" ~ "one" yes
    left_tgt -= src_soft
    for side, left, bucket in ((source, left_src, diff.missing), (translation, left_tgt, diff.extra)):
        remaining = Counter(left)
        # Report the last occurrences: the earlier ones are the ones that matched in order.
        for q in reversed([q for q in side if not q.soft]):
            if remaining[q.key] > 0:
                remaining[q.key] -= 1
                bucket.append(q)
        bucket.reverse()
    return diff


def compare_texts(source: str, translation: str) -> NumberDiff:
    return compare_normalized(normalize(source), normalize(translation))


def compare_normalized(source: str, translation: str) -> NumberDiff:
    """Like :func:`compare_texts` for texts already passed through ``script.normalize``."""
    return compare_quantities(_extract_once(source), _extract_once(translation))


_NEXT_WORD = re.compile(r"\s*([^\s\d।.,;:!?()\[\]\"']+)")


@lru_cache(maxsize=8)
def _normalized(text: str) -> str:
    return normalize(text)


def describe(q: Quantity, text: str) -> str:
    """The quantity with the word after it, for messages: '4.5 hours', '45 घंटे'."""
    shown = _normalized(text)  # once per text, not once per difference
    m = _NEXT_WORD.match(shown, q.end)
    if m and m.start(1) - q.end <= 1 and not q.text.endswith("%"):
        return f"{q.text} {m.group(1)}" if m.start(1) > q.end else q.text + m.group(1)
    return q.text


# How a translation may write a unit after the number (70 प्रतिशत, 10 गुना, 80 जीबी, 15 डॉलर).
_UNIT_AFTER = {
    "%": re.compile(r"[ \t]*(?:%|प्रतिशत|फ़ीसदी|फीसदी|percent|per cent|pp\b|percentage)", re.IGNORECASE),
    "x": re.compile(r"[ \t]*(?:[xX×](?![A-Za-z])|गुना|गुणा|times\b|fold\b)"),
    "$": re.compile(r"[ \t]*(?:(?:अमेरिकी )?डॉलर|dollars?\b|USD\b)", re.IGNORECASE),
    "€": re.compile(r"[ \t]*(?:यूरो|euros?\b|EUR\b)", re.IGNORECASE),
    "£": re.compile(r"[ \t]*(?:पाउंड|pounds?\b|GBP\b)", re.IGNORECASE),
    "₹": re.compile(r"[ \t]*(?:रुपये|रुपए|रुपया|rupees?\b|INR\b)", re.IGNORECASE),
}
# A currency may be written before the number too (USD 15, Rs. 500).
_UNIT_BEFORE = {
    "$": re.compile(r"(?:USD|US\$|\$)[ \t]*$", re.IGNORECASE),
    "€": re.compile(r"(?:EUR|€)[ \t]*$", re.IGNORECASE),
    "£": re.compile(r"(?:GBP|£)[ \t]*$", re.IGNORECASE),
    "₹": re.compile(r"(?:INR|Rs\.?|₹)[ \t]*$", re.IGNORECASE),
}
# Glued measurement units spelled out or transliterated (80 GB, 80 जीबी, 80 गीगाबाइट).
_UNIT_WORDS = {
    "kb": "केबी|किलोबाइट|kilobytes?", "mb": "एमबी|मेगाबाइट|megabytes?", "gb": "जीबी|गीगाबाइट|gigabytes?",
    "tb": "टीबी|टेराबाइट|terabytes?", "pb": "पीबी|पेटाबाइट|petabytes?", "ms": "एमएस|मिलीसेकंड|मिलीसेकेंड|milliseconds?",
    "khz": "किलोहर्ट्ज़?|kilohertz", "mhz": "मेगाहर्ट्ज़?|megahertz", "ghz": "गीगाहर्ट्ज़?|gigahertz",
}


@lru_cache(maxsize=64)
def _unit_after(unit: str) -> re.Pattern:
    if unit in _UNIT_AFTER:
        return _UNIT_AFTER[unit]
    words = _UNIT_WORDS.get(unit.lower(), "")
    return re.compile(rf"[ \t]*(?:{re.escape(unit)}(?![A-Za-z]){'|' + words if words else ''})", re.IGNORECASE)


# Between the two ends of a range one end often drops the unit (60 से 70%, 2-3x, $10-20); a
# list ("15.6% और 9.1%") writes it on each value.
_RANGE_GAP = re.compile(r"[ \t]*(?:[-–—/]|से|to|या|or)[ \t]*")


def _carries_unit(q: Quantity, unit: str, neighbours: tuple[Quantity | None, Quantity | None], text: str) -> bool:
    if q.unit == unit or _unit_after(unit).match(text, q.end):
        return True
    if unit in _UNIT_BEFORE and _UNIT_BEFORE[unit].search(text, max(0, q.start - 8), q.start):
        return True
    previous, following = neighbours
    if following is not None and _RANGE_GAP.fullmatch(text, q.end, following.start):
        if following.unit == unit or _unit_after(unit).match(text, following.end):
            return True
    # a currency sign stands before the first end of a range ($10-20)
    return unit in _CURRENCY and previous is not None and previous.unit == unit \
        and _RANGE_GAP.fullmatch(text, previous.end, q.start) is not None


def dropped_units(source: list[Quantity], translation: list[Quantity], translation_text: str) -> list[tuple[Quantity, Quantity]]:
    """(source, translation) quantities of the same value where the source writes a unit (65%,
    4x, 80GB, $15) and the translation writes the bare number: "65" is not "65%"."""
    out = []
    for unit in dict.fromkeys(q.unit for q in source if q.unit):
        wanted = Counter(q.key for q in source if q.unit == unit and not q.soft)
        if not wanted:
            continue
        bare: dict[Decimal, list[Quantity]] = {}
        have: Counter = Counter()
        for i, q in enumerate(translation):
            if q.key not in wanted or q.soft:
                continue
            neighbours = (translation[i - 1] if i else None, translation[i + 1] if i + 1 < len(translation) else None)
            if _carries_unit(q, unit, neighbours, translation_text):
                have[q.key] += 1
            else:
                bare.setdefault(q.key, []).append(q)
        for key, count in wanted.items():
            lacking = count - have[key]
            candidates = bare.get(key, [])
            if lacking > 0 and candidates:
                src = next(q for q in source if q.key == key and q.unit == unit)
                out += [(src, t) for t in candidates[:lacking]]
    return out


_UNIT_HINT = re.compile(r"\d(?:\s?%|[xX×](?![A-Za-z])|(?:[KMGTP]i?B|[kMG]Hz|ms)(?![A-Za-z]))|[$€£₹]\d")


def units_dropped(source: str, translation: str) -> list[tuple[Quantity, Quantity]]:
    """:func:`dropped_units` for texts already passed through ``script.normalize``."""
    if not _UNIT_HINT.search(source):
        return []  # most sources write no unit: skip reading both sides again
    # The unit words after a number are read from the text itself: prepare() keeps offsets.
    return dropped_units(_extract_once(source), _extract_once(translation), translation)
