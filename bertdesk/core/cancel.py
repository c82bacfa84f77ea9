"""Cooperative cancellation: long work checks a token at step boundaries."""

from __future__ import annotations

import threading
from typing import Optional, Protocol


class Flag(Protocol):
    """What a token's flag must do: ``threading.Event``, or ``multiprocessing.Event`` for work
    in another process that the app cancels."""

    def set(self) -> None: ...

    def is_set(self) -> bool: ...


class Cancelled(Exception):
    """Raised inside long work when its CancelToken was set; callers treat it as a clean stop."""


class CancelToken:
    """A thread-safe flag that a GUI or Ctrl-C handler sets and a worker polls.

    Never kills anything: the work notices at its next step and stops cleanly. ``flag``: a
    flag shared with another process (by default one of this process's own).
    """

    def __init__(self, flag: Optional[Flag] = None) -> None:
        self._event: Flag = flag if flag is not None else threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()
