"""Paths relative to one root: a baseline written at the top of a repository matches runs from a
subdirectory and with absolute paths, and SARIF, GitHub annotations, JUnit and JSON name files
the way the checkout does, whatever the working directory."""

from __future__ import annotations

import json
import os
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gate_digests import NEW_MD, NEW_MD_ERROR_LINE, OLD_MD, OLD_MD_ERROR_LINE, OLD_TXT
from test_gate_e2e import _env, git, transaudit
from transaudit.project_root import ProjectRoot, find_root


@pytest.fixture
def repo(tmp_path):
    env = _env(tmp_path)
    root = tmp_path / "repo"
    (root / "digests" / "2023").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main", env=env)
    (root / "digests" / "2023" / "01.md").write_text(OLD_MD, encoding="utf-8")
    (root / "digests" / "2023" / "02.txt").write_text(OLD_TXT, encoding="utf-8")
    (root / "digests" / "new.md").write_text(NEW_MD, encoding="utf-8")
    return root, env


# (working directory relative to the repo, the path argument; "{root}" is the repo's absolute path)
SPELLINGS = [
    (".", "digests"),
    (".", "./digests/"),
    (".", "{root}/digests"),
    ("digests", "."),
    ("digests", "{root}/digests"),
    ("digests/2023", ".."),
    ("digests/2023", "../../digests"),
]


def _run(root: Path, env, cwd: str, path: str, *args: str):
    return transaudit(root / cwd, path.format(root=root), *args, env=env)


def test_baseline_from_the_root_matches_every_spelling(repo):
    root, env = repo
    wrote = transaudit(root, ".", "--write-baseline", "transaudit-baseline.json", env=env)
    assert wrote.returncode == 0, wrote.stderr
    entries = json.loads((root / "transaudit-baseline.json").read_text("utf-8"))["findings"]
    assert {e["file"] for e in entries} == {"digests/2023/01.md", "digests/2023/02.txt", "digests/new.md"}

    for cwd, path in SPELLINGS:
        baseline = os.path.relpath(root / "transaudit-baseline.json", root / cwd)
        proc = _run(root, env, cwd, path, "--baseline", baseline)
        assert proc.returncode == 0, (cwd, path, proc.stdout, proc.stderr)
        assert proc.stdout == "", (cwd, path)
        assert "matched nothing" not in proc.stderr


def test_a_new_finding_still_fails_from_a_subdirectory(repo):
    root, env = repo
    (root / "digests" / "new.md").rename(root / "new.md.keep")
    assert transaudit(root, ".", "--write-baseline", "b.json", env=env).returncode == 0
    (root / "new.md.keep").rename(root / "digests" / "new.md")
    proc = _run(root, env, "digests/2023", "..", "--baseline", "../../b.json", "--format", "github")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"::error file=digests/new.md,line={NEW_MD_ERROR_LINE},"), proc.stdout


def test_machine_formats_agree_whatever_the_working_directory(repo):
    root, env = repo
    seen = {}
    for cwd, path in SPELLINGS:
        github = _run(root, env, cwd, path, "--format", "github").stdout
        sarif = json.loads(_run(root, env, cwd, path, "--format", "sarif").stdout)
        data = json.loads(_run(root, env, cwd, path, "--format", "json").stdout)
        junit = ET.fromstring(_run(root, env, cwd, path, "--format", "junit").stdout)

        files_gh = sorted(part.split("=", 1)[1] for line in github.splitlines()
                          for part in line.split("::")[1].split(" ", 1)[1].split(",")
                          if part.startswith("file="))
        run = sarif["runs"][0]
        locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
        assert all(loc["uriBaseId"] == "%SRCROOT%" for loc in locations)
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"
        files_sarif = sorted(loc["uri"] for loc in locations)
        files_json = sorted(f["file"] for f in data["findings"])
        ids = sorted(f["id"] for f in data["findings"])
        cases = sorted(c.get("file") for c in junit.iter("testcase"))
        assert files_gh == files_sarif == files_json, (cwd, path)
        assert "digests/2023/01.md" in files_json
        assert cases == ["digests/2023/01.md", "digests/2023/02.txt", "digests/new.md"]
        assert {p["file"] for p in data["pairs"]} <= set(cases)
        seen[(cwd, path)] = (files_json, ids)
    assert len({json.dumps(v) for v in seen.values()}) == 1, seen


def test_sarif_from_a_subdirectory_validates_and_links_to_the_docs(repo):
    from test_gate_formats import validate_sarif
    from transaudit.project_urls import CHECKS_HELP, HOMEPAGE

    root, env = repo
    log = json.loads(_run(root, env, "digests/2023", "..", "--format", "sarif").stdout)
    validate_sarif(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == HOMEPAGE
    assert driver["rules"] and all(rule["helpUri"] == CHECKS_HELP for rule in driver["rules"])
    assert "## Checks" in (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def test_waivers_exported_at_the_root_apply_from_a_subdirectory(repo):
    root, env = repo
    findings = json.loads(transaudit(root, ".", "--format", "json", env=env).stdout)["findings"]
    waived = findings[0]
    (root / "waivers.json").write_text(json.dumps({"version": 1, "tool": "transaudit", "waivers": [
        {"id": waived["id"], "decision": "not_a_mistake", "file": waived["file"], "line": waived["line"],
         "category": waived["category"]}]}), encoding="utf-8")
    proc = _run(root, env, "digests/2023", "..", "--format", "json", "--waivers", "../../waivers.json")
    after = json.loads(proc.stdout)["findings"]
    assert waived["id"] not in {f["id"] for f in after}
    assert len(after) == len(findings) - 1  # and no TA901 "unused waiver" in its place


def test_text_output_keeps_the_path_as_typed(repo):
    root, env = repo
    proc = _run(root, env, "digests", ".")
    assert f"2023/01.md:{OLD_MD_ERROR_LINE}: TA204" in proc.stdout


def test_entries_from_another_root_are_counted_on_stderr(repo):
    root, env = repo
    assert transaudit(root, ".", "--write-baseline", "b.json", env=env).returncode == 0
    data = json.loads((root / "b.json").read_text("utf-8"))
    for entry in data["findings"][1:]:  # as if written where "digests" was the root
        entry["file"] = entry["file"].removeprefix("digests/")
        entry["id"] = "0" * 16
    (root / "b.json").write_text(json.dumps(data), encoding="utf-8")
    proc = transaudit(root, "digests", "--baseline", "b.json", env=env)
    assert proc.returncode == 1
    n = len(data["findings"])
    assert f"{n - 1} of {n} baseline entries matched nothing: were the paths written from another root?" in proc.stderr


def test_root_outside_git_is_the_config_directory_then_the_cwd(tmp_path):
    env = _env(tmp_path)
    (tmp_path / "proj" / "digests").mkdir(parents=True)
    (tmp_path / "proj" / "transaudit.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    (tmp_path / "proj" / "digests" / "a.md").write_text(OLD_MD, encoding="utf-8")
    proc = transaudit(tmp_path / "proj" / "digests", ".", "--format", "json", env=env)
    assert [f["file"] for f in json.loads(proc.stdout)["findings"]] == ["digests/a.md"]
    (tmp_path / "proj" / "transaudit.toml").unlink()
    proc = transaudit(tmp_path / "proj" / "digests", ".", "--format", "json", env=env)
    assert [f["file"] for f in json.loads(proc.stdout)["findings"]] == ["a.md"]
    assert find_root(None, tmp_path).source == "cwd"


def test_relative_is_the_same_for_random_spellings(tmp_path, monkeypatch):
    rng = random.Random(11)
    root = tmp_path / "r"
    dirs = [root / "a", root / "a" / "b", root / "c" / "d" / "e"]
    for d in dirs:
        d.mkdir(parents=True)
    pr = ProjectRoot(root, "git")
    for _ in range(200):
        target = rng.choice(dirs) / f"f{rng.randrange(5)}.md"
        cwd = rng.choice([root, *dirs])
        monkeypatch.chdir(cwd)
        spelled = rng.choice([str(target), os.path.relpath(target, cwd),
                              "./" + os.path.relpath(target, cwd),
                              os.path.join(os.path.relpath(root, cwd), "a", "..", os.path.relpath(target, root))])
        assert pr.relative(spelled) == target.relative_to(root).as_posix(), (cwd, spelled)
    outside = tmp_path / "elsewhere.md"
    assert pr.relative(str(outside)) == outside.as_posix()
