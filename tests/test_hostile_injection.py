"""Hostile input, item 4 of issue 10: nothing from a file name or a digest can start a GitHub
workflow command, move a terminal's cursor or run as a spreadsheet formula, in any format."""

from __future__ import annotations

import csv
import io
import os
import subprocess

import pytest
from typer.testing import CliRunner

from transaudit.cli import app
from transaudit.reporters import FORMATS
from transaudit.terminal_text import display_path, printable, spreadsheet_cell

runner = CliRunner()

GOOD = "पेपर परिचय\n\n  • यह अनुच्छेद बिना मूल के है।\n\nपेपर सारांश\n\n  • हम 3 दिखाते हैं।\n    > We show 4.\n"
INJECTED = "x\n::warning file=INJ.md,line=1::pwned\n.txt"
ESCAPES = "\x1b[2J\x1b]0;owned\x07\u202etxt.md"


def _commands(text: str) -> list[str]:
    """Lines GitHub Actions would run as workflow commands (it trims leading blanks)."""
    return [ln for ln in text.splitlines() if ln.lstrip().startswith("::")]


def _no_raw_controls(text: str) -> None:
    bad = [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f or c == "\u202e"]
    assert not bad, [hex(ord(c)) for c in bad]


@pytest.fixture
def hostile_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / INJECTED).write_text(GOOD, encoding="utf-8")
    (tmp_path / ESCAPES).write_text(GOOD.replace("बिना मूल", "बिना \x1b[31mमूल"), encoding="utf-8")
    (tmp_path / "::error::bad.txt").write_bytes(b"caf\xe9 not utf-8")  # an input error, on stderr
    return tmp_path


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_format_lets_a_name_or_text_inject_anything(hostile_dir, fmt):
    result = runner.invoke(app, ["check", ".", "--no-comet", "--no-report", "-f", fmt])
    assert result.exit_code == 2, result.stderr
    lines = result.stdout + result.stderr
    if fmt == "github":  # its own commands only, one per finding or error, names escaped inside
        assert all(ln.startswith(("::error file=", "::warning file=", "::notice file="))
                   for ln in _commands(result.stdout)), _commands(result.stdout)
        assert len(_commands(result.stdout)) == len(result.stdout.splitlines())
        assert _commands(result.stderr) == []
    else:
        assert _commands(lines) == [], _commands(lines)
    assert not any(ln.lstrip().startswith("::warning file=INJ.md") for ln in lines.splitlines())
    _no_raw_controls(lines)


def test_text_lines_keep_the_name_readable(hostile_dir):
    result = runner.invoke(app, ["check", ".", "--no-comet", "--no-report"])
    assert "./x\\n::warning file=INJ.md,line=1::pwned\\n.txt:3: TA101" in result.stdout
    assert "\\x1b[2J\\x1b]0;owned\\x07\\u202etxt.md:3: TA101" in result.stdout
    assert "transaudit: ./::error::bad.txt: error: not valid UTF-8" in result.stderr \
        or "transaudit: ::error::bad.txt: error: not valid UTF-8" in result.stderr


def test_changed_since_listing_cannot_inject(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], check=True)
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    (tmp_path / INJECTED).write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["check", ".", "--changed-since", "HEAD", "--no-comet", "--no-report"])
    assert "auditing 1 changed digest" in result.stderr, result.stderr
    assert _commands(result.stderr) == [] and _commands(result.stdout) == []
    assert "x\\n::warning file=INJ.md" in result.stderr


def test_csv_cells_are_neutralised_as_owasp_recommends(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    digest = ("=HYPERLINK(\"http://x\")\n\nपेपर परिचय\n\n  • +cmd|' /C calc'!A0 यह अनुच्छेद बिना मूल के है।\n\n"
              "पेपर सारांश\n\n  • @SUM(1) हम 3 दिखाते हैं।\n    > -2+3 We show 4.\n")
    (tmp_path / "=cmd.txt").write_text(digest, encoding="utf-8")
    (tmp_path / "-rf.txt").write_text(digest, encoding="utf-8")
    result = runner.invoke(app, ["check", ".", "--no-comet", "--no-report", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["file"] for r in rows} == {"'=cmd.txt", "'-rf.txt"}  # root-relative, prefixed
    assert {r["paper"] for r in rows} >= {"'=HYPERLINK(\"http://x\")"} or any(r["excerpt"].startswith("'+") for r in rows)
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    assert len(result.stdout.splitlines()) == len(rows) + 1  # one physical line per row


def test_the_escaping_functions():
    assert printable("a\nb\r\tc\x1b[0m\x9b\u202e\u2066\udce9") == "a\\nb\\r\\tc\\x1b[0m\\x9b\\u202e\\u2066\\xe9"
    assert printable("हिंदी text, emoji 🙂") == "हिंदी text, emoji 🙂"
    assert display_path("::warning::x") == "./::warning::x" and display_path("  ::x") == "./  ::x"
    assert display_path("digests/a.md") == "digests/a.md"
    assert [spreadsheet_cell(v) for v in ("=1", "+1", "-1", "@a", "\tx", "\rx", "a=b", 3, None)] == \
        ["'=1", "'+1", "'-1", "'@a", "'\\tx", "'\\rx", "a=b", 3, None]
    assert os.sep == "/"  # the './' prefix names the same file on POSIX
