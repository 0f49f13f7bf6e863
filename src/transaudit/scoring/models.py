"""Which COMET model to use, where its files are, and its identity - without importing COMET.

``--comet-model`` takes a hub name (``Unbabel/wmt20-comet-qe-da``), a model directory (with
``checkpoints/model.ckpt`` and ``hparams.yaml``) or a ``.ckpt`` file. Hub models are looked up
in the local Hugging Face cache first; only a miss goes to the network, behind a short deadline,
so an offline machine gets a one-line answer in seconds instead of a hang.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

DEFAULT_MODEL = "Unbabel/wmt20-comet-qe-da"

# Bump when chunking or combining changes, so cached scores from the old method are not reused.
METHOD_VERSION = 1

# Documented per-model defaults of --min-score (pairs below become low_quality warnings).
# wmt20-comet-qe-da regresses on DA z-scores: below 0 means worse than the average translation
# it was trained on. The CometKiwi models give 0..1 and put good translations around 0.8.
DEFAULT_MIN_SCORE: dict[str, float] = {
    "Unbabel/wmt20-comet-qe-da": 0.0,
    "Unbabel/wmt22-cometkiwi-da": 0.6,
    "Unbabel/wmt23-cometkiwi-da-xl": 0.6,
    "Unbabel/wmt23-cometkiwi-da-xxl": 0.6,
}

# Numeric precision of the model's forward pass (see precision.py): auto (the default) is bf16
# where the CPU or GPU computes bfloat16 natively, fp32 (COMET's own scores) elsewhere.
PRECISIONS = ("auto", "fp32", "bf16")

# Bump when the bf16 method changes (v1: autocast; v2: encoder weights in bf16, heads fp32).
BF16_METHOD_VERSION = 2

# Seconds the hub gets to answer a metadata request before we call it unreachable.
HUB_DEADLINE = 8.0

_ENCODER_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json",
                  "sentencepiece.bpe.model", "special_tokens_map.json"]


class ModelUnavailable(Exception):
    """The model cannot be used; ``str()`` is the one line the user sees."""


@dataclass
class ModelRef:
    spec: str  # what the user asked for
    name: str  # shown in reports and part of the identity
    checkpoint: Path | None  # None: a hub model not downloaded yet
    hub: bool

    @property
    def model_dir(self) -> Path:
        assert self.checkpoint is not None
        return self.checkpoint.parents[1]


def _looks_like_path(spec: str) -> bool:
    """Hub names are ``owner/name``; anything else that names a file is a path."""
    return (spec.endswith(".ckpt") or spec.startswith((".", "/", "~")) or spec.count("/") > 1
            or Path(spec).expanduser().exists())


def locate(spec: str) -> ModelRef:
    """Resolve ``spec`` to local files without touching the network."""
    if _looks_like_path(spec):
        path = Path(spec).expanduser()
        if path.is_dir():
            ckpt = path / "checkpoints" / "model.ckpt"
            if not ckpt.is_file():
                raise ModelUnavailable(f"COMET model directory {spec} has no checkpoints/model.ckpt")
        elif path.is_file():
            ckpt = path
        else:
            raise ModelUnavailable(f"COMET model {spec}: no such file or directory")
        ckpt = ckpt.resolve()
        if not (ckpt.parents[1] / "hparams.yaml").is_file():
            raise ModelUnavailable(f"COMET model {spec}: hparams.yaml missing from {ckpt.parents[1]}")
        return ModelRef(spec=spec, name=ckpt.parents[1].name, checkpoint=ckpt, hub=False)
    if not re.fullmatch(r"[\w.-]+(/[\w.-]+)?", spec):
        raise ModelUnavailable(f"COMET model {spec!r} is neither a hub name, a directory nor a .ckpt file")
    return ModelRef(spec=spec, name=spec, checkpoint=_hub_cached(spec, "checkpoints/model.ckpt"), hub=True)


def _hub_cached(repo: str, filename: str) -> Path | None:
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(repo_id=repo, filename=filename)
    except Exception:  # malformed repo ids and cache oddities mean "not cached"
        return None
    return Path(found) if isinstance(found, str) and Path(found).is_file() else None


def _with_deadline(fn: Callable[[], object], seconds: float, what: str) -> object:
    """Run ``fn`` in a daemon thread; give up after ``seconds`` (a stuck socket cannot hang us)."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=target, name="transaudit-hub", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise ModelUnavailable(f"{what}: the model hub did not answer within {seconds:.0f} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


def _hub_error(spec: str, exc: BaseException, what: str = "") -> ModelUnavailable:
    name = type(exc).__name__
    if "Gated" in name or "401" in str(exc) or "403" in str(exc):
        why = "the model is gated: accept its licence on huggingface.co and log in (huggingface-cli login)"
    elif "RepositoryNotFound" in name or "404" in str(exc):
        why = "no such model on the hub"
    elif "Offline" in name or "LocalEntryNotFound" in name:
        why = "not in the local cache and HF_HUB_OFFLINE is set"
    else:
        why = "the model hub is unreachable"
    return ModelUnavailable(f"cannot download {what or 'COMET model ' + spec} ({why})")


def _fetch_hub(repo: str, allow_patterns: list[str] | None, what: str = "") -> Path:
    """Probe the hub under a deadline, then download (the download itself may take minutes)."""
    from huggingface_hub import HfApi, snapshot_download

    try:
        _with_deadline(lambda: HfApi().model_info(repo, timeout=HUB_DEADLINE - 2), HUB_DEADLINE,
                       f"cannot download {what or 'COMET model ' + repo}")
        return Path(snapshot_download(repo_id=repo, allow_patterns=allow_patterns))
    except ModelUnavailable:
        raise
    except Exception as exc:
        raise _hub_error(repo, exc, what) from None


def ensure_checkpoint(ref: ModelRef) -> ModelRef:
    """Download a hub model's checkpoint if it is not cached yet (enough to hash it)."""
    if ref.checkpoint is not None:
        return ref
    snapshot = _fetch_hub(ref.spec, None)
    ckpt = snapshot / "checkpoints" / "model.ckpt"
    if not ckpt.is_file():
        raise ModelUnavailable(f"COMET model {ref.spec} has no checkpoints/model.ckpt on the hub")
    return ModelRef(spec=ref.spec, name=ref.name, checkpoint=ckpt, hub=True)


def ensure_files(ref: ModelRef) -> ModelRef:
    """The checkpoint and the encoder's tokenizer/config, downloaded if not cached yet."""
    ref = ensure_checkpoint(ref)
    encoder = pretrained_model(ref)
    if encoder and not Path(encoder).is_dir():
        if _looks_like_path(encoder):
            raise ModelUnavailable(f"encoder directory {encoder} of COMET model {ref.spec} "
                                   "(pretrained_model in hparams.yaml) does not exist")
        if _hub_cached(encoder, "config.json") is None:
            # Name it as what it is: the checkpoint is there, its encoder's tokenizer/config is not.
            _fetch_hub(encoder, _ENCODER_FILES, f"the encoder {encoder} (config.json and tokenizer "
                       f"files that COMET model {ref.spec} is built on; see the README, 'Using a local "
                       f"COMET model offline')")
    return ref


def pretrained_model(ref: ModelRef) -> str | None:
    """The ``pretrained_model`` (encoder tokenizer/config) named in the model's hparams.yaml."""
    import yaml

    try:
        hparams = yaml.safe_load((ref.model_dir / "hparams.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ModelUnavailable(f"COMET model {ref.spec}: unreadable hparams.yaml ({exc})") from None
    value = hparams.get("pretrained_model")
    return str(value) if value else None


def checkpoint_sha256(path: Path, memo=None) -> str:
    """Content hash of the checkpoint; hub blobs are already named by theirs."""
    real = Path(os.path.realpath(path))
    if re.fullmatch(r"[0-9a-f]{64}", real.name):
        return real.name
    if memo is not None:
        known = memo.file_hash(real)
        if known:
            return known
    h = hashlib.sha256()
    with open(real, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    digest = h.hexdigest()
    if memo is not None:
        memo.remember_file_hash(real, digest)
    return digest


def identity(ref: ModelRef, sha256: str, precision: str = "fp32") -> str:
    """What cached scores are keyed by: model name, checkpoint hash, scoring method, precision
    (the resolved one, never "auto").

    fp32 keys carry no precision suffix, so caches written before bf16 existed stay valid; bf16
    keys name the bf16 method (v2: encoder weights in bf16, heads fp32; v1 was autocast), so
    rows of the old method are not reused."""
    if precision not in ("fp32", "bf16"):
        raise ValueError(f"cache keys need a resolved precision, not {precision!r}")
    base = f"{ref.name}|sha256:{sha256}|method:{METHOD_VERSION}"
    return base if precision == "fp32" else f"{base}|{precision}:v{BF16_METHOD_VERSION}"


def comet_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("unbabel-comet")
    except PackageNotFoundError:
        return "none"


def signature(ref: ModelRef, sha256: str, precision: str = "fp32") -> str:
    """sacrebleu-style reproducibility signature stored with every score."""
    return (f"comet:{ref.name}|ckpt:{sha256[:12]}|comet-version:{comet_version()}|{precision}"
            f"|chunked:v{METHOD_VERSION}")
