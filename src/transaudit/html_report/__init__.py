"""The self-contained HTML report: one file, inline CSS and JS, no network, works from file://.

``render_report(result_dict)`` renders the JSON form of an audit result (what ``--format json``
writes), so ``check`` and ``report RESULT.json`` produce the same page. Rendering is jinja2
with autoescaping; the data the page script needs travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and a content
security policy allows only the page's own script (by hash) and no requests at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from functools import lru_cache
from importlib import resources
from typing import Iterable

DEFAULT_REPORT_PATH = "reports/transaudit-report.html"
TEMPLATE = "report.html.j2"


def _static(name: str) -> str:
    return resources.files("transaudit").joinpath("templates", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    from transaudit.html_report.spans import pieces_html

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("transaudit", "templates"),
        autoescape=True,  # every template, whatever its extension
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["marked"] = pieces_html  # a filter, not a macro: macros are slow per call
    return env


def json_for_script(data) -> str:
    """JSON safe inside <script>: no "</script>", "<!--" or "&" can end or alter the block."""
    from transaudit.terminal_text import storable

    text = storable(json.dumps(data, ensure_ascii=False, separators=(",", ":")), in_json=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _csp_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def read_line_texts(files: Iterable[str]) -> dict[str, list[str]]:
    """Lines of the digests a saved result names, where they are still readable (never written)."""
    # The parser's own reader: same decoding and line numbers as the audit, and a FIFO or a
    # device is refused instead of blocking the report.
    from transaudit.parsing.decode import DecodeProblem, decode_bytes, split_lines
    from transaudit.parsing.loader import ReadProblem, read_bytes

    out = {}
    for file in files:
        try:
            out[file] = split_lines(decode_bytes(read_bytes(file)))
        except (ReadProblem, DecodeProblem):
            continue
    return out


def render_report(data: dict, *, line_texts: dict[str, list[str]] | None = None, report_url: str | None = None,
                  decisions: dict[str, str] | None = None, carried_waivers: list[dict] | None = None,
                  waivers_file: str | None = None, docs: dict[str, str] | None = None) -> str:
    """The HTML page for an audit result in its JSON form.

    ``line_texts``: lines per digest, to show findings that sit outside every pair.
    ``decisions``: triage decisions already known (finding id -> "confirmed"/"not_a_mistake").
    ``carried_waivers``: waivers that hid findings in this run; the page's export keeps them.
    """
    from markupsafe import Markup

    from transaudit.html_report.overview import count_tables, score_histogram
    from transaudit.html_report.reference_view import trend_chart
    from transaudit.references.trend import digest_rows
    from transaudit.html_report.view import SEVERITIES, build_digests, check_docs

    if docs is None:
        docs = check_docs()
    digests = build_digests(data, line_texts, docs, report_url)
    findings = data.get("findings") or []
    scores = [p["comet"]["score"] for p in data.get("pairs") or []
              if isinstance(p.get("comet"), dict) and isinstance(p["comet"].get("score"), (int, float))]
    cap = data.get("report_cap")  # a large run: the page shows part of it (at_scale.py)
    if cap:
        from transaudit.html_report import at_scale

        scores = at_scale.all_scores(cap)
    summary = data.get("summary") or {}
    tool = data.get("tool") or {}
    comet = summary.get("comet") if isinstance(summary.get("comet"), dict) else {}

    trend_rows = digest_rows(data) if isinstance(summary.get("reference"), dict) else []
    trend = trend_chart(trend_rows) if trend_rows else None
    page_data = {
        "findings": {v.data["id"]: {
            "id": v.data["id"], "file": v.data["file"], "line": v.data["line"], "category": v.data["category"],
            "severity": v.data["severity"], "check": v.data["check"], "excerpt": v.data.get("excerpt") or "",
            "report": v.report_text,
        } for d in digests for p in d.papers for it in p.items for v in it.findings},
        "decisions": decisions or {},
        "carried": carried_waivers or [],
        "signature": tool.get("signature") or summary.get("signature") or "",
    }
    script = _static("report.js")
    return _environment().get_template(TEMPLATE).render(
        digests=digests,
        tables=at_scale.count_tables(cap) if cap else count_tables(data),
        cap_note=at_scale.cap_note(cap) if cap else "",
        histogram=score_histogram(scores),
        trend=trend,
        trend_rows=trend_rows,
        summary=summary,
        tool=tool,
        comet=comet or {},
        errors=data.get("errors") or [],
        severities=[s for s in SEVERITIES],
        categories=sorted({f["category"] for f in findings}),
        files=[d.file for d in digests],
        n_findings=cap["findings"] if cap else len(findings),
        n_pairs=cap["pairs"] if cap else len(data.get("pairs") or []),
        waivers_file=waivers_file,
        n_carried=len(carried_waivers or []),
        report_url=report_url,
        page_json=Markup(json_for_script(page_data)),
        css=Markup(_static("report.css")),
        script=Markup(script),
        script_hash=_csp_hash(script),
    )


def write_report(path: str | os.PathLike, data: dict, **kwargs) -> None:
    """Render and write atomically (the page appears whole or not at all)."""
    from transaudit.fileio import write_atomic
    from transaudit.terminal_text import storable

    write_atomic(path, storable(render_report(data, **kwargs)))  # a non-UTF-8 file name as \xe9


def result_problem(data) -> str | None:
    """Why ``data`` is not an audit result in its JSON form that the report can show, or None."""
    if not isinstance(data, dict):
        return "expected a JSON object"
    for key in ("findings", "pairs"):
        if not isinstance(data.get(key), list):
            return f"needs a '{key}' list"
    for n, f in enumerate(data["findings"], 1):
        if not isinstance(f, dict):
            return f"finding {n} is not an object"
        for key, kind in (("id", str), ("file", str), ("line", int), ("category", str), ("severity", str),
                          ("check", str), ("message", str)):
            if not isinstance(f.get(key), kind):
                return f"finding {n} lacks '{key}'"
    for n, p in enumerate(data["pairs"], 1):
        if not isinstance(p, dict) or not isinstance(p.get("file"), str):
            return f"pair {n} lacks 'file'"
        for key in ("line", "end_line", "source_line", "source_end_line"):
            if p.get(key) is not None and not isinstance(p[key], int):
                return f"pair {n}: '{key}' is not a line number"
        for key in ("source", "translation"):
            if p.get(key) is not None and not isinstance(p[key], str):
                return f"pair {n}: '{key}' is not text"
    return None
