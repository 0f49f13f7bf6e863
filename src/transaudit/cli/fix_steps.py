"""``check --fix`` / ``--unsafe-fixes`` / ``--diff``: apply the findings' fixes before the audit.

The rules run once over the documents as read (suppressions and waivers honoured); the fixes
of each file are chosen (:mod:`transaudit.fixes.apply`), and then either printed as a unified
diff (nothing written; exit 1 when there is a diff) or written back, after which the command
audits the fixed documents and reports what is left. A file that could not be read is never a
document, so it is never written; a file that changed since it was read is left alone and
reported as an input error.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Optional

import typer

from transaudit.cli.app import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, err


def check_fix_flags(fix: bool, unsafe_fixes: bool, diff: bool, write_baseline: Optional[Path]) -> None:
    from transaudit.cli.app import usage_error

    if fix and diff:
        raise usage_error("--fix writes the fixes and --diff only shows them: give one of them")
    if unsafe_fixes and not (fix or diff):
        raise usage_error("--unsafe-fixes goes with --fix or --diff")
    if (fix or diff) and write_baseline:
        raise usage_error("--write-baseline records findings; it cannot be combined with --fix or --diff")


def fix_documents(documents: list, errors: list, checks: list, settings: dict, cfg, waiver_list: list,
                  waivers: Optional[Path], unsafe: bool, diff_only: bool, quiet: bool, options=None) -> list:
    """Apply (or with ``diff_only`` print and exit) the fixes; the documents to audit next."""
    from transaudit.audit import audit
    from transaudit.cli.gate_steps import rebase_on_project_root
    from transaudit.cli.report_steps import apply_waivers_to
    from transaudit.fixes.apply import FileChanged, plan_file, read_for_fix, wanted, write_fixed
    from transaudit.fixes.preview import unified_diff
    from transaudit.model import InputError
    from transaudit.parsing import parse_document

    result = audit(documents, checks, [], settings=settings)
    rebase_on_project_root(result, cfg)
    apply_waivers_to(result, waiver_list, waivers)
    by_file = defaultdict(list)
    for f in result.findings:
        if wanted(f, unsafe):
            by_file[f.file].append(f)
    plans = []
    for doc in documents:
        if doc.path not in by_file:
            continue
        try:
            text, encoding = read_for_fix(doc.path, doc.lines)
        except FileChanged as exc:
            errors.append(InputError(doc.path, str(exc)))
            err(f"{doc.path}: error: {exc}")
            continue
        plan = plan_file(doc.path, text, by_file[doc.path], unsafe)
        if plan.changed or plan.waiting:
            plans.append((doc, plan, encoding))

    if diff_only:
        sys.stdout.write("".join(unified_diff(doc.path, plan.old_text, plan.new_text, plan.ranges) for doc, plan, _ in plans))
        _note_counts(plans, quiet, "would fix")
        changed = any(plan.changed for _, plan, _ in plans)
        raise typer.Exit(EXIT_USAGE if errors else EXIT_FINDINGS if changed else EXIT_CLEAN)

    fixed_docs = {}
    for doc, plan, encoding in plans:
        if not plan.changed:
            continue
        try:
            write_fixed(doc.path, plan.new_text, encoding)
        except OSError as exc:
            errors.append(InputError(doc.path, f"cannot write the fixes: {exc.strerror or exc}"))
            err(f"{doc.path}: error: cannot write the fixes: {exc.strerror or exc}")
            continue
        fixed_docs[doc.path] = parse_document(doc.path, plan.new_text, options)
    _note_counts([(d, p, e) for d, p, e in plans if d.path in fixed_docs or not p.changed], quiet, "fixed")
    return [fixed_docs.get(doc.path, doc) for doc in documents]


def _note_counts(plans: list, quiet: bool, verb: str) -> None:
    if quiet:
        return
    fixed = sum(len(plan.fixed) for _, plan, _ in plans)
    files = sum(1 for _, plan, _ in plans if plan.changed)
    waiting = sum(len(plan.waiting) for _, plan, _ in plans)
    note = f"{verb} {fixed} finding(s) in {files} file(s)"
    if waiting:
        note += f"; {waiting} fix(es) overlap another and wait for the next run"
    err(note)
