"""Load a COMET model and score (source, translation) chunks: no workers, sorted batches.

``comet-score`` casts the model to half precision and drives a Lightning Trainer per call.
Here the model's own ``prepare_sample`` and ``predict_step`` run in a plain loop under
``torch.inference_mode``, on batches of chunks sorted by token length so little padding is
computed; in fp32 the scores are the ones ``model.predict`` gives. COMET, torch and
transformers are imported only in :meth:`load`.

bf16 (what ``auto`` picks on hardware with native bfloat16, see ``precision.py``) casts the
encoder's weights to bfloat16 and keeps the small heads (layer mix, estimator) in fp32. COMET's
``FeedForward`` only knows how to meet a fp16 model (it casts its input to fp16); a model cast
whole to bf16 fails there, because the layer mix's mask arithmetic promotes its output back to
fp32. Keeping the estimator fp32 and casting whatever reaches it to fp32 (a forward pre-hook)
fixes that at its root, and leaves the last, most sensitive sums in fp32. Measured against
``torch.autocast`` in ``benchmarks/bench_comet.py --bf16-modes``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from typing import Callable

from transaudit.scoring import layer_mix
from transaudit.scoring.models import ModelRef, ModelUnavailable

# Tuned on CPU with the XLM-R base benchmark (benchmarks/bench_comet.py --sweep 2,4,8,16,32):
# 2 -> 1.2, 4 -> 2.0, 8 -> 2.3, 16 -> 2.5, 32 -> 2.5 pairs per CPU-second (length-sorted
# batches pad little, bigger matrices run faster). GPUs get a larger batch.
CPU_BATCH_SIZE = 16
GPU_BATCH_SIZE = 32

_NOISY_LOGGERS = ("comet", "pytorch_lightning", "lightning", "lightning.pytorch", "lightning_fabric",
                  "transformers", "huggingface_hub", "torch")


@contextlib.contextmanager
def _quiet_imports():
    """COMET calls ``logging.basicConfig(level=INFO)`` on import and its dependencies warn
    about deprecated APIs; none of that is the user's business."""
    root = logging.getLogger()
    added = None
    if not root.handlers:
        added = logging.NullHandler()
        root.addHandler(added)  # makes COMET's basicConfig a no-op
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            yield
        finally:
            if added is not None:
                root.removeHandler(added)


def _to_device(obj, device):
    """Move the tensors of a prepared batch (dicts and tuples of tensors) to ``device``."""
    import torch

    if isinstance(obj, torch.Tensor):
        return obj.to(device)
    if isinstance(obj, dict):
        return {k: _to_device(v, device) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_to_device(v, device) for v in obj)
    return obj


def _to_fp32(module, args, kwargs):
    """Forward pre-hook: floating-point inputs of an fp32 head arrive as fp32."""
    import torch

    def cast(value):
        if isinstance(value, torch.Tensor) and value.is_floating_point() and value.dtype != torch.float32:
            return value.float()
        if isinstance(value, (list, tuple)):
            return type(value)(cast(v) for v in value)
        return value

    return tuple(cast(a) for a in args), {k: cast(v) for k, v in kwargs.items()}


def cast_encoder_to_bf16(model) -> None:
    """The encoder (almost all of the weights and the time) in bfloat16; every other module
    stays fp32. The layer mix reads the bf16 layers as they are and returns fp32 (see
    layer_mix.py; COMET's own mix promotes to fp32 too); every head after it is handed fp32."""
    import torch

    model.encoder.to(torch.bfloat16)
    for name, child in model.named_children():
        if name not in ("encoder", "layerwise_attention"):
            child.register_forward_pre_hook(_to_fp32, with_kwargs=True)


class CometScorer:
    """A loaded model plus what the chunker needs to know about its length limit."""

    # Reference-based models are refused here; references/comet_reference.py's subclass takes them.
    takes_references = False

    def __init__(self, model, device, batch_size: int, precision: str = "fp32", bf16_mode: str = "cast",
                 fast_mix: bool = True):
        self.model = model
        self.device = device
        self.batch_size = batch_size
        self.precision = precision
        self.bf16_mode = bf16_mode  # "cast" (weights in bf16) or "autocast" (compared in the benchmark)
        if precision == "bf16" and bf16_mode == "cast":
            cast_encoder_to_bf16(model)
        if fast_mix:
            layer_mix.install(model)
        self._token_counts: dict[str, int] = {}
        encoder = model.encoder
        self.tokenizer = encoder.tokenizer
        self.max_positions = int(encoder.max_positions)
        self.separator = int(encoder.size_separator)
        # UnifiedMetric/XCOMET encode [mt, src] as one sequence; the regression models encode
        # each side on its own (and are then limited per side only).
        self.joint = model.hparams.get("class_identifier") in ("unified_metric", "xcomet_metric")

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, ref: ModelRef, gpus: int = 0, batch_size: int | None = None, precision: str = "fp32",
             warn: Callable[[str], None] = lambda m: None, bf16_mode: str = "cast",
             fast_mix: bool = True) -> "CometScorer":
        try:
            with _quiet_imports():
                import torch
                from comet import load_from_checkpoint
        except ImportError as exc:
            raise ModelUnavailable(f"COMET cannot be imported ({exc}); pip install 'transaudit[comet]'") from None
        except Exception as exc:  # e.g. pkg_resources gone with setuptools >= 81
            raise ModelUnavailable(f"COMET cannot be imported ({type(exc).__name__}: {exc})") from None
        try:
            with _quiet_imports():
                import transformers

                transformers.logging.set_verbosity_error()
                # local_files_only: every file was fetched (or found) beforehand, so loading
                # never reaches for the network.
                model = load_from_checkpoint(str(ref.checkpoint), local_files_only=True)
        except Exception as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelUnavailable(f"cannot load COMET model {ref.spec} ({first})") from None
        if model.requires_references() and not cls.takes_references:
            raise ModelUnavailable(f"COMET model {ref.spec} needs reference translations; "
                                   "use a reference-free (quality estimation) model (with --reference, "
                                   "give it as --reference-model)")
        device = torch.device("cpu")
        if gpus > 0:
            if torch.cuda.is_available():
                device = torch.device("cuda:0")
                if gpus > 1:
                    warn("--gpus above 1: transaudit scores on one GPU (cuda:0)")
            else:
                warn("--gpus given but no CUDA device is visible; scoring on the CPU")
        model.eval()
        model.to(device)
        if batch_size is None:
            batch_size = GPU_BATCH_SIZE if device.type == "cuda" else CPU_BATCH_SIZE
        return cls(model, device, batch_size, precision, bf16_mode, fast_mix)

    # -- length limit --------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        # Asked for the same texts when chunking, sorting and recording: tokenize once.
        count = self._token_counts.get(text)
        if count is None:
            count = self._token_counts[text] = len(self.tokenizer(text, add_special_tokens=False)["input_ids"])
        return count

    def fits(self, source: str, translation: str) -> bool:
        """True when COMET would see both texts whole (its tokenizer truncates silently)."""
        n_src, n_mt = self.count_tokens(source), self.count_tokens(translation)
        # Each side is tokenized with <s> </s> and cut at max_positions - 2 ...
        per_side = self.max_positions - 4
        if n_src > per_side or n_mt > per_side:
            return False
        # ... and a joint sequence <s> mt </s></s> src </s> is cut at max_positions.
        if self.joint:
            return n_src + n_mt <= self.max_positions - (1 + 2 * self.separator)
        return True

    # -- scoring -------------------------------------------------------------------------
    def _autocast(self):
        """bf16 autocast mode: matrix maths in bfloat16; otherwise nothing changes."""
        import torch

        if self.precision == "bf16" and self.bf16_mode == "autocast":
            return torch.autocast(self.device.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def score(self, chunks: list[tuple[str, str]], progress: Callable[[list[int]], None] | None = None
              ) -> list[float]:
        """Scores of ``(source, translation)`` chunks, in input order."""
        import torch

        lengths = [self.count_tokens(s) + self.count_tokens(t) for s, t in chunks]
        order = sorted(range(len(chunks)), key=lambda i: lengths[i], reverse=True)
        scores: list[float] = [0.0] * len(chunks)
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start:start + self.batch_size]
                samples = [{"src": chunks[i][0], "mt": chunks[i][1]} for i in idx]
                batch = self.model.prepare_sample(samples, stage="predict")
                if self.device.type != "cpu":
                    batch = _to_device(batch, self.device)
                with self._autocast():
                    prediction = self.model.predict_step(batch)
                for i, value in zip(idx, prediction["scores"].float().cpu().tolist()):
                    scores[i] = float(value)
                if progress is not None:
                    progress(idx)
        return scores
