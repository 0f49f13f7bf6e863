"""Command line: ``transaudit check|checks|explain|eval|report|trend``, one module per command.

``app.py`` holds the typer application and exit codes; ``*_steps.py`` the stages ``check``
runs (gate, scoring, report) with their one-line usage errors.
"""

from transaudit.cli.app import DEFAULT_COMET_MODEL, DEFAULT_REPORT, app, exit_code
# Imported in the order `--help` lists the commands; importing registers them.
from transaudit.cli import check_command, info_commands, report_command, eval_command  # noqa: F401,E402
from transaudit.cli import compare_command  # noqa: F401,E402
from transaudit.cli import trend_command  # noqa: F401,E402

__all__ = ["DEFAULT_COMET_MODEL", "DEFAULT_REPORT", "app", "exit_code", "main"]


def main() -> None:
    app()
