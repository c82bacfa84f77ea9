"""A background job polled by the GUI: a core call on a plain thread, read ten times a second.

The worker thread never touches Qt. It stores its latest progress, its result or its error in
a few fields under a lock; a QTimer on the GUI thread picks them up every 100 ms, which is
exactly the redraw throttle the app wants, and cannot flood the event queue however fast the
worker reports.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, Optional, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication

from bertdesk.core import CancelToken, Cancelled, ProgressCallback, log_failure

log = logging.getLogger(__name__)
T = TypeVar("T")
POLL_MS = 100
BACKGROUND_NICE = 5  # how much lower the worker's CPU priority is than the GUI thread's
JobFunction = Callable[[ProgressCallback, CancelToken], T]


def lower_thread_priority() -> None:
    """Let the GUI thread win the CPU over this worker (and the torch threads it starts).

    On a busy machine the window otherwise waits for CPU time behind training. Linux nices
    single threads; elsewhere this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + BACKGROUND_NICE)
    except OSError:
        log.debug("could not lower the priority of thread %s", thread)


class BackgroundJob(QObject, Generic[T]):
    """Run ``function(progress, cancel)`` on a thread; signals arrive on the GUI thread.

    ``progressed`` fires at most every 100 ms with the latest (fraction, message); ``ticked``
    fires on every poll while running (callers drain their own event buffers there); exactly
    one of ``succeeded`` (result), ``cancelled`` or ``failed`` (exception) fires at the end,
    after the thread has been joined.
    """

    progressed = Signal(float, str)
    ticked = Signal()
    succeeded = Signal(object)
    cancelled = Signal()
    failed = Signal(object)

    def __init__(self, name: str, function: JobFunction[T], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.cancel_token = CancelToken()
        self._function = function
        self._lock = threading.Lock()
        self._progress: Optional[tuple[float, str]] = None
        self._outcome: Optional[tuple[str, Any]] = None
        self._thread = threading.Thread(target=self._run, name=f"bertdesk-{name}", daemon=False)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self) -> None:
        self._thread.start()
        self._timer.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next step; it ends through ``cancelled`` or its result."""
        self.cancel_token.cancel()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the thread ends (used when closing), then deliver its outcome."""
        self._thread.join(timeout)
        if self._thread.is_alive():
            return False
        self._poll()
        return True

    def _report(self, fraction: float, message: str) -> None:
        """Runs on the worker thread."""
        with self._lock:
            self._progress = (float(fraction), str(message))

    def _run(self) -> None:
        """Runs on the worker thread."""
        lower_thread_priority()
        try:
            outcome: tuple[str, Any] = ("ok", self._function(self._report, self.cancel_token))
        except Cancelled:
            outcome = ("cancelled", None)
        except Exception as error:  # the GUI shows it; a bug's traceback goes to the log
            log_failure(log, f"background job {self.name}", error)
            outcome = ("error", error)
        with self._lock:
            self._outcome = outcome

    def _poll(self) -> None:
        with self._lock:
            progress, self._progress = self._progress, None
            outcome = self._outcome
        if progress is not None:
            self.progressed.emit(*progress)
        self.ticked.emit()
        if outcome is None or not self._timer.isActive():
            return
        self._timer.stop()
        self._thread.join()
        kind, value = outcome
        if kind == "ok":
            self.succeeded.emit(value)
        elif kind == "cancelled":
            self.cancelled.emit()
        else:
            self.failed.emit(value)


@contextmanager
def garbage_collected_on_gui_thread() -> Iterator[None]:
    """Within it, Python's cycle collector runs on the GUI thread only, from a timer.

    Left automatic, the collector runs on whichever thread happens to allocate. A worker loading
    a model allocates a lot, so it collected garbage that held a closed dialog's widgets, Qt
    deleted them off the GUI thread, and the app crashed (two batch-prediction test files: 6
    runs in 19 before this, none in 44 after). pyqtgraph's GarbageCollector turns automatic
    collection off and collects each generation on a timer, at Python's own thresholds.
    """
    from pyqtgraph.util.garbage_collector import GarbageCollector

    collector = GarbageCollector()
    try:
        yield
    finally:
        collector.timer.stop()
        # Gone while automatic collection is still off. PySide disconnects a dying object's slots
        # from a weakref callback, and an automatic collection inside that disconnect which
        # deletes a QObject waits forever on the lock the disconnect holds: the GUI tests hung so
        # in a test's teardown, the collector dying after collection was turned back on.
        del collector
        gc.enable()


@contextmanager
def waiting_cursor() -> Iterator[None]:
    """The wait cursor over a step short enough to run on the GUI thread but not instant
    (accepting every suggestion shown)."""
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
