"""The suggestions while labelling, fitted and computed in a process of their own.

The labeling view keeps suggestions fresh as someone labels (``gui/labeling/suggestion_refresher.py``).
Fitted and predicted on a thread of the app, the work stopped the event loop for hundreds of
milliseconds while the GUI thread itself had little to do: it waited for the GIL. The GUI thread
gives the GIL up at every call into Qt and needs it again at every call back into Python (a
repaint makes hundreds), and beside a thread that runs Python each taking back costs up to the
switch interval, 5 ms: the convoy effect (a shorter interval shrank the pauses; the worker's
priority and the size of its chunks did not). A process of its own has its own GIL; the app's
thread only waits for it, blocked without the GIL.

One ``SuggestionProcess`` per open project. Its child process (``spawn``: no copy of the app's
threads or Qt, the same on every platform) starts with the first call, keeps the fitted model
between calls and ends with ``close``. The child opens the project file itself and writes the
suggestions there (WAL: the app reads and writes meanwhile; each chunk is a short transaction, as
on a thread). Calls block, so the app makes them on a worker thread; cancel crosses as a shared
event that the child's CancelToken reads, progress as a queue the waiting call passes on.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, TypeVar

from bertdesk.core import (
    BertdeskError,
    CancelToken,
    ExampleId,
    ProgressCallback,
    ignore_progress,
)
from bertdesk.ml.suggest import Suggester, SuggestionSource, prepare_suggester

if TYPE_CHECKING:
    from multiprocessing.queues import SimpleQueue
    from multiprocessing.synchronize import Event

    from bertdesk.store import Project

T = TypeVar("T")
POLL_SECONDS = 0.05  # how often a waiting call passes on progress and a cancel
CHILD_NICE = 5  # the child's CPU priority below the app's, as the app's worker threads have


@dataclass(frozen=True)
class FittedSuggestions:
    """A model fitted in the suggestion process, its rows on screen stored, its rest pass to come.

    ``process_id``: the process that fitted it (never the app's own)."""

    source: SuggestionSource
    labelled: int
    fit_number: int
    process_id: int


class SuggestionProcess:
    """The child process that fits and suggests for the project at ``project_path``.

    ``fit`` and ``suggest_rest`` block until the child is done; one call at a time.
    """

    def __init__(self, project_path: Path) -> None:
        self.project_path = Path(project_path).absolute()
        self._running: Optional[_Running] = None

    def start(self) -> None:
        """Start the child now, importing what a fit needs, so the first fit does not wait for it."""
        self._started().executor.submit(_warm_up)

    def fit(
        self, source: SuggestionSource, first: Sequence[ExampleId], cancel: CancelToken,
    ) -> FittedSuggestions:
        """Fit the source on the labels as they are now (or open a run's predictions) and store the
        suggestions of ``first`` (the rows on screen). Raises what ``prepare_suggester`` raises."""
        return self._call(cancel, ignore_progress, _fit, source, list(first))

    def suggest_rest(
        self, fitted: FittedSuggestions, labelled: Sequence[ExampleId], skip: Sequence[ExampleId],
        progress: ProgressCallback, cancel: CancelToken,
    ) -> None:
        """Store the suggestions of ``labelled`` (each from a model fitted without it), report
        progress 0 (they are stored), then those of every other text but ``skip``, with progress."""
        self._call(cancel, progress, _suggest_rest, fitted.fit_number, list(labelled), list(skip))

    def close(self) -> None:
        """End the child (after its project is closed) and wait for it; a later call starts a new one."""
        running, self._running = self._running, None
        if running is None:
            return
        try:
            running.executor.submit(_close_project).result()
        except BrokenProcessPool:
            pass  # it has ended already
        running.end()

    def _started(self) -> _Running:
        if self._running is None:
            self._running = _Running.start(self.project_path)
        return self._running

    def _call(self, cancel: CancelToken, progress: ProgressCallback, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` in the child; meanwhile pass its progress on and a cancel over."""
        running = self._started()
        running.cancel.clear()
        running.pass_on(ignore_progress)  # anything an earlier call left
        try:
            running.hand_over(cancel)  # a cancel before the call stops it at its first step
            future = running.executor.submit(function, *args)
            while True:
                try:
                    return future.result(timeout=POLL_SECONDS)
                except concurrent.futures.TimeoutError:
                    running.hand_over(cancel)
                finally:
                    running.pass_on(progress)
        except BrokenProcessPool as error:
            self._running = None
            running.end()
            raise BertdeskError(
                "The process that computes the suggestions stopped unexpectedly.",
                "They are computed again after your next labels; if this happens again, the log says why.",
            ) from error


@dataclass(frozen=True)
class _Running:
    """A child process, as the app holds it: its executor of one worker, the cancel flag it
    reads and the queue it reports progress on."""

    executor: ProcessPoolExecutor
    cancel: Event
    progress: SimpleQueue[tuple[float, str]]

    @classmethod
    def start(cls, project_path: Path) -> _Running:
        context = multiprocessing.get_context("spawn")
        cancel, progress = context.Event(), context.SimpleQueue()
        executor = ProcessPoolExecutor(1, mp_context=context, initializer=_start_child,
                                       initargs=(project_path, cancel, progress))
        return cls(executor, cancel, progress)

    def hand_over(self, cancel: CancelToken) -> None:
        if cancel.cancelled:
            self.cancel.set()

    def pass_on(self, progress: ProgressCallback) -> None:
        while not self.progress.empty():
            progress(*self.progress.get())

    def end(self) -> None:
        self.executor.shutdown(wait=True)
        self.progress.close()


# ------------------------------------------------------------ in the child process
@dataclass
class _ChildState:
    """What the child keeps between calls: the project (opened at first use) and the latest fit."""

    project_path: Path
    cancel: CancelToken  # its flag is the app's multiprocessing Event: set there, read here
    progress: SimpleQueue[tuple[float, str]]
    project: Optional[Project] = None
    suggester: Optional[Suggester] = None
    fits: int = 0

    def opened(self) -> Project:
        from bertdesk.store import Project

        if self.project is None:
            self.project = Project.open(self.project_path)
        return self.project

    def report(self, fraction: float, message: str) -> None:
        self.progress.put((fraction, message))


_state: Optional[_ChildState] = None


def _start_child(project_path: Path, cancel: Event, progress: SimpleQueue[tuple[float, str]]) -> None:
    global _state
    if hasattr(os, "nice"):
        os.nice(CHILD_NICE)
    _state = _ChildState(project_path, CancelToken(cancel), progress)


def _child_state() -> _ChildState:
    assert _state is not None, "runs in the suggestion process only"
    return _state


def _warm_up() -> None:
    """Import the libraries ``fit_classifier`` imports inside its functions."""
    import scipy.sparse  # noqa: F401
    import sklearn.calibration  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.linear_model  # noqa: F401
    import sklearn.svm  # noqa: F401


def _fit(source: SuggestionSource, first: list[ExampleId]) -> FittedSuggestions:
    child = _child_state()
    child.suggester = None  # the old model's memory goes before the new one is fitted
    suggester = prepare_suggester(child.opened(), source, child.cancel)
    suggester.suggest(first, child.cancel)
    child.suggester, child.fits = suggester, child.fits + 1
    return FittedSuggestions(source, suggester.labelled, child.fits, os.getpid())


def _suggest_rest(fit_number: int, labelled: list[ExampleId], skip: list[ExampleId]) -> None:
    child = _child_state()
    suggester = child.suggester
    if suggester is None or child.fits != fit_number:
        raise RuntimeError(f"the suggestion process holds fit {child.fits}, not fit {fit_number}")
    suggester.suggest(labelled, child.cancel)
    child.report(0.0, "")
    suggester.suggest_rest(skip, child.report, child.cancel)


def _close_project() -> None:
    child = _child_state()
    child.suggester = None
    if child.project is not None:
        child.project.close()
        child.project = None
