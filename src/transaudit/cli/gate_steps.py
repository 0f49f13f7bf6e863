"""Steps of ``check`` for the CI gate: config, baseline, changed digests, step summary.

Each turns the gate's one-line errors into exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from transaudit.cli.app import err, usage_error


def load_config_or_exit(path: Optional[Path]):
    from transaudit.gate import GateError
    from transaudit.gate.config import load_config

    try:
        return load_config(path)
    except GateError as exc:
        raise usage_error(str(exc))


def load_baseline_or_exit(path: Optional[Path]):
    if path is None:
        return None
    from transaudit.gate import GateError
    from transaudit.gate.baseline import load_baseline

    try:
        return load_baseline(path)
    except GateError as exc:
        raise usage_error(str(exc))


def rebase_on_project_root(result, cfg) -> None:
    from transaudit.project_root import find_root, rebase_result

    rebase_result(result, find_root(cfg.path))


def skip_non_digests(targets: list[str], quiet: bool) -> list[str]:
    from transaudit.gate.digest_filter import digest_files

    keep, skipped = digest_files(targets)
    for path, reason in skipped if not quiet else ():
        err(f"{path}: skipped, not a digest ({reason})")
    return keep


def changed_digests_or_exit(ref: str, targets: list[str], include, exclude, quiet: bool) -> list[str]:
    from transaudit.gate import GateError
    from transaudit.gate.changed_files import changed_digests

    try:
        changed = changed_digests(ref, targets, include, exclude)
    except GateError as exc:
        raise usage_error(str(exc))
    if not quiet:
        err(f"--changed-since {ref}: auditing {len(changed)} changed digest(s){':' if changed else ''}")
        for path in changed:  # a line each: a name holding a newline or '::' stays one inert line
            err(f"  {path}")
    return changed


def gate_before_waivers(result, cfg, checks, waiver_list, waivers: Optional[Path], partial: bool) -> None:
    from transaudit.gate.stage import before_waivers

    before_waivers(result, cfg.severity, checks, waiver_list, str(waivers) if waivers else None, partial)


def gate_after_waivers(result, fail_on: str, entries, baseline: Optional[Path], write_baseline: Optional[Path],
                        changed_since: Optional[str], quiet: bool) -> None:
    from transaudit.gate import GateError
    from transaudit.gate.stage import after_waivers

    try:
        notes = after_waivers(result, fail_on=fail_on, baseline_entries=entries, baseline_path=baseline,
                              write_path=write_baseline, changed_since=changed_since)
    except GateError as exc:
        raise usage_error(str(exc))
    for note in notes if not quiet else ():
        err(note)


def append_step_summary_or_warn(result) -> None:
    from transaudit.gate.step_summary import append_step_summary

    try:
        append_step_summary(result)
    except OSError as exc:
        err(f"cannot append to $GITHUB_STEP_SUMMARY: {exc.strerror or exc}")
