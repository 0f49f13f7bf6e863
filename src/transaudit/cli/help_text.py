"""Help and documentation text as a user reads it.

typer writes a command's usage as ``{paths}...`` and option values as ``<list[Path]>`` or
``<str>``: Python types, not what to type. :class:`UserHelpCommand` (``@app.command(cls=...)``)
names every value instead: ``PATH...``, ``--select CODE[,CODE...]``, ``--output FILE``,
``--changed-since REF``; an option this table does not know gets a name from its type (``N``,
``NUMBER``, ``FILE``, ``TEXT``), so a new option never shows a Python type either.
Check docstrings are written in reStructuredText habits (````>````); :func:`plain_doc` turns
them into the Markdown-at-most text ``explain`` prints.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.core import TyperArgument, TyperCommand, TyperOption

# long option -> what its value is
OPTION_METAVARS = {
    "--format": "FORMAT",
    "--output": "FILE",
    "--select": "CODE[,CODE...]",
    "--ignore": "CODE[,CODE...]",
    "--fail-on": "SEVERITY",
    "--include": "GLOB",
    "--exclude": "GLOB",
    "--report": "FILE",
    "--report-url": "URL",
    "--waivers": "FILE",
    "--config": "FILE",
    "--baseline": "FILE",
    "--write-baseline": "FILE",
    "--changed-since": "REF",
    "--comet-model": "MODEL",
    "--comet-precision": "auto|fp32|bf16",
    "--min-score": "SCORE",
    "--batch-size": "N",
    "--gpus": "N",
    "--jobs": "N",
    "--cache-dir": "DIR",
    "--category": "CATEGORY",
    "--sample": "N",
    "--ray": "auto|ADDRESS",
    "--seed": "N",
}
# argument name -> what to type (shown with "..." when it takes several)
ARGUMENT_METAVARS = {
    "paths": "PATH",
    "code": "CODE",
    "result_file": "RESULT.json",
    "report_file": "RESULT.json",
    "annotations": "ANNOTATIONS.jsonl",
}


def _by_type(annotation) -> str:
    args = getattr(annotation, "__args__", None)
    base = args[0] if args else annotation
    if base is bool:
        return ""
    if base is int:
        return "N"
    if base is float:
        return "NUMBER"
    if isinstance(base, type) and issubclass(base, Path):
        return "FILE"
    return "TEXT"


class _UserArgument(TyperArgument):
    def _usage_display_name(self) -> str:
        name = self.metavar or self.name.upper()
        name += "..." if self.nargs != 1 else ""
        return name if self.required else f"[{name}]"

    def _rich_display_name(self) -> str:
        return (self.metavar or self.name.upper()) + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx) -> None:  # the name already says what to type
        return None


class UserHelpCommand(TyperCommand):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument):
                param.__class__ = _UserArgument
                param.metavar = param.metavar or ARGUMENT_METAVARS.get(param.name, param.name.upper())
            elif isinstance(param, TyperOption) and not param.is_flag and param.metavar is None:
                long = max(param.opts, key=len)
                param.metavar = OPTION_METAVARS.get(long) or _by_type(param.type_descriptor.annotation)


_RST_LITERAL = re.compile(r"``(.+?)``", re.S)


def plain_doc(text: str) -> str:
    """RST ````literal```` becomes Markdown `literal`; nothing else changes."""
    return _RST_LITERAL.sub(lambda m: f"`{m.group(1)}`", text)
