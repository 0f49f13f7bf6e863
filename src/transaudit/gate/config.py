"""Project configuration: ``[tool.transaudit]`` in ``pyproject.toml`` or a ``transaudit.toml``.

The first directory from the working directory upwards that holds a ``transaudit.toml``, or a
``pyproject.toml`` with a ``[tool.transaudit]`` table, gives the configuration (``--config FILE``
names one instead). ``transaudit.toml`` holds the keys at top level::

    select = ["untranslated_fragment", "TA201"]
    ignore = ["punctuation"]
    severity = { TA305 = "error", punctuation = "info" }
    fail-on = "warning"
    include = ["digests/**/*.md"]
    exclude = ["digests/drafts/*"]
    comet-model = "Unbabel/wmt20-comet-qe-da"
    comet-precision = "auto"                            # or "fp32" (exact), "bf16" (drift ~0.01)
    min-score = 0.1
    report = "reports/transaudit-report.html"

    [glossary]
    allow = ["Transformer", "fine-tune"]                 # English terms fine inside Hindi
    require = { "attention" = "ध्यान", "benchmark" = ["बेंचमार्क", "मानक"] }

A flag on the command line wins over the file, the file over the defaults. Unknown keys are
errors that name the key (a typo must not silently turn a rule off).
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from transaudit.gate import GateError

FAIL_ON = ("error", "warning", "info", "never")
SEVERITIES = ("error", "warning", "info")
KEYS = ("select", "ignore", "severity", "fail-on", "include", "exclude", "comet-model",
        "comet-precision", "min-score", "report", "glossary",
        "reference-model", "fail-under-chrf", "fail-over-ter")  # the last three: issue 14
GLOSSARY_KEYS = ("allow", "require")


@dataclass(frozen=True)
class Config:
    """Settings read from a file; ``None``/empty means "not set, use the CLI or the default"."""

    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # code or category -> severity name
    fail_on: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    comet_model: str | None = None
    comet_precision: str | None = None
    min_score: float | None = None
    report: str | bool | None = None  # a path (relative to the config file), or False: no report
    glossary_allow: tuple[str, ...] = ()
    glossary_require: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reference_model: str | None = None
    fail_under_chrf: float | None = None
    fail_over_ter: float | None = None

    def settings(self) -> dict:
        """What checks see in ``CheckContext.settings`` (``settings["glossary"]["allow"|"require"]``)."""
        return {"glossary": {"allow": list(self.glossary_allow),
                             "require": {k: list(v) for k, v in self.glossary_require.items()}}}


def find_config(start: Path) -> Path | None:
    """The nearest ``transaudit.toml``, or ``pyproject.toml`` with ``[tool.transaudit]``, upwards."""
    start = start.resolve()
    for folder in (start, *start.parents):
        own = folder / "transaudit.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            tool = _read_toml(pyproject).get("tool", {})
            if not isinstance(tool, dict):
                raise GateError(f"{pyproject}: 'tool' must be a table ([tool.transaudit]), "
                                f"not {type(tool).__name__}")
            if "transaudit" in tool:
                return pyproject
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Read the named file, or the one found upwards from ``start`` (default: the cwd)."""
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Config()
    elif not Path(path).is_file():
        raise GateError(f"{path}: config file not found")
    path = Path(path)
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("transaudit")
        if table is None:
            raise GateError(f"{path}: no [tool.transaudit] table")
        where = f"{path}: [tool.transaudit]"
    else:
        table, where = data, str(path)
    if not isinstance(table, dict):
        raise GateError(f"{where} must be a table")
    return _parse(table, path, where)


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise GateError(f"{path}: cannot read config file: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise GateError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise GateError(f"{path}: not UTF-8 at byte {exc.start}") from None


def _unknown(key: str, known: tuple[str, ...], where: str) -> GateError:
    close = difflib.get_close_matches(key.replace("_", "-"), known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(known)})"
    return GateError(f"{where}: unknown key {key!r}{hint}")


def _strings(value, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GateError(f"{where}: {key!r} must be a list of strings")
    return tuple(value)


def _check_names(names, key: str, where: str) -> None:
    from transaudit.checks.base import registered

    table = registered()
    known = set(table) | {cls.category for cls in table.values()}
    for name in names:
        for part in name.split(","):
            part = part.strip()
            if part and part not in known and part.upper() not in known:
                raise GateError(f"{where}: {key!r} names unknown check or category {part!r}")


def _parse(table: dict, path: Path, where: str) -> Config:
    for key in table:
        if key not in KEYS:
            raise _unknown(key, KEYS, where)
    values: dict = {"path": path}
    for key in ("select", "ignore", "include", "exclude"):
        if key in table:
            values[key] = _strings(table[key], key, where)
    _check_names(values.get("select", ()) + values.get("ignore", ()), "select/ignore", where)

    if "severity" in table:
        severity = table["severity"]
        if not isinstance(severity, dict):
            raise GateError(f"{where}: 'severity' must be a table of check = severity")
        for name, level in severity.items():
            if level not in SEVERITIES:
                raise GateError(f"{where}: severity of {name!r} must be one of "
                                f"{', '.join(SEVERITIES)}, not {level!r}")
        _check_names(severity, "severity", where)
        values["severity"] = dict(severity)

    if "fail-on" in table:
        values["fail_on"] = _choice(table, "fail-on", FAIL_ON, where)
    if "comet-model" in table:
        if not isinstance(table["comet-model"], str) or not table["comet-model"].strip():
            raise GateError(f"{where}: 'comet-model' must be a model name or path")
        values["comet_model"] = table["comet-model"]
    if "comet-precision" in table:
        from transaudit.scoring.models import PRECISIONS  # no COMET or torch behind it

        values["comet_precision"] = _choice(table, "comet-precision", PRECISIONS, where)
    if "min-score" in table:
        score = table["min-score"]
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            raise GateError(f"{where}: 'min-score' must be a number")
        values["min_score"] = float(score)
    if "reference-model" in table:
        if not isinstance(table["reference-model"], str) or not table["reference-model"].strip():
            raise GateError(f"{where}: 'reference-model' must be a model name or path")
        values["reference_model"] = table["reference-model"]
    for key in ("fail-under-chrf", "fail-over-ter"):
        if key in table:
            number = table[key]
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                raise GateError(f"{where}: {key!r} must be a number")
            values[key.replace("-", "_")] = float(number)
    if "report" in table:
        report = table["report"]
        if report is False:
            values["report"] = False
        elif isinstance(report, str) and report.strip():
            # Relative to the file that says it, so the setting means the same from any cwd.
            values["report"] = str(path.parent / report)
        else:
            raise GateError(f"{where}: 'report' must be a path or false")
    if "glossary" in table:
        table_name = "[tool.transaudit.glossary]" if path.name == "pyproject.toml" else "[glossary]"
        values.update(_parse_glossary(table["glossary"], f"{path}: {table_name}"))
    return Config(**values)


def _parse_glossary(glossary, where: str) -> dict:
    if not isinstance(glossary, dict):
        raise GateError(f"{where}: must be a table with 'allow' and/or 'require'")
    for key in glossary:
        if key not in GLOSSARY_KEYS:
            raise _unknown(key, GLOSSARY_KEYS, where)
    out: dict = {}
    if "allow" in glossary:
        out["glossary_allow"] = _strings(glossary["allow"], "allow", where)
    if "require" in glossary:
        require = glossary["require"]
        if not isinstance(require, dict):
            raise GateError(f"{where}: 'require' must be a table of \"source term\" = \"हिंदी\"")
        out["glossary_require"] = {}
        for term, renderings in require.items():
            renderings = _strings(renderings, f"require.{term}", where)
            if not term.strip() or not renderings or not all(r.strip() for r in renderings):
                raise GateError(f"{where}: 'require' entry {term!r} needs a term and a rendering")
            out["glossary_require"][term] = renderings
    return out


def _choice(table: dict, key: str, choices, where: str) -> str:
    """``table[key]`` when it is one of ``choices``, else a one-line GateError naming the key."""
    value = table[key]
    if value not in choices:
        raise GateError(f"{where}: {key!r} must be one of {', '.join(choices)}, not {value!r}")
    return value

