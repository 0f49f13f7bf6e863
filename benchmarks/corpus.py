"""Generate realistic bilingual digests from sentence templates, for benchmarks.

Each digest has the layout of ``fixtures/`` (overview, papers with ``पेपर परिचय`` and
``पेपर सारांश`` pairs, links, ``मूल लेख``, disclaimer, comment line), alternating the plain-text
and Markdown layouts. Paragraphs are 2 (intro) or 4-7 (summary) template sentences with
model names, sizes, percentages, benchmarks and URLs filled in, translated consistently; a few
pairs (``error_rate``) get a planted error so the checks' finding paths run too.

    python benchmarks/corpus.py OUT_DIR [--pairs 10000] [--papers 10] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PREFIXES = ["Nova", "Atlas", "Orion", "Lumen", "Vega", "Kestrel", "Helix", "Quill", "Sable", "Tern",
            "Cobalt", "Juniper", "Marlin", "Pavo", "Rhea", "Solace", "Umber", "Wren", "Zircon", "Ibis"]
BENCHES = ["MMLU", "GSM8K", "HumanEval", "MATH", "BIG-Bench Hard", "HellaSwag", "ARC-Challenge", "MBPP",
           "TruthfulQA", "AlpacaEval"]
BASES = ["GPT-3.5", "Llama 2 70B", "PaLM 2", "Mistral 7B", "Falcon-40B", "Claude 2"]
ORGS = ["nova-lab", "atlas-ai", "orion-research", "helix-ml", "quill-nlp"]
TOPICS = [("reasoning", "reasoning"), ("code generation", "code generation"), ("retrieval", "retrieval"),
          ("alignment", "alignment"), ("multimodal models", "multimodal models"), ("agents", "agents"),
          ("efficient inference", "efficient inference"), ("long context", "long context")]
# Per-paper method names: real papers differ in their terms, so paragraphs are not near-copies.
METHOD_A = ["sparse", "contrastive", "hierarchical", "adaptive", "latent", "recurrent", "curriculum",
            "speculative", "retrieval-guided", "self-refining", "multi-scale", "causal", "federated",
            "quantized", "progressive", "rank-adaptive", "memory-augmented", "token-level", "modular", "dual"]
METHOD_N = ["memory routing", "token pruning", "reward shaping", "prefix tuning", "expert mixing",
            "state tracking", "prompt distillation", "attention sinks", "gradient surgery", "plan search",
            "context packing", "value decoding", "tool grounding", "draft verification", "key caching",
            "loss reweighting", "policy editing", "layer skipping", "data pruning", "critique loops"]
ADJ = [("efficient", "efficient"), ("small", "छोटा"), ("multilingual", "multilingual"),
       ("instruction-tuned", "instruction-tuned"), ("open", "open")]

# (English, Hindi) with str.format slots; every slot appears on both sides.
INTRO = [
    ("Introduces {model}, a {adj_en} language model with {size}B parameters that outperforms {base} on {bench}.",
     "{model} प्रस्तुत करता है, {size}B parameters वाला एक {adj_hi} language model, जो {bench} पर {base} से बेहतर प्रदर्शन करता है।"),
    ("Proposes a training recipe for {topic_en} that improves {bench} accuracy by {pct}%.",
     "{topic_hi} के लिए एक training recipe प्रस्तावित करता है, जो {bench} accuracy को {pct}% बढ़ाती है।"),
    ("Introduces {method}, a way to make {topic_en} cheaper by reusing computation across steps.",
     "{method} प्रस्तुत करता है, जो चरणों के बीच computation को दोबारा उपयोग करके {topic_hi} को सस्ता बनाने का एक तरीका है।"),
    ("Combines {method} with {method2} so that {model} can handle inputs of {ctx}k tokens.",
     "{method} को {method2} के साथ जोड़ता है, ताकि {model} {ctx}k tokens तक के inputs संभाल सके।"),
    ("Finds that {method} explains most of the gains reported for {topic_en} on {bench}.",
     "यह पाता है कि {bench} पर {topic_hi} के लिए बताए गए ज़्यादातर सुधारों की वजह {method} है।"),
    ("Shows that a model trained on {tok}B tokens of synthetic data can match {base} on {bench}.",
     "यह दिखाता है कि synthetic data के {tok}B tokens पर train किया गया मॉडल {bench} पर {base} की बराबरी कर सकता है।"),
    ("Presents a benchmark of {k} tasks for evaluating {topic_en} in large language models.",
     "large language models में {topic_hi} के मूल्यांकन के लिए {k} tasks का एक benchmark प्रस्तुत करता है।"),
]
SUMMARY = [
    ("Large language models have shown impressive performance on many natural language tasks.",
     "Large language models ने कई natural language tasks पर प्रभावशाली performance दिखाई है।"),
    ("However, they still struggle with {topic_en}, especially when the input is long.",
     "हालांकि, वे अब भी {topic_hi} में संघर्ष करते हैं, खासकर जब input लंबा होता है।"),
    ("Existing methods require expensive human annotations, which limits their scalability.",
     "मौजूदा methods को महंगे human annotations की ज़रूरत होती है, जिससे उनकी scalability सीमित हो जाती है।"),
    ("To address this issue, we propose {method}, a simple training objective that needs no extra data.",
     "इस समस्या को हल करने के लिए हम {method} प्रस्तावित करते हैं, एक सरल training objective जिसे अतिरिक्त data की ज़रूरत नहीं होती।"),
    ("The key idea of {method} is to apply {method2} only where the model is uncertain.",
     "{method} का मुख्य विचार {method2} को केवल वहीं लागू करना है जहाँ मॉडल अनिश्चित होता है।"),
    ("Compared with {method2}, {method} uses {x}x less memory at the same accuracy.",
     "{method2} की तुलना में, {method} समान accuracy पर {x}x कम memory का उपयोग करता है।"),
    ("We introduce {model}, a {adj_en} model with {size}B parameters.",
     "हम {model} प्रस्तुत करते हैं, {size}B parameters वाला एक {adj_hi} मॉडल।"),
    ("We train {model} on {tok}B tokens collected from public sources.",
     "हम {model} को सार्वजनिक स्रोतों से इकट्ठा किए गए {tok}B tokens पर train करते हैं।"),
    ("{model} outperforms {base} by {pct}% on {bench}.",
     "{model}, {bench} पर {base} से {pct}% बेहतर प्रदर्शन करता है।"),
    ("It reaches {acc}% accuracy on {bench}, a new state-of-the-art result for open models.",
     "यह {bench} पर {acc}% accuracy तक पहुँचता है, जो open models के लिए एक नया state-of-the-art परिणाम है।"),
    ("Our experiments show that the method reduces inference cost by {x}x without a loss in quality.",
     "हमारे प्रयोग दिखाते हैं कि यह method गुणवत्ता में बिना किसी कमी के inference लागत को {x}x कम करती है।"),
    ("The approach does not require any additional parameters and is easy to implement.",
     "इस approach को किसी अतिरिक्त parameters की ज़रूरत नहीं होती और इसे लागू करना आसान है।"),
    ("We evaluate on {k} benchmarks covering reasoning, coding and mathematics.",
     "हम reasoning, coding और गणित को कवर करने वाले {k} benchmarks पर मूल्यांकन करते हैं।"),
    ("We release a dataset of {mil} million examples to support future research.",
     "भविष्य की research को बढ़ावा देने के लिए हम {lakh} लाख examples का एक dataset जारी करते हैं।"),
    ("Code and models are available at https://github.com/{org}/{repo}.",
     "Code और models https://github.com/{org}/{repo} पर उपलब्ध हैं।"),
    ("Finally, we analyze the failure modes of current systems and discuss open problems.",
     "अंत में, हम मौजूदा systems की विफलता के तरीकों का विश्लेषण करते हैं और खुली समस्याओं पर चर्चा करते हैं।"),
    ("Human evaluators prefer its responses in {pct}% of cases.",
     "मानव evaluators {pct}% मामलों में इसके responses को पसंद करते हैं।"),
    ("The model is trained for {days} days on {gpus} GPUs.",
     "मॉडल को {gpus} GPUs पर {days} दिनों तक train किया गया है।"),
    ("We also study how the size of the training set affects robustness.",
     "हम यह भी अध्ययन करते हैं कि training set का आकार robustness को कैसे प्रभावित करता है।"),
    ("Ablations confirm that each component contributes to the final performance.",
     "Ablations पुष्टि करते हैं कि हर घटक अंतिम performance में योगदान देता है।"),
    ("The gains are largest on tasks that require several steps of reasoning.",
     "सबसे बड़े सुधार उन tasks पर दिखते हैं जिनमें reasoning के कई चरणों की ज़रूरत होती है।"),
    ("In contrast to prior work, our method works with frozen black-box models.",
     "पिछले काम के विपरीत, हमारी method frozen black-box models के साथ काम करती है।"),
]


def _slots(rng: random.Random, model: str) -> dict:
    topic_en, topic_hi = rng.choice(TOPICS)
    adj_en, adj_hi = rng.choice(ADJ)
    mil = rng.randint(1, 9)
    return {
        "model": model, "size": rng.choice([1, 3, 7, 13, 34, 70]), "base": rng.choice(BASES),
        "bench": rng.choice(BENCHES), "pct": rng.randint(2, 40), "acc": f"{rng.randint(40, 95)}.{rng.randint(0, 9)}",
        "tok": rng.choice([50, 100, 300, 1400, 2000]), "x": rng.choice([2, 3, 4, 8]), "k": rng.randint(5, 60),
        "mil": mil, "lakh": mil * 10, "org": rng.choice(ORGS), "repo": model.lower(), "days": rng.randint(2, 30),
        "gpus": rng.choice([8, 16, 64, 256]), "topic_en": topic_en, "topic_hi": topic_hi,
        "adj_en": adj_en, "adj_hi": adj_hi, "ctx": rng.choice([32, 64, 128, 256]),
        "method": f"{rng.choice(METHOD_A)} {rng.choice(METHOD_N)}",
        "method2": f"{rng.choice(METHOD_A)} {rng.choice(METHOD_N)}",
    }


def _paragraph(rng: random.Random, pool, count: int, slots: dict, lead=None) -> tuple[str, str]:
    chosen = ([rng.choice(lead)] if lead else []) + rng.sample(pool, count)
    return (" ".join(en.format(**slots) for en, _ in chosen),
            " ".join(hi.format(**slots) for _, hi in chosen))


def _plant(rng: random.Random, en: str, hi: str) -> tuple[str, str | None, bool]:
    """One planted error: (english, hindi or None to drop the quote, repeat the Hindi)."""
    kind = rng.choice(["number", "clause", "dot", "no_source", "duplicate"])
    if kind == "number" and "%" in hi:
        return en, hi.replace("%", "1%", 1), False
    if kind == "clause":
        return en, hi.replace("।", " which makes the results much better।", 1), False
    if kind == "no_source":
        return None, hi, False
    if kind == "duplicate":
        return en, hi, True
    return en, hi.replace("।", ".", 1), False


def digest(rng: random.Random, number: int, papers: int, markdown: bool, error_rate: float) -> tuple[str, int]:
    """One digest's text and its number of Hindi/English pairs."""
    h2, h3 = ("## ", "### ") if markdown else ("", "")
    out = [f"{h2}अवलोकन", "", "DAIR.AI द्वारा हर हफ्ते प्रकाशित ML पेपरों पर आधारित इस लेख का स्वचालित अनुवाद किया गया है।"]
    topics = ", ".join(t for _, t in rng.sample(TOPICS, 2)) + " और " + rng.choice(TOPICS)[1]
    out += ([""] if markdown else []) + [f"इस बार के पेपरों में मुख्य रूप से {topics} पर शोध अधिक दिखाई देता है।", ""]
    pairs = 0
    for p in range(papers):
        model = f"{rng.choice(PREFIXES)}-{number}-{p}"
        slots = _slots(rng, model)
        out += [f"{h2}{model}: {slots['topic_hi']} के लिए एक नया मॉडल / {model}: A New Model for {slots['topic_en'].title()}", ""]
        for section, lead, count in (("पेपर परिचय", INTRO, 1), ("पेपर सारांश", None, rng.randint(4, 7))):
            en, hi = _paragraph(rng, SUMMARY, count, slots, lead)
            repeat = False
            if rng.random() < error_rate:
                en, hi, repeat = _plant(rng, en, hi)
            out += [f"{h3}{section}", ""]
            if markdown:
                out += [hi, ""] + ([f"> {en}", ""] if en else []) + ([hi, ""] if repeat else [])
            else:
                out += [f"  • {hi}"] + ([f"    > {en}"] if en else []) + ([f"  • {hi}"] if repeat else []) + [""]
            pairs += en is not None
        link = f"https://arxiv.org/abs/23{rng.randint(1, 12):02d}.{rng.randint(10000, 19999)}"
        tweet = f"https://twitter.com/dair_ai/status/{rng.randint(10**18, 2 * 10**18)}"
        for section, url in (("पेपर लिंक", link), ("और पढ़ें", tweet)):
            out += [f"{h3}{section}", "", f"[{url}]({url})" if markdown else url, ""]
    out += (["---", ""] if markdown else []) + [f"{h2}मूल लेख", "",
            "https://github.com/dair-ai/ML-Papers-of-the-Week#top-ml-papers-of-the-week", ""]
    bullet = "- " if markdown else "  • "
    out += ([] if markdown else [""]) + [
        f"{bullet}यह लेख GPT मॉडल द्वारा स्वचालित रूप से संक्षेपित विवरण है, इसलिए इसमें कुछ गलतियाँ हो सकती हैं; कृपया मूल लेख देखें!",
        f"{bullet}पढ़ते समय यदि आपको कोई अटपटी या गलत बात दिखे, तो कृपया टिप्पणी में बताएं!", "",
        "अभी कोई टिप्पणी नहीं है।", ""]
    return "\n".join(out), pairs


def write_corpus(out_dir: Path, pairs: int = 10_000, papers: int = 10, seed: int = 1,
                 error_rate: float = 0.03) -> dict:
    """Write digests until at least ``pairs`` pairs exist; returns counts and bytes."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    total = files = size = 0
    while total < pairs:
        markdown = files % 2 == 1
        text, n = digest(rng, files, papers, markdown, error_rate)
        path = out_dir / f"{900 + files:04d}_bench.{'md' if markdown else 'txt'}"
        path.write_text(text, encoding="utf-8")
        total, files, size = total + n, files + 1, size + len(text.encode("utf-8"))
    return {"files": files, "pairs": total, "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--papers", type=int, default=10, help="papers per digest")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--error-rate", type=float, default=0.03)
    args = parser.parse_args()
    print(write_corpus(args.out_dir, args.pairs, args.papers, args.seed, args.error_rate))


if __name__ == "__main__":
    main()
