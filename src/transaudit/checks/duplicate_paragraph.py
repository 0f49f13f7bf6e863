"""TA104 duplicate_paragraph: a paragraph or line repeated exactly or nearly."""

from __future__ import annotations

import difflib
import re
from itertools import chain
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.model import BlockKind, Document, Finding, Segment, Severity
from transaudit.script import normalize

NEAR_RATIO = 0.9  # difflib ratio at or above which two texts are the same paragraph
MIN_EXACT_CHARS = 12  # shorter lines ("धन्यवाद!") may repeat
MIN_NEAR_CHARS = 30
MIN_CORPUS_CHARS = 60  # across digests only content paragraphs count
MAX_NEAR_CHARS = 20_000  # beyond this only exact repeats are looked for (a 5 MB line stays cheap)

# Section and boilerplate headings repeat in every paper; they are never duplicates.
_REPEATING_HEADINGS = frozenset(
    normalize(h).casefold()
    for h in ("पेपर परिचय", "पेपर सारांश", "पेपर लिंक", "और पढ़ें", "मूल लेख", "अवलोकन")
)
# Lines that are only links, hashtags or punctuation are not paragraphs.
_NOT_PROSE = re.compile(r"(?:\s|https?://\S+|www\.\S+|#\w+|[\[\]()<>*_`~|:;.,!?।-])*")

# Which blocks can repeat each other: Hindi-slot paragraphs and plain text lines together,
# quotes among themselves (a quote equal to its paragraph is english_in_translation or
# hindi_in_source, not a duplicate), paper titles only exactly.
_GROUPS = {
    BlockKind.PARAGRAPH: "text", BlockKind.TEXT: "text",
    BlockKind.QUOTE: "quote", BlockKind.PAPER_TITLE: "title",
}
_NOUN = {BlockKind.PARAGRAPH: "paragraph", BlockKind.TEXT: "line", BlockKind.QUOTE: "quote",
         BlockKind.PAPER_TITLE: "paper title"}


def similarity(a: list[str], b: list[str], floor: float = 0.0) -> float:
    """difflib's ratio of the texts ``" ".join(a)`` and ``" ".join(b)``, computed on words first.

    Equal word runs count in full; only the differing runs are compared character by
    character (so "पाँच"/"पांच" still mostly match). Same value as a character-level
    SequenceMatcher in practice, but far cheaper on long Hindi paragraphs, whose few dozen
    distinct letters make character-level matching slow. Returns 0.0 early when even perfect
    matches inside the differing runs could not reach ``floor``.
    """
    total = len(" ".join(a)) + len(" ".join(b))
    if not total:
        return 1.0
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    equal = sum(len(" ".join(a[i1:i2])) + 1 for tag, i1, i2, _, _ in ops if tag == "equal")
    regions = [(" ".join(a[i1:i2]), " ".join(b[j1:j2])) for tag, i1, i2, j1, j2 in ops if tag == "replace"]
    if 2 * (equal + sum(min(len(x), len(y)) for x, y in regions)) < floor * total:
        return 0.0
    inner = sum(
        sum(m.size for m in difflib.SequenceMatcher(None, x, y, autojunk=False).get_matching_blocks())
        for x, y in regions
    )
    return min(1.0, 2 * (equal + inner) / total)


def dup_key(text: str) -> str:
    """The form repeats are compared in: NFC, zero-width removed, whitespace collapsed, casefold."""
    return normalize(text).casefold()


class DuplicateIndex:
    """Exact and near-duplicate lookup over many texts without comparing every pair.

    Exact repeats are a dict lookup. Near repeats (difflib ratio >= ``threshold``) are only
    compared with earlier texts that share most of their rare word n-grams and have a length
    within the bound the ratio allows, and then measured with :func:`similarity`.
    """

    MAX_POSTINGS = 40  # an n-gram in more texts than this is too common to find candidates
    MAX_CANDIDATES = 8
    MIN_SHARED = 0.5  # share of n-grams a candidate must have in common

    def __init__(self, threshold: float = NEAR_RATIO, min_near: int = MIN_NEAR_CHARS, near: bool = True):
        self.threshold = threshold
        self.min_near = min_near
        self.near = near
        self._exact: dict[str, object] = {}
        self._texts: list[tuple[str, object, int]] = []  # key, ref, number of n-grams
        self._postings: dict[tuple[str, ...], list[int]] = defaultdict(list)

    @staticmethod
    def _grams(key: str) -> set[tuple[str, ...]]:
        """Word trigrams that start at a longer word (bigrams for short texts).

        Trigrams starting at postpositions and particles (के, में, है, of, the) are the most
        common and the least telling; skipping them halves the index at no loss."""
        words = key.split(" ")  # keys are normalised: single spaces
        if len(words) < 8:
            return set(zip(words, words[1:]))
        grams = {(a, b, c) for a, b, c in zip(words, words[1:], words[2:]) if len(a) >= 4}
        return grams if len(grams) >= 4 else set(zip(words, words[1:], words[2:]))

    def _near_allowed(self, key: str) -> bool:
        return self.near and self.min_near <= len(key) <= MAX_NEAR_CHARS

    def find(self, key: str, grams: set | None = None) -> tuple[object, float] | None:
        """The earliest added text equal or near-equal to ``key``: (its ref, ratio)."""
        if key in self._exact:
            return self._exact[key], 1.0
        if not self._near_allowed(key):
            return None
        grams = self._grams(key) if grams is None else grams
        if not grams:
            return None
        postings = self._postings
        shared = Counter(chain.from_iterable(
            p for g in grams if (p := postings.get(g)) is not None and len(p) <= self.MAX_POSTINGS
        ))
        # Two texts with ratio >= 0.9 have lengths within this factor of each other, and in
        # practice (a few words changed, a clause dropped) share most of their trigrams.
        bound = self.threshold / (2 - self.threshold)
        words = None
        for idx, count in shared.most_common(self.MAX_CANDIDATES):
            other, ref, other_grams = self._texts[idx]
            if count < self.MIN_SHARED * max(len(grams), other_grams):
                continue
            short, long_ = sorted((len(key), len(other)))
            if short < bound * long_:
                continue
            words = words or key.split(" ")
            ratio = similarity(other.split(" "), words, self.threshold)
            if ratio >= self.threshold:
                return ref, ratio
        return None

    def find_and_add(self, key: str, ref: object) -> tuple[object, float] | None:
        """:meth:`find`, then :meth:`add` ``key`` (n-grams computed once)."""
        grams = self._grams(key) if key not in self._exact and self._near_allowed(key) else None
        hit = self.find(key, grams)
        self.add(key, ref, grams)
        return hit

    def add(self, key: str, ref: object, grams: set | None = None) -> None:
        if key in self._exact:
            return
        self._exact[key] = ref
        if not self._near_allowed(key):
            return
        idx = len(self._texts)
        grams = self._grams(key) if grams is None else grams
        self._texts.append((key, ref, len(grams)))
        for gram in grams:
            posting = self._postings[gram]
            if len(posting) <= self.MAX_POSTINGS:
                posting.append(idx)


@dataclass(frozen=True)
class _Unit:
    """What may not repeat: a paragraph, a quote, a paper title, or one line of a text block."""

    kind: BlockKind
    text: str
    line: int
    end_line: int


def _units(doc: Document) -> Iterator[_Unit]:
    for block in doc.blocks:
        if block.kind not in _GROUPS:
            continue
        lines = block.text.split("\n")
        if block.kind is BlockKind.TEXT and len(lines) == block.end_line - block.line + 1 > 1:
            # Overview prose and boilerplate are line-oriented: a repeated line is the repeat.
            for offset, text in enumerate(lines):
                yield _Unit(block.kind, text, block.line + offset, block.line + offset)
        else:
            yield _Unit(block.kind, block.text, block.line, block.end_line)


def _countable(unit: _Unit) -> str | None:
    """The comparison key of a unit, or None for text that legitimately repeats."""
    key = dup_key(unit.text)
    if len(key) < MIN_EXACT_CHARS or key in _REPEATING_HEADINGS or _NOT_PROSE.fullmatch(key):
        return None
    return key


@dataclass(frozen=True)
class _Repeat:
    unit: _Unit
    first: _Unit
    ratio: float
    position: int  # index among the document's units
    first_position: int
    end_line: int  # last line of the repeat (its quote's, when the whole pair is repeated)
    noun: str


def document_repeats(doc: Document, keys: dict[int, str] | None = None) -> list[_Repeat]:
    """Units of ``doc`` that repeat an earlier unit of the same group; ``keys`` (if given)
    receives each unit's comparison key by first line."""
    indexes = {
        "text": DuplicateIndex(),
        "quote": DuplicateIndex(),
        "title": DuplicateIndex(near=False),
    }
    repeats = []
    for pos, unit in enumerate(_units(doc)):
        key = _countable(unit)
        if key is None:
            continue
        if keys is not None:
            keys[unit.line] = key
        hit = indexes[_GROUPS[unit.kind]].find_and_add(key, (pos, unit))
        if hit:
            (first_pos, first), ratio = hit
            repeats.append(_Repeat(unit, first, ratio, pos, first_pos, unit.end_line, _NOUN[unit.kind]))
    return _merge_pairs(repeats)


def _merge_pairs(repeats: list[_Repeat]) -> list[_Repeat]:
    """A repeated paragraph+quote pair is one repeat, reported on the paragraph."""
    merged: list[_Repeat] = []
    for r in repeats:
        before = merged[-1] if merged else None
        if (r.unit.kind is BlockKind.QUOTE and before is not None
                and before.unit.kind is BlockKind.PARAGRAPH and before.position == r.position - 1
                and r.first_position == before.first_position + 1):
            merged[-1] = replace(before, end_line=r.unit.end_line, noun="pair")
            continue
        merged.append(r)
    return merged


def _similarity(ratio: float) -> str:
    return "exact repeat" if ratio >= 1.0 else f"{ratio:.0%} similar"


def _excerpt(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= 120 else first[:117] + "..."


@register
class DuplicateParagraph(Check):
    """A paragraph, quote or line repeats an earlier one, exactly or nearly.

    Why it matters: a repeated paragraph is usually a copy-paste slip that also hides a
    missing one, and readers notice it at once. Texts are compared normalised (NFC, no
    zero-width characters, whitespace collapsed, case-folded); near repeats are difflib
    ratio >= 0.9 on texts of 30+ characters. Section headings (पेपर परिचय, पेपर लिंक, और पढ़ें
    ...), links and hashtag lines legitimately repeat and are skipped; a paper title counts
    only as an exact repeat. Across digests, content paragraphs (60+ characters) repeated in
    a later file are reported there. The finding is on the second occurrence.

    Bad:  • chain-of-thought से प्राप्त reasoning steps के आधार पर knowledge retrieve करता है।
            > Retrieves knowledge based on reasoning steps obtained from chain-of-thought.
          • chain-of-thought से प्राप्त reasoning steps के आधार पर knowledge retrieve करता है।
    Good: • chain-of-thought से प्राप्त reasoning steps के आधार पर knowledge retrieve करता है।
            > Retrieves knowledge based on reasoning steps obtained from chain-of-thought.
    """

    code = "TA104"
    category = "duplicate_paragraph"
    default_severity = Severity.ERROR

    def __init__(self) -> None:
        # Repeats found per document, reused by check_corpus (keyed by id; the doc is kept).
        self._repeats: dict[int, tuple[Document, list[_Repeat], dict[int, str]]] = {}

    def _analysis(self, doc: Document) -> tuple[Document, list[_Repeat], dict[int, str]]:
        if id(doc) not in self._repeats:
            keys: dict[int, str] = {}
            self._repeats[id(doc)] = (doc, document_repeats(doc, keys), keys)
        return self._repeats[id(doc)]

    def _document_repeats(self, doc: Document) -> list[_Repeat]:
        return self._analysis(doc)[1]

    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        for r in self._document_repeats(doc):
            if r.noun == "pair":
                message = f"paragraph and its quote repeat the pair at line {r.first.line}"
            else:
                message = f"{r.noun} repeats the {_NOUN[r.first.kind]} at line {r.first.line}"
            yield self.finding(
                doc, r.unit.line, f"{message} ({_similarity(r.ratio)})",
                end_line=r.end_line, excerpt=_excerpt(r.unit.text),
                suggestion="delete the repeated text (or restore what was meant to be here)",
            )

    def check_corpus(self, docs: list[Document], settings: dict) -> Iterator[Finding]:
        try:
            if len(docs) > 1:
                yield from self._across(docs)
        finally:
            self._repeats.clear()  # the memo lives for one run only

    def _across(self, docs: list[Document]) -> Iterator[Finding]:
        index = DuplicateIndex(min_near=MIN_CORPUS_CHARS)
        for doc in sorted(docs, key=lambda d: d.path):
            _, repeats, keys = self._analysis(doc)
            inside = {r.unit.line for r in repeats}
            pending = []
            for seg in doc.segments:
                if not seg.is_pair:  # boilerplate bullets and orphans repeat by design
                    continue
                reported = False
                for text, line, end in ((seg.translation, seg.translation_line, seg.translation_end_line),
                                        (seg.source, seg.source_line, seg.source_end_line)):
                    key = keys.get(line) or dup_key(text)
                    if len(key) < MIN_CORPUS_CHARS or line is None:
                        continue
                    pending.append((key, (doc.path, line)))
                    if reported or line in inside:
                        continue
                    hit = index.find(key)
                    if hit:
                        (path, first_line), ratio = hit
                        reported = True
                        yield self._corpus_finding(doc, seg, line, end, path, first_line, ratio, text)
            # Added after the document, so that repeats inside it stay check_document's.
            for key, ref in pending:
                index.add(key, ref)

    def _corpus_finding(self, doc: Document, seg: Segment, line: int, end: int | None,
                        path: str, first_line: int, ratio: float, text: str) -> Finding:
        return self.finding(
            doc, line,
            f"paragraph repeats {path}:{first_line} from another digest ({_similarity(ratio)})",
            end_line=end, excerpt=_excerpt(text),
            suggestion="translate this paper's own text instead of reusing another digest's", pair=seg,
        )
