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
    fmt: str = typer.Option("text", "--format", "-f", help="Output format: text, json, csv."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the output here instead of stdout."),
    select: List[str] = typer.Option([], "--select", help="Only these check codes or categories (repeatable, comma-separated)."),
    ignore: List[str] = typer.Option([], "--ignore", help="Skip these check codes or categories."),
    fail_on: str = typer.Option("error", "--fail-on", help="Exit 1 when a finding is at least this severe: error, warning, info, never."),
    include: List[str] = typer.Option([], "--include", help="Glob of files to audit inside directories (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Glob of files to skip (repeatable)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or notices on stderr."),
) -> None:
    """Parse digests, pair Hindi with English, and report translation mistakes."""
    from transaudit.audit import audit
    from transaudit.checks.base import select_checks
    from transaudit.fileio import write_atomic
    from transaudit.parsing import load_paths
    from transaudit.reporters import FORMATS, render

    if fmt not in FORMATS:
        raise _usage_error(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fail_on not in FAIL_ON_CHOICES:
        raise _usage_error(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, not {fail_on!r}")
    try:
        checks = select_checks(select, ignore)
    except ValueError as exc:
        raise _usage_error(str(exc))

    documents, errors = load_paths([str(p) for p in paths], include=include, exclude=exclude)
    for error in errors:
        _err(str(error))
    result = audit(documents, checks, errors)

    text = render(fmt, result)
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
