"""TA204 untranslated_fragment: an English clause left inside a Hindi paragraph."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.language import (
    Run,
    english_slot,
    has_devanagari,
    latin_runs,
    line_excerpt,
    quoted_spans,
    quoted_texts,
    has_any_word,
    word_set,
    wordlist,
)
from transaudit.locate import pair_spans
from transaudit.model import Finding, Segment, Severity
from transaudit.script import comparable, normalize


@register
class UntranslatedFragment(Check):
    """English words left untranslated inside a Hindi sentence: a clause, not a term.

    Why it matters: a reader of the Hindi issue meets an English clause mid-sentence.

    What counts: English
    technical terms and noun phrases kept in Latin script are normal (``chain-of-thought
    prompting``, ``large language models (LLMs)``, ``text to speech synthesis (TTS)``), and so are
    titles, material the source itself quotes, hashtags, URLs and LaTeX. A Latin run is flagged
    when it has clause structure: a clause word (that, which, rather than ...), two or more
    function words, a subject or auxiliary (we, is, can ...) with other words, or a function word
    dangling at its edge (``मॉडल and डेटा``).

    Bad:  हम यह भी दिखाते हैं that GLM-10B से fine-tune किया गया MathGLM बेहतर है।
    Bad:  TTS को एक language modeling task के रूप में देखते हैं rather than continuous signal regression।
    Good: हम यह भी दिखाते हैं कि GLM-10B से fine-tune किया गया MathGLM बेहतर है।
    """

    code = "TA204"
    category = "untranslated_fragment"
    default_severity = Severity.ERROR

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        if not pair.translation or pair.translation_line is None:
            return
        allow = tuple((ctx.settings.get("glossary") or {}).get("allow") or ())
        found = untranslated_runs(pair.translation, pair.source or "", pair.paper or "", allow)
        if not found:
            return
        run, reason = found[0]
        excerpt = line_excerpt(pair.translation, run.start, run.end)
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        yield self.finding(
            ctx.document,
            pair.translation_line,
            f"English left untranslated inside Hindi ({reason}): {excerpt[:80]!r}{more}",
            end_line=pair.translation_end_line,
            excerpt=excerpt,
            pair=pair,
            # first to last English word: a number after the clause is the run's, not the clause's
            spans=pair_spans(ctx.document.lines, pair, "translation",
                             [(r.words[0].start, r.words[-1].end) for r, _ in found]),
        )


@lru_cache(maxsize=512)
def untranslated_runs(translation: str, source: str, title: str = "", allow: tuple[str, ...] = ()
                      ) -> tuple[tuple[Run, str], ...]:
    """Latin runs of ``translation`` that are untranslated English clauses, with the reason.

    ``allow``: the config glossary's English terms allowed in Hindi text (``as well as``),
    treated like the built-in allowed phrases."""
    # Every rule below needs one English grammar word; most Hindi paragraphs have none.
    if not has_any_word(translation, _grammar_words()) or not has_devanagari(translation):
        return ()
    if english_slot(translation, source or None):
        return ()  # the whole slot is English: TA202 reports it
    out = []
    excuse = None
    for run in latin_runs(translation):
        reason = clause_reason(run, translation, allow)
        if reason:
            excuse = excuse or _Excuses(translation, source, title)
            if not excuse.covers(run):
                out.append((run, reason))
    return tuple(out)


class _Excuses:
    """English the translation may keep: a quotation the source has too, material the source
    quotes, the paper's title, or a title-cased name. Built once per paragraph, when needed."""

    def __init__(self, translation: str, source: str, title: str):
        source_text = comparable(source)
        self.kept_quotes = [(s, e) for s, e in quoted_spans(translation)
                            if comparable(translation[s:e]) in source_text]
        self.source_quotes = quoted_texts(source)
        # A title is cited as written: "in images and videos" is prose even when the title
        # is "Segment Anything in Images and Videos".
        self.title = normalize(title)

    def covers(self, run: Run) -> bool:
        if any(s <= run.start and run.end <= e for s, e in self.kept_quotes):
            return True
        text = comparable(run.text)
        if any(text in quoted for quoted in self.source_quotes):
            return True
        if self.title and normalize(run.text) in self.title:
            return True
        return _looks_like_title(run)


@lru_cache(maxsize=None)
def _grammar_words() -> frozenset[str]:
    return word_set("english_function_words", "english_clause_markers", "english_subject_words",
                    "english_edge_words") | _PHRASE_PREPOSITIONS


def _phrase_mask(lowered: list[str], allow: tuple[str, ...] = ()) -> list[bool]:
    """True for each word that belongs to an allowed term (``state of the art``), built in or
    from the config glossary."""
    covered = [False] * len(lowered)
    by_first, extra = _allowed_phrases(), _phrase_index(allow)
    for i, word in enumerate(lowered):
        for phrase in (*by_first.get(word, ()), *extra.get(word, ())):
            k = len(phrase)
            if tuple(lowered[i:i + k]) == phrase:
                covered[i:i + k] = [True] * k
    return covered


@lru_cache(maxsize=None)
def _allowed_phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Built-in allowed phrases indexed by their first word."""
    return _phrase_index(tuple(wordlist("english_allowed_phrases")))


@lru_cache(maxsize=64)
def _phrase_index(phrases: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """``phrases`` (lower-cased words) indexed by their first word."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(phrase.lower().split())
        if not words:
            continue
        index.setdefault(words[0], []).append(words)
    return {first: tuple(phrases) for first, phrases in index.items()}


@lru_cache(maxsize=None)
def _clause_markers() -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    markers = wordlist("english_clause_markers")
    return (frozenset(m for m in markers if " " not in m),
            tuple(tuple(m.split()) for m in markers if " " in m))


def _has_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    k = len(phrase)
    return any(tuple(words[i:i + k]) == phrase for i in range(len(words) - k + 1))


_VERB_PREPOSITIONS = frozenset({"by", "without", "after", "before", "through", "for", "upon"})


def _prose_words(run: Run, covered: list[bool]) -> list[str]:
    """Lower-cased words that can act as English grammar: written in lower case (or capitalised
    as the run's first word, ``We ...``), and not part of an allowed term. ``US``, ``IT``, ``OR``
    and ``May 2023`` are names, not pronouns or verbs."""
    out = []
    for i, (word, inside_term) in enumerate(zip(run.words, covered)):
        text = word.text
        if inside_term:
            continue
        if text.islower() or (i == 0 and text[:1].isupper() and text[1:].islower()):
            out.append(text.lower())
    return out


def clause_reason(run: Run, text: str = "", allow: tuple[str, ...] = ()) -> str | None:
    """Why ``run`` (a run of ``text``) is a clause rather than a term, or None."""
    lowered = run.lowered
    if _grammar_words().isdisjoint(lowered):
        return None  # a term: no English grammar word in it at all
    covered = _phrase_mask(lowered, allow)
    prose = _prose_words(run, covered)
    n = len(lowered)
    single, multi = _clause_markers()
    joined = [" ".join(p) for p in multi if _has_phrase(prose, p)] + [w for w in prose if w in single]
    if joined and (n >= 2 or run.before == "devanagari" or run.after == "devanagari"):
        return f"clause word {joined[0]!r}"
    function_words = wordlist("english_function_words")
    fws = [w for w in prose if w in function_words]
    if len(fws) >= 2 and n >= 3:
        return "function words " + ", ".join(repr(w) for w in dict.fromkeys(fws))
    # A whole sentence of the Hindi paragraph in Latin words, with English grammar in it: a
    # sentence the translation skipped ("Large language models (LLMs) excel at few-shot ICL.").
    if fws and n >= 5 and run.before is None and run.after is None and _ends_sentence(text, run.end):
        return "English sentence"
    subjects = [w for w in prose if w in wordlist("english_subject_words")]
    if subjects and n >= 3:
        return f"subject/verb {subjects[0]!r}"
    # "using a simple prompt", "improves the accuracy": an article after a lower-case word is
    # phrase structure (verb or preposition + article), which a term does not have.
    for i in range(1, n - 1):
        word, previous = run.words[i].text, run.words[i - 1].text
        if word in ("a", "an", "the") and previous.islower() and not covered[i]:
            return f"phrase {previous + ' ' + word!r}"
    # "by leveraging", "without sacrificing": a preposition governing a verb.
    for i in range(n - 1):
        word, following = run.words[i].text, run.words[i + 1].text
        if word in _VERB_PREPOSITIONS and following.islower() and following.endswith("ing") and len(following) > 5:
            return f"phrase {word + ' ' + following!r}"
    # "for approximately 3 epochs", "by significantly reducing": a function word governing an
    # adverb is sentence structure; terms have adverbs only at their head (fully connected).
    function_words = wordlist("english_function_words")
    for i in range(n - 1):
        word, following = run.words[i].text, run.words[i + 1].text
        if word in function_words and not covered[i] and _is_adverb(following) and n >= 3:
            return f"phrase {word + ' ' + following!r}"
    return _prepositional_phrase(run, covered) or _after_the_verb(run, text) or _dangling_edge(run, covered, text)


# Words in -ly that are not adverbs (or not ones that need a clause around them).
_NOT_ADVERBS = frozenset("""family assembly anomaly monopoly butterfly supply multiply apply reply
    italy friendly likely early daily weekly monthly yearly hourly costly elderly only""".split())


def _is_adverb(word: str) -> bool:
    return len(word) >= 6 and word.islower() and word.endswith("ly") and word.isalpha() and word not in _NOT_ADVERBS


# Prepositions that head a phrase after its noun in English and rarely sit inside a term kept in
# Latin script (Hindi puts the postposition after: "Internet videos से", "human data के बिना").
_PHRASE_PREPOSITIONS = frozenset({
    "from", "without", "using", "via", "through", "across", "within", "against", "towards",
    "toward", "beyond", "despite", "among", "between", "during", "throughout", "unlike"})


def _prepositional_phrase(run: Run, covered: list[bool]) -> str | None:
    """``environment from unlabelled Internet videos``, ``using entirely self-generated data``: a
    preposition followed by two or more words, one of them lower case, outside allowed terms."""
    words = run.words
    for i, word in enumerate(words[:-2]):
        if covered[i] or word.text not in _PHRASE_PREPOSITIONS:
            continue
        rest = [w.text for w, inside in zip(words[i + 1:], covered[i + 1:]) if not inside]
        if len(rest) >= 2 and any(w.islower() for w in rest):
            return f"phrase {' '.join(w.text for w in words[i:i + 3])!r}"
    return None


# Finite verbs and auxiliaries that end a Hindi clause (Hindi is verb-final).
_CLAUSE_FINAL = frozenset("है हैं था थी थे हो होगा होगी होंगे गया गई गए गयी सकता सकती सकते चाहिए".split())
_HINDI_WORD_BEFORE = re.compile(r"([\u0900-\u0963\u0971-\u097F]+)[ \t,]*$")


def _after_the_verb(run: Run, text: str) -> str | None:
    """English words after the Hindi verb that ends the sentence: ``... पाई गई है using entirely
    self-generated data।``. A Hindi sentence ends with its verb; what follows it is a clause left
    in English (two or more words, one of them lower case)."""
    if run.before != "devanagari" or run.after is not None or len(run.words) < 2:
        return None
    if not any(w.text.islower() for w in run.words):
        return None
    rest = text[run.end:].lstrip(" \t")
    if rest[:1] not in ("।", "") :
        return None
    m = _HINDI_WORD_BEFORE.search(text, 0, run.start)
    if m is None or m.group(1) not in _CLAUSE_FINAL:
        return None
    return f"English after the verb {m.group(1)!r}"


def _ends_sentence(text: str, end: int) -> bool:
    """Whether a sentence mark (or the end of the text) follows ``end``, closing brackets aside."""
    rest = text[end:].lstrip(" \t)]\"'”’")
    return not rest or rest[0] in ".!?।"


def _dangling_edge(run: Run, covered: list[bool], text: str) -> str | None:
    """A function word at the edge of a run: ``मॉडल and डेटा``, ``प्रदर्शन of GPT-4``."""
    edges = wordlist("english_edge_words")
    words = run.words
    first, last = words[0].text, words[-1].text
    # A number completes the term ("Game of 24"); "the" before a name is part of it ("the Pile").
    if (first in edges and not covered[0] and not _neighbour(text, run.start, -1).isdigit()
            and not (first == "the" and len(words) > 1 and words[1].text[:1].isupper())):
        return f"dangling {first!r}"
    if last in edges and not covered[-1] and words[-1].end == run.end and not _neighbour(text, run.end, +1).isdigit():
        return f"dangling {last!r}"
    return None


def _neighbour(text: str, pos: int, step: int) -> str:
    """The first non-blank character before (step -1) or from (step +1) ``pos``, or ""."""
    i = pos - 1 if step < 0 else pos
    while 0 <= i < len(text) and text[i].isspace():
        i += step
    return text[i] if 0 <= i < len(text) else ""


def _looks_like_title(run: Run) -> bool:
    """``Language Models are Few-Shot Learners``: capitalised content words, a name not prose."""
    function_words = wordlist("english_function_words")
    words = [w.text for w in run.words]
    if not words[0][:1].isupper():
        return False
    content = [w for w in words if w.lower() not in function_words]
    if not all(w[:1].isupper() or w[:1].isdigit() for w in content):
        return False
    capitalised = [w for w in content if w[:1].isupper() and any(c.islower() for c in w[1:])]
    return len(capitalised) >= 2
