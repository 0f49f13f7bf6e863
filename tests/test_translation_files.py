"""PO, XLIFF 1.2, XLIFF 2.0 and TMX input: one pair per unit, at its line, and the same pair-level
findings as the same pairs written as a digest."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from typer.testing import CliRunner

pytest.importorskip("translate")

from transaudit.cli import app  # noqa: E402
from transaudit.parsing import TranslationOptions, load_paths, parse_document  # noqa: E402

runner = CliRunner()
DATA = Path(__file__).parent / "data" / "po"

# (English, Hindi): clean pairs and one planted mistake in others
PAIRS = [
    ("We present a new method for pruning large language models.",
     "हम large language models को prune करने का एक नया तरीका प्रस्तुत करते हैं।"),
    ("SparseGPT can prune OPT-175B to 50% sparsity in under 4.5 hours.",
     "SparseGPT, OPT-175B को 4.5 घंटे से कम समय में 50% sparsity तक prune कर सकता है।"),
    ("The model is trained on 1.4 trillion tokens.",
     "मॉडल को 14 trillion tokens पर train किया गया है।"),                       # number_mismatch
    ("We compare against Chinchilla and PaLM on every benchmark.",
     "हम हर benchmark पर Chinchila और PaLM से तुलना करते हैं।"),                # entity_mismatch
    ("Our approach improves accuracy on reading comprehension tasks.",
     "हमारा तरीका reading comprehension tasks पर accuracy बेहतर करता है."),      # punctuation
    ("We release all our models to the research community.",
     "We release all our models to the research community."),                   # english_in_translation
    ("The results show that instruction tuning helps smaller models the most.",
     "परिणाम दिखाते हैं कि instruction tuning helps smaller models the most."),  # untranslated_fragment
    ("Finally, we discuss the limitations of this work and directions for future research.",
     "अंत में, हम सीमाओं पर चर्चा करते हैं।"),                                     # omission
]


def _digest(pairs) -> str:
    out = ["अवलोकन", "", "इस सप्ताह के पेपर।", "",
           "Pruning: बड़े models / Pruning: Large Models", "", "पेपर सारांश", ""]
    for en, hi in pairs:
        out += [f"  • {hi}", f"    > {en}", ""]
    return "\n".join(out)


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _po(pairs) -> str:
    out = ['msgid ""', 'msgstr ""', '"Language: hi\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for i, (en, hi) in enumerate(pairs):
        out += [f"#: paper.txt:{i + 1}", f"msgid {_po_string(en)}", f"msgstr {_po_string(hi)}", ""]
    return "\n".join(out)


def _xliff12(pairs) -> str:
    units = "".join(
        f'      <trans-unit id="u{i}">\n        <source>{escape(en)}</source>\n'
        f'        <target state="translated">{escape(hi)}</target>\n      </trans-unit>\n'
        for i, (en, hi) in enumerate(pairs))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
            '  <file original="paper" source-language="en-US" target-language="hi-IN" datatype="plaintext">\n'
            f'    <body>\n{units}    </body>\n  </file>\n</xliff>\n')


def _xliff20(pairs) -> str:
    units = "".join(
        f'    <unit id="u{i}">\n      <segment>\n        <source>{escape(en)}</source>\n'
        f'        <target>{escape(hi)}</target>\n      </segment>\n    </unit>\n'
        for i, (en, hi) in enumerate(pairs))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="hi">\n'
            f'  <file id="f1">\n{units}  </file>\n</xliff>\n')


def _tmx(pairs) -> str:
    units = "".join(
        f'    <tu tuid={quoteattr(f"u{i}")}>\n      <tuv xml:lang="en"><seg>{escape(en)}</seg></tuv>\n'
        f'      <tuv xml:lang="hi"><seg>{escape(hi)}</seg></tuv>\n    </tu>\n'
        for i, (en, hi) in enumerate(pairs))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
            '  <header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en"'
            ' srclang="en" datatype="plaintext"/>\n'
            f'  <body>\n{units}  </body>\n</tmx>\n')


WRITERS = {"digest.txt": _digest, "units.po": _po, "units-12.xlf": _xliff12, "units-20.xliff": _xliff20,
           "units.tmx": _tmx}


def _pair_findings(path: Path):
    result = runner.invoke(app, ["check", str(path), "--no-comet", "--no-report", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert not data["errors"]
    pairs = data["pairs"]
    assert [p["source"] for p in pairs] == [en for en, _ in PAIRS]
    assert [p["translation"] for p in pairs] == [hi for _, hi in PAIRS]
    index_of = {p["line"]: n for n, p in enumerate(pairs)}
    return sorted((f["category"], index_of[f["line"]]) for f in data["findings"])


def test_the_same_pairs_give_the_same_findings_in_all_five_formats(tmp_path):
    got = {}
    for name, writer in WRITERS.items():
        path = tmp_path / name
        path.write_text(writer(PAIRS), encoding="utf-8")
        got[name] = _pair_findings(path)
    expected = got["digest.txt"]
    assert {c for c, _ in expected} >= {"number_mismatch", "entity_mismatch", "punctuation",
                                          "english_in_translation", "untranslated_fragment", "omission"}
    assert all(n not in (0, 1) for _, n in expected)  # the clean pairs stay clean
    for name, findings in got.items():
        assert findings == expected, name


def test_units_lines_ids_plurals_fuzzy_and_obsolete(tmp_path):
    path = tmp_path / "a.po"
    path.write_text("""msgid ""
msgstr ""
"Language: hi_IN\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#, fuzzy
msgid "Open the file"
msgstr "फ़ाइल खोलें"

msgctxt "menu"
msgid ""
"A long string "
"that wraps."
msgstr ""
"एक लंबी स्ट्रिंग "
"जो लपेटती है।"

msgid "One file was deleted"
msgid_plural "%d files were deleted"
msgstr[0] "एक फ़ाइल हटाई गई"
msgstr[1] "%d फ़ाइलें हटाई गईं"

msgid "Untranslated"
msgstr ""

#~ msgid "Old entry"
#~ msgstr "पुरानी प्रविष्टि"
""", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    doc = parse_document(str(path), text)
    assert doc.layout == "po"
    assert [(s.section, s.source_line, s.translation_line, s.translation_end_line, s.source, s.translation)
            for s in doc.segments] == [
        ("menu | A long string that wraps.", 11, 14, 16, "A long string that wraps.", "एक लंबी स्ट्रिंग जो लपेटती है।"),
        ("One file was deleted[0]", 18, 20, 20, "One file was deleted", "एक फ़ाइल हटाई गई"),
        ("One file was deleted[1]", 19, 21, 21, "%d files were deleted", "%d फ़ाइलें हटाई गईं"),
    ]
    with_fuzzy = parse_document(str(path), text, TranslationOptions(include_fuzzy=True))
    assert [s.translation_line for s in with_fuzzy.segments] == [8, 14, 20, 21, 27]


def test_xliff_and_tmx_lines_and_ids(tmp_path):
    pairs = PAIRS[:2]
    for name, writer, layout in (("a.xlf", _xliff12, "xliff"), ("b.xlf", _xliff20, "xliff"), ("c.tmx", _tmx, "tmx")):
        path = tmp_path / name
        path.write_text(writer(pairs), encoding="utf-8")
        doc = parse_document(str(path), path.read_text(encoding="utf-8"))
        lines = doc.lines
        assert doc.layout == layout and [s.section for s in doc.segments] == ["u0", "u1"]
        for s in doc.segments:
            assert ("<target" in lines[s.translation_line - 1] or 'xml:lang="hi"' in lines[s.translation_line - 1])
            assert escape(s.translation) in lines[s.translation_line - 1]
            assert escape(s.source) in lines[s.source_line - 1]


def test_placeholders_missing_or_altered_are_entity_mismatches(tmp_path):
    path = tmp_path / "p.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: hi\\n"\n\n'
                    'msgid "Delete %s?"\nmsgstr "हटाएं?"\n\n'
                    'msgid "Hello {name}, you have %(count)d new messages"\nmsgstr "नमस्ते {nmae}, आपके %(count)d नए संदेश हैं"\n\n'
                    'msgid "Click <b>here</b> &amp; exit"\nmsgstr "<b>यहाँ</b> &amp; बाहर निकलें पर क्लिक करें"\n\n'
                    'msgid "Tom &amp; Jerry"\nmsgstr "टॉम और जेरी"\n', encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--no-comet", "--no-report", "--format", "json",
                                 "--select", "entity_mismatch"])
    found = [(f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [
        (6, "placeholder %s from the source is missing in the translation"),
        (9, "placeholder {name} in the source is {nmae} in the translation"),
        (15, "placeholder &amp; from the source is missing in the translation"),
    ]
    diff = runner.invoke(app, ["check", str(path), "--no-comet", "--no-report", "--diff", "--unsafe-fixes",
                               "--select", "entity_mismatch"])
    assert diff.exit_code == 1 and '+msgstr "नमस्ते {name}, आपके' in diff.stdout


def test_languages_from_the_header_or_the_flags(tmp_path):
    path = tmp_path / "fr.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Open"\nmsgstr "Ouvrir"\n', encoding="utf-8")
    docs, errors = load_paths([str(path)])
    assert not docs and [e.message for e in errors] == [
        "target language is 'fr', not Hindi ('hi'); give --target-lang hi if the file is mislabelled"]
    docs, errors = load_paths([str(path)], options=TranslationOptions(target_lang="hi"))
    assert not errors and len(docs[0].segments) == 1
    tmx = tmp_path / "t.tmx"
    tmx.write_text(_tmx(PAIRS[:1]).replace('xml:lang="hi"', 'xml:lang="mr"'), encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmx), "--no-comet", "--no-report"])
    assert result.exit_code == 2 and "no unit has both an 'en' and a 'hi' variant" in result.stderr
    assert "Traceback" not in result.output


def test_broken_files_are_one_line_each_and_the_run_goes_on(tmp_path):
    (tmp_path / "bad.xlf").write_text("<xliff version='1.2'><file><body><trans-unit", encoding="utf-8")
    (tmp_path / "bad.po").write_text('msgid "a\nmsgstr "b"\n', encoding="utf-8")
    (tmp_path / "good.po").write_text(_po(PAIRS[:2]), encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path), "--no-comet", "--no-report"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if ": error:" in line]
    assert len(errors) == 2 and {Path(e.split(": ")[1]).name for e in errors} == {"bad.xlf", "bad.po"}


def test_a_real_hindi_po_file_reads_without_input_errors():
    path = DATA / "bleachbit-hi.po"
    docs, errors = load_paths([str(path)])
    assert errors == [] and len(docs[0].segments) == 311
    with_fuzzy, _ = load_paths([str(path)], options=TranslationOptions(include_fuzzy=True))
    assert len(with_fuzzy[0].segments) == 400
    result = runner.invoke(app, ["check", str(path), "--no-comet", "--no-report", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["errors"] == [] and data["summary"]["by_category"] == {"omission": 1, "punctuation": 1}
    result = runner.invoke(app, ["check", str(path), "--no-comet", "--no-report", "--format", "json",
                                 "--include-fuzzy"])
    by_category = json.loads(result.stdout)["summary"]["by_category"]
    assert by_category == {"entity_mismatch": 15, "omission": 1, "punctuation": 1}
