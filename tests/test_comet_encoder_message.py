"""A local COMET checkpoint whose encoder files are not on the machine: the one line names the
missing piece as an encoder (what to fetch), not as a missing "COMET model"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("comet", reason="needs the comet extra")
ROOT = Path(__file__).resolve().parents[1]
DIGEST = ROOT / "fixtures" / "digests" / "101_5d3a9c1e7b20f468.txt"
CLI = [sys.executable, "-c", "import sys; from transaudit.cli import main; sys.argv[0] = 'transaudit'; main()"]


def test_missing_encoder_is_named_as_an_encoder(tmp_path):
    model = tmp_path / "wmt20-comet-qe-da"
    (model / "checkpoints").mkdir(parents=True)
    (model / "checkpoints" / "model.ckpt").write_bytes(b"a checkpoint")
    (model / "hparams.yaml").write_text("pretrained_model: xlm-roberta-large\n", encoding="utf-8")
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([*CLI, "check", str(DIGEST), "--no-report", "--no-cache", "--require-comet",
                           "--comet-model", str(model)], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "encoder xlm-roberta-large" in lines[0] and "tokenizer" in lines[0]
    assert "COMET model xlm-roberta-large" not in lines[0]
    assert "Using a local COMET model offline" in lines[0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Using a local COMET model offline" in readme
