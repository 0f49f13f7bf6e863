"""Configuration: where it is found, what it sets, that the command line wins, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gate_digests import NEW_MD, NEW_MD_ERROR_LINE, OLD_TXT
from transaudit.gate import GateError
from transaudit.gate.config import Config, find_config, load_config

CLI = [sys.executable, "-c", "import sys; from transaudit.cli import main; sys.argv[0] = 'transaudit'; main()"]


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "check", *args, "--no-report", "--no-comet"], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "digests").mkdir()
    (tmp_path / "digests" / "new.md").write_text(NEW_MD, encoding="utf-8")  # TA204 on line 9
    (tmp_path / "digests" / "old.txt").write_text(OLD_TXT, encoding="utf-8")  # TA201 on line 15
    return tmp_path


def codes(stdout: str) -> list[str]:
    return sorted(f["check"] for f in json.loads(stdout)["findings"])


def test_transaudit_toml_found_upwards_and_flags_win(project):
    (project / "transaudit.toml").write_text('select = ["TA204"]\nfail-on = "never"\n', encoding="utf-8")
    sub = project / "digests"
    from_config = run(sub, ".", "-f", "json")
    assert (from_config.returncode, codes(from_config.stdout)) == (0, ["TA204"])
    from_flags = run(sub, ".", "-f", "json", "--select", "hindi_in_source", "--fail-on", "error")
    assert (from_flags.returncode, codes(from_flags.stdout)) == (1, ["TA201"])


def test_pyproject_table_and_explicit_config(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "digests"\n\n[tool.transaudit]\nignore = ["untranslated_fragment"]\n', encoding="utf-8")
    found = run(project, "digests", "-f", "json")
    assert codes(found.stdout) == ["TA201"]
    other = project / "ci.toml"
    other.write_text('ignore = ["TA201"]\n', encoding="utf-8")
    named = run(project, "digests", "-f", "json", "--config", str(other))
    assert codes(named.stdout) == ["TA204"]


def test_pyproject_without_table_is_skipped(tmp_path):
    (tmp_path / "transaudit.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(inner) == (tmp_path / "transaudit.toml").resolve()
    assert load_config(start=inner).fail_on == "warning"


def test_severity_overrides_change_the_exit_code(project):
    (project / "transaudit.toml").write_text(
        '[severity]\nTA204 = "warning"\nhindi_in_source = "info"\n', encoding="utf-8")
    result = run(project, "digests", "-f", "json")
    assert result.returncode == 0, result.stderr
    got = {(f["check"], f["severity"]) for f in json.loads(result.stdout)["findings"]}
    assert got == {("TA204", "warning"), ("TA201", "info")}
    assert run(project, "digests", "--fail-on", "warning").returncode == 1


def test_include_exclude_and_glossary_from_config(project):
    (project / "transaudit.toml").write_text(
        'exclude = ["*.txt"]\nselect = ["terminology"]\n\n[glossary]\nallow = ["Transformer"]\n'
        'require = { model = "प्रतिरूप" }\n', encoding="utf-8")
    result = run(project, "digests", "-f", "json")
    data = json.loads(result.stdout)
    assert data["summary"]["files"] == 1  # old.txt excluded
    (finding,) = data["findings"]
    assert (finding["file"], finding["line"], finding["check"]) == ("digests/new.md", NEW_MD_ERROR_LINE, "TA305")
    assert "प्रतिरूप" in finding["message"] and finding["severity"] == "warning"


def test_config_settings_carry_the_glossary_for_the_language_checks(tmp_path):
    path = tmp_path / "transaudit.toml"
    path.write_text('report = "out/r.html"\n[glossary]\nallow = ["Transformer", "fine-tune"]\n'
                    'require = { attention = "ध्यान", benchmark = ["बेंचमार्क", "मानक"] }\n', encoding="utf-8")
    cfg = load_config(path)
    assert cfg.settings() == {"glossary": {"allow": ["Transformer", "fine-tune"],
                                           "require": {"attention": ["ध्यान"], "benchmark": ["बेंचमार्क", "मानक"]}}}
    assert cfg.report == str(tmp_path / "out" / "r.html")  # relative to the config file


def test_no_config_found_leaves_everything_to_the_cli(tmp_path):
    assert find_config(tmp_path) is None
    assert load_config(start=tmp_path) == Config()


@pytest.mark.parametrize("text,expected", [
    ('selct = ["TA204"]\n', "unknown key 'selct' (did you mean 'select'?)"),
    ('fail_on = "error"\n', "unknown key 'fail_on' (did you mean 'fail-on'?)"),
    ('[glossary]\nallowed = ["x"]\n', "[glossary]: unknown key 'allowed' (did you mean 'allow'?)"),
    ('fail-on = "sometimes"\n', "'fail-on' must be one of error, warning, info, never, not 'sometimes'"),
    ('select = 3\n', "'select' must be a list of strings"),
    ('select = ["TA999"]\n', "names unknown check or category 'TA999'"),
    ('[severity]\nTA204 = "fatal"\n', "severity of 'TA204' must be one of error, warning, info, not 'fatal'"),
    ('min-score = "high"\n', "'min-score' must be a number"),
    ('select = [\n', "invalid TOML"),
])
def test_config_errors_name_the_file_and_the_key(tmp_path, text, expected):
    path = tmp_path / "transaudit.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GateError) as info:
        load_config(start=tmp_path)
    message = str(info.value)
    assert message.startswith(f"{path.resolve()}: ") and expected in message
    assert "\n" not in message


def test_config_error_exits_2_with_one_line(project):
    (project / "transaudit.toml").write_text('selct = ["TA204"]\n', encoding="utf-8")
    result = run(project, "digests")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.strip() == (f"transaudit: {(project / 'transaudit.toml').resolve()}: "
                                      "unknown key 'selct' (did you mean 'select'?)")


def test_unknown_key_in_pyproject_names_the_table(project):
    (project / "pyproject.toml").write_text('[tool.transaudit]\nreprot = "x.html"\n', encoding="utf-8")
    result = run(project, "digests")
    assert result.returncode == 2
    assert result.stderr.strip() == (f"transaudit: {(project / 'pyproject.toml').resolve()}: [tool.transaudit]: "
                                      "unknown key 'reprot' (did you mean 'report'?)")


def test_missing_config_file_is_a_usage_error(project):
    result = run(project, "digests", "--config", "nope.toml")
    assert (result.returncode, result.stderr.strip()) == (2, "transaudit: nope.toml: config file not found")


def test_pyproject_named_without_table_is_an_error(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(GateError, match=r"no \[tool.transaudit\] table"):
        load_config(path)


def test_comet_model_from_config_reaches_the_scorer_and_the_flag_wins(project):
    (project / "transaudit.toml").write_text('comet-model = "models/from-config.ckpt"\n', encoding="utf-8")
    args = ("digests", "--require-comet")
    from_config = subprocess.run([*CLI, "check", *args, "--no-report"], cwd=project, capture_output=True,
                                 text=True, encoding="utf-8", timeout=120)
    assert from_config.returncode == 2 and "COMET model models/from-config.ckpt" in from_config.stderr
    from_flag = subprocess.run([*CLI, "check", *args, "--no-report", "--comet-model", "flag.ckpt"], cwd=project,
                               capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert from_flag.returncode == 2 and "COMET model flag.ckpt" in from_flag.stderr
