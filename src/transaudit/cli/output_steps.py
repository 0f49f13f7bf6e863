"""Steps of ``check`` and ``report`` that apply :mod:`transaudit.cli.output_guard`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Optional

from transaudit.cli.app import err, usage_error
from transaudit.cli.output_guard import Inputs, keeps_previous, kept_note, overlap


def step_summary_path() -> Optional[str]:
    return os.environ.get("GITHUB_STEP_SUMMARY") or None


def cache_file(cache_dir: Optional[Path]) -> Path:
    """The score cache's database file (where ``scoring.cache`` keeps it)."""
    from transaudit.scoring.cache import FILENAME, default_dir

    return Path(cache_dir or default_dir()) / FILENAME


def check_inputs(paths: Iterable, targets: Iterable[str], documents, errors, config: Optional[Path],
                 baseline: Optional[Path], waivers: Optional[Path], cache: Optional[Path]) -> Inputs:
    """Everything ``check`` reads: the paths as given, every file walked (read or not), the rest."""
    inputs = Inputs()
    inputs.add_all([d.path for d in documents], "an input being audited")
    inputs.add_all([e.file for e in errors], "an input of this run (it could not be read)")
    inputs.add_all(targets, "an input of this run")
    inputs.add_all(paths, "an input of this run")
    inputs.add(baseline, "the baseline (--baseline)")
    inputs.add(waivers, "the waivers file (--waivers)")
    inputs.add(config, "the config file")
    if cache is not None:
        for suffix in ("", "-wal", "-shm"):
            inputs.add(f"{cache}{suffix}", "the score cache")
    return inputs


def refuse_outputs_on_inputs_or_exit(outputs, inputs: Inputs) -> None:
    """Exit 2 before anything is written when an output would land on an input or another output."""
    problem = overlap(outputs, inputs)
    if problem:
        raise usage_error(problem)


def keep_previous_outputs(outputs: dict[str, Optional[Path]], had_input_errors: bool) -> set[str]:
    """The flags whose existing file is left alone because the run had input errors (one line each)."""
    what = {"--output": "the output", "--report": "the report", "--write-baseline": "the baseline"}
    kept = set()
    for flag, path in outputs.items():
        if keeps_previous(path, had_input_errors):
            kept.add(flag)
            err(kept_note(path, what.get(flag, "the output")))
    return kept
