"""Randomized evaluation: inject one known error into copies of clean digests, then score.

Each copy of a clean digest (``benchmarks/clean_corpus/`` by default) gets exactly one error,
drawn from a seed: the digest, the operator, the pair, the sentence and the token. The truth
(category, operator, lines in the copy) is known, so scoring needs no hand annotation:

- an injected error is *found* when a finding of its category overlaps its lines (+-1);
- any finding elsewhere in the copy is a *false alarm* (the base digest is clean);
- findings of another category at the injected lines are counted separately ("also").

    .venv/bin/python benchmarks/inject.py --seed 1 --count 1000            # score, print tables
    .venv/bin/python benchmarks/inject.py --seed 1 --count 50 --out DIR    # write copies + truth.jsonl
    .venv/bin/python benchmarks/inject.py --seeds 1 2 3 --count 1000 --check   # exit 1 below target

Operators are written from what translators and MT systems get wrong (see the samples README),
not from what the checks look for; names and numbers are picked from the text by their own
simple rules here, not by transaudit's extractors.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "clean_corpus"
RECALL_TARGET = 0.95
# The rest of the injected pair: a Markdown pair spans Hindi, blank line, quote. A finding of
# another category there (a changed quote also changes what the Hindi is compared with) is
# counted as "also", not as a false alarm.
PAIR_REACH = 2


# -- what an injection produces -----------------------------------------------------------


@dataclass(frozen=True)
class Injected:
    file: str  # name of the copy
    base: str  # clean digest it was made from
    category: str
    operator: str
    line: int  # 1-based lines of the error in the copy
    end_line: int
    note: str


class Skip(Exception):
    """The drawn place has nothing this operator can change (no number, one sentence ...)."""


@dataclass
class Digest:
    name: str
    lines: list[str]
    layout: str  # "text" or "markdown"
    pairs: list[tuple[int, int]]  # (hindi line, english line), 0-based
    outside: list[int]  # Hindi prose lines outside pairs: overview, footer, disclaimers
    titles: list[int]  # "Hindi / English" title lines


# -- reading the clean digests (their own simple layout, no transaudit parser) ------------

_DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def read_digest(path: Path) -> Digest:
    lines = path.read_text(encoding="utf-8").split("\n")
    layout = "markdown" if path.suffix == ".md" else "text"
    pairs, outside, titles = [], [], []
    quote = (lambda s: s.startswith("> ")) if layout == "markdown" else (lambda s: s.startswith("    > "))
    for i, line in enumerate(lines):
        if quote(line):
            j = i - 1
            while not lines[j].strip():
                j -= 1
            pairs.append((j, i))
    paired = {h for h, _ in pairs}
    for i, line in enumerate(lines):
        body = line.lstrip("#•- ").strip()
        if " / " in body and _DEVANAGARI.search(body.split(" / ")[0]):
            titles.append(i)
        elif i not in paired and body.endswith("।"):
            outside.append(i)
    return Digest(path.name, lines, layout, pairs, outside, titles)


# -- text helpers --------------------------------------------------------------------------

_HI_SENTENCE = re.compile(r"[^।]+।")
_EN_SENTENCE = re.compile(r"[^.!?]+(?:[.!?](?=\s|$)|$)")
_LATIN_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9+]*(?:[-.][A-Za-z0-9+]+)*")
_NUMBER = re.compile(r"(?<![A-Za-z0-9.\-])(\$?)(\d+(?:\.\d+)?)(%|x|B|K|k|M|T|GB)?(?![A-Za-z0-9])")
# Acronyms a translator may spell out or drop (the samples README lists LLM among terms kept or
# rendered freely): deleting one is not an error, altering one is.
GENERIC_ACRONYMS = {"LLM", "LLMs", "LM", "LMs", "AI", "ML", "NLP", "GPU", "GPUs", "RL", "SOTA"}


def body_of(line: str, layout: str) -> tuple[str, str]:
    """(marker prefix, text) of a Hindi or quote line."""
    m = re.match(r"^(\s*(?:• |> |- |#+ )?)", line)
    return m.group(1), line[m.end():]


def hindi_sentences(text: str) -> list[re.Match]:
    return list(_HI_SENTENCE.finditer(text))


def english_sentences(text: str) -> list[str]:
    return [s.strip() for s in _EN_SENTENCE.findall(text) if s.strip()]


def name_tokens(hindi: str, english: str) -> list[re.Match]:
    """Latin tokens of the Hindi that the English writes the same way and that look like
    names: a digit, two capitals, or a capitalised word inside an English sentence."""
    out = []
    for m in _LATIN_TOKEN.finditer(hindi):
        tok = m.group()
        if not re.search(rf"(?<![A-Za-z0-9]){re.escape(tok)}(?![A-Za-z0-9])", english):
            continue
        caps = sum(c.isupper() for c in tok)
        inside = re.search(rf"[a-z,] {re.escape(tok)}(?![A-Za-z0-9])", english)
        if caps == 1 and re.search(rf"(?<![A-Za-z]){re.escape(tok.lower())}(?![A-Za-z])", english):
            continue  # the English writes it lower-case too: a word, not a name ("Experts"/"experts")
        if any(c.isdigit() for c in tok) or caps >= 2 or (caps == 1 and tok[0].isupper() and inside and len(tok) >= 4):
            out.append(m)
    return out


def numbers_in(hindi: str, english: str) -> list[re.Match]:
    """Numbers of the Hindi that the English has too (not inside a name such as GPT-4)."""
    return [m for m in _NUMBER.finditer(hindi) if m.group(2) in english]


# -- operators ---------------------------------------------------------------------------
# Each takes (digest lines, digest, rng) and returns (new lines, category, line, end_line, note),
# lines 0-based in the new text. They raise Skip when the drawn place does not fit.

Op = Callable[[list[str], Digest, random.Random], tuple]


def _pick_pair(d: Digest, rng: random.Random) -> tuple[int, int]:
    return rng.choice(d.pairs)


def _replace_line(lines: list[str], i: int, text: str) -> list[str]:
    return lines[:i] + [text] + lines[i + 1:]


def _alter_token(tok: str, how: str, rng: random.Random) -> str:
    """``tok`` with one realistic slip: a letter dropped, doubled, swapped or replaced, a digit
    changed, or a capital of an acronym dropped."""
    letters = [i for i, c in enumerate(tok) if c.isalpha()]
    if how == "dropped":
        # The plural "s" of an acronym (LLMs) is not part of the name: dropping it is no error.
        plural = len(tok) > 2 and tok.endswith("s") and tok[-2].isupper()
        cands = [i for i in letters if i > 0 and not (plural and i == len(tok) - 1)] or letters
        i = rng.choice(cands)
        return tok[:i] + tok[i + 1:]
    if how == "doubled":
        i = rng.choice(letters)
        return tok[:i + 1] + tok[i] + tok[i + 1:]
    if how == "swapped":
        # Letters that differ only in case (Ll) swap into a case change (lLama), which no reader
        # takes for another name: names are compared without case.
        cands = [i for i in range(len(tok) - 1) if tok[i].isalpha() and tok[i + 1].isalpha()
                 and tok[i].lower() != tok[i + 1].lower()]
        if not cands:
            raise Skip
        i = rng.choice(cands)
        return tok[:i] + tok[i + 1] + tok[i] + tok[i + 2:]
    if how == "replaced":
        i = rng.choice(letters)
        c = tok[i]
        pool = "BCDFGHKLMNPRSTVZ" if c.isupper() else "bcdfghklmnprstvz"
        return tok[:i] + rng.choice([p for p in pool if p.lower() != c.lower()]) + tok[i + 1:]
    if how == "digit":
        digits = [i for i, c in enumerate(tok) if c.isdigit()]
        if not digits:
            raise Skip
        i = rng.choice(digits)
        return tok[:i] + rng.choice([x for x in "0123456789" if x != tok[i]]) + tok[i + 1:]
    if how == "acronym":
        i = rng.choice([i for i, c in enumerate(tok) if c.isupper()])
        return tok[:i] + tok[i + 1:]
    raise ValueError(how)


def _is_acronym(tok: str) -> bool:
    return sum(c.isupper() for c in tok) >= 2 and tok.rstrip("s").isupper()


def _write_altered(lines, d: Digest, h: int, e: int, m: re.Match, new: str, note: str) -> tuple:
    """Replace the name ``m`` of the Hindi line ``h`` by ``new``; a form the English also writes
    (or no change, or a one-letter rest) is no injected error."""
    tok = m.group()
    if new.casefold() == tok.casefold() or len(new) < 2 or re.search(
            rf"(?<![A-Za-z0-9]){re.escape(new)}(?![A-Za-z0-9])", lines[e]):
        raise Skip
    prefix, text = body_of(lines[h], d.layout)
    text = text[:m.start()] + new + text[m.end():]
    return _replace_line(lines, h, prefix + text), "entity_mismatch", h, h, note


def _name_op(how: str) -> Op:
    def op(lines, d, rng):
        h, e = _pick_pair(d, rng)
        toks = name_tokens(body_of(lines[h], d.layout)[1], lines[e])
        if how == "acronym":
            toks = [m for m in toks if _is_acronym(m.group())]
        if how == "digit":
            toks = [m for m in toks if any(c.isdigit() for c in m.group())]
        if not toks:
            raise Skip
        m = rng.choice(toks)
        new = _alter_token(m.group(), how, rng)
        return _write_altered(lines, d, h, e, m, new, f"{m.group()} -> {new}")
    return op


def _name_count(tok: str, text: str) -> int:
    """Mentions of a name in ``text``, as a word or a part of a compound (Transformer-Mamba),
    with or without a plural s (SSMs and SSM are one name)."""
    stem = tok[:-1] if len(tok) > 2 and tok.endswith("s") and tok[-2].isupper() else tok
    return len(re.findall(rf"(?<![A-Za-z0-9]){re.escape(stem)}s?(?![A-Za-z0-9])", text))


def name_deleted(lines, d, rng):
    h, e = _pick_pair(d, rng)
    prefix, text = body_of(lines[h], d.layout)
    toks = [m for m in name_tokens(text, lines[e]) if _name_count(m.group(), text) == 1
            and "-".join(p for p in m.group().split("-") if not p.islower()) not in GENERIC_ACRONYMS]
    if not toks:
        raise Skip
    m = rng.choice(toks)
    text = (text[:m.start()] + text[m.end():]).replace("  ", " ").replace(" ,", ",")
    return _replace_line(lines, h, prefix + text), "entity_mismatch", h, h, f"{m.group()} deleted"


def second_mention_changed(lines, d, rng):
    h, e = _pick_pair(d, rng)
    toks = name_tokens(body_of(lines[h], d.layout)[1], lines[e])
    seen, later = set(), []
    for m in toks:
        (later.append(m) if m.group() in seen else seen.add(m.group()))
    if not later:
        raise Skip
    m = rng.choice(later)
    tok = m.group()
    how = rng.choice(["dropped", "doubled", "swapped", "replaced"] + (["digit"] if any(c.isdigit() for c in tok) else []))
    new = _alter_token(tok, how, rng)
    return _write_altered(lines, d, h, e, m, new, f"second {tok} -> {new}")


# Acronyms spelled letter by letter in Devanagari, as an MT system transliterates them (GPT ->
# जीपीटी); tech Hindi keeps them in Latin script.
_LETTER_NAMES = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ए बी सी डी ई एफ जी एच आई जे के एल एम एन ओ पी क्यू आर एस टी यू वी डब्ल्यू एक्स वाई ज़ेड".split()))


def name_transliterated(lines, d, rng):
    h, e = _pick_pair(d, rng)
    text = body_of(lines[h], d.layout)[1]
    # the only mention: with another one kept in Latin script, the name is still there
    toks = [m for m in name_tokens(text, lines[e]) if re.fullmatch(r"[A-Z]{2,}(?:-\d+)?", m.group())
            and m.group() not in GENERIC_ACRONYMS and _name_count(m.group(), text) == 1]
    if not toks:
        raise Skip
    m = rng.choice(toks)
    head, _, version = m.group().partition("-")
    new = "".join(_LETTER_NAMES[c] for c in head) + (f"-{version}" if version else "")
    return _write_altered(lines, d, h, e, m, new, f"{m.group()} -> {new}")


def _number_op(how: str) -> Op:
    def op(lines, d, rng):
        h, e = _pick_pair(d, rng)
        prefix, text = body_of(lines[h], d.layout)
        nums = numbers_in(text, lines[e])
        if how == "unit":
            nums = [m for m in nums if m.group(3) or m.group(1)]
        if not nums:
            raise Skip
        m = rng.choice(nums)
        cur, value, unit = m.group(1), m.group(2), m.group(3) or ""
        if how in ("digit", "devanagari"):
            i = rng.choice([i for i, c in enumerate(value) if c.isdigit()])
            value = value[:i] + rng.choice([x for x in "0123456789" if x != value[i] and not (i == 0 and x == "0")]) + value[i + 1:]
            if how == "devanagari":
                value = value.translate(str.maketrans("0123456789", "०१२३४५६७८९"))
        elif how == "decimal":
            digits = value.replace(".", "")
            if len(digits) < 2:
                raise Skip
            old = value.find(".") if "." in value else len(digits)
            spots = [i for i in range(1, len(digits)) if i != old]
            i = rng.choice(spots)
            value = digits[:i] + "." + digits[i:]
        elif how == "unit":
            if cur and (not unit or rng.random() < 0.5):
                cur = ""
            else:
                unit = ""
        new = cur + value + unit
        if new == m.group():
            raise Skip
        text = text[:m.start()] + new + text[m.end():]
        return _replace_line(lines, h, prefix + text), "number_mismatch", h, h, f"{m.group()} -> {new}"
    return op


def english_sentence_in_quote(lines, d, rng):
    h, e = _pick_pair(d, rng)
    qprefix, en = body_of(lines[e], d.layout)
    _, hi = body_of(lines[h], d.layout)
    en_s, hi_s = english_sentences(en), [m.group().strip() for m in hindi_sentences(hi)]
    if len(en_s) < 2 or not hi_s:
        raise Skip
    i = rng.randrange(len(en_s))
    en_s[i] = hi_s[min(i, len(hi_s) - 1)]
    return _replace_line(lines, e, qprefix + " ".join(en_s)), "hindi_in_source", e, e, f"sentence {i + 1} of the quote in Hindi"


def translation_is_english(lines, d, rng):
    h, e = _pick_pair(d, rng)
    prefix, _ = body_of(lines[h], d.layout)
    _, en = body_of(lines[e], d.layout)
    sents = english_sentences(en)
    part = rng.random() < 0.5 and len(sents) >= 2
    text = " ".join(sents[: max(1, (len(sents) + 1) // 2)]) if part else en
    return _replace_line(lines, h, prefix + text), "english_in_translation", h, h, "part of the English" if part else "all of the English"


def english_sentence_left(lines, d, rng):
    """One sentence of a Hindi paragraph left in English (the MT system skipped it)."""
    h, e = _pick_pair(d, rng)
    prefix, hi = body_of(lines[h], d.layout)
    _, en = body_of(lines[e], d.layout)
    hi_s, en_s = hindi_sentences(hi), english_sentences(en)
    if len(hi_s) < 2 or len(hi_s) != len(en_s):
        raise Skip  # sentences aligned by position only when both sides have as many
    i = rng.randrange(len(hi_s))
    s = hi_s[i]
    text = hi[:s.start()] + (" " if s.start() else "") + en_s[i] + hi[s.end():]
    return _replace_line(lines, h, prefix + text.strip()), "untranslated_fragment", h, h, f"sentence {i + 1} left in English"


_CLAUSE_START = {"which", "that", "while", "where", "when", "because", "rather", "without", "by", "to",
                 "with", "for", "and", "but", "as", "so", "on", "in", "using", "from", "of", "into"}


def english_clause(lines, d, rng):
    h, e = _pick_pair(d, rng)
    prefix, hi = body_of(lines[h], d.layout)
    _, en = body_of(lines[e], d.layout)
    words = [w.strip(",.;:()\"") for w in en.split()]
    starts = [i for i, w in enumerate(words) if w.lower() in _CLAUSE_START and i + 4 <= len(words)]
    sents = hindi_sentences(hi)
    if not starts or not sents:
        raise Skip
    i = rng.choice(starts)
    n = rng.randint(4, 8)
    clause = " ".join(w for w in words[i:i + n] if w)
    s = rng.choice(sents)
    end = s.end() - 1  # before the danda
    text = hi[:end] + " " + clause + hi[end:]
    return _replace_line(lines, h, prefix + text), "untranslated_fragment", h, h, f"clause '{clause}'"


# Hindi grammar words and their Marathi / Nepali forms: a translation system that slid into the
# neighbouring language keeps the shared tech vocabulary and changes exactly these.
_MARATHI = {"है": "आहे", "हैं": "आहेत", "और": "आणि", "में": "मध्ये", "यह": "हे", "से": "पासून",
            "का": "चा", "की": "ची", "के": "चे", "को": "ला", "लिए": "साठी", "भी": "सुद्धा", "नहीं": "नाही",
            "हम": "आम्ही", "करते": "करतो", "करता": "करतो", "जो": "जे", "एक": "एक", "पर": "वर", "साथ": "सोबत",
            "दिखाते": "दाखवतो", "बेहतर": "चांगले", "तक": "पर्यंत", "या": "किंवा", "कि": "की"}
_NEPALI = {"है": "छ", "हैं": "छन्", "और": "र", "में": "मा", "यह": "यो", "से": "बाट", "का": "को",
           "की": "को", "के": "का", "को": "लाई", "लिए": "लागि", "भी": "पनि", "नहीं": "छैन", "हम": "हामी",
           "करते": "गर्छौं", "करता": "गर्छ", "जो": "जुन", "एक": "एउटा", "पर": "मा", "साथ": "सँग",
           "दिखाते": "देखाउँछौं", "बेहतर": "राम्रो", "तक": "सम्म", "या": "वा", "कि": "कि"}


def neighbour_language(lines, d, rng):
    h, e = _pick_pair(d, rng)
    prefix, hi = body_of(lines[h], d.layout)
    name, table = rng.choice([("Marathi", _MARATHI), ("Nepali", _NEPALI)])
    # Words only: the danda (U+0964) lies inside the Devanagari block, and "है।" must become "आहे।".
    swapped = 0

    def swap(m: re.Match) -> str:
        nonlocal swapped
        new = table.get(m.group(), m.group())
        swapped += new != m.group()
        return new

    text = re.sub(r"[\u0900-\u0963\u0966-\u097F]+", swap, hi)
    if swapped < 2:
        raise Skip  # one changed word in a Hindi line is a wrong word, not a paragraph in another language
    return _replace_line(lines, h, prefix + text), "wrong_language", h, h, f"{name} paragraph"


_FOREIGN = [
    "우리는 새로운 언어 모델을 제안하고 여러 벤치마크에서 평가한다.",
    "이 방법은 추론 속도를 크게 향상시킨다.",
    "실험 결과는 제안된 방법이 기존 방법보다 우수함을 보여준다.",
    "我们提出了一种新的训练方法，并在多个基准上进行了评估。",
    "该模型在推理速度上有显著提升。",
    "实验结果表明，我们的方法优于现有方法。",
]


def foreign_sentence(lines, d, rng):
    h, e = _pick_pair(d, rng)
    prefix, hi = body_of(lines[h], d.layout)
    sents = hindi_sentences(hi)
    if not sents:
        raise Skip
    s = rng.choice(sents)
    text = hi[:s.start()] + (" " if s.start() else "") + rng.choice(_FOREIGN) + hi[s.end():]
    return _replace_line(lines, h, prefix + text.strip()), "wrong_language", h, h, "Korean/Chinese sentence"


def quote_marker_removed(lines, d, rng):
    h, e = _pick_pair(d, rng)
    text = lines[e].replace("> ", "", 1)
    return _replace_line(lines, e, text), "unquoted_source", e, e, "quote marker removed"


def _delete(lines: list[str], i: int, layout: str) -> list[str]:
    # Markdown keeps one blank line between blocks: take the blank after the deleted one too.
    extra = 1 if layout == "markdown" and i + 1 < len(lines) and not lines[i + 1].strip() else 0
    return lines[:i] + lines[i + 1 + extra:]


def quote_deleted(lines, d, rng):
    h, e = _pick_pair(d, rng)
    return _delete(lines, e, d.layout), "missing_source", h, h, "English original deleted"


def hindi_deleted(lines, d, rng):
    h, e = _pick_pair(d, rng)
    new = _delete(lines, h, d.layout)
    at = h  # the quote moved up to where the Hindi paragraph was
    return new, "missing_translation", at, at, "Hindi paragraph deleted"


def _insert_after(lines: list[str], i: int, text: str, layout: str) -> tuple[list[str], int]:
    block = [text, ""] if layout == "markdown" else [text]
    at = i + 1 if layout == "text" else i + 2
    return lines[:at] + block + lines[at:], at


def _near_copy(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    if len(words) < 12:
        raise Skip
    i = rng.randrange(1, len(words) - 1)
    return " ".join(words[:i] + words[i + 1:])


def paragraph_repeated(lines, d, rng):
    h, e = _pick_pair(d, rng)
    near = rng.random() < 0.5
    prefix, hi = body_of(lines[h], d.layout)
    text = prefix + (_near_copy(hi, rng) if near else hi)
    new, at = _insert_after(lines, e, text, d.layout)
    return new, "duplicate_paragraph", at, at, ("near-" if near else "") + "repeat of the Hindi after its quote"


def quote_repeated(lines, d, rng):
    h, e = _pick_pair(d, rng)
    new, at = _insert_after(lines, e, lines[e], d.layout)
    return new, "duplicate_paragraph", at, at, "quote repeated"


def copied_into_other_pair(lines, d, rng):
    if len(d.pairs) < 2:
        raise Skip
    (h1, _), (h2, _) = rng.sample(d.pairs, 2)
    p1, hi1 = body_of(lines[h1], d.layout)
    p2, _ = body_of(lines[h2], d.layout)
    return _replace_line(lines, h2, p2 + hi1), "duplicate_paragraph", h2, h2, f"Hindi of line {h1 + 1} copied"


_RENDERINGS = [("प्रस्तुत करते हैं", "पेश करते हैं"), ("बेहतर", "अच्छा"), ("उपयोग", "इस्तेमाल"),
               ("दिखाते हैं", "बताते हैं"), ("काफी", "बहुत"), ("हासिल", "प्राप्त"), ("के जरिए", "द्वारा")]


def second_rendering_in_english_slot(lines, d, rng):
    h, e = _pick_pair(d, rng)
    prefix, hi = body_of(lines[h], d.layout)
    text = hi
    for a, b in rng.sample(_RENDERINGS, len(_RENDERINGS)):
        if a in text:
            text = text.replace(a, b, 1)
            break
    indent = "    " if d.layout == "text" else ""
    return _replace_line(lines, e, indent + text), "duplicate_paragraph", e, e, "English slot holds a second Hindi rendering"


def most_sentences_dropped(lines, d, rng):
    h, e = _pick_pair(d, rng)
    prefix, hi = body_of(lines[h], d.layout)
    sents = hindi_sentences(hi)
    if len(sents) < 3:
        raise Skip
    keep = rng.randrange(len(sents))
    return _replace_line(lines, h, prefix + sents[keep].group().strip()), "omission", h, h, f"kept 1 of {len(sents)} sentences"


def _hindi_target(d: Digest, rng: random.Random, outside: bool) -> int:
    if outside:
        return rng.choice(d.outside)
    return _pick_pair(d, rng)[0]


def _punct_op(how: str, outside: bool = False) -> Op:
    def op(lines, d, rng):
        i = _hindi_target(d, rng, outside)
        prefix, text = body_of(lines[i], d.layout)
        if how == "latin_stop":
            spots = [m.end() - 1 for m in re.finditer(r"[\u0900-\u097F]।", text)]
            if not spots:
                raise Skip
            j = rng.choice(spots)
            text = text[:j] + "." + text[j + 1:]
        elif how == "double_space":
            spots = [m.start() for m in re.finditer(r"(?<=\S) (?=\S)", text)]
            j = rng.choice(spots)
            text = text[:j] + "  " + text[j + 1:]
        elif how == "danda_doubled":
            spots = [m.end() - 1 for m in re.finditer(r"\S।", text)]
            if not spots:
                raise Skip
            j = rng.choice(spots)
            text = text[:j] + "।।" + text[j + 1:]
        elif how == "space_before_danda":
            spots = [m.end() - 1 for m in re.finditer(r"\S।", text)]
            if not spots:
                raise Skip
            j = rng.choice(spots)
            text = text[:j] + " ।" + text[j + 1:]
        return _replace_line(lines, i, prefix + text), "punctuation", i, i, how + (" outside pairs" if outside else "")
    return op


def title_hindi_half_english(lines, d, rng):
    if not d.titles:
        raise Skip
    i = rng.choice(d.titles)
    prefix, text = body_of(lines[i], d.layout)
    en = text.split(" / ", 1)[1]
    return _replace_line(lines, i, prefix + en + " / " + en), "english_in_translation", i, i, "Hindi title half is the English"


def overview_line_repeated(lines, d, rng):
    i = rng.choice([j for j in d.outside if j < (d.pairs[0][0] if d.pairs else len(lines))] or d.outside)
    new, at = _insert_after(lines, i, lines[i], d.layout) if d.layout == "markdown" else (lines[:i + 1] + [lines[i]] + lines[i + 1:], i + 1)
    return new, "duplicate_paragraph", at, at, "overview line repeated"


OPERATORS: dict[str, Op] = {
    "name_char_dropped": _name_op("dropped"),
    "name_char_doubled": _name_op("doubled"),
    "name_chars_swapped": _name_op("swapped"),
    "name_char_replaced": _name_op("replaced"),
    "name_digit_changed": _name_op("digit"),
    "name_acronym_letter_dropped": _name_op("acronym"),
    "name_deleted": name_deleted,
    "name_second_mention_changed": second_mention_changed,
    "name_transliterated": name_transliterated,
    "number_digit_changed": _number_op("digit"),
    "number_decimal_moved": _number_op("decimal"),
    "number_unit_dropped": _number_op("unit"),
    "number_devanagari_changed": _number_op("devanagari"),
    "quote_sentence_in_hindi": english_sentence_in_quote,
    "translation_is_english": translation_is_english,
    "english_clause_in_hindi": english_clause,
    "english_sentence_left_in_hindi": english_sentence_left,
    "marathi_or_nepali_paragraph": neighbour_language,
    "korean_or_chinese_sentence": foreign_sentence,
    "quote_marker_removed": quote_marker_removed,
    "quote_deleted": quote_deleted,
    "hindi_deleted": hindi_deleted,
    "paragraph_repeated": paragraph_repeated,
    "quote_repeated": quote_repeated,
    "paragraph_copied_into_other_pair": copied_into_other_pair,
    "english_slot_second_hindi": second_rendering_in_english_slot,
    "most_sentences_dropped": most_sentences_dropped,
    "latin_stop": _punct_op("latin_stop"),
    "double_space": _punct_op("double_space"),
    "space_before_danda": _punct_op("space_before_danda"),
    "danda_doubled": _punct_op("danda_doubled"),
    "latin_stop_outside_pairs": _punct_op("latin_stop", outside=True),
    "double_space_outside_pairs": _punct_op("double_space", outside=True),
    "title_hindi_half_english": title_hindi_half_english,
    "overview_line_repeated": overview_line_repeated,
}


# -- drawing and scoring -------------------------------------------------------------------


def inject(digests: list[Digest], seed: int, count: int) -> list[tuple[Injected, str]]:
    """``count`` copies, each with one error: (truth, text of the copy)."""
    rng = random.Random(seed)
    names = list(OPERATORS)
    out: list[tuple[Injected, str]] = []
    attempts = 0
    while len(out) < count:
        attempts += 1
        if attempts > count * 50:
            raise RuntimeError("the corpus offers too few places for these operators")
        d = rng.choice(digests)
        op_name = names[len(out) % len(names)] if rng.random() < 0.5 else rng.choice(names)
        try:
            new, category, line, end_line, note = OPERATORS[op_name](list(d.lines), d, rng)
        except (Skip, IndexError):  # IndexError: nothing to choose from at the drawn place
            continue
        stem, suffix = d.name.rsplit(".", 1)
        name = f"{stem}-s{seed}-{len(out):05d}.{suffix}"
        out.append((Injected(name, d.name, category, op_name, line + 1, end_line + 1, note), "\n".join(new)))
    return out


def run_findings(path: str, text: str, checks) -> list:
    from transaudit.audit import run_checks
    from transaudit.parsing import parse_document

    return run_checks([parse_document(path, text)], checks, {})


def _near(finding, truth: Injected, reach: int) -> bool:
    return finding.line <= truth.end_line + reach and finding.end_line >= truth.line - reach


def score(copies: list[tuple[Injected, str]], checks=None) -> dict:
    """Per category and operator: injected, found, false alarms, other-category findings."""
    from transaudit.checks.base import select_checks

    checks = checks if checks is not None else select_checks(ignore=["low_quality"])
    per_cat: dict[str, Counter] = defaultdict(Counter)
    per_op: dict[str, Counter] = defaultdict(Counter)
    misses, alarms = [], []
    for truth, text in copies:
        findings = run_findings(truth.file, text, checks)
        found = any(f.category == truth.category and _near(f, truth, 1) for f in findings)
        other = [f for f in findings if _near(f, truth, PAIR_REACH) and f.category != truth.category]
        false = [f for f in findings if not _near(f, truth, PAIR_REACH)]
        for table, key in ((per_cat, truth.category), (per_op, truth.operator)):
            table[key].update(injected=1, found=int(found), also=len(other), false_alarms=len(false))
        if not found:
            misses.append({**asdict(truth), "findings": [f"{f.line}:{f.check} {f.message}" for f in findings]})
        alarms += [{"file": truth.file, "operator": truth.operator, "line": f.line, "check": f.check,
                    "message": f.message} for f in false]
    return {"categories": dict(per_cat), "operators": dict(per_op), "misses": misses, "false_alarms": alarms}


def clean_findings(corpus: Path, checks=None) -> list:
    from transaudit.audit import run_checks
    from transaudit.checks.base import select_checks
    from transaudit.parsing import load_paths

    docs, errors = load_paths([str(corpus)])
    assert not errors, errors
    return run_checks(docs, checks if checks is not None else select_checks(ignore=["low_quality"]), {})


def render(result: dict, title: str) -> str:
    rows = [f"{title}", f"{'':<34} {'injected':>8} {'found':>6} {'recall':>7} {'false':>6} {'also':>5}"]
    for key in ("categories", "operators"):
        table = result[key]
        for name in sorted(table):
            c = table[name]
            rows.append(f"{name:<34} {c['injected']:>8} {c['found']:>6} {c['found'] / c['injected']:>7.3f} "
                        f"{c['false_alarms']:>6} {c['also']:>5}")
        rows.append("")
    total = Counter()
    for c in result["categories"].values():
        total.update(c)
    rows.append(f"{'total':<34} {total['injected']:>8} {total['found']:>6} "
                f"{total['found'] / max(total['injected'], 1):>7.3f} {total['false_alarms']:>6} {total['also']:>5}")
    return "\n".join(rows)


def meets_targets(result: dict) -> bool:
    cats = result["categories"].values()
    return all(c["found"] / c["injected"] >= RECALL_TARGET for c in cats) and not result["false_alarms"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--seeds", type=int, nargs="+", default=[])
    ap.add_argument("--seed", type=int, dest="seeds", action="append")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--out", type=Path, help="write the copies and truth.jsonl here instead of scoring")
    ap.add_argument("--misses", type=int, default=10, help="show this many misses and false alarms")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)
    digests = [read_digest(p) for p in sorted(args.corpus.iterdir()) if p.suffix in (".txt", ".md")]
    ok = True
    clean = clean_findings(args.corpus)
    print(f"clean corpus: {len(digests)} digests, {sum(len(d.pairs) for d in digests)} pairs, {len(clean)} findings")
    for f in clean:
        print(f"  {f.file}:{f.line}: {f.check} {f.message}")
    ok &= not clean
    for seed in dict.fromkeys(args.seeds or [1]):
        copies = inject(digests, seed, args.count)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            with open(args.out / "truth.jsonl", "a", encoding="utf-8") as truth_file:
                for truth, text in copies:
                    (args.out / truth.file).write_text(text, encoding="utf-8")
                    truth_file.write(json.dumps(asdict(truth), ensure_ascii=False) + "\n")
            print(f"seed {seed}: wrote {len(copies)} copies to {args.out}")
            continue
        result = score(copies)
        print(render(result, f"seed {seed}: {len(copies)} injected errors"))
        for m in result["misses"][: args.misses]:
            print("  MISS", json.dumps(m, ensure_ascii=False))
        for a in result["false_alarms"][: args.misses]:
            print("  FALSE", json.dumps(a, ensure_ascii=False))
        ok &= meets_targets(result)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
