"""Issue 8 misses, fixed at the root: a percentage or factor written as a bare number, a glued
unit (80GB), and Marathi/Nepali told by their postpositions and over a whole paragraph."""

from __future__ import annotations

import random

import pytest

from transaudit import language as L
from transaudit.audit import run_checks
from transaudit.checks.base import select_checks
from transaudit.numbers import compare_texts, units_dropped
from transaudit.parsing import parse_document
from transaudit.script import normalize


def _digest(hindi: str, english: str) -> str:
    return f"Paper Title / Paper Title\n\nपेपर सारांश\n\n  • {hindi}\n    > {english}\n"


def _categories(hindi: str, english: str) -> list[str]:
    doc = parse_document("t.txt", _digest(hindi, english))
    return [f.category for f in run_checks([doc], select_checks(ignore=["low_quality"]), {})]


def _dropped(source: str, translation: str) -> list[tuple[str, str]]:
    return [(s.text, t.text) for s, t in units_dropped(normalize(source), normalize(translation))]


# -- a percentage or a factor that lost its unit --------------------------------------------------
def test_bare_number_for_a_percentage_is_reported():
    assert _dropped("Performance drops by up to 65% across models.",
                    "सभी models में performance 65 तक गिर जाती है।") == [("65%", "65")]
    assert "number_mismatch" in _categories("सभी models में performance 65 तक गिर जाती है।",
                                            "Performance drops by up to 65% across all models.")


def test_bare_number_for_a_factor_is_reported():
    assert _dropped("It improves efficiency by more than 4x.", "यह efficiency 4 से अधिक सुधारता है।") == [("4x", "4")]


@pytest.mark.parametrize("translation", [
    "performance 65% तक गिर जाती है।",
    "performance 65 % तक गिर जाती है।",
    "performance 65 प्रतिशत तक गिर जाती है।",
    "performance 65 फ़ीसदी तक गिर जाती है।",
])
def test_a_percentage_in_any_hindi_spelling_is_fine(translation):
    assert _dropped("Performance drops by up to 65%.", translation) == []


@pytest.mark.parametrize("translation", ["यह 4 गुना तेज़ है।", "यह 4x तेज़ है।", "यह 4× तेज़ है।"])
def test_a_factor_in_any_hindi_spelling_is_fine(translation):
    assert _dropped("It is 4x faster.", translation) == []


def test_first_end_of_a_range_may_drop_the_unit():
    assert _dropped("Accuracy rises from 60% to 70%.", "accuracy 60 से 70% तक बढ़ती है।") == []
    assert _dropped("a 2-3x speedup", "2-3x speedup") == []


def test_random_percentages_are_reported_exactly_when_the_unit_is_gone():
    rng = random.Random(8)
    for _ in range(300):
        value = rng.choice([str(rng.randint(1, 99)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}"])
        source = f"Our method reaches {value}% on {rng.choice(['MMLU', 'GSM8K', 'HumanEval'])}."
        unit = rng.choice(["%", " %", " प्रतिशत", ""])
        translation = f"हमारी विधि {value}{unit} {rng.choice(['तक पहुँचती है', 'हासिल करती है'])}।"
        assert bool(_dropped(source, translation)) == (unit == ""), (source, translation)


def test_a_decimal_percentage_listed_without_its_unit_is_reported():
    # "15.6% and 9.1%": a list writes the unit on each value; only a range may share it.
    assert _dropped("SCoRe improves self-correction by 15.6% and 9.1% respectively.",
                    "SCoRe self-correction को क्रमशः 15.6 और 9.1% सुधारता है।") == [("15.6%", "15.6")]
    assert _dropped("SCoRe improves self-correction by 15.6% and 9.1% respectively.",
                    "SCoRe self-correction को क्रमशः 15.6% और 9.1% सुधारता है।") == []


@pytest.mark.parametrize("translation,dropped", [
    ("लागत 15 प्रति paper से कम है।", [("$15", "15")]),
    ("लागत $15 प्रति paper से कम है।", []),
    ("लागत 15 डॉलर प्रति paper से कम है।", []),
    ("लागत 15 अमेरिकी डॉलर प्रति paper से कम है।", []),
    ("लागत USD 15 प्रति paper से कम है।", []),
])
def test_a_currency_dropped_from_an_amount_is_reported(translation, dropped):
    assert _dropped("The cost is less than $15 per paper.", translation) == dropped


def test_a_currency_range_may_write_the_sign_once():
    assert _dropped("It costs $10-$20 per run.", "इसकी लागत $10-20 प्रति run है।") == []
    assert _dropped("It costs $10 to $20 per run.", "इसकी लागत 10 से 20 डॉलर प्रति run है।") == []


@pytest.mark.parametrize("translation,dropped", [
    ("मॉडल एक single 80 GPU में fit होता है।", [("80GB", "80")]),
    ("मॉडल एक single 80GB GPU में fit होता है।", []),
    ("मॉडल एक single 80 GB GPU में fit होता है।", []),
    ("मॉडल एक single 80 जीबी GPU में fit होता है।", []),
])
def test_a_glued_unit_dropped_from_its_value_is_reported(translation, dropped):
    assert _dropped("Our model fits in a single 80GB GPU.", translation) == dropped


# -- glued units ----------------------------------------------------------------------------------
def test_a_value_with_a_glued_unit_is_compared():
    assert compare_texts("fits in a single 80GB GPU", "एक single 8.0GB GPU में fit होता है")
    assert not compare_texts("fits in a single 80GB GPU", "एक single 80GB GPU में fit होता है")
    assert not compare_texts("latency of 10ms", "10 ms की latency")


# -- Marathi and Nepali -----------------------------------------------------------------------------
def test_marathi_postpositions_mark_a_sentence():
    text = "बिना labels वाले Internet videos पासून unsupervised तरीके पासून train किया गया एक environment, जे feedback देता आहे।"
    (span,) = L.devanagari_variants(text)
    assert span.language == "mr"


def test_nepali_genitives_spelled_as_hindi_do_not_count_as_hindi():
    text = "retrieved documents को quality जाँचने का लागि एउटा हल्का evaluator जोड़कर RAG लाई अधिक robust बनाता छ।"
    (span,) = L.devanagari_variants(text)
    assert span.language == "ne" and {"लागि", "एउटा", "लाई"} <= set(span.markers)


def test_a_paragraph_with_one_marker_per_sentence_is_not_hindi():
    text = "नया model पासून शुरुआत। बड़े data वर training। कई tasks पर्यंत evaluation।"
    (span,) = L.devanagari_variants(text)
    assert span.language == "mr" and set(span.markers) == {"पासून", "वर", "पर्यंत"}
    assert text[span.start:span.end] == span.text


@pytest.mark.parametrize("sentence", [
    "हम इस model को 7B parameters तक scale करते हैं और इसका मूल्यांकन करते हैं।",
    "यह तरीका बड़े models के लिए भी काम करता है, जैसा कि प्रयोग दिखाते हैं।",
    "Llama 2 का architecture और tokenizer का उपयोग करके इसे train किया गया है।",
])
def test_hindi_with_genitives_stays_hindi(sentence):
    assert L.devanagari_variants(sentence) == ()
