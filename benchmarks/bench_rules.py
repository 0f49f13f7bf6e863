"""Rule-check speed and memory on a generated corpus, and ``transaudit --help`` start-up time.

1. Writes a corpus of realistic digests (``benchmarks/corpus.py``: both layouts, template
   sentences with names and numbers, ~3% planted errors) to a temporary directory.
2. In a fresh child process pinned to one CPU: imports transaudit, then times
   ``load_paths`` (read + decode + parse + pair) and every rule check (all checks except the
   COMET-based ``low_quality``, cross-digest duplicates included); peak memory is the child's
   ``ru_maxrss``, so it covers the interpreter, the imports, the corpus and the findings.
   Both wall and CPU time are shown: on a busy machine (see the load average) the CPU-time
   rate is the one-core figure; on an idle one they agree.
3. Runs ``transaudit --help`` 10 times as a subprocess and takes the median wall time.

    .venv/bin/python benchmarks/bench_rules.py [--pairs 10000] [--papers 10] [--repeat 3] [--check]

Targets (issue 2): >= 2,000 pairs/s on one core, < 300 MB peak, --help < 0.3 s. With
``--check`` the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_PAIRS_PER_S, TARGET_PEAK_MB, TARGET_HELP_S = 2000, 300, 0.3


def measure(corpus: Path, repeat: int) -> dict:
    """Child process: parse + check ``corpus`` ``repeat`` times on one core; best time wins."""
    cpu = None
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
    t0 = time.perf_counter()
    from transaudit.audit import run_checks
    from transaudit.checks.base import select_checks
    from transaudit.parsing import load_paths

    checks = select_checks(ignore=["low_quality"])
    import_s = time.perf_counter() - t0
    runs = []
    for _ in range(repeat):
        c1, t1 = time.process_time(), time.perf_counter()
        documents, errors = load_paths([str(corpus)])
        t2 = time.perf_counter()
        findings = run_checks(documents, checks, {})
        t3, c3 = time.perf_counter(), time.process_time()
        runs.append((t3 - t1, t2 - t1, t3 - t2, c3 - c1))
    best = min(runs)
    # CPU seconds of each check alone over the parsed corpus: where the time goes.
    per_check = {}
    for check in checks:
        c0 = time.process_time()
        run_checks(documents, [check], {})
        per_check[f"{check.code} {check.category}"] = time.process_time() - c0
    by_category: dict[str, int] = {}
    for f in findings:
        by_category[f.category] = by_category.get(f.category, 0) + 1
    return {
        "cpu": cpu, "files": len(documents), "input_errors": len(errors),
        "pairs": sum(1 for d in documents for s in d.segments if s.is_pair),
        "load_avg": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "checks": len(checks), "import_s": import_s,
        "total_s": best[0], "parse_s": best[1], "checks_s": best[2], "cpu_s": best[3],
        "per_check_cpu_s": dict(sorted(per_check.items(), key=lambda kv: -kv[1])),
        "findings": len(findings), "by_category": dict(sorted(by_category.items())),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
    }


def help_startup(runs: int = 10) -> list[float]:
    script = Path(sys.executable).with_name("transaudit")
    cmd = [str(script), "--help"] if script.exists() else [sys.executable, "-m", "transaudit.cli", "--help"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return times


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000, help="at least this many pairs")
    parser.add_argument("--papers", type=int, default=10, help="papers per digest")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON too")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--_measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._measure:  # the child
        print(json.dumps(measure(args._measure, args.repeat)))
        return 0

    sys.path.insert(0, str(HERE))
    from corpus import write_corpus

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="transaudit-bench-"))
    try:
        made = write_corpus(workdir, args.pairs, args.papers, args.seed)
        child = subprocess.run([sys.executable, __file__, "--_measure", str(workdir), "--repeat", str(args.repeat)],
                               capture_output=True, text=True, check=True)
        numbers = json.loads(child.stdout)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    helps = help_startup()
    help_s = statistics.median(helps)
    rate = numbers["pairs"] / numbers["total_s"]
    cpu_rate = numbers["pairs"] / numbers["cpu_s"]

    ok_rate, ok_mem, ok_help = rate >= TARGET_PAIRS_PER_S, numbers["peak_mb"] < TARGET_PEAK_MB, help_s < TARGET_HELP_S
    print("transaudit rule benchmark")
    print(f"  machine      python {platform.python_version()}, {platform.machine()}, "
          f"pinned to cpu {numbers['cpu']} (one core), load average {numbers['load_avg']:.1f} "
          f"on {os.cpu_count()} cpus")
    print(f"  corpus       {made['files']} digests (both layouts), {numbers['pairs']:,} pairs, "
          f"{made['bytes'] / 1e6:.1f} MB")
    print(f"  parse+checks {numbers['total_s']:.2f} s (parse {numbers['parse_s']:.2f} s, "
          f"{numbers['checks']} checks {numbers['checks_s']:.2f} s), best of {args.repeat}")
    print(f"  throughput   {rate:,.0f} pairs/s wall, {cpu_rate:,.0f} pairs/s CPU time   "
          f"target >= {TARGET_PAIRS_PER_S:,}  {_verdict(ok_rate)}")
    print(f"  peak memory  {numbers['peak_mb']:.0f} MB (ru_maxrss)                   target < {TARGET_PEAK_MB} MB  {_verdict(ok_mem)}")
    print(f"  --help       {help_s * 1000:.0f} ms median of {len(helps)}                  target < {TARGET_HELP_S * 1000:.0f} ms  "
          f"{_verdict(ok_help)}")
    slow = list(numbers["per_check_cpu_s"].items())[:4]
    print(f"  slowest      {', '.join(f'{name} {sec:.2f} s' for name, sec in slow)}")
    print(f"  findings     {numbers['findings']} ({', '.join(f'{k} {v}' for k, v in numbers['by_category'].items())})")
    if args.json:
        print(json.dumps({**numbers, "corpus": made, "pairs_per_s": rate, "help_s": help_s, "help_runs": helps}))
    return 1 if args.check and not (ok_rate and ok_mem and ok_help) else 0


if __name__ == "__main__":
    sys.exit(main())
