"""The corpus index behind duplicate_paragraph (TA104) across files and across chunks.

A million-pair corpus cannot keep every paragraph in memory to compare new ones with, so this
index holds per indexed text only numbers, in compact sorted arrays:

- exact repeats: a 64-bit BLAKE2b hash of the text's comparison key (:func:`dup_key`);
- near repeats: a sketch of the word trigrams the in-digest index samples (the same choice as
  :func:`~transaudit.checks.duplicate_paragraph.ngrams`, hashed with CRC-32 so that every run
  and every worker picks the same ones): a text carries its ``CARRIED`` trigrams with the
  smallest hashes, and the first ``SKETCH`` of them that are not yet common (posted for more
  than ``MAX_POSTINGS`` texts: template phrases, ignored as in the in-digest index) are looked
  up and posted in an inverted index;
- per text: its file, line and key length, and where its original lies in a temporary spill
  file. A candidate found through the sketch is confirmed exactly as inside a digest (length
  bound, same names and numbers, difflib ratio >= 0.9 on the real texts): only candidates are
  read back from the spill file.

Measured growth is stated in ``benchmarks/bench_scale.py`` (bytes per indexed pair). The arrays
are log-structured: new entries sit in a small dict until the chunk ends, then join sorted
runs that are merged when they reach similar sizes, so adding n entries costs O(n log n) and
a lookup costs one binary search per run.
"""

from __future__ import annotations

import hashlib
import heapq
import pickle
import tempfile
import zlib
from array import array
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Sequence

SKETCH = 8  # trigrams posted per text
CARRIED = 32  # trigrams a text brings, of which the first SKETCH uncommon ones are used
MAX_POSTINGS = 64  # as DuplicateIndex.MAX_POSTINGS: a trigram of more texts picks out nothing
MAX_CANDIDATES = 8
MIN_SHARED = 0.5  # of the query's informative sketch trigrams, as DuplicateIndex.MIN_SHARED
MIN_CORPUS_CHARS = 60  # duplicate_paragraph.MIN_CORPUS_CHARS (kept equal by a test)
HINDI, ENGLISH = 0, 1


def key_hash(key: str) -> int:
    """Signed 64-bit hash of a comparison key, the same in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "little", signed=True)


@lru_cache(maxsize=1024)
def key_grams(key: str) -> frozenset[int]:
    """duplicate_paragraph's trigram sample of a key (:func:`ngrams`: trigrams starting at a
    word of 4+ letters whose letters add up to an even count; bigrams for short texts), hashed
    with CRC-32, the same in every process. Computed once for the checks of a chunk
    (missing_source's repeat index and the probes read the same translations)."""
    words = key.split(" ")
    if len(words) < 8:
        return frozenset(zlib.crc32(f"{a}\x1f{b}".encode("utf-8", "surrogatepass")) for a, b in zip(words, words[1:]))
    lengths = list(map(len, words))
    starts = [i for i in range(len(words) - 2) if lengths[i] >= 4]
    sample = [i for i in starts if not (lengths[i] + lengths[i + 1] + lengths[i + 2]) & 1]
    chosen = sample if len(sample) >= 4 else starts if len(starts) >= 4 else range(len(words) - 2)
    return frozenset(zlib.crc32(f"{words[i]}\x1f{words[i + 1]}\x1f{words[i + 2]}".encode("utf-8", "surrogatepass"))
                     for i in chosen)


def sketch(grams: Iterable[int]) -> tuple[int, ...]:
    """The ``CARRIED`` smallest trigram hashes, smallest first: near repeats keep most of them."""
    return tuple(heapq.nsmallest(CARRIED, grams))


class _Runs:
    """int64 key -> uint32 value pairs in sorted numpy runs (duplicates kept, in insertion
    order), merged geometrically."""

    def __init__(self) -> None:
        self.runs: list[tuple[object, object]] = []

    def add_sorted(self, keys, values) -> None:
        import numpy as np

        if not len(keys):
            return
        self.runs.append((keys, values))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (k1, v1), (k2, v2) = self.runs[-2], self.runs.pop()
            k, v = np.concatenate((k1, k2)), np.concatenate((v1, v2))
            order = np.argsort(k, kind="stable")  # older run first: insertion order kept
            self.runs[-1] = (k[order], v[order])

    def add(self, pairs: Sequence[tuple[int, int]]) -> None:
        import numpy as np

        if not pairs:
            return
        keys = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        values = np.fromiter((p[1] for p in pairs), dtype=np.uint32, count=len(pairs))
        order = np.argsort(keys, kind="stable")
        self.add_sorted(keys[order], values[order])

    def lookup(self, queries) -> tuple[object, list]:
        """For each query key: how many values it has, and per run the (left, right) slices."""
        import numpy as np

        q = np.asarray(queries, dtype=np.int64)
        counts = np.zeros(len(q), dtype=np.int64)
        slices = []
        for keys, _ in self.runs:
            left = np.searchsorted(keys, q, "left")
            right = np.searchsorted(keys, q, "right")
            counts += right - left
            slices.append((left, right))
        return counts, slices

    def values(self, slices: list, i: int) -> list[int]:
        out: list[int] = []
        for (left, right), (_, vals) in zip(slices, self.runs):
            if right[i] > left[i]:
                out.extend(vals[left[i]:right[i]].tolist())
        return out

    def nbytes(self) -> int:
        return sum(k.nbytes + v.nbytes for k, v in self.runs)


@dataclass(frozen=True)
class Probe:
    """One side of one pair, as the corpus pass needs it (computed where the pair is checked)."""

    seg: int  # position of the pair in its chunk: one finding per pair
    side: int  # HINDI or ENGLISH
    line: int
    end_line: int | None
    hash: int
    key_len: int
    grams: tuple[int, ...] | None  # sketch, for a text near repeats are looked for
    text: str | None  # the original, for the same texts (kept only until the pass reads it)
    inside: bool  # already a repeat inside its own digest
    marks: tuple | None = None  # its names/numbers and terms (duplicate_paragraph.markers), same texts
    bits: tuple | None = None  # mark_bits(marks)


@dataclass(frozen=True)
class Hit:
    probe: Probe
    path: str  # file of the first occurrence
    line: int
    ratio: float
    same_file: bool


class CorpusIndex:
    """Exact and near-repeat lookup over every indexed text of a run, in bounded memory."""

    def __init__(self, near: Callable[[str, tuple, str, tuple], float | None]):
        # near(text, marks, earlier_text, earlier_marks) -> the ratio when near repeats, else None
        self._near = near
        self._exact = [_Runs(), _Runs()]  # per side: key hash -> entry
        self._postings = _Runs()  # sketch trigram -> entry (Hindi side only)
        self._mem_exact: list[dict[int, int]] = [{}, {}]
        self._mem_post: dict[int, list[int]] = {}
        self._files: list[str] = []
        self._file = array("I")  # entry -> file number
        self._line = array("I")
        self._klen = array("I")
        self._slot = array("i")  # entry -> its row in the near tables below (-1: exact only)
        self._spill_at = array("q")  # offset of the text (and its markers) in the spill file
        self._spill_len = array("I")
        self._mark_bits = array("Q")  # names bits, terms bits (see mark_bits)
        self._mark_counts = array("H")  # names, terms
        self._spill = tempfile.TemporaryFile(prefix="transaudit-dup-")
        self._spill_end = 0
        self.entries = 0

    # -- what it costs -----------------------------------------------------------
    def nbytes(self) -> int:
        """Bytes held in memory by the index (the spill file is on disk)."""
        arrays = (self._file, self._line, self._klen, self._slot, self._spill_at, self._spill_len,
                  self._mark_bits, self._mark_counts)
        return (sum(r.nbytes() for r in self._exact) + self._postings.nbytes()
                + sum(a.itemsize * len(a) for a in arrays))

    def spill_bytes(self) -> int:
        return self._spill_end

    def close(self) -> None:
        self._spill.close()

    # -- building ----------------------------------------------------------------
    def file_number(self, path: str) -> int:
        self._files.append(path)
        return len(self._files) - 1

    def _new_entry(self, file_no: int, probe: Probe) -> int:
        entry = self.entries
        self.entries += 1
        self._file.append(file_no)
        self._line.append(probe.line)
        self._klen.append(probe.key_len)
        if probe.grams is not None and probe.text is not None:
            data = pickle.dumps((probe.text, probe.marks), protocol=pickle.HIGHEST_PROTOCOL)
            self._spill.seek(self._spill_end)
            self._spill.write(data)
            self._slot.append(len(self._spill_at))
            self._spill_at.append(self._spill_end)
            self._spill_len.append(len(data))
            self._spill_end += len(data)
            bits = probe.bits or mark_bits(probe.marks)
            self._mark_bits.extend(bits[0::2])
            self._mark_counts.extend(min(n, 65535) for n in bits[1::2])
        else:
            self._slot.append(-1)
        return entry

    def _text(self, slot: int) -> tuple[str, tuple | None]:
        """A near entry's original text and its markers, read back from the spill file."""
        self._spill.seek(self._spill_at[slot])
        return pickle.loads(self._spill.read(self._spill_len[slot]))

    def _marks_may_agree(self, bits: tuple[int, int, int, int], slot: int) -> bool:
        """False when the names or terms of two texts surely differ too much (the markers test
        of duplicate_paragraph, decided from their bits without reading the text back): each
        bit set on one side only stands for a different item, so the differing bits are at
        most the differing items."""
        for k, slack in ((0, 1), (1, 2)):
            mine, n_mine = bits[2 * k], bits[2 * k + 1]
            theirs, n_theirs = self._mark_bits[2 * slot + k], self._mark_counts[2 * slot + k]
            if (mine ^ theirs).bit_count() > max(slack, (n_mine + n_theirs) // 10):
                return False
        return True

    def flush(self) -> None:
        """End of a chunk: the entries added since the last flush join the sorted runs."""
        for side in (HINDI, ENGLISH):
            mem = self._mem_exact[side]
            self._exact[side].add(list(mem.items()))
            mem.clear()
        self._postings.add([(g, e) for g, entries in self._mem_post.items() for e in entries])
        self._mem_post.clear()

    # -- one chunk ---------------------------------------------------------------
    def visit(self, file_no: int, probes: Sequence[Probe], add_now: bool) -> Iterator[Hit]:
        """Look every probe up (in order) and index it; one hit at most per pair.

        ``add_now``: a probe is indexed as soon as it was looked up (rows of a parallel file
        repeat earlier rows of the same file); else after the whole batch (a digest's own
        repeats are found inside it, by duplicate_paragraph)."""
        exact_found = {}
        for side in (HINDI, ENGLISH):
            hashes = [p.hash for p in probes if p.side == side]
            runs = self._exact[side]
            if hashes and runs.runs:
                counts, slices = runs.lookup(hashes)
                for i in counts.nonzero()[0].tolist():
                    exact_found[(side, hashes[i])] = min(runs.values(slices, i))
        grams = sorted({g for p in probes if p.grams for g in p.grams})
        run_count: dict[int, int] = {}
        run_slices = None
        if grams and self._postings.runs:
            counts, run_slices = self._postings.lookup(grams)
            run_count = {grams[i]: int(c) for i, c in enumerate(counts.tolist()) if c}
        gram_pos = {g: i for i, g in enumerate(grams)}
        pending: list[Probe] = []
        reported: set[int] = set()
        for probe in probes:
            pending.append(probe)
            if not (probe.inside or probe.seg in reported):
                hit = self._find(file_no, probe, exact_found, run_count, run_slices, gram_pos)
                if hit is not None:
                    reported.add(probe.seg)
                    yield hit
            if add_now:
                self._add(file_no, pending.pop(), run_count, exact_found)
        for probe in pending:
            self._add(file_no, probe, run_count, exact_found)

    def _find(self, file_no, probe, exact_found, run_count, run_slices, gram_pos) -> Hit | None:
        entry = self._mem_exact[probe.side].get(probe.hash)
        if entry is None:
            entry = exact_found.get((probe.side, probe.hash))
        if entry is not None:
            return self._hit(file_no, probe, entry, 1.0)
        if probe.side != HINDI or not probe.grams:
            return None
        shared: dict[int, int] = {}
        informative = 0
        for g in probe.grams:
            in_runs = run_count.get(g, 0)
            mem = self._mem_post.get(g, ())
            if in_runs + len(mem) > MAX_POSTINGS:
                continue
            if informative == SKETCH:
                break
            informative += 1
            found = list(mem)
            if in_runs:
                found += self._postings.values(run_slices, gram_pos[g])
            for e in found:
                shared[e] = shared.get(e, 0) + 1
        need = max(1.0, MIN_SHARED * informative)
        best = [(count, -e) for e, count in shared.items() if count >= need]
        if not best:
            return None
        bits = probe.bits or (mark_bits(probe.marks) if probe.marks is not None else None)
        for _, neg in heapq.nlargest(MAX_CANDIDATES, best):
            e = -neg
            short, long_ = sorted((probe.key_len, self._klen[e]))
            slot = self._slot[e]
            if short < (0.9 / 1.1) * long_ or slot < 0:
                continue
            if bits is not None and self._mark_counts and not self._marks_may_agree(bits, slot):
                continue
            ratio = self._near(probe.text, probe.marks, *self._text(slot))
            if ratio is not None:
                return self._hit(file_no, probe, e, ratio)
        return None

    def _hit(self, file_no: int, probe: Probe, entry: int, ratio: float) -> Hit:
        return Hit(probe, self._files[self._file[entry]], self._line[entry], ratio,
                   self._file[entry] == file_no)

    def _add(self, file_no: int, probe: Probe, run_count: dict[int, int], exact_found: dict) -> None:
        mem = self._mem_exact[probe.side]
        if probe.hash in mem or (probe.side, probe.hash) in exact_found:
            return  # the first occurrence stays the one reported
        entry = self._new_entry(file_no, probe)
        mem[probe.hash] = entry
        posted = 0
        for g in probe.grams or ():
            posting = self._mem_post.get(g)
            if run_count.get(g, 0) + (len(posting) if posting else 0) <= MAX_POSTINGS:
                if posting is None:
                    posting = self._mem_post[g] = []
                posting.append(entry)
                posted += 1
                if posted == SKETCH:
                    break


# -- the pass over documents (duplicate_paragraph's check_corpus, and the streaming audit) ------

def mark_bits(marks: tuple | None) -> tuple[int, int, int, int]:
    """(names bits, names, terms bits, terms): each item sets one of 64 bits (CRC-32)."""
    out = []
    for items in marks or (frozenset(), frozenset()):
        bits = 0
        for item in items:
            bits |= 1 << (zlib.crc32(item.encode("utf-8", "surrogatepass")) & 63)
        out += [bits, len(items)]
    return tuple(out)


def text_markers(text: str) -> tuple:
    """duplicate_paragraph's markers of a text (computed where the pair is checked, not by the
    pass, and without its memo, which a corpus's texts would fill)."""
    from transaudit.checks.duplicate_paragraph import markers

    return getattr(markers, "__wrapped__", markers)(text)


def near_ratio(text: str, marks: tuple | None, other: str, other_marks: tuple | None) -> float | None:
    """duplicate_paragraph's confirmation of a near repeat: same names, numbers and terms, and a
    difflib ratio of at least 0.9 (``other`` is the earlier text)."""
    from transaudit.checks.duplicate_paragraph import NEAR_RATIO, _markers_agree, dup_key, similarity

    if not _markers_agree(marks or text_markers(text), other_marks or text_markers(other)):
        return None
    ratio = similarity(dup_key(other).split(" "), dup_key(text).split(" "), NEAR_RATIO)
    return ratio if ratio >= NEAR_RATIO else None


def probes_of(doc, keys: dict | None = None, inside: Iterable[int] = ()) -> list[Probe]:
    """The probes of a document's pairs. ``keys``: line -> (key, trigrams) already computed by
    duplicate_paragraph inside the digest; ``inside``: lines it found repeated there."""
    from transaudit.checks.duplicate_paragraph import MAX_NEAR_CHARS, dup_key

    keys = keys or {}
    inside = set(inside)
    out = []
    for n, seg in enumerate(doc.segments):
        if not seg.is_pair:  # boilerplate bullets and orphans repeat by design
            continue
        for side, text, line, end in ((HINDI, seg.translation, seg.translation_line, seg.translation_end_line),
                                      (ENGLISH, seg.source, seg.source_line, seg.source_end_line)):
            if line is None:
                continue
            key = (keys.get(line) or (dup_key(text),))[0]
            grams = None  # duplicate_paragraph's own trigrams hash differently in each process
            if len(key) < MIN_CORPUS_CHARS:
                continue
            # English originals count as exact repeats only (two digests quoting one abstract
            # with small edits are not a translation mistake).
            near = side == HINDI and len(key) <= MAX_NEAR_CHARS
            if near and grams is None:
                grams = key_grams(key)
            marks = text_markers(text) if near else None
            out.append(Probe(n, side, line, end, key_hash(key), len(key), sketch(grams) if near else None,
                             text if near else None, line in inside, marks, mark_bits(marks) if near else None))
    return out


def repeat_finding(check, doc, hit: Hit, seg=None):
    """The TA104 finding of a hit, on the later occurrence (``seg``: its pair, when ``doc``
    holds only some of its document's pairs)."""
    from transaudit.checks.duplicate_paragraph import _excerpt, _similarity
    from transaudit.locate import text_spans

    seg = seg or doc.segments[hit.probe.seg]
    if not hit.same_file:
        text = seg.translation if hit.probe.side == HINDI else seg.source
        return check._corpus_finding(doc, seg, hit.probe.line, hit.probe.end_line, hit.path, hit.line,
                                     hit.ratio, text)
    text = seg.translation if hit.probe.side == HINDI else seg.source
    return check.finding(
        doc, hit.probe.line, f"row repeats the row at line {hit.line} ({_similarity(hit.ratio)})",
        end_line=hit.probe.end_line, excerpt=_excerpt(text),
        suggestion="delete the repeated row (or restore the pair meant to be here)", pair=seg,
        spans=text_spans(doc.lines, hit.probe.line, text, [(0, len(text))]),
    )


def corpus_repeats(check, docs, analysis_of) -> Iterator:
    """TA104 findings across documents (in path order) and across the rows of a parallel file.

    ``analysis_of(doc)`` is duplicate_paragraph's in-digest analysis (``keys``, ``repeats``)."""
    index = CorpusIndex(near_ratio)
    try:
        for doc in sorted(docs, key=lambda d: d.path):
            analysis = analysis_of(doc)
            probes = probes_of(doc, analysis.keys, (r.unit.line for r in analysis.repeats))
            hits = list(index.visit(index.file_number(doc.path), probes, add_now=doc.layout == "parallel"))
            index.flush()
            for hit in hits:
                yield repeat_finding(check, doc, hit)
    finally:
        index.close()
