"""TA204 untranslated_fragment: an English clause left inside a Hindi paragraph."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.language import (
    Run,
    analyse,
    comparable,
    english_slot,
    latin_runs,
    line_excerpt,
    quoted_spans,
    quoted_texts,
    wordlist,
)
from transaudit.model import Finding, Segment, Severity


@register
class UntranslatedFragment(Check):
    """English words left untranslated inside a Hindi sentence: a clause, not a term.

    Why it matters: a reader of the Hindi issue meets an English clause mid-sentence. English
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
        found = untranslated_runs(pair.translation, pair.source or "", pair.paper or "")
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
        )


@lru_cache(maxsize=2048)
def untranslated_runs(translation: str, source: str, title: str = "") -> tuple[tuple[Run, str], ...]:
    """Latin runs of ``translation`` that are untranslated English clauses, with the reason."""
    if not analyse(translation).devanagari or english_slot(translation, source or None):
        return ()  # no Hindi to be inside of, or the whole slot is English (TA202 reports it)
    source_quotes = quoted_texts(source)
    source_text = comparable(source)
    kept_quotes = [(s, e) for s, e in quoted_spans(translation) if comparable(translation[s:e]) in source_text]
    title_text = comparable(title)
    out = []
    for run in latin_runs(translation):
        if any(s <= run.start and run.end <= e for s, e in kept_quotes):
            continue  # an English quotation the source has too
        text = comparable(run.text)
        if any(text in q for q in source_quotes) or (title_text and text in title_text):
            continue
        if _looks_like_title(run):
            continue
        reason = clause_reason(run)
        if reason:
            out.append((run, reason))
    return tuple(out)


def _phrase_mask(lowered: list[str]) -> list[bool]:
    """True for each word that belongs to an allowed multi-word term (``state of the art``)."""
    covered = [False] * len(lowered)
    for phrase in _allowed_phrases():
        k = len(phrase)
        for i in range(len(lowered) - k + 1):
            if tuple(lowered[i:i + k]) == phrase:
                covered[i:i + k] = [True] * k
    return covered


@lru_cache(maxsize=None)
def _allowed_phrases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in wordlist("english_allowed_phrases"))


@lru_cache(maxsize=None)
def _clause_markers() -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    markers = wordlist("english_clause_markers")
    return (frozenset(m for m in markers if " " not in m),
            tuple(tuple(m.split()) for m in markers if " " in m))


def _has_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    k = len(phrase)
    return any(tuple(words[i:i + k]) == phrase for i in range(len(words) - k + 1))


def clause_reason(run: Run) -> str | None:
    """Why ``run`` is a clause rather than a term, or None."""
    lowered = run.lowered
    covered = _phrase_mask(lowered)
    free = [w for w, c in zip(lowered, covered) if not c]
    n = len(lowered)
    single, multi = _clause_markers()
    joined = [" ".join(p) for p in multi if _has_phrase(free, p)] + [w for w in free if w in single]
    if joined and (n >= 2 or run.before == "devanagari" or run.after == "devanagari"):
        return f"clause word {joined[0]!r}"
    function_words = wordlist("english_function_words")
    fws = [w for w in free if w in function_words]
    if len(fws) >= 2 and n >= 3:
        return "function words " + ", ".join(repr(w) for w in dict.fromkeys(fws))
    subjects = [w for w in free if w in wordlist("english_subject_words")]
    if subjects and n >= 3:
        return f"subject/verb {subjects[0]!r}"
    edges = wordlist("english_edge_words")
    first, last = run.words[0].text, run.words[-1].text
    if first in edges and not covered[0]:
        return f"dangling {first!r}"
    if last in edges and not covered[-1]:
        return f"dangling {last!r}"
    return None


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
