"""The indexes that keep TA302 linear on paragraphs with thousands of names answer exactly what
one scan per name answers (``benchmarks/bench_linear_names.py`` measures the time)."""

from __future__ import annotations

import random

import pytest

from transaudit.entities import Entity, NamePresence, _Candidates, _contains_name, missing_entities
from transaudit.locate import token_ranges, tokens_ranges

# Pieces that make the boundary cases: versions (GPT-3 / GPT-3.5), plurals, compounds,
# separators, Devanagari glued on, a Latin letter glued on.
_PIECES = ["GPT", "gpt", "-", "3", ".", "5", "s", "LLM", "LLMs", "_", "x", " ", " ", "का ", ",", "4",
           "CoT", "Multimodal", "@", "v2", "2301.00774", "-based", "Llama", "2", "(", ")"]


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(n))


def _keys(rng: random.Random) -> list[str]:
    keys = ["GPT", "GPT-3", "GPT-3.5", "LLM", "LLMs", "CoT", "Multimodal-CoT", "Llama-2", "x_GPT",
            "2301.00774", "@gpt", "GPT-3s", "s", "a-b-c-d-e-f-g"]
    return keys + [_text(rng, 3).strip(" -_.,()") or "x" for _ in range(20)]


@pytest.mark.parametrize("seed", range(40))
def test_presence_index_agrees_with_one_scan_per_name(seed):
    rng = random.Random(seed)
    text = _text(rng, 60)
    presence = NamePresence(text)
    for key in _keys(rng):  # more than the scans before the index is built
        assert (key in presence) == _contains_name(text, key), (text, key)


def _version_of_by_scan(key: str, tokens: list[str]) -> str | None:
    folded = key.casefold()
    for c in tokens:
        short, long = sorted((folded, c.casefold()), key=len)
        if short != long and long.startswith(short) and long[len(short):len(short) + 1] in ".-" \
                and long[len(short) + 1:len(short) + 2].isdigit():
            return c
    return None


@pytest.mark.parametrize("seed", range(40))
def test_version_index_agrees_with_a_scan_of_the_tokens(seed):
    rng = random.Random(seed)
    candidates = _Candidates(_text(rng, 60))
    for key in _keys(rng):
        assert candidates.version_of(key) == _version_of_by_scan(key, candidates.tokens), key


@pytest.mark.parametrize("seed", range(40))
def test_tokens_ranges_agree_with_one_search_per_token(seed):
    rng = random.Random(seed)
    text = _text(rng, 60)
    tokens = _keys(rng) + ["का", "GPT-3.5 का", " ", ""]
    assert tokens_ranges(text, tokens) == [r for t in dict.fromkeys(tokens) for r in token_ranges(text, t)]


def test_thousands_of_names_found_missing_and_altered():
    names = [f"Zorb{i}Net" for i in range(3000)]
    source = " ".join(f"We test {n}." for n in names)
    kept = names[:]
    kept[10] = "Zorb10Nt"  # altered
    kept[20] = ""  # dropped
    translation = " ".join(f"हम {n} जाँचते हैं।" for n in kept)
    misses = {e.key: altered for e, altered in missing_entities(source, translation)}
    # the dropped name is one edit from another kept one (Zorb120Net): named as its near form
    assert set(misses) == {"Zorb10Net", "Zorb20Net"} and misses["Zorb10Net"] == "Zorb10Nt"


def test_version_found_for_a_missing_name():
    ent = Entity("name", "GPT-4", "GPT-4", 0, 5)
    assert _Candidates("हम GPT-4.5 और GPT-40 देखते हैं").version_of(ent.key) == "GPT-4.5"
