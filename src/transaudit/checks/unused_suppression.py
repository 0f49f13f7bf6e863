"""TA901: an in-document suppression comment that silences nothing."""

from __future__ import annotations

from transaudit.checks.base import Check, register
from transaudit.model import Severity


@register
class UnusedSuppression(Check):
    """A suppression comment in a Markdown digest silences no finding.

    Why it matters: a leftover ``ignore`` keeps hiding the next real mistake in that paragraph
    from reviewers, and a misspelt one silences nothing while looking as if it did. The finding says why: nothing
    to suppress, a check not enabled in this run, an unknown check, an ``enable`` with no open
    ``disable``.

    This check has no logic of its own: the suppression stage
    (``transaudit.gate.suppressions``) produces its findings after every other check has run,
    and only when TA901 is selected, so ``--select``/``--ignore`` apply to it as to any check.

    Bad:  <!-- transaudit: ignore untranslated_fragment -->   (above a paragraph without one)
    Good: <!-- transaudit: ignore untranslated_fragment -->   (above the paragraph that needs it)
          or no comment at all
    """

    code = "TA901"
    category = "unused_suppression"
    default_severity = Severity.INFO
