"""``path:line: CODE category severity: message``, one line per finding (Vale's --output=line)."""

from __future__ import annotations


def format_line(f) -> str:
    return f"{f.file}:{f.line}: {f.check} {f.category} {f.severity}: {f.message}"


def render(result) -> str:
    lines = [format_line(f) for f in result.findings]
    return "\n".join(lines) + ("\n" if lines else "")
