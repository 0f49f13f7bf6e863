"""Atomic writes: outputs appear whole or not at all, inputs are never touched."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from pathlib import Path


class _Terminated(BaseException):
    """SIGTERM arrived during a write: unwind (removing the temporary file), then die of it."""


@contextlib.contextmanager
def _sigterm_unwinds():
    """While a write is under way, SIGTERM raises instead of killing the process outright, so
    the ``finally`` that removes the temporary file runs; the signal is then delivered again
    to the handler that was there before (by default: the process ends with SIGTERM)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):
        raise _Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, _raise)
    except (ValueError, OSError):  # not settable here (embedded interpreter)
        yield
        return
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, previous)
        previous = None
        os.kill(os.getpid(), signal.SIGTERM)  # the previous handler's turn (SIG_DFL: exit 143)
        raise SystemExit(128 + signal.SIGTERM) from None  # reached only when that handler returns
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


sigterm_unwinds = _sigterm_unwinds  # for outputs written over a long run (cli/stream_steps.py)


def _not_a_regular_file(path: Path) -> bool:
    """An existing device or FIFO (``-o /dev/null``): written to in place, never replaced (a
    rename over /dev/null would turn it into a regular file, for every program on the machine)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def write_atomic(path: str | os.PathLike, data: str | bytes) -> None:
    path = Path(path)
    mode = "wb" if isinstance(data, bytes) else "w"
    if _not_a_regular_file(path):
        with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as fh:
            fh.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with _sigterm_unwinds():
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
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ReadError(f"{path}: invalid JSON: nested too deeply to read") from None
    except ValueError as exc:  # NaN or Infinity
        raise ReadError(f"{path}: invalid JSON: {exc}") from None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


class AtomicWriter:
    """A file written piece by piece (a streamed output) that appears whole at :meth:`commit`,
    or not at all (:meth:`discard`, or an exception inside ``with``)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.tmp = None
        if _not_a_regular_file(self.path):  # /dev/null: written in place (see write_atomic)
            self.fh = open(self.path, "w", encoding="utf-8", newline="")
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write(self, text: str) -> None:
        self.fh.write(text)

    def commit(self) -> None:
        self.fh.flush()
        if self.tmp is None:
            self.fh.close()
            return
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.chmod(self.tmp, _mode_for(self.path))
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        if self.tmp is None:
            return
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass

    def __enter__(self) -> "AtomicWriter":
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is not None or not self.fh.closed:
            self.discard()
