"""Build a real COMET checkpoint offline, deterministically, with random weights.

No model hub: a sentencepiece tokenizer is trained on the bilingual fixture corpus and saved as
``tokenizer.json`` (XLMRobertaTokenizerFast) next to an XLM-R ``config.json``; a
``UnifiedMetric`` (the CometKiwi architecture: ``[mt, src]`` in one sequence) is created with
fixed seeds and saved the way COMET lays out hub models::

    <out>/hparams.yaml              class_identifier + hyper-parameters
    <out>/checkpoints/model.ckpt    Lightning checkpoint
    <out>/encoder/                  config.json + tokenizer.json (``pretrained_model``)

``comet.load_from_checkpoint(<out>/checkpoints/model.ckpt)`` then loads it like any other model.
``kind="referenceless"`` builds a ``ReferencelessRegression`` instead (the default model's class),
``kind="regression"`` a reference-based ``RegressionMetric`` (``Unbabel/wmt22-comet-da``'s class:
source, translation and reference encoded apart, pooled and compared).
The tiny default architecture keeps test runs to seconds; ``size="base"`` gives the real XLM-R
base shape (768 hidden, 12 layers) for the benchmark, ``size="large"`` XLM-R large's (1024
hidden, 24 layers) for measuring the bf16 drift.

    python tests/tiny_comet.py OUT_DIR [--size tiny|base]
"""

from __future__ import annotations

import io
import json
from pathlib import Path

CORPUS = Path(__file__).parent / "comet_data" / "corpus.tsv"

SIZES = {
    # max_positions is small so that multi-sentence paragraphs overflow it and get split, while
    # every single sentence pair of the fixture corpus (at most 86 tokens) fits.
    "tiny": dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                 max_positions=160, vocab_size=600, head=[32], init=0.2),
    "base": dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
                 max_positions=512, vocab_size=2000, head=[768, 256], init=0.02),
    # XLM-R large's shape (wmt20-comet-qe-da and CometKiwi are built on it), for the bf16 drift.
    "large": dict(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096,
                  max_positions=512, vocab_size=2000, head=[2048, 1024], init=0.02),
}


def corpus_pairs() -> list[tuple[str, str]]:
    """(english, hindi) pairs of the fixture corpus."""
    pairs = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            en, hi = line.split("\t")
            pairs.append((en, hi))
    return pairs


def _train_tokenizer(out: Path, vocab_size: int):
    """Train a sentencepiece unigram model and save it as an XLM-R ``tokenizer.json``.

    The pieces are copied into a ``tokenizers`` Unigram model laid out as XLM-R's converter
    does (``<s> <pad> </s> <unk>`` first, ``<mask>`` last); transformers' own converter needs a
    protobuf newer than the one COMET pins, so it is not used.
    """
    import sentencepiece as spm
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram
    from transformers import XLMRobertaTokenizerFast

    lines = [text for pair in corpus_pairs() for text in pair]
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buf, vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, num_threads=1, hard_vocab_limit=False,
        minloglevel=2,
    )
    sp = spm.SentencePieceProcessor(model_proto=buf.getvalue())
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += [(sp.id_to_piece(i), sp.get_score(i)) for i in range(3, sp.get_piece_size())]
    vocab += [("<mask>", 0.0)]
    tok = Tokenizer(Unigram(vocab, unk_id=3, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.NFKC(), normalizers.Strip(left=False, right=True),
        normalizers.Replace(Regex(" {2,}"), "\u2581"),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)],
    )
    tokenizer = XLMRobertaTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>",
                                        sep_token="</s>", cls_token="<s>", unk_token="<unk>",
                                        pad_token="<pad>", mask_token="<mask>")
    tokenizer.save_pretrained(str(out), legacy_format=False)
    return tokenizer


KINDS = ("unified", "referenceless", "regression")


def build(out_dir: str | Path, size: str = "tiny", seed: int = 0, kind: str = "unified") -> Path:
    """Write a COMET model directory under ``out_dir``; returns the checkpoint path.

    ``kind``: ``unified`` (UnifiedMetric, as CometKiwi), ``referenceless``
    (ReferencelessRegression, as the default ``Unbabel/wmt20-comet-qe-da``) or ``regression``
    (RegressionMetric, reference-based, as ``Unbabel/wmt22-comet-da``).
    """
    import torch
    import yaml
    from transformers import XLMRobertaConfig

    spec = SIZES[size]
    out = Path(out_dir).resolve()
    encoder_dir = out / "encoder"
    encoder_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = _train_tokenizer(encoder_dir, spec["vocab_size"])
    config = XLMRobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=spec["hidden_size"],
        num_hidden_layers=spec["num_hidden_layers"],
        num_attention_heads=spec["num_attention_heads"],
        intermediate_size=spec["intermediate_size"],
        max_position_embeddings=spec["max_positions"] + 2,  # XLM-R reserves two positions
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        # The tiny model uses a wider init than XLM-R's 0.02 so that its untrained encodings
        # (and scores) differ between inputs.
        initializer_range=spec["init"],
    )
    config.save_pretrained(str(encoder_dir))

    common = {
        "encoder_model": "XLM-RoBERTa",
        "pretrained_model": str(encoder_dir),  # absolute local path: no hub access
        "layer_transformation": "softmax",
        "layer_norm": True,
        "hidden_sizes": spec["head"],
        "activations": "Tanh",
        "dropout": 0.1,
        "nr_frozen_epochs": 0.3,
        "keep_embeddings_frozen": True,
        "batch_size": 4,
    }
    if kind == "unified":  # CometKiwi's shape: [mt, src] in one sequence, CLS -> score in 0..1
        hparams = {"class_identifier": "unified_metric", **common, "input_segments": ["mt", "src"],
                   "sent_layer": "mix", "word_layer": spec["num_hidden_layers"],
                   "final_activation": "Sigmoid", "word_level_training": False}
    elif kind == "referenceless":  # wmt20-comet-qe-da's shape: src and mt encoded apart, pooled, compared
        hparams = {"class_identifier": "referenceless_regression_metric", **common, "pool": "avg",
                   "layer": "mix", "final_activation": None}
    elif kind == "regression":  # wmt22-comet-da's shape: src, mt and ref encoded apart, pooled, compared
        hparams = {"class_identifier": "regression_metric", **common, "pool": "avg", "layer": "mix",
                   "final_activation": None}
    else:
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    from comet.models import str2model  # noqa: E402  (slow import, only when building)

    torch.manual_seed(seed)
    kwargs = {k: v for k, v in hparams.items() if k != "class_identifier"}
    model = str2model[hparams["class_identifier"]](load_pretrained_weights=False, **kwargs)
    # Random init gives near-identical outputs for every input; widen the head so scores differ.
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.startswith("estimator") and param.dim() == 2:
                param.mul_(4.0)
    (out / "checkpoints").mkdir(exist_ok=True)
    ckpt = out / "checkpoints" / "model.ckpt"
    import pytorch_lightning as ptl

    torch.save(
        {
            "state_dict": model.state_dict(),
            "hyper_parameters": dict(model.hparams),
            "pytorch-lightning_version": ptl.__version__,
            "epoch": 0,
            "global_step": 0,
        },
        ckpt,
    )
    (out / "hparams.yaml").write_text(yaml.safe_dump(hparams, sort_keys=True), encoding="utf-8")
    (out / "BUILD.json").write_text(json.dumps({"size": size, "seed": seed, "kind": kind}), encoding="utf-8")
    return ckpt


def session_model(tmp_path_factory, kind: str = "unified") -> Path:
    """The tiny model directory, built once per test session (shared by every test module)."""
    root = tmp_path_factory.getbasetemp() / f"tiny-comet-{kind}"
    done = root / "BUILD.json"
    if not done.exists():
        build(root, kind=kind)
    return root


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--kind", choices=KINDS, default="unified")
    args = parser.parse_args()
    print(build(args.out_dir, args.size, kind=args.kind))
