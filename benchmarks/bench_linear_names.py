"""TA302 (entity_mismatch) time on one long hostile paragraph with thousands of distinct names.

A digest holds one pair whose English original names ``n`` distinct models (``Zorbl3x``,
``QUANTA-417`` ...); the Hindi keeps most of them, drops some and alters some (a letter
dropped, a version changed), so every path of the check runs: names present, names missing,
near names looked up, altered copies found. The pair is written at 1x, 2x, 4x and 8x its size
and TA302 alone is timed on each (parse excluded, best of ``--repeat``, CPU time of this
process). Time that grows linearly doubles per step: the ratio per doubling is printed, and
with ``--check`` the exit status is 1 when the largest ratio exceeds ``--max-ratio``.

    .venv/bin/python benchmarks/bench_linear_names.py [--names 1500] [--repeat 3] [--check]
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time

SIZES = (1, 2, 4, 8)


def _name(rng: random.Random, i: int) -> str:
    """A distinct name of one of the shapes TA302 reads: CamelCase, acronym-version, word+digit."""
    stem = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 6)))
    shape = i % 4
    if shape == 0:
        return stem.capitalize() + rng.choice(string.ascii_uppercase) + stem[:2] + str(i)
    if shape == 1:
        return stem.upper() + f"-{i}"
    if shape == 2:
        return stem.capitalize() + f"-{i}B"
    return stem + str(i) + "x" + stem[-1]


def _alter(name: str, rng: random.Random) -> str:
    i = rng.choice([j for j in range(1, len(name) - 1) if name[j].isalnum()])
    return name[:i] + name[i + 1:] if name[i].isalpha() else name[:i] + str((int(name[i]) + 1) % 10) + name[i + 1:]


def digest(names: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    en, hi = [], []
    for i in range(names):
        name = _name(rng, i)
        en.append(f"We compare {name} with the baseline.")
        r = rng.random()
        kept = "" if r < 0.05 else _alter(name, rng) if r < 0.10 else name
        hi.append(f"हम {kept} की तुलना baseline से करते हैं।")
    return ("# Digest\n\n## पेपर सारांश\n\n• " + " ".join(hi) + "\n    > " + " ".join(en) + "\n")


def time_ta302(text: str, repeat: int) -> tuple[float, int]:
    from transaudit.audit import run_checks
    from transaudit.checks.base import select_checks
    from transaudit.parsing import parse_document

    doc = parse_document("hostile.txt", text)
    checks = select_checks(select=["entity_mismatch"])
    best, findings = float("inf"), 0
    for _ in range(repeat):
        t0 = time.process_time()
        out = run_checks([doc], checks, {})
        best = min(best, time.process_time() - t0)
        findings = len(out)
    return best, findings


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", type=int, default=1500, help="distinct names at 1x")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--max-ratio", type=float, default=2.6, help="largest time ratio per doubling allowed by --check")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    print(f"TA302 on one paragraph with {args.names:,} distinct names at 1x (CPU seconds, best of {args.repeat})")
    previous, worst = None, 0.0
    for k in SIZES:
        text = digest(args.names * k)
        seconds, findings = time_ta302(text, args.repeat)
        ratio = seconds / previous if previous else None
        worst = max(worst, ratio or 0.0)
        print(f"  {k}x  {args.names * k:>7,} names  {len(text) / 1e3:>8,.0f} kB  {seconds:8.3f} s"
              f"  findings {findings}" + (f"  ratio {ratio:.2f}" if ratio else ""))
        previous = seconds
    verdict = "ok" if worst <= args.max_ratio else "SUPER-LINEAR"
    print(f"  largest ratio per doubling {worst:.2f} (linear is 2.0; --check allows {args.max_ratio})  {verdict}")
    return 1 if args.check and worst > args.max_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
