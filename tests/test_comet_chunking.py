"""Sentence splitting, monotonic alignment and chunk packing (no model needed)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from transaudit.scoring.chunking import align, make_chunks, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text)]


def test_hindi_sentence_ends():
    text = "हम एक नई विधि प्रस्तुत करते हैं। क्या यह काम करती है? हाँ! यह तेज़ है॥ अंत."
    assert sentences(text) == ["हम एक नई विधि प्रस्तुत करते हैं।", "क्या यह काम करती है?", "हाँ!",
                               "यह तेज़ है॥", "अंत."]


def test_danda_without_space_after_still_ends_a_sentence_at_text_end():
    assert sentences("पहला वाक्य। दूसरा वाक्य।") == ["पहला वाक्य।", "दूसरा वाक्य।"]


def test_english_abbreviations_decimals_and_initials_do_not_end_sentences():
    text = ("Accuracy rose to 91.4 percent, i.e. four points above GPT-4. As Smith et al. show, "
            "tasks (e.g. translation) gain most. J. Smith agrees, cf. Fig. 3 for details. "
            "Scores vs. baselines differ. Vaswani et al. (2017) agree. Done.")
    assert sentences(text) == [
        "Accuracy rose to 91.4 percent, i.e. four points above GPT-4.",
        "As Smith et al. show, tasks (e.g. translation) gain most.",
        "J. Smith agrees, cf. Fig. 3 for details.",
        "Scores vs. baselines differ.",
        "Vaswani et al. (2017) agree.",
        "Done.",
    ]


def test_closing_quotes_stay_with_their_sentence_and_urls_do_not_split():
    text = 'He said "it works." Then we moved on. See arxiv.org/abs/2401.12345 for more.'
    assert sentences(text) == ['He said "it works."', "Then we moved on.",
                               "See arxiv.org/abs/2401.12345 for more."]


def test_align_one_to_one():
    assert align([20, 30, 25], [22, 35, 24]) == [(range(0, 1), range(0, 1)), (range(1, 2), range(1, 2)),
                                                 (range(2, 3), range(2, 3))]


def test_align_merges_two_source_sentences_translated_as_one():
    beads = align([30, 20, 22, 40], [33, 47, 41])
    assert beads == [(range(0, 1), range(0, 1)), (range(1, 3), range(1, 2)), (range(3, 4), range(2, 3))]


def test_align_splits_one_source_sentence_translated_as_two():
    beads = align([30, 60, 30], [33, 30, 32, 31])
    assert beads == [(range(0, 1), range(0, 1)), (range(1, 2), range(1, 3)), (range(2, 3), range(3, 4))]


def _budget_fits(limit: int):
    """A stand-in for the tokenizer: words on both sides."""
    return lambda s, t: len(s.split()) + len(t.split()) <= limit


EN = ("Our approach reduces memory by 40 percent. We evaluate the model on five benchmarks. "
      "Results show that the smaller model wins on most tasks. The dataset has 1.2 million pairs. "
      "We release the code.")
HI = ("हमारा तरीका memory को 40 प्रतिशत कम करता है। हम model का मूल्यांकन पाँच benchmarks पर करते हैं। "
      "परिणाम दिखाते हैं कि छोटा model अधिकांश कार्यों में जीतता है। dataset में 1.2 मिलियन जोड़े हैं। "
      "हम code जारी करते हैं।")


def test_pair_that_fits_is_one_chunk():
    chunks = make_chunks(EN, HI, _budget_fits(1000))
    assert [(c.source, c.translation, c.fits) for c in chunks] == [(EN, HI, True)]


def test_long_pair_is_split_into_aligned_chunks_that_fit_and_cover_all_text():
    fits = _budget_fits(40)
    chunks = make_chunks(EN, HI, fits)
    assert len(chunks) > 1
    assert all(c.fits and fits(c.source, c.translation) for c in chunks)
    assert " ".join(c.source for c in chunks) == EN
    assert " ".join(c.translation for c in chunks) == HI
    # aligned: each chunk holds the same number of sentences on both sides here
    for c in chunks:
        assert len(split_sentences(c.source)) == len(split_sentences(c.translation))
    assert chunks[0].source.startswith("Our approach") and chunks[0].translation.startswith("हमारा तरीका")


def test_packing_fills_chunks_greedily():
    chunks = make_chunks(EN, HI, _budget_fits(60))
    # 5 sentence pairs of 14-20 words each: three fit under 60, the rest goes to a second chunk
    assert [len(split_sentences(c.source)) for c in chunks] == [3, 2]


def test_sentence_without_counterpart_is_kept_not_dropped():
    hi = "हमारा तरीका memory को 40 प्रतिशत कम करता है। हम code जारी करते हैं।"
    chunks = make_chunks(EN, hi, _budget_fits(45))
    assert " ".join(c.source for c in chunks) == EN
    assert " ".join(c.translation for c in chunks) == hi


def test_unit_too_long_for_the_model_is_flagged_not_silently_truncated():
    one = "word " * 50 + "end."
    chunks = make_chunks(one, "शब्द " * 50 + "अंत।", _budget_fits(30))
    assert len(chunks) == 1 and chunks[0].fits is False


_sentence = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.sampled_from(["model", "data", "we", "test", "GPT-4", "91.4", "e.g.", "et al."]),
             min_size=1, max_size=12),
    st.sampled_from([".", "!", "?"]),
)
_hindi = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.sampled_from(["मॉडल", "डेटा", "हम", "परीक्षण", "model", "4.5"]), min_size=1, max_size=12),
    st.sampled_from(["।", "?", "!"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_sentence, min_size=1, max_size=8), st.lists(_hindi, min_size=1, max_size=8),
       st.integers(min_value=8, max_value=80))
def test_chunks_always_cover_both_texts_in_order(src_sents, tgt_sents, limit):
    src, tgt = " ".join(src_sents), " ".join(tgt_sents)
    chunks = make_chunks(src, tgt, _budget_fits(limit))
    squash = lambda t: re.sub(r"\s+", " ", t)  # noqa: E731
    assert squash(" ".join(c.source for c in chunks)) == squash(src)
    assert squash(" ".join(c.translation for c in chunks)) == squash(tgt)
    assert all(c.source and c.translation for c in chunks)
