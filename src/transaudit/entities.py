"""Names that must survive translation verbatim: models, datasets, systems, URLs, arXiv ids, @handles.

What counts as a name (one rule, shared with ``numbers.py``, which skips every token found here
so that "GPT-3" is a name and never also the number 3):

- URLs (``https://...``, ``www.``), e-mail addresses, arXiv ids (``2301.00774``), @handles;
- Latin tokens (hyphen/dot/underscore-joined parts) that start with a letter and contain a digit
  (``GPT-3``, ``OPT-175B``, ``T5``, ``ResNet-50``, ``A100``) or a capital inside a word
  (``SparseGPT``, ``LLaMA``, ``CoT``) or two or more capitals in a row (``BERT``, ``VALL-E``).

- capitalised words inside an English sentence (``Minecraft``, ``Chinchilla``, ``Gopher``):
  proper nouns, which tech Hindi keeps in Latin script.

Capitalised words that start a sentence, hyphenated title words (``Zero-Shot``), languages
and nationalities, months and days, and a few words of the kind (Table, Figure, Section)
are not names: the translator renders them in Hindi. A capitalised name the translator may
transliterate (Transformer as ट्रांसफॉर्मर, Internet as इंटरनेट) counts as present when the Hindi
has a plausible Devanagari spelling of it (``transliteration.py``). Common acronyms that are translated or
dropped freely (AI, ML, LLM, GPU ...) and all-caps English words used for emphasis (NOT, ALL)
are not names either. A trailing plural ``s`` after capitals is ignored (``LLMs`` ~ ``LLM``).
Only lowercase tokens with a digit between letters (``word2vec``) count; ``top-1``/``fp16``
do not, but are still skipped as numbers.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from transaudit.transliteration import Transliterations

_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]{}\"'`|]+", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_ARXIV = re.compile(r"\d(?<![\w.]\d)\d{3}\.\d{4,5}(?:v\d+)?(?![\w.]*\d)")
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,30}\b")
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
# A Latin token: parts joined by - . _ ; it must start with a letter (digit-first tokens such as
# 7B, 3-second, 60K are quantities, see numbers.py).
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")
# Tokens with a capital or a digit somewhere: the only ones that can be names (the lookahead
# skips the many plain lowercase words without building a match for each).
_NAME_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z0-9._-]*[A-Z0-9])[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")
_TOKEN_WITH_DIGIT = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z][A-Za-z0-9._-]*\d)[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")
_LETTER_DIGIT = re.compile(r"\d(?:(?<=[A-Za-z]\d)|(?<=[A-Za-z][-_.]\d))")
_URL_TRAILING = ".,;:!?।)]}'\""

# Translated or dropped freely in tech Hindi, or too generic to be a name.
COMMON_ACRONYMS = frozenset(
    """AI ML DL NLP NLU NLG LLM LM RL NN DNN GPU CPU TPU API SOTA CV QA US UK EU USA UN PhD CEO CTO
    OK TV PC PDF FAQ HTML URL ID IDS AGI IT IoT SaaS GenAI FYI TLDR TL DR NB PS AM PM AD BC
    II III IV VI VII VIII IX XI XII""".split()
)
# All-caps English words written for emphasis; the translation rightly renders them in Hindi.
_CAPS_WORDS = frozenset(
    """A AN THE AND OR NOT NO YES ALL ANY ONLY NEW NOW IS ARE WAS BE CAN DO DOES DID WILL WE YOU
    THEY IT ITS THIS THAT OF IN ON AT TO FOR WITH WITHOUT BY FROM BUT IF SO VERY MORE MOST LESS
    BEST TOP FREE OUT UP HOW WHY WHAT WHEN WHERE WHO NEVER ALWAYS MUST SHOULD OUR FAST""".split()
)
# Capitalised words that are ordinary words a translator renders in Hindi.
_TRANSLATED_CAPITALISED = frozenset(
    """English Hindi Indian India Chinese French German Spanish Japanese Korean Arabic Russian
    Italian Portuguese Bengali Tamil Telugu Urdu Marathi Nepali Latin European American British
    Asian African Western Eastern January February March April May June July August September
    October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    Table Tables Figure Figures Section Sections Appendix Equation Chapter Earth""".split()
)
_SENTENCE_END = ".!?:;।"
_WORDS_AROUND = re.compile(r"[A-Za-z][\w-]*")
_TITLE_WORD = re.compile(r"[A-Z][\w-]*")
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z][a-z-]*[a-z](?![A-Za-z])")
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]")
_LOWER_DIGIT_NAME = re.compile(r"[a-z]\d+[a-z]", re.IGNORECASE)


@dataclass(frozen=True)
class Entity:
    """A name found in a text; ``key`` is what must appear in the other text."""

    kind: str  # "url", "email", "arxiv", "handle", "name"
    text: str  # verbatim span
    key: str
    start: int
    end: int


def _strip_plural(part: str) -> str:
    if len(part) > 2 and part.endswith("s") and part[:-1].isupper():
        return part[:-1]
    return part


def _is_name_part(part: str) -> bool:
    """A part that makes its token a name (GPT, CoT, T5, SparseGPT), not a plain word."""
    part = _strip_plural(part)
    has_digit = any(c.isdigit() for c in part)
    has_alpha = any(c.isalpha() for c in part)
    if has_digit:
        return has_alpha and (any(c.isupper() for c in part) or bool(_LOWER_DIGIT_NAME.search(part)))
    if part in COMMON_ACRONYMS or part in _CAPS_WORDS:
        return False
    if len(part) >= 2 and part.isupper():
        return True
    return bool(_INNER_CAPITAL.search(part))


def _is_plain_word(part: str) -> bool:
    """A lowercase word in a compound (GPT-family, BERT-based) that the translator may render."""
    return part.isalpha() and part.islower()


_PART_SPLIT = re.compile(r"([-_.])")


@lru_cache(maxsize=65536)
def name_key(token: str) -> str | None:
    """The part of a Latin token that must survive, or None when the token is not a name.

    ``GPT-family`` -> ``GPT``; ``Multimodal-CoT`` -> itself; ``OPT-175B`` -> ``OPT-175B``;
    ``LLMs`` -> ``LLM``; ``Transformer`` -> None.
    """
    pieces = _PART_SPLIT.split(token)  # parts at even indices, separators at odd ones
    parts = pieces[::2]
    if not any(_is_name_part(p) for p in parts):
        # Digits after a plain word (top-1, Llama-2, GPT-3 where GPT alone is fine) still
        # make a name when the word is capitalised: Llama-2, Version-3 but not top-1.
        if len(parts) > 1 and parts[0][:1].isupper() and any(p.isdigit() for p in parts[1:]):
            return token
        return None
    lo, hi = 0, len(parts)
    while lo < hi and _is_plain_word(parts[lo]) and not _is_name_part(parts[lo]):
        lo += 1
    while hi > lo and _is_plain_word(parts[hi - 1]) and not _is_name_part(parts[hi - 1]):
        hi -= 1
    return _strip_plural("".join(pieces[2 * lo: 2 * hi - 1]))


def _special_patterns(text: str, with_hashtags: bool = False) -> list[re.Pattern]:
    """The URL/e-mail/id/handle patterns worth running on ``text`` (a substring test is far
    cheaper than a regex scan that fails at every position)."""
    out = []
    if "://" in text or "www." in text:
        out.append(_URL)
    if "@" in text:
        out += [_EMAIL, _HANDLE]
    if "." in text:
        out.append(_ARXIV)
    if with_hashtags and "#" in text:
        out.append(_HASHTAG)
    return out


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans that are never read as numbers: URLs, e-mails, arXiv ids, handles, hashtags, Latin
    tokens with a letter before a digit (GPT-3, T5, top-1, fp16, x_1)."""
    spans: list[tuple[int, int]] = []
    for rx in _special_patterns(text, with_hashtags=True):
        spans.extend(m.span() for m in rx.finditer(text))
    if _LETTER_DIGIT.search(text):
        spans.extend(m.span() for m in _TOKEN_WITH_DIGIT.finditer(text))
    return spans


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (sorted, non-overlapping)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return any(s < end and start < e for s, e in spans[max(i, 0): i + 2])


class _LowerWords:
    """The lower-case words of a text, read only when a capitalised word needs them (most texts'
    candidates are acronyms and versioned names, decided without)."""

    __slots__ = ("_text", "_words")

    def __init__(self, text: str):
        self._text, self._words = text, None

    def __contains__(self, word: str) -> bool:
        if self._words is None:
            self._words = frozenset(_LOWER_WORD.findall(self._text))
        return word in self._words


def extract_entities(text: str, candidates: list[str] | None = None) -> list[Entity]:
    """Names in ``text`` in order of appearance, one per distinct key. ``candidates``, when
    given, receives every name-shaped token read (for :func:`altered_names`)."""
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []
    kinds = {_URL: "url", _EMAIL: "email", _ARXIV: "arxiv", _HANDLE: "handle"}
    for rx in sorted(_special_patterns(text), key=list(kinds).index):
        kind = kinds[rx]
        for m in rx.finditer(text):
            span = m.group()
            if kind == "url":
                span = span.rstrip(_URL_TRAILING)
            if _overlaps(taken, m.start(), m.start() + len(span)):
                continue
            key = span.rstrip("/") if kind == "url" else span
            bisect.insort(taken, (m.start(), m.start() + len(span)))
            found.append(Entity(kind, span, key, m.start(), m.start() + len(span)))
    lower_words = _LowerWords(text)
    for m in _NAME_CANDIDATE.finditer(text):
        token = m.group()
        if candidates is not None:
            candidates.append(token)
        key = name_key(token) or (token if _is_proper_noun(text, m.start(), token, lower_words) else None)
        if key and not (taken and _overlaps(taken, m.start(), m.end())):
            found.append(Entity("name", token, key, m.start(), m.end()))
    found.sort(key=lambda e: e.start)
    seen: set[str] = set()
    unique = []
    for ent in found:
        k = ent.key.casefold()
        if k not in seen:
            seen.add(k)
            unique.append(ent)
    return unique


# A list item's marker before a word: "(1) ", "1. ", "a) ", "iv) ", "- ", "• ". The capital
# after it starts an item, as after a full stop.
_LIST_MARKER = re.compile(r"(?:^|[\s(])(?:\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{2,4})[.)]|[-–—•*])$")
_LOOK_BACK = 60  # characters before a word that decide whether it starts a sentence


def _starts_sentence(text: str, start: int) -> bool:
    window = text[max(0, start - _LOOK_BACK): start]
    before = window.rstrip(" \"'“‘([")
    if not before:
        return start <= _LOOK_BACK
    return before[-1] in _SENTENCE_END or bool(_LIST_MARKER.search(window.rstrip()))


def _is_proper_noun(text: str, start: int, token: str, lower_words: frozenset | _LowerWords = frozenset()) -> bool:
    """A capitalised word inside a sentence (not its first word, not after a list marker),
    never written lower-case elsewhere in the text: Minecraft, Gopher, Chain-of-Table."""
    parts = token.split("-")
    if not all(p.isalpha() for p in parts) or len(token) < 3:
        return False
    if len(parts) == 1:
        if not (token[0].isupper() and token[1:].islower()):
            return False
    elif sum(p[:1].isupper() for p in parts) < 2:  # Chain-of-Table, Space-Time; not Multi-modal
        return False
    if token in _TRANSLATED_CAPITALISED:
        return False
    if _starts_sentence(text, start):
        return False
    # Three capitalised words in a row are a title (Can Be Accurately Pruned), not a name; a
    # comma or a bracket ends the run (Claude 2, Gemini Pro and GPT-4 are three names).
    run = 1
    for word in reversed(text[max(0, start - 60): start].split(" ")[-3:-1]):
        if not _TITLE_WORD.fullmatch(word):
            break
        run += 1
    after = text[start + len(token): start + len(token) + 60]
    for word in after.split(" ")[1:3] if after.startswith(" ") else ():
        if not _TITLE_WORD.fullmatch(word.rstrip(",;:.)")):
            break
        run += 1
        if word != word.rstrip(",;:.)"):
            break
    return run < 3 and token.lower() not in lower_words  # last: the costliest test


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _ends_name(text: str, end: int) -> bool:
    """Nothing that continues the name at ``end``: no Latin letter or digit, and no version
    continuation (GPT-3 vs GPT-3.5, GPT vs GPT-4); a word suffix (GPT-3-style) is fine."""
    if end >= len(text):
        return True
    ch = text[end]
    if _alnum(ch):
        return False
    following = text[end + 1: end + 2]
    return not (ch in ".,-" and following.isdigit())


def _find_name(hay: str, needle: str) -> bool:
    """``needle`` (lower case) in ``hay`` (lower case), not glued to other Latin letters/digits,
    optionally with a plural s: one scan of the text."""
    plural = not needle.endswith("s")
    start = hay.find(needle)
    while start != -1:
        end = start + len(needle)
        if (start == 0 or not _alnum(hay[start - 1])) and (
            _ends_name(hay, end) or plural and hay.startswith("s", end) and _ends_name(hay, end + 1)
        ):
            return True
        start = hay.find(needle, start + 1)
    return False


def _contains_name(text: str, key: str) -> bool:
    """``key`` in ``text`` (any case, optional plural s), not glued to other Latin letters/digits."""
    return _find_name(text.lower(), key.lower())


# A Latin compound: letter/digit runs joined by single - _ or . (GPT-3.5, Multimodal-CoT).
_COMPOUND = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
_PART_SEP = re.compile(r"[-_.]")
_MAX_PARTS = 6  # a name of more parts is looked up by a scan of the text
_SCANS = 8  # names looked up by scanning before the text is indexed once


class NamePresence:
    """Which names a text contains, by the rule of :func:`_contains_name`.

    The first few names are found by a scan of the text each; after that the text is indexed
    once (every run of up to ``_MAX_PARTS`` parts of each Latin compound that ends a name, with
    its plural s cut too), so a paragraph naming thousands of models costs time linear in its
    length instead of one scan per name."""

    __slots__ = ("_text", "_links", "_hay", "_scans", "_exact", "_plural")

    def __init__(self, text: str):
        self._text, self._links = text, None
        self._hay = text.lower()
        self._scans = 0
        self._exact: set[str] | None = None
        self._plural: set[str] | None = None

    def __contains__(self, key: str) -> bool:
        needle = key.lower()
        if self._exact is None and self._scans < _SCANS:
            self._scans += 1
            return _find_name(self._hay, needle)
        if not _COMPOUND.fullmatch(needle) or needle.count("-") + needle.count("_") + needle.count(".") >= _MAX_PARTS:
            return _find_name(self._hay, needle)  # a handle (@x) or a very long compound
        if self._exact is None:
            self._build()
        return needle in self._exact or not needle.endswith("s") and needle in self._plural

    @property
    def links(self) -> set[str]:
        """The text's URLs and e-mail addresses (:func:`_link_forms`), read once."""
        if self._links is None:
            self._links = _link_forms(self._text)
        return self._links

    def _build(self) -> None:
        hay, exact, plural = self._hay, set(), set()
        for m in _COMPOUND.finditer(hay):
            text, base = m.group(), m.start()
            starts = [0] + [s.end() for s in _PART_SEP.finditer(text)]
            ends = [s.start() for s in _PART_SEP.finditer(text)] + [len(text)]
            for i, a in enumerate(starts):
                for b in ends[i:i + _MAX_PARTS]:
                    if not _ends_name(hay, base + b):
                        continue  # a version goes on (GPT-3 in GPT-3.5)
                    piece = text[a:b]
                    exact.add(piece)
                    if piece.endswith("s") and len(piece) > 1:
                        plural.add(piece[:-1])
        self._exact, self._plural = exact, plural


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _link_forms(text: str) -> set[str]:
    """The URLs and e-mail addresses of ``text``, casefolded, as a name is compared: trailing
    punctuation and slash cut, and anything glued on in another script (``.../barपर``)."""
    out = set()
    for rx in (_URL, _EMAIL):
        for m in rx.finditer(text):
            link = _NON_ASCII.split(m.group(), 1)[0].rstrip(_URL_TRAILING).rstrip("/")
            out.add(link.casefold())
    return out


def entity_present(entity: Entity, text: str, presence: NamePresence | None = None) -> bool:
    if entity.kind in ("url", "email"):
        # the whole link: ".../bar" is not in ".../barz"
        links = presence.links if presence is not None else _link_forms(text)
        return entity.key.rstrip(_URL_TRAILING).rstrip("/").casefold() in links
    if presence is not None:
        return entity.key in presence
    return _contains_name(text, entity.key)


_MAX_NEAR_LEN = 48  # longer Latin tokens are not names; never expand them


def _variants(word: str) -> list[str]:
    """``word`` and every string one character shorter: two words within one edit (a letter
    dropped, doubled, replaced or two swapped) share one of these (a deletion neighbourhood,
    as SymSpell uses), so near names are found by lookup, in time linear in the text."""
    return [word] + [word[:i] + word[i + 1:] for i in range(len(word))]


class _NearIndex:
    """Latin tokens of one text, found again by any token within one edit of them."""

    def __init__(self, tokens):
        self._by_variant: dict[str, str] = {}
        for token in tokens:
            if len(token) <= _MAX_NEAR_LEN:
                for v in _variants(token.casefold()):
                    self._by_variant.setdefault(v, token)

    def near(self, token: str) -> str | None:
        if len(token) > _MAX_NEAR_LEN:
            return None
        folded = token.casefold()
        for v in _variants(folded):
            hit = self._by_variant.get(v)
            # two letters are too short to call one a misspelling of the other, unless both
            # are acronyms (AI written IA)
            if hit is not None and hit.casefold() != folded and (
                    max(len(hit), len(token)) >= 3 or len(hit) == len(token) and hit.isupper() and token.isupper()):
                return hit
        return None


def _same_token(a: str, b: str) -> bool:
    """Equal up to case and a plural s (LLMs ~ LLM, Transformers ~ Transformer)."""
    a, b = a.casefold(), b.casefold()
    return a == b or a == b + "s" or b == a + "s"


def _token_set(tokens) -> set[str]:
    out = set()
    for t in tokens:
        f = t.casefold()
        out.add(f)
        out.add(f[:-1] if f.endswith("s") else f + "s")
    return out


class _Candidates:
    """The Latin tokens of one translation, indexed once for every name looked up in it: by
    near spelling (one edit) and by version (GPT-3 / GPT-3.5)."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = [m.group() for m in _TOKEN.finditer(text)]
        self.near = _NearIndex(self.tokens)
        self._longer: dict[str, tuple[int, str]] | None = None  # prefix before a version -> token
        self._folded: dict[str, tuple[int, str]] = {}
        self._arxiv: _NearIndex | None = None
        self._urls: dict[str, str] | None = None

    def urls(self) -> dict[str, str]:
        """The text's URLs by their casefolded form."""
        if self._urls is None:
            self._urls = {}
            for m in _URL.finditer(self.text):
                url = m.group().rstrip(_URL_TRAILING)
                self._urls[url.casefold()] = url
        return self._urls

    def version_of(self, key: str) -> str | None:
        """A token that is ``key`` with a version added or cut: GPT-3 / GPT-3.5 (the first such
        token of the text)."""
        if self._longer is None:
            self._longer = {}
            for order, token in enumerate(self.tokens):
                folded = token.casefold()
                self._folded.setdefault(folded, (order, token))
                for i in _version_cuts(folded):
                    self._longer.setdefault(folded[:i], (order, token))
        folded = key.casefold()
        hits = [self._longer.get(folded)] + [self._folded.get(folded[:i]) for i in _version_cuts(folded)]
        hits = [h for h in hits if h is not None]
        return min(hits)[1] if hits else None

    def arxiv_near(self, key: str) -> str | None:
        if self._arxiv is None:
            self._arxiv = _NearIndex(re.findall(r"\d{4}\.\d{4,5}", self.text))
        return self._arxiv.near(key)


def _version_cuts(folded: str) -> list[int]:
    """Offsets where a version starts in a casefolded token: before ``-3`` or ``.5``."""
    return [i for i in range(1, len(folded) - 1) if folded[i] in ".-" and folded[i + 1].isdigit()]


def closest_token(entity: Entity, text: str, _candidates: _Candidates | None = None) -> str | None:
    """The Latin token of ``text`` that looks like an altered ``entity`` (SparceGPT, GPT-3).
    ``_candidates``: the text's tokens, indexed once for every name looked up in it."""
    index = _candidates or _Candidates(text)
    if entity.kind in ("url", "email"):
        by_fold = index.urls()
        best = difflib.get_close_matches(entity.key.casefold(), list(by_fold)[:50], n=1, cutoff=0.75)
        return by_fold[best[0]] if best else None
    if entity.kind == "arxiv":
        return index.arxiv_near(entity.key)
    return index.near.near(entity.key) or index.version_of(entity.key) or (
        index.near.near(entity.text) if entity.text != entity.key else None)


def _squash(text: str) -> str:
    return _SEPARATORS.sub("", text.casefold())


_SEPARATORS = re.compile(r"[-_.,;:()\[\]\"'\s]")


_DIGIT = re.compile(r"\d")


def altered_names(source: str, translation: str, source_candidates: list[str] | None = None
                  ) -> list[tuple[Entity, str]]:
    """Name-shaped Latin tokens of the translation (a capital or a digit) that the source does
    not contain but that are one edit away from a source token: CatGPT for ChatGPT, GP-4 for
    GPT-4, NP for NLP, LLs for LLMs. Found even when the right name is written elsewhere too.
    Each as (the source token as an Entity, the altered token verbatim)."""
    # Most translations copy every name exactly: one set difference settles them (C-speed).
    unknown = set(map(str.casefold, _NAME_CANDIDATE.findall(translation)))
    if unknown:
        if source_candidates is None:
            source_candidates = _NAME_CANDIDATE.findall(source)
        unknown -= set(map(str.casefold, source_candidates))
    if not unknown:
        return []
    first_at: dict[str, int] = {}
    for m in _TOKEN.finditer(source):
        first_at.setdefault(m.group(), m.start())
    src_tokens = list(first_at)
    # Casefolded source tokens; a plural s either way is looked up rather than stored.
    present = set(map(str.casefold, src_tokens))
    unknown -= present
    squashed: set[str] | None = None
    index = None
    out: list[tuple[Entity, str]] = []
    seen: set[str] = set()
    for m in _NAME_CANDIDATE.finditer(translation):
        token = m.group()
        folded = token.casefold()
        if folded not in unknown:
            continue
        if m.start() and translation[m.start() - 1] in "#@/.:=?&":
            continue  # a hashtag (#Llama2), a handle or part of a URL: not a copy of a name
        if folded in present or folded + "s" in present or folded in seen or (
                folded[-1:] == "s" and folded[-2:-1] != "s" and folded[:-1] in present):
            continue  # LLMss for LLMs is no plural
        if squashed is None:
            # Spelling variants of one name are not alterations: GPT4 / GPT-4, Llama2 / Llama 2.
            words = source.split()
            squashed = _token_set(_squash(w) for w in words)
            squashed |= _token_set(_squash(a + b) for a, b in zip(words, words[1:]) if b[:1].isdigit() and a[-1:].isalnum())
        if _squash(folded) in squashed:
            continue
        if index is None:
            index = _NearIndex(t for t in src_tokens if t != t.lower() or _DIGIT.search(t))
        hit = index.near(token)
        if hit is None:
            continue
        seen.add(folded)
        at = first_at[hit]
        out.append((Entity("name", hit, hit, at, at + len(hit)), token))
    return out


def _may_be_transliterated(entity: Entity) -> bool:
    """A capitalised word (Transformer, Internet, Minecraft): Hindi may write it in Devanagari.
    Acronyms, versioned and mixed-case names (BERT, GPT-4, SparseGPT) stay in Latin script."""
    key = entity.key
    return entity.kind == "name" and key.isalpha() and key[0].isupper() and key[1:].islower()


def _adjacent_pairs(text: str) -> set[str]:
    """Consecutive Latin tokens of ``text`` with one blank between, lower case: "thought optimization"."""
    tokens = list(_TOKEN.finditer(text))
    return {f"{a.group()} {b.group()}".lower() for a, b in zip(tokens, tokens[1:]) if text[a.end():b.start()] == " "}


# A capitalised word (Preference, Self-Rewarding) between two Latin tokens, one blank on each
# side; starts with its capital so that the scan skips everything else at C speed.
_BETWEEN_LATIN = re.compile(r"[A-Z](?<=[A-Za-z0-9] [A-Z])[a-z]+(?:-[A-Z][a-z]+)*(?= [A-Za-z0-9])")
_TOKEN_TAIL = re.compile(r"[A-Za-z0-9._-]{1,48}$")


def _deleted_between_kept_words(source: str, translation: str, presence: NamePresence,
                                reported: list) -> list[Entity]:
    """Capitalised words of the source cut out of a run of Latin words the translation keeps:
    "Thought Preference Optimization (TPO)" written "Thought Optimization (TPO)". The two words
    around it stand side by side in the translation, so the word was deleted in place, not
    translated (a translation would stand there, or move the words); it is absent in Latin
    script and in Devanagari. Titles and capitalised terms are no names on their own, but a
    translator who keeps the words on both sides keeps this one too."""
    kept_pairs: set[str] | None = None
    devanagari: Transliterations | None = None
    done: set[str] | None = None
    out: list[Entity] = []
    for m in _BETWEEN_LATIN.finditer(source):
        w = m.group()
        if len(w) < 3 or w in _TRANSLATED_CAPITALISED:
            continue
        tail = _TOKEN_TAIL.search(source, max(0, m.start() - 49), m.start() - 1)
        after = _TOKEN.match(source, m.end() + 1)
        before = [t for t in _TOKEN.finditer(tail.group())][-1:] if tail else []
        if not before or before[0].end() != len(tail.group()) or after is None:
            continue
        if kept_pairs is None:
            kept_pairs = _adjacent_pairs(translation)
            done = {e.key.casefold() for e, _ in reported}
        if f"{before[0].group()} {after.group()}".lower() not in kept_pairs or w.casefold() in done or w in presence:
            continue
        devanagari = devanagari or Transliterations(translation)
        if not devanagari.has(w):
            done.add(w.casefold())
            out.append(Entity("name", w, w, m.start(), m.end()))
    return out


def missing_entities(source: str, translation: str) -> list[tuple[Entity, str | None]]:
    """Source names absent from the translation, each with the altered form found there (or
    None), then altered copies of names the translation also writes correctly."""
    out: list[tuple[Entity, str | None]] = []
    candidates: _Candidates | None = None
    presence = NamePresence(translation)
    devanagari = None
    source_candidates: list[str] = []
    for ent in extract_entities(source, source_candidates):
        if not entity_present(ent, translation, presence):
            if _may_be_transliterated(ent):
                if devanagari is None:
                    devanagari = Transliterations(translation)
                if devanagari.has(ent.key):
                    continue
            if candidates is None:
                candidates = _Candidates(translation)
            out.append((ent, closest_token(ent, translation, candidates)))
    for ent in _deleted_between_kept_words(source, translation, presence, out):
        out.append((ent, None))
    reported = {a.casefold() for _, a in out if a}
    for ent, altered in altered_names(source, translation, source_candidates):
        if altered.casefold() not in reported:
            reported.add(altered.casefold())
            out.append((ent, altered))
    return out
