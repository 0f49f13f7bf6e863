"""A capitalised name written in Devanagari counts as kept; deleted altogether, it is reported."""

from __future__ import annotations

import pytest

from transaudit.entities import missing_entities
from transaudit.transliteration import Transliterations, devanagari_skeleton, latin_skeletons


@pytest.mark.parametrize("latin,devanagari", [
    ("Transformer", "ट्रांसफॉर्मर"), ("Transformer", "ट्रांसफ़ॉर्मर"), ("Transformer", "ट्रान्सफॉर्मर"),
    ("Transformers", "ट्रांसफॉर्मर्स"), ("Internet", "इंटरनेट"), ("Internet", "इन्टरनेट"),
    ("Preference", "प्रेफरेंस"), ("Web", "वेब"), ("Minecraft", "माइनक्राफ्ट"), ("Gopher", "गोफर"),
    ("Chinchilla", "चिंचिला"), ("Wikipedia", "विकिपीडिया"), ("Python", "पायथन"), ("Gemini", "जेमिनी"),
])
def test_transliterations_are_recognised(latin, devanagari):
    assert Transliterations(f"हम {devanagari} का उपयोग करते हैं।").has(latin)


@pytest.mark.parametrize("latin", ["Transformer", "Internet", "Preference", "Minecraft", "Chinchilla", "Gemini"])
def test_ordinary_hindi_words_are_no_transliteration(latin):
    text = "हम एक नया तरीका प्रस्तुत करते हैं जो बेहतर परिणाम देता है और तेज़ चलता है। इसके परिणाम अच्छे हैं।"
    assert not Transliterations(text).has(latin)


def test_skeletons_drop_vowels_and_fold_consonants():
    assert latin_skeletons("Transformer") == ("TRNSFRMR",)
    assert devanagari_skeleton("ट्रांसफॉर्मर") == "TRNSFRMR"


SOURCE = "Mamba matches Transformer quality without attention, trained on Internet videos."


@pytest.mark.parametrize("translation", [
    "Mamba बिना attention के Transformer जैसी quality देता है, Internet videos पर train किया गया।",
    "Mamba बिना attention के ट्रांसफॉर्मर जैसी quality देता है, इंटरनेट videos पर train किया गया।",
    "Mamba बिना attention के transformer जैसी quality देता है, internet videos पर train किया गया।",
])
def test_a_capitalised_name_kept_in_either_script_is_present(translation):
    assert missing_entities(SOURCE, translation) == []


def test_a_capitalised_name_deleted_is_missing():
    missing = missing_entities(SOURCE, "Mamba बिना attention के जैसी quality देता है, videos पर train किया गया।")
    assert sorted(e.key for e, _ in missing) == ["Internet", "Transformer"]


def test_a_translated_word_stays_not_a_name():
    # Table, Figure, languages and months are rendered in Hindi, not kept.
    assert missing_entities("Results are in Table 2, see the English version from March.",
                            "परिणाम तालिका 2 में हैं, मार्च का अंग्रेज़ी संस्करण देखें।") == []
