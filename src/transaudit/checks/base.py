"""The Check base class, its context and the registry of checks.

A check is a small class: a stable ``code``, a ``category`` from the samples README, a
``default_severity`` and a docstring whose first line is the summary and which carries a
"Bad:" and a "Good:" example (``transaudit explain CODE`` prints it). Checks never read files,
print or import torch; they yield :class:`~transaudit.model.Finding` values.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import ClassVar, Iterable, Iterator

from transaudit.locate import excerpt_spans
from transaudit.model import Document, Finding, Fix, Segment, Severity, Span


@dataclass
class CheckContext:
    """What a check may look at besides the pair: the whole document and the settings."""

    document: Document
    settings: dict = field(default_factory=dict)
    # Shared per-run memo (e.g. language analysis of a text), so checks do not redo work.
    cache: dict = field(default_factory=dict)


class Check:
    """Base class. Override ``check_pair``, ``check_document`` or ``check_corpus``."""

    code: ClassVar[str] = ""
    category: ClassVar[str] = ""
    default_severity: ClassVar[Severity] = Severity.ERROR

    # -- hooks -----------------------------------------------------------------
    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        return iter(())

    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        return iter(())

    def check_corpus(self, docs: list[Document], settings: dict) -> Iterator[Finding]:
        """Findings that need every document at once (e.g. duplicates across digests)."""
        return iter(())

    # -- helpers ---------------------------------------------------------------
    @classmethod
    def summary(cls) -> str:
        doc = inspect.getdoc(cls) or ""
        return doc.splitlines()[0] if doc else ""

    @classmethod
    def documentation(cls) -> str:
        return inspect.getdoc(cls) or ""

    def finding(
        self,
        doc: Document,
        line: int,
        message: str,
        *,
        end_line: int | None = None,
        excerpt: str = "",
        suggestion: str | None = None,
        pair: Segment | None = None,
        severity: Severity | None = None,
        spans: Iterable[Span] | None = None,
        fix: Fix | None = None,
    ) -> Finding:
        """``spans``: the offending text (see :mod:`transaudit.locate`); ``()`` for a finding with
        nothing to highlight; None (not given): the excerpt where it occurs on the finding's lines.
        ``fix``: the mechanical remedy, where there is one (see :mod:`transaudit.fixes.build`)."""
        end_line = end_line or line
        if spans is None:
            spans = excerpt_spans(doc.lines, line, end_line, excerpt)
        return Finding(
            check=self.code,
            category=self.category,
            severity=severity or self.default_severity,
            file=doc.path,
            line=line,
            end_line=end_line,
            message=message,
            excerpt=excerpt,
            suggestion=suggestion,
            paper=pair.paper if pair else None,
            section=pair.section if pair else None,
            anchor=doc.line_text(line),
            spans=tuple(spans),
            fix=fix,
        )


_REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator; rejects duplicate codes and checks without both examples."""
    if not cls.code or not cls.category:
        raise TypeError(f"{cls.__name__} needs a code and a category")
    from transaudit.codes import CODES

    if CODES.get(cls.code) != cls.category:
        raise ValueError(f"{cls.code}/{cls.category} is not in the central table codes.CODES")
    if cls.code in _REGISTRY and _REGISTRY[cls.code] is not cls:
        raise ValueError(f"duplicate check code {cls.code}: {cls.__name__} and {_REGISTRY[cls.code].__name__}")
    doc = cls.documentation()
    if "Bad:" not in doc or "Good:" not in doc:
        raise TypeError(f"{cls.__name__} docstring needs 'Bad:' and 'Good:' examples")
    _REGISTRY[cls.code] = cls
    return cls


def registered() -> dict[str, type[Check]]:
    from transaudit import checks as _  # noqa: F401  (imports every check module)

    return dict(sorted(_REGISTRY.items()))


def select_checks(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Check]:
    """Instantiate the checks named by code or category (all when ``select`` is empty)."""
    table = registered()
    known = set(table) | {c.category for c in table.values()}

    def resolve(names: Iterable[str]) -> set[str]:
        out = set()
        for name in names:
            for part in name.split(","):
                part = part.strip()
                if not part:
                    continue
                if part not in known and part.upper() not in known:
                    raise ValueError(f"unknown check or category {part!r} (see 'transaudit checks')")
                out.add(part.upper() if part.upper() in table else part)
        return out

    chosen, dropped = resolve(select), resolve(ignore)

    def wanted(cls: type[Check], names: set[str]) -> bool:
        return cls.code in names or cls.category in names

    return [
        cls()
        for cls in table.values()
        if (not chosen or wanted(cls, chosen)) and not wanted(cls, dropped)
    ]
