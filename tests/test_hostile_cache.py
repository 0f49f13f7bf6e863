"""Hostile input, items 2 (cache rows) and 6 of issue 10: a damaged score cache is noticed at
open and rebuilt, rows of the wrong shape are misses, a read-only cache is used read-only, and
SIGTERM during an output write leaves no temporary file."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from transaudit.json_inputs import cache_row_problem
from transaudit.scoring import cache as cache_module
from transaudit.scoring.cache import FILENAME, ScoreCache

ROW = {"score": 0.5, "chunks": [{"source": "a", "translation": "b", "score": 0.5, "tokens": 2}]}


def _filled(tmp_path, n=3000):
    warnings: list[str] = []
    cache = ScoreCache(tmp_path, warn=warnings.append)
    cache.put_many("m", {f"k{i}": {**ROW, "pad": "x" * 200} for i in range(n)})
    cache.close()
    with sqlite3.connect(tmp_path / FILENAME) as db:  # everything into the main file
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert warnings == []
    return tmp_path / FILENAME


def test_random_bytes_over_middle_pages_are_noticed_at_open_and_the_file_set_aside(tmp_path):
    path = _filled(tmp_path)
    size = path.stat().st_size
    page = 4096
    assert size > 20 * page
    rng = random.Random(10)
    with open(path, "r+b") as fh:
        for p in range(size // page // 3, size // page // 3 + 4):
            fh.seek(p * page)
            fh.write(bytes(rng.randrange(256) for _ in range(page)))
    damaged = path.read_bytes()
    warnings: list[str] = []
    cache = ScoreCache(tmp_path, warn=warnings.append)
    assert cache.usable
    assert len(warnings) == 1 and "moved it to" in warnings[0], warnings
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    assert cache.get_many("m", ["k1"]) == {}  # a new, empty cache
    cache.put_many("m", {"k1": ROW})
    assert cache.get_many("m", ["k1"], cache_row_problem) == {"k1": ROW}
    cache.close()
    again: list[str] = []
    ScoreCache(tmp_path, warn=again.append).close()
    assert again == []  # the next run is quiet: the cache was rebuilt, not warned about forever


@pytest.mark.parametrize("row", [None, {"score": 0.3}, {"score": "high", "chunks": []}, [1, 2],
                                 {"score": 0.3, "chunks": [{"score": 0.1}, {"score": 0.2}]},
                                 {"score": 0.3, "chunks": [{"score": 0.1}, {"score": 0.2}], "weakest_chunk": 9}])
def test_cache_rows_of_the_wrong_shape_are_misses_with_one_warning(tmp_path, row):
    warnings: list[str] = []
    cache = ScoreCache(tmp_path, warn=warnings.append)
    cache.put_many("m", {"bad": row, "good": ROW})
    found = cache.get_many("m", ["bad", "good"], cache_row_problem)
    assert found == {"good": ROW}
    assert len(warnings) == 1 and "1 cached row(s) unusable" in warnings[0] and "scored again" in warnings[0]
    assert cache.usable  # one bad row does not cost the whole cache


def test_a_row_that_is_not_json_is_a_miss(tmp_path):
    cache = ScoreCache(tmp_path, warn=lambda m: None)
    cache.put_many("m", {"good": ROW})
    cache._db.execute("INSERT INTO scores VALUES ('m', 'bad', '{not json', 0)")
    assert cache.get_many("m", ["bad", "good"], cache_row_problem) == {"good": ROW}
    assert cache.usable


def test_a_read_only_cache_directory_is_used_read_only(tmp_path, monkeypatch):
    path = _filled(tmp_path, n=10)
    for side in ("-wal", "-shm"):
        (tmp_path / (FILENAME + side)).unlink(missing_ok=True)
    before = path.read_bytes()
    # the suite runs as root, for whom chmod cannot take write access away: ask as a user would
    monkeypatch.setattr(cache_module, "_writable", lambda directory: False)
    warnings: list[str] = []
    cache = ScoreCache(tmp_path, warn=warnings.append)
    assert cache.usable and cache.read_only
    assert len(warnings) == 1 and "read-only" in warnings[0]
    assert cache.get_many("m", ["k3"], cache_row_problem)["k3"]["score"] == 0.5
    cache.put_many("m", {"new": ROW})  # not saved, and no error
    cache.close()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILENAME]


def test_a_read_only_directory_without_a_cache_scores_without_one(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "_writable", lambda directory: False)
    warnings: list[str] = []
    cache = ScoreCache(tmp_path, warn=warnings.append)
    assert not cache.usable and len(warnings) == 1 and "not writable" in warnings[0]
    assert list(tmp_path.iterdir()) == []


def test_a_cache_that_cannot_be_opened_is_not_moved_aside(tmp_path):
    (tmp_path / FILENAME).mkdir()  # SQLITE_CANTOPEN: not the file's damage
    warnings: list[str] = []
    cache = ScoreCache(tmp_path, warn=warnings.append)
    assert not cache.usable and len(warnings) == 1 and "cannot be used" in warnings[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILENAME]


_WRITER = textwrap.dedent("""
    import os, signal, sys
    from transaudit import fileio

    real_fsync = os.fsync
    def fsync_then_terminated(fd):
        real_fsync(fd)
        os.kill(os.getpid(), signal.SIGTERM)  # arrives with the temporary file written, not renamed
    os.fsync = fsync_then_terminated
    fileio.write_atomic(sys.argv[1], "x" * 1_000_000)
    print("not reached")
""")


def test_sigterm_during_an_output_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    target.write_text("previous", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _WRITER, str(target)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGTERM, (proc.returncode, proc.stderr)
    assert "not reached" not in proc.stdout and "Traceback" not in proc.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.html"]
    assert target.read_text("utf-8") == "previous"


def test_sigterm_while_the_cli_writes_its_report(tmp_path):
    """The real command: a big report, SIGTERM sent at once and again until the process ends."""
    digest = tmp_path / "d.txt"
    digest.write_text(("पेपर परिचय\n\n" + "  • हम 3 दिखाते हैं।\n    > We show 4.\n\n" * 400), encoding="utf-8")
    exe = os.path.join(os.path.dirname(sys.executable), "transaudit")
    proc = subprocess.Popen([exe, "check", str(digest), "--no-comet", "--report", str(tmp_path / "r" / "x.html")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while proc.poll() is None:
            if (tmp_path / "r").is_dir() and any((tmp_path / "r").iterdir()):
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=0.001)
            except subprocess.TimeoutExpired:
                pass
    finally:
        proc.kill() if proc.poll() is None else None
    leftovers = [p.name for p in (tmp_path / "r").iterdir()] if (tmp_path / "r").exists() else []
    assert not [n for n in leftovers if n.endswith(".tmp")], leftovers
    assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
