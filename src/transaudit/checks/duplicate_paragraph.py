"""TA104 duplicate_paragraph: a paragraph or line repeated exactly or nearly."""

from __future__ import annotations

import bisect
import difflib
import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain
from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.fixes.build import delete_lines_fix
from transaudit.language import line_excerpt
from transaudit.locate import text_spans
from transaudit.model import BlockKind, Document, Finding, Segment, Severity
from transaudit.renderings import fit, second_renderings
from transaudit.script import comparable, normalize

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


_LATIN_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9][A-Za-z0-9.%-]*[A-Za-z0-9%]|(?<![A-Za-z0-9])[A-Za-z0-9]")


def _is_name(token: str) -> bool:
    """A digit anywhere or a capital after the first character (GPT, 7B, AlpacaEval,
    BIG-Bench), not the capital that starts a sentence."""
    rest = token[1:]
    return rest.lower() != rest or not token.isalpha() and any(c.isdigit() for c in token)


@lru_cache(maxsize=1 << 15)  # the pass across digests asks again for texts seen inside them
def markers(text: str) -> tuple[frozenset, frozenset]:
    """What a paragraph is about: its names and numbers (Latin tokens with a digit or an
    inner capital: GPT-3, 7B, 38%, AlpacaEval, orion-1-0), and its terms: in a Hindi text
    every Latin word (the English terms kept there), in an English one its longer words."""
    tokens = _LATIN_TOKEN.findall(text)
    # Most tokens are plain words (model, Transformer): skip them before the fuller test.
    names = frozenset(t for t in tokens if not (t[1:].islower() and t.isalpha()) and _is_name(t))
    if 5 * sum(map(len, tokens)) < 3 * len(text):  # mostly not Latin: a Hindi paragraph
        return names, frozenset(t.casefold() for t in tokens)
    return names, frozenset(t.casefold() for t in tokens if len(t) >= 4 and t.isalpha())


def _agree(a: frozenset, b: frozenset, slack: int) -> bool:
    """At most ``slack`` (or a tenth of all, if more) items on one side only."""
    return len(a ^ b) <= max(slack, len(a | b) // 10)


def _markers_agree(a: tuple[frozenset, frozenset], b: tuple[frozenset, frozenset]) -> bool:
    """Near repeats keep their names and numbers (one may differ) and nearly all their terms;
    paragraphs on different papers that share phrasing differ in exactly those."""
    return _agree(a[0], b[0], 1) and _agree(a[1], b[1], 2)


# The form repeats are compared in: NFC, zero-width removed, whitespace collapsed, casefold.
dup_key = comparable


def ngrams(key: str) -> frozenset[int]:
    """A sample of a key's word trigrams (bigrams for short texts), hashed.

    Kept: trigrams that start at a longer word (those starting at के, में, है, of, the are
    the most common and the least telling) and whose letters add up to an even count, a
    choice made by content so that two near repeats keep the same trigrams. Halving twice
    keeps the index small; a near repeat still shares most of such a sample."""
    words = key.split(" ")  # keys are normalised: single spaces
    if len(words) < 8:
        return frozenset(map(hash, zip(words, words[1:])))
    lengths = list(map(len, words))
    starts = [i for i in range(len(words) - 2) if lengths[i] >= 4]
    sample = [i for i in starts if not (lengths[i] + lengths[i + 1] + lengths[i + 2]) & 1]
    chosen = sample if len(sample) >= 4 else starts if len(starts) >= 4 else range(len(words) - 2)
    return frozenset(hash((words[i], words[i + 1], words[i + 2])) for i in chosen)


def _most_shared_first(item: tuple[int, int]) -> tuple[int, int]:
    """Most shared trigrams first; ties go to the earliest text, so results are deterministic."""
    idx, count = item
    return count, -idx


class DuplicateIndex:
    """Exact and near-duplicate lookup over many texts without comparing every pair.

    Exact repeats are a dict lookup. Near repeats (difflib ratio >= ``threshold``) are
    looked for only among the earlier texts that share most of the query's informative word
    trigrams (:func:`ngrams`); those are checked for a length within the bound the ratio
    allows and for agreeing names and numbers (:func:`markers`: two papers' intros built on
    the same phrasing, "X प्रस्तुत करता है, 7B parameters वाला ...", are different paragraphs),
    and only then measured with :func:`similarity`.
    """

    MAX_POSTINGS = 64  # a trigram of more texts than this (template phrases) picks out nothing
    MAX_CANDIDATES = 8
    MIN_SHARED = 0.5  # a candidate shares at least this part of the informative trigrams

    def __init__(self, threshold: float = NEAR_RATIO, min_near: int = MIN_NEAR_CHARS, near: bool = True):
        self.threshold = threshold
        self.min_near = min_near
        self.near = near
        self._exact: dict[str, object] = {}
        self._texts: list[tuple[str, object, str]] = []  # key, ref, original text
        self._markers: dict[int, tuple] = {}  # computed when a text first becomes a candidate
        self._postings: dict[int, list[int]] = defaultdict(list)

    def near_allowed(self, key: str) -> bool:
        return self.near and self.min_near <= len(key) <= MAX_NEAR_CHARS

    def _marks(self, idx: int) -> tuple:
        if idx not in self._markers:
            self._markers[idx] = markers(self._texts[idx][2])
        return self._markers[idx]

    def find(self, key: str, grams: frozenset | None = None, text: str | None = None
             ) -> tuple[object, float] | None:
        """The earliest added text equal or near-equal to ``key``: (its ref, ratio).

        ``grams`` is :func:`ngrams` of the key (computed when not given); ``text`` its
        original, where names still have their capitals."""
        if key in self._exact:
            return self._exact[key], 1.0
        if not self.near_allowed(key):
            return None
        grams = ngrams(key) if grams is None else grams
        postings = self._postings
        # Trigrams of too many texts say nothing either way: they are left out of the count
        # and of the share a candidate must reach.
        lists = [p for g in grams if len(p := postings.get(g, ())) <= self.MAX_POSTINGS]
        shared = Counter(chain.from_iterable(lists))
        need = self.MIN_SHARED * len(lists)
        best = [kv for kv in shared.items() if kv[1] >= need]
        if not best:
            return None
        # Two texts with ratio >= 0.9 have lengths within this factor of each other.
        bound = self.threshold / (2 - self.threshold)
        words = own_marks = None
        for idx, _ in heapq.nlargest(self.MAX_CANDIDATES, best, key=_most_shared_first):
            other, ref, _ = self._texts[idx]
            short, long_ = sorted((len(key), len(other)))
            if short < bound * long_:
                continue
            own_marks = own_marks or markers(text if text is not None else key)
            if not _markers_agree(own_marks, self._marks(idx)):
                continue
            words = words or key.split(" ")
            ratio = similarity(other.split(" "), words, self.threshold)
            if ratio >= self.threshold:
                return ref, ratio
        return None

    def find_and_add(self, key: str, ref: object, text: str | None = None) -> tuple[object, float] | None:
        """:meth:`find`, then :meth:`add` (trigrams computed once)."""
        grams = ngrams(key) if key not in self._exact and self.near_allowed(key) else None
        hit = self.find(key, grams, text)
        self.add(key, ref, grams, text)
        return hit

    def add(self, key: str, ref: object, grams: frozenset | None = None, text: str | None = None) -> None:
        if key in self._exact:
            return
        self._exact[key] = ref
        if not self.near_allowed(key):
            return
        idx = len(self._texts)
        self._texts.append((key, ref, text if text is not None else key))
        for gram in ngrams(key) if grams is None else grams:
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


@dataclass
class _Analysis:
    """One document's repeats, with each unit's key and n-grams for the pass across digests."""

    repeats: list[_Repeat]
    keys: dict[int, tuple[str, frozenset | None]]  # first line -> (key, trigrams)


def document_repeats(doc: Document) -> _Analysis:
    """Units of ``doc`` that repeat an earlier unit of the same group."""
    indexes = {
        "text": DuplicateIndex(),
        "quote": DuplicateIndex(),
        "title": DuplicateIndex(near=False),
    }
    repeats = []
    keys: dict[int, tuple[str, frozenset | None]] = {}
    for pos, unit in enumerate(_units(doc)):
        key = _countable(unit)
        if key is None:
            continue
        index = indexes[_GROUPS[unit.kind]]
        grams = ngrams(key) if index.near_allowed(key) else None
        keys[unit.line] = (key, grams)
        hit = index.find(key, grams, unit.text)
        index.add(key, (pos, unit), grams, unit.text)
        if hit:
            (first_pos, first), ratio = hit
            repeats.append(_Repeat(unit, first, ratio, pos, first_pos, unit.end_line, _NOUN[unit.kind]))
    repeats += _repeated_lines_inside(doc)
    return _Analysis(_merge_pairs(repeats), keys)


def _repeated_lines_inside(doc: Document) -> list[_Repeat]:
    """A line repeated inside one multi-line quote or paragraph (in the text layout a copied
    ``> `` line right below its quote joins that quote)."""
    out = []
    for block in doc.blocks:
        if block.kind not in (BlockKind.QUOTE, BlockKind.PARAGRAPH) or block.end_line == block.line:
            continue
        first_seen: dict[str, _Unit] = {}
        for offset, text in enumerate(block.text.split("\n")):
            key = dup_key(text)
            unit = _Unit(block.kind, text, block.line + offset, block.line + offset)
            if len(key) < MIN_NEAR_CHARS:
                continue
            if key in first_seen:
                out.append(_Repeat(unit, first_seen[key], 1.0, -1, -1, unit.line, _NOUN[block.kind]))
            else:
                first_seen[key] = unit
    return out


def _repeat_spans(doc: Document, r: _Repeat):
    """The repeated text: the unit, and for a repeated pair its quote too."""
    spans = text_spans(doc.lines, r.unit.line, r.unit.text, [(0, len(r.unit.text))])
    if r.noun == "pair":
        quote = next((b for b in doc.blocks if b.kind is BlockKind.QUOTE and b.end_line == r.end_line), None)
        if quote is not None:
            spans += text_spans(doc.lines, quote.line, quote.text, [(0, len(quote.text))])
    return spans


def _merge_pairs(repeats: list[_Repeat]) -> list[_Repeat]:
    """A repeated paragraph+quote pair is one repeat, reported on the paragraph."""
    merged: list[_Repeat] = []
    for r in repeats:
        before = merged[-1] if merged else None
        if (r.unit.kind is BlockKind.QUOTE and before is not None
                and before.unit.kind is BlockKind.PARAGRAPH and before.position == r.position - 1
                and r.first_position == before.first_position + 1):
            # exact only when both the paragraph and its quote are
            merged[-1] = replace(before, end_line=r.unit.end_line, noun="pair", ratio=min(before.ratio, r.ratio))
            continue
        merged.append(r)
    return merged


class _Quotes:
    """The document's quote blocks by line, and which of them are one side of a pair."""

    def __init__(self, doc: Document) -> None:
        self.blocks = [b for b in doc.blocks if b.kind is BlockKind.QUOTE]
        self.lines = [b.line for b in self.blocks]
        self.paired = {s.source_line for s in doc.segments if s.is_pair}

    def after(self, line: int):
        """The first quote block starting below ``line``."""
        i = bisect.bisect_right(self.lines, line)
        return self.blocks[i] if i < len(self.blocks) else None


def _removal_fix(doc: Document, r: _Repeat, paired: dict, quotes: _Quotes):
    """Deleting the repeat, when that is all it takes: an exact, verbatim repeat of a line, a
    whole pair, a line inside a block, or a paragraph or quote standing alone. A repeated paragraph
    with its own English original (or a quote with its own paragraph) is a wrong translation
    rather than a stray copy, and a repeated paper title starts a paper: those are not removed."""
    if r.ratio < 1.0 or r.unit.text != r.first.text:
        return None
    if r.noun == "pair":
        repeat_quote, first_quote = quotes.after(r.unit.line), quotes.after(r.first.line)
        if repeat_quote is None or first_quote is None or repeat_quote.text != first_quote.text:
            return None
    elif r.position >= 0 and r.noun in ("paragraph", "quote"):
        if r.unit.line in paired or r.unit.line in quotes.paired:
            return None
    elif r.position >= 0 and r.noun != "line":
        return None
    first, last = r.unit.line, (r.end_line if r.position >= 0 else r.unit.line)
    return delete_lines_fix(doc.lines, first, last, f"delete the repeated {r.noun} (lines {first}-{last})"
                            if last > first else f"delete the repeated {r.noun} (line {first})")


def _similarity(ratio: float) -> str:
    return "exact repeat" if ratio >= 1.0 else f"{ratio:.0%} similar"


def _excerpt(text: str) -> str:
    """The repeat's opening, verbatim (the report highlights it), cut at a word boundary."""
    return line_excerpt(text, 0, len(text), 120)


@register
class DuplicateParagraph(Check):
    """A paragraph, quote or line repeats an earlier one, exactly or nearly.

    Why it matters: a repeated paragraph is usually a copy-paste slip that also hides a
    missing one, and readers notice it at once.

    What counts: texts that read the same (differences only in invisible characters, spacing
    or case), or nearly the same: at least 90% alike, 30 or more characters, and keeping the
    same names, numbers and terms (two papers' intros written from one template are not repeats). Section headings (पेपर परिचय, पेपर लिंक, और पढ़ें
    ...), links and hashtag lines legitimately repeat and are skipped; a paper title counts
    only as an exact repeat. Across digests, content paragraphs (60+ characters) repeated in
    a later file are reported there: Hindi paragraphs exactly or nearly, English originals
    exactly. The finding is on the second occurrence.

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
        self._repeats: dict[int, tuple[Document, _Analysis]] = {}

    def _analysis(self, doc: Document) -> _Analysis:
        if id(doc) not in self._repeats:
            self._repeats[id(doc)] = (doc, document_repeats(doc))
        return self._repeats[id(doc)][1]

    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        renderings = {r.line: r for r in second_renderings(doc)}
        for r in renderings.values():
            yield self.finding(
                doc, r.line,
                f"the English original of the paragraph at line {r.first_line} was replaced by a "
                f"second Hindi translation (line {r.line})",
                end_line=r.end_line, excerpt=_excerpt(r.text),
                suggestion="put the English original here, as a '> ' quote", pair=r.segment,
                spans=text_spans(doc.lines, r.line, r.text, [(0, len(r.text))]),
            )
        paired = {seg.translation_line: seg for seg in doc.segments if seg.is_pair}
        quotes = _Quotes(doc)
        for r in self._analysis(doc).repeats:
            if r.unit.line in renderings:
                continue
            a, b = paired.get(r.first.line), paired.get(r.unit.line)
            if r.noun == "paragraph" and a is not None and b is not None \
                    and fit(a.translation, a.source) < fit(b.translation, b.source):
                # The earlier copy is the stray one: it fits the later pair's original, not its own.
                yield self.finding(
                    doc, a.translation_line,
                    f"paragraph repeats the paragraph at line {b.translation_line}, whose English original "
                    f"it translates, not its own ({_similarity(r.ratio)})",
                    end_line=a.translation_end_line, excerpt=_excerpt(a.translation),
                    suggestion="translate this pair's own English original", pair=a,
                    spans=text_spans(doc.lines, a.translation_line, a.translation, [(0, len(a.translation))]),
                )
                continue
            if r.noun == "pair":
                message = f"paragraph and its quote repeat the pair at line {r.first.line}"
            else:
                message = f"{r.noun} repeats the {_NOUN[r.first.kind]} at line {r.first.line}"
            yield self.finding(
                doc, r.unit.line, f"{message} ({_similarity(r.ratio)})",
                end_line=r.end_line, excerpt=_excerpt(r.unit.text),
                suggestion="delete the repeated text (or restore what was meant to be here)",
                spans=_repeat_spans(doc, r), fix=_removal_fix(doc, r, paired, quotes),
            )

    def check_corpus(self, docs: list[Document], settings: dict) -> Iterator[Finding]:
        try:
            yield from self._across(docs)
        finally:
            self._repeats.clear()
            markers.cache_clear()  # the memos live for one run only

    def _across(self, docs: list[Document]) -> Iterator[Finding]:
        # Across digests (and across the rows of a parallel file) through the bounded-memory
        # corpus index: Hindi paragraphs exactly or nearly, English originals exactly.
        from transaudit.dupindex import corpus_repeats

        yield from corpus_repeats(self, docs, self._analysis)

    def _corpus_finding(self, doc: Document, seg: Segment, line: int, end: int | None,
                        path: str, first_line: int, ratio: float, text: str) -> Finding:
        return self.finding(
            doc, line,
            f"paragraph repeats {path}:{first_line} from another digest ({_similarity(ratio)})",
            end_line=end, excerpt=_excerpt(text),
            suggestion="translate this paper's own text instead of reusing another digest's", pair=seg,
            spans=text_spans(doc.lines, line, text, [(0, len(text))]),
        )
