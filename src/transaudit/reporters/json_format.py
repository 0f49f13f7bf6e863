"""The versioned JSON wire format (schema in docs/json-schema.md)."""

from __future__ import annotations

import json


def render(result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
