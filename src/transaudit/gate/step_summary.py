"""A Markdown summary for the GitHub Actions job page (``$GITHUB_STEP_SUMMARY``).

GitHub renders the file as Markdown with HTML allowed, so digest text in messages is escaped:
a ``<script>`` in a Hindi paragraph must show as text. Appended, never rewritten: other steps of
the job write to the same file.
"""

from __future__ import annotations

import os
import re

MAX_ROWS = 100  # the job page gets slow with more; the full list is in the other outputs


def _cell(text: str) -> str:
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "&#96;")
    return re.sub(r"([\\*_\[\]|~])", r"\\\1", text)


def render_summary(result) -> str:
    findings = result.findings
    gate = result.summary_extras.get("gate") or {}
    counts = {s: sum(1 for f in findings if str(f.severity) == s) for s in ("error", "warning", "info")}
    what = "new findings" if gate.get("baseline") else "findings"
    if findings:
        detail = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        head = f"## transaudit: {len(findings)} {what} ({detail})"
    else:
        head = f"## transaudit: no {what}"
    facts = [f"{len(result.documents)} digest(s) audited"]
    if gate.get("changed_since"):
        facts.append(f"changed since {_cell(gate['changed_since'])}")
    if gate.get("baseline"):
        facts.append(f"{gate.get('baselined', 0)} finding(s) accepted by the baseline")
        if gate.get("stale"):
            facts.append(f"{gate['stale']} baseline entr(ies) no longer occur")
    if result.errors:
        facts.append(f"{len(result.errors)} file(s) could not be read")
    reference = result.summary_extras.get("reference")
    if reference and reference.get("pairs_with_reference"):  # issue 14: scores against references
        facts.append(f"against references: chrF {reference['chrf']:.2f}, BLEU {reference['bleu']:.2f}, "
                     f"TER {reference['ter']:.2f} over {reference['pairs_with_reference']} pair(s)")
    facts.append(f"fail on: {gate.get('fail_on', 'error')}")
    facts.append(f"`{result.signature()}`")
    lines = [head, "", " · ".join(facts), ""]
    if findings:
        lines += ["| Location | Check | Severity | Message |", "|---|---|---|---|"]
        for f in findings[:MAX_ROWS]:
            lines.append(f"| {_cell(f.root_file or f.file)}:{f.line} | {f.check} {f.category} | {f.severity} | {_cell(f.message)} |")
        if len(findings) > MAX_ROWS:
            lines.append(f"\n… and {len(findings) - MAX_ROWS} more (see the job log).")
        lines.append("")
    for error in result.errors:
        lines.append(f"- {_cell(result.path_of(error.file))}: {_cell(error.message)}")
    return "\n".join(lines).rstrip("\n") + "\n\n"


def append_step_summary(result, path: str | None = None) -> str | None:
    """Append the summary to ``$GITHUB_STEP_SUMMARY`` when set; return the path written."""
    path = path or os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return None
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(render_summary(result))
    return path
