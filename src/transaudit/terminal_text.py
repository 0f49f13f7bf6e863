"""The one escaping of text bound for a terminal or a CI log (stdout and stderr, every format).

A file name or a digest line can hold anything: a newline followed by ``::warning file=...::``
(GitHub Actions reads workflow commands from any line of stdout *and* stderr that starts with
``::`` after blanks), an ANSI escape sequence that recolours or rewrites the terminal, a
right-to-left override that makes a line read backwards, or bytes that are not UTF-8 at all
(a ``caf\\xe9.txt`` on disk, which Python carries as a lone surrogate and cannot print).

:func:`printable` makes such text inert and still readable: control characters become the
escapes a programmer would type (``\\n``, ``\\x1b``, ``\\u202e``), undecodable bytes become
``\\xe9``; everything else, Devanagari included, is left alone. :func:`display_path` also keeps
a path from opening a line with ``::``. :func:`spreadsheet_cell` neutralises CSV formula
injection the way OWASP recommends.
"""

from __future__ import annotations

import os
import re

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 and C1 controls, DEL, the bidi embeddings/overrides/isolates (Trojan Source), line and
# paragraph separators, lone surrogates (undecodable bytes of a file name).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_KEEP_TAB = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: object, keep_tabs: bool = False) -> str:
    """``text`` with every control, bidi-override and undecodable character escaped."""
    text = text if isinstance(text, str) else os.fsdecode(text) if isinstance(text, bytes) else str(text)
    return (_UNSAFE_KEEP_TAB if keep_tabs else _UNSAFE).sub(_escape, text)


def display_path(path: object) -> str:
    """A path as printed at the start of a line: escaped, and never starting with ``::``."""
    text = printable(path)
    return "./" + text if text.lstrip().startswith("::") else text


def storable(text: object, in_json: bool = False) -> str:
    """Text that can be encoded as UTF-8: undecodable bytes of a file name as ``\\xe9``,
    nothing else changed (for JSON, SARIF, HTML: formats that escape the rest themselves).
    ``in_json``: ``text`` is serialised JSON, so the backslash is written as JSON's ``\\\\``."""
    text = text if isinstance(text, str) else str(text)
    if not _has_surrogate(text):
        return text
    escape = (lambda m: "\\" + _escape(m)) if in_json else _escape
    return re.sub("[\ud800-\udfff]", escape, text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(serialised: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) safe to print and to store: the C1
    controls, DEL and bidi overrides JSON leaves raw become ``\\uXXXX`` (the same data), a
    non-UTF-8 file name's bytes ``\\xe9`` (as in every other format)."""
    serialised = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", serialised)
    return storable(serialised, in_json=True)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# OWASP "CSV Injection": a cell starting with one of these is a formula in spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@``, tab or CR
    gets a ``'`` in front (numbers stay numbers); controls are escaped as in :func:`printable`."""
    if value is None or isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        text = "'" + text
    return printable(text)
