"""Bytes to text, with a one-line reason when a file cannot be read as a digest.

UTF-8 (with or without BOM) and UTF-16 with a BOM are accepted. Everything else is refused
with a message that names what is wrong and where, so an editor can fix the file.
"""

from __future__ import annotations

import codecs


class DecodeProblem(ValueError):
    """The bytes are not a text file we read; ``str(exc)`` is the one-line cause."""


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes) -> str:
    """Decode a digest file; raise :class:`DecodeProblem` with the cause otherwise."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        # FF FE 00 00 also starts like a UTF-16 BOM; name the real encoding instead of
        # decoding it as UTF-16 full of NUL characters.
        raise DecodeProblem("UTF-32 text is not supported (save the file as UTF-8)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeProblem(f"not valid UTF-16 at byte offset {exc.start}") from None  # BOM counted
    else:
        if b"\x00" in data:
            # NUL bytes never occur in UTF-8 prose; without a UTF-16 BOM this is no text file.
            raise DecodeProblem("binary file (contains NUL bytes), not UTF-8 or UTF-16 text")
        skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        try:
            text = data[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            offset = exc.start + skip
            raise DecodeProblem(
                f"not valid UTF-8 at byte offset {offset} (line {_line_of(data, offset)})"
            ) from None
    if not text.strip():
        raise DecodeProblem("empty file")
    return text


def split_lines(text: str) -> list[str]:
    """Lines as ``sed -n Np`` numbers them: split on LF only, one trailing CR dropped.

    ``str.splitlines`` is not used on purpose: it also breaks on VT, FS, U+2028 ... which
    would shift every line number after such a character.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]
