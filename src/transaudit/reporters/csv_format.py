"""One CSV row per finding, the JSON finding fields as columns.

Cells are made safe to open in a spreadsheet (OWASP: a cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'``) and to print (a line break inside an
excerpt is written ``\\n``, so every row is one line and no line can start a CI command).
"""

from __future__ import annotations

import csv
import io

from transaudit.terminal_text import spreadsheet_cell

# column/end_column (schema 2) come last, so that a reader of the older columns by position still works
COLUMNS = ["id", "file", "line", "end_line", "check", "category", "severity", "message", "excerpt",
           "suggestion", "paper", "section", "column", "end_column"]


def render(result) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for f in result.findings:
        # every cell: no formula (OWASP), no control character (one physical line per row)
        writer.writerow({k: spreadsheet_cell(v) for k, v in f.to_dict().items() if k in COLUMNS})
    return buf.getvalue()
