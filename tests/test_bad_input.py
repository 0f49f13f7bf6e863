"""Bad input: one line per bad file naming it and the cause, the rest audited, exit 2,
never a traceback, never a write to an input. Checked through ``load_paths`` and the CLI."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transaudit.cli import app
from transaudit.parsing import load_paths

# A digest with one planted structure error (TA101 on line 3), so a run shows it was audited.
GOOD = "पेपर परिचय\n\n  • यह अनुच्छेद बिना मूल के है।\n\nपेपर सारांश\n\n  • हम दिखाते हैं।\n    > We show.\n"


def _transaudit() -> str:
    exe = Path(sys.executable).with_name("transaudit")
    return str(exe) if exe.exists() else shutil.which("transaudit") or "transaudit"


def run_cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([_transaudit(), "check", *args, "--select", "TA101", "--no-report", "--no-comet"],
                          capture_output=True, text=True, cwd=cwd, timeout=timeout)


def _bad_files(root: Path) -> dict[str, str]:
    """name -> expected cause, created under ``root``."""
    (root / "latin1.txt").write_bytes("पेपर परिचय\n".encode() + "café\n".encode("latin-1"))
    (root / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_bytes(b" \n\t\r\n\n")
    (root / "bad16.txt").write_bytes(codecs.BOM_UTF16_LE + "अ".encode("utf-16-le") + b"\x00\xdc")
    (root / "utf32.txt").write_bytes(codecs.BOM_UTF32_LE + "अ".encode("utf-32-le"))
    os.symlink(root / "gone.txt", root / "dangling.md")
    os.mkfifo(root / "pipe.txt")
    offset = len("पेपर परिचय\n".encode()) + 3  # 'é' in Latin-1, after "caf"
    return {
        "latin1.txt": f"not valid UTF-8 at byte offset {offset} (line 2)",
        "binary.md": "binary file",
        "empty.txt": "empty file",
        "blank.md": "empty file",
        "bad16.txt": "not valid UTF-16 at byte offset 4",  # a lone low surrogate
        "utf32.txt": "UTF-32",
        "dangling.md": "broken symlink",
        "pipe.txt": "not a regular file: a FIFO",
    }


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.is_fifo():
            out[str(path)] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


def test_load_paths_reports_each_bad_file_and_reads_the_rest(tmp_path):
    expected = _bad_files(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    before = _snapshot(tmp_path)
    named = [str(tmp_path / name) for name in expected] + [str(tmp_path / "missing.txt")]
    docs, errors = load_paths(named + [str(tmp_path / "good.txt")])
    assert [d.path for d in docs] == [str(tmp_path / "good.txt")]
    got = {Path(e.file).name: e.message for e in errors}
    assert set(got) == set(expected) | {"missing.txt"}
    for name, cause in expected.items():
        assert cause in got[name], (name, got[name])
    assert got["missing.txt"] == "no such file or directory"
    assert all("\n" not in e.message for e in errors)
    assert _snapshot(tmp_path) == before


def test_bad_files_found_while_walking_a_directory_are_reported_too(tmp_path):
    expected = _bad_files(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    docs, errors = load_paths([str(tmp_path)])
    assert [Path(d.path).name for d in docs] == ["good.txt"]
    assert {Path(e.file).name for e in errors} == set(expected)


def test_a_symlink_loop_and_a_device_are_refused(tmp_path):
    os.symlink(tmp_path / "loop.txt", tmp_path / "loop.txt")
    docs, errors = load_paths([str(tmp_path / "loop.txt"), "/dev/null"])
    assert docs == []
    assert [e.message for e in errors] == ["symlink loop", "not a regular file: a device"]


def test_cli_bad_inputs_one_line_each_rest_audited_exit_2(tmp_path):
    expected = _bad_files(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    before = _snapshot(tmp_path)
    names = list(expected) + ["missing.txt", "good.txt"]
    # A FIFO must not hang the run: the timeout turns a hang into a test failure.
    result = run_cli(*names, cwd=tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    for name, cause in list(expected.items()) + [("missing.txt", "no such file or directory")]:
        assert sum(name in line and cause in line for line in lines) == 1, (name, result.stderr)
    assert "good.txt:3: TA101 missing_source error" in result.stdout
    assert _snapshot(tmp_path) == before


def test_cli_reads_crlf_bom_and_utf16_digests(tmp_path):
    (tmp_path / "crlf.txt").write_bytes(GOOD.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF8 + GOOD.encode("utf-8"))
    (tmp_path / "utf16.txt").write_bytes(GOOD.encode("utf-16"))
    result = run_cli("crlf.txt", "bom.txt", "utf16.txt", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.strip() == "", result.stderr
    found = sorted(line.split(": TA101")[0] for line in result.stdout.strip().splitlines())
    assert found == ["bom.txt:3", "crlf.txt:3", "utf16.txt:3"]


def test_cli_unreadable_file(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD, encoding="utf-8")
    real_open = os.open

    def open_denied(path, *args, **kwargs):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_open(path, *args, **kwargs)

    # Root reads a chmod-000 file anyway, so the refusal is simulated where the loader opens.
    monkeypatch.setattr(os, "open", open_denied)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", str(locked), "good.txt", "--select", "TA101", "--no-report",
                                      "--no-comet"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"transaudit: {locked}: error: permission denied"
    assert "good.txt:3: TA101" in result.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file; covered by the simulated test")
def test_cli_chmod_000_file(tmp_path):
    (tmp_path / "locked.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "locked.txt").chmod(0)
    try:
        result = run_cli("locked.txt", cwd=tmp_path)
    finally:
        (tmp_path / "locked.txt").chmod(0o644)
    assert result.returncode == 2 and "locked.txt: error: permission denied" in result.stderr


def test_five_megabyte_single_line_paragraph(tmp_path):
    sentence = "हम एक नया model प्रस्तावित करते हैं जो 7B parameters के साथ बेहतर है। "
    body = sentence * (5_000_000 // len(sentence.encode()) + 1)
    other = body.replace("बेहतर", "तेज़")
    text = f"पेपर परिचय\n\n  • {body}\n    > We propose a new model.\n\nपेपर सारांश\n\n  • {other}\n"
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 9_500_000  # two paragraphs of about 5 MB, one line each
    start = time.perf_counter()
    docs, errors = load_paths([str(path)])
    elapsed = time.perf_counter() - start
    assert errors == [] and [(s.translation_line, s.source_line) for s in docs[0].segments] == [(3, 4), (8, None)]
    # Not a benchmark: a guard against quadratic code or catastrophic regex backtracking,
    # which would take minutes on this input.
    assert elapsed < 10, elapsed
    result = run_cli("big.txt", cwd=tmp_path, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith("big.txt:8: TA101 missing_source error")


def test_walking_a_directory_skips_project_documents_unless_included(tmp_path):
    from transaudit.parsing import load_paths

    (tmp_path / "README.md").write_text("# Digests\n\nThe weekly digests live here.\n", encoding="utf-8")
    (tmp_path / "LICENSE.txt").write_text("Permission is hereby granted.\n", encoding="utf-8")
    (tmp_path / "2023-01.md").write_text("## अवलोकन\n\nइस सप्ताह के पेपर।\n", encoding="utf-8")
    docs, errors = load_paths([str(tmp_path)])
    assert [os.path.basename(d.path) for d in docs] == ["2023-01.md"] and not errors
    docs, _ = load_paths([str(tmp_path)], include=["*.md"])
    assert sorted(os.path.basename(d.path) for d in docs) == ["2023-01.md", "README.md"]
    docs, _ = load_paths([str(tmp_path / "README.md")])
    assert len(docs) == 1  # named explicitly: always read
