"""COMET scoring speed: transaudit against ``comet-score`` on the same pairs and model, on CPU.

The model is a random-weight COMET ``UnifiedMetric`` with the real XLM-R base architecture
(768 hidden, 12 layers, 12 heads, 3072 intermediate, 512 positions), built offline by
``tests/tiny_comet.py --size base``; its vocabulary is the sentencepiece tokenizer trained on
the fixture corpus, so token counts are not XLM-R's, but both tools see the same tokens.
The pairs are digest-like paragraphs of 1-4 sentences (all within the 512-token limit, so
transaudit scores exactly what ``comet-score`` scores).

Measured end to end as a user runs them, a fresh process each (imports and model load
included), best of ``--rounds`` (default 2) rounds, the configurations interleaved so that a
burst of load from other work on the machine hits them alike; wall and CPU seconds:

- ``comet-score -s SRC -t MT --model DIR/checkpoints/model.ckpt --gpus 0`` (half precision),
- ``transaudit check DIGEST --comet-model DIR --no-cache`` with ``--comet-precision`` fp32,
  bf16 and auto (the default; the table says what it resolved to),
- ``transaudit check`` again over a warm cache (no model load at all).

The CPU flags that decide ``auto`` are printed. ``--inprocess`` also times transaudit's scoring
loop alone (model loaded once) in fp32 and in bf16 as weights (what transaudit does) and as
``torch.autocast``, each with COMET's own layer mix and with transaudit's (``layer_mix.py``).
``--drift base,large`` instead measures how far bf16 scores are from fp32 over 500 pairs with
random-weight models of XLM-R base's and large's shapes, through ``transaudit compare-precision``.

    .venv/bin/python benchmarks/bench_comet.py [--pairs 200] [--rounds 2] [--workdir DIR]
                                              [--inprocess] [--sweep 4,8,16]
    .venv/bin/python benchmarks/bench_comet.py --drift base,large [--drift-pairs 500]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
BIN = Path(sys.executable).parent

from tiny_comet import build, corpus_pairs  # noqa: E402


def make_pairs(n: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    corpus = corpus_pairs()
    out = []
    for _ in range(n):
        picked = rng.sample(corpus, rng.randint(1, 4))
        out.append((" ".join(e for e, _ in picked), " ".join(h for _, h in picked)))
    return out


def write_inputs(work: Path, pairs: list[tuple[str, str]]) -> Path:
    lines = ["अवलोकन", "", "benchmark digest", "", "पेपर सारांश", ""]
    for en, hi in pairs:
        lines += [f"  • {hi}", f"    > {en}", ""]
    digest = work / "digest.txt"
    digest.write_text("\n".join(lines), encoding="utf-8")
    (work / "src.txt").write_text("\n".join(en for en, _ in pairs) + "\n", encoding="utf-8")
    (work / "mt.txt").write_text("\n".join(hi for _, hi in pairs) + "\n", encoding="utf-8")
    return digest


def timed(cmd: list[str], env: dict) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds and CPU seconds (user + sys of the child): CPU time is what to compare when
    other work shares the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed, cpu, proc


def transaudit(digest: Path, model: Path, out: Path, env: dict, *extra: str):
    cmd = [str(BIN / "transaudit"), "check", str(digest), "--comet-model", str(model), "--no-report",
           "--select", "TA401", "--fail-on", "never", "--format", "json", "-o", str(out), "--quiet", *extra]
    elapsed, cpu, _ = timed(cmd, env)
    data = json.loads(out.read_text(encoding="utf-8"))
    return elapsed, cpu, data


def sweep(model: Path, pairs: list[tuple[str, str]], sizes: list[int]) -> None:
    """Scoring-only time of transaudit's loop per batch size (model loaded once; CPU seconds)."""
    from transaudit.scoring.comet_scorer import CometScorer
    from transaudit.scoring.models import locate

    scorer = CometScorer.load(locate(str(model)), precision="bf16")
    scorer.score(pairs[:4])  # warm-up
    for size in sizes:
        scorer.batch_size = size
        started, cpu = time.perf_counter(), time.process_time()
        scorer.score(pairs)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"  bf16 batch {size:>3}: {took:6.1f} s wall, {cpu:6.1f} s CPU, {len(pairs) / cpu:5.2f} pairs per CPU-s")


def inprocess(model: Path, pairs: list[tuple[str, str]], rounds: int) -> None:
    """The scoring loop alone, model loaded once per mode, best of ``rounds``."""
    from transaudit.scoring.comet_scorer import CometScorer
    from transaudit.scoring.models import locate

    modes = [("fp32", "cast", False), ("fp32", "cast", True), ("bf16", "autocast", False),
             ("bf16", "autocast", True), ("bf16", "cast", False), ("bf16", "cast", True)]
    scorers = {m: CometScorer.load(locate(str(model)), precision=m[0], bf16_mode=m[1], fast_mix=m[2]) for m in modes}
    best: dict[tuple, tuple[float, float]] = {}
    scores: dict[tuple, list[float]] = {}
    for _ in range(rounds):
        for mode, scorer in scorers.items():
            started, cpu = time.perf_counter(), time.process_time()
            scores[mode] = scorer.score(pairs)
            took, cpu = time.perf_counter() - started, time.process_time() - cpu
            old = best.get(mode, (float("inf"), float("inf")))
            best[mode] = (min(old[0], took), min(old[1], cpu))
    exact = scores[("fp32", "cast", False)]
    print(f"\n## scoring loop alone, {len(pairs)} pairs, model loaded once, best of {rounds}")
    print(f"{'mode':<44}{'wall s':>8}{'CPU s':>8}{'pairs/s':>9}{'max |d| vs fp32':>17}")
    for mode in modes:
        label = {"cast": "bf16 weights, heads fp32", "autocast": "torch.autocast bf16"}[mode[1]] \
            if mode[0] == "bf16" else "fp32"
        label += ", transaudit layer mix" if mode[2] else ", COMET layer mix"
        wall, cpu = best[mode]
        drift = max(abs(a - b) for a, b in zip(scores[mode], exact))
        print(f"{label:<44}{wall:8.1f}{cpu:8.1f}{len(pairs) / wall:9.2f}{drift:17.2e}")


def side_by_side(work: Path, model: Path, pairs: list[tuple[str, str]], env: dict, rounds: int) -> None:
    """comet-score and transaudit fp32/bf16/auto, fresh processes, best of ``rounds``."""
    work.mkdir(parents=True, exist_ok=True)
    digest = write_inputs(work, pairs)
    n = len(pairs)
    runs: dict[str, list[tuple[float, float]]] = {}
    outputs: dict[str, dict] = {}
    theirs: list[float] = []
    for _ in range(rounds):
        t, c, proc = timed(
            [str(BIN / "comet-score"), "-s", str(work / "src.txt"), "-t", str(work / "mt.txt"),
             "--model", str(model / "checkpoints" / "model.ckpt"), "--gpus", "0", "--quiet"], env)
        theirs = [float(m) for m in re.findall(r"Segment \d+\tscore: (-?[\d.]+)", proc.stdout)]
        assert len(theirs) == n, proc.stdout[-2000:]
        runs.setdefault("comet-score", []).append((t, c))
        for name in ("fp32", "bf16", "auto"):
            t, c, data = transaudit(digest, model, work / f"{name}.json", env, "--no-cache",
                                    "--comet-precision", name)
            comet = data["summary"]["comet"]
            assert comet["scored"] == n and comet["cached"] == 0, comet
            assert all(len(p["comet"]["chunks"]) == 1 for p in data["pairs"])  # same inputs as comet-score
            runs.setdefault(name, []).append((t, c))
            outputs[name] = data
    cache = work / "cache"
    for stale in cache.glob("*"):
        stale.unlink()
    transaudit(digest, model, work / "fill.json", env, "--cache-dir", str(cache))
    t_cached, c_cached, cached = transaudit(digest, model, work / "cached.json", env, "--cache-dir", str(cache))
    assert cached["summary"]["comet"]["cached"] == n

    def score_list(name: str) -> list[float]:
        return [p["comet"]["score"] for p in outputs[name]["pairs"]]

    resolved = outputs["auto"]["summary"]["comet"]["precision"]
    best = {name: (min(w for w, _ in r), min(c for _, c in r)) for name, r in runs.items()}
    base_wall, base_cpu = best["comet-score"]
    print(f"\n## {n} pairs, fresh process each, CPU only, best of {rounds} rounds")
    print(f"{'run':<46}{'wall s':>8}{'CPU s':>8}{'pairs/s':>9}{'vs comet-score':>22}")
    labels = {"comet-score": "comet-score --gpus 0 (half precision)",
              "fp32": "transaudit check --comet-precision fp32",
              "bf16": "transaudit check --comet-precision bf16",
              "auto": f"transaudit check (default auto: {resolved})"}
    for name in ("comet-score", "fp32", "bf16", "auto"):
        wall, cpu = best[name]
        print(f"{labels[name]:<46}{wall:8.1f}{cpu:8.1f}{n / wall:9.2f}"
              f"{f'{base_wall / wall:.2f}x wall, {base_cpu / cpu:.2f}x CPU':>22}")
    print(f"{'transaudit check, fully cached rerun':<46}{t_cached:8.1f}{c_cached:8.1f}{n / t_cached:9.1f}"
          f"{f'{base_wall / t_cached:.0f}x wall':>22}")
    print("every round (wall s): " + "; ".join(f"{k} " + ", ".join(f"{w:.1f}" for w, _ in r) for k, r in runs.items()))
    ours, low = score_list("fp32"), score_list("bf16")
    print(f"largest score difference fp32 vs comet-score (its half precision): "
          f"{max(abs(a - b) for a, b in zip(ours, theirs)):.4f}")
    print(f"largest score difference bf16 vs fp32: {max(abs(a - b) for a, b in zip(ours, low)):.4f}")
    assert score_list("auto") == score_list(resolved)
    print(f"load average after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")


def drift(work: Path, size: str, kind: str, n: int, env: dict) -> None:
    """bf16 against fp32 over ``n`` pairs, through ``transaudit compare-precision`` (as a user runs it)."""
    model = work / f"xlmr-{size}-{kind}-random"
    if not (model / "BUILD.json").exists():
        build(model, size=size, kind=kind)
    pairs = make_pairs(n, seed=11)
    (work / f"drift-{size}-{kind}").mkdir(parents=True, exist_ok=True)
    digest = write_inputs(work / f"drift-{size}-{kind}", pairs)
    cmd = [str(BIN / "transaudit"), "compare-precision", str(digest), "--comet-model", str(model),
           "--sample", "0", "--no-cache", "--format", "json"]
    elapsed, _, proc = timed(cmd, env)
    stats = json.loads(proc.stdout)
    print(f"\n## bf16 drift, random-weight XLM-R {size} shape ({kind}), {stats['pairs']} distinct pairs")
    print(f"max |bf16 - fp32| {stats['max_abs_diff']:.4f}, mean {stats['mean_abs_diff']:.4f}, "
          f"Spearman {stats['spearman']:.4f}; fp32 {stats['seconds']['fp32']:.0f} s, "
          f"bf16 {stats['seconds']['bf16']:.0f} s (load and scoring); {elapsed:.0f} s in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200, help="pairs to score")
    parser.add_argument("--rounds", type=int, default=2, help="rounds; the best of them is reported")
    parser.add_argument("--workdir", type=Path, default=None, help="reuse a built model here")
    parser.add_argument("--inprocess", action="store_true", help="also time the scoring loop alone per mode")
    parser.add_argument("--sweep", default="", help="comma-separated batch sizes to time in-process (bf16)")
    parser.add_argument("--drift", default="", help="instead: bf16 drift over --drift-pairs for these "
                        "comma-separated shapes (base,large)")
    parser.add_argument("--drift-pairs", type=int, default=500)
    parser.add_argument("--drift-kind", default="unified", choices=["unified", "referenceless"])
    args = parser.parse_args()
    if args.drift:
        work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-comet-"))
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
        for size in args.drift.split(","):
            drift(work, size, args.drift_kind, args.drift_pairs, env)
        return

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-comet-"))
    work.mkdir(parents=True, exist_ok=True)
    model = work / "xlmr-base-random"
    if not (model / "BUILD.json").exists():
        started = time.perf_counter()
        build(model, size="base")
        print(f"built {model} in {time.perf_counter() - started:.1f} s")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    pairs = make_pairs(args.pairs)

    import torch
    from transformers import AutoTokenizer

    from transaudit.scoring.precision import BF16_CPU_FLAGS, cpu_flags, resolve

    tok = AutoTokenizer.from_pretrained(str(model / "encoder"))
    tokens = [len(tok(en)["input_ids"]) + len(tok(hi)["input_ids"]) for en, hi in pairs]
    flags = cpu_flags()
    shown = [f for f in (*BF16_CPU_FLAGS, "avx512_fp16", "amx_fp16") if f in flags]
    print(f"{args.pairs} pairs, {min(tokens)}-{max(tokens)} tokens per pair (mean {sum(tokens) / len(tokens):.0f}); "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} cpus")
    print(f"CPU flags: {', '.join(shown) or 'none of ' + ', '.join(BF16_CPU_FLAGS)}; {resolve('auto').describe()}")

    if args.sweep:
        sweep(model, pairs, [int(s) for s in args.sweep.split(",")])
    if args.inprocess:
        inprocess(model, pairs, args.rounds)
    side_by_side(work / "runs", model, pairs, env, args.rounds)


if __name__ == "__main__":
    main()
