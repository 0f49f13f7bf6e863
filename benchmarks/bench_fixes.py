"""Time and memory of ``--fix`` planning and of PO/XLIFF/TMX reading at 1x, 2x and 4x input
(must grow at most linearly).

Fixes: one text-layout digest of N pairs, each Hindi paragraph with a Latin stop, a doubled
space and a space before the danda (3 safe fixes a pair), every tenth pair repeated verbatim
(a removal overlapping that pair's punctuation fixes, which wait). Timed: the rule audit, then
choosing the fixes and building the fixed text and its unified diff (``fix_steps`` without the
write). L10n: a PO, an XLIFF 1.2 and a TMX file of N units, parsed into pairs. Each size runs in
a fresh process; peak RSS (ru_maxrss) is the process's.

    .venv/bin/python benchmarks/bench_fixes.py [--pairs 2000] [--sizes 1 2 4]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

HI = "हम {n} बड़े language models के लिए एक नया तरीका  प्रस्तुत करते हैं . यह {n} गुना तेज़ है ।"
EN = "We present a new method for {n} large language models. It is {n} times faster."

CHILD = r"""
import json, resource, sys, time
from transaudit.audit import audit
from transaudit.checks.base import select_checks
from transaudit.fixes.apply import plan_file
from transaudit.fixes.preview import unified_diff
from transaudit.parsing import load_paths
path, kind = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
docs, errors = load_paths([path])
assert not errors, errors
t1 = time.perf_counter()
out = {"pairs": len(docs[0].segments), "parse_s": round(t1 - t0, 3)}
if kind == "digest":
    result = audit(docs, select_checks())
    t2 = time.perf_counter()
    text = open(path, encoding="utf-8").read()
    plan = plan_file(path, text, result.findings)
    diff = unified_diff(path, plan.old_text, plan.new_text, plan.ranges)
    t3 = time.perf_counter()
    out.update(audit_s=round(t2 - t1, 3), fix_s=round(t3 - t2, 3), fixed=len(plan.fixed),
               waiting=len(plan.waiting), diff_lines=diff.count("\n"))
out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(out))
"""


def digest(n: int) -> str:
    out = ["अवलोकन", "", "इस सप्ताह के पेपर।", "", "Paper: कागज़ / Paper: Paper", "", "पेपर सारांश", ""]
    for i in range(n):
        pair = [f"  • {HI.format(n=i + 1)}", f"    > {EN.format(n=i + 1)}"]
        out += pair + (pair if i % 10 == 9 else []) + [""]
    return "\n".join(out) + "\n"


def po(n: int) -> str:
    out = ['msgid ""', 'msgstr ""', '"Language: hi\\n"', ""]
    for i in range(n):
        out += [f'msgid "{EN.format(n=i + 1)} %s"', f'msgstr "{HI.format(n=i + 1)} %s"', ""]
    return "\n".join(out)


def xliff(n: int) -> str:
    units = "".join(f'<trans-unit id="u{i}"><source>{escape(EN.format(n=i + 1))}</source>\n'
                    f'<target>{escape(HI.format(n=i + 1))}</target></trans-unit>\n' for i in range(n))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
            f'<file original="x" source-language="en" target-language="hi" datatype="plaintext"><body>\n{units}'
            '</body></file></xliff>\n')


def tmx(n: int) -> str:
    units = "".join(f'<tu><tuv xml:lang="en"><seg>{escape(EN.format(n=i + 1))}</seg></tuv>\n'
                    f'<tuv xml:lang="hi"><seg>{escape(HI.format(n=i + 1))}</seg></tuv></tu>\n' for i in range(n))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="b" creationtoolversion="1"'
            ' segtype="sentence" o-tmf="b" adminlang="en" srclang="en" datatype="plaintext"/>'
            f'<body>\n{units}</body></tmx>\n')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, kind, make in (("digest.txt", "digest", digest), ("units.po", "l10n", po),
                                 ("units.xlf", "l10n", xliff), ("units.tmx", "l10n", tmx)):
            for size in args.sizes:
                path = Path(tmp) / f"{size}x-{name}"
                path.write_text(make(args.pairs * size), encoding="utf-8")
                run = subprocess.run([sys.executable, "-c", CHILD, str(path), kind], capture_output=True, text=True)
                if run.returncode:
                    sys.exit(run.stderr)
                print(f"{name:11} {size}x", json.loads(run.stdout))


if __name__ == "__main__":
    main()
