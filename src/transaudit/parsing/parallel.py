"""Parallel files: CSV, TSV or JSONL with ``source`` and ``translation`` columns.

An optional ``reference`` column holds a corrected translation of the row (scored with
sacrebleu and reference-based COMET when ``check`` runs with references).

One :class:`Segment` per row; its line is the row's physical line in the file (the CSV header
is line 1), so findings point where an editor would look. pandas is imported here, lazily,
so that ``transaudit --help`` stays fast.
"""

from __future__ import annotations

import csv
import io
import json

from transaudit.model import Document, Segment

REQUIRED = ("source", "translation")
OPTIONAL = ("reference",)
DELIMITERS = {".csv": ",", ".tsv": "\t"}


class ParallelFormatError(ValueError):
    """The file cannot be read as a parallel file; ``str(exc)`` is the one-line cause."""


def _cell(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return None
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


def _show(name) -> str:
    """A column name fit for a one-line message (control characters escaped, bounded)."""
    text = str(name)[:40]
    return text if text and text.isprintable() and text.strip() == text else repr(text)


def _columns(found: list[str]) -> dict[str, str]:
    by_name = {str(name).strip().lower(): name for name in found}
    missing = [name for name in REQUIRED if name not in by_name]
    if missing:
        shown = ", ".join(map(_show, found[:10])) + (", ..." if len(found) > 10 else "") or "none"
        raise ParallelFormatError(f"missing column(s) {', '.join(missing)} (found: {shown})")
    return {name: by_name[name] for name in REQUIRED + OPTIONAL if name in by_name}


def _lf_lines(text: str):
    """The text's lines split on LF only, so ``line_num`` counts lines as sed does."""
    parts = text.split("\n")
    for i, part in enumerate(parts):
        if i < len(parts) - 1:
            yield part + "\n"
        elif part:
            yield part


def _csv_row_lines(text: str, delimiter: str) -> list[tuple[int, int]] | None:
    """(first, last) physical line of every data row, skipping blank lines as pandas does."""
    reader = csv.reader(_lf_lines(text), delimiter=delimiter)
    spans, previous = [], 0
    try:
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if row and not (len(row) == 1 and not row[0].strip()):
                spans.append((start, reader.line_num))
    except csv.Error:
        return None
    return spans[1:]  # the first non-blank row is the header


def _read_csv(text: str, lines: list[str], delimiter: str):
    import pandas as pd

    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise ParallelFormatError(f"cannot read as {'TSV' if delimiter == chr(9) else 'CSV'}: "
                                  f"{' '.join(str(exc).split())}") from None
    spans = _csv_row_lines(text, delimiter)
    if spans is None or len(spans) != len(frame):
        # The csv module and pandas disagree on this file's rows (e.g. a lone CR, which
        # pandas takes as a row break): fall back to row order, within the file's lines.
        last = max(len(lines), 1)
        spans = [(min(i + 2, last), min(i + 2, last)) for i in range(len(frame))]
    return frame, spans


def _read_jsonl(text: str, lines: list[str]):
    import pandas as pd

    spans = [(n, n) for n, line in enumerate(lines, 1) if line.strip()]
    for n, _ in spans:
        try:
            record = json.loads(lines[n - 1])
        except json.JSONDecodeError as exc:
            raise ParallelFormatError(f"invalid JSON on line {n}: {exc.msg}") from None
        if not isinstance(record, dict):
            raise ParallelFormatError(f"line {n} is not a JSON object")
    frame = pd.read_json(io.StringIO(text), lines=True, dtype=False)
    return frame, spans


def parse_parallel(path: str, text: str, lines: list[str], suffix: str) -> Document:
    if suffix == ".jsonl":
        frame, spans = _read_jsonl(text, lines)
    else:
        frame, spans = _read_csv(text, lines, DELIMITERS[suffix])
    cols = _columns(list(frame.columns))
    segments = []
    references = frame[cols["reference"]] if "reference" in cols else [None] * len(frame)
    for (first, last), source, translation, reference in zip(spans, frame[cols["source"]],
                                                             frame[cols["translation"]], references):
        source, translation = _cell(source), _cell(translation)
        if source is None and translation is None:
            continue  # an empty row says nothing
        segments.append(Segment(
            index=len(segments),
            translation=translation,
            source=source,
            translation_line=first if translation is not None else None,
            translation_end_line=last if translation is not None else None,
            source_line=first if source is not None else None,
            source_end_line=last if source is not None else None,
            reference=_cell(reference),
        ))
    return Document(path=path, layout="parallel", lines=lines, segments=segments)
