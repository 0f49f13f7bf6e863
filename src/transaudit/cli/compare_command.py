"""``transaudit compare-precision``: score a sample in fp32 and bf16, print how far they differ."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from transaudit.cli.app import DEFAULT_COMET_MODEL, EXIT_CLEAN, EXIT_USAGE, app, err, usage_error
from transaudit.cli.help_text import UserHelpCommand


@app.command("compare-precision", cls=UserHelpCommand)
def compare_precision(
    paths: List[Path] = typer.Argument(..., help="Digest files or directories (walked recursively)."),
    comet_model: Optional[str] = typer.Option(None, "--comet-model", help=f"COMET model: a hub name, a model directory or a .ckpt file (default: the config's, else {DEFAULT_COMET_MODEL})."),
    sample: int = typer.Option(200, "--sample", help="Compare this many pairs, drawn at random (0: all)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the sample."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", help="COMET chunks per batch (default 16 on CPU, 32 on a GPU)."),
    gpus: int = typer.Option(0, "--gpus", help="Score on a GPU when above 0."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Directory of the COMET score cache (default: the user cache dir)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Score everything afresh (the times are then both honest)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Config file (default: found upwards from the cwd)."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output format: text or json."),
) -> None:
    """Score a sample of pairs in fp32 and in bf16 and print max and mean |bf16 - fp32|, Spearman's
    rank correlation and the time of each: how much the default bf16 moves your model's scores."""
    from transaudit.cli.gate_steps import load_config_or_exit
    from transaudit.cli.scoring_steps import check_scoring_flags, scoring_options
    from transaudit.parsing import load_paths

    if fmt not in ("text", "json"):
        raise usage_error(f"unknown format {fmt!r} (choose from text, json)")
    if sample < 0:
        raise usage_error(f"--sample must be 0 (all) or more, not {sample}")
    check_scoring_flags(False, False, batch_size, gpus)
    cfg = load_config_or_exit(config)
    model = comet_model or cfg.comet_model or DEFAULT_COMET_MODEL
    documents, errors = load_paths([str(p) for p in paths], include=list(cfg.include), exclude=list(cfg.exclude))
    for error in errors:
        err(str(error))

    from transaudit.scoring.compare import compare_precisions, render_text
    from transaudit.scoring.models import ModelUnavailable

    options = scoring_options(model, batch_size, gpus, None, cache_dir, no_cache, False, cfg.settings())
    try:
        comparison = compare_precisions(documents, options, sample, seed, notify=err)
    except ModelUnavailable as exc:
        raise usage_error(f"cannot compare precisions: {exc}")
    if fmt == "json":
        sys.stdout.write(json.dumps(comparison.stats(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(comparison))
    raise typer.Exit(EXIT_USAGE if errors else EXIT_CLEAN)
