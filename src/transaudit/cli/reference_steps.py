"""Steps of ``check`` for references: flags, reading the reference digests, scores, the gate.

A missing or unreadable reference digest is one line on stderr naming it; the audit goes on and
the run exits 2 at the end, as for any bad input.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from transaudit.cli.app import err, usage_error


def check_reference_flags(fail_under_chrf: Optional[float], fail_over_ter: Optional[float], by_digest: bool,
                          fmt: str) -> None:
    if fail_under_chrf is not None and not 0 <= fail_under_chrf <= 100:
        raise usage_error(f"--fail-under-chrf must be between 0 and 100, not {fail_under_chrf:g}")
    if fail_over_ter is not None and fail_over_ter < 0:
        raise usage_error(f"--fail-over-ter must be 0 or more, not {fail_over_ter:g}")
    if by_digest and fmt != "csv":
        raise usage_error("--by-digest writes the per-digest score table as CSV: use it with --format csv")


def load_references(paths: list[Path], documents, quiet: bool):
    """(references per document path, reference file per document path, input errors)."""
    from transaudit.model import InputError
    from transaudit.parsing import load_paths
    from transaudit.references.matching import reference_files, references_of

    given = [str(p) for p in paths]
    errors = []
    for path in given:
        if not os.path.exists(path):
            errors.append(InputError(path, "reference: no such file or directory"))
    given = [p for p in given if os.path.exists(p)]
    files = reference_files(given, [d.path for d in documents]) if given else {}
    wanted = sorted({f for f in files.values() if f})
    ref_docs, ref_errors = load_paths(wanted) if wanted else ([], [])
    errors.extend(InputError(e.file, f"reference digest: {e.message}") for e in ref_errors)
    by_path = {d.path: d for d in ref_docs}
    refs, shown = {}, {}
    for doc in documents:
        ref_file = files.get(doc.path)
        ref_doc = by_path.get(ref_file) if ref_file else None
        refs[doc.path] = references_of(doc, ref_doc)
        shown[doc.path] = ref_file if ref_doc is not None else None
        pairs = sum(1 for s in doc.segments if s.is_pair)
        if quiet or not given or not pairs:
            continue
        if ref_file is None and not refs[doc.path]:
            err(f"{doc.path}: no reference digest named {os.path.basename(doc.path)} in "
                f"{', '.join(given)}; its pairs are not scored against a reference")
        elif ref_doc is not None and len(refs[doc.path]) < pairs:
            err(f"{doc.path}: {pairs - len(refs[doc.path])} of {pairs} pairs have no reference pair "
                f"(same paper and section, or same English original) in {ref_file}")
    return refs, shown, errors


def score_against_references(documents, refs: dict, files: dict, jobs: int = 1):
    """sacrebleu scores, or None when no pair has a reference."""
    if not any(refs.values()):
        return None
    from transaudit.references.stage import score_references

    return score_references(documents, refs, files, jobs=jobs)


def attach_references(result, run) -> None:
    """Per pair ``reference`` (null without one), ``summary.reference`` and ``summary.by_file_reference``."""
    if run is None:
        return
    root = result.root

    def rel(path):
        return root.relative(path) if (root is not None and path) else path

    for where, record in run.records.items():
        if record is not None:
            record = {**record, "file": rel(record["file"])}
        result.pair_extras.setdefault(where, {})["reference"] = record
    result.summary_extras["reference"] = run.summary()
    result.summary_extras["by_file_reference"] = {
        result.path_of(path): {**row, "reference": rel(row["reference"])}
        for path, row in sorted(run.by_file.items(), key=lambda item: result.path_of(item[0]))}


def reference_gate(result, fail_under_chrf: Optional[float], fail_over_ter: Optional[float], quiet: bool) -> bool:
    """True when a threshold is missed (each miss named on stderr); exit 2 when nothing to judge."""
    from transaudit.gate import GateError
    from transaudit.gate.reference_thresholds import threshold_failures

    try:
        failures = threshold_failures(result.summary_extras.get("reference"), fail_under_chrf, fail_over_ter)
    except GateError as exc:
        raise usage_error(str(exc))
    for line in failures:
        err(line)
    return bool(failures)


def refuse_reference_model_without_references(reference_model: Optional[str], refs: dict) -> None:
    if reference_model and not any(refs.values()):
        raise usage_error(f"--reference-model {reference_model}: a reference-based COMET model needs references, "
                          "and no pair has one (give --reference PATH, or a 'reference' column in parallel files)")


def score_reference_comet(run, documents, model: Optional[str], precision: str, gpus: int, batch_size,
                          cache_dir, no_cache: bool, require: bool, quiet: bool) -> None:
    """Reference-based COMET scores into ``run``, or one line why not (exit 2 with --require-comet)."""
    if run is None:
        return
    from transaudit.references.comet_reference import DEFAULT_REFERENCE_MODEL, score_triples
    from transaudit.scoring.models import ModelUnavailable
    from transaudit.scoring.run import CometNotInstalled

    segments = {(d.path, s.index): s for d in documents for s in d.segments if s.is_pair}
    triples = {where: (segments[where].source or "", segments[where].translation or "", record["text"])
               for where, record in run.records.items() if record is not None}
    try:
        scores = score_triples(triples, model or DEFAULT_REFERENCE_MODEL, precision=precision, gpus=gpus,
                               batch_size=batch_size, cache_dir=cache_dir, use_cache=not no_cache, notify=err)
    except ModelUnavailable as exc:
        if require:
            raise usage_error(f"{exc} (--require-comet)")
        if isinstance(exc, CometNotInstalled):
            err(str(exc))
        else:
            err(f"reference COMET scores unavailable: {exc}; scoring against references with sacrebleu only")
        return
    if scores.truncated and not quiet:
        err(f"{scores.truncated} pair(s) with a reference have a sentence longer than the reference COMET model's "
            "limit; it was scored truncated and is marked \"truncated\" in the JSON output")
    run.add_comet(scores.records, scores.summary())


def refuse_outputs_on_references(outputs, given: list[Path], files: dict) -> None:
    """Exit 2 before anything is written when an output would land on a reference digest."""
    from transaudit.cli.output_guard import Inputs, overlap

    inputs = Inputs()
    inputs.add_all(given, "a reference (--reference)")
    inputs.add_all(sorted({f for f in files.values() if f}), "a reference digest (--reference)")
    problem = overlap(outputs, inputs)
    if problem:
        raise usage_error(problem)


def note_reference_scores(run, quiet: bool) -> None:
    """One stderr line with the run's corpus scores against the references."""
    if run is None or quiet or not run.pairs_with_reference:
        return
    c = run.corpus
    total = run.pairs_with_reference + run.pairs_without_reference
    line = (f"against references: chrF {c['chrf']:.2f}, BLEU {c['bleu']:.2f}, TER {c['ter']:.2f} "
            f"(sacrebleu corpus scores, BLEU tok:{run.signatures['bleu'].split('tok:')[1].split('|')[0]}) "
            f"over {run.pairs_with_reference} of {total} pairs")
    if run.comet and run.comet.get("score") is not None:
        line += f"; reference COMET {run.comet['score']:.3f} ({run.comet['model']})"
    err(line)
