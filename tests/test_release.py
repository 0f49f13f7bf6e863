"""The release recipe and the install lines users copy: ``python -m build`` and ``twine check``
pass without deprecation warnings, the wheel works in a fresh virtualenv, and the example
workflow installs transaudit from its repository pinned to a tag (the name is not on the
package index), which resolves."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
import yaml

from transaudit import __version__

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "examples" / "github-workflow.yml"
ACTION = ROOT / "action.yml"
PINNED = re.compile(r"^git\+https://github\.com/[\w.-]+/transaudit@(?P<ref>v\d+\.\d+\.\d+|[0-9a-f]{40})$")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def _snapshot(dest: Path) -> Path:
    """The installable files of this working tree, without its build leftovers."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "src", dest / "src", ignore=skip)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)
    return dest


def _fresh_venv(where: Path) -> Path:
    """A new virtualenv that sees this test environment's dependencies (pandas, typer ...) but not
    its transaudit: only what gets installed into it provides ``transaudit``."""
    venv.EnvBuilder(with_pip=False).create(where)  # pip comes from outside: ``pip --python``
    python = where / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # A plain directory line in a .pth file: its own .pth files (our editable install) are not run.
    Path(site, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def _pip_into(python: Path, *args, **kw) -> subprocess.CompletedProcess:
    return _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", *args, **kw)


def _run(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    src = _snapshot(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("dist")
    proc = _run(sys.executable, "-m", "build", "--outdir", out, src, cwd=src)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, proc.stdout + proc.stderr


def test_build_has_no_deprecation_warnings(dist):
    out, log = dist
    assert sorted(p.name for p in out.iterdir()) == [f"transaudit-{__version__}-py3-none-any.whl",
                                                     f"transaudit-{__version__}.tar.gz"]
    assert "Deprecat" not in log and "deprecat" not in log, log


def test_twine_check_passes(dist):
    out, _ = dist
    proc = _run(sys.executable, "-m", "twine", "check", "--strict", *sorted(out.iterdir()))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2


def test_wheel_metadata_has_the_spdx_license(dist):
    import zipfile

    out, _ = dist
    wheel = next(out.glob("*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        meta = zf.read(f"transaudit-{__version__}.dist-info/METADATA").decode("utf-8")
        names = zf.namelist()
    assert "License-Expression: Apache-2.0" in meta
    assert "transaudit/templates/report.html.j2" in names and "transaudit/data/hindi_markers.txt" in names


def test_wheel_installs_and_runs_in_a_fresh_venv(dist, tmp_path):
    out, _ = dist
    python = _fresh_venv(tmp_path / "venv")
    proc = _pip_into(python, next(out.glob("*.whl")))
    assert proc.returncode == 0, proc.stderr
    assert "eprecat" not in proc.stdout + proc.stderr
    version = _run(tmp_path / "venv" / "bin" / "transaudit", "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"transaudit {__version__}"
    where = _run(python, "-c", "import transaudit; print(transaudit.__file__)").stdout
    assert where.startswith(str(tmp_path / "venv")), where
    audit = _run(tmp_path / "venv" / "bin" / "transaudit", "check", ROOT / "fixtures" / "digests",
                 "--no-comet", "--no-report", cwd=tmp_path)
    assert audit.returncode == 1 and "TA204 untranslated_fragment error" in audit.stdout


def _pip_requirements(text: str) -> list[str]:
    reqs = []
    for line in text.splitlines():
        m = re.search(r"pip install (.*)$", line)
        if m:
            args = [a.strip("'\"") for a in re.findall(r'"[^"]*"|\'[^\']*\'|\S+', m.group(1))]
            reqs.extend(a for a in args if not a.startswith("-"))
    return reqs


def test_workflow_never_installs_transaudit_by_bare_name():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = [s["uses"] for s in steps if "uses" in s and "/transaudit@" in s["uses"]]
    runs = "\n".join(s.get("run", "") for s in steps)
    reqs = _pip_requirements(runs)
    assert uses or reqs, "the workflow installs transaudit somehow"
    for ref in uses:  # the composite action, at a release tag or a commit
        assert re.fullmatch(r"[\w.-]+/transaudit@(v\d+\.\d+\.\d+|[0-9a-f]{40})", ref), ref
    for req in reqs:
        assert req.startswith("transaudit @ ") and PINNED.match(req.removeprefix("transaudit @ ")), req
    # the action's own install line: its checkout, or a pinned requirement
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    install = next(s["run"] for s in action["runs"]["steps"] if s.get("name") == "Install transaudit")
    assert '"${TA_PACKAGE:-$GITHUB_ACTION_PATH}"' in install
    assert "transaudit==" not in action["inputs"]["package"]["description"]


def test_workflow_install_line_resolves(tmp_path):
    """The workflow's pinned requirement, pointed at a local clone of the repository with the
    tag, installs transaudit at that version into a fresh virtualenv."""
    workflow = WORKFLOW.read_text(encoding="utf-8")
    reqs = [r for r in _pip_requirements(workflow) if r.startswith("transaudit @ ")]
    assert reqs
    env = {**os.environ, **GIT_ENV}
    repo = _snapshot(tmp_path / "repo")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "release"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    python = _fresh_venv(tmp_path / "venv")
    for req in reqs:
        m = PINNED.match(req.removeprefix("transaudit @ "))
        ref = m.group("ref")
        if ref.startswith("v"):
            assert ref == f"v{__version__}", "the workflow pins the current release"
            subprocess.run(["git", "tag", ref], cwd=repo, env=env, check=True, capture_output=True)
        local = f"transaudit @ git+{repo.as_uri()}@{ref}"
        proc = _pip_into(python, local, env=env)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        version = _run(tmp_path / "venv" / "bin" / "transaudit", "--version")
        assert version.stdout.strip() == f"transaudit {__version__}"


def test_project_urls_match_the_sarif_links():
    import tomllib

    from transaudit.project_urls import HOMEPAGE

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["urls"]["Homepage"] == HOMEPAGE
    assert data["project"]["license"] == "Apache-2.0"
    assert data["project"]["version"] == __version__  # what `transaudit --version` prints
