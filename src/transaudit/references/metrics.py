"""sacrebleu's chrF, BLEU and TER per pair, per digest and for the run, with their signatures.

The scores are sacrebleu's, through its metric classes: each pair's statistics are extracted
once (``_extract_corpus_statistics``, what ``sentence_score`` and ``corpus_score`` both call),
a pair's score is computed from its own statistics and a digest's or the run's from the sum of
its pairs' statistics (``_aggregate_and_compute``, what ``corpus_score`` does). So a corpus
score is sacrebleu's corpus score, not an average of sentence scores, and no text is tokenized
twice. Sentence BLEU uses ``effective_order=True`` (as ``sacrebleu --sentence-level`` does);
corpus BLEU does not.

BLEU's tokenizer is ``intl`` (measured, see the README, "Scores against references"): ``13a``
splits ASCII punctuation only, so it glues the danda to the word before it (197 of 4,232 tokens
of the clean corpus' Hindi) and a mere blank before ``।`` costs 7 BLEU points; ``intl`` splits
every Unicode punctuation mark; ``char`` barely moves for a changed name (98.7) and is 3.5x
slower; ``flores200`` needs a download. chrF and TER keep sacrebleu's defaults.

sacrebleu is imported inside the functions: ``transaudit --help`` must not pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass

BLEU_TOKENIZER = "intl"
METRICS = ("chrf", "bleu", "ter")


@dataclass
class Scorers:
    """The metric objects of one run (sacrebleu caches nothing between calls we make)."""

    chrf: object
    bleu: object  # corpus BLEU
    bleu_sentence: object  # effective_order=True
    ter: object

    @classmethod
    def create(cls) -> "Scorers":
        from sacrebleu.metrics import BLEU, CHRF, TER

        return cls(chrf=CHRF(), bleu=BLEU(tokenize=BLEU_TOKENIZER),
                   bleu_sentence=BLEU(tokenize=BLEU_TOKENIZER, effective_order=True), ter=TER())

    def signatures(self) -> dict[str, str]:
        return {"chrf": str(self.chrf.get_signature()), "bleu": str(self.bleu.get_signature()),
                "bleu_sentence": str(self.bleu_sentence.get_signature()), "ter": str(self.ter.get_signature())}


@dataclass
class PairStats:
    """sacrebleu's segment statistics of one (translation, reference) pair, per metric."""

    chrf: list
    bleu: list
    ter: list


# Pairs per call into sacrebleu: it caches the n-grams of every reference it is given (about
# 0.14 MB per paragraph for chrF), so a corpus goes in batches and memory stays bounded.
BATCH = 256


def _batch_stats(scorers: Scorers, hyps: list[str], refs: list[str]) -> list[PairStats]:
    per_metric = [metric._extract_corpus_statistics(hyps, [refs]) for metric in (scorers.chrf, scorers.bleu, scorers.ter)]
    return [PairStats(c, b, t) for c, b, t in zip(*per_metric)]


def _worker_batch(batch: tuple[list[str], list[str]]) -> list[PairStats]:
    return _batch_stats(Scorers.create(), *batch)


def extract(scorers: Scorers, translations: list[str], references: list[str], jobs: int = 1) -> list[PairStats]:
    """Statistics of every pair, in order. With ``jobs`` > 1 and more than two batches, batches
    run in worker processes (the statistics, and so every score, are the same)."""
    if not translations:
        return []
    batches = [(translations[i:i + BATCH], references[i:i + BATCH]) for i in range(0, len(translations), BATCH)]
    out: list[PairStats] = []
    if jobs > 1 and len(batches) > 2:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: the workers run sacrebleu only (pure Python), nothing of what the parent loaded
        with ProcessPoolExecutor(min(jobs, len(batches)), mp_context=multiprocessing.get_context("fork")) as pool:
            for stats in pool.map(_worker_batch, batches):
                out.extend(stats)
    else:
        for hyps, refs in batches:
            out.extend(_batch_stats(scorers, hyps, refs))
    # The sentence BLEU object sees one reference stream too, so its signature says nrefs:1;
    # the corpus objects too when the batches ran elsewhere.
    for metric in (scorers.chrf, scorers.bleu, scorers.ter, scorers.bleu_sentence):
        metric._extract_corpus_statistics(translations[:1], [references[:1]])
    return out


def _number(score) -> float:
    return round(float(score.score), 4)


def sentence_scores(scorers: Scorers, stats: PairStats) -> dict[str, float]:
    """sacrebleu's sentence scores of one pair: ``{"chrf", "bleu", "ter"}``."""
    return {"chrf": _number(scorers.chrf._aggregate_and_compute([stats.chrf])),
            "bleu": _number(scorers.bleu_sentence._aggregate_and_compute([stats.bleu])),
            "ter": _number(scorers.ter._aggregate_and_compute([stats.ter]))}


def corpus_scores(scorers: Scorers, stats: list[PairStats]) -> dict[str, float | None]:
    """sacrebleu's corpus scores over ``stats`` (``None`` each when there is no pair)."""
    if not stats:
        return {name: None for name in METRICS}
    return {"chrf": _number(scorers.chrf._aggregate_and_compute([s.chrf for s in stats])),
            "bleu": _number(scorers.bleu._aggregate_and_compute([s.bleu for s in stats])),
            "ter": _number(scorers.ter._aggregate_and_compute([s.ter for s in stats]))}
