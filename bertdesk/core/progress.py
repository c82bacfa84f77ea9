"""Progress callbacks carrying plain values, and mapping of sub-steps onto a range."""

from __future__ import annotations

from typing import Callable

ProgressCallback = Callable[[float, str], None]
"""Called with a fraction done in [0, 1] and a short message for people."""


def ignore_progress(fraction: float, message: str) -> None:
    """The callback used when nobody listens."""


def subrange(progress: ProgressCallback, start: float, end: float) -> ProgressCallback:
    """Map a sub-step's own 0..1 onto [start, end] of the caller's range (as Orange3 does)."""

    def report(fraction: float, message: str) -> None:
        progress(start + (end - start) * min(max(fraction, 0.0), 1.0), message)

    return report
