"""``--format csv --by-digest``: the per-digest score table (chrF, BLEU, TER, COMET) as CSV.

Empty cells are scores that do not exist (no reference, no COMET); the rows are in file-name
order, the order of a digest archive's weekly issues.
"""

from __future__ import annotations

import csv
import io

from transaudit.references.trend import COLUMNS, digest_rows


def render_rows(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()


def render(result) -> str:
    return render_rows(digest_rows(result.to_dict()))
