"""The ready-to-use integrations run for real: the composite action's gate step and the example
workflow's gate step (their bash, as GitHub runs it) in a cloned git repository on a pull-request
branch, and the pre-commit hook's entry on digest files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gate_digests import NEW_MD, NEW_MD_ERROR_LINE, NEW_MD_FIXED, OLD_MD

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
WORKFLOW = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8"))
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def env(tmp_path):
    """PATH with a ``transaudit`` command for this interpreter; no outside git or GitHub state."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "transaudit"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "import sys; from transaudit.cli import main; '
                    f"sys.argv[0] = 'transaudit'; main()\" \"$@\"\n", encoding="utf-8")
    shim.chmod(0o755)
    out = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_"))}
    out.update(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1",
               GIT_CEILING_DIRECTORIES=str(tmp_path))
    return out


def git(cwd, *args, env):
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def pull_request(tmp_path, env):
    """A clone (so ``origin/main`` exists, as after actions/checkout) on a branch adding a digest."""
    upstream = tmp_path / "upstream"
    (upstream / "digests").mkdir(parents=True)
    git(upstream, "init", "-q", "-b", "main", env=env)
    for key, value in (("user.name", "T"), ("user.email", "t@example.org"), ("commit.gpgsign", "false")):
        git(upstream, "config", key, value, env=env)
    (upstream / "digests" / "old.md").write_text(OLD_MD, encoding="utf-8")
    git(upstream, "add", ".", env=env)
    git(upstream, "commit", "-q", "-m", "old", env=env)
    subprocess.run(["transaudit", "check", "digests", "--write-baseline", "transaudit-baseline.json",
                    "--no-report", "--no-comet"], cwd=upstream, env=env, check=True, capture_output=True)
    git(upstream, "add", ".", env=env)
    git(upstream, "commit", "-q", "-m", "baseline", env=env)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone), env=env)
    for key, value in (("user.name", "T"), ("user.email", "t@example.org"), ("commit.gpgsign", "false")):
        git(clone, "config", key, value, env=env)
    git(clone, "checkout", "-q", "-b", "new-issue", env=env)
    (clone / "digests" / "new.md").write_text(NEW_MD, encoding="utf-8")
    git(clone, "add", ".", env=env)
    git(clone, "commit", "-q", "-m", "new issue", env=env)
    return clone


def run_step(script: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def action_step_env(**inputs) -> dict:
    """The gate step's script, and the environment GitHub gives it: each input or its default."""
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("name") == "Run the transaudit gate"]
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    values.update(inputs)
    env = {}
    for var, expr in step["env"].items():
        (name,) = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", expr).groups()
        env[var] = values[name]
    return step["run"], env


def test_action_gate_step_fails_a_pull_request_with_a_new_error(pull_request, env):
    script, step_env = action_step_env(baseline="transaudit-baseline.json", args="--no-comet")
    pr_env = dict(env, GITHUB_BASE_REF="main", **step_env)
    result = run_step(script, pull_request, pr_env)
    assert result.returncode == 1, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"::error file=digests/new.md,line={NEW_MD_ERROR_LINE},col=15,"
                           f"endLine={NEW_MD_ERROR_LINE},endColumn=53,title=TA204 untranslated_fragment::")
    assert "auditing 1 changed digest" in result.stderr

    (pull_request / "digests" / "new.md").write_text(NEW_MD_FIXED, encoding="utf-8")
    fixed = run_step(script, pull_request, pr_env)
    assert (fixed.returncode, fixed.stdout) == (0, ""), fixed.stderr


def test_action_on_push_audits_everything_against_the_baseline(pull_request, env):
    script, step_env = action_step_env(baseline="transaudit-baseline.json", args="--no-comet",
                                       **{"fail-on": "never"})
    result = run_step(script, pull_request, dict(env, **step_env))  # no GITHUB_BASE_REF: not a PR
    assert result.returncode == 0
    assert "changed digest" not in result.stderr  # the whole collection was audited
    assert "digests/new.md" in result.stdout and "digests/old.md" not in result.stdout  # old one baselined


def test_action_inputs_reach_scripts_only_through_the_environment():
    steps = ACTION["runs"]["steps"]
    for step in steps:
        assert "${{" not in step.get("run", ""), f"expression pasted into a script: {step.get('name')}"
    used = set(re.findall(r"inputs\.([\w-]+)", yaml.safe_dump(steps)))
    assert used <= set(ACTION["inputs"]), used - set(ACTION["inputs"])


def test_example_workflow_gate_step(pull_request, env):
    """The gate job runs the composite action with the workflow's inputs."""
    (step,) = [s for s in WORKFLOW["jobs"]["gate"]["steps"] if "/transaudit@" in s.get("uses", "")]
    script, step_env = action_step_env(**step["with"], args="--no-comet")
    result = run_step(script, pull_request, dict(env, GITHUB_BASE_REF="main", **step_env))
    assert result.returncode == 1
    assert result.stdout.startswith(f"::error file=digests/new.md,line={NEW_MD_ERROR_LINE},")


def test_example_workflow_sarif_step(pull_request, env):
    (step,) = [s for s in WORKFLOW["jobs"]["code-scanning"]["steps"] if s.get("name") == "SARIF for code scanning"]
    result = run_step(step["run"].replace("--no-report", "--no-report --no-comet"), pull_request, env)
    assert result.returncode == 0, result.stderr
    log = json.loads((pull_request / "transaudit.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"digests/new.md"}  # the old digest's findings are baselined


def test_pre_commit_hook_entry(tmp_path, env):
    (hook,) = HOOKS
    bad, good = tmp_path / "bad.md", tmp_path / "good.md"
    bad.write_text(NEW_MD, encoding="utf-8")
    good.write_text(NEW_MD_FIXED, encoding="utf-8")
    pattern = re.compile(hook["files"])
    assert pattern.search("digests/2023-01.md") and pattern.search("x.txt") and not pattern.search("base.json")
    entry = hook["entry"].split() + ["--no-comet"]
    failing = subprocess.run([*entry, "bad.md", "good.md"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert failing.returncode == 1 and f"bad.md:{NEW_MD_ERROR_LINE}: TA204" in failing.stdout
    passing = subprocess.run([*entry, "good.md"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert passing.returncode == 0, passing.stdout + passing.stderr
