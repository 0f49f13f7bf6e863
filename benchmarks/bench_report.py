"""How long the HTML report adds to a run: 1,000 pairs, each with findings (target < 1 s).

Builds a digest of 1,000 pairs, each with a planted mistake (English left in the Hindi slot,
Hindi inside the English original, a Latin full stop, a changed number) and every fifth
followed by a Hindi paragraph without its original (a finding outside every pair); it
parses and audits it with the real checks (not timed), adds COMET-like scores so the histogram
and badges are drawn, then times what ``check`` does for the report: ``to_dict()``, render,
atomic write. The first render includes importing pandas and compiling the template.

    .venv/bin/python benchmarks/bench_report.py [--pairs 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

PAPER = "Toolformer: भाषा मॉडल खुद tools इस्तेमाल करना सीखते हैं / Toolformer: Language Models Use Tools"
HINDI = "मॉडल API calls को खुद चुनता है और नतीजों को अगले token के अनुमान में जोड़ता है, जिससे {n} tasks पर प्रदर्शन सुधरता है।"
ENGLISH = "The model decides which APIs to call and adds the results to its next-token prediction, improving {n} tasks."


def make_digest(pairs: int) -> str:
    out = ["अवलोकन", "", "इस सप्ताह के पेपर।", ""]
    for i in range(pairs):
        if i % 2 == 0:
            out += [f"{PAPER} {i // 2}", "", "पेपर परिचय" if i % 4 == 0 else "पेपर सारांश", ""]
        hindi, english = HINDI.format(n=i), ENGLISH.format(n=i)
        kind = i % 4
        if kind == 0:
            hindi = english  # English copied into the Hindi slot
        elif kind == 1:
            english = english.replace("the results", "नतीजों को")  # Hindi inside the original
        elif kind == 2:
            hindi = hindi.replace("है।", "है.")  # Latin full stop
        else:
            hindi = HINDI.format(n=i + 1)  # changed number
        out += [f"  • {hindi}", f"    > {english}", ""]
        if i % 5 == 4:  # and a paragraph that lost its original: a finding outside every pair
            out += [f"  • यह पैराग्राफ़ {i} बिना अंग्रेज़ी मूल के है।", ""]
    out += ["मूल लेख", "", "https://example.org/digest", ""]
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    from transaudit.audit import audit
    from transaudit.checks.base import select_checks
    from transaudit.parsing import load_paths

    with tempfile.TemporaryDirectory() as tmp:
        digest = Path(tmp, "digest.txt")
        digest.write_text(make_digest(args.pairs), encoding="utf-8")
        documents, errors = load_paths([str(digest)])
        assert not errors, errors
        result = audit(documents, select_checks())
        rng = random.Random(0)
        for doc in result.documents:
            for seg in doc.segments:
                if seg.is_pair:
                    result.pair_extras[(doc.path, seg.index)] = {"comet": {
                        "model": "bench", "score": round(rng.betavariate(5, 2), 4), "chunks": [], "cached": False}}
        result.summary_extras["comet"] = {"model": "bench"}
        n_pairs = sum(1 for d in result.documents for s in d.segments if s.is_pair)
        with_findings = len({f.line for f in result.findings})
        print(f"pairs: {n_pairs}, findings: {len(result.findings)} (on {with_findings} lines)")

        def once() -> tuple[float, float, int]:
            from transaudit.html_report import write_report

            wall, cpu = time.perf_counter(), time.process_time()
            out = Path(tmp, "report.html")
            write_report(out, result.to_dict(), line_texts={d.path: d.lines for d in result.documents})
            return time.perf_counter() - wall, time.process_time() - cpu, out.stat().st_size

        first, first_cpu, size = once()
        runs = [once() for _ in range(args.repeat)]
    walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
    print(f"report size: {size / 1e6:.2f} MB")
    # CPU time is shown beside wall time: on a busy machine wall time measures the neighbours too
    print(f"first report (imports pandas/jinja2, compiles the template): {first:.3f} s wall, {first_cpu:.3f} s CPU")
    print(f"later reports: median {statistics.median(walls):.3f} s wall, {statistics.median(cpus):.3f} s CPU "
          f"(min {min(walls):.3f} s wall) over {args.repeat}")
    verdict = "OK" if first < 1.0 else "OVER (on a busy machine compare the CPU time)"
    print(f"target < 1 s for {args.pairs} pairs, first report: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
