"""Number extraction and comparison: what an editor expects to be equal, and what not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from transaudit.numbers import compare_texts, describe, extract_quantities


def values(text: str) -> list[Decimal]:
    return [q.key for q in extract_quantities(text) if not q.soft]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("4.5 hours", ["4.5"]),
        ("45 घंटे", ["45"]),
        ("४.५ घंटे", ["4.5"]),
        ("१,००,००० users", ["100000"]),
        ("1,00,000 and 100,000", ["100000", "100000"]),
        ("1,836 tasks", ["1836"]),
        ("7B, 175B and 1.3B models", ["7e9", "175e9", "1.3e9"]),
        ("60K hours, $100K, 10M tokens, 2T tokens", ["6e4", "1e5", "1e7", "2e12"]),
        ("70% and 70 % and 10x and 10×", ["70", "70", "10", "10"]),
        ("1.5 million", ["1.5e6"]),
        ("15 लाख", ["1.5e6"]),
        ("दस लाख", ["1e6"]),
        ("2 करोड़ और 2 करोड", ["2e7", "2e7"]),
        ("100 अरब", ["1e11"]),
        ("10 हज़ार और 10 हजार", ["1e4", "1e4"]),
        ("a thousand, a hundred", ["1000", "100"]),
        ("सौ से अधिक", ["100"]),
        ("three, तीन, twenty-five, पाँच, पांच", ["3", "3", "25", "5", "5"]),
        ("3-5 and 3–5 and 3 से 5", ["3", "5", "3", "5", "3", "5"]),
        ("between 2018 and 2023", ["2018", "2023"]),
        ("1/1,000th of the compute", ["1", "1000"]),
        ("lists like 1,2,3", ["1", "2", "3"]),
    ],
)
def test_values(text, expected):
    assert values(text) == [Decimal(v).normalize() for v in expected]


@pytest.mark.parametrize(
    "text",
    [
        "GPT-3, GLM-10B, OPT-175B, BLOOM-176B, T5, ResNet-50, Llama-2-7B, GPT-3.5, A100",
        "https://arxiv.org/abs/2301.00774 and arXiv 2301.00774 and @user42",
        "the first time, पहली बार, 1st, 2nd, 10th, 10वें स्थान, 1,000th",
        "hundreds of models, सैकड़ों models, लाखों users, thousands of",
        "several hundred, कई सौ, कुछ हज़ार",
        "zero-shot and few-shot",
        "अरब देशों में",
        "top-1 accuracy, fp16, #2023",
    ],
)
def test_not_numbers(text):
    assert values(text) == []


def test_one_and_ek_are_soft():
    qs = extract_quantities("one of the methods, एक नया model")
    assert [q.soft for q in qs] == [True, True]
    assert not compare_texts("This is one of the methods.", "यह एक तरीका है।")
    # A bare "1" matches a written "one" on the other side.
    assert not compare_texts("Only one model is needed.", "केवल 1 model की ज़रूरत है।")
    # But "one million" is a hard value.
    assert compare_texts("one million users", "दस हज़ार users").missing


def test_decimals_differ():
    diff = compare_texts("in under 4.5 hours", "45 घंटे से कम में")
    assert [q.text for q in diff.missing] == ["4.5"]
    assert [q.text for q in diff.extra] == ["45"]


def test_multiset_counts_repeats():
    diff = compare_texts("50% on A and 50% on B", "A पर 50% और B पर")
    assert [q.text for q in diff.missing] == ["50%"]
    assert not diff.extra


def test_equal_values_in_other_notation():
    assert not compare_texts("1.5 million", "15 लाख")
    assert not compare_texts("100,000 images", "1,00,000 images")
    assert not compare_texts("7 billion", "7B")
    assert not compare_texts("3 times faster", "3x तेज़")


def test_describe_adds_the_unit_word():
    text = "हम इसे 45 घंटे में चलाते हैं।"
    q = extract_quantities(text)[0]
    assert describe(q, text) == "45 घंटे"


def test_long_text_is_linear_enough():
    text = "हम 4.5 घंटे में 60K tokens पर train करते हैं। " * 20000  # ~1 MB
    assert len(extract_quantities(text)) == 40000


def test_omission_thresholds_sit_below_clean_pairs():
    """The omission (TA303) length thresholds stay well under the ratio of complete translations.

    Kept here because the calibration set is the clean pass cases of the number, entity and
    omission case files; numbers are what most often make a clean translation shorter.
    """
    from pathlib import Path

    import yaml

    from transaudit.checks.omission import RATIO_ALONE, RATIO_WITH_EVIDENCE, length_ratio

    ratios = []
    for code in ("TA301", "TA302", "TA303"):
        data = yaml.safe_load((Path(__file__).parent / "check_cases" / f"{code}.yml").read_text("utf-8"))
        for case in data["cases"]:
            src, tgt = case.get("source"), case.get("translation")
            if case["expect"] or not src or not tgt or len(src.split()) < 8:
                continue
            if not any("\u0900" <= ch <= "\u097f" for ch in tgt):
                continue
            ratios.append(length_ratio(src, tgt))
    assert len(ratios) >= 40
    assert RATIO_ALONE < RATIO_WITH_EVIDENCE <= min(ratios) - 0.05
