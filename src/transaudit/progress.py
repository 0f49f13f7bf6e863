"""The audit's progress line on stderr: pairs, pairs/s and time left; only on a terminal.

Time left is estimated from the share of the input read (bytes, or rows of a Parquet file),
which grows evenly where pairs per chunk do not. Nothing is written when stderr is not a
terminal or with ``--quiet``, so logs and CI output never see a carriage return.
"""

from __future__ import annotations

import sys
import time


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


class AuditProgress:
    WIDTH = 24
    EVERY_S = 0.25

    def __init__(self, total: int, enabled: bool, stream=None, clock=time.perf_counter):
        self.total = total  # size units (bytes or rows) of the input; 0 when unknown
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.clock = clock
        self.pairs = 0
        self.done = 0
        self.started = clock()
        self._drawn = 0.0

    def advance(self, pairs: int, units: int) -> None:
        self.pairs += pairs
        self.done += units
        now = self.clock()
        if self.enabled and now - self._drawn >= self.EVERY_S:
            self._drawn = now
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.pairs / elapsed
        text = f"auditing {self.pairs:,} pairs, {rate:,.0f} pairs/s"
        if self.total > 0:
            share = min(self.done / self.total, 1.0)
            filled = int(self.WIDTH * share)
            left = elapsed * (1 - share) / share if share > 0 else 0.0
            text = (f"auditing [{'#' * filled}{'-' * (self.WIDTH - filled)}] {share:4.0%} "
                    f"{self.pairs:,} pairs, {rate:,.0f} pairs/s, {_clock(left)} left")
        return text

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
