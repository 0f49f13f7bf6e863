"""The reference stage: pairs and their references in, sacrebleu scores per pair, digest and run out.

Plain data in and out (the CLI attaches it to the audit result): ``records`` are the pairs'
``reference`` objects, ``by_file`` the per-digest scores (``summary.by_file_reference``) and
``summary()`` the run's (``summary.reference``). Reference-based COMET scores, when they ran,
are merged in by :meth:`ReferenceRun.add_comet`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transaudit.model import Document
from transaudit.references import metrics
from transaudit.references.matching import ReferencePair


@dataclass
class ReferenceRun:
    records: dict[tuple[str, int], dict | None] = field(default_factory=dict)
    by_file: dict[str, dict] = field(default_factory=dict)  # document path -> scores
    corpus: dict = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)
    pairs_with_reference: int = 0
    pairs_without_reference: int = 0
    comet: dict | None = None  # summary of the reference-based COMET scores, when they ran

    def summary(self) -> dict:
        return {**self.corpus, "signatures": self.signatures,
                "pairs_with_reference": self.pairs_with_reference,
                "pairs_without_reference": self.pairs_without_reference,
                "comet": self.comet}

    def add_comet(self, scores: dict[tuple[str, int], dict | None], summary: dict) -> None:
        """Put reference-based COMET records into the pairs and mean scores into each digest."""
        per_file: dict[str, list[float]] = {}
        for where, record in self.records.items():
            if record is None:
                continue
            comet = scores.get(where)
            record["comet"] = comet
            if comet is not None:
                per_file.setdefault(where[0], []).append(comet["score"])
        for path, row in self.by_file.items():
            values = per_file.get(path)
            # COMET's own system score is the mean of its segment scores.
            row["comet"] = round(sum(values) / len(values), 6) if values else None
        all_values = [v for values in per_file.values() for v in values]
        self.comet = {**summary, "score": round(sum(all_values) / len(all_values), 6) if all_values else None}


def score_references(documents: list[Document], references: dict[str, dict[int, ReferencePair]],
                     reference_files: dict[str, str | None], jobs: int = 1) -> ReferenceRun:
    """sacrebleu scores of every pair with a reference; ``references[path][index]``."""
    run = ReferenceRun()
    scorers = metrics.Scorers.create()
    order: list[tuple[str, int, ReferencePair, str]] = []
    for doc in documents:
        found = references.get(doc.path, {})
        for seg in doc.segments:
            if not seg.is_pair:
                continue
            ref = found.get(seg.index)
            if ref is None:
                run.records[(doc.path, seg.index)] = None
                run.pairs_without_reference += 1
            else:
                order.append((doc.path, seg.index, ref, seg.translation or ""))
    stats = metrics.extract(scorers, [t for *_, t in order], [r.text for _, _, r, _ in order], jobs=jobs)
    per_file: dict[str, list] = {}
    for (path, index, ref, _), st in zip(order, stats):
        run.records[(path, index)] = {"text": ref.text, "file": ref.file, "line": ref.line,
                                      **metrics.sentence_scores(scorers, st), "comet": None}
        per_file.setdefault(path, []).append(st)
    run.pairs_with_reference = len(order)
    for doc in documents:
        pairs = sum(1 for s in doc.segments if s.is_pair)
        mine = per_file.get(doc.path, [])
        run.by_file[doc.path] = {"reference": reference_files.get(doc.path), "pairs": pairs,
                                 "pairs_with_reference": len(mine), **metrics.corpus_scores(scorers, mine),
                                 "comet": None}
    run.corpus = metrics.corpus_scores(scorers, stats)
    run.signatures = scorers.signatures()
    return run
