"""The open project as the GUI sees it: one object every view shares, with change signals.

Views never reach into each other (Anki's OpChanges idea): every change goes through
``run_op``, which calls an operation of ``bertdesk.ops`` and refreshes the views from the
``OpChanges`` it returns, through the session's signals. The label history (undo and redo)
lives in the project file; the session runs it and says what Undo and Redo would do next.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Optional, TypeVar, Union

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from bertdesk.core import ExampleId, RunId, Split
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.gui.common.bidi import isolated
from bertdesk.gui.common.split_names import split_name
from bertdesk.ops import HistoryStep, LabelAction, LabelHistory, OpChanges, OpResult, changes_of
from bertdesk.ops import current_run as stored_current_run
from bertdesk.ops import make_current
from bertdesk.store import Project, ProjectStats

log = logging.getLogger(__name__)
RECOUNT_DELAY_MS = 150  # changes are counted again at most this long after the first of a burst
Outcome = TypeVar("Outcome", bound=Union[OpChanges, OpResult[Any]])


class ProjectSession(QObject):
    labels_changed = Signal()  # the label set (names, colours, shortcuts, order)
    examples_changed = Signal(list)  # ids of examples whose labels, split or suggestions changed ([] = many)
    runs_changed = Signal()
    current_run_changed = Signal(object)  # RunId or None
    saved = Signal()  # a write was committed
    stats_changed = Signal(object)  # ProjectStats, counted again after examples changed
    history_changed = Signal()  # what Undo and Redo would do next
    history_moved = Signal(object)  # ExampleId an undo or redo changed: the views show it

    def __init__(self, project: Project, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.project = project
        self.history = LabelHistory(project)
        # The counts every view shows, read once here and then again off the GUI thread
        # after changes: on a project of a million texts a count takes over a second, and
        # each label key would otherwise freeze the window that long.
        self.stats: ProjectStats = project.stats()
        self._count_job: Optional[BackgroundJob[ProjectStats]] = None
        self._op_jobs: set[BackgroundJob[Any]] = set()
        self._count_again = False
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(RECOUNT_DELAY_MS)
        self._recount_timer.timeout.connect(self._recount)
        # The lambda holds the session, so a session lives as long as the app: one dropped
        # while its count job runs would take the process down. shutdown() joins that job.
        self.examples_changed.connect(lambda _ids: self._count_soon())

    @property
    def current_run(self) -> Optional[RunId]:
        return stored_current_run(self.project)

    def set_current_run(self, run_id: Optional[RunId]) -> None:
        self.run_op(make_current, run_id)

    def run_op(self, op: Callable[..., Outcome], *args: Any, **kwargs: Any) -> Outcome:
        """Run ``op(project, *args, **kwargs)`` and refresh the views from what it changed.

        The one way the GUI changes the project. A ``BertdeskError`` it raises reaches the
        caller, which shows it; nothing was changed then.
        """
        outcome = op(self.project, *args, **kwargs)
        self.refresh(changes_of(outcome))
        return outcome

    def run_op_in_background(
        self, op: Callable[..., Outcome], *args: Any, done: Callable[[Outcome], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """``run_op`` for an operation of seconds (a split of 100,000 texts looks for texts
        inside other texts first): it runs on a worker while the window keeps answering; then,
        on the GUI thread, the views refresh and ``done(outcome)`` runs, or ``failed(error)``.
        ``shutdown`` waits for it."""
        project = self.project
        job: BackgroundJob[Outcome] = BackgroundJob(op.__name__, lambda _progress, _cancel: op(project, *args), self)

        def succeeded(outcome: Outcome) -> None:
            self._op_ended(job)
            self.refresh(changes_of(outcome))
            done(outcome)

        def went_wrong(error: BaseException) -> None:
            self._op_ended(job)
            failed(error)

        job.succeeded.connect(succeeded)
        job.failed.connect(went_wrong)
        self._op_jobs.add(job)
        job.start()

    @property
    def op_running(self) -> bool:
        """An operation ``run_op_in_background`` started has not ended yet."""
        return bool(self._op_jobs)

    def _op_ended(self, job: BackgroundJob[Any]) -> None:
        self._op_jobs.discard(job)
        job.deleteLater()  # deferred: safe from the job's own signal

    def refresh(self, changes: OpChanges) -> None:
        """Tell the views what changed: for writes made outside ``run_op`` (an import, a
        background job), and by ``run_op`` itself."""
        if changes == OpChanges():
            return
        self.saved.emit()
        if changes.labels:
            self.labels_changed.emit()
        if changes.counts or changes.splits:
            self._count_soon()  # (a change of examples is counted through examples_changed)
        if changes.all_examples:
            self.examples_changed.emit([])
        elif changes.examples:
            self.examples_changed.emit(list(changes.examples))
        if changes.runs:
            self.runs_changed.emit()
        if changes.current_run:
            self.current_run_changed.emit(self.current_run)
        if changes.history:
            self.history_changed.emit()

    def undo(self) -> None:
        self._move_history(self.history.undo)

    def redo(self) -> None:
        self._move_history(self.history.redo)

    def _move_history(self, move: Callable[[], OpResult[Optional[HistoryStep]]]) -> None:
        try:
            result = move()
        except Exception:
            self.history_changed.emit()  # a refused step empties the history
            raise
        self.refresh(result.changes)
        if result.value is not None and result.value.example_ids:
            self.history_moved.emit(ExampleId(result.value.example_ids[0]))

    def undo_texts(self) -> tuple[Optional[str], Optional[str]]:
        """What Undo and Redo would do, in words for the Edit menu (None: nothing to do)."""
        undo, redo = self.history.next_steps()
        return (None if undo is None else step_title(undo), None if redo is None else step_title(redo))

    def shutdown(self) -> None:
        """Before the project closes: no count may still be reading it, no operation writing
        it (each ends within seconds; its outcome arrives first)."""
        for operation in list(self._op_jobs):
            operation.wait()
        self._recount_timer.stop()
        self._count_again = False
        job, self._count_job = self._count_job, None
        if job is not None:
            job.wait()

    def _count_soon(self) -> None:
        """Count within RECOUNT_DELAY_MS of a change, also while changes keep coming: a timer
        restarted by every key would never fire while someone labels faster than its delay."""
        if not self._recount_timer.isActive():
            self._recount_timer.start()

    def _recount(self) -> None:
        if self._count_job is not None:
            self._count_again = True  # changed while counting: count once more afterwards
            return
        project = self.project
        job: BackgroundJob[ProjectStats] = BackgroundJob("stats", lambda _p, _c: project.stats(), self)
        job.succeeded.connect(lambda stats: self._counted(job, stats))
        job.failed.connect(lambda error: self._counted(job, None, error))
        self._count_job = job
        job.start()

    def _counted(
        self, job: BackgroundJob[ProjectStats], stats: Optional[ProjectStats],
        error: Optional[BaseException] = None,
    ) -> None:
        job.deleteLater()  # deferred: safe from the job's own signal
        if job is not self._count_job:
            return  # shut down meanwhile
        self._count_job = None
        if stats is None:
            log.warning("counting the project's texts failed: %s", error)
        else:
            self.stats = stats
            self.stats_changed.emit(stats)
        if self._count_again:
            self._count_again = False
            self._recount()


def step_title(step: HistoryStep) -> str:
    """A history step in words, in the language of the moment (the step stores no words)."""
    translate = QCoreApplication.translate
    if step.action == LabelAction.REMOVE:
        return translate("ProjectSession", "Remove labels")
    if step.action == LabelAction.RELABEL:
        return translate("ProjectSession", "Correct label to %1").replace("%1", isolated(step.label_name or ""))
    if step.action == LabelAction.MOVE_TO_SPLIT:
        return translate("ProjectSession", "Move to %1").replace("%1", split_name(Split(step.label_name)))
    if step.action == LabelAction.MAKE_SPLITS:
        return translate("ProjectSession", "Make splits")
    if step.action == LabelAction.KEEP:
        if step.label_name is None:  # texts of several labels confirmed at once
            return translate("ProjectSession", "Keep labels")
        return translate("ProjectSession", "Keep label %1").replace("%1", isolated(step.label_name))
    return translate("ProjectSession", "Label %1").replace("%1", isolated(step.label_name or ""))
