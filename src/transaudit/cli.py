"""Command line: ``transaudit check|checks|explain|eval``.

Only this module decides exit codes: 0 clean, 1 findings at or above ``--fail-on``,
2 usage or input error. Heavy modules (pandas, comet, torch) are imported inside commands.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from transaudit import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Audit bilingual Hindi/English digests for translation mistakes.",
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FAIL_ON_CHOICES = ("error", "warning", "info", "never")
DEFAULT_REPORT = "reports/transaudit-report.html"  # html_report.DEFAULT_REPORT_PATH, without importing it
DEFAULT_COMET_MODEL = "Unbabel/wmt20-comet-qe-da"  # scoring.models.DEFAULT_MODEL (a test keeps them equal)


def _err(message: str) -> None:
    print(f"transaudit: {message}", file=sys.stderr)


def _usage_error(message: str) -> "typer.Exit":
    _err(message)
    return typer.Exit(EXIT_USAGE)


def _version(value: bool) -> None:
    if value:
        print(f"transaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Audit bilingual Hindi/English digests for translation mistakes."""


def exit_code(findings, fail_on: str, had_input_errors: bool) -> int:
    if had_input_errors:
        return EXIT_USAGE
    if fail_on == "never":
        return EXIT_CLEAN
    from transaudit.model import Severity

    threshold = Severity.parse(fail_on)
    return EXIT_FINDINGS if any(f.severity >= threshold for f in findings) else EXIT_CLEAN


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="Digest files or directories (walked recursively)."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output format: text, json, csv, github, sarif, junit."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the output here instead of stdout."),
    select: List[str] = typer.Option([], "--select", help="Only these check codes or categories (repeatable, comma-separated)."),
    ignore: List[str] = typer.Option([], "--ignore", help="Skip these check codes or categories."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 1 when a finding is at least this severe: error (default), warning, info, never."),
    include: List[str] = typer.Option([], "--include", help="Glob of files to audit inside directories (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Glob of files to skip (repeatable)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or notices on stderr."),
    report: Optional[Path] = typer.Option(None, "--report", help=f"Write the HTML report here (default {DEFAULT_REPORT})."),
    no_report: bool = typer.Option(False, "--no-report", help="Do not write the HTML report."),
    report_url: Optional[str] = typer.Option(None, "--report-url", help="URL template with {title} and {body} for a 'Report' link per finding (e.g. a new-issue URL)."),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="Waivers file exported by the HTML report: findings marked 'not a mistake' are dropped."),
    config: Optional[Path] = typer.Option(None, "--config", help="Config file (default: transaudit.toml, or [tool.transaudit] in pyproject.toml, found upwards from the cwd)."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report and fail only on findings that are not in this baseline file."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record every current finding in this baseline file and exit 0."),
    changed_since: Optional[str] = typer.Option(None, "--changed-since", help="Audit only digests added or modified since this git ref (committed, uncommitted or untracked)."),
    comet_model: Optional[str] = typer.Option(None, "--comet-model", help=f"COMET quality-estimation model: a hub name, a model directory or a .ckpt file (default {DEFAULT_COMET_MODEL})."),
    no_comet: bool = typer.Option(False, "--no-comet", help="Do not score pairs with COMET."),
    require_comet: bool = typer.Option(False, "--require-comet", help="Exit 2 when the COMET model cannot be loaded (default: warn once and audit without scores)."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", help="COMET chunks per batch (default 16 on CPU, 32 on a GPU)."),
    gpus: int = typer.Option(0, "--gpus", help="Score on a GPU when above 0 (one GPU is used)."),
    min_score: Optional[float] = typer.Option(None, "--min-score", help="Pairs scoring below this get a low_quality warning (default per model: 0.0 for wmt20-comet-qe-da, 0.6 for CometKiwi)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Directory of the COMET score cache (default: the user cache dir)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write cached COMET scores."),
) -> None:
    """Parse digests, pair Hindi with English, and report translation mistakes."""
    from transaudit.audit import audit
    from transaudit.checks.base import select_checks
    from transaudit.fileio import write_atomic
    from transaudit.parsing import load_paths
    from transaudit.reporters import FORMATS, render

    # Precedence: a flag on the command line > the config file > the defaults.
    cfg = _load_config(config)
    select, ignore = select or list(cfg.select), ignore or list(cfg.ignore)
    include, exclude = include or list(cfg.include), exclude or list(cfg.exclude)
    fail_on = fail_on or cfg.fail_on or "error"
    no_report = no_report or (report is None and cfg.report is False)
    report = report or Path(cfg.report or DEFAULT_REPORT)
    comet_model = comet_model or cfg.comet_model or DEFAULT_COMET_MODEL
    min_score = min_score if min_score is not None else cfg.min_score
    if fmt not in FORMATS:
        raise _usage_error(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fail_on not in FAIL_ON_CHOICES:
        raise _usage_error(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, not {fail_on!r}")
    _check_scoring_flags(no_comet, require_comet, batch_size, gpus)
    try:
        checks = select_checks(select, ignore)
    except ValueError as exc:
        raise _usage_error(str(exc))

    waiver_list = _load_waivers(waivers)
    if report_url:
        _check_report_url(report_url)
    baseline_entries = _load_baseline(baseline)
    if write_baseline and changed_since:
        raise _usage_error("--write-baseline records every digest; it cannot be combined with --changed-since")
    targets = [str(p) for p in paths]
    if changed_since:
        targets = _changed_digests(changed_since, targets, include, exclude, quiet)

    documents, errors = load_paths(targets, include=include, exclude=exclude)
    for error in errors:
        _err(str(error))
    scores = None if no_comet else _score_pairs(documents, _scoring_options(
        comet_model, batch_size, gpus, min_score, cache_dir, no_cache, quiet, cfg.settings()),
        require_comet, quiet)
    settings = {**cfg.settings(), **(scores.check_settings() if scores else {})}
    result = audit(documents, checks, errors, settings=settings)
    _attach_scores(result, scores)
    _gate_before_waivers(result, cfg, checks, waiver_list, waivers, bool(changed_since))
    carried, decisions = _apply_waivers(result, waiver_list, waivers)
    _gate_after_waivers(result, fail_on, baseline_entries, baseline, write_baseline, changed_since, quiet)

    text = render(fmt, result)
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
    if not no_report:  # after the findings, so its path is the last thing a terminal shows
        _write_report(report, result.to_dict(), {d.path: d.lines for d in result.documents},
                      report_url, waivers, carried, decisions, quiet)
    _append_step_summary(result)
    if write_baseline:  # recording the current state accepts it
        raise typer.Exit(EXIT_USAGE if errors else EXIT_CLEAN)
    raise typer.Exit(exit_code(result.findings, fail_on, bool(errors)))


@app.command("checks")
def list_checks() -> None:
    """List every check: code, category, default severity and summary."""
    from transaudit.checks.base import registered

    for code, cls in registered().items():
        print(f"{code}  {cls.category:<24} {str(cls.default_severity):<8} {cls.summary()}")


@app.command()
def explain(code: str = typer.Argument(..., help="A check code (TA204) or category (untranslated_fragment).")) -> None:
    """Print a check's documentation with its bad and good examples."""
    from transaudit.checks.base import registered

    table = registered()
    cls = table.get(code.upper()) or next((c for c in table.values() if c.category == code), None)
    if cls is None:
        raise _usage_error(f"no check named {code!r} (see 'transaudit checks')")
    print(f"{cls.code} {cls.category} ({cls.default_severity})\n")
    print(cls.documentation())


@app.command("eval")
def eval_command(
    report_file: Path = typer.Argument(..., help="A result saved with 'check --format json --output FILE'."),
    annotations: Path = typer.Argument(..., help="JSONL of planted errors: file, line, category (note optional)."),
    category: Optional[str] = typer.Option(None, "--category", help="Score only this category."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output format: text or json."),
) -> None:
    """Precision and recall of a report against annotations, per category."""
    from transaudit import evaluation
    from transaudit.codes import CATEGORIES

    if fmt not in ("text", "json"):
        raise _usage_error(f"unknown format {fmt!r} (choose from text, json)")
    if category is not None and category not in CATEGORIES:
        raise _usage_error(f"unknown category {category!r} (choose from {', '.join(sorted(CATEGORIES))})")
    try:
        findings, files = evaluation.load_report(report_file)
        planted = evaluation.load_annotations(annotations, CATEGORIES)
    except evaluation.EvaluationInputError as exc:
        raise _usage_error(str(exc))
    result = evaluation.evaluate(findings, planted, report_files=files, category=category)
    sys.stdout.write(evaluation.render_json(result) if fmt == "json" else evaluation.render_text(result))


# -- CI gate: config, baseline, changed digests, step summary ------------------------


def _load_config(path: Optional[Path]):
    from transaudit.gate import GateError
    from transaudit.gate.config import load_config

    try:
        return load_config(path)
    except GateError as exc:
        raise _usage_error(str(exc))


def _load_baseline(path: Optional[Path]):
    if path is None:
        return None
    from transaudit.gate import GateError
    from transaudit.gate.baseline import load_baseline

    try:
        return load_baseline(path)
    except GateError as exc:
        raise _usage_error(str(exc))


def _changed_digests(ref: str, targets: list[str], include, exclude, quiet: bool) -> list[str]:
    from transaudit.gate import GateError
    from transaudit.gate.changed_files import changed_digests

    try:
        changed = changed_digests(ref, targets, include, exclude)
    except GateError as exc:
        raise _usage_error(str(exc))
    if not quiet:
        listed = "".join(f"\n  {p}" for p in changed)
        _err(f"--changed-since {ref}: auditing {len(changed)} changed digest(s){':' if changed else ''}{listed}")
    return changed


def _gate_before_waivers(result, cfg, checks, waiver_list, waivers: Optional[Path], partial: bool) -> None:
    from transaudit.gate.stage import before_waivers

    before_waivers(result, cfg.severity, checks, waiver_list, str(waivers) if waivers else None, partial)


def _gate_after_waivers(result, fail_on: str, entries, baseline: Optional[Path], write_baseline: Optional[Path],
                        changed_since: Optional[str], quiet: bool) -> None:
    from transaudit.gate import GateError
    from transaudit.gate.stage import after_waivers

    try:
        notes = after_waivers(result, fail_on=fail_on, baseline_entries=entries, baseline_path=baseline,
                              write_path=write_baseline, changed_since=changed_since)
    except GateError as exc:
        raise _usage_error(str(exc))
    for note in notes if not quiet else ():
        _err(note)


def _append_step_summary(result) -> None:
    from transaudit.gate.step_summary import append_step_summary

    try:
        append_step_summary(result)
    except OSError as exc:
        _err(f"cannot append to $GITHUB_STEP_SUMMARY: {exc.strerror or exc}")


# -- HTML report and waivers (shared by check and report) ---------------------------


def _load_waivers(path: Optional[Path]) -> list:
    if path is None:
        return []
    from transaudit.waivers import WaiversError, load_waivers

    try:
        return load_waivers(path)
    except WaiversError as exc:
        raise _usage_error(str(exc))


def _apply_waivers(result, waiver_list: list, path: Optional[Path]) -> tuple[list, dict]:
    if path is None:
        return [], {}
    from transaudit.waivers import apply_to_result

    return apply_to_result(result, waiver_list, str(path))


def _check_report_url(template: str) -> None:
    from transaudit.html_report.issue_text import check_report_url

    try:
        check_report_url(template)
    except ValueError as exc:
        raise _usage_error(str(exc))


def _write_report(path: Path, data: dict, line_texts: dict, report_url: Optional[str], waivers: Optional[Path],
                  carried: list, decisions: dict, quiet: bool) -> None:
    from transaudit.html_report import read_line_texts, write_report

    # findings may sit in files that are not digests (an unused waiver points into the waivers file)
    line_texts = {**read_line_texts({f["file"] for f in data["findings"]} - line_texts.keys()), **line_texts}
    try:
        write_report(path, data, line_texts=line_texts, report_url=report_url, decisions=decisions,
                     carried_waivers=[w.to_dict() for w in carried],
                     waivers_file=str(waivers) if waivers else None)
    except OSError as exc:
        raise _usage_error(f"{path}: cannot write the report: {exc.strerror or exc}")
    if not quiet:
        print(f"report: {path}", file=sys.stderr)


@app.command("report")
def report_command(
    result_file: Path = typer.Argument(..., help="A result saved with 'check --format json --output FILE'."),
    output: Path = typer.Option(Path(DEFAULT_REPORT), "--output", "-o", help="Where to write the HTML report."),
    report_url: Optional[str] = typer.Option(None, "--report-url", help="URL template with {title} and {body} for a 'Report' link per finding."),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="Waivers file: findings marked 'not a mistake' are left out."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print the report path."),
) -> None:
    """Re-render the HTML report from a saved JSON result."""
    from transaudit.fileio import ReadError, read_json_file
    from transaudit.html_report import result_problem
    from transaudit.waivers import apply_waivers

    waiver_list = _load_waivers(waivers)
    if report_url:
        _check_report_url(report_url)
    try:
        data = read_json_file(result_file)
    except ReadError as exc:
        raise _usage_error(str(exc))
    problem = result_problem(data)
    if problem:
        raise _usage_error(f"{result_file}: not a transaudit JSON result ({problem})")

    present = {f["id"] for f in data["findings"]}
    data["findings"] = apply_waivers(data["findings"], waiver_list)
    carried = [w for w in waiver_list if w.waives and w.id in present]
    decisions = {w.id: w.decision for w in waiver_list if not w.waives and w.id in present}
    _write_report(output, data, {}, report_url, waivers, carried, decisions, quiet)


# -- COMET scores ---------------------------------------------------------------------


def _check_scoring_flags(no_comet: bool, require_comet: bool, batch_size: Optional[int], gpus: int) -> None:
    if no_comet and require_comet:
        raise _usage_error("--no-comet and --require-comet contradict each other")
    if batch_size is not None and batch_size < 1:
        raise _usage_error(f"--batch-size must be at least 1, not {batch_size}")
    if gpus < 0:
        raise _usage_error(f"--gpus must be 0 or more, not {gpus}")


def _scoring_options(model: str, batch_size, gpus: int, min_score, cache_dir, no_cache: bool, quiet: bool,
                     settings: dict):
    from transaudit.scoring.run import ScoringOptions

    return ScoringOptions(model=model, batch_size=batch_size, gpus=gpus, min_score=min_score,
                          cache_dir=cache_dir, use_cache=not no_cache,
                          progress=not quiet and sys.stderr.isatty(), check_settings=settings)


def _score_pairs(documents, options, require: bool, quiet: bool):
    """Score every pair, or say in one line why not (exit 2 only with --require-comet)."""
    if not any(seg.is_pair for doc in documents for seg in doc.segments):
        return None
    from transaudit.scoring.models import ModelUnavailable
    from transaudit.scoring.run import CometNotInstalled, score_documents

    try:
        run = score_documents(documents, options, notify=_err)
    except ModelUnavailable as exc:
        if require:
            raise _usage_error(f"{exc} (--require-comet)")
        if isinstance(exc, CometNotInstalled):
            _err(str(exc))
        else:
            _err(f"COMET scores unavailable: {exc}; auditing without scores (--no-comet skips scoring)")
        return None
    if not quiet:
        if run.truncated:
            _err(f"{run.truncated} pair(s) have a sentence longer than the COMET model's limit; it was "
                 "scored truncated and is marked \"truncated\" in the JSON output")
        if run.min_score is None:
            _err(f"no default --min-score for COMET model {run.model}; low_quality reports only "
                 "capped pairs (copies of the source, wrong language)")
    return run


def _attach_scores(result, scores) -> None:
    """Per pair ``comet`` record (or null) and the summary's ``comet`` block."""
    for doc in result.documents:
        for seg in doc.segments:
            if seg.is_pair:
                record = scores.records.get((doc.path, seg.index)) if scores else None
                result.pair_extras.setdefault((doc.path, seg.index), {})["comet"] = record
    result.summary_extras["comet"] = scores.summary() if scores else None


def main() -> None:
    app()


if __name__ == "__main__":
    main()
