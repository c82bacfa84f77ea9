"""A run's engine events on their way to the GUI thread, and durations as people read them.

Shared by the training panel and the pretraining dialog: both run the generic training loop
on a worker, whose callback must not touch Qt.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication

from bertdesk.ml.loop import EvalEvent, StepEvent
from bertdesk.ml.training import TrainingCallback


class EventBuffer(TrainingCallback):
    """Collects the engine's events as plain dicts; the GUI drains them on its own thread.

    The dicts have the shape of the history the engine stores with the run, so the curves
    draw a live run and a finished one from the same data.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: list[dict[str, Any]] = []
        self._messages: list[str] = []

    def on_message(self, text: str) -> None:
        """Runs on the worker thread; keeps the engine's Sentence as it is, for translation."""
        with self._lock:
            self._messages.append(text)

    def on_step(self, event: StepEvent) -> None:
        """Runs on the worker thread."""
        with self._lock:
            self._events.append({**dataclasses.asdict(event), **event.history_entry()})

    def on_evaluate(self, event: EvalEvent) -> None:
        """Runs on the worker thread."""
        with self._lock:
            self._events.append(event.history_entry())

    def drain(self) -> tuple[list[dict[str, Any]], list[str]]:
        with self._lock:
            events, self._events = self._events, []
            messages, self._messages = self._messages, []
        return events, messages


def format_duration(seconds: float) -> str:
    """1 h 05 min, 3 min 20 s, 12 s."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        text = QCoreApplication.translate("TrainPanel", "{hours} h {minutes:02d} min")
    elif minutes:
        text = QCoreApplication.translate("TrainPanel", "{minutes} min {seconds:02d} s")
    else:
        text = QCoreApplication.translate("TrainPanel", "{seconds} s")
    return text.format(hours=hours, minutes=minutes, seconds=secs)
