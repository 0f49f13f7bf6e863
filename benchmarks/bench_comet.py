"""COMET scoring speed: transaudit against ``comet-score`` on the same pairs and model, on CPU.

The model is a random-weight COMET ``UnifiedMetric`` with the real XLM-R base architecture
(768 hidden, 12 layers, 12 heads, 3072 intermediate, 512 positions), built offline by
``tests/tiny_comet.py --size base``; its vocabulary is the sentencepiece tokenizer trained on
the fixture corpus, so token counts are not XLM-R's, but both tools see the same tokens.
The pairs are digest-like paragraphs of 1-4 sentences (all within the 512-token limit, so
transaudit scores exactly what ``comet-score`` scores).

Measured, end to end as a user runs them (fresh process each, model load included), wall and
CPU seconds (CPU seconds stay comparable when other work shares the machine):

1. ``transaudit check DIGEST --comet-model DIR`` on an empty cache (fp32, sorted batches),
2. ``comet-score -s SRC -t MT --model DIR/checkpoints/model.ckpt --gpus 0`` (half precision),
3. ``transaudit check --comet-precision bf16`` (opt-in bfloat16 autocast; its scores are cached
   apart from the fp32 ones, so it scores everything afresh), with its largest score difference
   to the fp32 run,
4. ``transaudit check`` again over the warm cache (no model load at all).

Two scenarios: this CPU as it is, and a CPU without AVX512-FP16 (most CPUs), where half
precision has no hardware support; on a CPU with AVX512-FP16 half precision costs about as much
as fp32, so there the speed-up comes only from batching.

    .venv/bin/python benchmarks/bench_comet.py [--pairs 40] [--pairs-no-fp16 12] [--workdir DIR]
                                              [--sweep 4,8,16]
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

    scorer = CometScorer.load(locate(str(model)))
    scorer.score(pairs[:4])  # warm-up
    for size in sizes:
        scorer.batch_size = size
        started, cpu = time.perf_counter(), time.process_time()
        scorer.score(pairs)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"  batch {size:>3}: {took:6.1f} s wall, {cpu:6.1f} s CPU, {len(pairs) / cpu:5.2f} pairs per CPU-s")


def scenario(title: str, work: Path, model: Path, pairs: list[tuple[str, str]], env: dict) -> None:
    """Fresh transaudit run, comet-score, cached transaudit rerun; print one table."""
    work.mkdir(parents=True, exist_ok=True)
    digest = write_inputs(work, pairs)
    n = len(pairs)
    cache = work / "cache"
    for stale in cache.glob("*"):
        stale.unlink()
    t_ours, c_ours, first = transaudit(digest, model, work / "ours.json", env, "--cache-dir", str(cache))
    summary = first["summary"]["comet"]
    assert summary["scored"] == n and summary["cached"] == 0, summary
    ours = [p["comet"]["score"] for p in first["pairs"]]
    assert all(len(p["comet"]["chunks"]) == 1 for p in first["pairs"])  # same inputs as comet-score

    t_theirs, c_theirs, proc = timed(
        [str(BIN / "comet-score"), "-s", str(work / "src.txt"), "-t", str(work / "mt.txt"),
         "--model", str(model / "checkpoints" / "model.ckpt"), "--gpus", "0", "--quiet"], env)
    theirs = [float(m) for m in re.findall(r"Segment \d+\tscore: (-?[\d.]+)", proc.stdout)]
    assert len(theirs) == n, proc.stdout[-2000:]

    t_bf16, c_bf16, low = transaudit(digest, model, work / "bf16.json", env, "--cache-dir", str(cache),
                                     "--comet-precision", "bf16")
    assert low["summary"]["comet"]["cached"] == 0 and "|bf16|" in low["summary"]["comet"]["signature"]
    drift = max(abs(a["comet"]["score"] - b["comet"]["score"]) for a, b in zip(first["pairs"], low["pairs"]))

    t_cached, c_cached, second = transaudit(digest, model, work / "cached.json", env, "--cache-dir", str(cache))
    assert second["summary"]["comet"]["cached"] == n

    diff = max(abs(a - b) for a, b in zip(ours, theirs))
    print(f"\n## {title}: {n} pairs")
    print(f"{'run (fresh process each, CPU only)':<42}{'wall s':>8}{'CPU s':>8}{'pairs/s':>9}{'pairs/CPU-s':>13}")
    rows = [("transaudit check (fp32, sorted batches)", t_ours, c_ours),
            ("comet-score --gpus 0 (half precision)", t_theirs, c_theirs),
            ("transaudit check --comet-precision bf16", t_bf16, c_bf16),
            ("transaudit check, fully cached rerun", t_cached, c_cached)]
    for label, wall, cpu in rows:
        print(f"{label:<42}{wall:8.1f}{cpu:8.1f}{n / wall:9.2f}{n / cpu:13.2f}")
    print(f"transaudit scoring stage alone (load + score): {summary['seconds']:.1f} s wall")
    print(f"speed-up over comet-score: {t_theirs / t_ours:.2f}x wall, {c_theirs / c_ours:.2f}x CPU; "
          f"cached rerun {t_theirs / t_cached:.0f}x wall")
    print(f"bf16 speed-up over comet-score: {t_theirs / t_bf16:.2f}x wall, {c_theirs / c_bf16:.2f}x CPU")
    print(f"largest score difference to comet-score (fp32 vs its half precision): {diff:.4f}")
    print(f"largest score difference bf16 vs fp32 (transaudit): {drift:.4f}")
    print(f"load average after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=40, help="pairs in the native-CPU scenario")
    parser.add_argument("--pairs-no-fp16", type=int, default=12,
                        help="pairs in the scenario of a CPU without AVX512-FP16 (0 skips it)")
    parser.add_argument("--workdir", type=Path, default=None, help="reuse a built model here")
    parser.add_argument("--sweep", default="", help="comma-separated batch sizes to time in-process")
    args = parser.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-comet-"))
    work.mkdir(parents=True, exist_ok=True)
    model = work / "xlmr-base-random"
    if not (model / "BUILD.json").exists():
        started = time.perf_counter()
        build(model, size="base")
        print(f"built {model} in {time.perf_counter() - started:.1f} s")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    pairs = make_pairs(max(args.pairs, args.pairs_no_fp16))

    import torch
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model / "encoder"))
    tokens = [len(tok(en)["input_ids"]) + len(tok(hi)["input_ids"]) for en, hi in pairs[:args.pairs]]
    flags = open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else ""
    print(f"{args.pairs} pairs, {min(tokens)}-{max(tokens)} tokens per pair (mean {sum(tokens) / len(tokens):.0f}); "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} cpus, "
          f"avx512_fp16: {'yes' if 'avx512_fp16' in flags else 'no'}")

    if args.sweep:
        sweep(model, pairs[:args.pairs], [int(s) for s in args.sweep.split(",")])

    scenario("this CPU as it is", work / "native", model, pairs[:args.pairs], env)
    if args.pairs_no_fp16:
        # Half-precision matmuls on CPU go through oneDNN, fp32 ones through MKL. Capping oneDNN
        # at AVX512_CORE is what a CPU without AVX512-FP16/AMX (most AMD and pre-2023 Intel
        # CPUs, laptops) gives comet-score's half precision; fp32 is not affected.
        scenario("CPU without AVX512-FP16 (ONEDNN_MAX_CPU_ISA=AVX512_CORE)", work / "no-fp16", model,
                 pairs[:args.pairs_no_fp16], {**env, "ONEDNN_MAX_CPU_ISA": "AVX512_CORE"})


if __name__ == "__main__":
    main()
