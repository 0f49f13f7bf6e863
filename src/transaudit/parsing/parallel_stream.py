"""Parallel files read in chunks: JSONL, CSV, TSV and Parquet, without holding the file.

The reading side (:func:`raw_chunks`, in the process that drives a run) only cuts the file
into pieces of whole rows, about ``CHUNK_BYTES`` each: at a line break for JSONL, at a line
break outside any quoted field for CSV/TSV (RFC 4180 doubles quotes inside fields, so an even
number of ``"`` before a line break means it ends a record). Parquet is read batch by batch
with pyarrow (row group by row group). The parsing side (:func:`parse_chunk`, in a worker) turns
one piece into a :class:`~transaudit.model.Document` holding only that piece's rows and lines,
with the line numbers of the whole file, so findings and their fingerprints are those of the
whole-file parser (:mod:`transaudit.parsing.parallel`).

A Parquet file has no lines: row N (1-based) is "line" N, and its text is the row written as
one JSON line (``{"source": ..., "translation": ...}`` with the file's column names), so a
Parquet file audits exactly as its JSONL export does.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Iterator

from transaudit.model import Document, Segment
from transaudit.parsing.decode import DecodeProblem, decode_bytes
from transaudit.parsing.loader import ReadProblem, _kind_name, _os_cause
from transaudit.parsing.parallel import DELIMITERS, ParallelFormatError, _cell, _columns, _lf_lines

CHUNK_BYTES = 1 << 20
CHUNK_ROWS = 512  # Parquet batches (rows of about 2 KB: about CHUNK_BYTES)
STREAM_SUFFIXES = (".jsonl", ".csv", ".tsv", ".parquet")


@dataclass
class RawChunk:
    """Whole rows of one parallel file, as read (not parsed yet)."""

    path: str
    kind: str  # "jsonl", "csv", "tsv" or "rows" (Parquet)
    first_line: int  # line (row, for Parquet) of the chunk's first line
    byte_offset: int = 0  # of ``data`` in the file (after a BOM)
    data: bytes = b""
    rows: list | None = None  # Parquet: (source, translation) values
    columns: tuple = ()  # JSONL/Parquet: the two column names; CSV: their indexes and the field count
    skip_through: int = 0  # CSV: last line of the header
    size: int = 0  # bytes (or rows, for Parquet) the chunk covers, for progress


def suffix_of(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def is_streamable(path: str) -> bool:
    return suffix_of(path) in STREAM_SUFFIXES


def total_size(path: str) -> int:
    """What progress counts for a file: bytes, or rows for Parquet (0 when unknown)."""
    try:
        if suffix_of(path) == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        return os.stat(path).st_size
    except Exception:  # noqa: BLE001 - progress only; the read reports the real problem
        return 0


def _open_regular(path: str):
    """Open a regular file for reading, or :class:`ReadProblem` naming why not (as loader)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadProblem("broken symlink" if os.path.islink(path) else "no such file or directory") from None
    except OSError as exc:
        raise ReadProblem(_os_cause(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise ReadProblem(f"not a regular file: {_kind_name(st.st_mode)}")
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the caller's generator
    except OSError as exc:
        raise ReadProblem(_os_cause(exc)) from None


def raw_chunks(path: str, chunk_bytes: int = CHUNK_BYTES) -> Iterator[RawChunk]:
    """The file's rows in order, in chunks. Problems with the whole file (unreadable, not
    text, no such columns) raise before the first chunk; a bad row surfaces in
    :func:`parse_chunk` of its chunk."""
    suffix = suffix_of(path)
    if suffix == ".parquet":
        yield from _parquet_chunks(path)
        return
    kind = suffix.lstrip(".")
    with _open_regular(path) as fh:
        try:
            head = fh.read(4)
        except OSError as exc:
            raise ReadProblem(_os_cause(exc)) from None
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            # UTF-16 parallel files are rare and small: decode whole, then cut as UTF-8.
            stream = io.BytesIO(decode_bytes(head + fh.read()).encode("utf-8"))
        else:
            fh.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
            stream = fh
        yield from _byte_chunks(path, kind, stream, chunk_bytes)


def _cut(data: bytes, kind: str) -> int:
    """Length of the longest prefix of ``data`` made of whole rows (0: none yet)."""
    end = len(data)
    while True:
        nl = data.rfind(b"\n", 0, end)
        if nl < 0:
            return 0
        if kind == "jsonl" or not data.count(b'"', 0, nl) & 1:
            return nl + 1
        end = nl


def _byte_chunks(path: str, kind: str, stream, chunk_bytes: int) -> Iterator[RawChunk]:
    line, offset, carry, columns, skip, first = 1, 0, b"", (), 0, True
    while True:
        try:
            block = stream.read(chunk_bytes)
        except OSError as exc:
            raise ReadProblem(_os_cause(exc)) from None
        data = carry + block
        cut = len(data) if not block else _cut(data, kind)
        if block and cut == 0:  # a row longer than a chunk: read on
            carry = data
            continue
        piece, carry = data[:cut], data[cut:]
        if b"\x00" in piece:
            raise DecodeProblem("binary file (contains NUL bytes), not UTF-8 or UTF-16 text")
        if first:
            if not piece.strip():
                raise DecodeProblem("empty file")
            columns, skip = _header(piece, kind, offset)
            first = False
        if piece:
            yield RawChunk(path, kind, line, offset, piece, None, columns, skip, len(piece))
        if not block:
            return
        line += piece.count(b"\n")
        offset += len(piece)


def _decode(data: bytes, offset: int, first_line: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data.count(b"\n", 0, exc.start)
        raise DecodeProblem(f"not valid UTF-8 at byte offset {offset + exc.start} (line {line})") from None


def _header(piece: bytes, kind: str, offset: int) -> tuple[tuple, int]:
    """The two columns (JSONL: key names from the first chunk's records; CSV: indexes in the
    header row) and the last line of the CSV header."""
    text = _decode(piece, offset, 1)
    if kind == "jsonl":
        names: dict[str, None] = {}
        for n, line in enumerate(text.split("\n"), 1):
            if line.strip():
                names.update(dict.fromkeys(_record(line, n)))
        cols = _columns(list(names))
        return (cols["source"], cols["translation"]), 0
    reader = csv.reader(_lf_lines(text), delimiter=DELIMITERS["." + kind])
    try:
        for row in reader:
            if row and not (len(row) == 1 and not row[0].strip()):
                cols = _columns(row)
                return (row.index(cols["source"]), row.index(cols["translation"]), len(row)), reader.line_num
    except csv.Error as exc:
        raise ParallelFormatError(f"cannot read as {kind.upper()}: {exc}") from None
    raise ParallelFormatError(f"cannot read as {kind.upper()}: no header row")


def _record(line: str, n: int) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ParallelFormatError(f"invalid JSON on line {n}: {exc.msg}") from None
    if not isinstance(record, dict):
        raise ParallelFormatError(f"line {n} is not a JSON object")
    return record


def _parquet_chunks(path: str) -> Iterator[RawChunk]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ParallelFormatError("reading Parquet needs pyarrow: pip install 'transaudit[parquet]'") from None
    handle = _open_regular(path)
    try:
        try:
            pf = pq.ParquetFile(handle)
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a bad file
            raise ParallelFormatError(f"cannot read as Parquet: {' '.join(str(exc).split())}") from None
        cols = _columns(list(pf.schema_arrow.names))
        names = (cols["source"], cols["translation"])
        row = 1
        try:
            for batch in pf.iter_batches(batch_size=CHUNK_ROWS, columns=list(names)):
                rows = list(zip(batch.column(0).to_pylist(), batch.column(1).to_pylist()))
                yield RawChunk(path, "rows", row, rows=rows, columns=names, size=len(rows))
                row += len(rows)
        except ParallelFormatError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ParallelFormatError(f"cannot read as Parquet at row {row}: {' '.join(str(exc).split())}") from None
    finally:
        handle.close()


class WindowLines(Sequence):
    """The lines of one chunk, numbered as in the whole file; other lines read as empty."""

    def __init__(self, first_line: int, lines: list[str]):
        self.first_line = first_line
        self.lines = lines

    def __len__(self) -> int:
        return self.first_line - 1 + len(self.lines)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        k = i - (self.first_line - 1)
        return self.lines[k] if 0 <= k < len(self.lines) else ""


def _segment(index: int, first: int, last: int, source, translation) -> Segment | None:
    source, translation = _cell(source), _cell(translation)
    if source is None and translation is None:
        return None  # an empty row says nothing
    return Segment(
        index=index, translation=translation, source=source,
        translation_line=first if translation is not None else None,
        translation_end_line=last if translation is not None else None,
        source_line=first if source is not None else None,
        source_end_line=last if source is not None else None,
    )


def _split(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def parse_chunk(raw: RawChunk, first_index: int = 0) -> Document:
    """One chunk as a Document (its rows, its lines); a bad row raises ParallelFormatError."""
    segments: list[Segment] = []
    if raw.kind == "rows":
        src_name, tr_name = raw.columns
        lines = []
        for n, (source, translation) in enumerate(raw.rows or ()):
            lines.append(json.dumps({src_name: source, tr_name: translation}, ensure_ascii=False, default=str))
            seg = _segment(first_index + len(segments), raw.first_line + n, raw.first_line + n, source, translation)
            if seg is not None:
                segments.append(seg)
        return Document(path=raw.path, layout="parallel", lines=WindowLines(raw.first_line, lines), segments=segments)
    text = _decode(raw.data, raw.byte_offset, raw.first_line)
    lines = _split(text)
    if raw.kind == "jsonl":
        src, tr = raw.columns
        for n, line in enumerate(lines, raw.first_line):
            if not line.strip():
                continue
            record = _record(line, n)
            seg = _segment(first_index + len(segments), n, n, record.get(src), record.get(tr))
            if seg is not None:
                segments.append(seg)
    else:
        src, tr, width = raw.columns
        reader = csv.reader(_lf_lines(text), delimiter=DELIMITERS["." + raw.kind])
        previous = 0
        try:
            for row in reader:
                start, previous = previous + 1, reader.line_num
                first, last = raw.first_line + start - 1, raw.first_line + reader.line_num - 1
                if first <= raw.skip_through or not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) > width:
                    raise ParallelFormatError(f"cannot read as {raw.kind.upper()}: expected {width} fields "
                                              f"in line {first}, saw {len(row)}")
                seg = _segment(first_index + len(segments), first, last,
                               row[src] if src < len(row) else None, row[tr] if tr < len(row) else None)
                if seg is not None:
                    segments.append(seg)
        except csv.Error as exc:
            raise ParallelFormatError(f"cannot read as {raw.kind.upper()} near line "
                                      f"{raw.first_line + reader.line_num - 1}: {exc}") from None
    return Document(path=raw.path, layout="parallel", lines=WindowLines(raw.first_line, lines), segments=segments)


class _SomeLines(WindowLines):
    """A few lines of a chunk (by line number), numbered as in the whole file."""

    def __init__(self, first_line: int, count: int, lines: dict[int, str]):
        super().__init__(first_line, [])
        self.count, self.some = count, lines

    def __len__(self) -> int:
        return self.first_line - 1 + self.count

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self.some.get((i + len(self) if i < 0 else i) + 1, "")


def rows_at(raw: RawChunk, lines: set[int]) -> Document:
    """Only the JSONL rows on ``lines`` of a chunk (already parsed once by a worker): what the
    corpus pass needs to write a finding, without decoding the whole chunk again."""
    if raw.kind != "jsonl":
        return parse_chunk(raw)
    parts = raw.data.split(b"\n")
    src, tr = raw.columns
    some, segments = {}, []
    for n in sorted(lines):
        text = parts[n - raw.first_line].decode("utf-8")
        some[n] = text[:-1] if text.endswith("\r") else text
        record = _record(some[n], n)
        seg = _segment(len(segments), n, n, record.get(src), record.get(tr))
        if seg is not None:
            segments.append(seg)
    count = len(parts) - (1 if parts and parts[-1] == b"" else 0)
    return Document(path=raw.path, layout="parallel", lines=_SomeLines(raw.first_line, count, some), segments=segments)


def read_parallel_document(path: str) -> Document:
    """The whole file as one Document, read chunk by chunk (how Parquet is loaded for the
    formats that hold every pair)."""
    lines: list[str] = []
    segments: list[Segment] = []
    for raw in raw_chunks(path):
        doc = parse_chunk(raw, len(segments))
        lines.extend(doc.lines.lines)
        segments.extend(doc.segments)
    return Document(path=path, layout="parallel", lines=lines, segments=segments)
