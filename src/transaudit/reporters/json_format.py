"""The versioned JSON wire format (schema in docs/json-schema.md)."""

from __future__ import annotations

import json


def render(result) -> str:
    from transaudit.terminal_text import json_text

    # a message may quote a file name that is not UTF-8; a digest may hold bidi overrides
    return json_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2)) + "\n"
