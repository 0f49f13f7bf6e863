"""The command line as a user meets it: exit codes, selection, listing, explain, start-up."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from transaudit.cli import app

runner = CliRunner()

DIGEST = """अवलोकन

इस सप्ताह के पेपर।

Toolformer: भाषा मॉडल खुद tools इस्तेमाल करना सीखते हैं / Toolformer: Language Models Can Teach Themselves to Use Tools

पेपर परिचय

  • हम दिखाते हैं that the model learns to call external tools on its own।
    > We show that the model learns to call external tools on its own.
"""


def _digest(tmp_path, text=DIGEST, name="d.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_help_does_not_import_heavy_modules():
    code = "import sys; from transaudit.cli import app; " \
           "from typer.testing import CliRunner; CliRunner().invoke(app, ['--help']); " \
           "print(sorted(m for m in ('torch','comet','pandas') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_checks_lists_every_registered_code():
    from transaudit.checks.base import registered

    result = runner.invoke(app, ["checks"])
    assert result.exit_code == 0
    for code in registered():
        assert code in result.output


def test_explain_prints_examples_and_rejects_unknown():
    result = runner.invoke(app, ["explain", "TA204"])
    assert result.exit_code == 0 and "Bad:" in result.output and "Good:" in result.output
    assert runner.invoke(app, ["explain", "untranslated_fragment"]).exit_code == 0
    assert runner.invoke(app, ["explain", "TA999"]).exit_code == 2


def test_finding_fails_the_run_and_fail_on_never_passes(tmp_path):
    path = _digest(tmp_path)
    result = runner.invoke(app, ["check", str(path), "--no-report", "--no-comet"])
    assert result.exit_code == 1, result.output
    assert f"{path}:9: TA204 untranslated_fragment error:" in result.output
    assert runner.invoke(app, ["check", str(path), "--fail-on", "never", "--no-report",
                               "--no-comet"]).exit_code == 0


def test_ignore_by_category_and_select_by_code(tmp_path):
    path = _digest(tmp_path)
    ignored = runner.invoke(app, ["check", str(path), "--ignore", "untranslated_fragment",
                                  "--no-report", "--no-comet"])
    assert "TA204" not in ignored.output
    selected = runner.invoke(app, ["check", str(path), "--select", "TA101", "--no-report", "--no-comet"])
    assert selected.exit_code == 0 and selected.output == ""


def test_usage_errors_exit_2(tmp_path):
    path = _digest(tmp_path)
    assert runner.invoke(app, ["check", str(path), "--format", "yaml"]).exit_code == 2
    assert runner.invoke(app, ["check", str(path), "--select", "no_such_check"]).exit_code == 2
    assert runner.invoke(app, ["check", str(path), "--fail-on", "fatal"]).exit_code == 2


def test_json_output_follows_schema_and_is_written_atomically(tmp_path):
    path = _digest(tmp_path)
    out = tmp_path / "out" / "result.json"
    result = runner.invoke(app, ["check", str(path), "--format", "json", "--output", str(out),
                                 "--no-report", "--no-comet"])
    assert result.exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == 2
    finding = next(f for f in data["findings"] if f["check"] == "TA204")
    assert {"id", "file", "line", "end_line", "check", "category", "severity", "message",
            "excerpt"} <= set(finding)
    assert finding["file"] == str(path) and finding["line"] == 9
    pair = data["pairs"][0]
    assert pair["line"] == 9 and pair["source_line"] == 10
    assert pair["source"].startswith("We show")
    assert data["summary"]["findings"] == len(data["findings"])
    assert [p.name for p in out.parent.iterdir()] == ["result.json"]  # no temp file left


def test_fingerprint_survives_lines_inserted_above(tmp_path):
    first = _digest(tmp_path)
    runner.invoke(app, ["check", str(first), "--format", "json", "-o", str(tmp_path / "a.json"),
                        "--no-report", "--no-comet"])
    first.write_text("\n\n" + DIGEST.replace("इस सप्ताह के पेपर।", "इस सप्ताह के कुछ नए पेपर।"),
                     encoding="utf-8")
    runner.invoke(app, ["check", str(first), "--format", "json", "-o", str(tmp_path / "b.json"),
                        "--no-report", "--no-comet"])
    a = json.loads((tmp_path / "a.json").read_text())["findings"]
    b = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert [f["id"] for f in a] == [f["id"] for f in b]
    assert [f["line"] + 2 for f in a] == [f["line"] for f in b]


def test_config_glossary_allows_an_english_term(tmp_path):
    text = DIGEST.replace("हम दिखाते हैं that the model learns to call external tools on its own।",
                          "यह model reasoning as well as planning दोनों में सुधार करता है।").replace(
        "We show that the model learns to call external tools on its own.",
        "The model improves reasoning as well as planning.")
    path = _digest(tmp_path, text)
    args = ["check", str(path), "--no-report", "--no-comet", "--select", "untranslated_fragment"]
    assert runner.invoke(app, args).exit_code == 1
    config = tmp_path / "transaudit.toml"
    config.write_text('[glossary]\nallow = ["as well as"]\n', encoding="utf-8")
    assert runner.invoke(app, [*args, "--config", str(config)]).exit_code == 0


def test_output_never_overwrites_an_input_and_bad_output_is_one_line(tmp_path):
    path = _digest(tmp_path)
    before = path.read_bytes()
    for option in ("--output", "--report", "--write-baseline"):
        result = runner.invoke(app, ["check", str(path), option, str(path), "--no-comet"]
                               + (["--no-report"] if option != "--report" else []))
        assert result.exit_code == 2 and "inputs are never written" in result.stderr, option
        assert path.read_bytes() == before
    result = runner.invoke(app, ["check", str(path), "--output", str(tmp_path), "--no-report", "--no-comet"])
    assert result.exit_code == 2 and "cannot write the output" in result.stderr
    assert "Traceback" not in result.stderr and result.exception is None or isinstance(result.exception, SystemExit)


def test_outputs_are_readable_by_others_like_any_new_file(tmp_path):
    import os
    import stat

    path = _digest(tmp_path)
    out, report = tmp_path / "result.json", tmp_path / "report.html"
    runner.invoke(app, ["check", str(path), "--format", "json", "-o", str(out), "--report", str(report),
                        "--no-comet"])
    umask = os.umask(0)
    os.umask(umask)
    for produced in (out, report):
        assert stat.S_IMODE(produced.stat().st_mode) == 0o666 & ~umask
