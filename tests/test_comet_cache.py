"""The SQLite score cache on its own: keys, corruption, two writers at once (no model needed)."""

from __future__ import annotations

import multiprocessing
import sqlite3

from transaudit.scoring.cache import FILENAME, ScoreCache, pair_key


def _cache(tmp_path, warnings=None):
    warnings = [] if warnings is None else warnings
    return ScoreCache(tmp_path, warn=warnings.append), warnings


def test_round_trip_is_keyed_by_model_and_exact_text(tmp_path):
    cache, warnings = _cache(tmp_path)
    k = pair_key("We show it.", "हम इसे दिखाते हैं।")
    cache.put_many("model-a|sha256:1", {k: {"score": 0.5, "chunks": []}})
    assert cache.get_many("model-a|sha256:1", [k]) == {k: {"score": 0.5, "chunks": []}}
    assert cache.get_many("model-a|sha256:2", [k]) == {}  # another checkpoint
    assert pair_key("We show it. ", "हम इसे दिखाते हैं।") != k  # one space more is another pair
    assert pair_key("ab", "c") != pair_key("a", "bc")
    cache.close()
    reopened, _ = _cache(tmp_path)
    assert reopened.get_many("model-a|sha256:1", [k])[k]["score"] == 0.5
    assert warnings == []


def test_corrupt_file_is_set_aside_with_a_warning_and_rebuilt(tmp_path):
    (tmp_path / FILENAME).write_bytes(b"this is not a database" * 100)
    cache, warnings = _cache(tmp_path)
    assert cache.usable
    assert len(warnings) == 1 and "unreadable" in warnings[0] and "moved it to" in warnings[0]
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    cache.put_many("m", {"k": {"score": 1.0}})
    assert cache.get_many("m", ["k"]) == {"k": {"score": 1.0}}
    with sqlite3.connect(tmp_path / FILENAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_unusable_directory_degrades_to_no_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache, warnings = _cache(blocker / "sub")  # a directory cannot be made under a file
    assert not cache.usable and len(warnings) == 1
    cache.put_many("m", {"k": {"score": 1.0}})
    assert cache.get_many("m", ["k"]) == {}


def _writer(directory: str, worker: int, n: int) -> None:
    cache = ScoreCache(directory, warn=lambda m: (_ for _ in ()).throw(AssertionError(m)))
    for i in range(n):
        # small transactions interleave with the other process's
        cache.put_many("m", {f"{worker}-{i}": {"score": i}, "shared": {"score": -1}})
        assert cache.get_many("m", [f"{worker}-{i}"])
    cache.close()


def test_two_processes_write_at_once_without_errors_or_loss(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), w, 150)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    cache, warnings = _cache(tmp_path)
    keys = [f"{w}-{i}" for w in range(2) for i in range(150)] + ["shared"]
    assert len(cache.get_many("m", keys)) == len(keys)
    assert warnings == []
