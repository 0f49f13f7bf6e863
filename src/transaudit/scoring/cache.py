"""Persistent score cache: SQLite in the user cache dir, safe for two runs at once.

Rows are keyed by the model identity (name plus checkpoint hash plus the scoring method's
version) and a hash of the exact source and translation text, so an edited pair, another
model or a changed chunking rule all miss. WAL journaling and a busy timeout let concurrent
runs read and write; a file that is not a readable database, or fails ``PRAGMA quick_check``
at open, is moved aside with a warning and rebuilt; a cache in a directory this process cannot
write is used read-only. A cache that fails mid-run is dropped for the rest of the run, never the audit.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Callable, Iterable

FILENAME = "comet-scores.sqlite3"
SCHEMA = 1

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scores (
    model TEXT NOT NULL,
    pair TEXT NOT NULL,
    result TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (model, pair)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS file_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
"""


def _verify(db: sqlite3.Connection) -> None:
    """Every page read once: damage in the middle of the file shows now, not mid-run."""
    rows = db.execute("PRAGMA quick_check").fetchall()
    if [tuple(r) for r in rows] != [("ok",)]:
        raise CacheDamaged(f"quick_check: {rows[0][0] if rows else 'no answer'}")


def default_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("transaudit", appauthor=False))


def pair_key(source: str, translation: str) -> str:
    """Exact text, no normalisation: a changed character is a different pair."""
    h = hashlib.sha256()
    for part in (source, translation):
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class CacheDamaged(sqlite3.DatabaseError):
    """The file is not a healthy score cache (not a database, damaged pages, another schema)."""


# SQLite's own words for a damaged file; other errors (locked, read-only, cannot open) are not
# the file's fault, and a healthy cache must never be moved aside for them.
_DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def _damaged(exc: BaseException) -> bool:
    return isinstance(exc, CacheDamaged) or getattr(exc, "sqlite_errorname", "").startswith(_DAMAGE)


def _writable(directory: Path) -> bool:
    return os.access(directory, os.W_OK | os.X_OK)


class ScoreCache:
    """``get_many``/``put_many`` of JSON results; every failure degrades to "no cache".

    At open, ``PRAGMA quick_check`` reads every page: a damaged file is moved aside and a new
    one started, before the run relies on it. In a directory this process cannot write, a
    healthy cache is opened read-only (its scores are used, new ones are not saved).
    """

    def __init__(self, directory: str | os.PathLike, warn: Callable[[str], None]):
        self.path = Path(directory) / FILENAME
        self._warn = warn
        self._db: sqlite3.Connection | None = None
        self.read_only = False
        try:
            if self.path.parent.is_dir() and not _writable(self.path.parent):
                self._db = self._open_read_only()
            else:
                self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if _damaged(exc) and not self.read_only:
                self._set_aside(exc)
            else:
                self._warn(f"score cache {self.path} cannot be used ({exc}); scoring without it")
        except OSError as exc:
            self._warn(f"score cache {self.path} cannot be used ({exc}); scoring without it")

    # -- opening -------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            _verify(db)
            db.executescript(_DDL)
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            elif row[0] != str(SCHEMA):
                raise CacheDamaged(f"cache schema {row[0]}, expected {SCHEMA}")
        except BaseException:
            db.close()
            raise
        return db

    def _open_read_only(self) -> sqlite3.Connection | None:
        """The cache of a directory we cannot write: read as it is (immutable: no -shm needed)."""
        self.read_only = True
        if not self.path.is_file():
            self._warn(f"score cache directory {self.path.parent} is not writable; scoring without a cache")
            return None
        from urllib.parse import quote

        db = sqlite3.connect(f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1", uri=True,
                             isolation_level=None)
        try:
            _verify(db)
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None or row[0] != str(SCHEMA):
                raise CacheDamaged(f"cache schema {row[0] if row else 'missing'}, expected {SCHEMA}")
        except BaseException:
            db.close()
            raise
        self._warn(f"score cache directory {self.path.parent} is not writable; using the cached scores "
                   "read-only (new scores are not saved)")
        return db

    def _set_aside(self, exc: Exception) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{os.getpid()}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
            self._warn(f"score cache {self.path} was unreadable ({exc}); moved it to {aside.name} "
                       "and started a new one")
            self._db = self._open()
        except (OSError, sqlite3.DatabaseError) as again:
            self._warn(f"score cache {self.path} cannot be used ({again}); scoring without it")
            self._db = None

    @property
    def usable(self) -> bool:
        return self._db is not None

    def _guard(self, what: str, exc: Exception) -> None:
        self._warn(f"score cache {what} failed ({exc}); going on without the cache")
        self.close()

    # -- scores --------------------------------------------------------------------------
    def get_many(self, model: str, keys: Iterable[str],
                 problem: Callable[[object], str | None] | None = None) -> dict[str, dict]:
        """Cached results by key. ``problem`` says why a row cannot be used (wrong shape); such
        rows, and rows that are not JSON, count as misses (one warning for all of them)."""
        if self._db is None:
            return {}
        keys = list(dict.fromkeys(keys))
        found: dict[str, dict] = {}
        bad: list[str] = []
        try:
            for i in range(0, len(keys), 500):  # SQLite's parameter limit
                part = keys[i:i + 500]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT pair, result FROM scores WHERE model = ? AND pair IN ({marks})",
                    [model, *part],
                )
                for pair, result in rows:
                    why = None
                    try:
                        value = json.loads(result)
                    except (ValueError, TypeError, RecursionError):
                        why = "not JSON"
                    else:
                        why = problem(value) if problem else None
                    if why is None:
                        found[pair] = value
                    else:
                        bad.append(why)
        except sqlite3.DatabaseError as exc:
            self._guard("read", exc)
            return {}
        if bad:
            self._warn(f"score cache {self.path}: {len(bad)} cached row(s) unusable ({bad[0]}); "
                       "those pairs are scored again")
        return found

    def put_many(self, model: str, items: dict[str, dict]) -> None:
        if self._db is None or self.read_only or not items:
            return
        now = time.time()
        rows = [(model, k, json.dumps(v, ensure_ascii=False, sort_keys=True), now) for k, v in items.items()]
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?)", rows)
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                pass
            self._guard("write", exc)

    # -- checkpoint hashes, so a 2 GB file is hashed once, not on every run ---------------
    def file_hash(self, path: Path) -> str | None:
        if self._db is None:
            return None
        st = path.stat()
        try:
            row = self._db.execute(
                "SELECT sha256 FROM file_hashes WHERE path = ? AND size = ? AND mtime_ns = ?",
                (str(path), st.st_size, st.st_mtime_ns),
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            self._guard("read", exc)
            return None
        return row[0] if row else None

    def remember_file_hash(self, path: Path, sha256: str) -> None:
        if self._db is None or self.read_only:
            return
        st = path.stat()
        try:
            self._db.execute("INSERT OR REPLACE INTO file_hashes VALUES (?, ?, ?, ?)",
                             (str(path), st.st_size, st.st_mtime_ns, sha256))
        except sqlite3.DatabaseError as exc:
            self._guard("write", exc)

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            finally:
                self._db = None
