"""Which sacrebleu tokenizer for BLEU on Devanagari: measured, not assumed.

On the clean corpus' Hindi paragraphs: how many tokens each tokenizer leaves with the danda
glued to a word, and the mean (± standard deviation) sentence BLEU of a paragraph with one edit
injected by ``inject.py`` against its clean original, per operator, with chrF beside it.

    .venv/bin/python benchmarks/bleu_tokenizers.py
"""

from __future__ import annotations

import random
import statistics
import time

import inject
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from sacrebleu.tokenizers.tokenizer_intl import TokenizerV14International

OPERATORS = ["name_char_replaced", "name_deleted", "number_digit_changed", "number_unit_dropped", "latin_stop",
             "space_before_danda", "english_clause_in_hindi", "korean_or_chinese_sentence", "most_sentences_dropped"]
TOKENIZERS = ["13a", "intl", "char"]


def main() -> None:
    digests = [inject.read_digest(p) for p in sorted(inject.CORPUS.iterdir())]
    hindi = [inject.body_of(d.lines[h], d.layout)[1] for d in digests for h, _ in d.pairs]
    print(f"{len(hindi)} Hindi paragraphs")
    for name, tok in (("13a", Tokenizer13a()), ("intl", TokenizerV14International())):
        tokens = [t for s in hindi for t in tok(s).split()]
        glued = sum(1 for t in tokens if len(t) > 1 and "।" in t)
        print(f"{name}: {len(tokens)} tokens, {glued} with the danda glued to a word")
    rng = random.Random(7)
    rows: dict[str, list[tuple[str, str]]] = {op: [] for op in OPERATORS}
    for op in OPERATORS:
        tries = 0
        while len(rows[op]) < 40 and tries < 400:
            tries += 1
            d = rng.choice(digests)
            try:
                new, _, line, _, _ = inject.OPERATORS[op](list(d.lines), d, rng)
            except (inject.Skip, IndexError):
                continue
            if len(new) == len(d.lines) and new[line] != d.lines[line]:
                rows[op].append((new[line], d.lines[line]))
    chrf = CHRF()
    print(f"{'operator':28s} " + " ".join(f"{t:>12s}" for t in [*TOKENIZERS, "chrF"]) + "    n")
    for op in OPERATORS:
        cols = []
        for tok in TOKENIZERS:
            bleu = BLEU(tokenize=tok, effective_order=True)
            cols.append([bleu.sentence_score(h, [r]).score for h, r in rows[op]])
        cols.append([chrf.sentence_score(h, [r]).score for h, r in rows[op]])
        print(f"{op:28s} " + " ".join(f"{statistics.mean(v):6.1f}±{statistics.pstdev(v):4.1f}" for v in cols)
              + f" {len(rows[op]):4d}")
    for tok in TOKENIZERS:
        bleu = BLEU(tokenize=tok)
        started = time.perf_counter()
        bleu.corpus_score(hindi * 10, [hindi * 10])
        print(f"{tok}: corpus BLEU of {len(hindi) * 10} paragraphs in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
