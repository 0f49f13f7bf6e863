"""Hostile input, item 2 of issue 10 (JSON part): every JSON input of the wrong shape is one line
naming the file and the first bad field, exit 2, never a traceback."""

from __future__ import annotations

import copy
import json
import time

import pytest
from typer.testing import CliRunner

from transaudit.cli import app

runner = CliRunner()

GOOD = "पेपर परिचय\n\n  • यह अनुच्छेद बिना मूल के है।\n\nपेपर सारांश\n\n  • हम 3 दिखाते हैं।\n    > We show 4.\n"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A real saved result (findings and pairs), made by `check --format json`."""
    root = tmp_path_factory.mktemp("saved")
    (root / "d.txt").write_text(GOOD, encoding="utf-8")
    out = root / "r.json"
    result = runner.invoke(app, ["check", str(root / "d.txt"), "--no-comet", "--no-report", "-f", "json",
                                 "-o", str(out)])
    assert result.exit_code == 1, result.stderr
    data = json.loads(out.read_text("utf-8"))
    assert data["findings"] and data["pairs"]
    return data


def _one_line(result, *needles):
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _report(tmp_path, data, *extra):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return runner.invoke(app, ["report", str(path), "-o", str(tmp_path / "m.html"), *extra])


def _set(data, where, value):
    data = copy.deepcopy(data)
    target = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    return data


@pytest.mark.parametrize("where,value,field", [
    (("summary",), [1], "summary"),
    (("tool",), "x", "tool"),
    (("errors",), 5, "errors"),
    (("errors",), [5], "errors[0]"),
    (("findings", 0, "excerpt"), 5, "findings[0].excerpt"),
    (("pairs", 0, "paper"), ["x"], "pairs[0].paper"),
    (("pairs", 0, "comet"), {"score": 0.5, "score_capped": True, "raw_score": 0.7, "capped_by": [1, 2]},
     "pairs[0].comet.capped_by[0]"),
    (("pairs", 0, "comet"), {"score": 0.5, "chunks": [{"score": 0.1, "translation": 5}, {"score": 0.2}]},
     "pairs[0].comet.chunks[0].translation"),
    (("findings", 0, "line"), 1.0, "findings[0].line"),
    (("findings", 0, "line"), True, "findings[0].line"),
    (("findings", 0, "severity"), "fatal", "findings[0].severity"),
    (("findings", 0, "spans"), [{"line": 1, "column": "3", "end_line": 1, "end_column": 4}],
     "findings[0].spans[0].column"),
    (("pairs", 0, "line"), 0, "pairs[0].line"),
    (("summary", "comet"), {"min_score": "high"}, "summary.comet.min_score"),
], ids=lambda v: None)
def test_report_of_a_result_with_a_wrong_shape_is_one_line(tmp_path, saved, where, value, field):
    result = _report(tmp_path, _set(saved, where, value))
    _one_line(result, "m.json", field)
    assert not (tmp_path / "m.html").exists()


@pytest.mark.parametrize("version,expected", [(99, "unsupported schema_version 99"),
                                              ("banana", "unsupported schema_version 'banana'"),
                                              (None, "schema_version is missing")])
def test_report_checks_the_schema_version(tmp_path, saved, version, expected):
    data = copy.deepcopy(saved)
    if version is None:
        del data["schema_version"]
    else:
        data["schema_version"] = version
    _one_line(_report(tmp_path, data), "m.json", expected)
    for good in (1, 2):
        assert _report(tmp_path, _set(saved, ("schema_version",), good)).exit_code == 0


def test_an_absurd_pair_line_range_is_refused_at_once(tmp_path, saved):
    data = _set(saved, ("pairs", 0, "end_line"), 30_000_000)
    data["pairs"][0]["line"] = 1
    started = time.perf_counter()
    line = _one_line(_report(tmp_path, data), "pairs[0].end_line", "longer than its text")
    assert time.perf_counter() - started < 5, line
    data = _set(saved, ("pairs", 0, "end_line"), 1)
    data["pairs"][0]["line"] = 5
    _one_line(_report(tmp_path, data), "pairs[0].end_line", "before its first line")


def test_a_finding_far_outside_its_digest_renders_quickly(tmp_path, saved):
    data = _set(saved, ("findings", 0, "line"), 1)
    data["findings"][0]["end_line"] = 2**31 - 1
    data["findings"][0]["file"] = str(tmp_path / "elsewhere.txt")  # a line outside every pair
    (tmp_path / "elsewhere.txt").write_text("एक\nदो\n", encoding="utf-8")
    started = time.perf_counter()
    assert _report(tmp_path, data).exit_code == 0
    assert time.perf_counter() - started < 10


def _deep(n: int) -> str:
    return "[" * n + "]" * n


def test_deeply_nested_json_is_one_line_for_every_json_input(tmp_path):
    (tmp_path / "d.txt").write_text(GOOD, encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text(_deep(100_000), encoding="utf-8")
    ann = tmp_path / "a.jsonl"
    ann.write_text('{"file": "d.txt", "line": 3, "category": "missing_source"}\n', encoding="utf-8")
    check = ["check", str(tmp_path / "d.txt"), "--no-comet", "--no-report"]
    _one_line(runner.invoke(app, [*check, "--baseline", str(deep)]), "deep.json", "nested too deeply")
    _one_line(runner.invoke(app, [*check, "--waivers", str(deep)]), "deep.json", "nested too deeply")
    _one_line(runner.invoke(app, ["report", str(deep), "-o", str(tmp_path / "r.html")]), "deep.json",
              "nested too deeply")
    _one_line(runner.invoke(app, ["eval", str(deep), str(ann)]), "deep.json", "nested too deeply")
    ok = tmp_path / "r.json"
    runner.invoke(app, [*check, "-f", "json", "-o", str(ok)])
    deep_ann = tmp_path / "deep.jsonl"
    deep_ann.write_text(_deep(100_000) + "\n", encoding="utf-8")
    _one_line(runner.invoke(app, ["eval", str(ok), str(deep_ann)]), "deep.jsonl:1", "nested too deeply")


def test_nan_and_infinity_are_not_json_numbers(tmp_path, saved):
    text = json.dumps(_set(saved, ("findings", 0, "line"), 7)).replace('"line": 7', '"line": NaN', 1)
    _one_line(_report(tmp_path, text), "m.json", "NaN")


@pytest.mark.parametrize("doc,field", [
    ({"version": 1, "findings": [{"id": "abc", "line": "12"}]}, "findings[0].line"),
    ({"version": 1, "findings": [{"id": "abc", "file": 5}]}, "findings[0].file"),
    ({"version": True, "findings": []}, "version"),
    ({"version": 1, "tool": ["x"], "findings": []}, "tool"),
])
def test_baseline_of_a_wrong_shape_is_one_line(tmp_path, doc, field):
    (tmp_path / "d.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bl.json").write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path / "d.txt"), "--no-comet", "--no-report",
                                 "--baseline", str(tmp_path / "bl.json")])
    _one_line(result, "bl.json", field)


@pytest.mark.parametrize("doc,field", [
    ({"version": 1, "waivers": [{"id": "abc", "line": 0}]}, "waivers[0].line"),
    ({"version": 1, "tool": 5, "waivers": []}, "tool"),
    ({"version": 1, "exported": [], "waivers": []}, "exported"),
])
def test_waivers_of_a_wrong_shape_are_one_line(tmp_path, doc, field):
    (tmp_path / "d.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "wv.json").write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path / "d.txt"), "--no-comet", "--no-report",
                                 "--waivers", str(tmp_path / "wv.json")])
    _one_line(result, "wv.json", field)


def test_eval_checks_the_schema_version(tmp_path):
    (tmp_path / "r.json").write_text(json.dumps({"schema_version": 7, "findings": []}), encoding="utf-8")
    (tmp_path / "a.jsonl").write_text("", encoding="utf-8")
    _one_line(runner.invoke(app, ["eval", str(tmp_path / "r.json"), str(tmp_path / "a.jsonl")]),
              "unsupported schema_version 7")
