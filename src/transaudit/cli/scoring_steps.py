"""Steps of ``check`` for COMET scores: flags, options, scoring (or one line why not)."""

from __future__ import annotations

import sys
from typing import Optional

from transaudit.cli.app import err, usage_error


def check_scoring_flags(no_comet: bool, require_comet: bool, batch_size: Optional[int], gpus: int,
                        precision: str = "auto", ray: Optional[str] = None, ray_actors: Optional[int] = None) -> None:
    from transaudit.scoring.models import PRECISIONS  # no COMET or torch behind it

    if precision not in PRECISIONS:
        raise usage_error(f"--comet-precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if no_comet and require_comet:
        raise usage_error("--no-comet and --require-comet contradict each other")
    if batch_size is not None and batch_size < 1:
        raise usage_error(f"--batch-size must be at least 1, not {batch_size}")
    if gpus < 0:
        raise usage_error(f"--gpus must be 0 or more, not {gpus}")
    if ray_actors is not None and ray_actors < 1:
        raise usage_error(f"--ray-actors must be at least 1, not {ray_actors}")
    if ray_actors is not None and not ray:
        raise usage_error("--ray-actors needs --ray auto|ADDRESS")
    if ray is not None and not ray.strip():
        raise usage_error("--ray needs 'auto' or a Ray cluster address (host:port or ray://host:port)")
    if ray and not no_comet:
        import importlib.util

        if importlib.util.find_spec("ray") is None:
            raise usage_error("--ray needs the ray extra: pip install 'transaudit[ray]'")


def scoring_options(model: str, batch_size, gpus: int, min_score, cache_dir, no_cache: bool, quiet: bool,
                     settings: dict, precision: str = "auto", verbose: bool = False, ray: Optional[str] = None,
                     ray_actors: Optional[int] = None):
    from transaudit.scoring.run import ScoringOptions

    return ScoringOptions(model=model, batch_size=batch_size, gpus=gpus, precision=precision,
                          min_score=min_score, cache_dir=cache_dir, use_cache=not no_cache,
                          progress=not quiet and sys.stderr.isatty(), verbose=verbose and not quiet,
                          ray=ray, ray_actors=ray_actors, check_settings=settings)


def score_pairs(documents, options, require: bool, quiet: bool):
    """Score every pair, or say in one line why not (exit 2 only with --require-comet)."""
    if not any(seg.is_pair for doc in documents for seg in doc.segments):
        return None
    from transaudit.scoring.models import ModelUnavailable
    from transaudit.scoring.run import CometNotInstalled, score_documents

    try:
        run = score_documents(documents, options, notify=err)
    except ModelUnavailable as exc:
        if require:
            raise usage_error(f"{exc} (--require-comet)")
        if isinstance(exc, CometNotInstalled):
            err(str(exc))
        else:
            err(f"COMET scores unavailable: {exc}; auditing without scores (--no-comet skips scoring)")
        return None
    if not quiet:
        if run.truncated:
            err(f"{run.truncated} pair(s) have a sentence longer than the COMET model's limit; it was "
                 "scored truncated and is marked \"truncated\" in the JSON output")
        if run.min_score is None:
            err(f"no default --min-score for COMET model {run.model}; low_quality reports only "
                 "capped pairs (copies of the source, wrong language)")
    return run


def attach_scores(result, scores) -> None:
    """Per pair ``comet`` record (or null) and the summary's ``comet`` block."""
    for doc in result.documents:
        for seg in doc.segments:
            if seg.is_pair:
                record = scores.records.get((doc.path, seg.index)) if scores else None
                result.pair_extras.setdefault((doc.path, seg.index), {})["comet"] = record
    result.summary_extras["comet"] = scores.summary() if scores else None
