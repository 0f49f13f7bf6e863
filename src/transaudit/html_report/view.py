"""Turn an audit result in its JSON form into what the template shows: digests, papers, items.

An item is a Hindi/English pair (with its findings attached by line) or, for a finding on a line
outside every pair (a duplicated heading, a Hindi paragraph with no English original), that
line on its own. Working from the dict form lets ``check`` and ``report RESULT.json`` share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transaudit.html_report.issue_text import report_body, report_href, report_title
from transaudit.html_report.reference_view import reference_view
from transaudit.html_report.spans import Piece, locate, mark_spans, split_marked

SEVERITIES = ("error", "warning", "info")
_SEVERITY_RANK = {s: i for i, s in enumerate(reversed(SEVERITIES), 1)}  # error highest
OUTSIDE_PAPERS = "Outside any paper"


@dataclass
class FindingView:
    data: dict  # the finding as in the JSON result
    why: str
    side: str  # where its span was marked: "hindi", "english", "line" or "" (not found)
    wrong_text: str
    report_text: str
    report_href: str | None
    fix_preview: object = None  # fixes.preview.BeforeAfter: the fix's lines before and after it
    # copied out of ``data`` as plain attributes: the template reads them for every finding
    id: str = field(init=False)
    file: str = field(init=False)
    line: int = field(init=False)
    end_line: int | None = field(init=False)
    check: str = field(init=False)
    category: str = field(init=False)
    severity: str = field(init=False)
    message: str = field(init=False)
    excerpt: str = field(init=False)
    suggestion: str | None = field(init=False)

    def __post_init__(self):
        d = self.data
        self.id, self.file, self.line, self.end_line = d["id"], d["file"], d["line"], d.get("end_line")
        self.check, self.category, self.severity = d.get("check", ""), d["category"], d["severity"]
        self.message, self.excerpt, self.suggestion = d.get("message", ""), d.get("excerpt") or "", d.get("suggestion")
        fix = d.get("fix") if isinstance(d.get("fix"), dict) else None
        self.fix_message = fix.get("message", "") if fix else ""
        self.fix_applicability = fix.get("applicability", "") if fix else ""


@dataclass
class ItemView:
    kind: str  # "pair" or "line"
    dom_id: str
    file: str
    line: int
    paper: str | None
    section: str | None
    hindi: list[Piece] = field(default_factory=list)  # for "line" items: the line's text
    english: list[Piece] = field(default_factory=list)
    hindi_lines: str = ""
    english_lines: str = ""
    score: float | None = None
    score_low: bool = False
    score_note: str = ""
    findings: list[FindingView] = field(default_factory=list)
    reference: object = None  # reference_view.ReferenceView: the word diff against a reference
    reference_missing: bool = False  # the run had references, this pair none

    @property
    def worst(self) -> str:
        if not self.findings:
            return ""
        return max((f.severity for f in self.findings), key=lambda s: _SEVERITY_RANK.get(s, 0))


@dataclass
class PaperView:
    title: str
    items: list[ItemView]


@dataclass
class DigestView:
    file: str
    dom_id: str
    papers: list[PaperView]
    findings: int
    pairs: int


def line_range(first: int | None, last: int | None) -> str:
    if not first:
        return ""
    return f"{first}" if not last or last == first else f"{first}–{last}"


def why_it_matters(docstring: str) -> str:
    """The "Why it matters:" paragraph of a check's docstring, joined into one line."""
    match = re.search(r"Why it matters:\s*(.+?)(?:\n\s*\n|\Z)", docstring or "", re.S)
    # Docstrings mark literal text ``like this``; a reader of the report needs no markup.
    return " ".join(match.group(1).replace("``", "").split()) if match else ""


def check_docs() -> dict[str, str]:
    """code -> why it matters (or the summary line where the docstring has no such paragraph)."""
    from transaudit.checks.base import registered

    return {code: why_it_matters(cls.documentation()) or cls.summary() for code, cls in registered().items()}


def _score(pair: dict) -> tuple[float | None, str]:
    """The pair's COMET score and a note on how it came about (chunks, cap, truncation, cache)."""
    comet = pair.get("comet")
    if not isinstance(comet, dict) or not isinstance(comet.get("score"), (int, float)):
        return None, ""
    notes = [f"COMET {comet.get('model') or ''}".strip()]
    chunks = [c for c in comet.get("chunks") or [] if isinstance(c, dict) and isinstance(c.get("score"), (int, float))]
    if len(chunks) > 1:
        weakest = min(chunks, key=lambda c: c["score"])
        notes.append(f"{len(chunks)} chunks, weakest {weakest['score']:.3f}: {weakest.get('translation', '')[:80]}")
    if comet.get("score_capped") and isinstance(comet.get("raw_score"), (int, float)):
        notes.append(f"capped from {comet['raw_score']:.3f} ({', '.join(comet.get('capped_by') or [])})")
    if comet.get("truncated"):
        notes.append("a sentence was truncated to fit the model")
    if comet.get("cached"):
        notes.append("cached")
    return float(comet["score"]), "; ".join(notes)


class _Builder:
    def __init__(self, data: dict, line_texts: dict[str, list[str]], docs: dict[str, str],
                 report_url: str | None):
        self.data = data
        self.line_texts = line_texts
        self.docs = docs
        self.report_url = report_url
        comet = (data.get("summary") or {}).get("comet")
        self.min_score = comet.get("min_score") if isinstance(comet, dict) else None

    def line_text(self, file: str, first: int, last: int | None) -> str:
        lines = self.line_texts.get(file) or []
        last = min(max(first, last or first), len(lines))  # a saved result may claim any range
        return "\n".join(lines[max(first, 1) - 1:last])

    def side_maps(self, file: str, sides: dict[str, tuple[int | None, str]]):
        """A TextMap per side (its first line and text), or None without the digest's lines."""
        lines = self.line_texts.get(file)
        if not lines:
            return None
        from transaudit.locate import TextMap

        return {name: TextMap(lines, first, text) for name, (first, text) in sides.items() if first and text}

    def fix_preview(self, f: dict):
        """The finding's fix as before/after lines, when the digest's lines are at hand."""
        lines = self.line_texts.get(f.get("file", ""))
        if not lines or not isinstance(f.get("fix"), dict):
            return None
        from transaudit.fixes.preview import before_after

        try:
            return before_after(lines, f["fix"])
        except (KeyError, TypeError, ValueError):  # a saved result with a malformed fix
            return None

    def finding_view(self, f: dict, paper, section, side_texts: dict[str, str], first_side: str,
                     english: str | None, maps=None) -> tuple[FindingView, list[tuple[str, int, int]]]:
        # Schema 2 findings carry their spans: exactly those are marked, and nothing when there
        # are none. A result without spans (schema 1), or a digest no longer readable or changed
        # under the spans, falls back to finding the excerpt.
        marks = mark_spans(f.get("spans") or [], maps) if maps is not None and "spans" in f else None
        if marks is None and "spans" in f and not f["spans"]:
            marks = []
        if marks is None:
            marks = []
            order = [first_side] + [s for s in side_texts if s != first_side]
            for name in order:
                where = locate(side_texts.get(name, ""), f.get("excerpt") or "")
                if where:
                    marks = [(name, *where)]
                    break
        side = marks[0][0] if marks else ""
        wrong = f.get("excerpt") or side_texts.get(first_side, "")
        body = report_body(f, paper, section, wrong, english)
        title = report_title(f)
        view = FindingView(
            data=f, why=self.docs.get(f.get("check", ""), ""), side=side, wrong_text=wrong,
            report_text=body, report_href=report_href(self.report_url, title, body),
            fix_preview=self.fix_preview(f),
        )
        return view, marks

    def pair_item(self, n: int, pair: dict, findings: list[dict]) -> ItemView:
        hindi, english = pair.get("translation") or "", pair.get("source") or ""
        src_first, src_last = pair.get("source_line"), pair.get("source_end_line")
        spans: dict[str, list] = {"hindi": [], "english": []}
        views = []
        # built only for pairs with findings: most pairs of a large report have none
        maps = self.side_maps(pair["file"], {"hindi": (pair.get("line"), hindi), "english": (src_first, english)}) \
            if findings else None
        for f in findings:
            on_english = bool(src_first) and src_first <= f["line"] <= (src_last or src_first)
            view, marks = self.finding_view(
                f, f.get("paper") or pair.get("paper"), f.get("section") or pair.get("section"),
                {"hindi": hindi, "english": english}, "english" if on_english else "hindi", english, maps,
            )
            views.append(view)
            for side, start, end in marks:
                spans[side].append((start, end, f["id"]))
        score, note = _score(pair)
        low = any(f.get("category") == "low_quality" for f in findings)
        if score is not None and isinstance(self.min_score, (int, float)):
            low = low or score < self.min_score
        return ItemView(
            kind="pair", dom_id=f"item-{n}", file=pair["file"], line=pair.get("line") or src_first or 0,
            paper=pair.get("paper"), section=pair.get("section"),
            hindi=split_marked(hindi, spans["hindi"]), english=split_marked(english, spans["english"]),
            hindi_lines=line_range(pair.get("line"), pair.get("end_line")),
            english_lines=line_range(src_first, src_last),
            score=score, score_low=low, score_note=note, findings=views,
            reference=reference_view(pair), reference_missing="reference" in pair and pair["reference"] is None,
        )

    def line_item(self, n: int, file: str, line: int, end_line: int | None, findings: list[dict]) -> ItemView:
        text = self.line_text(file, line, end_line)
        spans, views = [], []
        maps = self.side_maps(file, {"line": (line, text)})
        for f in findings:
            view, marks = self.finding_view(f, f.get("paper"), f.get("section"), {"line": text}, "line", None, maps)
            views.append(view)
            spans.extend((start, end, f["id"]) for _, start, end in marks)
        return ItemView(
            kind="line", dom_id=f"item-{n}", file=file, line=line, paper=findings[0].get("paper"),
            section=findings[0].get("section"), hindi=split_marked(text, spans),
            hindi_lines=line_range(line, end_line), findings=views,
        )

    def items(self) -> list[ItemView]:
        pairs = self.data.get("pairs") or []
        by_line: dict[tuple[str, int], int] = {}
        for i, p in enumerate(pairs):
            for first, last in ((p.get("line"), p.get("end_line")), (p.get("source_line"), p.get("source_end_line"))):
                if first:
                    for ln in range(first, max(first, last or first) + 1):
                        by_line.setdefault((p["file"], ln), i)
        attached: dict[int, list[dict]] = {}
        loose: dict[tuple[str, int], list[dict]] = {}
        for f in self.data.get("findings") or []:
            i = by_line.get((f["file"], f["line"]))
            if i is None:
                loose.setdefault((f["file"], f["line"]), []).append(f)
            else:
                attached.setdefault(i, []).append(f)
        out = [self.pair_item(i, p, attached.get(i, [])) for i, p in enumerate(pairs)]
        n = len(out)
        for (file, line), fs in loose.items():
            end = max((f.get("end_line") or line) for f in fs)
            out.append(self.line_item(n, file, line, end, fs))
            n += 1
        return out


def build_digests(data: dict, line_texts: dict[str, list[str]] | None = None,
                  docs: dict[str, str] | None = None, report_url: str | None = None) -> list[DigestView]:
    """Digests in path order, papers in document order, items by line."""
    items = _Builder(data, line_texts or {}, docs or {}, report_url).items()
    by_file: dict[str, list[ItemView]] = {}
    for item in items:
        by_file.setdefault(item.file, []).append(item)
    digests = []
    for d, file in enumerate(sorted(by_file)):
        papers: dict[str, list[ItemView]] = {}
        for item in sorted(by_file[file], key=lambda it: (it.line, it.kind)):
            papers.setdefault(item.paper or OUTSIDE_PAPERS, []).append(item)
        views = sorted((PaperView(t, its) for t, its in papers.items()), key=lambda p: p.items[0].line)
        digests.append(DigestView(
            file=file, dom_id=f"digest-{d}", papers=views,
            findings=sum(len(it.findings) for it in by_file[file]),
            pairs=sum(1 for it in by_file[file] if it.kind == "pair"),
        ))
    return digests
