"""CLI text as a user reads it: help names what to type (``PATH...``, ``CODE[,CODE...]``,
``FILE``, ``REF``), never a Python type; ``explain`` prints clean text; every "Why it matters"
speaks of what a reader, translator or reviewer sees."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from transaudit.checks.base import registered
from transaudit.cli import app
from transaudit.cli.help_text import plain_doc
from transaudit.html_report.view import why_it_matters

runner = CliRunner()
COMMANDS = ["check", "checks", "explain", "report", "eval"]
PYTHON_TYPES = re.compile(r"<(list\[|str>|path>|int>|float>|bool>)|List\[|Optional\[")


def _help(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], prog_name="transaudit", terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_python_types(command):
    text = _help(command)
    assert "<list[" not in text
    assert not PYTHON_TYPES.search(text), PYTHON_TYPES.search(text).group(0)
    assert "{" not in text.splitlines()[0]  # typer's "{paths}..." usage


def test_check_help_names_what_to_type():
    text = _help("check")
    assert text.splitlines()[0] == "Usage: transaudit check [OPTIONS] PATH..."
    options = {line.split()[0].rstrip(","): line.split() for line in text.splitlines()
               if line.strip().startswith("-")}
    expect = {"--select": "CODE[,CODE...]", "--ignore": "CODE[,CODE...]", "--output": "FILE",
              "--baseline": "FILE", "--write-baseline": "FILE", "--config": "FILE",
              "--changed-since": "REF", "--include": "GLOB", "--fail-on": "SEVERITY", "--gpus": "N"}
    for option, metavar in expect.items():
        row = next(words for words in options.values() if option in words)
        assert row[row.index(option) + 1] == metavar, row
    assert "-o, --output FILE" in text and "--no-comet  " in text  # a flag takes no value


def test_argument_usage_of_the_other_commands():
    assert _help("explain").splitlines()[0] == "Usage: transaudit explain [OPTIONS] CODE"
    assert _help("report").splitlines()[0] == "Usage: transaudit report [OPTIONS] RESULT.json"
    assert _help("eval").splitlines()[0] == "Usage: transaudit eval [OPTIONS] RESULT.json ANNOTATIONS.jsonl"


def test_a_missing_argument_is_named_as_in_the_usage():
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2 and "Missing argument 'PATH'" in result.output


@pytest.mark.parametrize("code", sorted(registered()))
def test_explain_prints_clean_text(code):
    result = runner.invoke(app, ["explain", code])
    assert result.exit_code == 0
    assert "``" not in result.output
    assert result.output.startswith(f"{code} ")
    assert "Why it matters:" in result.output
    assert "Bad:" in result.output and "Good:" in result.output


def test_plain_doc_keeps_everything_but_the_doubled_backticks():
    assert plain_doc("a ``>`` marker and ``[tool.x]``\nnext") == "a `>` marker and `[tool.x]`\nnext"
    assert plain_doc("no markup: 4.5 > 3") == "no markup: 4.5 > 3"


READER = re.compile(r"\b(reader|readers|reviewer|reviewers|translator|translators|nobody)\b", re.I)
IMPLEMENTATION = re.compile(r"difflib|ratio|NFC|normali[sz]|regex|token|case-fold|substring|function word|"
                            r"script run|langdetect|threshold|>=", re.I)


@pytest.mark.parametrize("code", sorted(registered()))
def test_why_it_matters_speaks_of_what_people_see(code):
    why = why_it_matters(registered()[code].documentation())
    assert why, f"{code} has no 'Why it matters:' paragraph"
    assert READER.search(why), f"{code}: {why}"
    assert not IMPLEMENTATION.search(why), f"{code}: {IMPLEMENTATION.search(why).group(0)!r} in {why}"
