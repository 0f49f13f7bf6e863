"""Run the checks over parsed documents and collect an audit result (plain data)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from transaudit import __version__
from transaudit.checks.base import Check, CheckContext
from transaudit.gate.suppressions import apply_suppressions
from transaudit.model import Document, Finding, InputError, finding_order

SCHEMA_VERSION = 2


@dataclass
class AuditResult:
    documents: list[Document]
    findings: list[Finding]
    errors: list[InputError] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    # per pair extras keyed by (file, index): e.g. {"comet": {...}}; filled by later stages
    pair_extras: dict[tuple[str, int], dict] = field(default_factory=dict)
    summary_extras: dict = field(default_factory=dict)
    # set by project_root.rebase_result: the root, and document/error path -> root-relative path
    root: object = None
    path_map: dict[str, str] = field(default_factory=dict)
    # --no-pairs: the JSON's "pairs" list is left empty (summary.pairs still counts them)
    include_pairs: bool = True

    def path_of(self, file: str) -> str:
        """The path machine formats print for a document or error path."""
        return self.path_map.get(file, file)

    def signature(self) -> str:
        """Reproducibility signature, sacrebleu style."""
        parts = [f"transaudit:{__version__}", f"checks:{len(self.checks)}"]
        comet = self.summary_extras.get("comet")
        if comet and comet.get("model"):
            parts.append(f"comet:{comet['model']}")
        return "|".join(parts)

    def summary(self) -> dict:
        by_sev = Counter(str(f.severity) for f in self.findings)
        by_cat = Counter(f.category for f in self.findings)
        by_file = Counter(f.root_file or f.file for f in self.findings)
        out = {
            "files": len(self.documents),
            "pairs": sum(1 for d in self.documents for s in d.segments if s.is_pair),
            "findings": len(self.findings),
            "by_severity": {k: by_sev.get(k, 0) for k in ("error", "warning", "info")},
            "by_category": dict(sorted(by_cat.items())),
            "by_file": dict(sorted(by_file.items())),
            "input_errors": len(self.errors),
            "signature": self.signature(),
        }
        out.update(self.summary_extras)
        return out

    def to_dict(self) -> dict:
        pairs = []
        for doc in self.documents if self.include_pairs else ():
            for seg in doc.segments:
                if not seg.is_pair:
                    continue
                item = {
                    "file": self.path_of(doc.path),
                    "index": seg.index,
                    "line": seg.translation_line,
                    "end_line": seg.translation_end_line,
                    "source_line": seg.source_line,
                    "source_end_line": seg.source_end_line,
                    "paper": seg.paper,
                    "section": seg.section,
                    "source": seg.source,
                    "translation": seg.translation,
                }
                item.update(self.pair_extras.get((doc.path, seg.index), {}))
                pairs.append(item)
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "transaudit", "version": __version__, "checks": self.checks,
                     "signature": self.signature()},
            "findings": [f.to_dict() for f in self.findings],
            "pairs": pairs,
            "errors": [{"file": self.path_of(e.file), "message": e.message} for e in self.errors],
            "summary": self.summary(),
        }


def _number_occurrences(findings: list[Finding]) -> list[Finding]:
    """Give identical findings in one file distinct fingerprints, in document order."""
    seen: Counter = Counter()
    out = []
    for f in findings:
        key = (f.file, f.check, f.anchor, f.excerpt)
        n = seen[key]
        seen[key] += 1
        if n:
            f = replace(f, occurrence=n)
        out.append(f)
    return out


def run_checks(documents: list[Document], checks: list[Check], settings: dict | None = None,
               jobs: int = 1) -> list[Finding]:
    settings = settings or {}
    findings: list[Finding] | None = None
    if jobs > 1:  # the same findings in the same order, from worker processes (stream_audit.py)
        from transaudit.stream_audit import check_in_workers

        findings = check_in_workers(documents, checks, settings, jobs)
    if findings is None:
        findings = []
        for doc in documents:
            ctx = CheckContext(document=doc, settings=settings)
            for check in checks:
                findings.extend(check.check_document(doc, ctx))
                for seg in doc.segments:
                    findings.extend(check.check_pair(seg, ctx))
    for check in checks:
        findings.extend(check.check_corpus(documents, settings))
    # In-document suppressions (Markdown comments) act here, so every caller honours them;
    # the same stage reports unused ones as TA901 when that check is selected.
    findings = apply_suppressions(documents, findings, checks)
    findings.sort(key=finding_order)
    return _number_occurrences(findings)


def audit(documents: list[Document], checks: list[Check], errors: list[InputError] | None = None,
          settings: dict | None = None, jobs: int = 1) -> AuditResult:
    return AuditResult(
        documents=documents,
        findings=run_checks(documents, checks, settings, jobs),
        errors=list(errors or []),
        checks=[c.code for c in checks],
    )
