"""Persistent score cache: SQLite in the user cache dir, safe for two runs at once.

Rows are keyed by the model identity (name plus checkpoint hash plus the scoring method's
version) and a hash of the exact source and translation text, so an edited pair, another
model or a changed chunking rule all miss. WAL journaling and a busy timeout let concurrent
runs read and write; a file that is not a readable database is moved aside with a warning and
rebuilt. A cache that fails mid-run is dropped for the rest of the run, never the audit.
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


class ScoreCache:
    """``get_many``/``put_many`` of JSON results; every failure degrades to "no cache"."""

    def __init__(self, directory: str | os.PathLike, warn: Callable[[str], None]):
        self.path = Path(directory) / FILENAME
        self._warn = warn
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            self._set_aside(exc)
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
            db.executescript(_DDL)
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            elif row[0] != str(SCHEMA):
                raise sqlite3.DatabaseError(f"cache schema {row[0]}, expected {SCHEMA}")
            # Reading a row from every table catches most damage before the run relies on it.
            db.execute("SELECT count(*) FROM (SELECT 1 FROM scores LIMIT 1)").fetchone()
        except BaseException:
            db.close()
            raise
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
    def get_many(self, model: str, keys: Iterable[str]) -> dict[str, dict]:
        if self._db is None:
            return {}
        keys = list(dict.fromkeys(keys))
        found: dict[str, dict] = {}
        try:
            for i in range(0, len(keys), 500):  # SQLite's parameter limit
                part = keys[i:i + 500]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT pair, result FROM scores WHERE model = ? AND pair IN ({marks})",
                    [model, *part],
                )
                for pair, result in rows:
                    found[pair] = json.loads(result)
        except (sqlite3.DatabaseError, ValueError) as exc:
            self._guard("read", exc)
            return {}
        return found

    def put_many(self, model: str, items: dict[str, dict]) -> None:
        if self._db is None or not items:
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
        if self._db is None:
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
