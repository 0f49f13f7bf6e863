"""``check --fix`` / ``--diff`` as an editor meets them: each safe fix before and after, a second
run with nothing fixable left, ``--diff`` writing nothing, files kept in their own bytes."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from transaudit.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]

CLEAN_TXT = """अवलोकन

इस सप्ताह के पेपरों में language models और tools पर शोध है।

Toolformer: भाषा मॉडल खुद tools इस्तेमाल करना सीखते हैं / Toolformer: Language Models Can Teach Themselves to Use Tools

पेपर परिचय

  • Toolformer प्रस्तुत करता है, एक language model जो simple API calls के जरिए tools का उपयोग करना सीखता है।
    > Introduces Toolformer, a language model that learns to use tools via simple API calls.

पेपर सारांश

  • हम दिखाते हैं कि यह model कई zero-shot tasks पर बेहतर प्रदर्शन करता है। क्या बड़े models हमेशा बेहतर होते हैं? नहीं।
    > We show that this model performs better on many zero-shot tasks. Are bigger models always better? No.

पेपर लिंक

https://arxiv.org/abs/2302.04761
"""

CLEAN_MD = """## अवलोकन

इस सप्ताह के पेपरों में language models और tools पर शोध है।

## Toolformer: भाषा मॉडल खुद tools इस्तेमाल करना सीखते हैं / Toolformer: Language Models Can Teach Themselves to Use Tools

### पेपर परिचय

Toolformer प्रस्तुत करता है, एक language model जो simple API calls के जरिए tools का उपयोग करना सीखता है।

> Introduces Toolformer, a language model that learns to use tools via simple API calls.

### पेपर सारांश

हम दिखाते हैं कि यह model कई zero-shot tasks पर बेहतर प्रदर्शन करता है। क्या बड़े models हमेशा बेहतर होते हैं? नहीं।

> We show that this model performs better on many zero-shot tasks. Are bigger models always better? No.

### पेपर लिंक

https://arxiv.org/abs/2302.04761
"""

INTRO = "Toolformer प्रस्तुत करता है, एक language model जो simple API calls के जरिए tools का उपयोग करना सीखता है।"
SUMMARY = "हम दिखाते हैं कि यह model कई zero-shot tasks पर बेहतर प्रदर्शन करता है।"
INTRO_EN = "Introduces Toolformer, a language model that learns to use tools via simple API calls."
OVERVIEW = "इस सप्ताह के पेपरों में language models और tools पर शोध है।"


def _check(*args):
    return runner.invoke(app, ["check", *map(str, args), "--no-comet", "--no-report"])


def _json_findings(path):
    result = runner.invoke(app, ["check", str(path), "--no-comet", "--no-report", "--format", "json"])
    return json.loads(result.stdout)["findings"]


# (name, clean text, broken text, check code): --fix must turn the broken text back into the clean
# one exactly, and touch nothing else.
CASES = [
    ("latin stop", CLEAN_TXT, CLEAN_TXT.replace("सीखता है।", "सीखता है."), "TA501"),
    ("latin stops, twice in a paragraph", CLEAN_TXT,
     CLEAN_TXT.replace("करता है। क्या", "करता है. क्या").replace("? नहीं।", "? नहीं."), "TA501"),
    ("doubled spaces", CLEAN_TXT, CLEAN_TXT.replace("simple API", "simple   API", 1).replace("tools का", "tools  का"),
     "TA501"),
    ("space before the danda", CLEAN_TXT, CLEAN_TXT.replace("सीखता है।", "सीखता है ।"), "TA501"),
    ("doubled question mark", CLEAN_TXT, CLEAN_TXT.replace("होते हैं?", "होते हैं??"), "TA501"),
    ("doubled mark in an overview line", CLEAN_TXT, CLEAN_TXT.replace("शोध है।", "शोध है।।"), "TA501"),
    ("quote marker, text layout", CLEAN_TXT, CLEAN_TXT.replace(f"    > {INTRO_EN}", f"    {INTRO_EN}"), "TA103"),
    ("quote marker, text layout, unindented", CLEAN_TXT, CLEAN_TXT.replace(f"    > {INTRO_EN}", INTRO_EN), "TA103"),
    ("quote marker, markdown", CLEAN_MD, CLEAN_MD.replace(f"> {INTRO_EN}", INTRO_EN), "TA103"),
    ("repeated overview line, markdown", CLEAN_MD,
     CLEAN_MD.replace(f"{OVERVIEW}\n", f"{OVERVIEW}\n\n{OVERVIEW}\n", 1), "TA104"),
    ("repeated paragraph with no original of its own", CLEAN_TXT,
     CLEAN_TXT.replace(f"    > {INTRO_EN}\n", f"    > {INTRO_EN}\n  • {INTRO}\n"), "TA104"),
    ("repeated pair, markdown", CLEAN_MD,
     CLEAN_MD.replace(f"> {INTRO_EN}\n", f"> {INTRO_EN}\n\n{INTRO}\n\n> {INTRO_EN}\n"), "TA104"),
    # the doubled quote is also half untranslated (TA303): one fix settles both
    ("repeated quote line inside a quote", CLEAN_TXT,
     CLEAN_TXT.replace(f"    > {INTRO_EN}\n", f"    > {INTRO_EN}\n    > {INTRO_EN}\n"), "TA303 TA104"),
]


@pytest.mark.parametrize("name,clean,broken,code", CASES, ids=[c[0] for c in CASES])
def test_each_safe_fix_before_after_and_second_run(tmp_path, name, clean, broken, code):
    suffix = ".md" if clean is CLEAN_MD else ".txt"
    path = tmp_path / f"digest{suffix}"
    path.write_text(broken, encoding="utf-8")
    before = _json_findings(path)
    assert [f["check"] for f in before] == code.split(), before
    assert [f["fix"]["applicability"] for f in before if f["fix"]] == ["safe"]

    result = _check(path, "--fix")
    assert path.read_text(encoding="utf-8") == clean
    assert result.exit_code == 0, result.output  # what is left after fixing: nothing
    assert "fixed 1 finding(s) in 1 file(s)" in result.stderr

    second = _check(path, "--diff")
    assert second.exit_code == 0 and second.stdout == ""
    assert _json_findings(path) == []


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path):
    path = tmp_path / "digest.txt"
    broken = CLEAN_TXT.replace("सीखता है।", "सीखता है.")
    path.write_bytes(broken.encode("utf-8"))
    os.utime(path, (1_000_000_000, 1_000_000_000))
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["check", str(path), "--no-comet", "--diff", "--report", str(report)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {path}\n+++ {path}\n@@ ")
    assert "-  • Toolformer" in result.stdout and "सीखता है।\n" in result.stdout
    assert path.read_bytes() == broken.encode("utf-8") and path.stat().st_mtime == 1_000_000_000
    assert not report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digest.txt"]


def test_fix_keeps_mode_bom_crlf_and_writes_through_a_symlink(tmp_path):
    broken = CLEAN_TXT.replace("सीखता है।", "सीखता है.").replace("\n", "\r\n")
    target = tmp_path / "real.txt"
    target.write_bytes(codecs.BOM_UTF8 + broken.encode("utf-8"))
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert _check(link, "--fix").exit_code == 0
    assert link.is_symlink()
    fixed = CLEAN_TXT.replace("\n", "\r\n")
    assert target.read_bytes() == codecs.BOM_UTF8 + fixed.encode("utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_fix_keeps_utf16(tmp_path):
    path = tmp_path / "digest.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + CLEAN_TXT.replace("होते हैं?", "होते हैं??").encode("utf-16-le"))
    assert _check(path, "--fix").exit_code == 0
    assert path.read_bytes() == codecs.BOM_UTF16_LE + CLEAN_TXT.encode("utf-16-le")


def test_a_file_with_an_input_error_is_untouched(tmp_path):
    bad = tmp_path / "bad.txt"
    data = CLEAN_TXT.replace("सीखता है।", "सीखता है.").encode("utf-8") + b"\xff\xfe broken"
    bad.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text(CLEAN_TXT.replace("सीखता है।", "सीखता है."), encoding="utf-8")
    result = _check(tmp_path, "--fix")
    assert result.exit_code == 2
    assert bad.read_bytes() == data
    assert good.read_text(encoding="utf-8") == CLEAN_TXT  # the other files are still fixed
    assert sum("bad.txt" in line for line in result.stderr.splitlines()) == 1


def test_overlapping_fixes_wait_for_the_next_run(tmp_path):
    # the repeated line also has a doubled danda: deleting it and mending its danda overlap
    path = tmp_path / "digest.md"
    doubled = OVERVIEW.replace("है।", "है।।")
    path.write_text(CLEAN_MD.replace(f"{OVERVIEW}\n", f"{doubled}\n\n{doubled}\n", 1), encoding="utf-8")
    assert sorted(f["check"] for f in _json_findings(path)) == ["TA104", "TA501", "TA501"]
    first = _check(path, "--fix")
    assert "fixed 2 finding(s) in 1 file(s); 1 fix(es) overlap another and wait for the next run" in first.stderr
    assert path.read_text(encoding="utf-8") == CLEAN_MD  # the waiting fix had nothing left to mend
    assert _check(path, "--diff").stdout == ""


def test_unsafe_fixes_need_the_flag(tmp_path):
    path = tmp_path / "digest.txt"
    broken = CLEAN_TXT.replace("Toolformer प्रस्तुत", "Toolfromer प्रस्तुत")
    path.write_text(broken, encoding="utf-8")
    findings = _json_findings(path)
    assert [(f["check"], f["fix"]["applicability"]) for f in findings] == [("TA302", "unsafe")]
    assert _check(path, "--fix").exit_code == 1
    assert path.read_text(encoding="utf-8") == broken
    assert _check(path, "--fix", "--unsafe-fixes").exit_code == 0
    assert path.read_text(encoding="utf-8") == CLEAN_TXT


def test_unsafe_number_fix(tmp_path):
    clean = CLEAN_TXT.replace("कई zero-shot tasks", "12 zero-shot tasks").replace("many zero-shot", "12 zero-shot")
    path = tmp_path / "digest.txt"
    path.write_text(clean.replace("12 zero-shot tasks पर", "21 zero-shot tasks पर"), encoding="utf-8")
    findings = _json_findings(path)
    assert [(f["check"], f["fix"]["applicability"]) for f in findings] == [("TA301", "unsafe")]
    assert _check(path, "--diff", "--unsafe-fixes").exit_code == 1
    assert _check(path, "--fix", "--unsafe-fixes").exit_code == 0
    assert path.read_text(encoding="utf-8") == clean


def test_flag_combinations_are_usage_errors(tmp_path):
    path = tmp_path / "digest.txt"
    path.write_text(CLEAN_TXT, encoding="utf-8")
    assert _check(path, "--fix", "--diff").exit_code == 2
    assert _check(path, "--unsafe-fixes").exit_code == 2


def _fixable_lines(findings):
    """Lines a finding with a fix covers, and the blank line a removal may take with it."""
    covered = set()
    for f in findings:
        if f["fix"] and f["fix"]["applicability"] == "safe":
            last = max(e["end_line"] for e in f["fix"]["edits"])
            covered.update(range(f["line"], max(f["end_line"], last) + 1))
    return covered


def test_fixtures_fix_removes_every_mechanical_finding_and_nothing_else(tmp_path):
    work = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures" / "digests", work / "digests")
    shutil.copytree(ROOT / "fixtures" / "parallel", work / "parallel")
    before = _json_findings(work)
    mechanical = [f for f in before if f["category"] in ("punctuation", "unquoted_source")
                  or (f["category"] == "duplicate_paragraph" and "exact repeat" in f["message"]
                      and "another digest" not in f["message"])]
    assert len(mechanical) >= 12 and all(f["fix"] for f in mechanical)
    covered: dict[str, set] = {}
    for f in before:
        covered.setdefault(f["file"], set()).update(_fixable_lines([f]))
    originals = {p: p.read_text(encoding="utf-8").split("\n") for p in work.rglob("*.*")}

    assert _check(work, "--fix").exit_code in (0, 1)

    after = _json_findings(work)
    left = {(f["file"], f["check"], f["message"]) for f in after}
    for f in mechanical:
        assert not any(file == f["file"] and check == f["check"] and msg == f["message"]
                       for file, check, msg in left), f
    # every finding without a fix is still there
    kept = [f for f in before if not f["fix"] or f["fix"]["applicability"] != "safe"]
    assert len(after) == len(kept)
    # lines changed or removed are only those of fixable findings (plus a blank line a removal took)
    import difflib

    for p, old in originals.items():
        new = p.read_text(encoding="utf-8").split("\n")
        lines = covered.get(os.path.relpath(p, Path.cwd()), set()) | covered.get(str(p), set())
        for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            # removing one of two equal runs may show as removing the other: either counts
            shifts = [s for s in range(-i1, len(old) - i2 + 1) if old[i1 + s:i2 + s] == old[i1:i2]] \
                if tag == "delete" else [0]
            assert any(all(n + s in lines or not old[n - 1].strip() for n in range(i1 + 1, i2 + 1))
                       for s in shifts), (p.name, i1 + 1, old[i1][:60])


def test_json_sarif_and_html_carry_the_fix(tmp_path):
    import jsonschema

    path = tmp_path / "digest.txt"
    path.write_text(CLEAN_TXT.replace("सीखता है।", "सीखता है.").replace(f"    > {INTRO_EN}", f"    {INTRO_EN}"),
                    encoding="utf-8")
    findings = _json_findings(path)
    stop = next(f for f in findings if f["check"] == "TA501")
    line = CLEAN_TXT.split("\n").index(f"  • {INTRO}") + 1
    column = len(f"  • {INTRO}")  # the '.' is the line's last character
    assert stop["fix"] == {"applicability": "safe", "message": "replace the Latin full stop with '।'",
                           "edits": [{"line": line, "column": column, "end_line": line, "end_column": column + 1,
                                      "new_text": "।"}]}

    result = runner.invoke(app, ["check", str(path), "--no-comet", "--no-report", "--format", "sarif"])
    log = json.loads(result.stdout)
    schema = json.loads((ROOT / "tests" / "schemas" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    by_rule = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    fix = by_rule["TA501"]["fixes"][0]
    assert fix["description"]["text"] == "replace the Latin full stop with '।'"
    assert fix["properties"] == {"applicability": "safe"}
    assert fix["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"startLine": line, "startColumn": column, "endLine": line, "endColumn": column + 1},
         "insertedContent": {"text": "।"}}]
    assert by_rule["TA103"]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] == {"text": "    > "}

    report = tmp_path / "r.html"
    runner.invoke(app, ["check", str(path), "--no-comet", "--report", str(report)])
    page = report.read_text(encoding="utf-8")
    assert page.count('class="fix-preview"') == 2
    # a long line is cut to the change, at blanks
    assert "<del>…calls के जरिए tools का उपयोग करना सीखता है.</del>" in page
    assert "<ins>…calls के जरिए tools का उपयोग करना सीखता है।</ins>" in page
    assert "<ins>    &gt; Introduces Toolformer, a language model that…</ins>" in page


def test_report_escapes_markup_in_a_fix_preview(tmp_path):
    path = tmp_path / "digest.md"
    hostile = "<script>alert(1)</script>"
    text = CLEAN_MD.replace(f"{OVERVIEW}\n", f"{OVERVIEW} {hostile}\n\n{OVERVIEW} {hostile}\n", 1)
    path.write_text(text, encoding="utf-8")
    report = tmp_path / "r.html"
    runner.invoke(app, ["check", str(path), "--no-comet", "--report", str(report)])
    page = report.read_text(encoding="utf-8")
    assert 'class="fix-preview"' in page and hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_writing_an_output_to_dev_null_leaves_it_a_device():
    # a rename over /dev/null (the atomic write) would make it a regular file machine-wide
    from transaudit.fileio import AtomicWriter, write_atomic

    write_atomic(os.devnull, "x")
    with AtomicWriter(os.devnull) as writer:
        writer.write("y")
        writer.commit()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch(1)")
@pytest.mark.parametrize("seed", range(20))
def test_the_diff_applies_with_patch_and_gives_the_fixed_text(tmp_path, seed):
    import random
    import subprocess

    from transaudit.fixes.apply import plan_file
    from transaudit.fixes.preview import unified_diff
    from transaudit.model import Edit, Finding, Fix, Severity, Span

    rng = random.Random(seed)
    lines = [rng.choice(["", "क ख ग।", "same line", "same line", f"line {n}"]) for n in range(rng.randint(5, 60))]
    text = "\n".join(lines) + ("\n" if rng.random() < 0.7 else "")
    findings = []
    for _ in range(rng.randint(1, 12)):
        n = rng.randint(1, len(lines))
        width = len(lines[n - 1])
        if rng.random() < 0.3:  # remove whole lines
            end = min(n + rng.randint(0, 2), len(lines))
            span = Span(n, 1, end + 1, 1)
        else:
            a = rng.randint(1, width + 1)
            span = Span(n, a, n, rng.randint(a, width + 1))
        fix = Fix("safe", "x", (Edit(span, rng.choice(["", "।", "new\ntext", " "])),))
        findings.append(Finding("TA501", "punctuation", Severity.WARNING, "f.txt", n, span.end_line, "m", fix=fix))
    plan = plan_file("f.txt", text, findings)
    diff = unified_diff("f.txt", plan.old_text, plan.new_text, plan.ranges)
    target = tmp_path / "f.txt"
    target.write_text(text, encoding="utf-8", newline="")
    if plan.changed:
        (tmp_path / "fix.diff").write_text(diff, encoding="utf-8", newline="")
        subprocess.run(["patch", "-s", "-p0", "-i", "fix.diff"], cwd=tmp_path, check=True)
    else:
        assert diff == ""
    assert target.read_bytes().decode("utf-8") == plan.new_text
