"""The scoring stage: pairs in, one COMET record per pair out, cache first, model only if needed.

Order matters for speed: the model is located and identified from its files (no COMET import),
cached scores are looked up, and only pairs that miss load the model. A second run over
unchanged digests therefore never imports COMET or torch.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from transaudit.model import Document
from transaudit.scoring import models
from transaudit.json_inputs import cache_row_problem
from transaudit.scoring.cache import ScoreCache, default_dir, pair_key
from transaudit.scoring.chunking import make_chunks
from transaudit.scoring.models import ModelUnavailable
from transaudit.scoring.precision import resolve as resolve_precision
from transaudit.scoring.progress import Progress
from transaudit.scoring.rules import cap, capping_categories


class CometNotInstalled(ModelUnavailable):
    pass


@dataclass
class ScoringOptions:
    model: str = models.DEFAULT_MODEL
    batch_size: int | None = None  # None: per-device default
    gpus: int = 0
    precision: str = "auto"  # one of models.PRECISIONS; "auto" is resolved from the hardware
    min_score: float | None = None  # None: the model's documented default, if any
    cache_dir: Path | None = None  # None: the user cache dir
    use_cache: bool = True
    progress: bool = False
    verbose: bool = False  # say on stderr which precision was resolved, and why
    ray: str | None = None  # "auto" or a Ray cluster address: score the missing pairs there
    ray_actors: int | None = None  # None: one per GPU, else one per node
    check_settings: dict = field(default_factory=dict)  # what the capping language checks see


@dataclass
class ScoreRun:
    model: str
    signature: str
    min_score: float | None
    precision: str = "fp32"  # the resolved precision the scores were computed (or cached) in
    records: dict[tuple[str, int], dict | None] = field(default_factory=dict)
    scored: int = 0
    cached: int = 0
    skipped: int = 0
    truncated: int = 0
    seconds: float = 0.0

    def summary(self) -> dict:
        return {"model": self.model, "scored": self.scored, "cached": self.cached,
                "skipped": self.skipped, "seconds": round(self.seconds, 3),
                "min_score": self.min_score, "precision": self.precision, "signature": self.signature}

    def check_settings(self) -> dict:
        """What TA401 reads: ``comet_scores[file][index]`` and ``comet_min_score``."""
        scores: dict[str, dict[int, dict]] = {}
        for (file, index), record in self.records.items():
            if record is not None:
                scores.setdefault(file, {})[index] = record
        return {"comet_scores": scores, "comet_min_score": self.min_score}


def _pairs(documents: list[Document]):
    for doc in documents:
        for seg in doc.segments:
            if seg.is_pair:
                yield doc.path, seg


def score_documents(documents: list[Document], options: ScoringOptions,
                    notify: Callable[[str], None]) -> ScoreRun:
    """Score every pair; raises :class:`ModelUnavailable` with a one-line reason."""
    started = time.perf_counter()
    if importlib.util.find_spec("comet") is None or importlib.util.find_spec("huggingface_hub") is None:
        raise CometNotInstalled("COMET scores are off: the comet extra is not installed "
                                "(pip install 'transaudit[comet]')")
    ref = models.locate(options.model)
    session = None
    if options.ray:
        from transaudit.scoring.ray_scoring import RaySession

        session = RaySession.connect(options.ray, options.ray_actors, notify, verbose=options.verbose)
    cache = ScoreCache(options.cache_dir or default_dir(), warn=notify) if options.use_cache else None
    try:
        # With Ray, auto means what the workers' hardware computes natively, asked of a worker.
        resolved = session.resolve(options.precision) if session else resolve_precision(options.precision, options.gpus)
        if options.verbose:
            notify(resolved.describe())
        ref = models.ensure_checkpoint(ref)  # the encoder's files only when scoring is needed
        sha = models.checkpoint_sha256(ref.checkpoint, memo=cache)
        ident = models.identity(ref, sha, resolved.precision)
        signature = models.signature(ref, sha, resolved.precision)
        min_score = options.min_score if options.min_score is not None else models.DEFAULT_MIN_SCORE.get(ref.spec)
        run = ScoreRun(model=ref.name, signature=signature, min_score=min_score, precision=resolved.precision)

        texts: dict[str, tuple[str, str]] = {}
        keyed: list[tuple[tuple[str, int], str | None]] = []
        for path, seg in _pairs(documents):
            src, mt = seg.source or "", seg.translation or ""
            if not src.strip() or not mt.strip():
                keyed.append(((path, seg.index), None))
                continue
            key = pair_key(src, mt)
            texts[key] = (src, mt)
            keyed.append(((path, seg.index), key))

        results = cache.get_many(ident, texts, cache_row_problem) if cache else {}
        from_cache = set(results)
        missing = [k for k in texts if k not in results]
        if missing:
            ref = models.ensure_files(ref)

            def arrived(fresh: dict[str, dict]) -> None:
                if cache:  # written as they arrive: a run killed half-way resumes from here
                    cache.put_many(ident, fresh)
                results.update(fresh)

            try:
                if session:
                    bar = Progress(len(missing), "COMET on Ray", enabled=options.progress)
                    try:
                        session.score(ref.spec if ref.hub else str(ref.checkpoint), sha,
                                      {k: texts[k] for k in missing}, resolved.precision, options.batch_size,
                                      lambda fresh: (arrived(fresh), bar.advance(len(fresh))))
                    finally:
                        bar.close()
                else:
                    computed = _score_missing(ref, [texts[k] for k in missing], options, resolved.precision, notify)
                    arrived(dict(zip(missing, computed)))
            except ModelUnavailable:
                raise
            except Exception as exc:  # e.g. out of memory: one line, and the audit goes on
                first = (str(exc).strip().splitlines() or [""])[0]
                raise ModelUnavailable(f"COMET scoring failed ({type(exc).__name__}: {first})") from None
    finally:
        if cache:
            cache.close()
        if session:
            session.close()

    caps = capping_categories(documents, options.check_settings)
    for where, key in keyed:
        if key is None:
            run.records[where] = None
            run.skipped += 1
            continue
        stored = results[key]
        record = {"model": ref.name, "score": stored["score"], "chunks": stored["chunks"],
                  "cached": key in from_cache, "signature": signature}
        if len(stored["chunks"]) > 1:
            record["weakest_chunk"] = stored["weakest_chunk"]
        if stored.get("truncated"):
            record["truncated"] = True
            run.truncated += 1
        if where in caps:
            record = cap(record, caps[where])
        run.records[where] = record
        run.scored += 1
        run.cached += key in from_cache
    run.seconds = time.perf_counter() - started
    return run


def _score_missing(ref, pairs: list[tuple[str, str]], options: ScoringOptions, precision: str,
                   notify: Callable[[str], None]) -> list[dict]:
    """Chunk each pair to fit the model, score all chunks in sorted batches, recombine."""
    from transaudit.scoring.comet_scorer import CometScorer

    scorer = CometScorer.load(ref, gpus=options.gpus, batch_size=options.batch_size,
                              precision=precision, warn=notify)
    return score_with(scorer, pairs, options.progress)


def score_with(scorer, pairs: list[tuple[str, str]], progress: bool = False) -> list[dict]:
    """Pair results (score, chunks, weakest chunk) of ``pairs`` with a loaded scorer; also what
    each Ray actor runs on its share."""
    per_pair = [make_chunks(src, mt, scorer.fits) for src, mt in pairs]
    flat = [(p, c) for p, chunks in enumerate(per_pair) for c in chunks]
    left = [len(chunks) for chunks in per_pair]
    bar = Progress(len(pairs), "COMET", enabled=progress and len(flat) > scorer.batch_size)

    def advance(done_chunks: list[int]) -> None:
        finished = 0
        for i in done_chunks:
            p = flat[i][0]
            left[p] -= 1
            finished += left[p] == 0
        bar.advance(finished)

    try:
        scores = scorer.score([(c.source, c.translation) for _, c in flat], progress=advance)
    finally:
        bar.close()
    out: list[dict] = []
    cursor = 0
    for chunks in per_pair:
        part = scores[cursor:cursor + len(chunks)]
        cursor += len(chunks)
        out.append(_combine(scorer, chunks, part))
    return out


def _combine(scorer, chunks, scores: list[float]) -> dict:
    """Length-weighted pair score (weights: the chunk's tokens on both sides)."""
    items = []
    for chunk, score in zip(chunks, scores):
        item = {"source": chunk.source, "translation": chunk.translation, "score": score,
                "tokens": scorer.count_tokens(chunk.source) + scorer.count_tokens(chunk.translation)}
        if not chunk.fits:
            item["truncated"] = True
        items.append(item)
    total = sum(max(i["tokens"], 1) for i in items)
    combined = sum(i["score"] * max(i["tokens"], 1) for i in items) / total
    weakest = min(range(len(items)), key=lambda k: items[k]["score"])
    return {"score": combined, "chunks": items, "weakest_chunk": weakest,
            "truncated": any(not c.fits for c in chunks)}
