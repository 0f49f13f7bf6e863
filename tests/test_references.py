"""Corrected digests as references (issue 14): pairing, sacrebleu scores, gates, the digest table."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transaudit.cli import app
from transaudit.parsing import parse_document
from transaudit.references.matching import match_pairs, reference_files, references_of
from transaudit.references.stage import score_references

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / "clean_corpus"
sys.path.insert(0, str(ROOT / "benchmarks"))
import inject  # noqa: E402

runner = CliRunner()
SACREBLEU = Path(sys.executable).with_name("sacrebleu")


def _doc(path: Path, text: str | None = None):
    return parse_document(str(path), path.read_text(encoding="utf-8") if text is None else text)


def _json(args) -> tuple[int, dict, str]:
    result = runner.invoke(app, ["check", *map(str, args), "--no-comet", "--no-report", "--format", "json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}, result.stderr


def _edit_hindi(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


# -- the same numbers as sacrebleu's command line ------------------------------------------------

def _cli(ref: Path, hyp: Path, *args: str) -> list[float]:
    out = subprocess.run([str(SACREBLEU), str(ref), "-i", str(hyp), *args, "-b", "-w", "4"],
                         capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.replace("[", " ").replace("]", " ").replace(",", " ").split()]


@pytest.fixture(scope="module")
def damaged_run(tmp_path_factory):
    """Three clean digests as references, their copies with edits in several pairs as MT."""
    if not SACREBLEU.exists():
        pytest.skip("sacrebleu's command line is not installed next to this Python")
    tmp = tmp_path_factory.mktemp("refs")
    (tmp / "mt").mkdir()
    (tmp / "ref").mkdir()
    names = sorted(p.name for p in CORPUS.iterdir())[:3]
    for name in names:
        shutil.copy(CORPUS / name, tmp / "ref" / name)
    edits = {names[0]: [("4.86x", "4.68x"), ("प्रस्तुत करते हैं", "पेश करते हैं"), ("तेज़ inference", "fast inference")],
             names[1]: [("Transformer जैसी quality", "Transformer के समान गुणवत्ता"), ("अधिक", "ज़्यादा")],
             names[2]: []}
    for name in names:
        text = (CORPUS / name).read_text(encoding="utf-8")
        for old, new in edits[name]:
            # the first occurrence of a Hindi phrase is in a Hindi paragraph in these digests
            text = _edit_hindi(text, old, new)
        (tmp / "mt" / name).write_text(text, encoding="utf-8")
    code, data, stderr = _json([tmp / "mt", "--reference", tmp / "ref"])
    assert code in (0, 1), stderr
    return tmp, data


def test_sentence_scores_equal_sacrebleu_command_line(damaged_run, tmp_path):
    _, data = damaged_run
    pairs = [p for p in data["pairs"] if p["reference"]]
    assert len(pairs) >= 10 and any(p["reference"]["chrf"] < 100 for p in pairs)
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("".join(p["translation"].replace("\n", " ") + "\n" for p in pairs), encoding="utf-8")
    ref.write_text("".join(p["reference"]["text"].replace("\n", " ") + "\n" for p in pairs), encoding="utf-8")
    for metric, extra in (("chrf", []), ("bleu", ["-tok", "intl"]), ("ter", [])):
        expected = _cli(ref, hyp, "-m", metric, "-sl", *extra)
        got = [p["reference"][metric] for p in pairs]
        assert got == pytest.approx(expected, abs=0.01), metric


def test_corpus_scores_equal_sacrebleu_command_line(damaged_run, tmp_path):
    _, data = damaged_run
    pairs = [p for p in data["pairs"] if p["reference"]]
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"

    def corpus(subset):
        hyp.write_text("".join(p["translation"].replace("\n", " ") + "\n" for p in subset), encoding="utf-8")
        ref.write_text("".join(p["reference"]["text"].replace("\n", " ") + "\n" for p in subset), encoding="utf-8")
        bleu, chrf, ter = _cli(ref, hyp, "-m", "bleu", "chrf", "ter", "-tok", "intl")
        return {"bleu": bleu, "chrf": chrf, "ter": ter}

    summary = data["summary"]["reference"]
    expected = corpus(pairs)
    for metric in ("chrf", "bleu", "ter"):
        assert summary[metric] == pytest.approx(expected[metric], abs=0.01)
    for file, row in data["summary"]["by_file_reference"].items():
        mine = [p for p in pairs if p["file"] == file]
        expected = corpus(mine)
        for metric in ("chrf", "bleu", "ter"):
            assert row[metric] == pytest.approx(expected[metric], abs=0.01), (file, metric)
    # a corpus score is not the mean of the sentence scores
    mean_bleu = sum(p["reference"]["bleu"] for p in pairs) / len(pairs)
    assert abs(summary["bleu"] - mean_bleu) > 0.01


def test_signatures_name_the_tokenizer_and_sentence_bleu_uses_effective_order(damaged_run):
    sig = damaged_run[1]["summary"]["reference"]["signatures"]
    assert "tok:intl" in sig["bleu"] and "eff:no" in sig["bleu"]
    assert "tok:intl" in sig["bleu_sentence"] and "eff:yes" in sig["bleu_sentence"]
    assert "nc:6|nw:0" in sig["chrf"] and "tok:tercom" in sig["ter"]


def test_clean_copy_scores_perfectly_and_damaged_digest_does_not(damaged_run):
    _, data = damaged_run
    rows = data["summary"]["by_file_reference"]
    clean = [r for f, r in rows.items() if f.endswith(sorted(rows)[2].rsplit("/", 1)[-1])][0]
    assert (clean["chrf"], clean["bleu"], clean["ter"]) == (100.0, 100.0, 0.0)
    damaged = rows[sorted(rows)[0]]
    assert damaged["chrf"] < 100 and damaged["ter"] > 0
    assert data["summary"]["reference"]["pairs_with_reference"] == sum(r["pairs"] for r in rows.values())


# -- injected errors: the damaged pair is the lowest of its digest ------------------------------

# Operators that change a Hindi paragraph of a pair (the ones that change only the English, a
# line outside pairs or only blanks, which chrF ignores, leave nothing for a reference to see).
HINDI_OPERATORS = [
    "name_char_dropped", "name_char_doubled", "name_chars_swapped", "name_char_replaced", "name_digit_changed",
    "name_acronym_letter_dropped", "name_deleted", "number_digit_changed", "number_decimal_moved",
    "number_unit_dropped", "number_devanagari_changed", "translation_is_english", "english_clause_in_hindi",
    "marathi_or_nepali_paragraph", "korean_or_chinese_sentence", "most_sentences_dropped", "latin_stop",
    "paragraph_copied_into_other_pair",
]


def _injected(seed: int, count: int):
    import random

    digests = [inject.read_digest(p) for p in sorted(CORPUS.iterdir())]
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        d = rng.choice(digests)
        op = HINDI_OPERATORS[len(out) % len(HINDI_OPERATORS)]
        try:
            lines, category, line, end_line, note = inject.OPERATORS[op](list(d.lines), d, rng)
        except (inject.Skip, IndexError):
            continue
        out.append((d, op, line + 1, "\n".join(lines)))
    return out


def test_injected_error_gives_the_lowest_chrf_of_its_digest():
    cases = _injected(seed=14, count=3 * len(HINDI_OPERATORS))
    seen_ops = set()
    for base, op, line, text in cases:
        ref = parse_document(f"ref/{base.name}", "\n".join(base.lines))
        mt = parse_document(f"mt/{base.name}", text)
        run = score_references([mt], {mt.path: references_of(mt, ref)}, {mt.path: ref.path})
        scored = {i: r for (_, i), r in run.records.items()}
        assert all(r is not None for r in scored.values()), (op, "a pair lost its reference")
        damaged = [s.index for s in mt.segments if s.is_pair
                   and s.translation_line <= line <= (s.translation_end_line or s.translation_line)]
        assert len(damaged) == 1, (op, line)
        lowest = min(scored.values(), key=lambda r: r["chrf"])
        assert scored[damaged[0]]["chrf"] == lowest["chrf"] < 100, (op, base.name, line)
        others = [r["chrf"] for i, r in scored.items() if i != damaged[0]]
        assert others and min(others) > scored[damaged[0]]["chrf"], (op, base.name)
        seen_ops.add(op)
    assert seen_ops == set(HINDI_OPERATORS)


# -- pairing by paper and section, not by line ---------------------------------------------------

MD = CORPUS / "302_ccd514050c3c5c4f.md"


def test_pairs_match_by_paper_and_section_when_the_reference_moved_papers_and_lines():
    text = MD.read_text(encoding="utf-8")
    head, *papers = text.split("\n## ")
    # the corrected digest: a longer overview (every line shifts), papers in reverse order,
    # a corrected Hindi title half, and an English original with a typo fixed
    ref_text = "\n## ".join([head + "\nएक और पंक्ति जो संपादक ने जोड़ी।\n", *reversed(papers)])
    first_title = papers[0].split("\n", 1)[0]
    hindi_half, english_half = first_title.split(" / ", 1)
    ref_text = ref_text.replace(first_title, "संशोधित शीर्षक / " + english_half)
    mt, ref = parse_document("mt.md", text), parse_document("ref.md", ref_text)
    matched = match_pairs(mt, ref)
    pairs = [s for s in mt.segments if s.is_pair]
    assert set(matched) == {s.index for s in pairs}
    for s in pairs:
        assert matched[s.index].source == s.source and matched[s.index].section == s.section
        assert matched[s.index].translation_line != s.translation_line  # not by line


def test_an_added_pair_in_the_mt_has_no_reference_and_the_others_keep_theirs():
    text = MD.read_text(encoding="utf-8")
    mt_text = text.replace("### पेपर सारांश\n", "### पेपर सारांश\n\nएक अतिरिक्त अनुच्छेद।\n\n> An extra paragraph.\n", 1)
    mt, ref = parse_document("mt.md", mt_text), parse_document("ref.md", text)
    refs = references_of(mt, ref)
    pairs = [s for s in mt.segments if s.is_pair]
    missing = [s for s in pairs if s.index not in refs]
    assert [s.source for s in missing] == ["An extra paragraph."]
    assert all(refs[s.index].text == s.translation for s in pairs if s.index in refs)


def test_an_edited_english_original_still_pairs_in_order_within_its_section():
    text = MD.read_text(encoding="utf-8")
    ref_text = text.replace("Transformer quality without attention", "Transformer quality without any attention")
    assert ref_text != text
    mt, ref = parse_document("mt.md", text), parse_document("ref.md", ref_text)
    refs = references_of(mt, ref)
    assert len(refs) == sum(s.is_pair for s in mt.segments)


def test_reference_files_by_name_longest_tail_and_single_file(tmp_path):
    for d in ("ref/2023", "ref/2024", "mt/2024"):
        (tmp_path / d).mkdir(parents=True)
    for p in ("ref/2023/w01.md", "ref/2024/w01.md", "mt/2024/w01.md", "mt/2024/w02.md", "other.md"):
        (tmp_path / p).write_text("x", encoding="utf-8")
    found = reference_files([str(tmp_path / "ref")], [str(tmp_path / "mt/2024/w01.md"), str(tmp_path / "mt/2024/w02.md")])
    assert found == {str(tmp_path / "mt/2024/w01.md"): str(tmp_path / "ref/2024/w01.md"),
                     str(tmp_path / "mt/2024/w02.md"): None}
    one = reference_files([str(tmp_path / "other.md")], [str(tmp_path / "mt/2024/w01.md")])
    assert one == {str(tmp_path / "mt/2024/w01.md"): str(tmp_path / "other.md")}
    # a file is never its own reference
    assert reference_files([str(tmp_path / "mt")], [str(tmp_path / "mt/2024/w01.md")]) == \
        {str(tmp_path / "mt/2024/w01.md"): None}


# -- the command line ------------------------------------------------------------------------------

def test_parallel_reference_column(tmp_path):
    path = tmp_path / "p.tsv"
    path.write_text("source\ttranslation\treference\n"
                    "The model is open.\tमॉडल खुला है।\tमॉडल खुला है।\n"
                    "We train it.\tहम इसे train करते हैं।\tहम इसे प्रशिक्षित करते हैं।\n"
                    "No reference here.\tयहाँ कोई संदर्भ नहीं।\t\n", encoding="utf-8")
    code, data, stderr = _json([path])
    refs = [p["reference"] for p in data["pairs"]]
    assert refs[0]["chrf"] == 100.0 and refs[1]["chrf"] < 100 and refs[2] is None
    assert refs[1]["line"] == 3 and refs[1]["file"].endswith("p.tsv")
    assert data["summary"]["reference"]["pairs_with_reference"] == 2
    assert data["summary"]["reference"]["pairs_without_reference"] == 1


def test_without_references_json_has_no_reference_fields(tmp_path):
    code, data, _ = _json([MD])
    assert "reference" not in data["summary"] and all("reference" not in p for p in data["pairs"])


def test_missing_and_unreadable_references_are_one_line_each_and_exit_2(tmp_path):
    (tmp_path / "mt").mkdir()
    (tmp_path / "ref").mkdir()
    shutil.copy(MD, tmp_path / "mt" / MD.name)
    (tmp_path / "ref" / MD.name).write_bytes(b"\xff\xfe\x00garbage\x00\x00\xd8")
    code, data, stderr = _json([tmp_path / "mt", "--reference", tmp_path / "ref", "--reference", tmp_path / "nope"])
    assert code == 2
    lines = [line for line in stderr.splitlines() if "error" in line]
    assert any(str(tmp_path / "nope") in line and "no such file" in line for line in lines)
    assert any(MD.name in line and "reference digest" in line for line in lines)
    assert "Traceback" not in stderr
    assert data["findings"] == []  # the audit itself went on


def test_no_reference_digest_is_said_per_digest(tmp_path):
    (tmp_path / "ref").mkdir()
    code, data, stderr = _json([MD, "--reference", tmp_path / "ref"])
    assert f"no reference digest named {MD.name}" in stderr
    assert "reference" not in data["summary"]


@pytest.fixture()
def mt_and_ref(tmp_path):
    (tmp_path / "mt").mkdir()
    (tmp_path / "ref").mkdir()
    shutil.copy(MD, tmp_path / "ref" / MD.name)
    text = _edit_hindi(MD.read_text(encoding="utf-8"), "Transformer जैसी quality", "Transformer के समान गुणवत्ता")
    (tmp_path / "mt" / MD.name).write_text(text, encoding="utf-8")
    return tmp_path


def _exit(args) -> tuple[int, str]:
    result = runner.invoke(app, ["check", *map(str, args), "--no-comet", "--no-report", "--fail-on", "never"])
    return result.exit_code, result.stderr


def test_chrf_and_ter_gates(mt_and_ref):
    _, data, _ = _json([mt_and_ref / "mt", "--reference", mt_and_ref / "ref"])
    chrf, ter = data["summary"]["reference"]["chrf"], data["summary"]["reference"]["ter"]
    base = [mt_and_ref / "mt", "--reference", mt_and_ref / "ref"]
    assert _exit(base + ["--fail-under-chrf", chrf - 0.5])[0] == 0
    code, stderr = _exit(base + ["--fail-under-chrf", chrf + 0.5])
    assert code == 1 and "under --fail-under-chrf" in stderr
    assert _exit(base + ["--fail-over-ter", ter + 0.5])[0] == 0
    code, stderr = _exit(base + ["--fail-over-ter", ter - 0.5])
    assert code == 1 and "over --fail-over-ter" in stderr


def test_gate_without_any_reference_is_a_usage_error(tmp_path):
    code, stderr = _exit([MD, "--fail-under-chrf", "50"])
    assert code == 2 and "no pair has a reference" in stderr
    code, stderr = _exit([MD, "--fail-under-chrf", "150"])
    assert code == 2 and "between 0 and 100" in stderr


def test_by_digest_csv_is_in_file_name_order(mt_and_ref, tmp_path):
    import csv
    import io

    shutil.copy(CORPUS / "301_ea6035752f016c07.txt", mt_and_ref / "mt" / "a-first.txt")
    result = runner.invoke(app, ["check", str(mt_and_ref / "mt"), "--reference", str(mt_and_ref / "ref"),
                                 "--no-comet", "--no-report", "--format", "csv", "--by-digest"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [os.path.basename(r["file"]) for r in rows] == ["302_ccd514050c3c5c4f.md", "a-first.txt"]
    by_name = {os.path.basename(r["file"]): r for r in rows}
    assert float(by_name[MD.name]["chrf"]) < 100 and by_name[MD.name]["reference"].endswith(MD.name)
    assert by_name["a-first.txt"]["chrf"] == "" and by_name["a-first.txt"]["pairs_with_reference"] == "0"
    bad = runner.invoke(app, ["check", str(MD), "--no-comet", "--no-report", "--by-digest"])
    assert bad.exit_code == 2 and "--format csv" in bad.stderr


def test_help_does_not_import_sacrebleu():
    code = ("import sys; from transaudit.cli import app; from typer.testing import CliRunner; "
            "CliRunner().invoke(app, ['check', '--help']); print('sacrebleu' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_output_onto_a_reference_digest_is_refused_and_nothing_is_written(mt_and_ref):
    ref = mt_and_ref / "ref" / MD.name
    before = ref.read_bytes()
    for flag in ("--output", "--report"):
        result = runner.invoke(app, ["check", str(mt_and_ref / "mt"), "--reference", str(mt_and_ref / "ref"),
                                     "--no-comet", flag, str(ref)])
        assert result.exit_code == 2 and "reference" in result.stderr, result.output
        assert ref.read_bytes() == before


def test_trend_of_a_saved_result_equals_the_by_digest_table(mt_and_ref, tmp_path):
    base = [str(mt_and_ref / "mt"), "--reference", str(mt_and_ref / "ref"), "--no-comet", "--no-report"]
    saved = tmp_path / "result.json"
    first = runner.invoke(app, ["check", *base, "--format", "json", "-o", str(saved), "--fail-on", "never"])
    assert first.exit_code == 0, first.output
    by_digest = runner.invoke(app, ["check", *base, "--format", "csv", "--by-digest", "--fail-on", "never"]).stdout
    trend = runner.invoke(app, ["trend", str(saved)])
    assert trend.exit_code == 0 and trend.stdout == by_digest and "chrf" in by_digest.splitlines()[0]
    assert runner.invoke(app, ["trend", str(saved), "-o", str(saved)]).exit_code == 2
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    bad = runner.invoke(app, ["trend", str(tmp_path / "bad.json")])
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_thresholds_and_reference_model_from_the_config_file(mt_and_ref, monkeypatch):
    (mt_and_ref / "transaudit.toml").write_text("fail-under-chrf = 99.9\nfail-over-ter = 0.001\n", encoding="utf-8")
    monkeypatch.chdir(mt_and_ref)
    code, stderr = _exit(["mt", "--reference", "ref"])
    assert code == 1 and "under --fail-under-chrf 99.9" in stderr and "over --fail-over-ter 0.001" in stderr
    assert "against references: chrF" in stderr and "tok:intl" in stderr
    code, _ = _exit(["mt", "--reference", "ref", "--fail-under-chrf", "1", "--fail-over-ter", "100"])
    assert code == 0  # the command line wins
    (mt_and_ref / "transaudit.toml").write_text("fail-under-chrf = 'high'\n", encoding="utf-8")
    code, stderr = _exit(["mt", "--reference", "ref"])
    assert code == 2 and "'fail-under-chrf' must be a number" in stderr


def test_parallel_file_with_a_parallel_reference_file(tmp_path):
    (tmp_path / "mt").mkdir()
    (tmp_path / "ref").mkdir()
    (tmp_path / "mt" / "p.csv").write_text("source,translation\nThe model is open.,मॉडल ओपन है।\n"
                                           "We train it.,हम इसे train करते हैं।\n", encoding="utf-8")
    (tmp_path / "ref" / "p.csv").write_text("source,translation\nWe train it.,हम इसे प्रशिक्षित करते हैं।\n"
                                            "The model is open.,मॉडल खुला है।\n", encoding="utf-8")
    code, data, _ = _json([tmp_path / "mt", "--reference", tmp_path / "ref"])
    refs = [p["reference"]["text"] for p in data["pairs"]]
    assert refs == ["मॉडल खुला है।", "हम इसे प्रशिक्षित करते हैं।"]  # by English original, not by row


def test_step_summary_carries_the_scores_against_references(mt_and_ref, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _exit([mt_and_ref / "mt", "--reference", mt_and_ref / "ref"])
    assert "against references: chrF" in summary.read_text(encoding="utf-8")


def test_worker_processes_give_the_same_scores(monkeypatch):
    from transaudit.references import metrics

    monkeypatch.setattr(metrics, "BATCH", 3)
    docs = [parse_document(str(p), p.read_text(encoding="utf-8")) for p in sorted(CORPUS.iterdir())[:4]]
    hyps = [s.translation.replace("है।", "है .") for d in docs for s in d.segments if s.is_pair]
    refs = [s.translation for d in docs for s in d.segments if s.is_pair]
    one, two = metrics.Scorers.create(), metrics.Scorers.create()
    a, b = metrics.extract(one, hyps, refs, jobs=1), metrics.extract(two, hyps, refs, jobs=2)
    assert [metrics.sentence_scores(one, s) for s in a] == [metrics.sentence_scores(two, s) for s in b]
    assert metrics.corpus_scores(one, a) == metrics.corpus_scores(two, b) and one.signatures() == two.signatures()
    assert metrics.corpus_scores(one, a)["chrf"] < 100


def test_a_reference_in_the_other_layout_is_found_by_its_stem_and_paired(tmp_path):
    """The editors moved a text digest to Markdown: same papers, sections and pairs."""
    text = (CORPUS / "301_ea6035752f016c07.txt").read_text(encoding="utf-8")
    mt = parse_document("mt/301.txt", text)
    lines = []
    for line in text.split("\n"):
        if line.startswith("    > "):
            lines += ["", "> " + line[6:]]
        elif line.startswith("  • "):
            lines.append(line[4:])
        elif line in ("पेपर परिचय", "पेपर सारांश", "पेपर लिंक", "और पढ़ें"):
            lines.append("### " + line)
        elif " / " in line:
            lines.append("## " + line)
        else:
            lines.append(line)
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "301.md").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "mt").mkdir()
    (tmp_path / "mt" / "301.txt").write_text(text, encoding="utf-8")
    found = reference_files([str(tmp_path / "ref")], [str(tmp_path / "mt" / "301.txt")])
    assert found[str(tmp_path / "mt" / "301.txt")] == str(tmp_path / "ref" / "301.md")
    ref = parse_document(str(tmp_path / "ref" / "301.md"), "\n".join(lines))
    refs = references_of(mt, ref)
    assert len(refs) == sum(s.is_pair for s in mt.segments) == 4
    assert all(refs[s.index].text == s.translation for s in mt.segments if s.is_pair)
