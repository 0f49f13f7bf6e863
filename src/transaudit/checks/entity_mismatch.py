"""TA302 entity_mismatch: a model, dataset or system name, URL or arXiv id altered or dropped."""

from __future__ import annotations

from typing import Iterator

from transaudit.checks._content import entity_misses, normalized_pair
from transaudit.checks.base import Check, CheckContext, register
from transaudit.checks.omission import omission_verdict
from transaudit.fixes.build import UNSAFE, normalized_text_fix, text_fix
from transaudit.locate import normalized_spans, text_spans, token_ranges, tokens_ranges
from transaudit.parsing.translation_files import TRANSLATION_LAYOUTS
from transaudit.placeholders import compare_placeholders, placeholders
from transaudit.model import Document, Finding, Segment, Severity
from transaudit.renderings import cached_renderings, name_differences


@register
class EntityMismatch(Check):
    """A name from the English original is altered or missing in the Hindi.

    Why it matters: names are how readers find the paper, model or dataset; in tech Hindi
    they stay in Latin script, so "SparseGPT" written "SparceGPT", "GPT-4" turned into "GPT-3",
    or an arXiv id with a changed digit sends the reader elsewhere.

    What counts: names are Latin tokens
    with digits (GPT-3, OPT-175B), capitals inside (SparseGPT, LLaMA) or in a row (BERT,
    VALL-E), capitalised words inside a sentence (Minecraft, Chinchilla), plus URLs, arXiv
    ids and @handles. Sentence-initial words, titles, languages, months and common acronyms
    (AI, LLM, GPU) are not names; "LLMs" and "LLM" match. When the Hindi drops half
    the paragraph, dropped names are reported once, as an omission. Where the English original
    was replaced by a second Hindi rendering (see duplicate_paragraph), the names of the two
    renderings are compared with each other.

    Bad:  यह SparceGPT नामक एक नई pruning method के जरिए हासिल किया जाता है।
          > This is achieved via a new pruning method called SparseGPT.
    Good: यह SparseGPT नामक एक नई pruning method के जरिए हासिल किया जाता है।
    """

    code = "TA302"
    category = "entity_mismatch"
    default_severity = Severity.ERROR

    def check_pair(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        if not pair.is_pair:
            return
        misses = entity_misses(pair, ctx)
        if ctx.document.layout in TRANSLATION_LAYOUTS:
            yield from self._placeholders(pair, ctx)
            # a name inside a placeholder ({fileName}) is the placeholder's finding; and UI strings
            # capitalise labels ("_Help", "Shred Paths from Clipboard"): there a plain capitalised
            # word is no name, only the shapes that are (BleachBit, UTF-8, KDE, URLs)
            inside = [p.text for p in placeholders(pair.source)]
            misses = [(ent, alt) for ent, alt in misses
                      if not any(ent.text in p for p in inside) and not (alt is None and _plain_word(ent))]
        if not misses:
            return
        if omission_verdict(pair, ctx):
            misses = [(ent, altered) for ent, altered in misses if altered]
            if not misses:
                return  # the omission finding covers what was dropped
        parts, suggestion = [], None
        for ent, altered in misses:
            if altered:
                parts.append(f"{ent.text} in the source is {altered} in the translation")
            else:
                parts.append(f"{ent.text} from the source is missing in the translation")
        altered_forms = [a for _, a in misses if a]
        fix = None
        if len(misses) == 1 and altered_forms:
            suggestion = f"write {misses[0][0].text} as in the source"
            fix = _restore_fix(ctx.document.lines, pair, normalized_pair(pair, ctx)[1], misses[0][0].text,
                               altered_forms[0])
        excerpt = altered_forms[0] if altered_forms else misses[0][0].text
        yield self.finding(
            ctx.document, pair.translation_line or pair.line, "; ".join(parts),
            end_line=pair.translation_end_line, excerpt=excerpt, suggestion=suggestion, pair=pair,
            spans=altered_spans(ctx.document.lines, pair, normalized_pair(pair, ctx)[1], altered_forms),
            fix=fix,
        )

    def check_document(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        # Two Hindi renderings of one lost original: each is the other's only witness.
        for r in cached_renderings(doc, ctx.cache):
            differences = name_differences(r)
            if not differences:
                continue
            parts = []
            for first, second in differences:
                if first and second:
                    parts.append(f"{first} (line {r.first_line}) is {second} in the second")
                elif first:
                    parts.append(f"{first} (line {r.first_line}) is missing from the second")
                else:
                    parts.append(f"the second adds {second}")
            forms = [second for _, second in differences if second]
            yield self.finding(
                doc, r.line,
                f"names differ between the two Hindi renderings (lines {r.first_line} and {r.line}): " + "; ".join(parts),
                end_line=r.end_line, excerpt=forms[0] if forms else differences[0][0] or "", pair=r.segment,
                spans=text_spans(doc.lines, r.line, r.text, tokens_ranges(r.text, forms)),
            )

    def _placeholders(self, pair: Segment, ctx: CheckContext) -> Iterator[Finding]:
        """A localization string's placeholders (%s, {name}, <b>, &amp;) missing or altered."""
        diff = compare_placeholders(pair.source, pair.translation)
        if not diff:
            return
        lines, fix, suggestion = ctx.document.lines, None, None
        if diff.altered:
            wanted, changed = diff.altered
            message = f"placeholder {wanted} in the source is {changed.text} in the translation"
            suggestion = f"write {wanted} as in the source"
            fix = text_fix(lines, pair.translation_line, pair.translation, [(changed.start, changed.end, wanted)],
                           f"write the placeholder {wanted} as in the source", UNSAFE)
        else:
            parts = [f"placeholder {m} from the source is missing in the translation" for m in diff.missing]
            parts += [f"translation adds placeholder {e.text}, not in the source" for e in diff.extra]
            message = "; ".join(parts)
        excerpt = diff.extra[0].text if diff.extra else diff.missing[0]
        yield self.finding(
            ctx.document, pair.translation_line or pair.line, message,
            end_line=pair.translation_end_line, excerpt=excerpt, suggestion=suggestion, pair=pair,
            spans=text_spans(lines, pair.translation_line, pair.translation, [(e.start, e.end) for e in diff.extra]),
            fix=fix,
        )


def _plain_word(ent) -> bool:
    """A capitalised dictionary-shaped word (Help, Windows), as opposed to a name's shape."""
    return ent.kind == "name" and ent.text.isalpha() and ent.text[1:].islower()


def _restore_fix(lines, pair: Segment, translation: str, name: str, altered: str):
    """Write the source's name in place of the altered one, when the Hindi has it exactly once
    (unsafe: the English may be the side that is wrong, or the change deliberate)."""
    found = token_ranges(translation, altered)
    if len(found) != 1:
        return None
    (a, b), = found
    return normalized_text_fix(lines, pair.translation_line, pair.translation, [(a, b, name)],
                               f"write {name} as in the English original", UNSAFE)


def altered_spans(lines, pair: Segment, translation: str, altered: list[str]):
    """Every occurrence of the altered names in the Hindi (``translation`` normalised); a name
    dropped altogether has no text there to point at."""
    ranges = tokens_ranges(translation, altered)
    return normalized_spans(lines, pair, "translation", ranges)
