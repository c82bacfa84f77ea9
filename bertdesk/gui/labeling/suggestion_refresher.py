"""Suggestions while labelling, kept fresh off the GUI thread: which model, and when it learns again.

The labeling view shows the suggestions the project stores (``bertdesk.ml.suggest``); this
object decides when they are computed again and has them computed in a process of their own
(``bertdesk.ml.suggestion_process``), kept while the project is open, which a ``BackgroundJob``
waits for, one job at a time, so that no label key and no repaint ever waits for a model:

1. a fit: the fast model fitted on the labels as they are now (or a run's stored predictions
   opened), and the unlabelled rows on screen suggested at once, about a second with 1,000
   labels; ``rows_suggested`` then tells the view to read them;
2. the rest: the labelled rows on screen (each needs the models fitted without it, to say
   whether it would have been labelled otherwise), then every other text in chunks;
   ``rows_suggested`` after each chunk, ``completed`` at the end (every text has a suggestion
   of this model: a least-confident order can be taken again).

The fast model learns again after every ``retrain_every`` changed labels. Labels that arrive
while a fit runs make one more fit after it, however many arrive (they coalesce); a rest
pass still running when a new fit is due is cancelled, keeping what it stored (each text has
the old suggestion or the new one), so that the rows on screen are fresh first.

On and off: a project keeps its suggestions until they are turned off, which forgets them
(``ops.clear_suggestions``), so a project that has suggestions opens with them on, showing
those it stored (the model says how many labels it learned from) until the next N labels.
"""

from __future__ import annotations

import functools
import gc
import logging
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, Optional

from PySide6.QtCore import QObject, Signal

from bertdesk.core import BertdeskError, CancelToken, ExampleId, ProgressCallback
from bertdesk.gui.common.errors import user_error_text
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.common.settings import settings
from bertdesk.ml.suggest import SuggestionSource
from bertdesk.ml.suggestion_process import FittedSuggestions, SuggestionProcess
from bertdesk.ops import clear_suggestions
from bertdesk.store import ExampleRow

log = logging.getLogger(__name__)
RETRAIN_EVERY_SETTING = "labeling/retrain_every"
DEFAULT_RETRAIN_EVERY = 5


class Activity(Enum):
    """What the refresher is doing now."""

    IDLE = "idle"
    FITTING = "fitting"  # the model learns; then the rows on screen
    SUGGESTING_REST = "rest"  # every other text
    CLEARING = "clearing"  # turned off: the stored suggestions are being forgotten


class SuggestionRefresher(QObject):
    """Keeps the project's suggestions fresh while someone labels; lives on the GUI thread.

    ``rows_on_screen`` returns the rows the view shows now (and the few below): they are
    suggested first.
    """

    rows_suggested = Signal()  # new suggestions are stored: the view reads its rows' again
    completed = Signal()  # every text has a suggestion of the latest model
    status_changed = Signal()  # source, activity, progress or error changed
    cleared = Signal()  # turned off: no suggestion is stored any more

    def __init__(
        self, session: ProjectSession, rows_on_screen: Callable[[], Sequence[ExampleRow]],
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self._rows_on_screen = rows_on_screen
        stored = self.project.suggestion_state()
        self.state = stored  # the stored suggestions' model, read again after each job
        self.source: Optional[SuggestionSource] = (  # None: off
            None if stored is None else SuggestionSource(stored.run_id)
        )
        stored_every = str(settings().value(RETRAIN_EVERY_SETTING, DEFAULT_RETRAIN_EVERY))
        self.retrain_every = max(1, int(stored_every)) if stored_every.isdigit() else DEFAULT_RETRAIN_EVERY
        self.activity = Activity.IDLE
        self.progress = 0.0
        self.error: Optional[BaseException] = None
        self.labels_since_fit = 0
        # Opening: the suggestions stored are shown as they are (a fit of half a million labels
        # takes minutes), and computed again only where the last pass was cut short.
        self._fit_due = stored is not None and not stored.complete
        self._clear_due = False
        self._process = SuggestionProcess(self.project.path)
        self._fitted_model: Optional[FittedSuggestions] = None  # its rest pass still to run
        self._suggested_first: list[ExampleId] = []
        self._labelled_on_screen: list[ExampleId] = []
        self._job: Optional[BackgroundJob[Any]] = None
        self._stopped = False
        session.examples_changed.connect(self._labels_changed)
        session.labels_changed.connect(lambda: self._labels_changed([]))

    def start(self) -> None:
        """Begin (the view is ready to show suggestions): a pass cut short is made again."""
        if self.source is not None:
            self._process.start()  # its imports now, not at the first label
        self._start_next()

    @property
    def on(self) -> bool:
        return self.source is not None

    def set_source(self, source: Optional[SuggestionSource]) -> None:
        """Suggest from ``source`` from now on (None: off, and forget the stored suggestions)."""
        if source == self.source:
            return
        self.source = source
        self.error = None
        self._fitted_model = None
        self._fit_due = source is not None
        self._clear_due = source is None
        if self._job is not None:
            self._job.cancel()  # the next job starts when it has stopped
        self._start_next()
        self.status_changed.emit()

    def set_retrain_every(self, count: int) -> None:
        self.retrain_every = max(1, count)
        settings().setValue(RETRAIN_EVERY_SETTING, self.retrain_every)
        self._learn_if_due()
        self.status_changed.emit()

    def refresh(self) -> None:
        """Fit (or read) the source again now, whatever the count of new labels."""
        if self.source is not None:
            self._fit_due = True
            self._cancel_rest_pass()
            self._start_next()

    def shutdown(self) -> None:
        """Before the project closes: stop the job (a fit finishes its step), wait for it, and
        end the suggestion process."""
        self._stopped = True
        job, self._job = self._job, None
        if job is not None:
            job.cancel()
            job.wait()
        self._process.close()

    # ------------------------------------------------------------ when to learn again
    def _labels_changed(self, example_ids: list[int]) -> None:
        """Labels (or splits, or the label set) changed: [] means too many to name."""
        if self.source is None or self.source.run_id is not None:
            return  # a run's predictions do not learn
        self.labels_since_fit += len(example_ids) if example_ids else self.retrain_every
        self._learn_if_due()
        self.status_changed.emit()

    def _learn_if_due(self) -> None:
        if self.source is not None and self.labels_since_fit >= self.retrain_every:
            self.refresh()

    def _cancel_rest_pass(self) -> None:
        if self._job is not None and self.activity is Activity.SUGGESTING_REST:
            self._job.cancel()
        self._fitted_model = None

    # ------------------------------------------------------------ the jobs
    def _start_next(self) -> None:
        """Start the job due, if none runs: forget, else fit, else the rest pass."""
        if self._job is not None or self._stopped:
            return
        if self._clear_due:
            self._clear_due = False
            self._start(Activity.CLEARING, self._clear_job(), self._cleared)
        elif self._fit_due and self.source is not None:
            self._fit_due = False
            self.labels_since_fit = 0
            self._start(Activity.FITTING, self._fit_job(self.source), self._fitted)
        elif self._fitted_model is not None:
            fitted, self._fitted_model = self._fitted_model, None
            self._start(Activity.SUGGESTING_REST, self._rest_job(fitted), self._rest_done)
        else:
            self.activity = Activity.IDLE
        self.status_changed.emit()

    def _start(self, activity: Activity, work: Callable[[ProgressCallback, CancelToken], Any],
               done: Callable[[Any], None]) -> None:
        self.activity, self.progress = activity, 0.0
        job: BackgroundJob[Any] = BackgroundJob(f"suggestions-{activity.value}", work, self)
        job.succeeded.connect(lambda result: self._ended(job, done, result))
        job.cancelled.connect(lambda: self._ended(job))
        job.failed.connect(lambda error: self._ended(job, error=error))
        job.progressed.connect(lambda fraction, _message: self._progressed(job, fraction))
        self._job = job
        job.start()

    def _fit_job(self, source: SuggestionSource) -> Callable[[ProgressCallback, CancelToken], FittedSuggestions]:
        process = self._process
        rows = list(self._rows_on_screen())
        unlabelled = [row.id for row in rows if not row.label_ids]
        self._suggested_first = unlabelled
        self._labelled_on_screen = [row.id for row in rows if row.label_ids]
        return lambda _progress, cancel: process.fit(source, unlabelled, cancel)

    def _rest_job(self, fitted: FittedSuggestions) -> Callable[[ProgressCallback, CancelToken], None]:
        process = self._process
        first, labelled = self._suggested_first, self._labelled_on_screen
        # Progress 0 comes once the labelled rows on screen are stored: _progressed shows them.
        return lambda progress, cancel: process.suggest_rest(fitted, labelled, [*first, *labelled], progress, cancel)

    def _clear_job(self) -> Callable[[ProgressCallback, CancelToken], object]:
        project, process = self.project, self._process

        def clear(_progress: ProgressCallback, _cancel: CancelToken) -> object:
            """Runs on the worker thread: the process's memory goes with the suggestions."""
            process.close()
            return clear_suggestions(project)

        return clear

    def _progressed(self, job: BackgroundJob[Any], fraction: float) -> None:
        if job is not self._job:
            return
        self.progress = fraction
        self.rows_suggested.emit()
        self.status_changed.emit()

    def _ended(self, job: BackgroundJob[Any], done: Optional[Callable[[Any], None]] = None,
               result: Any = None, error: Optional[BaseException] = None) -> None:
        job.deleteLater()  # deferred: safe from the job's own signal
        if job is not self._job:
            return  # shut down meanwhile
        self._job = None
        self.state = self.project.suggestion_state()
        self.activity = Activity.IDLE
        if error is not None:
            if not isinstance(error, BertdeskError):
                log.warning("suggesting labels failed: %s", error)
            self.error = error
        elif done is not None:
            self.error = None
            done(result)
        self._start_next()

    def _fitted(self, fitted: FittedSuggestions) -> None:
        keep_the_app_out_of_full_collections()
        if self._fit_due or self.source != fitted.source:
            return  # labels came (or the source changed) meanwhile: the next fit does the rest
        self._fitted_model = fitted
        self.rows_suggested.emit()

    def _rest_done(self, _result: None) -> None:
        self.rows_suggested.emit()
        self.completed.emit()

    def _cleared(self, changes: object) -> None:
        self.session.refresh(changes)  # type: ignore[arg-type]
        self.cleared.emit()

    # ------------------------------------------------------------ in words
    def status(self) -> str:
        """What the suggestions are and what is being done to them, in the UI's language."""
        if self.source is None:
            return self.tr("Forgetting the suggestions…") if self.activity is Activity.CLEARING else ""
        if self.activity is Activity.FITTING:
            return (self.tr("Learning from your labels…") if self.source.run_id is None
                    else self.tr("Reading the run's predictions…"))
        if self.activity is Activity.SUGGESTING_REST:
            return self.tr("Suggesting labels for the other texts: %1").replace("%1", f"{self.progress:.0%}")
        if self.error is not None:
            return user_error_text(self.error)[0]
        if self.state is None:
            return ""
        if self.source.run_id is not None:
            return self.tr("From run %1's predictions").replace("%1", str(self.source.run_id))
        learned = self.tr("Learned from %n label(s)", "", self.state.labelled)
        if self.labels_since_fit:
            return learned + " · " + self.tr("learns again after %n more", "",
                                              max(self.retrain_every - self.labels_since_fit, 0))
        return learned


@functools.cache  # once per process (counting the frozen objects to find out takes 30 ms)
def keep_the_app_out_of_full_collections() -> None:
    """Once someone labels with suggestions, leave every object alive then (Qt's wrappers, the
    libraries, the open project's) out of the cyclic garbage collector's full passes (``gc.freeze``).

    Paging and repainting a labelling session allocate enough to start a full pass every so
    often, on the GUI thread, and a pass over all of the app's objects stops the event loop as
    long as it runs. Objects are still freed by their reference counts; the few in cycles at
    the first fit are kept for good.
    """
    gc.freeze()
