"""``check --skip-non-digests`` (the pre-commit hook): files with no digest structure are skipped
with a note, digests are audited, broken files are still reported."""

from __future__ import annotations

import random

from typer.testing import CliRunner

from transaudit.cli import app
from transaudit.gate.digest_filter import holds_digest
from gate_digests import NEW_MD, NEW_MD_FIXED, OLD_TXT

runner = CliRunner()
ENGLISH = ["the", "release", "notes", "install", "with", "pip", "model", "digest", "weekly", "papers",
           "contributors", "changelog", "fixed", "added", "license", "Apache", "see", "docs"]


def _english_markdown(rng: random.Random) -> str:
    """README/CHANGELOG-like text: headings, lists, quotes, code, links; no Hindi."""
    parts = []
    for _ in range(rng.randint(1, 8)):
        words = " ".join(rng.choice(ENGLISH) for _ in range(rng.randint(3, 14)))
        parts.append(rng.choice([f"# {words}", f"## {words}", f"- {words}", f"> {words}", f"  > {words}",
                                 f"* {words}", f"```sh\npip install {words.split()[0]}\n```",
                                 f"[{words}](https://example.org/{rng.randrange(99)})", words]))
    return "\n\n".join(parts) + "\n"


def test_english_files_never_hold_a_digest():
    rng = random.Random(7)
    for _ in range(300):
        assert not holds_digest(_english_markdown(rng))


def test_digests_always_do():
    rng = random.Random(8)
    for text in (NEW_MD, NEW_MD_FIXED, OLD_TXT):
        assert holds_digest(text)
    # a text-layout digest whose Hindi slots were all left in English still has its pair markers
    english_pairs = "\n\n".join(f"  • {w}\n    > {w}" for w in
                                (" ".join(rng.choice(ENGLISH) for _ in range(8)) for _ in range(3)))
    assert holds_digest("Overview\n\n" + english_pairs + "\n")
    assert holds_digest(_english_markdown(rng) + "\nएक हिंदी वाक्य।\n")


def _check(*args):
    result = runner.invoke(app, ["check", "--no-comet", "--no-report", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_only_non_digests_pass_with_a_note(tmp_path):
    (tmp_path / "README.md").write_text(_english_markdown(random.Random(1)), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    code, out, err = _check(tmp_path / "README.md", tmp_path / "empty.txt", "--skip-non-digests")
    assert (code, out) == (0, "")
    assert "README.md: skipped, not a digest (no Hindi text" in err
    assert "empty.txt: skipped, not a digest (empty file)" in err
    code, out, err = _check(tmp_path / "README.md", "--skip-non-digests", "--quiet")
    assert (code, out, err) == (0, "", "")
    # without the flag a named file is always read: the README is audited (and fails)
    assert _check(tmp_path / "README.md")[0] == 1


def test_a_bad_digest_next_to_skipped_files_still_fails(tmp_path):
    (tmp_path / "README.md").write_text("# Notes\n\nPlain English.\n", encoding="utf-8")
    (tmp_path / "new.md").write_text(NEW_MD, encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe\x00garbage\x00")
    code, out, err = _check(tmp_path / "README.md", tmp_path / "new.md", "--skip-non-digests")
    assert code == 1 and "new.md:9: TA204" in out and "README.md:" not in out
    code, _, err = _check(tmp_path / "broken.txt", "--skip-non-digests")
    assert code == 2 and "broken.txt: error:" in err  # an unreadable digest is never waved through
