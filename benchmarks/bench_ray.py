"""COMET on Ray: 2 CPU workers against 1 on a local Ray, with the random XLM-R base model.

A local Ray is started with 2 CPUs; the same pairs (digest-like paragraphs, as in
``bench_comet.py``) are scored through transaudit's Ray path (Ray Data ``map_batches`` over an
actor pool, one model load per actor, 1 CPU and 1 torch thread per actor) with 1 actor and
with 2 actors, best of ``--rounds``. Two numbers per run:

- end to end: from submitting the dataset to the last result (actor start-up, model load in
  each actor, scoring);
- scoring throughput: pairs per second after the first batch has come back, i.e. once the
  actors are loaded and scoring (what more workers buy on a long run).

Then the scores of the Ray path are compared with the in-process path in fp32 (``--check``
pairs): they must agree within 1e-6.

    .venv/bin/python benchmarks/bench_ray.py [--pairs 400] [--rounds 2] [--precision auto]
                                             [--check 24] [--workdir DIR]

Other work on the machine competes for the same 2 CPUs: the best round is reported, with the
load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_comet import make_pairs  # noqa: E402
from tiny_comet import build  # noqa: E402


def ray_run(session, ckpt: str, sha: str, pairs: dict, precision: str) -> tuple[float, float, dict]:
    """End-to-end seconds, steady pairs/s after the first batch, and the results."""
    results: dict = {}
    marks: list[tuple[float, int]] = []
    started = time.perf_counter()
    session.score(ckpt, sha, pairs, precision, None,
                  lambda fresh: (results.update(fresh), marks.append((time.perf_counter(), len(fresh)))))
    total = time.perf_counter() - started
    first_at, first_n = marks[0]
    steady = (len(pairs) - first_n) / max(marks[-1][0] - first_at, 1e-9) if len(marks) > 1 else float("nan")
    return total, steady, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16"])
    parser.add_argument("--check", type=int, default=24, help="pairs compared with in-process scoring in fp32")
    parser.add_argument("--workdir", type=Path, default=None, help="reuse a built model here")
    args = parser.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-ray-"))
    work.mkdir(parents=True, exist_ok=True)
    model = work / "xlmr-base-random"
    if not (model / "BUILD.json").exists():
        build(model, size="base")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import ray

    from transaudit.scoring import models
    from transaudit.scoring.cache import pair_key
    from transaudit.scoring.comet_scorer import CometScorer
    from transaudit.scoring.precision import resolve
    from transaudit.scoring.ray_scoring import ActorPlan, RaySession, quiet_ray_data
    from transaudit.scoring.run import score_with

    ref = models.locate(str(model))
    ckpt, sha = str(ref.checkpoint), models.checkpoint_sha256(ref.checkpoint)
    texts = make_pairs(args.pairs)
    pairs = {pair_key(s, t): (s, t) for s, t in texts}
    precision = resolve(args.precision).precision
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    quiet_ray_data()
    print(f"{len(pairs)} pairs, precision {precision}, local Ray with 2 CPUs, {os.cpu_count()} cpus; "
          f"best of {args.rounds}")

    best: dict[int, tuple[float, float]] = {}
    every: dict[int, list[str]] = {1: [], 2: []}
    for _ in range(args.rounds):
        for actors in (1, 2):
            session = RaySession("auto", ActorPlan(actors=actors, num_gpus=0, num_cpus=1), started=False)
            total, steady, results = ray_run(session, ckpt, sha, pairs, precision)
            assert len(results) == len(pairs)
            old = best.get(actors, (float("inf"), float("nan")))
            rates = [r for r in (old[1], steady) if r == r]  # drop nan (a single batch has no rate)
            best[actors] = (min(old[0], total), max(rates) if rates else float("nan"))
            every[actors].append(f"{total:.1f} s / {steady:.2f} pairs/s")
    print(f"{'workers':<10}{'end to end s':>14}{'pairs/s':>10}{'scoring pairs/s':>17}")
    for actors in (1, 2):
        total, steady = best[actors]
        print(f"{actors:<10}{total:14.1f}{len(pairs) / total:10.2f}{steady:17.2f}")
    print(f"2 workers vs 1: {best[1][0] / best[2][0]:.2f}x end to end, {best[2][1] / best[1][1]:.2f}x scoring throughput")
    print("every round: " + "; ".join(f"{a} worker(s): " + ", ".join(r) for a, r in every.items()))

    check = dict(list(pairs.items())[:args.check])
    session = RaySession("auto", ActorPlan(actors=2, num_gpus=0, num_cpus=1), started=False)
    _, _, remote = ray_run(session, ckpt, sha, check, "fp32")
    scorer = CometScorer.load(models.ensure_files(ref), precision="fp32")
    local = dict(zip(check, score_with(scorer, list(check.values()))))
    diff = max(abs(c1["score"] - c2["score"]) for k in check
               for c1, c2 in zip(local[k]["chunks"], remote[k]["chunks"]))
    print(f"fp32, {len(check)} pairs: largest |Ray - in-process| chunk score difference {diff:.2e} "
          f"({'within' if diff <= 1e-6 else 'NOT within'} 1e-6)")
    print(f"load average after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")
    ray.shutdown()


if __name__ == "__main__":
    main()
