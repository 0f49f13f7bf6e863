"""Unit tests of the language decisions (language.py, script.py) the TA2xx/TA501 checks build on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transaudit import language as L
from transaudit.audit import run_checks
from transaudit.checks.base import select_checks
from transaudit.model import Document, Segment
from transaudit.script import scripted_words, words

LANGUAGE_CHECKS = ["TA201", "TA202", "TA203", "TA204", "TA501"]


def _pairs_document(pairs: list[tuple[str, str]]) -> Document:
    lines, segments = [], []
    for i, (translation, source) in enumerate(pairs):
        lines += [translation, source]
        segments.append(Segment(i, translation, source, 2 * i + 1, 2 * i + 1, 2 * i + 2, 2 * i + 2))
    return Document(path="pairs.txt", layout="pairs", lines=lines, segments=segments)


def _findings(pairs: list[tuple[str, str]], codes=LANGUAGE_CHECKS):
    return run_checks([_pairs_document(pairs)], select_checks(codes))


# -- words and scripts ----------------------------------------------------------------------------
def test_devanagari_words_keep_their_vowel_signs():
    assert [w for w, _, _ in words("प्रस्तुत करते हैं क़ीमत")] == ["प्रस्तुत", "करते", "हैं", "क़ीमत"]


def test_scripted_words_name_the_script_of_each_word():
    got = [(w, s) for w, _, _, s in scripted_words("GPT-4 का 3-second 대규모 λ 2023")]
    assert got == [("GPT-4", "latin"), ("का", "devanagari"), ("3-second", "latin"),
                   ("대규모", "hangul"), ("λ", "greek"), ("2023", None)]


def test_protected_material_yields_no_words():
    text = "देखें https://github.com/x/the-repo और $\\alpha + the$ तथा `the code` #TheTag @the_handle a@b.com"
    latin = [w.text for w in L.analyse(text).latin]
    assert latin == []
    assert L.mask_protected(text).startswith("देखें " + " " * len("https://github.com/x/the-repo"))
    assert len(L.mask_protected(text)) == len(text)


# -- runs, sentences, quotes ----------------------------------------------------------------------
def test_latin_runs_stop_at_hindi_words_sentence_ends_and_quotes():
    text = "हम text to speech (TTS) देखते हैं। GPT-4 is good. यह 'Attention Is All' है"
    runs = L.latin_runs(text)
    assert [r.text for r in runs] == ["text to speech (TTS", "GPT-4 is good", "Attention Is All"]
    for run in runs:
        assert text[run.start:run.end] == run.text
    assert runs[0].before == "devanagari" and runs[0].after == "devanagari"


def test_latin_runs_keep_numbers_inside_a_run():
    (run,) = L.latin_runs("मॉडल को Game of 24 पर परखा गया")
    assert run.text == "Game of 24"
    assert [w.text for w in run.words] == ["Game", "of"]


def test_quoted_spans_cover_the_inside_of_all_quote_styles():
    text = "कहा \"pruned to 50%\" और “less is more” और 'learning to rank' पर speaker's model"
    inside = [text[s:e] for s, e in L.quoted_spans(text)]
    assert inside == ["pruned to 50%", "less is more", "learning to rank"]


def test_sentence_spans_trim_and_split_on_danda_and_full_stop():
    text = " पहला वाक्य। second one. तीसरा? "
    assert [text[s:e] for s, e in L.sentence_spans(text)] == ["पहला वाक्य", "second one", "तीसरा"]


# -- English or not -------------------------------------------------------------------------------
def test_english_prose_is_recognised_by_function_words_without_langdetect():
    verdict = L.latin_language("We introduce a language modeling approach for text to speech synthesis.")
    assert verdict.language == "en" and verdict.function_words >= 3


def test_a_list_of_terms_stays_undecided():
    assert L.latin_language("Transformer, BERT, GPT-3, T5").language is None


def test_french_goes_to_langdetect():
    assert L.latin_language("Nous proposons une nouvelle méthode pour les grands modèles de langue.").language == "fr"


def test_english_slot_reasons():
    source = "A nice overview of some important ideas in RL."
    assert L.english_slot(source, source).reason == "same_as_source"
    assert L.english_slot("This paper gives an overview of the key ideas in RL.", source).reason == "latin_dominant"
    mixed = "हम एक off-the-shelf neural audio codec model से प्राप्त discrete codes का उपयोग करते हैं।"
    assert L.english_slot(mixed, "We use discrete codes from an off-the-shelf neural audio codec model.") is None


# -- Marathi and Nepali ---------------------------------------------------------------------------
def test_marathi_sentence_is_found_with_its_markers():
    text = "हम एक benchmark देते हैं। या benchmark मध्ये 2,000 प्रश्न आहेत आणि ते कठीण आहेत।"
    (span,) = L.devanagari_variants(text)
    assert span.language == "mr"
    assert text[span.start:span.end] == span.text and span.text.startswith("या benchmark")
    assert {"आहेत", "आणि"} <= set(span.markers)


def test_nepali_sentence_is_found_with_its_markers():
    (span,) = L.devanagari_variants("हामी एउटा नयाँ विधि प्रस्तुत गर्छौं जसले मोडेलहरूलाई सुधार गर्छ।")
    assert span.language == "ne" and "हामी" in span.markers


CLEAN_HINDI = [
    "यह ढांचा कुछ बातों को ध्यान में रखता है, या तो वाला model या छोटा model चुना जाता है।",
    "प्रयोग व विश्लेषण दोनों दिखाते हैं कि नवीन पद्धति तथा पुराने मॉडल के बीच अंतर स्पष्ट है।",
    "RL के कुछ महत्वपूर्ण विचारों का एक अच्छा अवलोकन।",
    "इसके लक्षित पाठक वे हैं जो RL से पहले से कुछ परिचित हैं।",
    "हम पाते हैं कि task balancing को नज़रअंदाज़ किया जाता है, लेकिन यह बेहद महत्वपूर्ण है।",
    "इस समस्या को हल करने के लिए हम एक नया post-processing approach प्रस्तावित करते हैं।",
    "मॉडल की सफलता के बावजूद उसमें संग्रहीत जानकारी अधूरी, पुरानी या गलत हो सकती है।",
    "अंत में, हम इस नए paradigm से संभव हुए एक नए application का पता लगाते हैं।",
    "पढ़ते समय यदि आपको कोई अटपटी बात दिखे, तो कृपया टिप्पणी में बताएं!",
    "यह साठ से अधिक भाषाओं पर चलता है और मध्य स्तर के GPU पर भी तेज़ है।",
]


@pytest.mark.parametrize("sentence", CLEAN_HINDI)
def test_clean_hindi_is_not_marathi_or_nepali(sentence):
    assert L.devanagari_variants(sentence) == ()


# -- third scripts --------------------------------------------------------------------------------
def test_foreign_script_words_join_into_one_verbatim_span():
    text = "यह 대규모 언어 모델 है और 中文 भी"
    spans = L.foreign_script_spans(text)
    assert [(s.script, s.text) for s in spans] == [("hangul", "대규모 언어 모델"), ("han", "中文")]
    assert all(text[s.start:s.end] == s.text for s in spans)


def test_greek_and_math_letters_are_not_foreign():
    assert L.foreign_script_spans("α = 0.5, ε-greedy, ℓ(θ) और ∇ℓ") == ()


# -- langdetect: deterministic, and not needed where the script decides ---------------------------
AMBIGUOUS = ["hum ek naya model pesh karte hain", "data model training token", "यो ठीक छ", "Lorem ipsum dolor"]


def test_langdetect_is_deterministic_within_a_process():
    first = [L.detect_language(t) for t in AMBIGUOUS]
    L.detect_language.cache_clear()
    L._FACTORY = None  # reload the profiles, as a new run would
    assert [L.detect_language(t) for t in AMBIGUOUS] == first


def test_langdetect_is_deterministic_across_processes():
    code = (
        "import json; from transaudit.language import detect_language as d; "
        f"print(json.dumps([d(t) for t in {AMBIGUOUS!r}]))"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    ]
    assert json.loads(runs[0]) == json.loads(runs[1])


def test_clean_code_mixed_pairs_never_load_langdetect(monkeypatch):
    monkeypatch.setattr(L, "_FACTORY", None)
    for fn in (L.latin_language, L.english_slot, L.devanagari_variants, L.detect_language):
        fn.cache_clear()
    loaded = []
    monkeypatch.setattr(L, "_factory", lambda: loaded.append(1) or pytest.fail("langdetect loaded"))
    assert _findings(CLEAN_PAIRS) == []
    assert loaded == []


# -- whole checks on clean and broken paragraphs ----------------------------------------------------
CLEAN_PAIRS = [
    ("Direct Preference Optimization (DPO) reward model के बिना ही preferences से policy को सीधे optimize करता है।",
     "Direct Preference Optimization (DPO) optimizes the policy directly from preferences without a reward model."),
    ("हम दिखाते हैं कि KV cache को 4-bit तक quantize करने पर भी perplexity में केवल 0.1 की वृद्धि होती है।",
     "We show that quantizing the KV cache to 4 bits increases perplexity by only 0.1."),
    ("यह survey retrieval-augmented generation (RAG) के तीन paradigms — naive RAG, advanced RAG और modular RAG — की समीक्षा करता है।",
     "This survey reviews three paradigms of retrieval-augmented generation (RAG): naive RAG, advanced RAG, and modular RAG."),
    ("मॉडल का loss $L(N, D) = E + A/N^{\\alpha} + B/D^{\\beta}$ के रूप में scale करता है।",
     "The loss of the model scales as $L(N, D) = E + A/N^{\\alpha} + B/D^{\\beta}$."),
    ("लेखक \"emergent abilities\" की धारणा पर सवाल उठाते हैं और कहते हैं कि यह metric के चुनाव का परिणाम है।",
     "The authors question the notion of \"emergent abilities\" and argue that it results from the choice of metric."),
    ("कोड और checkpoints Hugging Face पर उपलब्ध हैं। #NLP #OpenSource",
     "Code and checkpoints are available on Hugging Face. #NLP #OpenSource"),
    ("यह पेपर Tree of Thoughts (ToT) का विस्तार करता है और Game of 24 पर 74% सफलता दिखाता है।",
     "This paper extends Tree of Thoughts (ToT) and shows 74% success on Game of 24."),
    ("उदाहरण के लिए, prompt \"Let's think step by step\" जोड़ने से zero-shot reasoning में बड़ा सुधार होता है।",
     "For example, adding the prompt \"Let's think step by step\" greatly improves zero-shot reasoning."),
    ("ये नतीजे @karpathy के nanoGPT codebase से reproduce किए जा सकते हैं।",
     "These results can be reproduced with @karpathy's nanoGPT codebase."),
    ("हमने the Stack v2 पर 600 से अधिक programming languages में training की।",
     "We trained on the Stack v2 in more than 600 programming languages."),
    ("U.S. और EU के AI नियमों की तुलना करते हुए लेखक एक policy framework सुझाते हैं।",
     "Comparing U.S. and EU AI rules, the authors suggest a policy framework."),
    ("इस पेपर का शीर्षक है \"Are Emergent Abilities of Large Language Models a Mirage?\"",
     "The title of this paper is \"Are Emergent Abilities of Large Language Models a Mirage?\""),
    ("Textbooks Are All You Need के बाद यह पेपर synthetic data की भूमिका को और गहराई से देखता है।",
     "Following Textbooks Are All You Need, this paper looks more deeply at the role of synthetic data."),
    ("हम LLM-as-a-judge setup में position bias को कम करने के लिए दो तरीके सुझाते हैं।",
     "We suggest two ways to reduce position bias in the LLM-as-a-judge setup."),
    ("डॉ. मेहता की टीम ने data filtering के लिए एक classifier बनाया।",
     "Dr. Mehta's team built a classifier for data filtering."),
    ("हम चार settings में परिणाम देते हैं: in-domain, out-of-domain, few-shot और zero-shot।",
     "We report results in four settings: in-domain, out-of-domain, few-shot, and zero-shot."),
]


def test_clean_code_mixed_pairs_have_no_language_findings():
    assert [(f.line, f.check, f.message) for f in _findings(CLEAN_PAIRS)] == []


FRAGMENTS = [
    "Toolformer कई tasks पर बेहतर zero-shot performance देता है, without sacrificing its core abilities।",
    "हम एक model train करते हैं using a simple contrastive objective और इसे कई tasks पर परखते हैं।",
    "लेखक दिखाते हैं कि model by leveraging external tools बेहतर जवाब देता है।",
    "यह benchmark उन tasks को शामिल करता है that require multi-step reasoning।",
    "DPO reward model के बिना काम करता है, unlike RLHF which requires a separate reward model।",
    "इस काम में हम study करते हैं how language models represent time।",
    "हम एक reward model train करते हैं from human preference data collected via crowdsourcing।",
    "यह model छोटा है, but it performs on par with much larger models।",
]


@pytest.mark.parametrize("translation", FRAGMENTS)
def test_english_clauses_inside_hindi_are_flagged_with_the_clause_as_excerpt(translation):
    (finding,) = _findings([(translation, "An English source sentence.")], ["TA204"])
    assert finding.excerpt in translation
    assert finding.excerpt.split()[0].lower() in L.word_set(
        "english_function_words", "english_clause_markers", "english_subject_words", "english_edge_words"
    ) or " " in finding.excerpt


def test_long_single_line_paragraph_is_audited_whole():
    sentence = "हम text to speech (TTS) के लिए एक approach देते हैं that works well और तेज़ है. "
    text = sentence * 3000  # about 230 KB on one line
    findings = _findings([(text, "We present an approach.")])
    assert {f.check for f in findings} == {"TA204", "TA501"}
    fragment = next(f for f in findings if f.check == "TA204")
    assert fragment.excerpt == "that works well" and "(and 2999 more)" in fragment.message


# -- every excerpt is a verbatim span of the side it points at --------------------------------------
TOKENS = ["हम", "मॉडल", "प्रस्तुत", "करते", "हैं", "आहे", "आणि", "छ", "हामी", "the", "model", "that", "is",
          "GPT-4", "LLMs", "state", "of", "art", "대규모", "中文", "α", ".", "।", "??", "  ", " ",
          "\"", "'", "$x$", "https://a.org/x.y", "#LLM", "3.5", "\n"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40), st.lists(st.sampled_from(TOKENS), max_size=40))
def test_excerpts_are_verbatim_and_lines_exist(translation_tokens, source_tokens):
    translation = " ".join(translation_tokens)
    source = " ".join(source_tokens)
    for finding in _findings([(translation, source)]):
        side = translation if finding.line == 1 else source
        assert finding.line in (1, 2)
        assert finding.excerpt and finding.excerpt in side and "\n" not in finding.excerpt
        assert finding.message


# -- the documented examples hold ---------------------------------------------------------------------
def _examples(code: str, label: str) -> list[str]:
    from transaudit.checks.base import registered

    doc = registered()[code].documentation()
    lines = [line.split(":", 1)[1].strip() for line in doc.splitlines() if line.startswith(label + ":")]
    return [line.lstrip("•> ").strip() for line in lines]


@pytest.mark.parametrize("code", LANGUAGE_CHECKS)
def test_docstring_bad_examples_are_flagged_and_good_ones_pass(code):
    def run(text: str):
        pair = ("हम एक नया तरीका प्रस्तुत करते हैं।", text) if code == "TA201" else (text, "An English original.")
        return [f for f in _findings([pair], [code])]

    bad, good = _examples(code, "Bad"), _examples(code, "Good")
    assert bad and good
    for example in bad:
        assert run(example), f"{code} misses its own Bad example: {example}"
    for example in good:
        assert not run(example), f"{code} flags its own Good example: {example}"
