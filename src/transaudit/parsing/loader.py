"""Find and read the files named on the command line; bad ones become one-line errors.

Nothing here writes to an input. Non-regular files (FIFOs, devices, sockets) are refused
without being opened for reading in a way that could block.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat


DEFAULT_INCLUDE = ("*.txt", "*.md", "*.markdown", "*.csv", "*.tsv", "*.jsonl", "*.parquet",
                   "*.po", "*.xlf", "*.xliff", "*.tmx")  # localization files: translation_files.py
# Project documents that sit beside digests in a repository; skipped while walking a
# directory when no --include is given (a file named on the command line is always read).
DEFAULT_EXCLUDE = ("README*", "CHANGELOG*", "CONTRIBUTING*", "LICENSE*", "CODE_OF_CONDUCT*")


class ReadProblem(OSError):
    """A file that cannot be read; ``str(exc)`` is the one-line cause."""

    def __str__(self) -> str:
        return self.args[0]


def _kind_name(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def _os_cause(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    return (exc.strerror or str(exc)).lower()


def read_bytes(path: str) -> bytes:
    """The file's bytes, or :class:`ReadProblem` naming why not."""
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        raise ReadProblem("no such file or directory") from None
    except OSError as exc:
        raise ReadProblem(_os_cause(exc)) from None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadProblem("broken symlink" if stat.S_ISLNK(lst.st_mode) else "no such file or directory") from None
    except OSError as exc:
        raise ReadProblem(_os_cause(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise ReadProblem(f"not a regular file: {_kind_name(st.st_mode)}")
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since stat(), open() still returns.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReadProblem(_os_cause(exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReadProblem("not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    except ReadProblem:
        raise
    except OSError as exc:
        raise ReadProblem(_os_cause(exc)) from None
    finally:
        os.close(fd)


def _matches(patterns, rel: str, name: str) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def walk_directory(root: str, include=(), exclude=(), problems: list | None = None) -> list[str]:
    """Files under ``root`` in sorted order, as ``os.path.join(root, rel)``.

    Hidden files and directories (``.git``, ``.venv`` ...) are skipped, and so are README,
    CHANGELOG, LICENSE ... files unless ``include`` is given; symlinked
    directories are not followed; symlinked files are (a broken one is reported).
    The walk is iterative (any depth) and never enters a directory twice (bind mounts, loops);
    a directory that cannot be listed is added to ``problems`` as (path, cause).
    """
    exclude = tuple(exclude) + (() if include else DEFAULT_EXCLUDE)
    include = tuple(include) or DEFAULT_INCLUDE
    found = []
    visited: set[tuple[int, int]] = set()
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        path = os.path.join(root, rel_dir) if rel_dir else root
        try:
            st = os.stat(path)
            if (st.st_dev, st.st_ino) in visited:
                continue
            visited.add((st.st_dev, st.st_ino))
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if problems is not None:
                problems.append((path, f"cannot read directory: {_os_cause(exc)}"))
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            rel = os.path.join(rel_dir, name)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not entry.is_symlink() and not name.startswith(".") and not _matches(exclude, rel, name):
                    subdirs.append(rel)
                continue
            if name.startswith(".") or not _matches(include, rel, name) or _matches(exclude, rel, name):
                continue
            found.append(os.path.join(root, rel))
        stack.extend(reversed(subdirs))
    return sorted(found)
