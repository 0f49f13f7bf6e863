"""Reference-based COMET (issue 14) with a real, tiny, offline-built RegressionMetric checkpoint."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("comet")

from tiny_comet import session_model  # noqa: E402
from transaudit.cli import app  # noqa: E402

DIGEST = Path(__file__).parent / "comet_data" / "digest.txt"
LONG_PAIRS = (1, 3)
runner = CliRunner()
# Edits an editor might make to the Hindi (the corrected digest is the reference).
EDITS = [("प्रस्तावित करते हैं", "पेश करते हैं"), ("बेहतर प्रदर्शन करता है", "अच्छा प्रदर्शन करता है"),
         ("प्राथमिकता दी", "पसंद किया")]


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    return session_model(tmp_path_factory, "regression"), session_model(tmp_path_factory, "referenceless")


@pytest.fixture()
def reference(tmp_path) -> Path:
    text = DIGEST.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "ref").mkdir()
    path = tmp_path / "ref" / DIGEST.name
    path.write_text(text, encoding="utf-8")
    return path


def run(tmp_path, *extra, code=0):
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["check", str(DIGEST), "--no-report", "--format", "json", "-o", str(out),
                                 "--fail-on", "never", "--comet-precision", "fp32",
                                 "--cache-dir", str(tmp_path / "cache"), *map(str, extra)])
    assert result.exit_code == code, result.output
    return result, (json.loads(out.read_text(encoding="utf-8")) if out.exists() else None)


def test_reference_scores_equal_the_comet_python_api(models, reference, tmp_path):
    import comet

    reg, qe = models
    _, data = run(tmp_path, "--comet-model", qe, "--reference", reference, "--reference-model", reg)
    records = {p["index"]: p["reference"]["comet"] for p in data["pairs"]}
    assert all(r is not None for r in records.values())
    for index in LONG_PAIRS:  # too long for the tiny model whole: chunked, not truncated
        assert len(records[index]["chunks"]) > 1 and "truncated" not in records[index]
        chunk_refs = " ".join(c["reference"] for c in records[index]["chunks"])
        pair = data["pairs"][index]
        assert " ".join(chunk_refs.split()) == " ".join(pair["reference"]["text"].split())
    chunks = [c for r in records.values() for c in r["chunks"]]
    model = comet.load_from_checkpoint(str(reg / "checkpoints" / "model.ckpt"), local_files_only=True)
    expected = model.predict([{"src": c["source"], "mt": c["translation"], "ref": c["reference"]} for c in chunks],
                             batch_size=4, gpus=0, progress_bar=False, num_workers=0).scores
    assert max(expected) - min(expected) > 1e-3  # the model tells inputs apart
    for chunk, score in zip(chunks, expected):
        assert chunk["score"] == pytest.approx(score, abs=1e-5)
    summary = data["summary"]["reference"]["comet"]
    assert summary["model"] == reg.name and summary["scored"] == len(records)
    assert summary["signature"].endswith("|ref") and "comet-version:2.2.7" in summary["signature"]
    assert summary["score"] == pytest.approx(sum(r["score"] for r in records.values()) / len(records), abs=1e-5)
    row = data["summary"]["by_file_reference"][data["pairs"][0]["file"]]
    assert row["comet"] == pytest.approx(summary["score"], abs=1e-5)
    # the QE scores are still there, from the other model
    assert all(p["comet"]["model"] == qe.name for p in data["pairs"])


def test_second_run_is_served_from_the_cache(models, reference, tmp_path):
    reg, qe = models
    _, first = run(tmp_path, "--comet-model", qe, "--reference", reference, "--reference-model", reg)
    _, second = run(tmp_path, "--comet-model", qe, "--reference", reference, "--reference-model", reg)
    assert all(p["reference"]["comet"]["cached"] for p in second["pairs"])
    assert [p["reference"]["comet"]["score"] for p in first["pairs"]] == \
        [p["reference"]["comet"]["score"] for p in second["pairs"]]
    assert second["summary"]["reference"]["comet"]["cached"] == len(second["pairs"])
    # an edited reference misses the cache
    text = reference.read_text(encoding="utf-8").replace("पसंद किया", "चुना", 1)
    reference.write_text(text, encoding="utf-8")
    _, third = run(tmp_path, "--comet-model", qe, "--reference", reference, "--reference-model", reg)
    assert sum(not p["reference"]["comet"]["cached"] for p in third["pairs"]) == 1


def test_reference_model_without_references_is_refused_with_one_line(models, tmp_path):
    reg, _ = models
    result, _ = run(tmp_path, "--no-comet", "--reference-model", reg, code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs references" in lines[0]


def test_reference_free_model_as_reference_model_is_one_line(models, reference, tmp_path):
    reg, qe = models
    result, data = run(tmp_path, "--comet-model", qe, "--reference", reference, "--reference-model", qe)
    assert "is reference-free" in result.stderr and "Traceback" not in result.output
    assert all(p["reference"]["comet"] is None for p in data["pairs"])
    assert all(p["reference"]["chrf"] is not None for p in data["pairs"])  # sacrebleu still scored
    result, _ = run(tmp_path, "--comet-model", qe, "--reference", reference, "--reference-model", qe,
                    "--require-comet", code=2)
    assert "is reference-free" in result.stderr


def test_reference_model_as_quality_estimation_model_is_refused(models, tmp_path):
    reg, _ = models
    result, data = run(tmp_path, "--comet-model", reg)
    assert "needs reference translations" in result.stderr and "--reference-model" in result.stderr
    assert all(p["comet"] is None for p in data["pairs"])


def test_unavailable_reference_model_is_one_line_and_the_audit_goes_on(models, reference, tmp_path):
    _, qe = models
    result, data = run(tmp_path, "--comet-model", qe, "--reference", reference,
                       "--reference-model", tmp_path / "no-such-model")
    assert "reference COMET scores unavailable" in result.stderr
    assert all(p["reference"]["comet"] is None and p["comet"] is not None for p in data["pairs"])
