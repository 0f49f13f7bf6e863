"""``path:line: CODE category severity: message``, one line per finding (Vale's --output=line)."""

from __future__ import annotations

from transaudit.terminal_text import display_path, printable


def format_line(f) -> str:
    # one line whatever the name or message holds: no newline, escape sequence or leading '::'
    return f"{display_path(f.file)}:{f.line}: {f.check} {f.category} {f.severity}: {printable(f.message)}"


def render(result) -> str:
    lines = [format_line(f) for f in result.findings]
    return "\n".join(lines) + ("\n" if lines else "")
