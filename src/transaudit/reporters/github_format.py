"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

``::error file=digests/901.txt,line=15,endLine=15,title=TA204 untranslated_fragment::message``
makes GitHub show the finding on that line of the pull request. Escaping follows the Actions
toolkit: in the message ``%``, ``\\r`` and ``\\n``; in property values also ``:`` and ``,``.

A finding with spans points at its first one: ``line``/``endLine`` are that span's line and
``col``/``endColumn`` its columns (1-based, ``endColumn`` exclusive, as ruff writes them: the
Actions toolkit and the checks API do not say whether the end is inclusive). GitHub takes
columns only when ``line`` equals ``endLine``; a span never crosses a line.
"""

from __future__ import annotations

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    from transaudit.terminal_text import printable

    # the toolkit's escapes first, then any other control character (ANSI sequences) as \x1b
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_line(f) -> str:
    props = {
        "file": f.root_file or f.file,  # relative to the repository root, as GitHub resolves it
        "line": str(f.line),
        "endLine": str(max(f.end_line, f.line)),
        "title": f"{f.check} {f.category}",
    }
    span = f.spans[0] if f.spans else None
    if span is not None and span.line == span.end_line:
        props = {"file": props["file"], "line": str(span.line), "col": str(span.column),
                 "endLine": str(span.line), "endColumn": str(span.end_column), "title": props["title"]}
    prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    message = f.message + (f" (suggestion: {f.suggestion})" if f.suggestion else "")
    return f"::{COMMAND[str(f.severity)]} {prop_text}::{escape_data(message)}"


def render(result) -> str:
    lines = [format_line(f) for f in result.findings]
    for error in result.errors:  # a digest that could not be read must show up in CI too
        lines.append(f"::error file={escape_property(result.path_of(error.file))},title=input error::"
                     f"{escape_data(error.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
