"""Which digests changed since a git ref: committed on this branch, staged, unstaged or untracked.

``--changed-since main`` audits only those, so a pull request is judged on the issue it adds or
edits. Committed changes are taken from the merge base of the ref and ``HEAD`` (what a pull
request shows), so digests that changed on ``main`` after the branch was cut are not pulled in;
without a merge base the ref itself is the base. Deleted files are not audited.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Iterable

from transaudit.gate import GateError


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", errors="surrogateescape", check=False)
    except FileNotFoundError:
        raise GateError("--changed-since needs git, which is not installed") from None


def _toplevel(cwd: Path) -> Path:
    proc = _git(["rev-parse", "--show-toplevel"], cwd)
    if proc.returncode != 0:
        raise GateError(f"--changed-since: {cwd} is not inside a git repository")
    return Path(proc.stdout.strip())


def _base(ref: str, top: Path) -> str:
    # --end-of-options: a ref that starts with "-" is a ref, never an option.
    proc = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise GateError(f"--changed-since: unknown git ref {ref!r}")
    commit = proc.stdout.strip()
    merge_base = _git(["merge-base", commit, "HEAD"], top)
    return merge_base.stdout.strip() if merge_base.returncode == 0 and merge_base.stdout.strip() else commit


def _names(proc: subprocess.CompletedProcess, what: str) -> list[str]:
    if proc.returncode != 0:
        raise GateError(f"--changed-since: git {what} failed: {' '.join(proc.stderr.split())}")
    return [name for name in proc.stdout.split("\0") if name]


def changed_files(ref: str, cwd: Path | None = None) -> set[Path]:
    """Resolved paths of files added or modified since ``ref``, uncommitted and untracked included."""
    cwd = Path(cwd or Path.cwd())
    top = _toplevel(cwd)
    base = _base(ref, top)
    diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", base, "--"], top)
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard"], top)
    names = _names(diff, "diff") + _names(untracked, "ls-files")
    return {(top / name).resolve() for name in names}


def candidate_files(paths: Iterable[str], include=(), exclude=()) -> list[str]:
    """The files a full run would audit, named as a full run names them (findings match baselines)."""
    from transaudit.parsing.loader import walk_directory

    out: list[str] = []
    for given in paths:
        out.extend(walk_directory(given, include, exclude) if os.path.isdir(given) else [given])
    return out


def changed_digests(ref: str, paths: Iterable[str], include=(), exclude=(),
                    cwd: Path | None = None) -> list[str]:
    """The digests under ``paths`` that changed since ``ref``, in the order a full run audits them.

    A path that does not exist is kept, so the run reports it as an input error (exit 2) instead
    of a mistyped folder silently auditing nothing.
    """
    changed = changed_files(ref, cwd)
    paths = list(paths)
    missing = [p for p in paths if not os.path.lexists(p)]
    present = [p for p in paths if os.path.lexists(p)]
    return missing + [p for p in candidate_files(present, include, exclude) if Path(p).resolve() in changed]
