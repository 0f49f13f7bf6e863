"""duplicate_paragraph (TA104) across digests, and the near-duplicate index it rests on."""

from __future__ import annotations

import random

from transaudit.audit import run_checks
from transaudit.checks.duplicate_paragraph import DuplicateIndex, DuplicateParagraph, dup_key
from transaudit.parsing import parse_document

DIGEST_A = """\
Paper A / Paper A

पेपर परिचय

  • हम एक नया retrieval method प्रस्तावित करते हैं जो GPT-3 की accuracy को 6.3% बढ़ाता है।
    > We propose a new retrieval method that improves the accuracy of GPT-3 by 6.3%.

मूल लेख

  • यह लेख GPT मॉडल द्वारा स्वचालित रूप से संक्षेपित विवरण है, इसलिए इसमें कुछ गलतियाँ हो सकती हैं।
"""

DIGEST_B = """\
Paper B / Paper B

पेपर परिचय

  • हम एक नया pruning method प्रस्तावित करते हैं जो OPT-175B के आकार को 50% घटाता है।
    > We propose a new pruning method that reduces the size of OPT-175B by 50%.

Paper C / Paper C

पेपर परिचय

  • हम एक नया retrieval method प्रस्तावित करते हैं जो GPT-3 की accuracy को 6.3% बढ़ाता है।
    > We propose a new retrieval method that improves the accuracy of GPT-3 by 6.3%.

मूल लेख

  • यह लेख GPT मॉडल द्वारा स्वचालित रूप से संक्षेपित विवरण है, इसलिए इसमें कुछ गलतियाँ हो सकती हैं।
"""


def _findings(docs):
    return [(f.file, f.line) for f in run_checks(docs, [DuplicateParagraph()]) if f.check == "TA104"]


def test_pair_copied_from_another_digest_is_reported_once_in_the_later_file():
    docs = [parse_document("b/week2.txt", DIGEST_B), parse_document("a/week1.txt", DIGEST_A)]
    assert _findings(docs) == [("b/week2.txt", 12)]


def test_boilerplate_shared_by_all_digests_is_not_a_duplicate():
    other = DIGEST_A.replace("retrieval method", "tokenizer").replace("GPT-3", "T5")
    assert _findings([parse_document("a.txt", DIGEST_A), parse_document("b.txt", other)]) == []


def test_repeat_inside_the_later_digest_is_reported_once():
    doubled = DIGEST_A.replace("\nमूल लेख", DIGEST_A.split("पेपर परिचय\n", 1)[1].split("मूल लेख")[0] + "मूल लेख")
    doc_b = parse_document("b.txt", doubled)
    lines = _findings([parse_document("a.txt", DIGEST_A), doc_b])
    assert len(lines) == len(set(lines))
    assert ("b.txt", 5) in lines and ("b.txt", 8) in lines


def test_key_normalises_case_space_and_zero_width():
    assert dup_key("Hello  World\u200b नमस्ते") == dup_key("hello world नमस्ते")


def test_index_finds_exact_and_near_but_not_different():
    index = DuplicateIndex()
    base = "हम एक नया retrieval method प्रस्तावित करते हैं जो GPT-3 की accuracy को 6.3% बढ़ाता है।"
    index.add(dup_key(base), "first")
    assert index.find(dup_key(base)) == ("first", 1.0)
    ref, ratio = index.find(dup_key(base.replace("नया", "नवीन")))
    assert ref == "first" and 0.9 <= ratio < 1.0
    assert index.find(dup_key("हम एक नया pruning method प्रस्तावित करते हैं जो OPT-175B का आकार घटाता है।")) is None


def test_index_is_not_quadratic_on_ten_thousand_paragraphs():
    rng = random.Random(7)
    vocab = ("model data training हम करते हैं के लिए में से benchmark accuracy GPT-3 dataset "
             "बेहतर प्रदर्शन नया method परिणाम दिखाते LLMs tokens पर और को यह है").split()
    index = DuplicateIndex(min_near=60)
    texts = [" ".join(rng.choice(vocab) for _ in range(40)) for _ in range(10_000)]
    hits = 0
    for i, text in enumerate(texts):
        hits += index.find(text) is not None
        index.add(text, i)
    assert hits == 0
    # A near repeat is still found among ten thousand texts made of the same few words.
    ref, ratio = index.find(texts[1234] + " अंत")
    assert ref == 1234 and ratio >= 0.9


def test_same_phrasing_about_different_papers_is_not_a_repeat():
    index = DuplicateIndex()
    first = "Nova-1 प्रस्तुत करता है, 7B parameters वाला एक छोटा language model, जो MMLU पर GPT-3.5 से बेहतर है।"
    index.find_and_add(dup_key(first), "first", first)
    other = "Vega-2 प्रस्तुत करता है, 13B parameters वाला एक छोटा language model, जो GSM8K पर GPT-3.5 से बेहतर है।"
    assert index.find_and_add(dup_key(other), "other", other) is None
    # The same paragraph with a Hindi word changed is still a repeat.
    again = first.replace("छोटा", "लघु")
    assert index.find_and_add(dup_key(again), "again", again)[0] == "first"
