"""One CSV row per finding, the JSON finding fields as columns."""

from __future__ import annotations

import csv
import io

# column/end_column (schema 2) come last, so that a reader of the older columns by position still works
COLUMNS = ["id", "file", "line", "end_line", "check", "category", "severity", "message", "excerpt",
           "suggestion", "paper", "section", "column", "end_column"]


def render(result) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for f in result.findings:
        writer.writerow(f.to_dict())
    return buf.getvalue()
