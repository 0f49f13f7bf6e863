"""TA501 punctuation: Hindi punctuation mistakes in the translation."""

from __future__ import annotations

import re
from typing import Iterator

from transaudit.checks.base import Check, CheckContext, register
from transaudit.fixes.build import text_fix
from transaudit.language import english_slot, mask_protected, wordlist
from transaudit.lines_outside_pairs import hindi_lines_outside_pairs
from transaudit.locate import pair_spans, text_spans
from transaudit.model import Document, Finding, Segment, Severity

# A Devanagari letter or sign (not the danda, not a digit), then a Latin full stop that ends the
# sentence: blank, closing quote/bracket or end of text after it. "..." is an ellipsis, not this.
_LATIN_STOP = re.compile(r"([\u0900-\u0963\u0971-\u097F])\.(?!\.)(?=[\s\"'”’)\]]|$)")
# A one-akshara word with a full stop before or after another one: a person's initials.
_INITIAL_BEFORE = re.compile(r"(?:^|\s)[\u0900-\u097F]{1,2}\.\s+$")
_INITIAL_AFTER = re.compile(r"\s+[\u0900-\u097F]{1,2}\.(?=\s|$)")
_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_SPACE_BEFORE_DANDA = re.compile(r"(?<=\S)[ \u00a0]+।")
_DOUBLED_MARK = re.compile(r"\?{2,}|!{2,}|।{2,}|।\.|\.।|(?<!\.)\.\.(?!\.)")
# Every problem above needs one of these: most lines have none and skip the masking and scans.
_MAY_HAVE_PROBLEM = re.compile(r"\.|[ \u00a0][ \u00a0।]|\?\?|!!|।।")


def _context(text: str, start: int, end: int, before: int = 2, after: int = 0) -> str:
    """The match with up to ``before``/``after`` words around it, within its line (verbatim)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left = start
    for _ in range(before):
        space = text.rfind(" ", line_start, max(left - 1, line_start))
        left = line_start if space < 0 else space + 1
        if space < 0:
            break
    right = end
    for _ in range(after):
        space = text.find(" ", right + 1, line_end)
        right = line_end if space < 0 else space
        if space < 0:
            break
    return text[left:right]


def _single(mark: str) -> str:
    """What a doubled mark becomes: the danda when one is in it, else the mark once."""
    return "।" if "।" in mark else mark[0]


def _fix_message(message: str, suggestion: str) -> str:
    if message.startswith("Hindi sentence ends"):
        return "replace the Latin full stop with '।'"
    if message.startswith("doubled space"):
        return "replace the doubled space with one space"
    if message.startswith("space before"):
        return "remove the space before '।'"
    return f"write {suggestion!r} once"


@register
class Punctuation(Check):
    """Punctuation slips in the Hindi paragraph: Latin '.' ending a sentence, doubled spaces or marks.

    Looked for: a Latin full stop ending a Hindi sentence, doubled spaces, a space before the
    danda, doubled ``??``/``!!``/``।।``.

    Why it matters: Hindi sentences end with ``।``; a Latin ``.`` or stray doubles look careless
    to a reader of the Hindi edition.

    What counts: decimals (3.5), abbreviations (e.g., डॉ.),
    URLs, ellipses and a full stop after an English term are left alone.

    Bad:  हम एक नया तरीका प्रस्तुत करते हैं.  यह तेज़ है ।
    Good: हम एक नया तरीका प्रस्तुत करते हैं। यह तेज़ है।
    """

    code = "TA501"
    category = "punctuation"
    default_severity = Severity.WARNING

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        text = pair.translation
        if not text or pair.translation_line is None or not _MAY_HAVE_PROBLEM.search(text):
            return
        # URLs, code and formulas keep their own dots and spaces; "_" so no blank is invented.
        masked = mask_protected(text, "_")
        lines = ctx.document.lines
        for message, excerpt, suggestion, ranges, edits in self._located_problems(text, masked, pair.source):
            yield self.finding(
                ctx.document,
                pair.translation_line,
                message,
                end_line=pair.translation_end_line,
                excerpt=excerpt,
                suggestion=suggestion,
                pair=pair,
                # the stop, the blanks or the doubled mark themselves (blanks are the text here)
                spans=pair_spans(lines, pair, "translation", ranges, trim=False),
                fix=text_fix(lines, pair.translation_line, text, edits, _fix_message(message, suggestion)),
            )

    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        # Titles, overview lines and footers are read like paragraphs (the comment line
        # "अभी कोई टिप्पणी नहीं है." too): same problems, same severity.
        for line, text in hindi_lines_outside_pairs(doc):
            if not _MAY_HAVE_PROBLEM.search(text):
                continue
            for message, excerpt, suggestion, ranges, edits in self._located_problems(text, mask_protected(text, "_"), None):
                yield self.finding(doc, line, message, excerpt=excerpt, suggestion=suggestion,
                                   spans=text_spans(doc.lines, line, text, ranges, trim=False),
                                   fix=text_fix(doc.lines, line, text, edits, _fix_message(message, suggestion)))

    def _problems(self, text: str, masked: str, source: str | None):
        """(message, excerpt, suggestion) per problem, as before spans existed."""
        for message, excerpt, suggestion, _, _ in self._located_problems(text, masked, source):
            yield message, excerpt, suggestion

    def _located_problems(self, text: str, masked: str, source: str | None):
        """(message, excerpt, suggestion, offending ranges of ``text``, the fix's replacements
        ``(start, end, new text)``) per problem. A fix mends every instance of its problem in
        the text (the message and the spans name the first)."""
        stop = self._latin_stop(masked)
        if stop and not english_slot(text, source):  # an English slot is TA202's finding, not style
            stops = [(end - 1, end) for _, end in self._latin_stops(masked)]  # the '.', not the letter
            times = f" ({len(stops)} times)" if len(stops) > 1 else ""
            yield (f"Hindi sentence ends with a Latin full stop '.' instead of '।'{times}",
                   _context(text, *stop), "।", stops, [(a, b, "।") for a, b in stops])
        m = _DOUBLE_SPACE.search(masked)
        if m:
            yield ("doubled space inside the text", _context(text, m.start(), m.end(), 1, 1), " ", [m.span()],
                   [(*d.span(), " ") for d in _DOUBLE_SPACE.finditer(masked)])
        m = _SPACE_BEFORE_DANDA.search(masked)
        if m:
            yield ("space before the danda '।'", _context(text, m.start(), m.end(), 1), "।", [(m.start(), m.end() - 1)],
                   [(d.start(), d.end() - 1, "") for d in _SPACE_BEFORE_DANDA.finditer(masked)])
        m = _DOUBLED_MARK.search(masked)
        if m:
            mark = m.group()
            yield (f"doubled punctuation {mark!r}", _context(text, m.start(), m.end(), 1), _single(mark), [m.span()],
                   [(*d.span(), _single(d.group())) for d in _DOUBLED_MARK.finditer(masked)])

    def _latin_stops(self, masked: str):
        abbreviations = wordlist("hindi_abbreviations")
        for m in _LATIN_STOP.finditer(masked):
            # Abbreviations are short: look back a few characters only (linear on huge lines).
            window = max(0, m.start() - 24)
            word_start = max(masked.rfind(" ", window, m.start()), masked.rfind("\n", window, m.start()), window - 1) + 1
            word = masked[word_start:m.start() + 1]
            if word in abbreviations or "." in word:  # डॉ. / आई.आई.टी.
                continue
            if len(word) <= 2 and (_INITIAL_BEFORE.search(masked, max(0, word_start - 6), word_start)
                                   or _INITIAL_AFTER.match(masked, m.end())):
                continue  # initials: ए. के. शर्मा
            yield m.start(), m.end()

    def _latin_stop(self, masked: str) -> tuple[int, int] | None:
        return next(iter(self._latin_stops(masked)), None)
