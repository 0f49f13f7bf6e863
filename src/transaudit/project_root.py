"""The one root every machine-readable path is relative to.

A baseline written with ``transaudit check .`` at the top of a repository must still match
``cd digests && transaudit check .`` or ``transaudit check /abs/repo/digests``, and GitHub
annotations and SARIF locations must name files the way the checkout does. So fingerprints,
baselines, waivers, JSON, SARIF, JUnit and GitHub annotations all use paths relative to the
project root: the git top level when the working directory is inside a repository, else the
directory of the config file in use, else the working directory. Terminal text keeps the path
as the user typed it, so it stays clickable from where the command ran.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from transaudit.terminal_text import storable


@dataclass(frozen=True)
class ProjectRoot:
    path: Path  # absolute
    source: str  # "git", "config" or "cwd": how it was found, for messages

    def relative(self, file: str) -> str:
        """``file`` (as given on the command line) relative to the root, with ``/``; a file
        outside the root keeps its absolute path."""
        absolute = os.path.abspath(file)
        rel = _inside(absolute, str(self.path))
        if rel is None:
            # A symlinked checkout (/tmp -> /private/tmp): compare resolved directories, but keep
            # the file's own name, so a symlinked digest is not renamed to its target.
            real = os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
            rel = _inside(real, os.path.realpath(self.path))
        return (rel if rel is not None else absolute).replace(os.sep, "/")


def _inside(path: str, root: str) -> str | None:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive on Windows
        return None
    return None if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


def git_toplevel(cwd: Path) -> Path | None:
    try:
        proc = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True,
                              text=True, encoding="utf-8", errors="surrogateescape", check=False)
    except OSError:  # no git installed: not an error, the next rule decides
        return None
    top = proc.stdout.strip()
    return Path(top) if proc.returncode == 0 and top else None


def find_root(config_path: Path | None = None, cwd: Path | None = None) -> ProjectRoot:
    cwd = Path(cwd or os.getcwd()).absolute()
    top = git_toplevel(cwd)
    if top is not None:
        return ProjectRoot(top, "git")
    if config_path is not None:
        return ProjectRoot(Path(config_path).absolute().parent, "config")
    return ProjectRoot(cwd, "cwd")


def rebase_result(result, root: ProjectRoot) -> None:
    """Give every finding its root-relative path (which its fingerprint hashes) and let the
    result map document and error paths, before any gate step compares fingerprints."""
    result.root = root
    cache: dict[str, str] = {}

    def rel(file: str) -> str:
        if file not in cache:  # printed and hashed: a non-UTF-8 name as \xe9
            cache[file] = storable(root.relative(file))
        return cache[file]

    result.path_map = {d.path: rel(d.path) for d in result.documents}
    result.path_map.update({e.file: rel(e.file) for e in result.errors})
    result.findings = [replace(f, root_file=rel(f.file)) for f in result.findings]
