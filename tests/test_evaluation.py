"""End-to-end accuracy on the annotated fixtures, and the matching logic of ``transaudit eval``.

The fixture test runs ``transaudit check`` the way a user does (a subprocess from the repository
root, so the report names files ``fixtures/digests/...``), scores the JSON with ``transaudit
eval`` and holds the floors of issue 2: precision >= 0.95 and recall >= 0.90 over the
rule-detectable categories, each of them planted at least 3 times, no finding on a clean digest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transaudit.cli import app
from transaudit.evaluation import (
    NOT_RULE_DETECTABLE,
    Item,
    evaluate,
    load_annotations,
    render_text,
    same_file,
)

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "fixtures" / "annotations.jsonl"
CLEAN_DIGESTS = [
    "fixtures/digests/103_2c7e91b4f05a3d86.txt",
    "fixtures/digests/104_e4b0d7a2915c6f38.md",
    "fixtures/digests/108_9e2f6b1d84c0a7e3.md",
    "fixtures/digests/109_46d8a3f0e1b7c529.txt",
]
# The categories of the samples README that rules can decide (issue 2 asks for >= 3 of each).
RULE_CATEGORIES = [
    "hindi_in_source", "english_in_translation", "wrong_language", "untranslated_fragment",
    "duplicate_paragraph", "unquoted_source", "missing_source", "missing_translation",
    "number_mismatch", "entity_mismatch", "omission", "punctuation",
]
PRECISION_FLOOR, RECALL_FLOOR = 0.95, 0.90

runner = CliRunner()


def _transaudit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "transaudit.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def fixture_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("eval") / "fixtures.json"
    done = _transaudit("check", "fixtures/digests", "fixtures/parallel", "--format", "json",
                       "--output", str(out), "--fail-on", "never", "--no-comet", "--no-report", "--quiet")
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def scores(fixture_report) -> dict:
    done = _transaudit("eval", str(fixture_report), str(ANNOTATIONS), "--format", "json")
    assert done.returncode == 0, done.stderr
    text = _transaudit("eval", str(fixture_report), str(ANNOTATIONS)).stdout
    print(text)  # the table, shown by pytest -rA / on failure
    return json.loads(done.stdout) | {"table": text}


# -- the fixture set itself ---------------------------------------------------------------


def test_every_annotation_points_at_the_text_it_describes():
    for ann in map(json.loads, ANNOTATIONS.read_text(encoding="utf-8").splitlines()):
        lines = (ROOT / ann["file"]).read_text(encoding="utf-8").split("\n")
        assert 1 <= ann["line"] <= len(lines), ann
        assert ann["excerpt"] in lines[ann["line"] - 1], f"{ann['file']}:{ann['line']} lacks {ann['excerpt']!r}"


def test_every_rule_category_is_planted_at_least_three_times_in_both_layouts():
    planted = load_annotations(ANNOTATIONS)
    for category in RULE_CATEGORIES:
        files = [a.file for a in planted if a.category == category]
        assert len(files) >= 3, f"{category}: planted {len(files)} times"
        assert {Path(f).suffix for f in files} >= {".txt", ".md"}, f"{category}: only in {files}"
    assert not any(Path(a.file).name in {Path(c).name for c in CLEAN_DIGESTS} for a in planted)


# -- accuracy of the checks on the fixtures -------------------------------------------------


def test_precision_and_recall_over_rule_detectable_categories(scores):
    total = scores["total"]
    assert total["precision"] is not None and total["precision"] >= PRECISION_FLOOR, scores["table"]
    assert total["recall"] is not None and total["recall"] >= RECALL_FLOOR, scores["table"]
    assert set(RULE_CATEGORIES) <= set(scores["categories"])


@pytest.mark.parametrize("digest", CLEAN_DIGESTS, ids=lambda p: Path(p).name)
def test_clean_digest_has_no_findings(fixture_report, digest):
    report = json.loads(fixture_report.read_text(encoding="utf-8"))
    assert any(p["file"] == digest for p in report["pairs"]), f"{digest} was not audited"
    found = [f"{f['line']}: {f['category']}: {f['message']}" for f in report["findings"] if f["file"] == digest]
    assert found == []


def test_held_out_set_meets_the_same_floors(tmp_path):
    """fixtures/heldout/ was written without sight of the checks (see fixtures/README.md)."""
    out = tmp_path / "heldout.json"
    done = _transaudit("check", "fixtures/heldout/digests", "--format", "json", "--output", str(out),
                       "--fail-on", "never", "--no-comet", "--no-report", "--quiet")
    assert done.returncode == 0, done.stderr
    result = json.loads(_transaudit("eval", str(out), "fixtures/heldout/annotations.jsonl",
                                    "--format", "json").stdout)
    total = result["total"]
    assert total["precision"] >= PRECISION_FLOOR and total["recall"] >= RECALL_FLOOR, total
    report = json.loads(out.read_text(encoding="utf-8"))
    clean = "fixtures/heldout/digests/204_718e602db2dcb948.md"
    assert [f for f in report["findings"] if f["file"] == clean] == []


# -- matching logic ------------------------------------------------------------------------


def _f(file="d/a.txt", line=3, category="punctuation", text="msg"):
    return Item(file, line, category, text)


def test_exact_match_is_a_true_positive():
    result = evaluate([_f()], [_f(text="note")])
    assert (result.categories["punctuation"].tp, result.total.fp, result.total.fn) == (1, 0, 0)
    assert result.total.precision == 1.0 and result.total.recall == 1.0


@pytest.mark.parametrize("finding", [_f(line=4), _f(category="omission"), _f(file="d/b.txt")],
                         ids=["other line", "other category", "other file"])
def test_a_near_miss_is_one_false_positive_and_one_false_negative(finding):
    result = evaluate([finding], [_f()])
    assert (result.total.tp, result.total.fp, result.total.fn) == (0, 1, 1)
    assert result.false_positives == [finding] and result.false_negatives == [_f()]


def test_basename_or_path_suffix_names_the_same_file_but_not_a_longer_name():
    assert same_file("fixtures/digests/107_c39a.txt", "107_c39a.txt")
    assert same_file("./fixtures/digests/107_c39a.txt", "digests/107_c39a.txt")
    assert same_file("fixtures\\digests\\107_c39a.txt", "fixtures/digests/107_c39a.txt")
    assert not same_file("fixtures/digests/107_c39a.txt", "7_c39a.txt")
    assert not same_file("a/x.txt", "b/x.txt")
    result = evaluate([_f(file="fixtures/digests/a.txt")], [_f(file="a.txt")])
    assert result.total.tp == 1


def test_repeated_findings_on_one_line_and_category_count_once():
    result = evaluate([_f(text="first"), _f(text="second")], [_f()])
    assert (result.total.tp, result.total.fp) == (1, 0)


def test_one_finding_cannot_satisfy_two_annotations_of_different_categories():
    result = evaluate([_f()], [_f(), _f(category="omission")])
    assert (result.total.tp, result.total.fn) == (1, 1)
    assert result.false_negatives[0].category == "omission"


def test_not_rule_detectable_categories_are_listed_but_left_out_of_the_total():
    result = evaluate([_f(category="low_quality")], [_f(category="mistranslation", line=9), _f()])
    assert result.categories["mistranslation"].fn == 1 and result.categories["low_quality"].fp == 1
    assert (result.total.tp, result.total.fp, result.total.fn) == (0, 0, 1)
    assert {"mistranslation", "low_quality"} <= NOT_RULE_DETECTABLE
    assert "mistranslation*" in render_text(result)


def test_precision_is_undefined_without_findings_not_zero():
    result = evaluate([], [_f()])
    assert result.total.precision is None and result.total.recall == 0.0
    assert "    -" in render_text(result)


def test_category_option_scores_one_category_only():
    result = evaluate([_f(), _f(category="omission", line=8)], [_f(), _f(category="omission")],
                      category="omission")
    assert list(result.categories) == ["omission"]
    assert (result.total.tp, result.total.fp, result.total.fn) == (0, 1, 1)


def test_annotations_of_files_outside_the_report_are_skipped_not_missed():
    result = evaluate([_f()], [_f(), _f(file="other/z.md")], report_files={"d/a.txt"})
    assert result.total.fn == 0 and result.skipped_files == ["other/z.md"]
    assert "skipped annotations of 1 file(s)" in render_text(result)


def test_text_lists_false_positives_and_negatives_with_location_and_message():
    text = render_text(evaluate([_f(line=5, text="space before danda")], [_f(text="doubled space")]))
    assert "d/a.txt:5 punctuation: space before danda" in text.split("false positives (1):")[1]
    assert "d/a.txt:3 punctuation: doubled space" in text.split("false negatives (1):")[1]


# -- the command -----------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _report(tmp_path, findings) -> Path:
    return _write(tmp_path / "r.json", json.dumps({"schema_version": 1, "findings": findings, "pairs": []}))


def test_eval_command_prints_the_table_and_exits_0(tmp_path):
    report = _report(tmp_path, [{"file": "x/d.md", "line": 2, "category": "omission", "message": "m"}])
    ann = _write(tmp_path / "a.jsonl", '{"file": "d.md", "line": 2, "category": "omission"}\n\n')
    result = runner.invoke(app, ["eval", str(report), str(ann)])
    assert result.exit_code == 0, result.stderr
    assert "omission" in result.stdout and "total (rule-detectable)" in result.stdout
    data = json.loads(runner.invoke(app, ["eval", str(report), str(ann), "--format", "json"]).stdout)
    assert data["total"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0}


@pytest.mark.parametrize("report_text,ann_text,expected", [
    (None, '{"file": "a", "line": 1, "category": "omission"}', "no such file"),
    ("{not json", '{"file": "a", "line": 1, "category": "omission"}', "invalid JSON at line 1"),
    ('{"pairs": []}', '{"file": "a", "line": 1, "category": "omission"}', "no 'findings' list"),
    ('{"findings": [{"file": "a", "line": 0, "category": "omission"}]}', "", "finding 1: line must be a positive integer"),
    ('{"findings": []}', '{"file": "a", "line": 1}', "a.jsonl:1: missing category"),
    ('{"findings": []}', '\n{"file": "a", "line": 1, "category": "omision"}', "a.jsonl:2: unknown category 'omision'"),
    ('{"findings": []}', "[1, 2]", "a.jsonl:1: expected an object"),
    ('{"findings": []}', "{oops", "a.jsonl:1: invalid JSON"),
], ids=["missing report", "report not JSON", "no findings", "bad line", "no category", "misspelt category",
        "not an object", "annotation not JSON"])
def test_bad_input_is_one_line_on_stderr_and_exit_2(tmp_path, report_text, ann_text, expected):
    report = tmp_path / "r.json"
    if report_text is not None:
        _write(report, report_text)
    ann = _write(tmp_path / "a.jsonl", ann_text)
    result = runner.invoke(app, ["eval", str(report), str(ann)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert expected in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_unknown_category_or_format_option_is_a_usage_error(tmp_path):
    report = _report(tmp_path, [])
    ann = _write(tmp_path / "a.jsonl", "")
    assert runner.invoke(app, ["eval", str(report), str(ann), "--category", "nope"]).exit_code == 2
    assert runner.invoke(app, ["eval", str(report), str(ann), "--format", "csv"]).exit_code == 2
