"""Which reference digest belongs to which audited digest, and which reference pair to which pair.

Files: ``--reference`` names reference files or directories. A reference file answers for the
audited digest with the same file name (else the same name with another extension: a digest
moved from the text to the Markdown layout); when several have it, the one sharing the longest tail
of the audited digest's path wins (``2024/w01.md`` before ``2023/w01.md`` for
``mt/2024/w01.md``). One reference file named for one audited digest pairs them whatever their
names. A file is never its own reference.

Pairs are matched by paper and section, not by line: an editor may have fixed the structure,
added a pair or moved a paper. A paper is known by its English title (the part after `` / ``
in ``Hindi / English`` title lines, which editors correct less than the Hindi half); within
one paper and section, pairs with the same English original match first, the rest in order;
a pair left over then matches a reference pair anywhere in the digest with its English original.
Parallel files have no papers: their rows match by English original, then in order.
"""

from __future__ import annotations

import os
from collections import defaultdict, deque
from dataclasses import dataclass

from transaudit.model import Document, Segment


@dataclass(frozen=True)
class ReferencePair:
    """The corrected translation a pair is compared with, and where it was found."""

    text: str
    file: str  # the reference digest (a parallel file's own path for its reference column)
    line: int | None  # first line of the reference translation


def _tail_match(path: str, candidate: str) -> int:
    """How many trailing path components ``path`` and ``candidate`` share."""
    a, b = os.path.normpath(path).split(os.sep), os.path.normpath(candidate).split(os.sep)
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def reference_files(reference_paths: list[str], audited: list[str]) -> dict[str, str | None]:
    """Audited path -> its reference file (``None``: no reference file has its name).

    Files under directories are found as ``check`` finds digests (same default globs).
    """
    from transaudit.fileio import same_file
    from transaudit.parsing.loader import walk_directory

    candidates: list[str] = []
    named_files: list[str] = []
    for given in reference_paths:
        if os.path.isdir(given):
            candidates.extend(walk_directory(given))
        else:
            candidates.append(given)
            named_files.append(given)
    by_name: dict[str, list[str]] = defaultdict(list)
    by_stem: dict[str, list[str]] = defaultdict(list)
    for c in candidates:
        by_name[os.path.basename(c)].append(c)
        by_stem[_stem(c)].append(c)
    out: dict[str, str | None] = {}
    for path in audited:
        found = [c for c in by_name.get(os.path.basename(path), []) if not same_file(c, path)]
        if not found:  # a digest the editors moved to the other layout: w01.txt -> w01.md
            found = [c for c in by_stem.get(_stem(path), []) if not same_file(c, path)]
        out[path] = max(found, key=lambda c: _tail_match(path, c)) if found else None
    if len(audited) == 1 and len(reference_paths) == 1 and named_files and out[audited[0]] is None:
        if not same_file(named_files[0], audited[0]):
            out[audited[0]] = named_files[0]
    return out


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def paper_key(title: str | None) -> str:
    """A paper by its English title: the half after `` / `` when the title has two."""
    if not title:
        return ""
    english = title.rsplit(" / ", 1)[-1] if " / " in title else title
    return _norm(english).casefold()


def _group(segments: list[Segment]) -> dict[tuple[str, str], list[Segment]]:
    groups: dict[tuple[str, str], list[Segment]] = defaultdict(list)
    for seg in segments:
        groups[(paper_key(seg.paper), _norm(seg.section))].append(seg)
    return groups


def match_pairs(document: Document, reference: Document) -> dict[int, Segment]:
    """Pair index in ``document`` -> the reference segment that corrects it."""
    pairs = [s for s in document.segments if s.is_pair]
    # A reference pair needs its Hindi; its English may be missing or fixed.
    candidates = [s for s in reference.segments if s.translation is not None and s.translation.strip()]
    used: set[int] = set()
    out: dict[int, Segment] = {}
    ref_groups = _group(candidates)
    leftovers: list[Segment] = []
    for key, group in _group(pairs).items():
        pool = ref_groups.get(key, [])
        by_source: dict[str, deque] = defaultdict(deque)
        for r in pool:
            by_source[_norm(r.source)].append(r)
        unmatched = []
        for seg in group:
            queue = by_source.get(_norm(seg.source))
            while queue and queue[0].index in used:
                queue.popleft()
            if queue:
                r = queue.popleft()
                used.add(r.index)
                out[seg.index] = r
            else:
                unmatched.append(seg)
        rest = [r for r in pool if r.index not in used]
        for seg, r in zip(unmatched, rest):
            used.add(r.index)
            out[seg.index] = r
        leftovers.extend(unmatched[len(rest):])
    if leftovers:  # a paper whose English title changed: its pairs by their English original
        anywhere: dict[str, deque] = defaultdict(deque)
        for r in candidates:
            if r.index not in used:
                anywhere[_norm(r.source)].append(r)
        for seg in leftovers:
            queue = anywhere.get(_norm(seg.source))
            if queue:
                r = queue.popleft()
                used.add(r.index)
                out[seg.index] = r
    return out


def references_of(document: Document, reference: Document | None) -> dict[int, ReferencePair]:
    """Pair index -> its reference: from the reference digest, else a parallel file's column."""
    if reference is not None:
        return {i: ReferencePair(r.translation or "", reference.path, r.translation_line)
                for i, r in match_pairs(document, reference).items()}
    return {s.index: ReferencePair(s.reference, document.path, s.translation_line or s.source_line)
            for s in document.segments if s.is_pair and s.reference}
