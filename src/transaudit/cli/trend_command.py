"""``transaudit trend RESULT.json``: the per-digest score table of a saved result, as CSV.

The same table as ``check --format csv --by-digest`` (references/trend.py), from a result saved
with ``check --format json --output FILE``, so an archive's trend can be read again without
re-scoring.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from transaudit.cli.app import EXIT_CLEAN, app, usage_error
from transaudit.cli.help_text import UserHelpCommand


@app.command("trend", cls=UserHelpCommand)
def trend_command(
    result_file: Path = typer.Argument(..., help="A result saved with 'check --format json --output FILE'."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the CSV here instead of stdout."),
) -> None:
    """Per-digest scores (chrF, BLEU, TER against references; COMET) of a saved result, as CSV."""
    from transaudit.fileio import ReadError, read_json_file, same_file, write_atomic
    from transaudit.json_inputs import JSONShapeError, check_result
    from transaudit.reporters.csv_by_digest import render_rows
    from transaudit.references.trend import digest_rows

    try:
        data = read_json_file(result_file, "result")
        check_result(data, str(result_file))
    except (ReadError, JSONShapeError) as exc:
        raise usage_error(str(exc))
    text = render_rows(digest_rows(data))
    if output is None:
        sys.stdout.write(text)
        raise typer.Exit(EXIT_CLEAN)
    if same_file(output, result_file):
        raise usage_error(f"{output}: is the result being read; inputs are never written")
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise usage_error(f"{output}: cannot write the table: {exc.strerror or exc}")
    raise typer.Exit(EXIT_CLEAN)
