"""Small digests for the CI-gate tests, with errors the rule checks catch robustly.

Each constant notes the line of its planted error (as ``sed -n Np`` counts), so tests can assert
the exact ``file:line`` a user would see.
"""

from __future__ import annotations

# Markdown layout; TA204 untranslated_fragment on line 9 (an English clause left in Hindi).
OLD_MD = """## अवलोकन

इस सप्ताह के पेपर retrieval और language models पर केंद्रित हैं।

## Toolformer: भाषा मॉडल खुद tools का उपयोग करना सीखते हैं / Toolformer: Language Models Can Teach Themselves to Use Tools

### पेपर परिचय

हम दिखाते हैं that the model learns to call external tools on its own।

> We show that the model learns to call external tools on its own.

### पेपर सारांश

यह मॉडल calculator, search engine और translation system जैसे tools को API calls के जरिए इस्तेमाल करना सीखता है।

> The model learns to use tools such as a calculator, a search engine and a translation system through API calls.

### पेपर लिंक

https://arxiv.org/abs/2302.04761
"""
OLD_MD_ERROR_LINE = 9

# A clean paper block to insert above the error of OLD_MD (after line 4); it shifts the error down.
EXTRA_PAPER_MD = """## Diffusion Models से Training Data निकालना / Extracting Training Data from Diffusion Models

### पेपर परिचय

यह दिखाता है कि diffusion-based generative models, training data की images को याद कर सकते हैं।

> Shows that diffusion-based generative models can memorize images from the training data.

"""
EXTRA_PAPER_LINES = EXTRA_PAPER_MD.count("\n")

# Plain-text layout; TA201 hindi_in_source on line 15 (the English quote holds Hindi).
OLD_TXT = """अवलोकन

इस सप्ताह के पेपर retrieval और language models पर केंद्रित हैं।

REPLUG: Retrieval-Augmented Black-Box Language Models

पेपर परिचय

  • एक retrieval-augmented LM framework, जो retriever को GPT-3 जैसे बड़े black-box LM के अनुरूप ढालता है।
    > A retrieval-augmented LM framework that adapts a retriever to a large-scale, black-box LM like GPT-3.

पेपर सारांश

  • हम REPLUG प्रस्तुत करते हैं, जो language model को black box मानता है।
    > हम REPLUG प्रस्तुत करते हैं, जो language model को black box मानता है।

पेपर लिंक

https://arxiv.org/abs/2301.12652
"""
OLD_TXT_ERROR_LINE = 15

# Markdown layout; TA204 on line 9 of the new weekly issue.
NEW_MD = """## अवलोकन

इस सप्ताह के पेपर speech synthesis पर केंद्रित हैं।

## VALL-E: Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers

### पेपर परिचय

हम दिखाते हैं that the model works well on all tasks।

> We show that the model works well on all tasks.

### पेपर लिंक

https://valle-demo.github.io/
"""
NEW_MD_ERROR_LINE = 9
NEW_MD_FIXED = NEW_MD.replace("हम दिखाते हैं that the model works well on all tasks।",
                              "हम दिखाते हैं कि यह मॉडल सभी tasks पर अच्छा काम करता है।")
