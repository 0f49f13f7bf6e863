"""``--comet-precision auto``: resolved from (mocked) CPU flags and GPUs, recorded, cached apart."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from test_comet_scoring import DIGEST, check, cli_subprocess, comet_records
from tiny_comet import session_model
from transaudit.cli import app
from transaudit.scoring import precision

runner = CliRunner()

SAPPHIRE_RAPIDS = "fpu vme sse sse2 avx2 avx512f avx512bw avx512_bf16 avx512_fp16 amx_bf16 amx_tile amx_int8"
ZEN4 = "fpu sse sse2 avx2 avx512f avx512bw avx512_bf16"
SKYLAKE = "fpu sse sse2 avx2 avx512f avx512bw avx512vl"
LAPTOP = "fpu sse sse2 avx avx2 fma"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return session_model(tmp_path_factory)


def fake_cpuinfo(tmp_path: Path, flags: str) -> Path:
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: {flags}\n\n"
                    f"processor\t: 1\nflags\t\t: {flags}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("flags, expected", [
    (SAPPHIRE_RAPIDS, "bf16"), (ZEN4, "bf16"), ("sse avx2 amx_bf16", "bf16"), (SKYLAKE, "fp32"), (LAPTOP, "fp32"),
    ("", "fp32"),
])
def test_auto_follows_the_cpu_flags(tmp_path, flags, expected):
    have = precision.cpu_flags(fake_cpuinfo(tmp_path, flags))
    assert have == set(flags.split())
    resolved = precision.resolve("auto", flags=have)
    assert (resolved.precision, resolved.device, resolved.requested) == (expected, "cpu", "auto")
    if expected == "bf16":
        assert "avx512_bf16" in resolved.reason or "amx_bf16" in resolved.reason
    else:
        assert "emulated" in resolved.reason


def test_a_onednn_cap_without_bf16_means_fp32(monkeypatch):
    have = set(SAPPHIRE_RAPIDS.split())
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "avx512_core")
    assert precision.resolve("auto", flags=have).precision == "fp32"
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_BF16")  # an AMD Zen 4: bf16, no AMX
    assert precision.resolve("auto", flags=have).precision == "bf16"


def test_unreadable_cpuinfo_means_no_flags_and_fp32(tmp_path):
    assert precision.cpu_flags(tmp_path / "missing") == set()
    assert precision.resolve("auto", flags=set()).precision == "fp32"


def test_an_explicit_precision_is_kept_whatever_the_hardware():
    assert precision.resolve("fp32", flags=set(SAPPHIRE_RAPIDS.split())).precision == "fp32"
    assert precision.resolve("bf16", flags=set(LAPTOP.split())).precision == "bf16"
    with pytest.raises(ValueError):
        precision.resolve("fp16")


def _what(r: precision.Resolved) -> tuple[str, str, str]:
    return r.precision, r.requested, r.device


def test_auto_on_a_gpu_follows_its_bf16_support_and_without_one_the_cpu():
    cpu = set(LAPTOP.split())
    assert _what(precision.resolve("auto", gpus=1, flags=cpu, cuda=True)) == ("bf16", "auto", "cuda")
    assert _what(precision.resolve("auto", gpus=1, flags=cpu, cuda=False)) == ("fp32", "auto", "cuda")
    # --gpus 1 but no CUDA device visible: scoring falls back to the CPU, so do its flags.
    assert _what(precision.resolve("auto", gpus=1, flags=set(ZEN4.split()), cuda=None)) == ("bf16", "auto", "cpu")
    assert precision.resolve("auto", gpus=0, flags=cpu, cuda=True).device == "cpu"  # no --gpus, no GPU


def _fake_nvidia_smi(bin_dir: Path, capability: str) -> None:
    bin_dir.mkdir(exist_ok=True)
    exe = bin_dir / "nvidia-smi"
    exe.write_text(f"#!/bin/sh\necho {capability}\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize("capability, expected", [("9.0", True), ("8.0", True), ("7.5", False)])
def test_cuda_bf16_is_read_from_nvidia_smi_without_torch(tmp_path, monkeypatch, capability, expected):
    _fake_nvidia_smi(tmp_path / "bin", capability)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    assert precision.cuda_bf16() is expected


# -- through the CLI, with the CPU mocked ----------------------------------------------------


@pytest.fixture
def cpu_with(monkeypatch, tmp_path):
    def use(flags: str) -> None:
        monkeypatch.setattr(precision, "CPUINFO", fake_cpuinfo(tmp_path, flags))
    return use


def test_default_is_auto_recorded_in_json_and_signature_and_named_by_verbose(tiny, tmp_path, cpu_with):
    cpu_with(SAPPHIRE_RAPIDS)
    result, data = check(tmp_path, tiny, "--verbose", precision=None)
    comet = data["summary"]["comet"]
    assert comet["precision"] == "bf16" and "|bf16|" in comet["signature"]
    assert all("|bf16|" in rec["signature"] for rec in comet_records(data).values())
    lines = [line for line in result.stderr.splitlines() if "precision" in line]
    assert lines == ["transaudit: COMET precision: bf16 (auto: the CPU has avx512_bf16, amx_bf16)"]

    cpu_with(SKYLAKE)
    result, data = check(tmp_path, tiny, "--verbose", "--no-cache", precision=None)
    assert data["summary"]["comet"]["precision"] == "fp32" and "|fp32|" in data["summary"]["comet"]["signature"]
    assert len([line for line in result.stderr.splitlines() if "COMET precision: fp32 (auto:" in line]) == 1

    quiet, _ = check(tmp_path, tiny, "--no-cache", precision=None)
    assert "precision" not in quiet.stderr  # said only with --verbose


def test_auto_shares_cache_rows_with_the_precision_it_resolves_to_and_never_mixes(tiny, tmp_path, cpu_with):
    cache = tmp_path / "cache"
    cpu_with(SAPPHIRE_RAPIDS)
    _, auto_bf16 = check(tmp_path, tiny, cache=cache, precision=None)
    assert auto_bf16["summary"]["comet"]["cached"] == 0
    _, fp32 = check(tmp_path, tiny, cache=cache, precision="fp32")
    assert fp32["summary"]["comet"]["cached"] == 0  # bf16 rows are not fp32 scores
    _, bf16 = check(tmp_path, tiny, cache=cache, precision="bf16")
    assert bf16["summary"]["comet"]["cached"] == 5
    assert [p["comet"]["score"] for p in bf16["pairs"]] == [p["comet"]["score"] for p in auto_bf16["pairs"]]

    cpu_with(LAPTOP)  # the same cache on a CPU without bf16: auto now means fp32
    _, auto_fp32 = check(tmp_path, tiny, cache=cache, precision=None)
    assert auto_fp32["summary"]["comet"]["cached"] == 5 and auto_fp32["summary"]["comet"]["precision"] == "fp32"
    assert [p["comet"]["score"] for p in auto_fp32["pairs"]] == [p["comet"]["score"] for p in fp32["pairs"]]
    assert [p["comet"]["score"] for p in fp32["pairs"]] != [p["comet"]["score"] for p in bf16["pairs"]]


def test_bf16_casts_the_encoder_and_keeps_the_heads_fp32(tiny):
    import torch

    from transaudit.scoring.comet_scorer import CometScorer
    from transaudit.scoring.models import locate

    scorer = CometScorer.load(locate(str(tiny)), precision="bf16")
    assert {p.dtype for p in scorer.model.encoder.parameters()} == {torch.bfloat16}
    assert {p.dtype for p in scorer.model.estimator.parameters()} == {torch.float32}
    scores = scorer.score([("The model works.", "मॉडल काम करता है।"), ("It fails.", "यह विफल होता है।")])
    # fp32 head output: not rounded to bfloat16's 8-bit mantissa (autocast's scores are)
    assert all(torch.tensor(s).bfloat16().float().item() != s for s in scores)


def test_a_fully_cached_auto_run_imports_no_torch(tiny, tmp_path):
    cache = tmp_path / "cache"
    check(tmp_path, tiny, cache=cache, precision="fp32")
    check(tmp_path, tiny, cache=cache, precision="bf16")
    out = tmp_path / "again.json"
    rc, _, stderr, modules, _ = cli_subprocess(
        ["check", str(DIGEST), "--no-report", "--format", "json", "-o", str(out), "--fail-on", "never",
         "--comet-model", str(tiny), "--cache-dir", str(cache), "--verbose"])
    assert rc == 0 and modules == []
    assert stderr.count("COMET precision:") == 1
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["comet"]["cached"] == 5


# -- compare-precision -----------------------------------------------------------------------


def test_compare_precision_reports_the_drift_of_the_scores_check_gives(tiny, tmp_path):
    _, fp32 = check(tmp_path, tiny, precision="fp32", cache=tmp_path / "c1")
    _, bf16 = check(tmp_path, tiny, precision="bf16", cache=tmp_path / "c1")
    raw = {p: [r["comet"].get("raw_score", r["comet"]["score"]) for r in data["pairs"]]
           for p, data in (("fp32", fp32), ("bf16", bf16))}
    diffs = [abs(a - b) for a, b in zip(raw["bf16"], raw["fp32"])]

    result = runner.invoke(app, ["compare-precision", str(DIGEST), "--comet-model", str(tiny),
                                 "--cache-dir", str(tmp_path / "c2"), "--format", "json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert (stats["pairs"], stats["of_pairs"]) == (5, 5)
    assert stats["max_abs_diff"] == pytest.approx(max(diffs), abs=1e-9) and 0 < stats["max_abs_diff"] < 0.05
    assert stats["mean_abs_diff"] == pytest.approx(sum(diffs) / len(diffs), abs=1e-9)
    assert -1.0 <= stats["spearman"] <= 1.0
    worst = diffs.index(max(diffs))
    assert (stats["worst"]["file"], stats["worst"]["line"]) == (str(DIGEST), fp32["pairs"][worst]["line"])
    assert stats["cached"] == {"fp32": 0, "bf16": 0}

    again = runner.invoke(app, ["compare-precision", str(DIGEST), "--comet-model", str(tiny),
                                "--cache-dir", str(tmp_path / "c2"), "--sample", "2"])
    assert again.exit_code == 0, again.output
    lines = again.stdout.splitlines()
    assert lines[0].endswith("2 of 5 pairs scored in fp32 and in bf16")
    assert lines[1].startswith("max |bf16 - fp32|:") and lines[3].startswith("Spearman (fp32, bf16): n/a")
    assert "2 pairs from the cache" in lines[4]  # the sample is served from the first run's rows


def test_compare_precision_with_an_unusable_model_is_one_line_and_exit_2(tmp_path):
    result = runner.invoke(app, ["compare-precision", str(DIGEST), "--comet-model", str(tmp_path / "none.ckpt")])
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "cannot compare precisions" in line and "none.ckpt" in line
