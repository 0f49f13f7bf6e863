"""Steps shared by ``check`` and ``report``: waivers and writing the HTML report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from transaudit.cli.app import usage_error


def load_waivers_or_exit(path: Optional[Path]) -> list:
    if path is None:
        return []
    from transaudit.waivers import WaiversError, load_waivers

    try:
        return load_waivers(path)
    except WaiversError as exc:
        raise usage_error(str(exc))


def apply_waivers_to(result, waiver_list: list, path: Optional[Path]) -> tuple[list, dict]:
    if path is None:
        return [], {}
    from transaudit.waivers import apply_to_result

    return apply_to_result(result, waiver_list, str(path))


def check_report_url_or_exit(template: str) -> None:
    from transaudit.html_report.issue_text import check_report_url

    try:
        check_report_url(template)
    except ValueError as exc:
        raise usage_error(str(exc))


def write_report_or_exit(path: Path, data: dict, line_texts: dict, report_url: Optional[str], waivers: Optional[Path],
                  carried: list, decisions: dict, quiet: bool) -> None:
    from transaudit.html_report import read_line_texts, write_report
    from transaudit.html_report.at_scale import cap_for_report

    data = cap_for_report(data)  # a large run shows its first findings; the rest is counted

    # findings may sit in files that are not digests (an unused waiver points into the waivers file)
    line_texts = {**read_line_texts({f["file"] for f in data["findings"]} - line_texts.keys()), **line_texts}
    try:
        write_report(path, data, line_texts=line_texts, report_url=report_url, decisions=decisions,
                     carried_waivers=[w.to_dict() for w in carried],
                     waivers_file=str(waivers) if waivers else None)
    except OSError as exc:
        raise usage_error(f"{path}: cannot write the report: {exc.strerror or exc}")
    if not quiet:
        from transaudit.terminal_text import printable

        print(f"report: {printable(path)}", file=sys.stderr)
