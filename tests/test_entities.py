"""Entity extraction: which tokens are names that must survive, and how they are matched."""

from __future__ import annotations

import pytest

from transaudit.entities import extract_entities, missing_entities, name_key, protected_spans


def keys(text: str) -> list[str]:
    return [e.key for e in extract_entities(text)]


@pytest.mark.parametrize(
    "token,key",
    [
        ("GPT-3", "GPT-3"),
        ("OPT-175B", "OPT-175B"),
        ("T5", "T5"),
        ("Flan-T5", "Flan-T5"),
        ("SparseGPT", "SparseGPT"),
        ("MathGLM", "MathGLM"),
        ("LLaMA", "LLaMA"),
        ("ImageNet", "ImageNet"),
        ("BERT", "BERT"),
        ("VALL-E", "VALL-E"),
        ("GSM-IC", "GSM-IC"),
        ("Multimodal-CoT", "Multimodal-CoT"),
        ("ResNet-50", "ResNet-50"),
        ("Llama-2", "Llama-2"),
        ("word2vec", "word2vec"),
        ("GPT-family", "GPT"),
        ("BERT-based", "BERT"),
        ("GANs", "GAN"),
    ],
)
def test_names(token, key):
    assert name_key(token) == key


@pytest.mark.parametrize(
    "token",
    ["Transformer", "We", "Zero-Shot", "Pre-Trained", "LLMs", "AI", "GPU", "NOT", "top-1", "fp16", "U.S", "e.g"],
)
def test_not_names(token):
    assert name_key(token) is None


def test_extracts_urls_ids_handles_in_order_once():
    text = ("We use GPT-3 (175B) and SparseGPT; see https://arxiv.org/abs/2301.00774. "
            "Also 2301.00774, @dair_ai and GPT-3 again.")
    assert keys(text) == ["GPT-3", "SparseGPT", "https://arxiv.org/abs/2301.00774", "2301.00774", "@dair_ai"]


def test_sentence_start_and_title_case_are_not_names():
    assert keys("The Model Can Be Accurately Pruned In One-Shot. We show it.") == []


def test_protected_spans_cover_names_with_digits_but_not_plain_numbers():
    text = "GPT-3 has 175B parameters, see #2023 and www.example.com/v2"
    covered = "".join(text[s:e] for s, e in sorted(protected_spans(text)))
    assert "GPT-3" in covered and "#2023" in covered and "www.example.com/v2" in covered
    assert "175B" not in covered


@pytest.mark.parametrize(
    "source,translation",
    [
        ("We compare with GPT-3.", "हम GPT-3 से तुलना करते हैं।"),
        ("LLMs are used.", "LLM का उपयोग होता है।"),
        ("We use LLaMA.", "हम llama का उपयोग करते हैं।"),
        ("GPT-3-style prompts", "GPT-3-style prompts"),
        ("Built on BERT.", "BERT-आधारित।"),
        ("See https://example.org/a/.", "देखें https://example.org/a"),
    ],
)
def test_present(source, translation):
    assert missing_entities(source, translation) == []


@pytest.mark.parametrize(
    "source,translation,altered",
    [
        ("We compare with GPT-4.", "हम GPT-3 से तुलना करते हैं।", "GPT-3"),
        ("We compare with GPT-3.", "हम GPT-3.5 से तुलना करते हैं।", "GPT-3.5"),
        ("Called SparseGPT.", "SparceGPT कहा गया।", "SparceGPT"),
        ("We fine-tune BERT.", "हम बर्ट को fine-tune करते हैं।", None),
    ],
)
def test_missing(source, translation, altered):
    (entity, found), = missing_entities(source, translation)
    assert found == altered


def test_version_continuation_is_a_different_name():
    # GPT is not present just because GPT-4 is.
    assert [e.key for e, _ in missing_entities("GPT and GPT-4", "GPT-4")] == ["GPT"]


def test_capitalised_words_inside_a_sentence_are_names():
    text = ("Voyager plays Minecraft. We compare Chinchilla with Gopher in English. "
            "The Model Can Be Accurately Pruned. Transformers are used in Table 2.")
    assert keys(text) == ["Minecraft", "Chinchilla", "Gopher"]


def test_plural_of_a_name_matches():
    assert missing_entities("on 8 A100s", "8 A100 पर") == []
    assert missing_entities("on 8 A100", "8 A100s पर") == []


@pytest.mark.parametrize("translation,missing", [
    ("code https://github.com/foo/bar पर है।", []),
    ("code https://github.com/foo/bar/ पर है।", []),
    ("code (https://github.com/foo/bar) पर है।", []),
    ("code https://github.com/foo/barपर उपलब्ध है।", []),
    ("code https://github.com/foo/barz पर है।", [("https://github.com/foo/bar", "https://github.com/foo/barz")]),
    ("code https://github.com/foo/bar-v2 पर है।", [("https://github.com/foo/bar", "https://github.com/foo/bar-v2")]),
])
def test_a_url_is_present_only_whole(translation, missing):
    assert [(e.key, a) for e, a in missing_entities("Code is at https://github.com/foo/bar.", translation)] == missing


def test_an_email_is_present_only_whole():
    assert missing_entities("Write to team@lab.org.", "team@lab.org पर लिखें।") == []
    assert [e.key for e, _ in missing_entities("Write to team@lab.org.", "team@lab.orgs पर लिखें।")] == ["team@lab.org"]
