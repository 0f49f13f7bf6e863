"""``transaudit eval``: precision and recall of a saved result against annotations."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from transaudit.cli.app import app, usage_error
from transaudit.cli.help_text import UserHelpCommand


@app.command("eval", cls=UserHelpCommand)
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
        raise usage_error(f"unknown format {fmt!r} (choose from text, json)")
    if category is not None and category not in CATEGORIES:
        raise usage_error(f"unknown category {category!r} (choose from {', '.join(sorted(CATEGORIES))})")
    try:
        findings, files = evaluation.load_report(report_file)
        planted = evaluation.load_annotations(annotations, CATEGORIES)
    except evaluation.EvaluationInputError as exc:
        raise usage_error(str(exc))
    result = evaluation.evaluate(findings, planted, report_files=files, category=category)
    sys.stdout.write(evaluation.render_json(result) if fmt == "json" else evaluation.render_text(result))
