"""Parse digests and parallel files into :class:`~transaudit.model.Document` values.

``parse_document(path, text)`` reads one decoded text; ``load_paths(paths)`` finds, reads and
parses what the command line names, turning every unreadable file into one
:class:`~transaudit.model.InputError` so the run goes on.

Layout by extension: ``.md``/``.markdown`` -> markdown, ``.txt`` -> text, ``.csv``/``.tsv``/
``.jsonl`` -> parallel, ``.po`` -> po, ``.xlf``/``.xliff`` -> xliff, ``.tmx`` -> tmx
(:mod:`~transaudit.parsing.translation_files`); any other name is sniffed (``#`` headings or ``> `` at column 0 ->
markdown, else text). Line numbers are 1-based and count like ``sed -n Np``.
Parallel documents carry segments only (no blocks): each row is one pair.
"""

from __future__ import annotations

import os

from transaudit.model import Document, InputError
from transaudit.parsing.decode import DecodeProblem, decode_bytes, split_lines
from transaudit.parsing.loader import DEFAULT_INCLUDE, ReadProblem, read_bytes, walk_directory
from transaudit.parsing.markdown_layout import parse_markdown_layout
from transaudit.parsing.pairing import pair_blocks
from transaudit.parsing.parallel import DELIMITERS, ParallelFormatError, parse_parallel
from transaudit.parsing.text_layout import parse_text_layout
from transaudit.parsing.translation_files import (TRANSLATION_SUFFIXES, TranslationFileError,
                                                  TranslationOptions, parse_translation_file)

__all__ = ["parse_document", "load_document", "load_paths", "detect_layout", "split_lines", "DEFAULT_INCLUDE",
           "TranslationOptions"]

MARKDOWN_SUFFIXES = (".md", ".markdown")
PARALLEL_SUFFIXES = (*DELIMITERS, ".jsonl", ".parquet")


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def detect_layout(path: str, lines: list[str]) -> str:
    suffix = _suffix(path)
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in PARALLEL_SUFFIXES:
        return "parallel"
    if suffix in TRANSLATION_SUFFIXES:
        return "translation"
    if suffix == ".txt":
        return "text"
    if any(line.startswith(("# ", "## ", "### ", "> ")) or line == ">" for line in lines):
        return "markdown"
    return "text"


def parse_document(path: str, text: str, options: TranslationOptions | None = None) -> Document:
    """Parse one decoded file. Raises ``ParallelFormatError`` for a malformed parallel file and
    ``TranslationFileError`` for a PO/XLIFF/TMX file that cannot be read (``options``: its
    languages and whether fuzzy entries count)."""
    lines = split_lines(text)
    layout = detect_layout(path, lines)
    if layout == "parallel":
        return parse_parallel(path, text, lines, _suffix(path))
    if layout == "translation":
        return parse_translation_file(path, text, lines, _suffix(path), options)
    parse = parse_markdown_layout if layout == "markdown" else parse_text_layout
    blocks, papers = parse(lines)
    return Document(path=path, layout=layout, lines=lines, blocks=blocks, papers=papers,
                    segments=pair_blocks(blocks))


def load_document(path: str, options: TranslationOptions | None = None) -> Document:
    """Read and parse one file (Parquet through pyarrow, chunk by chunk)."""
    if _suffix(path) == ".parquet":
        from transaudit.parsing.parallel_stream import read_parallel_document

        return read_parallel_document(path)
    text = decode_bytes(read_bytes(path))
    return parse_document(path, text, options)


_load_one = load_document


def _identity(path: str):
    try:
        st = os.stat(path)
        return (st.st_dev, st.st_ino)
    except OSError:
        return os.path.normpath(os.path.abspath(path))


def load_paths(paths: list[str], include=(), exclude=(), options: TranslationOptions | None = None
               ) -> tuple[list[Document], list[InputError]]:
    """Read every file named (always) and every matching file under named directories."""
    documents: list[Document] = []
    errors: list[InputError] = []
    seen: set = set()
    for given in paths:
        if os.path.isdir(given):
            problems: list = []
            files = walk_directory(given, include, exclude, problems)
            errors.extend(InputError(path, cause) for path, cause in problems)
        else:
            files = [given]
        for path in files:
            key = _identity(path)  # one file reached twice (dir/../dir/x, a symlink) is read once
            if key in seen:
                continue
            seen.add(key)
            try:
                documents.append(_load_one(path, options))
            except (ReadProblem, DecodeProblem, ParallelFormatError, TranslationFileError) as exc:
                errors.append(InputError(path, str(exc)))
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
                errors.append(InputError(path, " ".join(f"cannot parse: {type(exc).__name__}: {exc}".split())))
    return documents, errors
