"""The one wall clock: every "now" in chalicelib comes from here, so a test
moves time by patching this module (monotonic/perf_counter timing stays local)."""

from __future__ import annotations

import time


def now() -> int:
    """Epoch seconds."""
    return int(time.time())


def now_ns() -> int:
    """Epoch nanoseconds (ordering within a second: audit sort keys, creation order)."""
    return time.time_ns()
