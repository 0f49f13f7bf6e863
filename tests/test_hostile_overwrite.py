"""Hostile input, item 1 of issue 10: no output ever lands on an input, and a run with input
errors never replaces an earlier output. Every test compares file bytes before and after."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from transaudit.cli import app
from transaudit.cli.output_guard import Inputs, overlap, same_target

runner = CliRunner()

# one planted TA101 (line 3), so a run has a finding to write
GOOD = "पेपर परिचय\n\n  • यह अनुच्छेद बिना मूल के है।\n\nपेपर सारांश\n\n  • हम दिखाते हैं।\n    > We show.\n"


def _check(*args: str):
    return runner.invoke(app, ["check", *args, "--no-comet", "--select", "TA101"])


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "d.txt").write_text(GOOD, encoding="utf-8")
    return tmp_path


def _one_line_refusal(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert any(all(n in ln for n in needles) for ln in lines), result.stderr
    assert "Traceback" not in result.stderr


def test_output_onto_a_parallel_file_that_failed_to_parse_is_refused(work):
    (work / "bad.csv").write_bytes(b'source,text\n"a","b"\n')
    before = (work / "bad.csv").read_bytes()
    result = _check("d.txt", "bad.csv", "--no-report", "-o", "bad.csv")
    _one_line_refusal(result, "bad.csv", "--output", "inputs are never written")
    assert (work / "bad.csv").read_bytes() == before


@pytest.mark.parametrize("flag", ["--report", "--output", "--write-baseline"])
def test_no_output_replaces_a_non_utf8_input(work, flag):
    notes = work / "notes.txt"
    notes.write_bytes("पेपर परिचय\ncaf\xe9\n".encode("utf-8").replace(b"\xc3\xa9", b"\xe9"))
    before = notes.read_bytes()
    extra = [] if flag == "--report" else ["--no-report"]
    result = _check("d.txt", "notes.txt", flag, "notes.txt", *extra)
    _one_line_refusal(result, "notes.txt", flag)
    assert notes.read_bytes() == before


def test_output_onto_the_baseline_is_refused(work):
    assert _check("d.txt", "--no-report", "--write-baseline", "bl.json").exit_code == 0
    before = (work / "bl.json").read_bytes()
    assert json.loads(before)["findings"], "the baseline records the TA101"
    result = _check("d.txt", "--no-report", "--baseline", "bl.json", "-o", "bl.json")
    _one_line_refusal(result, "bl.json", "the baseline")
    assert (work / "bl.json").read_bytes() == before
    # the same through another spelling and a symlink
    os.symlink(work / "bl.json", work / "link.json")
    for spelling in ("./bl.json", f"{work.name}/../{work.name}/bl.json", "link.json"):
        path = spelling if not spelling.startswith(work.name) else str(work.parent / spelling)
        result = _check("d.txt", "--no-report", "--baseline", "bl.json", "-f", "json", "-o", path)
        _one_line_refusal(result, "the baseline")
        assert (work / "bl.json").read_bytes() == before


def test_report_onto_the_waivers_is_refused(work):
    waivers = work / "wv.json"
    waivers.write_text(json.dumps({"version": 1, "tool": "transaudit", "waivers": []}), encoding="utf-8")
    before = waivers.read_bytes()
    result = _check("d.txt", "--waivers", "wv.json", "--report", "wv.json")
    _one_line_refusal(result, "wv.json", "the waivers file")
    assert waivers.read_bytes() == before
    result = runner.invoke(app, ["report", "wv.json", "--waivers", "wv.json", "-o", "wv.json"])
    _one_line_refusal(result, "wv.json")
    assert waivers.read_bytes() == before


def test_report_command_never_writes_over_its_saved_result(work):
    assert _check("d.txt", "--no-report", "-f", "json", "-o", "r.json").exit_code == 1
    before = (work / "r.json").read_bytes()
    result = runner.invoke(app, ["report", "r.json", "-o", "./r.json"])
    _one_line_refusal(result, "r.json", "the saved result")
    assert (work / "r.json").read_bytes() == before


def test_output_and_report_on_one_file_are_refused(work):
    (work / "x").write_bytes(b"keep me")
    result = _check("d.txt", "-o", "x", "--report", "./x")
    _one_line_refusal(result, "--output and --report name the same file")
    assert (work / "x").read_bytes() == b"keep me"
    result = _check("d.txt", "-o", "y.json", "--write-baseline", "y.json", "--no-report")
    _one_line_refusal(result, "--output and --write-baseline name the same file")
    assert not (work / "y.json").exists()


def test_output_onto_the_config_file_is_refused(work):
    config = work / "transaudit.toml"
    config.write_text('fail-on = "error"\n', encoding="utf-8")
    before = config.read_bytes()
    for flag in ("-o", "--report"):
        result = _check("d.txt", flag, "transaudit.toml")
        _one_line_refusal(result, "transaudit.toml", "the config file")
        assert config.read_bytes() == before


def test_output_onto_the_score_cache_is_refused(work):
    cache = work / "cache"
    cache.mkdir()
    db = cache / "comet-scores.sqlite3"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    before = db.read_bytes()
    result = runner.invoke(app, ["check", "d.txt", "--cache-dir", "cache", "-o", str(db), "--no-report",
                                 "--select", "TA101"])
    _one_line_refusal(result, "the score cache")
    assert db.read_bytes() == before


def test_a_typo_in_the_path_keeps_the_last_good_report(work):
    assert _check("d.txt").exit_code == 1
    report = work / "reports" / "transaudit-report.html"
    before = report.read_bytes()
    assert "TA101" in before.decode("utf-8")
    result = _check("nonexist/")
    assert result.exit_code == 2
    assert "nonexist: error: no such file or directory" in result.stderr
    assert "not replacing the report" in result.stderr
    assert report.read_bytes() == before


def test_an_input_error_keeps_an_earlier_output_and_baseline(work):
    assert _check("d.txt", "--no-report", "-o", "out.txt").exit_code == 1
    assert _check("d.txt", "--no-report", "--write-baseline", "bl.json").exit_code == 0
    out, baseline = (work / "out.txt").read_bytes(), (work / "bl.json").read_bytes()
    (work / "broken.txt").write_bytes(b"caf\xe9 is not UTF-8")
    result = _check("d.txt", "broken.txt", "--no-report", "-o", "out.txt")
    assert result.exit_code == 2 and "not replacing the output" in result.stderr
    result = _check("d.txt", "broken.txt", "--no-report", "--write-baseline", "bl.json")
    assert result.exit_code == 2 and "not replacing the baseline" in result.stderr
    assert (work / "out.txt").read_bytes() == out and (work / "bl.json").read_bytes() == baseline
    # a new output (nothing to lose) is still written, with the error in it
    result = _check("d.txt", "broken.txt", "--no-report", "-f", "json", "-o", "fresh.json")
    assert result.exit_code == 2
    assert [e["file"] for e in json.loads((work / "fresh.json").read_text("utf-8"))["errors"]] == ["broken.txt"]


def test_step_summary_naming_an_input_is_refused(work, monkeypatch):
    before = (work / "d.txt").read_bytes()
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(work / "d.txt"))
    result = _check("d.txt", "--no-report")
    _one_line_refusal(result, "$GITHUB_STEP_SUMMARY")
    assert (work / "d.txt").read_bytes() == before


def test_hard_link_and_walked_directory_inputs_are_recognised(work):
    (work / "dir").mkdir()
    (work / "dir" / "a.txt").write_text(GOOD, encoding="utf-8")
    os.link(work / "dir" / "a.txt", work / "hard.txt")
    before = (work / "dir" / "a.txt").read_bytes()
    result = _check("dir", "--no-report", "-o", "hard.txt")
    _one_line_refusal(result, "hard.txt", "an input being audited", "dir/a.txt")
    assert (work / "dir" / "a.txt").read_bytes() == before


def test_overlap_names_the_first_problem():
    inputs = Inputs()
    inputs.add("a.txt", "an input")
    assert overlap([("-o", None), ("--report", "b.html")], inputs) is None
    assert "names an input" in overlap([("-o", "./a.txt")], inputs)
    assert "same file" in overlap([("-o", "x/../b"), ("--report", "b")], inputs)
    assert same_target("q/../r", "r") and not same_target("r", "s")


def test_output_to_a_device_writes_into_it_and_never_replaces_it(work):
    import stat

    device = work / "null"  # our own /dev/null: a regression must not break the machine's
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError:
        device = "/dev/null"
    assert stat.S_ISCHR(os.stat(device).st_mode)
    result = _check("d.txt", "--no-report", "-o", str(device))
    assert result.exit_code == 1, result.stderr
    assert stat.S_ISCHR(os.stat(device).st_mode), "the device was replaced by a regular file"
    fifo = work / "pipe"
    os.mkfifo(fifo)
    import threading

    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    result = _check("d.txt", "--no-report", "-o", str(fifo))
    reader.join(30)
    assert result.exit_code == 1 and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"TA101" in got[0]
