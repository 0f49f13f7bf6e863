"""``transaudit check``: parse, check, score, gate, report, and decide the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from transaudit.cli.app import (DEFAULT_COMET_MODEL, DEFAULT_REPORT, EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE,
                                FAIL_ON_CHOICES, app, err, exit_code, usage_error)
from transaudit.cli.fix_steps import check_fix_flags, fix_documents
from transaudit.cli.help_text import UserHelpCommand
from transaudit.cli.output_steps import (cache_file, check_inputs, keep_previous_outputs,
                                         refuse_outputs_on_inputs_or_exit, step_summary_path)
from transaudit.cli.gate_steps import (append_step_summary_or_warn, changed_digests_or_exit,
                                       gate_after_waivers, gate_before_waivers,
                                       load_baseline_or_exit, load_config_or_exit,
                                       rebase_on_project_root, skip_non_digests)
from transaudit.cli.report_steps import (apply_waivers_to, check_report_url_or_exit,
                                         load_waivers_or_exit, write_report_or_exit)
from transaudit.cli.reference_steps import (attach_references, check_reference_flags, load_references,
                                            note_reference_scores, reference_gate, refuse_outputs_on_references,
                                            refuse_reference_model_without_references,
                                            score_against_references, score_reference_comet)
from transaudit.cli.stream_steps import jobs_or_exit, refuse_unstreamable, stream_check, translation_options
from transaudit.cli.scoring_steps import attach_scores, check_scoring_flags, score_pairs, scoring_options


@app.command(cls=UserHelpCommand)
def check(
    paths: List[Path] = typer.Argument(..., help="Digest files or directories (walked recursively)."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output format: text, json, jsonl (streamed: one finding per line as found, then a summary line), csv, github, sarif, junit."),
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
    comet_precision: Optional[str] = typer.Option(None, "--comet-precision", help="auto (default: bf16 where the CPU or GPU computes it natively, else fp32), fp32 (COMET's exact scores) or bf16 (scores differ by up to about 0.01; cached apart)."),
    verbose: bool = typer.Option(False, "--verbose", help="Say on stderr which COMET precision was chosen, and why."),
    ray: Optional[str] = typer.Option(None, "--ray", help="Score the pairs the cache lacks on a Ray cluster: 'auto' (the running one, else a local one) or its address (needs the ray extra)."),
    ray_actors: Optional[int] = typer.Option(None, "--ray-actors", help="COMET actors on the Ray cluster (default: one per GPU, else one per node)."),
    min_score: Optional[float] = typer.Option(None, "--min-score", help="Pairs scoring below this get a low_quality warning (default per model: 0.0 for wmt20-comet-qe-da, 0.6 for CometKiwi)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Directory of the COMET score cache (default: the user cache dir)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write cached COMET scores."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Worker processes for the rule checks (default: the usable cores; 1: one process). Findings are the same for every N."),
    no_pairs: bool = typer.Option(False, "--no-pairs", help="--format json: leave the 'pairs' list empty (the summary still counts them); every pair is otherwise written."),
    skip_non_digests_: bool = typer.Option(False, "--skip-non-digests", help="Skip named files with no Hindi text and no pair markers (README.md, CHANGELOG.md ...) and empty files, with a note on stderr; the pre-commit hook passes it."),
    reference: List[Path] = typer.Option([], "--reference", help="Corrected digests to score against (sacrebleu chrF/BLEU/TER, reference-based COMET): a file, or a directory whose files are matched by file name (repeatable)."),
    reference_model: Optional[str] = typer.Option(None, "--reference-model", help="Reference-based COMET model for pairs with a reference (default Unbabel/wmt22-comet-da)."),
    fail_under_chrf: Optional[float] = typer.Option(None, "--fail-under-chrf", help="Exit 1 when the run's corpus chrF against the references is under this (0-100)."),
    fail_over_ter: Optional[float] = typer.Option(None, "--fail-over-ter", help="Exit 1 when the run's corpus TER against the references is over this."),
    by_digest: bool = typer.Option(False, "--by-digest", help="With --format csv: one row of scores per digest (chrF, BLEU, TER, COMET) in file-name order instead of the findings."),
    fix: bool = typer.Option(False, "--fix", help="Apply the safe fixes in place (atomic writes), then report what is left."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="With --fix or --diff: also the unsafe fixes (a name or number restored from the English)."),
    diff: bool = typer.Option(False, "--diff", help="Print the fixes as a unified diff and write nothing; exit 1 when there is a diff."),
    source_lang: Optional[str] = typer.Option(None, "--source-lang", help="PO/XLIFF/TMX: the source language when the file does not say (or says wrongly); English is audited."),
    target_lang: Optional[str] = typer.Option(None, "--target-lang", help="PO/XLIFF/TMX: the target language when the file does not say (or says wrongly); Hindi is audited."),
    include_fuzzy: bool = typer.Option(False, "--include-fuzzy", help="PO: also audit fuzzy and obsolete (#~) entries."),
) -> None:
    """Parse digests, pair Hindi with English, and report translation mistakes."""
    from transaudit.audit import audit
    from transaudit.checks.base import select_checks
    from transaudit.fileio import write_atomic
    from transaudit.parsing import load_paths
    from transaudit.reporters import FORMATS, render

    # Precedence: a flag on the command line > the config file > the defaults.
    cfg = load_config_or_exit(config)
    select, ignore = select or list(cfg.select), ignore or list(cfg.ignore)
    include, exclude = include or list(cfg.include), exclude or list(cfg.exclude)
    fail_on = fail_on or cfg.fail_on or "error"
    no_report = no_report or (report is None and cfg.report is False)
    report = report or Path(cfg.report or DEFAULT_REPORT)
    comet_model = comet_model or cfg.comet_model or DEFAULT_COMET_MODEL
    min_score = min_score if min_score is not None else cfg.min_score
    comet_precision = comet_precision or cfg.comet_precision or "auto"
    if fmt not in FORMATS:
        raise usage_error(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fail_on not in FAIL_ON_CHOICES:
        raise usage_error(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, not {fail_on!r}")
    check_scoring_flags(no_comet, require_comet, batch_size, gpus, comet_precision, ray, ray_actors)
    reference_model = reference_model or cfg.reference_model
    fail_under_chrf = fail_under_chrf if fail_under_chrf is not None else cfg.fail_under_chrf
    fail_over_ter = fail_over_ter if fail_over_ter is not None else cfg.fail_over_ter
    check_reference_flags(fail_under_chrf, fail_over_ter, by_digest, fmt)
    check_fix_flags(fix, unsafe_fixes, diff, write_baseline)
    jobs = jobs_or_exit(jobs)
    try:
        checks = select_checks(select, ignore)
    except ValueError as exc:
        raise usage_error(str(exc))

    waiver_list = load_waivers_or_exit(waivers)
    if report_url:
        check_report_url_or_exit(report_url)
    baseline_entries = load_baseline_or_exit(baseline)
    if write_baseline and changed_since:
        raise usage_error("--write-baseline records every digest; it cannot be combined with --changed-since")
    targets = [str(p) for p in paths]
    if changed_since:
        targets = changed_digests_or_exit(changed_since, targets, include, exclude, quiet)
    if skip_non_digests_:
        targets = skip_non_digests(targets, quiet)
    if fmt == "jsonl":  # bounded memory: read, checked and written in chunks (stream_steps.py)
        refuse_unstreamable({"--waivers": waivers, "--baseline": baseline, "--write-baseline": write_baseline,
                             "--require-comet": require_comet, "--reference": reference, "--fix": fix, "--diff": diff})
        if not no_comet and not quiet:
            err("--format jsonl audits with the rule checks only (no COMET scores); --no-comet silences this note")
        raise typer.Exit(stream_check(
            paths=paths, targets=targets, include=include, exclude=exclude, checks=checks, cfg=cfg, fail_on=fail_on,
            jobs=jobs, output=output, quiet=quiet, report=None if no_report else report, report_url=report_url,
            options=translation_options(source_lang, target_lang, include_fuzzy)))

    from transaudit.parsing import TranslationOptions

    l10n = TranslationOptions(source_lang, target_lang, include_fuzzy)
    documents, errors = load_paths(targets, include=include, exclude=exclude, options=l10n)
    check_settings = cfg.settings()
    refuse_outputs_on_inputs_or_exit(
        [("--output", output), ("--report", None if no_report else report), ("--write-baseline", write_baseline),
         ("$GITHUB_STEP_SUMMARY", step_summary_path())],
        check_inputs(paths, targets, documents, errors, cfg.path, baseline, waivers,
                     None if no_comet or no_cache else cache_file(cache_dir)))
    for error in errors:
        err(str(error))
    if fix or diff:
        documents = fix_documents(documents, errors, checks, check_settings, cfg, waiver_list, waivers,
                                  unsafe_fixes, diff, quiet, l10n)
    refs, ref_files, ref_errors = load_references(reference, documents, quiet)
    refuse_reference_model_without_references(reference_model, refs)
    refuse_outputs_on_references([("--output", output), ("--report", None if no_report else report),
                                  ("--write-baseline", write_baseline)], reference, ref_files)
    for error in ref_errors:
        err(str(error))
    errors = errors + ref_errors
    # a half-read corpus must not replace the outputs of an earlier, complete run
    kept = keep_previous_outputs({"--output": output, "--report": None if no_report else report,
                                  "--write-baseline": write_baseline}, bool(errors))
    no_report = no_report or "--report" in kept
    scores = None if no_comet else score_pairs(documents, scoring_options(
        comet_model, batch_size, gpus, min_score, cache_dir, no_cache, quiet, check_settings, comet_precision,
        verbose, ray, ray_actors),
        require_comet, quiet)
    settings = {**check_settings, **(scores.check_settings() if scores else {})}
    result = audit(documents, checks, errors, settings=settings, jobs=jobs)
    result.include_pairs = not no_pairs
    rebase_on_project_root(result, cfg)
    attach_scores(result, scores)
    reference_run = score_against_references(documents, refs, ref_files, jobs)
    if not no_comet:
        score_reference_comet(reference_run, documents, reference_model, comet_precision, gpus, batch_size,
                              cache_dir, no_cache, require_comet, quiet)
    attach_references(result, reference_run)
    note_reference_scores(reference_run, quiet)
    gate_before_waivers(result, cfg, checks, waiver_list, waivers, bool(changed_since))
    carried, decisions = apply_waivers_to(result, waiver_list, waivers)
    gate_after_waivers(result, fail_on, baseline_entries, baseline,
                       None if "--write-baseline" in kept else write_baseline, changed_since, quiet)

    if by_digest:
        from transaudit.reporters.csv_by_digest import render as render_by_digest

        text = render_by_digest(result)
    else:
        text = render(fmt, result)
    if output is None:
        sys.stdout.write(text)
    elif "--output" not in kept:
        try:
            write_atomic(output, text)
        except OSError as exc:
            raise usage_error(f"{output}: cannot write the output: {exc.strerror or exc}")
    if not no_report:  # after the findings, so its path is the last thing a terminal shows
        write_report_or_exit(report, result.to_dict(), {result.path_of(d.path): d.lines for d in result.documents},
                      report_url, waivers, carried, decisions, quiet)
    append_step_summary_or_warn(result)
    if write_baseline:  # recording the current state accepts it
        raise typer.Exit(EXIT_USAGE if errors else EXIT_CLEAN)
    code = exit_code(result.findings, fail_on, bool(errors))
    if reference_gate(result, fail_under_chrf, fail_over_ter, quiet) and code == EXIT_CLEAN:
        code = EXIT_FINDINGS
    raise typer.Exit(code)

