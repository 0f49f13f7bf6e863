"""Reference-based COMET: (source, translation, reference) triples scored by a model such as
``Unbabel/wmt22-comet-da``.

The QE stage's parts are reused, not copied: model lookup and offline behaviour
(``scoring.models``), the SQLite score cache (rows keyed by the three texts, under the model's
identity marked ``|ref``), precision (``scoring.precision``), the loaded-model scorer
(``CometScorer``, subclassed to take references) and the sentence chunker. A triple too long for
the model is chunked as a QE pair is: source and translation are split into aligned sentence
chunks (with headroom so the reference piece fits too), and the reference's sentences are
aligned with the translation's and given to the chunk holding their translation sentences.
COMET and torch are imported only when a triple misses the cache.
"""

from __future__ import annotations

import hashlib
import importlib.util
import time
from dataclasses import dataclass, field
from typing import Callable

from transaudit.scoring import models
from transaudit.scoring.cache import ScoreCache, default_dir
from transaudit.scoring.chunking import _attach_unmatched, align, make_chunks, split_sentences
from transaudit.scoring.models import ModelUnavailable

DEFAULT_REFERENCE_MODEL = "Unbabel/wmt22-comet-da"
# Reference-free classes (hparams.yaml ``class_identifier``): refused as --reference-model.
REFERENCE_FREE = ("referenceless_regression_metric",)
# Share of the per-side limit a translation chunk may use, so that its reference piece (an
# edited copy of it, rarely much longer) fits beside it.
HEADROOM = 0.8


@dataclass
class ReferenceScores:
    model: str
    signature: str
    precision: str
    records: dict[tuple[str, int], dict | None] = field(default_factory=dict)
    scored: int = 0
    cached: int = 0
    skipped: int = 0
    truncated: int = 0
    seconds: float = 0.0

    def summary(self) -> dict:
        return {"model": self.model, "scored": self.scored, "cached": self.cached, "skipped": self.skipped,
                "seconds": round(self.seconds, 3), "precision": self.precision, "signature": self.signature}


def triple_key(source: str, translation: str, reference: str) -> str:
    """Exact text of the three sides (length-prefixed, so no two triples share a key)."""
    h = hashlib.sha256(b"ref\x00")
    for part in (source, translation, reference):
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def refuse_reference_free(ref: models.ModelRef) -> None:
    """One line when a reference-free (QE) model is given where references are compared."""
    import yaml

    try:
        hparams = yaml.safe_load((ref.model_dir / "hparams.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return  # the loader names an unreadable file
    if hparams.get("class_identifier") in REFERENCE_FREE:
        raise ModelUnavailable(f"COMET model {ref.spec} is reference-free (quality estimation); give it as "
                               "--comet-model, and a reference-based model (e.g. Unbabel/wmt22-comet-da) "
                               "as --reference-model")


def score_triples(triples: dict[tuple[str, int], tuple[str, str, str]], model_spec: str, *, precision: str = "auto",
                  gpus: int = 0, batch_size: int | None = None, cache_dir=None, use_cache: bool = True,
                  notify: Callable[[str], None] = lambda m: None) -> ReferenceScores:
    """Score ``(source, translation, reference)`` per pair; :class:`ModelUnavailable` says why not."""
    from transaudit.scoring.precision import resolve
    from transaudit.scoring.run import CometNotInstalled

    started = time.perf_counter()
    if importlib.util.find_spec("comet") is None or importlib.util.find_spec("huggingface_hub") is None:
        raise CometNotInstalled("reference COMET scores are off: the comet extra is not installed "
                                "(pip install 'transaudit[comet]')")
    resolved = resolve(precision, gpus)
    ref = models.locate(model_spec)
    cache = ScoreCache(cache_dir or default_dir(), warn=notify) if use_cache else None
    try:
        ref = models.ensure_checkpoint(ref)
        refuse_reference_free(ref)
        sha = models.checkpoint_sha256(ref.checkpoint, memo=cache)
        ident = models.identity(ref, sha, resolved.precision) + "|ref"
        signature = models.signature(ref, sha, resolved.precision) + "|ref"
        run = ReferenceScores(model=ref.name, signature=signature, precision=resolved.precision)
        texts: dict[str, tuple[str, str, str]] = {}
        keyed: list[tuple[tuple[str, int], str | None]] = []
        for where, (src, mt, reference) in triples.items():
            if not (src.strip() and mt.strip() and reference.strip()):
                keyed.append((where, None))
                continue
            key = triple_key(src, mt, reference)
            texts[key] = (src, mt, reference)
            keyed.append((where, key))
        results = cache.get_many(ident, texts) if cache else {}
        from_cache = set(results)
        missing = [k for k in texts if k not in results]
        if missing:
            ref = models.ensure_files(ref)
            try:
                computed = _score_missing(ref, [texts[k] for k in missing], gpus, batch_size,
                                          resolved.precision, notify)
            except ModelUnavailable:
                raise
            except Exception as exc:  # e.g. out of memory: one line, and the audit goes on
                first = (str(exc).strip().splitlines() or [""])[0]
                raise ModelUnavailable(f"reference COMET scoring failed ({type(exc).__name__}: {first})") from None
            fresh = dict(zip(missing, computed))
            if cache:
                cache.put_many(ident, fresh)
            results.update(fresh)
    finally:
        if cache:
            cache.close()
    for where, key in keyed:
        if key is None:
            run.records[where] = None
            run.skipped += 1
            continue
        stored = results[key]
        record = {"model": ref.name, "score": stored["score"], "chunks": stored["chunks"],
                  "cached": key in from_cache, "signature": signature}
        if len(stored["chunks"]) > 1:
            record["weakest_chunk"] = stored["weakest_chunk"]
        if stored.get("truncated"):
            record["truncated"] = True
            run.truncated += 1
        run.records[where] = record
        run.scored += 1
        run.cached += key in from_cache
    run.seconds = time.perf_counter() - started
    return run


def _scorer_class():
    from transaudit.scoring.comet_scorer import CometScorer

    class ReferenceScorer(CometScorer):
        """CometScorer for (source, translation, reference) with a reference-based model."""

        takes_references = True

        def fits_reference(self, reference: str) -> bool:
            return self.count_tokens(reference) <= self.max_positions - 4

        def fits_with_headroom(self, source: str, translation: str) -> bool:
            if not self.fits(source, translation):
                return False
            return self.count_tokens(translation) <= HEADROOM * (self.max_positions - 4)

        def score(self, chunks, progress=None):  # chunks: (source, translation, reference)
            import torch

            lengths = [sum(self.count_tokens(t) for t in c) for c in chunks]
            order = sorted(range(len(chunks)), key=lambda i: lengths[i], reverse=True)
            scores = [0.0] * len(chunks)
            with torch.inference_mode():
                for start in range(0, len(order), self.batch_size):
                    idx = order[start:start + self.batch_size]
                    samples = [{"src": chunks[i][0], "mt": chunks[i][1], "ref": chunks[i][2]} for i in idx]
                    batch = self.model.prepare_sample(samples, stage="predict")
                    if self.device.type != "cpu":
                        from transaudit.scoring.comet_scorer import _to_device

                        batch = _to_device(batch, self.device)
                    with self._autocast():
                        prediction = self.model.predict_step(batch)
                    for i, value in zip(idx, prediction["scores"].float().cpu().tolist()):
                        scores[i] = float(value)
            return scores

    return ReferenceScorer


def reference_chunks(source: str, translation: str, reference: str, scorer) -> list[tuple[str, str, str, bool]]:
    """(source, translation, reference, fits) pieces of one triple, in order, covering all text."""
    if scorer.fits(source, translation) and scorer.fits_reference(reference):
        return [(source, translation, reference, True)]
    chunks = make_chunks(source, translation, scorer.fits_with_headroom)
    if len(chunks) == 1:
        c = chunks[0]
        return [(c.source, c.translation, reference, c.fits and scorer.fits_reference(reference))]
    mt_spans, ref_spans = split_sentences(translation), split_sentences(reference)
    # Which translation sentences each chunk holds (chunks are consecutive sentence runs).
    owner: list[int] = []
    for k, c in enumerate(chunks):
        owner.extend([k] * len(split_sentences(c.translation)))
    if not ref_spans or len(owner) != len(mt_spans):
        return [(c.source, c.translation, reference if k == 0 else "", False) for k, c in enumerate(chunks)]
    pieces: list[list[int]] = [[] for _ in chunks]
    for mt_range, ref_range in _attach_unmatched(align([s.end - s.start for s in mt_spans],
                                                       [s.end - s.start for s in ref_spans])):
        pieces[owner[mt_range.start] if mt_range else 0].extend(ref_range)
    out: list[list] = []
    for c, idx in zip(chunks, pieces):
        if idx:
            text = reference[ref_spans[min(idx)].start:ref_spans[max(idx)].end]
            out.append([c.source, c.translation, text, c.fits])
        elif out:  # no reference sentence of its own: joins the chunk before
            out[-1][0] += " " + c.source
            out[-1][1] += " " + c.translation
            out[-1][3] = False
        else:
            out.append([c.source, c.translation, "", c.fits])
    if out and not out[0][2] and len(out) > 1:  # the first chunk got nothing: join the next one
        first = out.pop(0)
        out[0][0], out[0][1] = first[0] + " " + out[0][0], first[1] + " " + out[0][1]
    result = []
    for s, t, r, fits in out:
        fits = fits and scorer.fits(s, t) and scorer.fits_reference(r)
        result.append((s, t, r, fits))
    return result


def _score_missing(ref, triples: list[tuple[str, str, str]], gpus: int, batch_size: int | None, precision: str,
                   notify: Callable[[str], None]) -> list[dict]:
    scorer = _scorer_class().load(ref, gpus=gpus, batch_size=batch_size, precision=precision, warn=notify)
    if not scorer.model.requires_references():
        raise ModelUnavailable(f"COMET model {ref.spec} does not compare with references; give it as --comet-model")
    per_triple = [reference_chunks(s, t, r, scorer) for s, t, r in triples]
    flat = [c for chunks in per_triple for c in chunks]
    scores = scorer.score([(s, t, r) for s, t, r, _ in flat])
    out: list[dict] = []
    cursor = 0
    for chunks in per_triple:
        part = scores[cursor:cursor + len(chunks)]
        cursor += len(chunks)
        items = []
        for (s, t, r, fits), score in zip(chunks, part):
            item = {"source": s, "translation": t, "reference": r, "score": score,
                    "tokens": scorer.count_tokens(s) + scorer.count_tokens(t) + scorer.count_tokens(r)}
            if not fits:
                item["truncated"] = True
            items.append(item)
        total = sum(max(i["tokens"], 1) for i in items)
        combined = sum(i["score"] * max(i["tokens"], 1) for i in items) / total
        weakest = min(range(len(items)), key=lambda k: items[k]["score"])
        out.append({"score": combined, "chunks": items, "weakest_chunk": weakest,
                    "truncated": any(not fits for *_, fits in chunks)})
    return out
