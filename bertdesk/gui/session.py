"""The open project as the GUI sees it: one object every view shares, with change signals.

Views never reach into each other (Anki's OpChanges idea): whoever changes the project tells
the session, and the session's signals refresh whoever shows that data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from PySide6.QtCore import QObject, Signal

from bertdesk.core import RunId
from bertdesk.store import Project

CURRENT_RUN_SETTING = "current_run"


class ProjectSession(QObject):
    labels_changed = Signal()  # the label set (names, colours, shortcuts, order)
    examples_changed = Signal(list)  # ids of examples whose labels, split or suggestions changed ([] = many)
    runs_changed = Signal()
    current_run_changed = Signal(object)  # RunId or None
    saved = Signal()  # a write was committed

    def __init__(self, project: Project, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.project = project

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
