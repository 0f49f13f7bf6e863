"""Atomic writes: outputs appear whole or not at all, inputs are never touched."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, data: str | bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600 files; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or what a plain open() would create under the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two paths name one existing file (through links, ``./`` and the like)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


class ReadError(ValueError):
    """A small input file (baseline, waivers, saved result, annotations) that cannot be read;
    ``str(exc)`` is one line naming the file and the cause."""


def read_text_file(path: str | os.PathLike, what: str = "file", missing_hint: str = "") -> str:
    """UTF-8 text of ``path`` (a BOM is dropped), or :class:`ReadError`."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        missing = "no such file" if what == "file" else f"{what} not found"
        raise ReadError(f"{path}: {missing}{missing_hint}") from None
    except IsADirectoryError:
        raise ReadError(f"{path}: is a directory, not a {what}") from None
    except UnicodeDecodeError as exc:
        raise ReadError(f"{path}: not UTF-8 at byte offset {exc.start}") from None
    except OSError as exc:
        raise ReadError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None


def read_json_file(path: str | os.PathLike, what: str = "file", missing_hint: str = ""):
    """Parsed JSON of ``path``, or :class:`ReadError` (invalid JSON named with line and column)."""
    import json

    text = read_text_file(path, what, missing_hint)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
