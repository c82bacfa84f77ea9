"""Cooperative cancellation: long work checks a token at step boundaries."""

from __future__ import annotations

import threading


class Cancelled(Exception):
    """Raised inside long work when its CancelToken was set; callers treat it as a clean stop."""


class CancelToken:
    """A thread-safe flag that a GUI or Ctrl-C handler sets and a worker polls.

    Never kills anything: the work notices at its next step and stops cleanly.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()
