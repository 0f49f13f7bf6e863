"""Streaming audit (issue 9): --format jsonl, chunks, --jobs, the corpus duplicate index, Parquet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from transaudit.audit import run_checks
from transaudit.checks.base import select_checks
from transaudit.parsing import load_document, load_paths
from transaudit.stream_audit import StreamAudit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import write_pairs  # noqa: E402

CLI = [sys.executable, "-m", "transaudit.cli"]


def _run(*args, cwd=ROOT):
    proc = subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _key(f) -> tuple:
    d = f if isinstance(f, dict) else f.to_dict()
    return d["file"], d["line"], d["check"], d["message"], d["excerpt"], json.dumps(d["spans"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stream") / "pairs.jsonl"
    write_pairs(path, 700, seed=5, error_rate=0.05, repeat_rate=0.03)
    return path


def test_jsonl_lines_are_the_json_findings_then_one_summary_line(tmp_path):
    rc_json, out_json, _ = _run("check", "fixtures/digests", "fixtures/parallel", "--no-comet", "--format", "json",
                                "--no-report")
    rc, out, err = _run("check", "fixtures/digests", "fixtures/parallel", "--no-comet", "--format", "jsonl",
                        "--no-report", "--quiet")
    assert rc == rc_json == 1 and err == ""
    lines = _lines(out)
    assert [line["type"] for line in lines] == ["finding"] * (len(lines) - 1) + ["summary"]
    expected = json.loads(out_json)
    assert [{k: v for k, v in line.items() if k != "type"} for line in lines[:-1]] == expected["findings"]
    summary = lines[-1]
    assert summary["schema_version"] == 2 and summary["errors"] == []
    for key in ("files", "pairs", "findings", "by_severity", "by_category", "by_file", "input_errors"):
        assert summary["summary"][key] == expected["summary"][key]
    assert summary["summary"]["stream"]["duplicate_index_entries"] > 0


def test_jsonl_output_file_is_written_atomically_and_stdout_stays_empty(tmp_path):
    out = tmp_path / "out" / "findings.jsonl"
    rc, stdout, _ = _run("check", "fixtures/parallel", "--no-comet", "--format", "jsonl", "-o", out, "--no-report")
    assert rc == 1 and stdout == ""
    assert _lines(out.read_text(encoding="utf-8"))[-1]["summary"]["pairs"] == 6
    assert [p.name for p in out.parent.iterdir()] == ["findings.jsonl"]  # no temporary file left


def test_findings_do_not_depend_on_jobs_or_chunk_size(corpus):
    checks = select_checks(ignore=["low_quality"])
    runs = {}
    for jobs, chunk in ((1, 1 << 20), (1, 30_000), (2, 7_000)):
        runs[(jobs, chunk)] = [f.to_dict() for f in StreamAudit(checks, {}, jobs, chunk).findings([str(corpus)])]
    first = runs[(1, 30_000)]
    assert first and all(found == first for found in runs.values())
    ids = [f["id"] for f in first]
    assert len(ids) == len(set(ids))


def test_streamed_findings_equal_the_whole_file_audit(corpus):
    checks = select_checks(ignore=["low_quality"])
    whole = run_checks([load_document(str(corpus))], checks)
    streamed = list(StreamAudit(checks, {}, 2, 20_000).findings([str(corpus)]))
    # Orphan rows (no source) are judged within their chunk; every other finding is the same.
    def comparable(fs):
        return [_key(f) for f in fs if f.check != "TA101"]
    assert comparable(streamed) == comparable(whole)
    assert [f.id for f in streamed if f.check != "TA101"] == [f.id for f in whole if f.check != "TA101"]


def test_jobs_in_memory_give_the_same_findings_in_the_same_order(corpus, monkeypatch):
    from transaudit import stream_audit

    monkeypatch.setattr(stream_audit, "MIN_PAIRS_FOR_WORKERS", 10)
    monkeypatch.setattr(stream_audit, "PAIRS_PER_TASK", 150)
    documents, _ = load_paths([str(corpus), "fixtures/digests"])
    checks = select_checks(ignore=["low_quality"])
    one = run_checks(documents, checks, jobs=1)
    two = run_checks(documents, checks, jobs=2)
    assert [f.to_dict() for f in one] == [f.to_dict() for f in two]


def test_a_row_repeated_in_a_later_chunk_is_found(tmp_path):
    rows = [{"source": f"We train model number {i} on {i * 7} tokens of curated text for this study.",
             "translation": f"हम मॉडल संख्या {i} को इस अध्ययन के लिए curated text के {i * 7} tokens पर train करते हैं।"}
            for i in range(400)]
    rows.append(dict(rows[3]))  # exact repeat, far past the first chunk
    near = dict(rows[10])
    near["translation"] = near["translation"].replace("अध्ययन", "अध्य्यन")
    rows.append(near)
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    found = [f for f in StreamAudit(select_checks(select=["TA104"]), {}, 1, 4_000).findings([str(path)])]
    assert [(f.line, f.message) for f in found] == [
        (401, "row repeats the row at line 4 (exact repeat)"),
        (402, f"row repeats the row at line 11 ({found[1].message.split('(')[1]}"),
    ]
    assert "similar" in found[1].message


def test_duplicate_index_grows_by_a_bounded_amount_per_pair(tmp_path):
    from transaudit.dupindex import CorpusIndex, near_ratio, probes_of

    sizes = {}
    for n in (1000, 2000):
        path = tmp_path / f"p{n}.jsonl"
        write_pairs(path, n, seed=3)
        doc = load_document(str(path))
        index = CorpusIndex(near_ratio)
        file_no = index.file_number(str(path))
        probes = probes_of(doc)
        for start in range(0, len(probes), 500):
            list(index.visit(file_no, probes[start:start + 500], add_now=True))
            index.flush()
        sizes[n] = index.nbytes() / n
        index.close()
    assert sizes[2000] < 300 and sizes[2000] < 1.2 * sizes[1000]


def test_parquet_audits_as_its_jsonl_export(tmp_path, corpus):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()][:600]
    table = pa.table({"source": [r["source"] for r in rows], "translation": [r["translation"] for r in rows]})
    parquet = tmp_path / "pairs.parquet"
    pq.write_table(table, parquet, row_group_size=128)
    export = tmp_path / "pairs.jsonl"
    export.write_text("".join(json.dumps({"source": r["source"], "translation": r["translation"]},
                                         ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    checks = select_checks(ignore=["low_quality"])

    def strip(fs):
        return [(f.line, f.check, f.message, f.excerpt, f.spans) for f in fs]
    from_parquet = strip(StreamAudit(checks, {}, 1).findings([str(parquet)]))
    assert from_parquet and from_parquet == strip(StreamAudit(checks, {}, 1).findings([str(export)]))
    # the formats that hold every pair read it too, with the same findings
    assert strip(run_checks([load_document(str(parquet))], checks)) == strip(run_checks([load_document(str(export))], checks))


def test_a_file_that_is_not_parquet_is_one_line_and_exit_2(tmp_path):
    pytest.importorskip("pyarrow")
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"PAR1 this is not a parquet file")
    for fmt in ("jsonl", "json"):
        rc, out, err = _run("check", bad, "--no-comet", "--format", fmt, "--no-report")
        assert rc == 2 and "Traceback" not in err
        assert [line for line in err.splitlines() if "broken.parquet" in line] == [
            f"transaudit: {bad}: error: cannot read as Parquet: " + err.split("cannot read as Parquet: ")[1].splitlines()[0]]


def test_csv_rows_split_across_chunks_keep_their_lines(tmp_path):
    rows = ['"source","translation"']
    for i in range(60):
        rows.append(f'"We measure {i} tasks, ""carefully"",\non two lines.","हम {i} tasks मापते हैं, दो पंक्तियों में।"')
        if i % 7 == 0:
            rows.append("")
    path = tmp_path / "rows.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    whole = load_document(str(path))
    from transaudit.parsing.parallel_stream import parse_chunk, raw_chunks

    segments = [s for raw in raw_chunks(str(path), 300) for s in parse_chunk(raw).segments]
    assert [(s.translation_line, s.source_line, s.source_end_line, s.source, s.translation) for s in segments] == [
        (s.translation_line, s.source_line, s.source_end_line, s.source, s.translation) for s in whole.segments]


def test_a_bad_row_is_one_line_and_the_earlier_chunks_keep_their_findings(tmp_path):
    path = tmp_path / "late.jsonl"
    good = '{"source": "It improves accuracy by 12%.", "translation": "यह accuracy को 21% बढ़ाता है।"}\n'
    path.write_text(good * 300 + "{not json\n" + good, encoding="utf-8")
    run = StreamAudit(select_checks(select=["TA301"]), {}, 1, chunk_bytes=10_000)
    found = list(run.findings([str(path)]))
    assert [e.file for e in run.errors] == [str(path)] and len(run.errors) == 1
    message = run.errors[0].message
    assert message.startswith("invalid JSON on line 301: ") and message.endswith(" on were not audited")
    first_dropped = int(message.split("rows from line ")[1].split()[0])
    assert [f.line for f in found] == list(range(1, first_dropped))
    # through the CLI: one line naming the file, exit 2, no traceback
    rc, _, err = _run("check", path, "--no-comet", "--format", "jsonl", "-o", tmp_path / "o.jsonl", "--no-report")
    assert rc == 2 and "Traceback" not in err
    assert f"transaudit: {path}: error: invalid JSON on line 301: " in err


def test_missing_columns_are_refused_before_any_row(tmp_path):
    path = tmp_path / "cols.jsonl"
    path.write_text('{"en": "a", "hi": "b"}\n', encoding="utf-8")
    rc, out, err = _run("check", path, "--no-comet", "--format", "jsonl", "--no-report")
    assert rc == 2
    assert err.strip().splitlines()[0] == f"transaudit: {path}: error: missing column(s) source, translation (found: en, hi)"
    assert _lines(out)[-1]["summary"]["input_errors"] == 1


def test_no_pairs_leaves_the_list_empty_and_counts_them():
    rc, out, _ = _run("check", "fixtures/parallel", "--no-comet", "--format", "json", "--no-report", "--no-pairs")
    data = json.loads(out)
    assert rc == 1 and data["pairs"] == [] and data["summary"]["pairs"] == 6 and len(data["findings"]) == 2


def test_jobs_must_be_positive_and_jsonl_refuses_what_it_cannot_stream(tmp_path):
    rc, _, err = _run("check", "fixtures/parallel", "--no-comet", "--jobs", "0")
    assert rc == 2 and "--jobs must be at least 1, not 0" in err
    baseline = tmp_path / "b.json"
    rc, _, err = _run("check", "fixtures/parallel", "--no-comet", "--format", "jsonl", "--write-baseline", baseline)
    assert rc == 2 and "--format jsonl" in err and "--write-baseline" in err and not baseline.exists()


def test_progress_is_silent_off_a_terminal_and_shows_rate_and_time_left_on_one(corpus):
    rc, _, err = _run("check", corpus, "--no-comet", "--format", "jsonl", "--no-report", "-o", os.devnull)
    assert "\r" not in err and "\x1b" not in err
    import io

    from transaudit.progress import AuditProgress

    ticks = iter([0.0, 1.0, 2.0, 3.0])
    stream = io.StringIO()
    bar = AuditProgress(total=1000, enabled=True, stream=stream, clock=lambda: next(ticks))
    bar.advance(4000, 500)
    assert "50%" in stream.getvalue() and "4,000 pairs/s" in stream.getvalue() and "0:01 left" in stream.getvalue()
    bar.close()
    quiet = io.StringIO()
    AuditProgress(total=1000, enabled=False, stream=quiet).advance(10, 10)
    assert quiet.getvalue() == ""


def test_two_runs_with_different_hash_seeds_write_the_same_lines(corpus, tmp_path):
    outs = []
    for seed, jobs in (("1", "1"), ("2", "2")):
        out = tmp_path / f"o{seed}.jsonl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([*CLI, "check", str(corpus), "--no-comet", "--format", "jsonl", "-o", str(out),
                               "--no-report", "--jobs", jobs], capture_output=True, text=True, cwd=ROOT, env=env)
        assert proc.returncode == 1, proc.stderr
        outs.append(out.read_text(encoding="utf-8").splitlines())
    assert outs[0][:-1] == outs[1][:-1]
    assert any('"check": "TA104"' in line for line in outs[0])


def test_the_streamed_run_writes_a_report_of_its_findings(tmp_path):
    streamed, whole = tmp_path / "streamed.html", tmp_path / "whole.html"
    rc, _, err = _run("check", "fixtures/digests", "fixtures/parallel", "--no-comet", "--format", "jsonl",
                      "-o", tmp_path / "o.jsonl", "--report", streamed)
    assert rc == 1 and err.strip().splitlines()[-1] == f"report: {streamed}"
    _run("check", "fixtures/digests", "fixtures/parallel", "--no-comet", "--format", "json", "-o",
         tmp_path / "o.json", "--report", whole)
    page, full = streamed.read_text(encoding="utf-8"), whole.read_text(encoding="utf-8")
    # the same findings, each with its pair; pairs without findings are only counted
    assert page.count('class="item has-findings') == full.count('class="item has-findings') > 0
    assert page.count('data-finding-id=') == full.count('data-finding-id=')
    assert "59 findings in 106 pairs" in page and "pairs without findings are counted in the overview" in page


def test_po_files_stream_with_their_reading_options(tmp_path):
    pytest.importorskip("translate.storage.factory")
    po = ROOT / "tests" / "data" / "po" / "bleachbit-hi.po"
    for extra in ([], ["--include-fuzzy"]):
        rc_json, out_json, _ = _run("check", po, "--no-comet", "--format", "json", "--no-report", *extra)
        rc, out, err = _run("check", po, "--no-comet", "--format", "jsonl", "--no-report", "--quiet", *extra)
        assert rc == rc_json and err == ""
        expected = json.loads(out_json)
        assert [{k: v for k, v in line.items() if k != "type"} for line in _lines(out)[:-1]] == expected["findings"]
        assert _lines(out)[-1]["summary"]["pairs"] == expected["summary"]["pairs"]
