"""The CI gate end to end, in a real git repository, through the command a workflow runs.

Story: old issues with known errors are baselined and the gate passes; a new issue with an error
on a branch fails ``--changed-since main`` with an annotation on the right line; fixing it passes;
editing an old issue above a baselined error still passes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gate_digests import (EXTRA_PAPER_LINES, EXTRA_PAPER_MD, NEW_MD, NEW_MD_ERROR_LINE, NEW_MD_FIXED,
                          OLD_MD, OLD_MD_ERROR_LINE, OLD_TXT, OLD_TXT_ERROR_LINE)

CLI = [sys.executable, "-c", "import sys; from transaudit.cli import main; sys.argv[0] = 'transaudit'; main()"]


def _env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_"))}
    env.update(
        HOME=str(tmp_path),  # no user-level git config (signing, hooks) leaks in
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CEILING_DIRECTORIES=str(tmp_path),  # never find a repository above the test's folder
    )
    env.update(extra)
    return env


def transaudit(cwd: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    # Rule checks only: COMET scores (tested elsewhere) would depend on what the machine has cached.
    return subprocess.run([*CLI, "check", *args, "--no-report", "--no-comet"], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def git(cwd: Path, *args: str, env: dict) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def repo(tmp_path):
    env = _env(tmp_path)
    root = tmp_path / "repo"
    (root / "digests").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main", env=env)
    git(root, "config", "user.name", "Gate Test", env=env)
    git(root, "config", "user.email", "gate@example.org", env=env)
    git(root, "config", "commit.gpgsign", "false", env=env)
    (root / "digests" / "2023-01.md").write_text(OLD_MD, encoding="utf-8")
    (root / "digests" / "2023-02.txt").write_text(OLD_TXT, encoding="utf-8")
    git(root, "add", "digests", env=env)
    git(root, "commit", "-q", "-m", "two old issues", env=env)
    return root, env


def test_gate_story(repo):
    root, env = repo

    # Old issues carry known errors: without a baseline the gate fails.
    plain = transaudit(root, "digests", env=env)
    assert plain.returncode == 1, plain.stderr
    assert f"digests/2023-01.md:{OLD_MD_ERROR_LINE}: TA204" in plain.stdout
    assert f"digests/2023-02.txt:{OLD_TXT_ERROR_LINE}: TA201" in plain.stdout

    # Record them; the gate passes from now on.
    wrote = transaudit(root, "digests", "--write-baseline", "transaudit-baseline.json", env=env)
    assert wrote.returncode == 0, wrote.stderr
    entries = json.loads((root / "transaudit-baseline.json").read_text(encoding="utf-8"))["findings"]
    assert {(e["file"], e["line"], e["check"]) for e in entries} == {
        ("digests/2023-01.md", OLD_MD_ERROR_LINE, "TA204"), ("digests/2023-02.txt", OLD_TXT_ERROR_LINE, "TA201")}
    gated = transaudit(root, "digests", "--baseline", "transaudit-baseline.json", "--format", "github", env=env)
    assert (gated.returncode, gated.stdout) == (0, ""), gated.stderr
    git(root, "add", "transaudit-baseline.json", env=env)
    git(root, "commit", "-q", "-m", "baseline", env=env)

    # A new issue with an error on a branch: only it is audited, and the gate fails on it.
    git(root, "checkout", "-q", "-b", "issue-2023-03", env=env)
    (root / "digests" / "2023-03.md").write_text(NEW_MD, encoding="utf-8")
    git(root, "add", "digests/2023-03.md", env=env)
    git(root, "commit", "-q", "-m", "new issue", env=env)
    args = ("digests", "--changed-since", "main", "--baseline", "transaudit-baseline.json", "--format", "github")
    new = transaudit(root, *args, env=env)
    assert new.returncode == 1, new.stderr
    assert "auditing 1 changed digest" in new.stderr and "digests/2023-03.md" in new.stderr
    assert "2023-01" not in new.stderr + new.stdout and "2023-02" not in new.stderr + new.stdout
    lines = new.stdout.splitlines()
    assert len(lines) == 1
    # col/endColumn: the English clause "that the model works well on all tasks" (end exclusive)
    assert lines[0].startswith(f"::error file=digests/2023-03.md,line={NEW_MD_ERROR_LINE},col=15,"
                               f"endLine={NEW_MD_ERROR_LINE},endColumn=53,title=TA204 untranslated_fragment::")

    # Fixed in the working tree (not committed yet): still audited, and it passes.
    (root / "digests" / "2023-03.md").write_text(NEW_MD_FIXED, encoding="utf-8")
    fixed = transaudit(root, *args, env=env)
    assert (fixed.returncode, fixed.stdout) == (0, ""), fixed.stderr
    assert "digests/2023-03.md" in fixed.stderr
    git(root, "commit", "-q", "-am", "fix the new issue", env=env)

    # An old issue edited above its baselined error: the error moved, the gate still passes.
    old = root / "digests" / "2023-01.md"
    lines = OLD_MD.splitlines(keepends=True)
    old.write_text("".join(lines[:4]) + EXTRA_PAPER_MD + "".join(lines[4:]), encoding="utf-8")
    git(root, "commit", "-q", "-am", "add a paper to an old issue", env=env)
    edited = transaudit(root, *args, env=env)
    assert (edited.returncode, edited.stdout) == (0, ""), edited.stderr
    assert "digests/2023-01.md" in edited.stderr  # it was audited, not skipped
    assert "no longer occur" not in edited.stderr
    full = transaudit(root, "digests", "--baseline", "transaudit-baseline.json", env=env)
    assert (full.returncode, full.stdout) == (0, ""), full.stderr

    # The finding really moved (same fingerprint, new line), so the baseline matched it by content.
    moved = transaudit(root, "digests/2023-01.md", "--format", "json", env=env)
    (finding,) = json.loads(moved.stdout)["findings"]
    assert finding["line"] == OLD_MD_ERROR_LINE + EXTRA_PAPER_LINES
    assert finding["id"] in {e["id"] for e in entries}


def test_stale_baseline_entries_are_listed(repo):
    root, env = repo
    assert transaudit(root, "digests", "--write-baseline", "base.json", env=env).returncode == 0
    (root / "digests" / "2023-02.txt").write_text(
        OLD_TXT.replace("    > हम REPLUG प्रस्तुत करते हैं, जो language model को black box मानता है।",
                        "    > We present REPLUG, which treats the language model as a black box."),
        encoding="utf-8")
    run = transaudit(root, "digests", "--baseline", "base.json", env=env)
    assert run.returncode == 0, run.stderr
    assert "1 entry no longer occur" in run.stderr
    assert f"digests/2023-02.txt:{OLD_TXT_ERROR_LINE}: TA201" in run.stderr
    # Only audited files are judged: with --changed-since the other digest's entry is not stale.
    git(root, "commit", "-q", "-am", "fix", env=env)
    partial = transaudit(root, "digests", "--baseline", "base.json", "--changed-since", "HEAD~1", env=env)
    assert "2023-01.md" not in partial.stderr


def test_new_error_in_an_old_digest_fails_the_gate(repo):
    root, env = repo
    assert transaudit(root, "digests", "--write-baseline", "base.json", env=env).returncode == 0
    old = root / "digests" / "2023-01.md"
    old.write_text(OLD_MD + "\n" + NEW_MD.split("### पेपर परिचय\n\n", 1)[1], encoding="utf-8")
    run = transaudit(root, "digests", "--baseline", "base.json", "--changed-since", "main", "-f", "github", env=env)
    assert run.returncode == 1
    (line,) = run.stdout.splitlines()
    assert line.startswith("::error file=digests/2023-01.md,line=")
    assert "line=9," not in line  # the baselined error stays accepted; this is the new one


def test_no_changed_digest_passes_and_says_so(repo):
    root, env = repo
    run = transaudit(root, "digests", "--changed-since", "main", env=env)
    assert (run.returncode, run.stdout) == (0, "")
    assert "auditing 0 changed digest" in run.stderr


def test_mistyped_path_is_still_an_input_error(repo):
    root, env = repo
    run = transaudit(root, "digest", "--changed-since", "main", env=env)
    assert run.returncode == 2
    assert "digest: error: no such file or directory" in run.stderr


def test_unknown_ref_is_a_usage_error(repo):
    root, env = repo
    run = transaudit(root, "digests", "--changed-since", "no-such-branch", env=env)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == ["transaudit: --changed-since: unknown git ref 'no-such-branch'"]
    dashed = transaudit(root, "digests", "--changed-since=--output=x", env=env)
    assert dashed.returncode == 2 and "unknown git ref '--output=x'" in dashed.stderr


def test_changed_since_outside_a_repository_is_a_usage_error(tmp_path):
    env = _env(tmp_path)
    (tmp_path / "digests").mkdir()
    (tmp_path / "digests" / "a.md").write_text(NEW_MD, encoding="utf-8")
    run = transaudit(tmp_path, "digests", "--changed-since", "main", env=env)
    assert run.returncode == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("transaudit: --changed-since:") and "not inside a git repository" in line


def test_write_baseline_with_changed_since_is_refused(repo):
    root, env = repo
    run = transaudit(root, "digests", "--changed-since", "main", "--write-baseline", "b.json", env=env)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1
    assert not (root / "b.json").exists()


def test_broken_baseline_is_a_usage_error(repo):
    root, env = repo
    (root / "base.json").write_text("{not json", encoding="utf-8")
    run = transaudit(root, "digests", "--baseline", "base.json", env=env)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == ["transaudit: base.json: invalid JSON at line 1 column 2: "
                                               "Expecting property name enclosed in double quotes"]
    missing = transaudit(root, "digests", "--baseline", "nope.json", env=env)
    assert missing.returncode == 2 and "nope.json: baseline file not found" in missing.stderr


def test_step_summary_is_appended(repo):
    root, env = repo
    summary = root.parent / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = dict(env, GITHUB_STEP_SUMMARY=str(summary))
    run = transaudit(root, "digests", "--format", "github", env=env)
    assert run.returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## transaudit: 2 findings (2 error)")
    assert f"| digests/2023-01.md:{OLD_MD_ERROR_LINE} | TA204 untranslated_fragment | error |" in text
    assert "2 digest(s) audited" in text
