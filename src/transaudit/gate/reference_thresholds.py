"""The gate on scores against references: ``--fail-under-chrf X`` and ``--fail-over-ter X``.

Reads the run's corpus scores (``summary.reference``) and says which thresholds they miss;
the CLI turns a miss into exit status 1. A run with thresholds but no pair with a reference
cannot be judged: that is a usage error (exit 2), not a pass.
"""

from __future__ import annotations

from transaudit.gate import GateError


def threshold_failures(reference_summary: dict | None, fail_under_chrf: float | None,
                       fail_over_ter: float | None) -> list[str]:
    """One line per threshold the run's corpus scores miss (empty: the gate passes)."""
    if fail_under_chrf is None and fail_over_ter is None:
        return []
    if not reference_summary or not reference_summary.get("pairs_with_reference"):
        flags = " and ".join(name for name, value in (("--fail-under-chrf", fail_under_chrf),
                                                      ("--fail-over-ter", fail_over_ter)) if value is not None)
        raise GateError(f"{flags}: no pair has a reference (give --reference PATH, or a 'reference' "
                        "column in parallel files)")
    out = []
    chrf, ter = reference_summary.get("chrf"), reference_summary.get("ter")
    if fail_under_chrf is not None and chrf < fail_under_chrf:
        out.append(f"corpus chrF {chrf:.2f} is under --fail-under-chrf {fail_under_chrf:g}")
    if fail_over_ter is not None and ter > fail_over_ter:
        out.append(f"corpus TER {ter:.2f} is over --fail-over-ter {fail_over_ter:g}")
    return out
