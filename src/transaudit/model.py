"""Plain data passed between the stages: parse -> check -> score -> report.

Nothing here reads files, prints or imports heavy modules.
"""

from __future__ import annotations

import enum
import hashlib
import os
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """Ordered so that ``a >= b`` means "a is at least as serious as b"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:  # "error", as printed in every format
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


class BlockKind(str, enum.Enum):
    """What one element of a digest is. Every non-blank line belongs to one block."""

    HEADING = "heading"  # overview / original-article / other headings
    PAPER_TITLE = "paper_title"
    SECTION = "section"  # पेपर परिचय, पेपर सारांश, पेपर लिंक, और पढ़ें ...
    PARAGRAPH = "paragraph"  # Hindi slot (bullet or plain paragraph)
    QUOTE = "quote"  # English original (`> `)
    LINK = "link"
    TEXT = "text"  # overview prose, boilerplate, comment line, anything else
    RULE = "rule"  # markdown `---`
    COMMENT = "comment"  # markdown HTML comment (suppressions live here)


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str  # content without layout markers, lines joined with "\n"
    line: int  # 1-based first line
    end_line: int  # 1-based last line
    paper: str | None = None  # title of the paper the block belongs to
    section: str | None = None  # name of the section heading above it


@dataclass(frozen=True)
class Segment:
    """A Hindi paragraph paired with its English original; either side may be missing.

    ``translation_line``/``source_line`` are 1-based and ``None`` when that side is absent.
    ``source_quoted`` is False when the English original was found without its quote marker.
    """

    index: int
    translation: str | None
    source: str | None
    translation_line: int | None = None
    translation_end_line: int | None = None
    source_line: int | None = None
    source_end_line: int | None = None
    source_quoted: bool = True
    paper: str | None = None
    section: str | None = None
    # a parallel file's optional ``reference`` column: a corrected translation (issue 14)
    reference: str | None = None

    @property
    def line(self) -> int:
        """Line a finding about the pair as a whole points at (the Hindi paragraph first)."""
        return self.translation_line or self.source_line or 1

    @property
    def is_pair(self) -> bool:
        return self.translation is not None and self.source is not None


@dataclass
class Paper:
    title: str
    line: int
    end_line: int
    sections: list[str] = field(default_factory=list)


@dataclass
class Document:
    """A parsed digest or parallel file. ``lines`` are the decoded lines, nothing dropped."""

    path: str
    layout: str  # "text", "markdown" or "parallel"
    lines: list[str]
    blocks: list[Block] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""


@dataclass(frozen=True)
class Span:
    """A stretch of a digest's text. Lines and columns are 1-based; columns count Unicode code
    points of the decoded line; ``end_column`` is exclusive (the column after the last
    character), as in SARIF and ruff."""

    line: int
    column: int
    end_line: int
    end_column: int

    def to_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column}


@dataclass(frozen=True)
class Edit:
    """Replace the text of ``span`` (same coordinates as :class:`Span`) with ``new_text``."""

    span: Span
    new_text: str

    def to_dict(self) -> dict:
        return {**self.span.to_dict(), "new_text": self.new_text}


@dataclass(frozen=True)
class Fix:
    """A mechanical remedy carried by a finding (ruff style). ``applicability`` is ``"safe"``
    (applied by ``--fix``) or ``"unsafe"`` (only with ``--unsafe-fixes``)."""

    applicability: str
    message: str
    edits: tuple[Edit, ...]

    def to_dict(self) -> dict:
        return {"applicability": self.applicability, "message": self.message,
                "edits": [e.to_dict() for e in self.edits]}


@dataclass(frozen=True)
class Finding:
    check: str  # stable code, e.g. "TA204"
    category: str  # e.g. "untranslated_fragment"
    severity: Severity
    file: str
    line: int
    end_line: int
    message: str
    excerpt: str = ""  # the offending span, verbatim from the digest
    suggestion: str | None = None  # a fix, where the check knows one
    paper: str | None = None
    section: str | None = None
    anchor: str = ""  # text the fingerprint is computed from (the line's content)
    occurrence: int = 0  # disambiguates identical findings within a file
    # exact offending text (schema 2); the first span gives column/end_column. Empty: a
    # structure finding with nothing to highlight.
    spans: tuple[Span, ...] = ()
    fix: Fix | None = None
    # ``file`` relative to the project root (project_root.py), set by ``check``; machine formats
    # and the fingerprint use it. Empty: ``file`` as given.
    root_file: str = ""

    @property
    def column(self) -> int | None:
        return self.spans[0].column if self.spans else None

    @property
    def end_column(self) -> int | None:
        """End column on ``end_line`` side of the first span (exclusive)."""
        return self.spans[0].end_column if self.spans else None

    @property
    def id(self) -> str:
        """Fingerprint that survives line shifts: content, not position."""
        key = "\x1f".join(
            # normpath: "./digests/a.md" and "digests/a.md" name one file, so a baseline written
            # from one spelling still matches a CI run that uses the other.
            [os.path.normpath(self.root_file or self.file), self.check, " ".join(self.anchor.split()), self.excerpt,
             str(self.occurrence)]
        )
        return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]  # a non-UTF-8 file name

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "file": self.root_file or self.file,
            "line": self.line,
            "end_line": self.end_line,
            "column": self.column,
            "end_column": self.end_column,
            "check": self.check,
            "category": self.category,
            "severity": str(self.severity),
            "message": self.message,
            "excerpt": self.excerpt,
            "suggestion": self.suggestion,
            "paper": self.paper,
            "section": self.section,
            "spans": [sp.to_dict() for sp in self.spans],
            "fix": self.fix.to_dict() if self.fix else None,
        }


@dataclass(frozen=True)
class InputError:
    """A file that could not be audited; reported as one line, the run goes on."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: error: {self.message}"


def finding_order(f: Finding) -> tuple:
    """The order findings are reported in: by file, line, check, then excerpt."""
    return f.file, f.line, f.check, f.excerpt

