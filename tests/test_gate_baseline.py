"""Baseline file: round trip, what counts as new or stale, and one-line errors for bad files."""

from __future__ import annotations

import json

import pytest

from transaudit.gate import GateError
from transaudit.gate.baseline import load_baseline, split_by_baseline, write_baseline
from transaudit.model import Finding, Severity


def finding(file="digests/a.md", line=9, anchor="हम दिखाते हैं that it works।", excerpt="that it works", check="TA204"):
    return Finding(check=check, category="untranslated_fragment", severity=Severity.ERROR, file=file, line=line,
                   end_line=line, message="English left untranslated", excerpt=excerpt, anchor=anchor)


def test_round_trip_and_split(tmp_path):
    old, other = finding(), finding(file="digests/b.md")
    path = tmp_path / "base.json"
    write_baseline(path, [old, other])
    entries = load_baseline(path)
    assert [(e.id, e.file, e.line) for e in entries] == [(old.id, "digests/a.md", 9), (other.id, "digests/b.md", 9)]

    moved = finding(line=30)  # same content further down: still the baselined finding
    new = finding(line=40, anchor="दूसरा वाक्य that fails।", excerpt="that fails")
    split = split_by_baseline([moved, new], entries, audited_files=["digests/a.md"])
    assert split.new == [new] and split.known == [moved]
    assert split.stale == []  # b.md was not audited, so its entry is not judged

    split = split_by_baseline([new], entries, audited_files=["./digests/a.md", "digests/b.md"])
    assert sorted(e.file for e in split.stale) == ["digests/a.md", "digests/b.md"]


def test_fingerprint_ignores_line_and_path_spelling_but_not_content():
    assert finding().id == finding(line=99).id == finding(file="./digests/a.md").id
    assert finding().id != finding(anchor="हम दिखाते हैं that it fails।").id
    assert finding().id != finding(check="TA201").id


@pytest.mark.parametrize("content,expected", [
    ('{"version": 2, "findings": []}', "unsupported baseline version 2"),
    ('{"version": 1, "findings": [{"file": "a.md"}]}', "baseline entry 1 has no 'id'"),
    ('[]', "not a transaudit baseline"),
    ('{"version": 1', "invalid JSON at line 1"),
])
def test_bad_baseline_files(tmp_path, content, expected):
    path = tmp_path / "base.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GateError) as info:
        load_baseline(path)
    assert str(info.value).startswith(f"{path}: ") and expected in str(info.value)
    assert "\n" not in str(info.value)


def test_baseline_file_is_readable_json(tmp_path):
    path = tmp_path / "base.json"
    write_baseline(path, [finding()])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["tool"] == "transaudit"
    assert set(data["findings"][0]) == {"id", "file", "line", "check", "category", "message"}
