"""Randomized evaluation (issue 8): a seeded sample of benchmarks/inject.py, and the repro lines.

The full run (>= 1,000 injected errors on each of 3 seeds) is ``benchmarks/inject.py``; this
sample keeps regressions from reaching main: zero findings on the clean corpus, zero false
alarms in the injected copies, and recall floors per category.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from transaudit.audit import run_checks
from transaudit.checks.base import select_checks
from transaudit.parsing import parse_document

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import inject  # noqa: E402

# The sample has ~7-80 errors per category, so one miss moves recall by several points: the
# 0.95 target is measured by the full benchmark (3 x 1,000 errors); the sample holds 0.93 in
# every category (measured: 0.941 lowest, missing_source 16/17; entity_mismatch 76/80).
SAMPLE_FLOOR = 0.93


def _findings(name: str, text: str):
    return run_checks([parse_document(name, text)], select_checks(ignore=["low_quality"]), {})


@pytest.fixture(scope="module")
def sample() -> dict:
    digests = [inject.read_digest(p) for p in sorted(inject.CORPUS.iterdir())]
    return inject.score(inject.inject(digests, seed=20240501, count=400))


def test_clean_corpus_has_no_findings():
    assert inject.clean_findings(inject.CORPUS) == []


def test_corpus_has_both_layouts():
    names = [p.suffix for p in inject.CORPUS.iterdir()]
    assert names.count(".txt") >= 10 and names.count(".md") >= 10


def test_injected_copies_raise_no_false_alarm(sample):
    assert sample["false_alarms"] == []


def test_recall_per_category(sample):
    assert len(sample["categories"]) == 12  # every rule-detectable category is injected
    for name, c in sample["categories"].items():
        assert c["found"] / c["injected"] >= SAMPLE_FLOOR, (name, c, [m for m in sample["misses"] if m["category"] == name][:3])


def test_each_copy_differs_from_its_base_in_one_place():
    digests = {d.name: d for d in (inject.read_digest(p) for p in sorted(inject.CORPUS.iterdir()))}
    for truth, text in inject.inject(list(digests.values()), seed=3, count=60):
        assert text != "\n".join(digests[truth.base].lines), truth
        assert 1 <= truth.line <= truth.end_line <= len(text.split("\n"))


# -- repro lines of issue 8 ---------------------------------------------------------------

def _pair(hindi: str, english: str) -> str:
    return f"पेपर सारांश\n\n  • {hindi}\n    > {english}\n"


def _codes(text: str, name: str = "d.txt") -> list[tuple[int, str, str]]:
    return [(f.line, f.check, f.excerpt) for f in _findings(name, text)]


def test_list_markers_do_not_make_names():
    english = ("(1) Optimizing the layer converges quickly. (2) Complementing this, we prove a bound. "
               "(3) While our theory is simple, it holds. a) Using it, we win. - Building on it helps.")
    hindi = ("(1) layer का optimization जल्दी converge होता है। (2) इसके पूरक के रूप में हम एक bound साबित करते हैं। "
             "(3) हमारा सिद्धांत सरल है, फिर भी यह सही है। a) इसका उपयोग करके हम जीतते हैं। - इस पर आगे बढ़ना मदद करता है।")
    assert [c for c in _codes(_pair(hindi, english)) if c[1] == "TA302"] == []


@pytest.mark.parametrize("english, hindi, altered", [
    ("We compare with ChatGPT on many tasks.", "हम कई tasks पर CatGPT से तुलना करते हैं।", "CatGPT"),
    ("GPT-4 is strong, and we distil GPT-4 into a small model.",
     "GPT-4 मज़बूत है, और हम GP-4 को एक छोटे model में distil करते हैं।", "GP-4"),
    ("GPT-4 is strong, and we distil GPT-4 into a small model.",
     "GPT-4 मज़बूत है, और हम GPT-5 को एक छोटे model में distil करते हैं।", "GPT-5"),
    ("We study NLP tasks.", "हम NP tasks का अध्ययन करते हैं।", "NP"),
    ("We study LLMs and BFNs.", "हम LLs और BFNs का अध्ययन करते हैं।", "LLs"),
    ("We study LLMs and BFNs.", "हम LLMs और BNs का अध्ययन करते हैं।", "BNs"),
])
def test_altered_name_is_reported_with_the_altered_text(english, hindi, altered):
    found = [c for c in _codes(_pair(hindi, english)) if c[1] == "TA302"]
    assert found == [(3, "TA302", altered)]


def test_name_deleted_from_its_only_mention():
    english = "Mamba uses selective state spaces, and Mamba is fast."
    hindi = "यह selective state spaces का उपयोग करता है, और यह तेज़ है।"
    assert [c[1] for c in _codes(_pair(hindi, english))] == ["TA302"]


def test_latin_stop_on_footer_line():
    text = _pair("हम एक नया तरीका प्रस्तुत करते हैं।", "We present a new method.") + "\nमूल लेख\n\nअभी कोई टिप्पणी नहीं है.\n"
    (line, code, excerpt), = _codes(text)
    assert (line, code) == (8, "TA501") and excerpt.endswith("नहीं है.")


def test_hindi_paragraph_in_the_english_slot_names_both_lines():
    hindi = "हम GPT-3 से बेहतर एक नया model प्रस्तुत करते हैं, जिसे 101B tokens पर train किया गया है।"
    second = "हम GPT-3 से अच्छा एक नया model पेश करते हैं, जिसे 101B tokens पर train किया गया है।"
    text = f"## पेपर सारांश\n\n{hindi}\n\n{second}\n\n## पेपर लिंक\n"
    findings = _findings("d.md", text)
    dup = [f for f in findings if f.check == "TA104"]
    assert len(dup) == 1 and dup[0].line == 5
    assert "line 3" in dup[0].message and "line 5" in dup[0].message and "second Hindi translation" in dup[0].message
    assert [(f.line, f.check) for f in findings if f.check == "TA101"] == [(3, "TA101")]


def test_hindi_title_half_left_in_english():
    text = "Orca 2: Teaching Small Models / Orca 2: Teaching Small Models\n\n" + _pair(
        "हम Orca 2 प्रस्तुत करते हैं।", "We present Orca 2.")
    assert [(c[0], c[1]) for c in _codes(text)] == [(1, "TA202")]


def test_numbers_and_names_that_differ_between_two_renderings_are_reported():
    hindi = "हम GPT-3 से बेहतर एक नया model प्रस्तुत करते हैं, जिसे 101B tokens पर train किया गया है।"
    second = "हम GPT-4 से अच्छा एक नया model पेश करते हैं, जिसे 101 tokens पर train किया गया है।"
    findings = _findings("d.md", f"## पेपर सारांश\n\n{hindi}\n\n{second}\n\n## पेपर लिंक\n")
    by_code = {f.check: f for f in findings}
    assert {"TA104", "TA301", "TA302"} <= set(by_code)
    number, name = by_code["TA301"], by_code["TA302"]
    assert number.line == name.line == 5
    assert "101B" in number.message and "lines 3 and 5" in number.message
    assert "GPT-3" in name.message and "GPT-4" in name.message
    # each points at the second rendering's differing text
    (span,), = [number.spans]
    assert second[span.column - 1: span.end_column - 1] == "101"
    (span,), = [name.spans]
    assert second[span.column - 1: span.end_column - 1] == "GPT-4"


def test_two_renderings_with_the_same_numbers_and_names_add_nothing():
    hindi = "हम GPT-3 से बेहतर एक नया model प्रस्तुत करते हैं, जिसे 101B tokens पर train किया गया है।"
    second = "हम GPT-3 से अच्छा एक नया model पेश करते हैं, जिसे 101B tokens पर train किया गया है।"
    findings = _findings("d.md", f"## पेपर सारांश\n\n{hindi}\n\n{second}\n\n## पेपर लिंक\n")
    assert not [f for f in findings if f.check in ("TA301", "TA302")]


def test_a_name_slip_is_never_a_case_change():
    import random

    rng = random.Random(5)
    for tok in ["Llama", "LLaMA", "GPT-4", "SparseGPT", "Mixtral", "AAb"]:
        for how in ("dropped", "doubled", "swapped", "replaced"):
            try:
                new = inject._alter_token(tok, how, rng)
            except inject.Skip:
                continue
            assert new.casefold() != tok.casefold(), (tok, how, new)


def test_new_operators_inject_their_category():
    digests = [inject.read_digest(p) for p in sorted(inject.CORPUS.iterdir())]
    for name, category in [("name_transliterated", "entity_mismatch"), ("danda_doubled", "punctuation"),
                           ("english_sentence_left_in_hindi", "untranslated_fragment")]:
        rng, made = inject.random.Random(1), 0
        for _ in range(200):
            try:
                _, cat, *_ = inject.OPERATORS[name](list(digests[made % len(digests)].lines), digests[made % len(digests)], rng)
            except (inject.Skip, IndexError):
                made += 1
                continue
            assert cat == category
            break
        else:
            raise AssertionError(f"{name} found nothing to change")
