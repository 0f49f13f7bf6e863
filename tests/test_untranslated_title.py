"""TA204: a paper title is cited as written, so lower-case prose that happens to be in it is
still English left in the Hindi; the title itself, cited, is not."""

from __future__ import annotations

from transaudit.checks.untranslated_fragment import untranslated_runs

TITLE = "SAM 2: Segment Anything in Images and Videos"
SOURCE = "We build a data engine and collect the largest video segmentation dataset in images and videos."


def test_lower_case_words_of_the_title_are_prose():
    found = untranslated_runs("हम एक data engine बनाते हैं और सबसे बड़ा video segmentation dataset इकट्ठा करते हैं in images and videos।",
                              SOURCE, TITLE)
    assert [run.text for run, _ in found] == ["in images and videos"]


def test_the_title_cited_as_written_is_no_clause():
    assert untranslated_runs("यह काम Segment Anything in Images and Videos के विचार को आगे बढ़ाता है।", SOURCE, TITLE) == ()
