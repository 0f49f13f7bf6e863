"""``check --format jsonl``: the streaming run (stream_audit.py), written as it goes.

Findings are written one per line as their chunk is done, in report order, then one summary
line; memory stays bounded by the chunks in flight and the corpus duplicate index. What the
streamed run does not do (yet) is refused with a usage error naming the flag: waivers and
baselines need every finding before the first is written.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Optional

from transaudit.cli.app import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, err, usage_error


def jobs_or_exit(jobs: Optional[int]) -> int:
    """``--jobs``: at least 1; not given: the cores this process may run on."""
    if jobs is None:
        from transaudit.stream_audit import usable_cores

        return usable_cores()
    if jobs < 1:
        raise usage_error(f"--jobs must be at least 1, not {jobs}")
    return jobs


def translation_options(source_lang, target_lang, include_fuzzy: bool):
    from transaudit.parsing import TranslationOptions

    return TranslationOptions(source_lang, target_lang, include_fuzzy)


def refuse_unstreamable(flags: dict[str, object]) -> None:
    for flag, value in flags.items():
        if value:
            raise usage_error(f"--format jsonl streams findings as they are found and cannot apply {flag} "
                              f"(it needs every finding first); use --format json with {flag}")


def list_files(targets: list[str], include, exclude):
    """The files a run audits, in the order load_paths reads them (nothing is read here)."""
    from transaudit.model import InputError
    from transaudit.parsing.loader import walk_directory

    files, errors, seen = [], [], set()
    for given in targets:
        if os.path.isdir(given):
            found = walk_directory(given, include, exclude)
        elif os.path.lexists(given):
            found = [given]
        else:
            errors.append(InputError(given, "no such file or directory"))
            continue
        for path in found:
            if path not in seen:
                seen.add(path)
                files.append(path)
    return files, errors


def stream_check(*, paths, targets: list[str], include, exclude, checks, cfg, fail_on: str, jobs: int,
                 output: Optional[Path], quiet: bool, report: Optional[Path], report_url: Optional[str],
                 options=None) -> int:
    """The whole ``check --format jsonl`` run; returns the exit code."""
    from transaudit.cli.output_steps import check_inputs, refuse_outputs_on_inputs_or_exit, step_summary_path
    from transaudit.cli.output_guard import keeps_previous, kept_note
    from transaudit.fileio import AtomicWriter, sigterm_unwinds
    from transaudit.html_report.at_scale import ReportCollector
    from transaudit.model import Severity
    from transaudit.parsing.parallel_stream import total_size
    from transaudit.progress import AuditProgress
    from transaudit.project_root import find_root
    from transaudit.stream_audit import StreamAudit
    from transaudit.terminal_text import storable

    files, errors = list_files(targets, include, exclude)
    inputs = check_inputs(paths, list(targets) + files, [], errors, cfg.path, None, None, None)
    refuse_outputs_on_inputs_or_exit([("--output", output), ("--report", report),
                                      ("$GITHUB_STEP_SUMMARY", step_summary_path())], inputs)
    for error in errors:
        err(str(error))
    root = find_root(cfg.path)
    rel_cache: dict[str, str] = {}

    def rel(file: str) -> str:
        if file not in rel_cache:  # printed and hashed: a non-UTF-8 name as \xe9 (project_root.py)
            rel_cache[file] = storable(root.relative(file))
        return rel_cache[file]

    progress = AuditProgress(sum(total_size(f) for f in files), enabled=not quiet and sys.stderr.isatty())
    run = StreamAudit(checks, cfg.settings(), jobs, on_progress=progress.advance, want_pairs=report is not None,
                      options=options)
    collector = ReportCollector() if report is not None else None
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    writer = AtomicWriter(output) if output is not None else None
    write = writer.write if writer is not None else sys.stdout.write
    with sigterm_unwinds():  # a killed run leaves no temporary file behind
        summary, tool, error_list, failing = _stream(run, files, errors, write, writer, output, rel, cfg, checks,
                                                     collector, threshold, fail_on, jobs, progress)
    if collector is not None:
        if keeps_previous(report, bool(errors)):
            err(kept_note(report, "the report"))
        else:
            from transaudit.html_report import read_line_texts
            from transaudit.parsing.parallel_stream import is_streamable

            # lines outside pairs are shown for digests; a parallel file is never read whole again
            digests = {rel(f): f for f in run.files if not is_streamable(f)}
            texts = read_line_texts(digests.values())
            line_texts = {r: texts.get(f, []) for r, f in digests.items()}
            line_texts.update({rel(f): [] for f in run.files if is_streamable(f)})
            collector.write(report, collector.data(summary, tool, error_list), line_texts, report_url, quiet)
    return EXIT_USAGE if errors else EXIT_FINDINGS if failing else EXIT_CLEAN


def _stream(run, files, errors, write, writer, output, rel, cfg, checks, collector, threshold, fail_on, jobs,
            progress):
    from transaudit import __version__
    from transaudit.audit import SCHEMA_VERSION
    from transaudit.cli.output_guard import keeps_previous, kept_note
    from transaudit.gate.stage import apply_severity
    from transaudit.reporters.jsonl_format import finding_line, summary_line

    by_severity, by_category, by_file = Counter(), Counter(), Counter()
    failing = False
    try:
        for finding in run.findings(files):
            finding = replace(finding, root_file=rel(finding.file))
            if cfg.severity:
                finding = apply_severity([finding], cfg.severity)[0]
            write(finding_line(finding))
            by_severity[str(finding.severity)] += 1
            by_category[finding.category] += 1
            by_file[finding.root_file] += 1
            failing = failing or (threshold is not None and finding.severity >= threshold)
            if collector is not None:
                pair = run.pairs_found.get(finding.line)
                collector.add(finding, pair and {**pair, "file": rel(pair["file"])})
        progress.close()
        if collector is not None:
            for file, n in run.pairs_by_file.items():
                collector.add_pairs(rel(file), n)
        errors += run.errors
        for error in run.errors:
            err(str(error))
        checks_codes = [c.code for c in checks]
        signature = f"transaudit:{__version__}|checks:{len(checks_codes)}"
        summary = {
            "files": len(run.files), "pairs": run.pairs, "findings": sum(by_severity.values()),
            "by_severity": {k: by_severity.get(k, 0) for k in ("error", "warning", "info")},
            "by_category": dict(sorted(by_category.items())), "by_file": dict(sorted(by_file.items())),
            "input_errors": len(errors), "signature": signature, "comet": None, "gate": {"fail_on": fail_on},
            "stream": {"jobs": jobs, "duplicate_index_bytes": run.index_bytes,
                       "duplicate_index_entries": run.index_entries},
        }
        tool = {"name": "transaudit", "version": __version__, "checks": checks_codes, "signature": signature}
        error_list = [{"file": rel(e.file), "message": e.message} for e in errors]
        write(summary_line(SCHEMA_VERSION, tool, error_list, summary))
        if writer is not None:
            if keeps_previous(output, bool(errors)):
                err(kept_note(output, "the output"))
                writer.discard()
            else:
                writer.commit()
        else:
            sys.stdout.flush()
    finally:
        progress.close()
        if writer is not None:
            writer.discard()  # no-op once committed
    return summary, tool, error_list, failing
