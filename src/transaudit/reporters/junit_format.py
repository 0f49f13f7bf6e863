"""JUnit XML for CI test tabs: one test case per digest, failed when it has findings at or above
the run's ``--fail-on`` severity (lesser findings go to ``system-out``), an ``error`` when the
digest could not be read. Deterministic: no timestamps or durations.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from transaudit.model import Severity
from transaudit.reporters.text_format import format_line
from transaudit.terminal_text import printable

# XML 1.0 cannot carry most control characters, and a digest may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(result) -> str:
    fail_on = (result.summary_extras.get("gate") or {}).get("fail_on", "error")
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    by_file: dict[str, list] = {result.path_of(doc.path): [] for doc in result.documents}
    for f in result.findings:
        by_file.setdefault(f.root_file or f.file, []).append(f)
    errors = {result.path_of(e.file): e.message for e in result.errors}
    for path in errors:
        by_file.setdefault(path, [])

    suite = ET.Element("testsuite", name="transaudit")
    failures = 0
    for path in sorted(by_file):
        shown = printable(path)  # names and messages: one line, no terminal control (text lines already are)
        case = ET.SubElement(suite, "testcase", classname="transaudit", name=shown, file=shown)
        findings = by_file[path]
        failing = [f for f in findings if threshold is not None and f.severity >= threshold]
        rest = [f for f in findings if threshold is None or f.severity < threshold]
        if path in errors:
            ET.SubElement(case, "error", message=printable(errors[path]), type="input_error")
        elif failing:
            failures += 1
            failure = ET.SubElement(case, "failure", type="translation_findings",
                                    message=f"{len(failing)} finding(s) at or above {fail_on}")
            failure.text = _clean("\n".join(format_line(f) for f in failing))
        if rest:
            ET.SubElement(case, "system-out").text = _clean("\n".join(format_line(f) for f in rest))
    counts = {"tests": str(len(by_file)), "failures": str(failures), "errors": str(len(errors)), "skipped": "0"}
    suite.attrib.update(counts)
    root = ET.Element("testsuites", name="transaudit", **{k: v for k, v in counts.items() if k != "skipped"})
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
