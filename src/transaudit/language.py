"""Language decisions for code-mixed Hindi/English text, built on script analysis.

Tech Hindi keeps English terms in Latin script (``LLMs की performance``), so a whole-line
language detector calls clean Hindi "English" and misses Hindi inside English quotes. Decisions
here therefore start from words and their scripts:

- a word's script decides Hindi vs. Latin vs. a third script (Korean, Arabic, ...);
- English vs. not-English for Latin text is decided by English function words first;
- Hindi vs. Marathi/Nepali for Devanagari text is decided by discriminative marker words.

``langdetect`` is consulted only where those cannot decide (a long Latin text without a single
English function word; a Devanagari sentence with exactly one foreign marker). It is loaded
lazily, once, with a fixed seed so that a run is reproducible.

Offsets returned here index the text as given, so excerpts are verbatim spans of the digest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache
from importlib import resources

from transaudit.script import comparable, letter_class, normalize, scripted_words

# Scripts that belong in a Hindi/English digest. Greek letters are ML notation (α, λ, ε-greedy);
# "other" covers letter-like symbols such as ℓ and ℝ.
HOME_SCRIPTS = frozenset({"latin", "devanagari", "greek", "other"})

SCRIPT_NAMES = {
    "hangul": "Korean (Hangul)",
    "han": "Chinese/Japanese (Han)",
    "kana": "Japanese (kana)",
    "arabic": "Arabic/Urdu",
    "hebrew": "Hebrew",
    "cyrillic": "Cyrillic",
    "thai": "Thai",
    "bengali": "Bengali",
    "gurmukhi": "Gurmukhi (Punjabi)",
    "gujarati": "Gujarati",
    "oriya": "Odia",
    "tamil": "Tamil",
    "telugu": "Telugu",
    "kannada": "Kannada",
    "malayalam": "Malayalam",
}

LANGUAGE_NAMES = {"hi": "Hindi", "mr": "Marathi", "ne": "Nepali", "en": "English"}


# -- word lists (data files in transaudit/data) --------------------------------------------------
@lru_cache(maxsize=None)
def wordlist(name: str) -> frozenset[str]:
    """Entries of ``data/<name>.txt``: one per line, ``#`` comments and blank lines skipped."""
    text = resources.files("transaudit").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


@lru_cache(maxsize=None)
def _markers(name: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Split a marker list into exact words and word endings (entries starting with ``-``);
    entries starting with ``=`` are words shared with Hindi (see ``_shared_with_hindi``)."""
    entries = wordlist(name)
    exact = frozenset(normalize(e) for e in entries if not e.startswith(("-", "=")))
    endings = tuple(sorted((normalize(e[1:]) for e in entries if e.startswith("-")), key=len, reverse=True))
    return exact, endings


# -- protected spans ------------------------------------------------------------------------------
# Material that is never prose in either language: URLs, e-mail addresses and @handles, LaTeX,
# inline code, hashtags. Each pattern runs only when its trigger is in the text (most paragraphs
# have none), and is masked with a fill character of the same length so offsets stay valid.
_PROTECTED: tuple[tuple[tuple[str, ...], re.Pattern], ...] = (
    (("http", "www."), re.compile(r"https?://\S+|www\.\S+")),
    # possessive and anchored at a token start: linear even on a 5 MB token without blanks
    (("@",), re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++\.\w+|(?<![\w.])@\w+")),
    # Inline $...$ as pandoc reads it: no blank inside either dollar, and the closing one not
    # followed by a digit, so "$15 ... $15" (two amounts) is prose, not a formula.
    (("$", "\\(", "\\["), re.compile(r"\$\$.+?\$\$|\$(?=[^\s$])[^$\n]*?(?<=\S)\$(?!\d)|\\\(.+?\\\)|\\\[.+?\\\]", re.DOTALL)),
    (("`",), re.compile(r"`[^`\n]+`")),
    (("#",), re.compile(r"(?<![\w&])#[^\s#.,;:!?।()\[\]\"']+")),
)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of protected material."""
    spans = []
    for triggers, pattern in _PROTECTED:
        if any(t in text for t in triggers):
            spans += [m.span() for m in pattern.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mask_protected(text: str, fill: str = " ", spans: list[tuple[int, int]] | None = None) -> str:
    """``text`` with protected spans overwritten by ``fill`` (offsets unchanged)."""
    spans = protected_spans(text) if spans is None else spans
    if not spans:
        return text
    parts, pos = [], 0
    for start, end in spans:
        parts += [text[pos:start], fill * (end - start)]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# -- cheap screens --------------------------------------------------------------------------------
# C-speed scans that let most paragraphs skip word-by-word analysis (the checks run on every
# pair, and the rule pipeline must stay above 2,000 pairs/s on one core).
_DEVANAGARI_LETTERS = re.compile(letter_class({"devanagari"}) + "+")
_LATIN_LETTERS = re.compile(letter_class({"latin"}) + "+")
_FOREIGN_LETTER = re.compile(letter_class(set(SCRIPT_NAMES)))
# Long texts are judged on a sample: a 5 MB paragraph costs what a long one does.
SAMPLE_CHARS = 20_000


def has_devanagari(text: str) -> bool:
    return _DEVANAGARI_LETTERS.search(text) is not None


def has_foreign_script(text: str) -> bool:
    return _FOREIGN_LETTER.search(text) is not None


@lru_cache(maxsize=None)
def word_set(*names: str) -> frozenset[str]:
    """Single words of the named word lists, lower case (phrases contribute their words)."""
    return frozenset(w.lower() for name in names for e in wordlist(name) for w in e.split())


def has_any_word(text: str, vocabulary: frozenset[str]) -> bool:
    """Whether a Latin word of ``text`` (any case) is in ``vocabulary``; C-speed set operations."""
    return not vocabulary.isdisjoint(map(str.lower, _LATIN_LETTERS.findall(text)))


# -- words with scripts ---------------------------------------------------------------------------
class Word(NamedTuple):
    text: str
    start: int
    end: int
    script: str | None  # None for numbers and other script-less tokens


class Analysis:
    """The words of one text (protected spans excluded), each with its script, grouped once."""

    __slots__ = ("text", "protected", "words", "latin", "devanagari", "foreign")

    def __init__(self, text: str, protected: list[tuple[int, int]], words_: tuple[Word, ...]):
        self.text = text
        self.protected = protected  # spans of URLs, formulas ... (no words are taken from them)
        self.words = words_
        self.latin = [w for w in words_ if w.script == "latin"]
        self.devanagari = [w for w in words_ if w.script == "devanagari"]
        self.foreign = [w for w in words_ if w.script and w.script not in HOME_SCRIPTS]


# Per-text caches are sized for one digest (checks run one after another over its pairs);
# word-level analyses of a whole 10,000-pair file are recomputed rather than all kept in memory.
_TEXT_CACHE = 512


@lru_cache(maxsize=_TEXT_CACHE)
def analyse(text: str) -> Analysis:
    protected = protected_spans(text)
    masked = mask_protected(text, " ", protected)
    new = tuple.__new__  # NamedTuple's own constructor is a slow Python function
    return Analysis(text, protected, tuple([new(Word, w) for w in scripted_words(masked)]))


# -- sentences, quotes and Latin runs -------------------------------------------------------------
_SENTENCE_END = re.compile(r"[।॥?!\n]+|\.(?=\s|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, terminator excluded, surrounding blanks trimmed."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


_QUOTED = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)”|‘([^’\n]+)’|«([^»\n]+)»|(?<![\w'])'([^'\n]+)'(?![\w'])")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted material (the part inside the quote marks)."""
    out = []
    for m in _QUOTED.finditer(text):
        group = next(i for i in range(1, 6) if m.group(i) is not None)
        out.append((m.start(group), m.end(group)))
    return out


@lru_cache(maxsize=_TEXT_CACHE)
def quoted_texts(text: str) -> tuple[str, ...]:
    return tuple(comparable(text[s:e]) for s, e in quoted_spans(text))


# A Latin run stops at sentence ends, colons and quote marks, so that quoted material and
# separate sentences are judged on their own.
_RUN_BREAK = re.compile(r"[।॥?!;\n\"“”«»]|\.(?=\s|$)|:(?=\s)")


@dataclass(frozen=True)
class Run:
    """Consecutive Latin words inside one sentence; numbers between them or after them belong to it."""

    text: str  # verbatim span of the analysed text
    start: int
    end: int
    words: tuple[Word, ...]  # the Latin words only
    before: str | None  # script of the word before the run in the same sentence, if any
    after: str | None

    @property
    def lowered(self) -> list[str]:
        return [w.text.lower() for w in self.words]


@lru_cache(maxsize=_TEXT_CACHE)
def latin_runs(text: str) -> tuple[Run, ...]:
    analysis = analyse(text)
    barriers = _run_barriers(text, analysis.protected)
    runs: list[Run] = []
    current: list[Word] = []
    before: str | None = None
    last_script: str | None = None  # script of the previous scripted word in this sentence
    b = 0  # index of the first barrier not yet passed
    end = 0  # end of the run so far: its last Latin word or a number after it ("Game of 24")

    def flush(after: str | None) -> None:
        if current:
            start = current[0].start
            runs.append(Run(text[start:end], start, end, tuple(current), before, after))
            current.clear()

    for word in analysis.words:
        if b < len(barriers) and barriers[b] <= word.start:
            flush(None)  # a sentence end, quote edge or protected span lies since the last word
            last_script = None
            while b < len(barriers) and barriers[b] <= word.start:
                b += 1
        if word.script == "latin":
            if not current:
                before = last_script
            current.append(word)
            end = word.end
            last_script = "latin"
        elif word.script is None:
            if current:
                end = word.end
        else:
            flush(word.script)
            last_script = word.script
    flush(None)
    return tuple(runs)


def _run_barriers(text: str, protected: list[tuple[int, int]]) -> list[int]:
    """Sorted offsets where a Latin run must stop: sentence ends, colons, quote marks, the edges
    of quoted material (whatever the quote marks) and of protected spans (URL, formula ...)."""
    points = [m.start() for m in _RUN_BREAK.finditer(text)]
    points += [i for span in quoted_spans(text) for i in span]
    points += [start for start, _ in protected]
    return sorted(points)


# -- English --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LatinVerdict:
    language: str | None  # "en", another ISO code, or None when undecided
    function_words: int
    words: int


@lru_cache(maxsize=_TEXT_CACHE)
def latin_language(text: str) -> LatinVerdict:
    """Language of the Latin-script words of ``text``.

    English prose is full of function words (the, of, and, we ...), so their share decides; a
    list of terms has few and stays undecided. Only a long Latin text without any English
    function word goes to langdetect (French, German ... or romanised Hindi).
    """
    sample = mask_protected(text[:SAMPLE_CHARS])
    latin = _LATIN_LETTERS.findall(sample)
    function_words = word_set("english_function_words")
    n, f = len(latin), sum(1 for w in map(str.lower, latin) if w in function_words)
    if n >= 3 and f >= 2 and f / n >= 0.1:
        return LatinVerdict("en", f, n)
    if n >= 6 and f == 0:
        guess = detect_language(" ".join(latin[:500]).lower())
        if guess and guess[1] >= 0.9:
            return LatinVerdict(guess[0], f, n)
    return LatinVerdict(None, f, n)


# -- Devanagari: Hindi, Marathi or Nepali ---------------------------------------------------------
def _is_marker(token: str, name: str) -> bool:
    exact, endings = _markers(name)
    return token in exact or any(token.endswith(e) and len(token) > len(e) for e in endings)


@lru_cache(maxsize=None)
def _shared_with_hindi(name: str) -> frozenset[str]:
    """Hindi function words the other language spells the same way (Nepali को, का)."""
    return frozenset(normalize(e[1:]) for e in wordlist(name) if e.startswith("="))


@lru_cache(maxsize=16384)
def _token_languages(token: str) -> tuple[bool, bool, bool, bool, bool]:
    """(Marathi marker, Nepali marker, Hindi marker, Hindi word Marathi shares, Hindi word
    Nepali shares) for one Devanagari word; words repeat a lot across paragraphs, so this is
    memoised per word."""
    token = normalize(token)
    hindi = _is_marker(token, "hindi_markers")
    return (_is_marker(token, "marathi_markers"), _is_marker(token, "nepali_markers"), hindi,
            hindi and token in _shared_with_hindi("marathi_markers"),
            hindi and token in _shared_with_hindi("nepali_markers"))


@dataclass(frozen=True)
class VariantSpan:
    """A Devanagari sentence written in Marathi or Nepali instead of Hindi."""

    language: str  # "mr" or "ne"
    start: int
    end: int
    text: str
    markers: tuple[str, ...]
    by_detector: bool = False  # True when langdetect broke a tie on a single marker


def _weigh(tokens: list[str]) -> tuple[str, list[str], int]:
    """The neighbouring language with more markers among ``tokens``, its markers, and the Hindi
    function words that speak against it (words it spells as Hindi does speak for neither)."""
    flags = [_token_languages(t) for t in tokens]
    marathi = [t for t, f in zip(tokens, flags) if f[0]]
    nepali = [t for t, f in zip(tokens, flags) if f[1]]
    language, hits, shared = ("mr", marathi, 3) if len(marathi) >= len(nepali) else ("ne", nepali, 4)
    return language, hits, sum(1 for f in flags if f[2] and not f[shared])


def _sentence_variant(tokens: list[str], sentence: str) -> tuple[str, tuple[str, ...], bool] | None:
    language, hits, hindi = _weigh(tokens)
    if not hits:
        return None
    # Three markers of one neighbour in a single sentence do not occur in Hindi, even beside as
    # many Hindi words (a half-converted sentence keeps "किया गया").
    if len(hits) >= 2 and hindi < len(hits) or len(hits) >= 3 and hindi <= len(hits):
        return language, tuple(hits), False
    # One marker and no Hindi function word at all: let the detector decide, strictly.
    if len(hits) == 1 and hindi == 0 and len(tokens) >= 4:
        guess = detect_language(sentence)
        if guess and guess[0] == language and guess[1] >= 0.95:
            return language, tuple(hits), True
    return None


@lru_cache(maxsize=_TEXT_CACHE)
def devanagari_variants(text: str) -> tuple[VariantSpan, ...]:
    """Sentences of ``text`` that are Marathi or Nepali rather than Hindi."""
    # Fast path: most Hindi paragraphs hold no Marathi or Nepali marker at all.
    if not any(f[0] or f[1] for f in map(_token_languages, set(_DEVANAGARI_LETTERS.findall(text)))):
        return ()
    hindi_words = analyse(text).devanagari
    out = []
    i = 0
    for start, end in sentence_spans(text):
        tokens = []
        while i < len(hindi_words) and hindi_words[i].start < end:
            if hindi_words[i].start >= start:
                tokens.append(hindi_words[i].text)
            i += 1
        if len(tokens) < 2:
            continue
        verdict = _sentence_variant(tokens, text[start:end])
        if verdict:
            language, markers, by_detector = verdict
            out.append(VariantSpan(language, start, end, text[start:end], markers, by_detector))
    if not out and hindi_words:
        out = _paragraph_variant(text, hindi_words)
    return tuple(out)


# A paragraph whose sentences each hold one marker is still not Hindi when, taken together,
# the markers are several and outnumber the Hindi function words.
_PARAGRAPH_MARKERS = 3


def _paragraph_variant(text: str, words_: list[Word]) -> list[VariantSpan]:
    language, hits, hindi = _weigh([w.text for w in words_])
    if len(hits) < _PARAGRAPH_MARKERS or hindi >= len(hits):
        return []
    start, end = words_[0].start, words_[-1].end
    return [VariantSpan(language, start, end, text[start:end], tuple(hits))]


# -- third scripts --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScriptSpan:
    script: str
    start: int
    end: int
    text: str


@lru_cache(maxsize=_TEXT_CACHE)
def foreign_script_spans(text: str) -> tuple[ScriptSpan, ...]:
    """Runs of words in a script that has no place in a Hindi/English digest.

    Words of one foreign script join into one span across blanks, numbers and punctuation,
    but not across a line break or a word of another script.
    """
    if not has_foreign_script(text):
        return ()
    spans: list[ScriptSpan] = []
    previous: str | None = None  # script of the previous scripted word
    for word in analyse(text).words:
        if word.script is None:
            continue
        if word.script not in HOME_SCRIPTS:
            last = spans[-1] if spans else None
            if last and previous == word.script and "\n" not in text[last.end:word.start]:
                spans[-1] = ScriptSpan(last.script, last.start, word.end, text[last.start:word.end])
            else:
                spans.append(ScriptSpan(word.script, word.start, word.end, word.text))
        previous = word.script
    return tuple(spans)


# -- langdetect, lazily and deterministically ----------------------------------------------------
_FACTORY = None


def _factory():
    """Load langdetect's profiles once (about 0.25 s) with a fixed seed, on first use."""
    global _FACTORY
    if _FACTORY is None:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        factory.seed = 0  # each detector takes its own seeded Random: same text, same answer
        _FACTORY = factory
    return _FACTORY


@lru_cache(maxsize=1024)
def detect_language(text: str) -> tuple[str, float] | None:
    """Most probable language of ``text`` and its probability, or None when there is no signal."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()
    except LangDetectException:
        return None
    return (best[0].lang, best[0].prob) if best else None


# -- helpers for findings -------------------------------------------------------------------------
def line_excerpt(text: str, start: int, end: int, limit: int = 160) -> str:
    """``text[start:end]`` from its first non-blank character, cut at the next line break and to
    ``limit`` characters (verbatim)."""
    while start < end and text[start].isspace():
        start += 1
    span = text[start:end].split("\n", 1)[0]
    if len(span) > limit:
        cut = span.rfind(" ", 0, limit)
        span = span[: cut if cut > limit // 2 else limit]
    return span.rstrip()


# -- the Hindi slot as a whole --------------------------------------------------------------------
@dataclass(frozen=True)
class EnglishSlot:
    """Why a Hindi slot counts as (almost) all English."""

    reason: str  # "same_as_source" or "latin_dominant"
    latin_words: int
    devanagari_words: int


def _strip_end(text: str) -> str:
    return comparable(text).rstrip(" .।!?")


@lru_cache(maxsize=_TEXT_CACHE)
def english_slot(translation: str, source: str | None) -> EnglishSlot | None:
    """The Hindi slot holds untranslated English: the source itself, or Latin prose with at most
    a stray Hindi word. Code-mixed Hindi with many English terms is not this: its Latin words
    are terms (few function words) and its Devanagari share is high.
    """
    sample = mask_protected(translation[:SAMPLE_CHARS])
    latin, hindi = len(_LATIN_LETTERS.findall(sample)), len(_DEVANAGARI_LETTERS.findall(sample))
    if latin < 2:
        return None
    if source and latin >= hindi and _strip_end(translation) == _strip_end(source):
        return EnglishSlot("same_as_source", latin, hindi)
    if has_foreign_script(sample):
        return None  # a third language: wrong_language reports it
    if hindi and (latin < 8 or hindi / (hindi + latin) >= 0.15):
        return None  # code-mixed Hindi: decided without looking at the Latin words' language
    verdict = latin_language(translation)
    if hindi == 0 and latin >= 3 and verdict.language in ("en", None):
        return EnglishSlot("latin_dominant", latin, hindi)
    if verdict.language == "en" and latin >= 8 and hindi / (hindi + latin) < 0.15 and verdict.function_words >= 3:
        return EnglishSlot("latin_dominant", latin, hindi)
    return None
