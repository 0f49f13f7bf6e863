"""The audit as a stream: files in chunks, checks in worker processes, findings out in order.

Memory is bounded by the chunks in flight and the corpus index (:mod:`transaudit.dupindex`),
not by the corpus: a parallel file is cut into chunks of whole rows
(:mod:`transaudit.parsing.parallel_stream`), a digest is one chunk. Each chunk is parsed and
checked (every check's ``check_document`` and ``check_pair``) in a worker; the driver, in file
and chunk order, looks the chunk's pairs up in the corpus index (TA104 across files and rows),
applies in-document suppressions, sorts, numbers identical findings as :func:`audit.run_checks`
does, and hands the findings on. Chunking does not depend on the number of workers, so
``--jobs 1`` and ``--jobs N`` give the same findings in the same order.

Files are audited in path order (the order findings are reported in). A chunk of a parallel
file sees only its own rows in the checks that relate rows of one document (a translation-only
row explained by a repeat of another row, a second rendering in the next row): within
``CHUNK_BYTES`` of each other, as the whole-file audit sees them.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from typing import Callable, Iterator

from transaudit.model import Document, Finding, InputError, finding_order

IN_FLIGHT_PER_JOB = 3  # chunks queued per worker: enough to keep it busy, few enough to bound memory


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass
class _Task:
    path: str
    raw: object = None  # RawChunk; None: a digest, read whole by the worker
    error: str | None = None  # a problem found while reading (the file stops there)


@dataclass
class _Result:
    path: str
    findings: list[Finding] = field(default_factory=list)
    probes: list = field(default_factory=list)
    pairs: int = 0
    doc: Document | None = None  # digests: for corpus findings and suppressions
    error: str | None = None
    pairs_found: dict = field(default_factory=dict)  # line -> pair (as in the JSON) of pairs with findings


_WORKER: dict = {}


def check_findings(doc: Document, checks: list, ctx, start: int, end: int, whole: bool) -> list[Finding]:
    """Every check's ``check_document`` (when ``whole``), then the pairs ``start:end``, each pair
    through every check in turn: the memos of a pair's analyses (normalised texts, language,
    numbers) are still warm for the next check. Each check's findings keep their order, and
    findings of different checks never tie in the report order, so the sorted result is the one
    of :func:`audit.run_checks`."""
    from transaudit.checks.base import Check

    findings: list[Finding] = []
    if whole:
        for check in checks:
            findings.extend(check.check_document(doc, ctx))
    pair_checks = [c.check_pair for c in checks if type(c).check_pair is not Check.check_pair]
    for seg in doc.segments[start:end]:
        for check_pair in pair_checks:
            findings.extend(check_pair(seg, ctx))
    return findings


def _init_worker(codes: list[str], settings: dict, want_pairs: bool = False, options=None) -> None:
    from transaudit.checks.base import registered

    table = registered()
    _WORKER["checks"] = [table[code]() for code in codes]
    _WORKER["settings"] = settings
    _WORKER["pairs"] = want_pairs
    _WORKER["options"] = options  # PO/XLIFF/TMX reading options (parsing.TranslationOptions)


def _pair_dict(path: str, seg) -> dict:
    return {"file": path, "index": seg.index, "line": seg.translation_line, "end_line": seg.translation_end_line,
            "source_line": seg.source_line, "source_end_line": seg.source_end_line, "paper": seg.paper,
            "section": seg.section, "source": seg.source, "translation": seg.translation}


def _check_task(task: _Task) -> _Result:
    """Worker: parse and check one chunk (or one digest)."""
    from transaudit.checks.base import CheckContext
    from transaudit.dupindex import probes_of
    from transaudit.parsing import load_document
    from transaudit.parsing.decode import DecodeProblem
    from transaudit.parsing.loader import ReadProblem
    from transaudit.parsing.parallel import ParallelFormatError
    from transaudit.parsing.parallel_stream import parse_chunk
    from transaudit.parsing.translation_files import TranslationFileError

    if task.error:
        return _Result(task.path, error=task.error)
    try:
        doc = load_document(task.path, _WORKER.get("options")) if task.raw is None else parse_chunk(task.raw)
    except (ReadProblem, DecodeProblem, ParallelFormatError, TranslationFileError) as exc:
        return _Result(task.path, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        return _Result(task.path, error=" ".join(f"cannot parse: {type(exc).__name__}: {exc}".split()))
    checks, settings = _WORKER["checks"], _WORKER["settings"]
    ctx = CheckContext(document=doc, settings=settings)
    findings = check_findings(doc, checks, ctx, 0, len(doc.segments), True)
    probes = []
    for check in checks:
        if check.code == "TA104":
            # duplicate_paragraph's own analysis of the digest gives the keys and the repeats
            # inside it; the pass across files uses them (as its check_corpus does).
            analysis = check._analysis(doc)
            probes = probes_of(doc, analysis.keys, (r.unit.line for r in analysis.repeats))
            check._repeats.clear()
    pairs_found = {}
    if _WORKER.get("pairs") and findings:
        lines = {f.line for f in findings}
        pairs_found = {seg.line: _pair_dict(doc.path, seg) for seg in doc.segments if seg.line in lines}
    return _Result(task.path, findings, probes, sum(1 for s in doc.segments if s.is_pair),
                   doc if task.raw is None else None, pairs_found=pairs_found)


class StreamAudit:
    """One streaming run. Iterate :meth:`findings`; then read the counts and ``errors``."""

    def __init__(self, checks: list, settings: dict | None = None, jobs: int = 1,
                 chunk_bytes: int | None = None, on_progress: Callable[[int, int], None] | None = None,
                 want_pairs: bool = False, options=None):
        self.checks = checks
        self.options = options
        self.want_pairs = want_pairs  # keep the pairs of findings (for the report) in ``pairs_found``
        self.pairs_found: dict = {}
        self.settings = settings or {}
        self.jobs = max(1, jobs)
        self.chunk_bytes = chunk_bytes
        self.on_progress = on_progress  # (pairs done, size units done)
        self.errors: list[InputError] = []
        self.files: list[str] = []
        self.pairs = 0
        self.pairs_by_file: Counter = Counter()
        self.index_bytes = 0
        self.index_entries = 0

    # -- reading -------------------------------------------------------------------
    def _tasks(self, files: list[str]) -> Iterator[_Task]:
        from transaudit.parsing.parallel_stream import CHUNK_BYTES, is_streamable, raw_chunks

        for path in files:
            if not is_streamable(path):
                yield _Task(path)
                continue
            try:
                for raw in raw_chunks(path, self.chunk_bytes or CHUNK_BYTES):
                    yield _Task(path, raw)
            except Exception as exc:  # noqa: BLE001 - reported as the file's one line
                from transaudit.parsing.decode import DecodeProblem
                from transaudit.parsing.loader import ReadProblem
                from transaudit.parsing.parallel import ParallelFormatError

                known = isinstance(exc, (ReadProblem, DecodeProblem, ParallelFormatError))
                yield _Task(path, error=str(exc) if known else " ".join(f"cannot read: {type(exc).__name__}: {exc}".split()))

    def _results(self, files: list[str]) -> Iterator[tuple[_Task, _Result]]:
        import multiprocessing

        codes = [c.code for c in self.checks]
        # without fork (Windows) the checks run in this process: same findings, one core
        if self.jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
            _init_worker(codes, self.settings, self.want_pairs, self.options)
            for task in self._tasks(files):
                yield task, _check_task(task)
            return
        from concurrent.futures import ProcessPoolExecutor

        # fork: workers start at once, with the checks already imported
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_init_worker,
                                 initargs=(codes, self.settings, self.want_pairs, self.options)) as pool:
            window: deque = deque()
            for task in self._tasks(files):
                window.append((task, pool.submit(_check_task, task)))
                if len(window) >= self.jobs * IN_FLIGHT_PER_JOB:
                    t, fut = window.popleft()
                    yield t, fut.result()
            while window:
                t, fut = window.popleft()
                yield t, fut.result()

    # -- the run -------------------------------------------------------------------
    def findings(self, files: list[str]) -> Iterator[Finding]:
        """Every finding of ``files`` (audited in path order), in report order."""
        from transaudit.dupindex import CorpusIndex, near_ratio, repeat_finding
        from transaudit.gate.suppressions import apply_suppressions, parse_directives
        from transaudit.parsing.parallel_stream import rows_at

        files = sorted(dict.fromkeys(files))
        ta104 = next((c for c in self.checks if c.code == "TA104"), None)
        index = CorpusIndex(near_ratio) if ta104 is not None else None
        failed: set[str] = set()
        current, file_no, seen = None, -1, Counter()
        try:
            for task, result in self._results(files):
                path = task.path
                if path in failed:
                    continue
                if path != current:
                    current, seen = path, Counter()
                    self.files.append(path)
                    file_no = index.file_number(path) if index is not None else -1
                if result.error:
                    failed.add(path)
                    first = task.raw.first_line if task.raw is not None else 1
                    self.errors.append(InputError(path, result.error if first == 1 else
                                                  f"{result.error}; rows from line {first} on were not audited"))
                    continue
                found = result.findings
                if index is not None and result.probes:
                    hits = list(index.visit(file_no, result.probes, add_now=task.raw is not None))
                    index.flush()
                    if hits:
                        if result.doc is not None:
                            found = found + [repeat_finding(ta104, result.doc, hit) for hit in hits]
                        else:  # a parallel file's chunk: read back only the rows that repeat
                            doc = rows_at(task.raw, {hit.probe.line for hit in hits})
                            at = {seg.line: seg for seg in doc.segments}
                            found = found + [repeat_finding(ta104, doc, hit, at[hit.probe.line]) for hit in hits]
                if result.doc is not None and parse_directives(result.doc):
                    found = apply_suppressions([result.doc], found, self.checks)
                found.sort(key=finding_order)
                self.pairs_found = result.pairs_found
                for f in found:
                    key = hash((f.check, f.anchor, f.excerpt))  # a number, not the line's text
                    n = seen[key]
                    seen[key] += 1
                    yield replace(f, occurrence=n) if n else f
                self.pairs += result.pairs
                self.pairs_by_file[path] += result.pairs
                if self.on_progress:
                    self.on_progress(result.pairs, task.raw.size if task.raw is not None else 0)
        finally:
            if index is not None:
                self.index_bytes, self.index_entries = index.nbytes(), index.entries
                index.close()
            if ta104 is not None:
                from transaudit.checks.duplicate_paragraph import markers

                markers.cache_clear()


# -- --jobs for the formats that hold the whole result (documents already in memory) ----------

MIN_PAIRS_FOR_WORKERS = 2000  # below this, starting workers costs more than it saves
PAIRS_PER_TASK = 1000

_DOCS: list[Document] = []


def _ranges(documents: list[Document]) -> list[tuple[int, int, int]]:
    """(document, first segment, end segment) tasks: a digest whole, a parallel file in slices."""
    out = []
    for d, doc in enumerate(documents):
        if doc.layout != "parallel":
            out.append((d, 0, len(doc.segments)))
            continue
        for start in range(0, max(len(doc.segments), 1), PAIRS_PER_TASK):
            out.append((d, start, min(start + PAIRS_PER_TASK, len(doc.segments))))
    return out


def _check_range(task: tuple[int, int, int]) -> tuple[list[Finding], object]:
    """Worker: the findings of one task, as :func:`audit.run_checks` makes them, in its order
    (``check_document`` with the task that starts the document), and duplicate_paragraph's
    analysis of the document, which its ``check_corpus`` reads later."""
    from transaudit.checks.base import CheckContext

    d, start, end = task
    doc = _DOCS[d]
    ctx = CheckContext(document=doc, settings=_WORKER["settings"])
    findings = check_findings(doc, _WORKER["checks"], ctx, start, end, start == 0)
    analysis = None
    for check in _WORKER["checks"]:
        if check.code == "TA104" and start == 0:
            analysis = check._analysis(doc)
            check._repeats.clear()
    return findings, analysis


def check_in_workers(documents: list[Document], checks: list, settings: dict, jobs: int) -> list[Finding] | None:
    """``check_document`` and ``check_pair`` of every check over ``documents`` in ``jobs``
    worker processes, in the order one process makes them; None when not worth it (too few
    pairs, one job, or no ``fork`` on this platform)."""
    import multiprocessing

    pairs = sum(len(d.segments) for d in documents)
    if jobs <= 1 or pairs < MIN_PAIRS_FOR_WORKERS or "fork" not in multiprocessing.get_all_start_methods():
        return None
    from concurrent.futures import ProcessPoolExecutor

    global _DOCS
    _DOCS = documents  # inherited by the forked workers: nothing is pickled but the tasks
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_init_worker,
                                 initargs=([c.code for c in checks], settings)) as pool:
            results = list(pool.map(_check_range, _ranges(documents)))
    finally:
        _DOCS = []
    ta104 = next((c for c in checks if c.code == "TA104"), None)
    findings: list[Finding] = []
    for (d, start, _), (found, analysis) in zip(_ranges(documents), results):
        findings.extend(found)
        if ta104 is not None and analysis is not None and hasattr(ta104, "_repeats"):
            ta104._repeats[id(documents[d])] = (documents[d], analysis)
    return findings
