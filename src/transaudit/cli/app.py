"""The typer application, exit codes and the stderr helpers every command shares.

Only the command modules of this package decide exit codes: 0 clean, 1 findings at or above
``--fail-on``, 2 usage or input error. Heavy modules (pandas, comet, torch) are imported inside
commands, never here.
"""

from __future__ import annotations

import sys

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


def err(message: str) -> None:
    """One line on stderr; names and digest text in it cannot break the line or the terminal."""
    from transaudit.terminal_text import printable

    print(f"transaudit: {printable(message)}", file=sys.stderr)


def usage_error(message: str) -> "typer.Exit":
    err(message)
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
