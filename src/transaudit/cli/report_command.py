"""``transaudit report``: re-render the HTML report of a saved JSON result."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from transaudit.cli.app import DEFAULT_REPORT, app, usage_error
from transaudit.cli.help_text import UserHelpCommand
from transaudit.cli.output_guard import Inputs
from transaudit.cli.output_steps import refuse_outputs_on_inputs_or_exit
from transaudit.cli.report_steps import check_report_url_or_exit, load_waivers_or_exit, write_report_or_exit


@app.command("report", cls=UserHelpCommand)
def report_command(
    result_file: Path = typer.Argument(..., help="A result saved with 'check --format json --output FILE'."),
    output: Path = typer.Option(Path(DEFAULT_REPORT), "--output", "-o", help="Where to write the HTML report."),
    report_url: Optional[str] = typer.Option(None, "--report-url", help="URL template with {title} and {body} for a 'Report' link per finding."),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="Waivers file: findings marked 'not a mistake' are left out."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print the report path."),
) -> None:
    """Re-render the HTML report from a saved JSON result."""
    from transaudit.fileio import ReadError, read_json_file
    from transaudit.json_inputs import JSONShapeError, check_result
    from transaudit.waivers import partition

    inputs = Inputs()
    inputs.add(result_file, "the saved result")
    inputs.add(waivers, "the waivers file (--waivers)")
    refuse_outputs_on_inputs_or_exit([("--output", output)], inputs)
    waiver_list = load_waivers_or_exit(waivers)
    if report_url:
        check_report_url_or_exit(report_url)
    try:
        data = read_json_file(result_file)
    except ReadError as exc:
        raise usage_error(str(exc))
    try:
        check_result(data, str(result_file))
    except JSONShapeError as exc:
        raise usage_error(str(exc))

    data["findings"], carried, decisions = partition(data["findings"], waiver_list)
    write_report_or_exit(output, data, {}, report_url, waivers, carried, decisions, quiet)
