"""``transaudit checks`` and ``transaudit explain``: what the checks are."""

from __future__ import annotations

import typer

from transaudit.cli.app import app, usage_error
from transaudit.cli.help_text import UserHelpCommand, plain_doc


@app.command("checks", cls=UserHelpCommand)
def list_checks() -> None:
    """List every check: code, category, default severity and summary."""
    from transaudit.checks.base import registered

    for code, cls in registered().items():
        print(f"{code}  {cls.category:<24} {str(cls.default_severity):<8} {cls.summary()}")


@app.command(cls=UserHelpCommand)
def explain(code: str = typer.Argument(..., help="A check code (TA204) or category (untranslated_fragment).")) -> None:
    """Print a check's documentation with its bad and good examples."""
    from transaudit.checks.base import registered

    table = registered()
    cls = table.get(code.upper()) or next((c for c in table.values() if c.category == code), None)
    if cls is None:
        raise usage_error(f"no check named {code!r} (see 'transaudit checks')")
    print(f"{cls.code} {cls.category} ({cls.default_severity})\n")
    print(plain_doc(cls.documentation()))
