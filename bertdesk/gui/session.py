"""The open project as the GUI sees it: one object every view shares, with change signals.

Views never reach into each other (Anki's OpChanges idea): whoever changes the project tells
the session, and the session's signals refresh whoever shows that data.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Optional

from PySide6.QtCore import QObject, QTimer, Signal

from bertdesk.core import RunId
from bertdesk.gui.train_jobs import BackgroundJob
from bertdesk.store import Project, ProjectStats

log = logging.getLogger(__name__)
CURRENT_RUN_SETTING = "current_run"
RECOUNT_DELAY_MS = 150  # a burst of label keys is counted once, after it


class ProjectSession(QObject):
    labels_changed = Signal()  # the label set (names, colours, shortcuts, order)
    examples_changed = Signal(list)  # ids of examples whose labels, split or suggestions changed ([] = many)
    runs_changed = Signal()
    current_run_changed = Signal(object)  # RunId or None
    saved = Signal()  # a write was committed
    stats_changed = Signal(object)  # ProjectStats, counted again after examples changed

    def __init__(self, project: Project, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.project = project
        # The counts every view shows, read once here and then again off the GUI thread
        # after changes: on a project of a million texts a count takes over a second, and
        # each label key would otherwise freeze the window that long.
        self.stats: ProjectStats = project.stats()
        self._count_job: Optional[BackgroundJob[ProjectStats]] = None
        self._count_again = False
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(RECOUNT_DELAY_MS)
        self._recount_timer.timeout.connect(self._recount)
        self.examples_changed.connect(lambda _ids: self._recount_timer.start())

    @property
    def current_run(self) -> Optional[RunId]:
        value = self.project.get_setting(CURRENT_RUN_SETTING)
        return RunId(int(value)) if value else None

    def set_current_run(self, run_id: Optional[RunId]) -> None:
        self.project.set_setting(CURRENT_RUN_SETTING, "" if run_id is None else str(int(run_id)))
        self.current_run_changed.emit(run_id)

    def announce_examples(self, example_ids: Sequence[int]) -> None:
        self.saved.emit()
        self.examples_changed.emit(list(example_ids))

    def announce_labels(self) -> None:
        self.saved.emit()
        self.labels_changed.emit()
        self.examples_changed.emit([])

    def shutdown(self) -> None:
        """Before the project closes: no count may still be reading it."""
        self._recount_timer.stop()
        self._count_again = False
        job, self._count_job = self._count_job, None
        if job is not None:
            job.wait()

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
