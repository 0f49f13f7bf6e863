"""Hostile input, items 2 and 3 of issue 10: deep trees, unreadable directories, one file reached
twice, and a malformed ``[tool]`` in a pyproject.toml above the working directory."""

from __future__ import annotations

import os

from typer.testing import CliRunner

from transaudit.cli import app
from transaudit.parsing import load_paths

runner = CliRunner()
GOOD = "पेपर परिचय\n\n  • हम दिखाते हैं।\n    > We show.\n"
BAD = "पेपर परिचय\n\n  • यह अनुच्छेद बिना मूल के है।\n"


def test_1100_nested_directories_are_walked_and_the_other_inputs_audited(tmp_path):
    deep = tmp_path / "deep"
    path = deep
    deep.mkdir()
    for _ in range(1100):  # os.makedirs itself recurses
        path = path / "d"
        path.mkdir()
    (path / "x.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "other.txt").write_text(GOOD, encoding="utf-8")
    try:
        docs, errors = load_paths([str(deep), str(tmp_path / "other.txt")])
        assert errors == [] and len(docs) == 2
    finally:  # pytest's clean-up (shutil.rmtree) recurses: take the tree down from the bottom
        (path / "x.txt").unlink()
        while path != tmp_path:
            path.rmdir()
            path = path.parent


def test_an_unreadable_directory_is_a_line_and_exit_2(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "bad.txt").write_text(BAD, encoding="utf-8")
    real = os.scandir

    def scandir(path="."):  # as for a user without read access (the suite runs as root)
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = runner.invoke(app, ["check", str(tmp_path), "--no-comet", "--no-report"])
    assert result.exit_code == 2
    assert f"{tmp_path / 'locked'}: error: cannot read directory: permission denied" in result.stderr


def test_the_same_file_reached_twice_is_audited_once(tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "a.txt").write_text(GOOD, encoding="utf-8")
    os.symlink(tmp_path / "dir" / "a.txt", tmp_path / "b.txt")
    paths = [str(tmp_path / "dir" / "a.txt"), str(tmp_path / "dir" / ".." / "dir" / "a.txt"), str(tmp_path / "b.txt")]
    docs, errors = load_paths(paths)
    assert len(docs) == 1 and errors == []
    result = runner.invoke(app, ["check", *paths, "--no-comet", "--no-report", "--select", "TA104"])
    assert result.exit_code == 0 and "TA104" not in result.stdout


def test_a_malformed_tool_table_above_the_cwd_is_one_line(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "sub")
    for text in ("tool = 5\n", 'tool = "transaudit"\n'):
        (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["check", "d.txt", "--no-comet", "--no-report"])
        assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
        assert len(result.stderr.splitlines()) == 1 and "'tool' must be a table" in result.stderr
