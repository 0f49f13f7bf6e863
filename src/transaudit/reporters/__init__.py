"""One module per output format; ``FORMATS`` names them all and ``render`` picks one.

Reporters turn an audit result into text. They never decide the exit code.
"""

from __future__ import annotations

import importlib

# format name -> module (imported lazily: some formats need heavier libraries)
FORMATS: dict[str, str] = {
    "text": "transaudit.reporters.text_format",
    "json": "transaudit.reporters.json_format",
    "jsonl": "transaudit.reporters.jsonl_format",
    "csv": "transaudit.reporters.csv_format",
    "github": "transaudit.reporters.github_format",
    "sarif": "transaudit.reporters.sarif_format",
    "junit": "transaudit.reporters.junit_format",
}


def render(fmt: str, result) -> str:
    try:
        module = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})") from None
    return importlib.import_module(module).render(result)
