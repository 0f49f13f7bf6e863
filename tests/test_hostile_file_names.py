"""Hostile input, item 2 of issue 10 (file names): a file name that is not UTF-8 is audited and
shown as ``caf\\xe9.txt`` in every format and in the report, never a UnicodeEncodeError."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transaudit.cli import app
from transaudit.model import Finding, Severity
from transaudit.reporters import FORMATS

runner = CliRunner()

GOOD = "पेपर परिचय\n\n  • यह अनुच्छेद बिना मूल के है।\n\nपेपर सारांश\n\n  • हम 3 दिखाते हैं।\n    > We show 4.\n"
SHARED = "  • यह एक लंबा अनुच्छेद है जो दोनों डाइजेस्ट में एक जैसा है और बहुत सारे शब्द रखता है।\n" \
         "    > This is a long paragraph that both digests share word for word, with many words.\n"
RAW_NAME = b"caf\xe9.txt"


@pytest.fixture
def latin1_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = os.path.join(os.fsencode(tmp_path), RAW_NAME)
    with open(path, "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    return os.fsdecode(RAW_NAME)  # 'caf\udce9.txt', as os.listdir gives it


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_names_a_non_utf8_file_escaped(latin1_named, fmt):
    result = runner.invoke(app, ["check", latin1_named, "--no-comet", "--no-report", "-f", fmt])
    assert result.exit_code == 1, (result.stderr, repr(result.exception))
    assert "\udce9" not in result.stdout
    if fmt == "json":
        assert {f["file"] for f in json.loads(result.stdout)["findings"]} == {"caf\\xe9.txt"}
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert {r["file"] for r in rows if r["type"] == "finding"} == {"caf\\xe9.txt"}
    elif fmt == "sarif":
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(result.stdout)["runs"][0]["results"]}
        assert uris == {"caf%5Cxe9.txt"}  # the name as shown, percent-encoded
    else:
        assert "caf\\xe9.txt" in result.stdout


def test_the_report_and_a_directory_walk_name_it_escaped(latin1_named, tmp_path):
    result = runner.invoke(app, ["check", ".", "--no-comet", "--report", "r.html"])
    assert result.exit_code == 1, (result.stderr, repr(result.exception))
    page = (tmp_path / "r.html").read_text("utf-8")
    assert "caf\\xe9.txt" in page and "यह अनुच्छेद बिना मूल के है" in page


def test_a_message_quoting_a_non_utf8_path_stays_valid_json(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open(os.path.join(os.fsencode(tmp_path), RAW_NAME), "wb") as fh:
        fh.write(("पेपर परिचय\n\n" + SHARED).encode("utf-8"))
    (tmp_path / "other.txt").write_text("पेपर परिचय\n\n" + SHARED, encoding="utf-8")
    result = runner.invoke(app, ["check", ".", "--no-comet", "--no-report", "-f", "json", "--select", "TA104"])
    data = json.loads(result.stdout)
    assert any("from another digest" in f["message"] for f in data["findings"]), data["findings"]
    assert "caf\\xe9.txt" in result.stdout.replace("\\\\", "\\")


def test_fingerprints_of_a_non_utf8_name_are_stable(latin1_named):
    f = Finding(check="TA101", category="missing_source", severity=Severity.ERROR, file=latin1_named,
                line=3, end_line=3, message="m")
    assert len(f.id) == 16 and f.id == Finding(**{**f.__dict__}).id
    a = runner.invoke(app, ["check", latin1_named, "--no-comet", "--no-report", "-f", "json"])
    b = runner.invoke(app, ["check", latin1_named, "--no-comet", "--no-report", "-f", "json"])
    assert [x["id"] for x in json.loads(a.stdout)["findings"]] == [x["id"] for x in json.loads(b.stdout)["findings"]]


def test_baseline_round_trip_with_a_non_utf8_name(latin1_named):
    assert runner.invoke(app, ["check", latin1_named, "--no-comet", "--no-report",
                               "--write-baseline", "bl.json"]).exit_code == 0
    again = runner.invoke(app, ["check", latin1_named, "--no-comet", "--no-report", "--baseline", "bl.json"])
    assert again.exit_code == 0, again.stderr


def test_a_real_terminal_run_prints_it_escaped(latin1_named, tmp_path):
    exe = Path(sys.executable).with_name("transaudit")
    proc = subprocess.run([str(exe), "check", ".", "--no-comet"], capture_output=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert b"caf\\xe9.txt:3: TA101" in proc.stdout
    assert b"Traceback" not in proc.stderr and b"\xe9" not in proc.stdout
