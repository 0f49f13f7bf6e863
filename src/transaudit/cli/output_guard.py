"""Which paths a run reads, and the rules that keep its outputs off them.

Every command collects what it reads in :class:`Inputs` (the digests named or walked, parsed or
not, the baseline, the waivers, the config file, the score cache, a saved result) and names its
outputs (``-o``, ``--report``, ``--write-baseline``, ``$GITHUB_STEP_SUMMARY``) before anything is
written. :func:`overlap` then says, in one line, why an output may not be written: it is one of
the inputs, or two outputs are one file. Paths are compared by what they name on disk
(``os.path.samefile`` for files that exist, the real path for those that do not yet), so
``./x``, ``dir/../x``, a symlink or a hard link are all caught.

:func:`keeps_previous` is the second rule: a run that met an input error (a typo in a path, an
unreadable digest) never replaces an output an earlier run wrote; a report of half the corpus,
or of nothing, must not hide the last good one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Optional


def _real(path: str | os.PathLike) -> str:
    """The absolute real path, also for a file that does not exist yet (its folder resolved)."""
    return os.path.realpath(os.path.abspath(os.fsdecode(path)))


def same_target(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether writing ``a`` would write the file ``b`` names (links, ``..`` and ``./`` resolved)."""
    try:
        if os.path.samefile(a, b):  # hard links, bind mounts
            return True
    except (OSError, ValueError):
        pass
    try:
        return _real(a) == _real(b)
    except (OSError, ValueError):
        return False


@dataclass
class Inputs:
    """Every path a run reads, with what it is ("an input being audited", "the baseline" ...)."""

    paths: list[tuple[str, str]] = field(default_factory=list)

    def add(self, path: Optional[str | os.PathLike], what: str) -> None:
        if path is not None and os.fsdecode(path):
            self.paths.append((os.fsdecode(path), what))

    def add_all(self, paths: Iterable[str | os.PathLike], what: str) -> None:
        for path in paths:
            self.add(path, what)

    def matching(self, out: str | os.PathLike) -> tuple[str, str] | None:
        """The first input that ``out`` would overwrite, as (path, what)."""
        real_out = _real(out)
        for path, what in self.paths:
            try:
                if _real(path) == real_out or (os.path.exists(out) and same_target(out, path)):
                    return path, what
            except (OSError, ValueError):
                continue
        return None


def overlap(outputs: Iterable[tuple[str, Optional[str | os.PathLike]]], inputs: Inputs) -> str | None:
    """Why these outputs cannot be written, as one line, or None.

    ``outputs`` are (flag, path) pairs; a None path is an output not asked for.
    """
    named = [(flag, os.fsdecode(path)) for flag, path in outputs if path is not None and os.fsdecode(path)]
    for flag, out in named:
        hit = inputs.matching(out)
        if hit:
            path, what = hit
            also = "" if os.path.normpath(path) == os.path.normpath(out) else f" ({path})"
            return f"{out}: {flag} names {what}{also}; inputs are never written"
    for i, (flag, out) in enumerate(named):
        for other_flag, other in named[i + 1:]:
            if same_target(out, other):
                return f"{out}: {flag} and {other_flag} name the same file; give each output its own path"
    return None


def keeps_previous(path: Optional[str | os.PathLike], had_input_errors: bool) -> bool:
    """Whether an output must be left as it is: the run had input errors and a file is there."""
    if path is None or not had_input_errors:
        return False
    return os.path.lexists(path)


def kept_note(path: str | os.PathLike, what: str) -> str:
    return (f"{os.fsdecode(path)}: not replacing {what} because of the input errors above; "
            "the previous one is kept")
