"""A one-line progress bar on stderr with pairs/s; only for a terminal and not --quiet."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, label: str, enabled: bool, stream=None):
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.done = 0
        self.started = time.perf_counter()
        self._last_draw = 0.0

    def advance(self, n: int) -> None:
        self.done += n
        now = time.perf_counter()
        if self.enabled and (now - self._last_draw >= 0.2 or self.done >= self.total):
            self._last_draw = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        width = 24
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "-" * (width - filled)
        left = f", {(self.total - self.done) / rate:.0f} s left" if rate > 0 else ""
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} pairs "
                          f"{rate:.1f} pairs/s{left} ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
