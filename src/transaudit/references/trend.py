"""The per-digest score table: one row per digest in file-name order (weekly issues sort by name).

Built from an audit result in its JSON form, so ``check --format csv --by-digest``, the report's
chart and a saved result all read the same numbers. ``comet`` is the mean reference-based COMET
score of the digest's pairs (COMET's system score), ``comet_qe`` the mean reference-free one.
"""

from __future__ import annotations

COLUMNS = ["file", "reference", "pairs", "pairs_with_reference", "chrf", "bleu", "ter", "comet", "comet_qe",
           "findings"]


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 6) if values else None


def digest_rows(data: dict) -> list[dict]:
    """Rows of ``COLUMNS`` for every digest with pairs or findings, sorted by file name."""
    summary = data.get("summary") or {}
    scores = summary.get("by_file_reference") or {}
    qe: dict[str, list[float]] = {}
    pairs: dict[str, int] = {}
    for p in data.get("pairs") or []:
        file = p.get("file")
        pairs[file] = pairs.get(file, 0) + 1
        comet = p.get("comet")
        if isinstance(comet, dict) and isinstance(comet.get("score"), (int, float)):
            qe.setdefault(file, []).append(comet["score"])
    findings = summary.get("by_file") or {}
    files = sorted(set(pairs) | set(scores) | set(findings))
    rows = []
    for file in files:
        row = scores.get(file) or {}
        rows.append({"file": file, "reference": row.get("reference"), "pairs": pairs.get(file, row.get("pairs", 0)),
                     "pairs_with_reference": row.get("pairs_with_reference", 0), "chrf": row.get("chrf"),
                     "bleu": row.get("bleu"), "ter": row.get("ter"), "comet": row.get("comet"),
                     "comet_qe": _mean(qe.get(file, [])), "findings": findings.get(file, 0)})
    return rows
