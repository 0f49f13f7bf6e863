"""Scores meet rules: a copy of the source or a wrong-language pair is never shown as good.

COMET rates an untranslated copy of the source highly (COMET issue #192): source and
"translation" embed alike. The language checks already know better, so a pair they flag
keeps its raw COMET score for reference but its effective score is capped at 0 (the bottom of
the 0..1 scale, and no better than "below average" for z-score models) and it is marked
``score_capped`` with the categories that capped it. The language checks are run here
whatever ``--select``/``--ignore`` say, so the cap does not depend on which findings the user
asked to see.
"""

from __future__ import annotations

from transaudit.model import Document

CAP_CATEGORIES = ("english_in_translation", "wrong_language", "hindi_in_source")
COPY_OF_SOURCE = "copy_of_source"  # reason recorded when the translation is the source verbatim
CAPPED_SCORE = 0.0


def capping_categories(documents: list[Document], settings: dict | None = None
                       ) -> dict[tuple[str, int], list[str]]:
    """(file, pair index) -> why the pair is capped: language categories found on it, and
    ``copy_of_source`` when the translation is the source (after normalising whitespace)."""
    from transaudit.audit import run_checks
    from transaudit.checks.base import registered
    from transaudit.script import normalize

    checks = [cls() for cls in registered().values() if cls.category in CAP_CATEGORIES]
    findings = run_checks(documents, checks, settings or {}) if checks else []
    by_file: dict[str, list] = {}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    out: dict[tuple[str, int], list[str]] = {}
    for doc in documents:
        for seg in doc.segments:
            if not seg.is_pair:
                continue
            ranges = [(seg.translation_line, seg.translation_end_line or seg.translation_line),
                      (seg.source_line, seg.source_end_line or seg.source_line)]
            cats = {
                f.category
                for f in by_file.get(doc.path, [])
                if any(lo is not None and lo <= f.line <= hi for lo, hi in ranges)
            }
            if normalize(seg.translation or "") == normalize(seg.source or ""):
                cats.add(COPY_OF_SOURCE)
            if cats:
                out[(doc.path, seg.index)] = sorted(cats)
    return out


def cap(record: dict, categories: list[str]) -> dict:
    """The pair's record with the cap applied (the raw score kept as ``raw_score``)."""
    record = dict(record)
    record["raw_score"] = record["score"]
    record["score"] = min(record["score"], CAPPED_SCORE)
    record["score_capped"] = True
    record["capped_by"] = list(categories)
    return record
