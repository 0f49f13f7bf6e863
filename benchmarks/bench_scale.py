"""A corpus-sized audit through the CLI: throughput, peak memory, what grows, and pofilter.

1. Writes one JSONL file of realistic generated pairs (``write_pairs``: a paragraph of 5-8
   sentences drawn from ``corpus.py``'s 30 sentence templates with their own model names,
   numbers, benchmarks and URLs per pair, about 2 KB per pair; about 3% carry a planted error,
   0.5% repeat an earlier row exactly and 0.5% nearly).
2. Runs ``transaudit check FILE --no-comet --format jsonl -o OUT --no-report --quiet --jobs N``
   as a subprocess for each size and job count; peak memory is sampled from /proc every 0.1 s
   over the whole process tree: the driver and its workers summed as PSS (what the machine
   must hold; pages the forked workers share are counted once), and the RSS of the largest
   single process.
3. The duplicate index's bytes are read from the summary line (``summary.stream``), so the
   bytes per pair that grow with the corpus are measured, not estimated.
4. With ``--pofilter`` and translate-toolkit installed: the same comparison as issue 9 on 9,520
   pairs, written as a PO file, ``pofilter --language=hi`` against transaudit side by side.
5. With ``--report``: the last run of each size writes its HTML report; its size and the time
   headless Chromium takes to load it (``file://``, until the load event, best of 3).

    .venv/bin/python benchmarks/bench_scale.py --sizes 100000 300000 1000000 --jobs 1 2
    .venv/bin/python benchmarks/bench_scale.py --sizes 20000 --jobs 1 2 --pofilter --report
    .venv/bin/python benchmarks/bench_scale.py --sizes 1000000 --jobs 2 --report --error-rate 0.04

Targets (issue 9): peak RSS < 1 GB at 1M pairs, >= 4,000 pairs/s with --jobs 2, --jobs 2 >= 1.8x
--jobs 1, faster and smaller than pofilter, report < 20 MB opening in < 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import INTRO, PREFIXES, SUMMARY, _slots  # noqa: E402

TARGET_RATE, TARGET_SPEEDUP, TARGET_RSS_MB = 4000, 1.8, 1024


def _pair(rng: random.Random, i: int) -> tuple[str, str]:
    slots = _slots(rng, f"{rng.choice(PREFIXES)}-{i}")
    chosen = [rng.choice(INTRO)] + rng.sample(SUMMARY, rng.randint(5, 8))
    return (" ".join(en.format(**slots) for en, _ in chosen), " ".join(hi.format(**slots) for _, hi in chosen))


def _plant(rng: random.Random, en: str, hi: str) -> tuple[str | None, str]:
    kind = rng.choice(["number", "clause", "dot", "no_source", "english"])
    if kind == "number" and "%" in hi:
        return en, hi.replace("%", "1%", 1)
    if kind == "clause":
        return en, hi.replace("।", " which makes the results much better।", 1)
    if kind == "no_source":
        return None, hi
    if kind == "english":
        return en, en
    return en, hi.replace("।", ".", 1)


def write_pairs(path: Path, n: int, seed: int = 1, error_rate: float = 0.03, repeat_rate: float = 0.01) -> dict:
    """``n`` rows of ``{"id", "source", "translation"}`` JSON lines; returns what was written."""
    rng = random.Random(seed)
    recent: list[tuple[str, str]] = []
    planted = repeats = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            if recent and rng.random() < repeat_rate:
                en, hi = rng.choice(recent)
                if rng.random() < 0.5:  # a near repeat: one Hindi word changed
                    hi = hi.replace("करता है", "करती है", 1) if "करता है" in hi else hi + " यह"
                repeats += 1
            else:
                en, hi = _pair(rng, i)
                if rng.random() < error_rate:
                    en, hi = _plant(rng, en, hi)
                    planted += 1
                if en is not None:
                    recent = (recent + [(en, hi)])[-500:]
            fh.write(json.dumps({"id": f"p{i}", "source": en, "translation": hi}, ensure_ascii=False) + "\n")
    return {"pairs": n, "bytes": path.stat().st_size, "planted": planted, "repeats": repeats}


def _tree_rss_kb(pid: int) -> tuple[int, int]:
    """Memory of ``pid`` and all its descendants in KiB: the sum of their proportional set
    sizes (PSS: pages shared after fork counted once, not once per worker), and the RSS of the
    largest one."""
    total, largest, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        largest = max(largest, int(line.split()[1]))
                    elif line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total, largest


def run_measured(cmd: list[str]) -> dict:
    """Wall time, CPU time, peak RSS sampled every 0.1 s: the process tree summed, and the
    largest single process (ru_maxrss of children would carry over from earlier runs)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = largest = 0
    while proc.poll() is None:
        tree, one = _tree_rss_kb(proc.pid)
        peak, largest = max(peak, tree), max(largest, one)
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    stderr = proc.stderr.read().decode("utf-8", "replace")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rc": proc.returncode, "wall_s": wall, "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "tree_peak_mb": peak / 1024, "max_process_mb": largest / 1024, "stderr": stderr[-2000:]}


def transaudit_cmd(path: Path, out: Path, jobs: int, report: Path | None = None) -> list[str]:
    exe = Path(sys.executable).with_name("transaudit")
    return [str(exe), "check", str(path), "--no-comet", "--format", "jsonl", "-o", str(out),
            *(["--report", str(report)] if report else ["--no-report"]), "--quiet", "--jobs", str(jobs)]


CHROMIUM = os.environ.get("TRANSAUDIT_CHROMIUM", "/usr/bin/chromium")


def open_in_chromium(report: Path, runs: int = 3) -> dict | None:
    """Seconds until the page's load event in headless Chromium (file://), best and all runs."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  report: playwright is not installed (pip install -e '.[test]'); load time not measured")
        return None
    if not Path(CHROMIUM).exists():
        print(f"  report: {CHROMIUM} not found; load time not measured")
        return None
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            page = browser.new_page()
            t0 = time.perf_counter()
            page.goto(report.as_uri(), wait_until="load", timeout=60_000)
            wall = time.perf_counter() - t0
            load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd / 1000")
            items = page.evaluate("document.querySelectorAll('article.item').length")
            times.append({"wall_s": wall, "load_event_s": load, "items": items})
            page.close()
        browser.close()
    return {"runs": times, "best_wall_s": min(t["wall_s"] for t in times),
            "best_load_event_s": min(t["load_event_s"] for t in times)}


def summary_of(out: Path) -> dict:
    with open(out, "rb") as fh:
        fh.seek(max(0, out.stat().st_size - 100_000))
        last = fh.read().decode("utf-8", "replace").rstrip("\n").rsplit("\n", 1)[-1]
    return json.loads(last)["summary"]


def bench_sizes(work: Path, sizes: list[int], jobs_list: list[int], seed: int, with_report: bool,
                error_rate: float) -> list[dict]:
    rows = []
    for n in sizes:
        data = work / f"pairs-{n}.jsonl"
        made = write_pairs(data, n, seed, error_rate)
        for jobs in jobs_list:
            out = work / f"out-{n}-{jobs}.jsonl"
            report = work / f"report-{n}.html" if with_report and jobs == jobs_list[-1] else None
            m = run_measured(transaudit_cmd(data, out, jobs, report))
            if m["rc"] not in (0, 1):
                raise SystemExit(f"transaudit failed (exit {m['rc']}):\n{m['stderr']}")
            s = summary_of(out)
            stream = s["stream"]
            rows.append({"pairs": n, "jobs": jobs, "file_mb": made["bytes"] / 1e6, **m,
                         "rate": s["pairs"] / m["wall_s"], "findings": s["findings"],
                         "by_category": s["by_category"], "index_bytes": stream["duplicate_index_bytes"],
                         "index_entries": stream["duplicate_index_entries"],
                         "index_bytes_per_pair": stream["duplicate_index_bytes"] / max(s["pairs"], 1)})
            print(f"  {n:>9,} pairs  --jobs {jobs}  {m['wall_s']:7.1f} s  {rows[-1]['rate']:7,.0f} pairs/s  "
                  f"CPU {m['cpu_s']:7.1f} s  peak {m['tree_peak_mb']:6.0f} MB (PSS, all processes), "
                  f"{m['max_process_mb']:5.0f} MB (RSS, largest process)  dup index {stream['duplicate_index_bytes'] / 1e6:6.1f} MB "
                  f"({rows[-1]['index_bytes_per_pair']:.0f} B/pair)  findings {s['findings']:,}", flush=True)
            out.unlink()
            if report is not None:
                loaded = open_in_chromium(report)
                rows[-1]["report"] = {"bytes": report.stat().st_size, "chromium": loaded}
                shown = f", load event {loaded['best_load_event_s']:.2f} s (best of 3, {loaded['runs'][0]['items']} items)" \
                    if loaded else ""
                print(f"  {n:>9,} pairs  report {report.stat().st_size / 1e6:.1f} MB for {s['findings']:,} findings"
                      f"{shown}", flush=True)
                report.unlink()
        data.unlink()
    return rows


def bench_pofilter(work: Path, seed: int, n: int = 9520) -> dict | None:
    pofilter = shutil.which("pofilter") or str(Path(sys.executable).with_name("pofilter"))
    if not Path(pofilter).exists():
        print("  pofilter: translate-toolkit is not installed (pip install translate-toolkit); skipped")
        return None
    data = work / "pofilter.jsonl"
    write_pairs(data, n, seed)
    po = work / "pofilter.po"
    with open(data, encoding="utf-8") as src, open(po, "w", encoding="utf-8") as fh:
        fh.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: hi\\n"\n\n')
        for line in src:
            row = json.loads(line)
            if row["source"] and row["translation"]:
                fh.write(f"msgctxt {json.dumps(row['id'])}\nmsgid {json.dumps(row['source'], ensure_ascii=False)}\n"
                         f"msgstr {json.dumps(row['translation'], ensure_ascii=False)}\n\n")
    out = work / "pofilter-out.po"
    p = run_measured([pofilter, "--language=hi", str(po), str(out)])
    t = {jobs: run_measured(transaudit_cmd(data, work / "t.jsonl", jobs)) for jobs in (1, 2)}
    print(f"  {n:,} pairs: pofilter --language=hi {p['wall_s']:.1f} s, {p['tree_peak_mb']:.0f} MB; "
          f"transaudit --jobs 1 {t[1]['wall_s']:.1f} s, {t[1]['tree_peak_mb']:.0f} MB; "
          f"--jobs 2 {t[2]['wall_s']:.1f} s, {t[2]['tree_peak_mb']:.0f} MB (peak PSS of all processes)")
    return {"pairs": n, "pofilter": p, "transaudit_jobs1": t[1], "transaudit_jobs2": t[2]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pofilter", action="store_true", help="compare with translate-toolkit's pofilter")
    parser.add_argument("--report", action="store_true",
                        help="the last --jobs run of each size writes the HTML report; its size and load time in Chromium")
    parser.add_argument("--error-rate", type=float, default=0.03,
                        help="share of pairs with a planted error (0.04 gives about 50,000 findings in 1M pairs)")
    parser.add_argument("--work", type=Path, help="directory for the generated files (default: a temporary one)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON too")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="transaudit-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"transaudit scale benchmark: python {platform.python_version()}, {os.cpu_count()} cpus, "
          f"{len(os.sched_getaffinity(0))} usable, load average {os.getloadavg()[0]:.1f}")
    out: dict = {}
    try:
        out["sizes"] = bench_sizes(work, args.sizes, args.jobs, args.seed, args.report, args.error_rate)
        by = {(r["pairs"], r["jobs"]): r for r in out["sizes"]}
        for n in args.sizes:
            if (n, 1) in by and (n, 2) in by:
                speedup = by[(n, 1)]["wall_s"] / by[(n, 2)]["wall_s"]
                print(f"  {n:,} pairs: --jobs 2 is {speedup:.2f}x --jobs 1 (target >= {TARGET_SPEEDUP}), "
                      f"{by[(n, 2)]['rate']:,.0f} pairs/s (target >= {TARGET_RATE:,})")
        if args.pofilter:
            out["pofilter"] = bench_pofilter(work, args.seed)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
