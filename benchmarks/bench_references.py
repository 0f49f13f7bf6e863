"""Time and memory of the reference stage at 1x, 2x and 4x input (must grow at most linearly).

Reference digests come from ``corpus.py``; each MT digest is its reference with two adjacent
Hindi words swapped in about a third of the Hindi lines. Each size runs in a fresh process:
parsing the MT digests is not counted; reading and pairing the references, sacrebleu's
chrF/BLEU/TER (pairs, digests, run) and the report's word diffs are, with peak memory (of the
main process; with ``--jobs`` the workers hold one batch each).

    .venv/bin/python benchmarks/bench_references.py [--pairs 2500] [--sizes 1 2 4] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
_DEVANAGARI = re.compile(r"[\u0900-\u097F]")

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from transaudit.parsing import load_paths
from transaudit.cli.reference_steps import load_references
from transaudit.references.stage import score_references
from transaudit.html_report.reference_view import reference_view
mt, ref, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
docs, _ = load_paths([mt])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
refs, files, errors = load_references([Path(ref)], docs, quiet=True)
t1 = time.perf_counter()
run = score_references(docs, refs, files, jobs=jobs)
t2 = time.perf_counter()
segs = {(d.path, s.index): s for d in docs for s in d.segments}
views = [reference_view({"translation": segs[w].translation, "reference": r}) for w, r in run.records.items() if r]
t3 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"pairs": run.pairs_with_reference, "match_s": t1 - t0, "sacrebleu_s": t2 - t1,
                  "diff_s": t3 - t2, "total_s": t3 - t0, "peak_mb": peak / 1024, "growth_mb": (peak - base) / 1024,
                  "chrf": run.corpus["chrf"]}))
"""


def mt_copy(text: str, rng: random.Random) -> str:
    out = []
    for line in text.split("\n"):
        if _DEVANAGARI.search(line) and not line.lstrip().startswith(">") and rng.random() < 0.33:
            words = line.split(" ")
            if len(words) > 6:
                i = rng.randrange(3, len(words) - 2)
                words[i], words[i + 1] = words[i + 1], words[i]
                line = " ".join(words)
        out.append(line)
    return "\n".join(out)


def main() -> None:
    sys.path.insert(0, str(HERE))
    import corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2500, help="pairs at 1x")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--jobs", type=int, default=1, help="sacrebleu worker processes (check's --jobs)")
    args = parser.parse_args()
    print(f"{'size':>4} {'pairs':>6} {'match s':>8} {'sacrebleu s':>11} {'diff s':>7} {'total s':>8} "
          f"{'s/1k pairs':>10} {'peak MB':>8} {'growth MB':>9}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            ref, mt = Path(tmp) / "ref", Path(tmp) / "mt"
            corpus.write_corpus(ref, pairs=args.pairs * size, seed=1, error_rate=0.0)
            mt.mkdir()
            rng = random.Random(size)
            for p in sorted(ref.iterdir()):
                (mt / p.name).write_text(mt_copy(p.read_text(encoding="utf-8"), rng), encoding="utf-8")
            out = subprocess.run([sys.executable, "-c", CHILD, str(mt), str(ref), str(args.jobs)], capture_output=True, text=True,
                                 check=True).stdout
            r = json.loads(out)
            print(f"{size:>3}x {r['pairs']:>6} {r['match_s']:>8.2f} {r['sacrebleu_s']:>11.2f} {r['diff_s']:>7.2f} "
                  f"{r['total_s']:>8.2f} {1000 * r['total_s'] / r['pairs']:>10.3f} {r['peak_mb']:>8.0f} "
                  f"{r['growth_mb']:>9.0f}")


if __name__ == "__main__":
    main()
