"""Score a JSON report against hand annotations: precision and recall per category.

A finding matches an annotation when both name the same file, line and category. Files match
when their normalised paths are equal or one is a path suffix of the other on a ``/`` boundary,
so an annotation may name ``107_c39a.txt`` or ``digests/107_c39a.txt`` for the report's
``fixtures/digests/107_c39a.txt``. Several findings of one category on one line count once:
an editor looks at a line per category, not at how many times a check fired there.

Annotations of files the report never mentions (no finding, pair or input error) are left out
and listed as skipped, so a report of a subset of the fixtures can still be scored.

Plain data in, plain data out; nothing here prints or decides an exit code (``cli.py`` does).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from transaudit.fileio import ReadError, read_json_file, read_text_file
from transaudit.terminal_text import display_path, printable

# Categories that rules cannot decide (meaning, model scores): shown, left out of the total.
NOT_RULE_DETECTABLE = frozenset({"mistranslation", "low_quality"})


class EvaluationInputError(ValueError):
    """A report or annotation file that cannot be scored; ``str(exc)`` is the one-line cause."""


@dataclass(frozen=True)
class Item:
    """One finding or one annotation, reduced to what matching needs."""

    file: str
    line: int
    category: str
    text: str = ""  # the finding's message or the annotation's note


@dataclass
class CategoryScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def add(self, other: "CategoryScore") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": self.precision, "recall": self.recall}


@dataclass
class Evaluation:
    categories: dict[str, CategoryScore]
    false_positives: list[Item] = field(default_factory=list)
    false_negatives: list[Item] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)

    @property
    def total(self) -> CategoryScore:
        """Sum over the rule-detectable categories."""
        out = CategoryScore()
        for name, score in self.categories.items():
            if name not in NOT_RULE_DETECTABLE:
                out.add(score)
        return out

    def to_dict(self) -> dict:
        return {
            "schema_version": 1,
            "categories": {name: s.to_dict() for name, s in self.categories.items()},
            "total": self.total.to_dict(),
            "not_rule_detectable": sorted(NOT_RULE_DETECTABLE),
            "false_positives": [asdict(i) for i in self.false_positives],
            "false_negatives": [asdict(i) for i in self.false_negatives],
            "skipped_files": self.skipped_files,
        }


# -- matching --------------------------------------------------------------------------


def normalise_path(path: str) -> str:
    """``./a\\b/c.md`` -> ``a/b/c.md``: separators, dots and duplicate slashes do not matter."""
    parts = [p for p in PurePosixPath(path.replace("\\", "/")).parts if p not in (".", "")]
    return "/".join(parts)


def same_file(a: str, b: str) -> bool:
    a, b = normalise_path(a), normalise_path(b)
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return bool(short) and long.endswith("/" + short)


def evaluate(findings: list[Item], annotations: list[Item], *, report_files: set[str] | None = None,
             category: str | None = None) -> Evaluation:
    """Match findings to annotations by (file, line, category) and count TP, FP and FN."""
    findings = _unique(findings)
    annotations = _unique(annotations)
    skipped: list[str] = []
    if report_files is not None:
        known = list(report_files) + [f.file for f in findings]
        kept = [a for a in annotations if any(same_file(a.file, k) for k in known)]
        skipped = sorted({a.file for a in annotations if a not in kept})
        annotations = kept
    if category:
        findings = [f for f in findings if f.category == category]
        annotations = [a for a in annotations if a.category == category]

    by_key: dict[tuple[int, str], list[Item]] = {}
    for f in findings:
        by_key.setdefault((f.line, f.category), []).append(f)
    matched: set[Item] = set()
    misses: list[Item] = []
    for ann in annotations:
        hit = next((f for f in by_key.get((ann.line, ann.category), [])
                    if f not in matched and same_file(f.file, ann.file)), None)
        if hit is None:
            misses.append(ann)
        else:
            matched.add(hit)
    false_pos = [f for f in findings if f not in matched]

    names = sorted({i.category for i in findings} | {a.category for a in annotations} | ({category} if category else set()))
    scores = {name: CategoryScore() for name in names}
    for f in findings:
        if f in matched:
            scores[f.category].tp += 1
    for f in false_pos:
        scores[f.category].fp += 1
    for a in misses:
        scores[a.category].fn += 1
    order = lambda i: (normalise_path(i.file), i.line, i.category)  # noqa: E731
    return Evaluation(scores, sorted(false_pos, key=order), sorted(misses, key=order), skipped)


def _unique(items: list[Item]) -> list[Item]:
    """First item per (file, line, category), in input order."""
    seen: set[tuple[str, int, str]] = set()
    out = []
    for item in items:
        key = (normalise_path(item.file), item.line, item.category)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# -- reading inputs ----------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        return read_text_file(path)
    except ReadError as exc:
        raise EvaluationInputError(str(exc)) from None


def _item(raw, where: str, text_key: str) -> Item:
    if not isinstance(raw, dict):
        raise EvaluationInputError(f"{where}: expected an object, got {type(raw).__name__}")
    missing = [k for k in ("file", "line", "category") if k not in raw]
    if missing:
        raise EvaluationInputError(f"{where}: missing {', '.join(missing)}")
    line, file, category = raw["line"], raw["file"], raw["category"]
    if isinstance(line, bool) or not isinstance(line, int) or line < 1:
        raise EvaluationInputError(f"{where}: line must be a positive integer, not {line!r}")
    if not isinstance(file, str) or not file.strip():
        raise EvaluationInputError(f"{where}: file must be a non-empty string")
    if not isinstance(category, str) or not category.strip():
        raise EvaluationInputError(f"{where}: category must be a non-empty string")
    return Item(file=file, line=line, category=category, text=str(raw.get(text_key) or ""))


def load_report(path: Path) -> tuple[list[Item], set[str]]:
    """Findings of a ``check --format json`` result, and every file the result mentions."""
    try:
        data = read_json_file(path)
    except ReadError as exc:
        raise EvaluationInputError(str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise EvaluationInputError(f"{path}: not a transaudit JSON result (no 'findings' list)")
    from transaudit.json_inputs import RESULT_VERSIONS

    if "schema_version" in data and data["schema_version"] not in RESULT_VERSIONS:
        raise EvaluationInputError(f"{path}: unsupported schema_version {data['schema_version']!r:.40} "
                                   f"(this transaudit reads {' and '.join(map(str, RESULT_VERSIONS))})")
    findings = [_item(raw, f"{path}: finding {i + 1}", "message") for i, raw in enumerate(data["findings"])]
    files = {f.file for f in findings}
    for key in ("pairs", "errors"):
        for entry in data.get(key) or []:
            if isinstance(entry, dict) and isinstance(entry.get("file"), str):
                files.add(entry["file"])
    return findings, files


def load_annotations(path: Path, categories: frozenset[str] | None = None) -> list[Item]:
    """One JSON object per line; blank lines are allowed. ``categories``: the known ones, so a
    misspelt category is an input error rather than a silent false negative."""
    items = []
    for number, line in enumerate(_read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationInputError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
        except RecursionError:
            raise EvaluationInputError(f"{path}:{number}: invalid JSON: nested too deeply to read") from None
        item = _item(raw, f"{path}:{number}", "note")
        if categories is not None and item.category not in categories:
            raise EvaluationInputError(f"{path}:{number}: unknown category {item.category!r}")
        items.append(item)
    return items


# -- rendering ----------------------------------------------------------------------------


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render_text(result: Evaluation) -> str:
    width = max([len(n) + 1 for n in result.categories] + [len("total (rule-detectable)")])
    head = f"{'category':<{width}}  {'TP':>4} {'FP':>4} {'FN':>4}  {'precision':>9} {'recall':>7}"
    rows = [head, "-" * len(head)]

    def row(name: str, s: CategoryScore) -> str:
        return f"{name:<{width}}  {s.tp:>4} {s.fp:>4} {s.fn:>4}  {_ratio(s.precision):>9} {_ratio(s.recall):>7}"

    for name, score in result.categories.items():
        rows.append(row(name + ("*" if name in NOT_RULE_DETECTABLE else ""), score))
    rows.append("-" * len(head))
    rows.append(row("total (rule-detectable)", result.total))
    if any(n in NOT_RULE_DETECTABLE for n in result.categories):
        rows.append("* not rule-detectable; left out of the total")
    for title, items in (("false positives", result.false_positives), ("false negatives", result.false_negatives)):
        rows.append("")
        rows.append(f"{title} ({len(items)}):")
        rows.extend(f"  {display_path(i.file)}:{i.line} {i.category}: {printable(i.text)}" for i in items)
    if result.skipped_files:
        rows.append("")
        rows.append(f"skipped annotations of {len(result.skipped_files)} file(s) not in the report: "
                    + ", ".join(map(printable, result.skipped_files)))
    return "\n".join(rows) + "\n"


def render_json(result: Evaluation) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
