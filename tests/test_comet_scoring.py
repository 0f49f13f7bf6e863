"""COMET scoring end to end with a real (tiny, offline-built) COMET checkpoint.

The model is built once per session (``tiny_comet.session_model``); runs that must prove what
is *not* imported, or that nothing hangs, go through a subprocess.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tiny_comet import build, session_model
from transaudit.cli import DEFAULT_COMET_MODEL, app

DIGEST = Path(__file__).parent / "comet_data" / "digest.txt"
LONG_PAIRS = (1, 3)  # indexes of the multi-sentence paragraphs in the digest
COPY_PAIR = 4  # its "translation" is the English source
runner = CliRunner()


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> Path:
    return session_model(tmp_path_factory)


@pytest.fixture(scope="session", params=["unified", "referenceless"])
def each_kind(request, tmp_path_factory):
    """Both model classes: UnifiedMetric (CometKiwi) and ReferencelessRegression (the default)."""
    import comet

    root = session_model(tmp_path_factory, request.param)
    model = comet.load_from_checkpoint(str(root / "checkpoints" / "model.ckpt"), local_files_only=True)
    return root, model


def check(tmp_path: Path, model: Path | str, *extra: str, digest: Path = DIGEST, cache: Path | None = None,
          precision: str | None = "fp32"):
    """Run ``check`` in-process. fp32 unless the test says otherwise: the default, auto, depends
    on the CPU (tests/test_comet_precision.py covers it with mocked CPU flags)."""
    out = tmp_path / "out.json"
    if precision and "--comet-precision" not in extra:
        extra = ("--comet-precision", precision, *extra)
    args = ["check", str(digest), "--no-report", "--format", "json", "-o", str(out), "--fail-on", "never",
            "--comet-model", str(model), "--cache-dir", str(cache or tmp_path / "cache"), *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result, json.loads(out.read_text(encoding="utf-8"))


def comet_records(data: dict) -> dict[int, dict]:
    return {p["index"]: p["comet"] for p in data["pairs"]}


def cli_subprocess(args: list[str], env: dict | None = None, prelude: str = "", timeout: float = 120):
    """Run the CLI in a fresh interpreter; the last stderr line lists heavy modules imported."""
    code = (f"import sys, json\n{prelude}\nfrom transaudit.cli import main\nsys.argv = ['transaudit'] + "
            f"{args!r}\ntry:\n    main()\nexcept SystemExit as e:\n    rc = e.code\nelse:\n    rc = 0\n"
            "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(m for m in ('comet', 'torch', "
            "'transformers', 'pytorch_lightning') if m in sys.modules)) + '\\n')\nsys.exit(rc)\n")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, **(env or {})}, timeout=timeout)
    elapsed = time.monotonic() - started
    *lines, modules = proc.stderr.rstrip("\n").split("\n")
    assert modules.startswith("MODULES "), proc.stderr
    return proc.returncode, proc.stdout, "\n".join(lines).strip(), json.loads(modules[8:]), elapsed


# -- scores are COMET's own ------------------------------------------------------------------


def test_every_chunk_score_equals_the_comet_python_api(each_kind, tmp_path):
    root, comet_model = each_kind
    _, data = check(tmp_path, root)
    chunks = [c for rec in comet_records(data).values() for c in rec["chunks"]]
    assert len(chunks) > len(data["pairs"])  # some pairs were split
    expected = comet_model.predict([{"src": c["source"], "mt": c["translation"]} for c in chunks],
                                   batch_size=4, gpus=0, progress_bar=False, num_workers=0).scores
    assert max(expected) - min(expected) > 1e-3  # the model tells inputs apart: the check is not vacuous
    for chunk, score in zip(chunks, expected):
        assert chunk["score"] == pytest.approx(score, abs=1e-5), chunk["source"]


def test_pair_score_is_the_length_weighted_mean_of_its_chunks(tiny, tmp_path):
    _, data = check(tmp_path, tiny)
    for index, rec in comet_records(data).items():
        if index == COPY_PAIR:
            continue
        weights = [c["tokens"] for c in rec["chunks"]]
        mean = sum(c["score"] * w for c, w in zip(rec["chunks"], weights)) / sum(weights)
        assert rec["score"] == pytest.approx(mean, abs=1e-9)
        assert rec["model"] == tiny.name and "comet-version:2.2.7" in rec["signature"]


def test_long_pair_is_split_into_aligned_chunks_not_truncated(each_kind, tmp_path):
    root, comet_model = each_kind
    _, data = check(tmp_path, root)
    tok, positions = comet_model.encoder.tokenizer, comet_model.encoder.max_positions
    joint = comet_model.hparams.class_identifier == "unified_metric"

    def n(text: str) -> int:
        return len(tok(text, add_special_tokens=False)["input_ids"])

    def fits(src: str, mt: str) -> bool:  # what COMET sees whole: one joint sequence, or each side
        return n(src) + n(mt) <= positions - 5 if joint else max(n(src), n(mt)) <= positions - 4

    pairs = {p["index"]: p for p in data["pairs"]}
    for index in LONG_PAIRS:
        pair, rec = pairs[index], pairs[index]["comet"]
        assert not fits(pair["source"], pair["translation"])  # whole, COMET would truncate it
        assert len(rec["chunks"]) > 1 and "truncated" not in rec
        assert all(fits(c["source"], c["translation"]) for c in rec["chunks"])
        assert " ".join(c["source"] for c in rec["chunks"]) == pair["source"]
        assert " ".join(c["translation"] for c in rec["chunks"]) == pair["translation"]
        weakest = min(range(len(rec["chunks"])), key=lambda k: rec["chunks"][k]["score"])
        assert rec["weakest_chunk"] == weakest
    assert data["summary"]["comet"]["scored"] == 5 and data["summary"]["comet"]["skipped"] == 0


def test_a_sentence_longer_than_the_model_is_marked_truncated_and_announced(tiny, tmp_path):
    long_en = "The model " + "really " * 200 + "works."
    long_hi = "मॉडल " + "सचमुच " * 200 + "काम करता है।"
    digest = tmp_path / "long.txt"
    digest.write_text(f"पेपर परिचय\n\n  • {long_hi}\n    > {long_en}\n", encoding="utf-8")
    result, data = check(tmp_path, tiny, digest=digest)
    rec = data["pairs"][0]["comet"]
    assert rec["truncated"] is True and rec["chunks"][0]["truncated"] is True
    assert "scored truncated" in result.stderr and "marked \"truncated\"" in result.stderr


# -- scores meet rules -----------------------------------------------------------------------


def test_copy_of_the_source_is_capped_and_reported_whatever_comet_says(tiny, tmp_path):
    _, data = check(tmp_path, tiny, "--min-score", "-1")
    rec = comet_records(data)[COPY_PAIR]
    assert rec["score_capped"] is True and rec["score"] == 0.0 and rec["raw_score"] > 0.0
    assert "copy_of_source" in rec["capped_by"]
    low = [f for f in data["findings"] if f["category"] == "low_quality"]
    copy_line = next(p["line"] for p in data["pairs"] if p["index"] == COPY_PAIR)
    assert [f["line"] for f in low] == [copy_line]  # nothing else is under -1
    assert low[0]["severity"] == "warning" and "copy_of_source" in low[0]["message"]


def test_min_score_makes_low_quality_warnings_that_name_the_weakest_chunk(tiny, tmp_path):
    _, first = check(tmp_path, tiny)
    top = max(r["score"] for r in comet_records(first).values())
    _, data = check(tmp_path, tiny, "--min-score", f"{top + 1e-6}")
    low = {f["line"]: f for f in data["findings"] if f["check"] == "TA401"}
    assert len(low) == len(data["pairs"])
    long_pair = next(p for p in data["pairs"] if p["index"] == LONG_PAIRS[0])
    finding = low[long_pair["line"]]
    weakest = long_pair["comet"]["chunks"][long_pair["comet"]["weakest_chunk"]]
    assert "weakest chunk" in finding["message"] and finding["excerpt"] == weakest["translation"]


def test_select_and_ignore_apply_to_low_quality(tiny, tmp_path):
    _, ignored = check(tmp_path, tiny, "--min-score", "2", "--ignore", "low_quality")
    assert not [f for f in ignored["findings"] if f["check"] == "TA401"]
    assert all(p["comet"] is not None for p in ignored["pairs"])  # scores are still reported
    _, selected = check(tmp_path, tiny, "--min-score", "2", "--select", "TA401")
    assert {f["check"] for f in selected["findings"]} == {"TA401"}


def test_no_comet_reports_null_scores(tmp_path):
    result, data = check(tmp_path, "no/such-model", "--no-comet")
    assert all(p["comet"] is None for p in data["pairs"]) and data["summary"]["comet"] is None
    assert result.stderr == ""


# -- cache -----------------------------------------------------------------------------------


def test_second_run_is_served_from_the_cache_and_loads_no_model(tiny, tmp_path):
    cache = tmp_path / "cache"
    _, first = check(tmp_path, tiny, cache=cache)
    assert first["summary"]["comet"]["cached"] == 0
    out = tmp_path / "second.json"
    rc, _, stderr, modules, _ = cli_subprocess(
        ["check", str(DIGEST), "--no-report", "--format", "json", "-o", str(out), "--fail-on", "never",
         "--comet-model", str(tiny), "--cache-dir", str(cache), "--quiet", "--comet-precision", "fp32"])
    assert (rc, stderr, modules) == (0, "", [])  # neither COMET nor torch was imported
    second = json.loads(out.read_text(encoding="utf-8"))
    assert second["summary"]["comet"]["cached"] == second["summary"]["comet"]["scored"] == 5
    assert all(r["cached"] for r in comet_records(second).values())
    for a, b in zip(first["pairs"], second["pairs"]):
        assert (a["comet"]["score"], a["comet"]["chunks"]) == (b["comet"]["score"], b["comet"]["chunks"])


def test_edited_pair_misses_the_cache_and_no_cache_reads_nothing(tiny, tmp_path):
    cache = tmp_path / "cache"
    check(tmp_path, tiny, cache=cache)
    edited = tmp_path / "edited.txt"
    text = DIGEST.read_text(encoding="utf-8")
    edited.write_text(text.replace("खोज करता है।", "खोज करता है!"), encoding="utf-8")
    _, data = check(tmp_path, tiny, digest=edited, cache=cache)
    assert data["summary"]["comet"]["cached"] == 4
    _, fresh = check(tmp_path, tiny, "--no-cache", cache=cache)
    assert fresh["summary"]["comet"]["cached"] == 0


def test_corrupt_cache_is_set_aside_and_rebuilt(tiny, tmp_path):
    cache = tmp_path / "cache"
    check(tmp_path, tiny, cache=cache)
    (db,) = [p for p in cache.iterdir() if p.name.endswith(".sqlite3")]
    db.write_bytes(b"\x00garbage" * 512)
    for side in cache.glob("*.sqlite3-*"):
        side.unlink()
    result, data = check(tmp_path, tiny, cache=cache)
    warning = [line for line in result.stderr.splitlines() if "score cache" in line]
    assert len(warning) == 1 and "moved it to" in warning[0]
    assert data["summary"]["comet"]["scored"] == 5 and data["summary"]["comet"]["cached"] == 0
    _, again = check(tmp_path, tiny, cache=cache)
    assert again["summary"]["comet"]["cached"] == 5


# -- bf16 precision --------------------------------------------------------------------------


def _chunk_scores(data: dict) -> list[float]:
    return [c["score"] for rec in comet_records(data).values() for c in rec.get("chunks", [])]


def test_bf16_scores_are_close_to_fp32_signed_bf16_and_cached_apart(tiny, tmp_path):
    cache = tmp_path / "cache"
    _, fp32 = check(tmp_path, tiny, cache=cache)
    _, bf16 = check(tmp_path, tiny, "--comet-precision", "bf16", cache=cache)
    # Not served from the fp32 rows: every pair was scored again, in bf16.
    assert bf16["summary"]["comet"]["cached"] == 0 and bf16["summary"]["comet"]["scored"] == 5
    assert "|bf16|" in bf16["summary"]["comet"]["signature"] and "fp32" not in bf16["summary"]["comet"]["signature"]
    assert all("|bf16|" in rec["signature"] for rec in comet_records(bf16).values())
    assert "|fp32|" in fp32["summary"]["comet"]["signature"]
    low, exact = _chunk_scores(bf16), _chunk_scores(fp32)
    assert len(low) == len(exact) > len(fp32["pairs"])  # same chunks, some pairs split
    assert max(abs(a - b) for a, b in zip(low, exact)) < 0.05
    assert low != exact  # autocast really ran: bf16 rounding shows in the scores

    # Each precision is then served from its own rows.
    _, bf16_again = check(tmp_path, tiny, "--comet-precision", "bf16", cache=cache)
    assert bf16_again["summary"]["comet"]["cached"] == 5 and _chunk_scores(bf16_again) == low
    _, fp32_again = check(tmp_path, tiny, "--comet-precision", "fp32", cache=cache)
    assert fp32_again["summary"]["comet"]["cached"] == 5 and _chunk_scores(fp32_again) == exact


def test_comet_precision_from_the_config_file_and_its_errors(tiny, tmp_path):
    config = tmp_path / "transaudit.toml"
    config.write_text('comet-precision = "bf16"\n', encoding="utf-8")
    _, data = check(tmp_path, tiny, "--config", str(config), "--no-cache", precision=None)
    assert "|bf16|" in data["summary"]["comet"]["signature"]
    _, flag_wins = check(tmp_path, tiny, "--config", str(config), "--comet-precision", "fp32", "--no-cache")
    assert "|fp32|" in flag_wins["summary"]["comet"]["signature"]

    config.write_text('comet-precision = "fp16"\n', encoding="utf-8")
    result = runner.invoke(app, ["check", str(DIGEST), "--no-report", "--config", str(config)])
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "comet-precision" in line and "fp16" in line and str(config) in line


# -- when COMET cannot run -------------------------------------------------------------------


@pytest.fixture
def silent_hub():
    """A hub that accepts connections and never answers: the worst case for a hang."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def _offline_env(tmp_path: Path, endpoint: str) -> dict:
    return {"HF_ENDPOINT": endpoint, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_CACHE": str(tmp_path / "hf" / "hub"),
            "HF_HUB_OFFLINE": "0", "XDG_CACHE_HOME": str(tmp_path / "xdg")}


def test_unreachable_hub_gives_one_line_within_10_s_and_audits_without_scores(tmp_path, silent_hub):
    env = _offline_env(tmp_path, silent_hub)
    base = ["check", str(DIGEST), "--no-report"]
    rc_off, out_off, _, _, _ = cli_subprocess(base + ["--no-comet"], env=env)
    rc, out, stderr, modules, elapsed = cli_subprocess(base, env=env)
    assert elapsed < 10
    assert rc == rc_off == 1 and out == out_off  # exit code and findings unaffected
    (line,) = stderr.splitlines()
    assert line.startswith("transaudit: COMET scores unavailable:") and DEFAULT_COMET_MODEL in line
    assert "Traceback" not in stderr and modules == []

    rc, out, stderr, _, elapsed = cli_subprocess(base + ["--require-comet"], env=env)
    assert elapsed < 10 and rc == 2 and out == ""
    (line,) = stderr.splitlines()
    assert DEFAULT_COMET_MODEL in line and "--require-comet" in line


def test_missing_model_path_is_one_line_and_exit_2_only_when_required(tmp_path):
    base = ["check", str(DIGEST), "--no-report", "--fail-on", "never", "--comet-model", str(tmp_path / "nope.ckpt")]
    result = runner.invoke(app, base)
    assert result.exit_code == 0 and len(result.stderr.splitlines()) == 1 and "nope.ckpt" in result.stderr
    required = runner.invoke(app, base + ["--require-comet"])
    assert required.exit_code == 2 and required.stdout == "" and len(required.stderr.splitlines()) == 1


def test_without_the_comet_extra_check_says_how_to_turn_scores_on(tmp_path):
    hide = "sys.modules['comet'] = None  # as if the extra were not installed"
    base = ["check", str(DIGEST), "--no-report", "--fail-on", "never"]
    rc, _, stderr, _, _ = cli_subprocess(base, prelude=hide)
    assert rc == 0 and stderr.splitlines() == [
        "transaudit: COMET scores are off: the comet extra is not installed (pip install 'transaudit[comet]')"]
    rc, _, stderr, _, _ = cli_subprocess(base + ["--require-comet"], prelude=hide)
    assert rc == 2 and len(stderr.splitlines()) == 1


def test_gpus_without_cuda_warns_and_scores_on_cpu(tiny, tmp_path):
    result, data = check(tmp_path, tiny, "--gpus", "1", "--no-cache")
    assert "no CUDA device" in result.stderr
    assert data["summary"]["comet"]["scored"] == 5


def test_scoring_flags_are_validated():
    for bad in (["--batch-size", "0"], ["--gpus", "-1"], ["--no-comet", "--require-comet"],
                ["--comet-precision", "fp16"]):
        result = runner.invoke(app, ["check", str(DIGEST), "--no-report", *bad])
        assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, bad
    result = runner.invoke(app, ["check", str(DIGEST), "--no-report", "--comet-precision", "half"])
    assert result.stderr.strip() == "transaudit: --comet-precision must be one of auto, fp32, bf16, not 'half'"


# -- pieces ----------------------------------------------------------------------------------


def test_defaults_agree_and_progress_shows_pairs_per_second():
    from transaudit.scoring.models import DEFAULT_MIN_SCORE, DEFAULT_MODEL
    from transaudit.scoring.progress import Progress

    assert DEFAULT_COMET_MODEL == DEFAULT_MODEL and DEFAULT_MODEL in DEFAULT_MIN_SCORE
    stream = io.StringIO()
    bar = Progress(10, "COMET", enabled=True, stream=stream)
    bar.advance(4)
    bar.advance(6)
    bar.close()
    assert "10/10 pairs" in stream.getvalue() and "pairs/s" in stream.getvalue()
    silent = io.StringIO()
    Progress(10, "COMET", enabled=False, stream=silent).advance(10)
    assert silent.getvalue() == ""


def test_tiny_model_build_is_deterministic(tiny, tmp_path):
    import torch

    build(tmp_path / "again")
    assert (tmp_path / "again" / "encoder" / "tokenizer.json").read_bytes() == \
        (tiny / "encoder" / "tokenizer.json").read_bytes()
    a = torch.load(tiny / "checkpoints" / "model.ckpt", weights_only=False)["state_dict"]
    b = torch.load(tmp_path / "again" / "checkpoints" / "model.ckpt", weights_only=False)["state_dict"]
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_hub_model_in_the_local_cache_is_used_offline(tiny, tmp_path):
    """A hub name resolves through the Hugging Face cache layout, with no network at all."""
    import hashlib

    repo = tmp_path / "hf" / "hub" / "models--Unbabel--tiny-qe"
    commit = "0" * 40
    snapshot = repo / "snapshots" / commit
    (snapshot / "checkpoints").mkdir(parents=True)
    (repo / "blobs").mkdir()
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    digests = {}
    for rel in ("checkpoints/model.ckpt", "hparams.yaml"):
        data = (tiny / rel).read_bytes()
        digests[rel] = hashlib.sha256(data).hexdigest()
        (repo / "blobs" / digests[rel]).write_bytes(data)
        (snapshot / rel).symlink_to(repo / "blobs" / digests[rel])
    out = tmp_path / "out.json"
    env = {"HF_HUB_CACHE": str(repo.parent), "HF_HUB_OFFLINE": "1", "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    rc, _, stderr, modules, _ = cli_subprocess(
        ["check", str(DIGEST), "--no-report", "--format", "json", "-o", str(out), "--fail-on", "never",
         "--comet-model", "Unbabel/tiny-qe", "--min-score", "0"], env=env)
    assert rc == 0 and stderr == "" and "comet" in modules
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]["comet"]
    assert summary["model"] == "Unbabel/tiny-qe" and summary["scored"] == 5
    assert f"ckpt:{digests['checkpoints/model.ckpt'][:12]}" in summary["signature"]
    assert (tmp_path / "xdg" / "transaudit" / "comet-scores.sqlite3").is_file()  # the user cache dir
