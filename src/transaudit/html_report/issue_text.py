"""The ready-to-paste text of one mistake report and the optional "Report" link built from it."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

ALLOWED_URL_SCHEMES = ("http", "https", "mailto")


def check_report_url(template: str) -> str:
    """Validate a ``--report-url`` template; raise ValueError with the reason."""
    scheme = urlsplit(template).scheme.lower()
    if scheme not in ALLOWED_URL_SCHEMES:
        raise ValueError(f"--report-url must start with http://, https:// or mailto:, not {template!r}")
    if "{title}" not in template and "{body}" not in template:
        raise ValueError("--report-url needs {title} and/or {body} placeholders")
    return template


def report_title(finding: dict) -> str:
    return f"Translation mistake ({finding['category']}) in {finding['file']}:{finding['line']}"


def report_body(finding: dict, paper: str | None, section: str | None, wrong_text: str,
                english: str | None) -> str:
    """Digest, paper, section, line, category, the wrong text, the English original, a fix."""
    lines = [
        f"Digest: {finding['file']}",
        f"Paper: {paper or '-'}",
        f"Section: {section or '-'}",
        f"Line: {finding['line']}",
        f"Category: {finding['category']} ({finding['check']}, {finding['severity']})",
        f"Problem: {finding['message']}",
        f"Wrong text: {wrong_text or '-'}",
        f"English original: {english or '-'}",
    ]
    if finding.get("suggestion"):
        lines.append(f"Suggested fix: {finding['suggestion']}")
    lines.append(f"Finding id: {finding['id']}")
    return "\n".join(lines) + "\n"


def report_href(template: str | None, title: str, body: str) -> str | None:
    if not template:
        return None
    return template.replace("{title}", quote(title, safe="")).replace("{body}", quote(body, safe=""))
