"""A run as it goes, beside its settings: shared by the Train tab and the pretraining dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QProgressBar, QVBoxLayout, QWidget

from bertdesk.gui.training.live_events import format_duration

LOG_LINES = 500  # the engine's messages kept in the log; a long run's first ones scroll away


class LiveRunView(QWidget):
    """The step bar, a line with the speed, the loss and the time left, a status line, the
    run's curves and the engine's log. The panel that owns it words the speed line and the
    status; the bar's wording and the time left are the same for every run."""

    def __init__(self, curves: QWidget, log_height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.speed_label = QLabel()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.curves = curves
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(LOG_LINES)
        self.log.setMaximumHeight(log_height)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.speed_label)
        layout.addWidget(self.status_label)
        layout.addWidget(curves, 1)
        layout.addWidget(self.log)
        self.show_not_started()

    def show_not_started(self) -> None:
        """An empty bar that says so: before a run, or after one that ended before its first step."""
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Not started"))

    def show_step(self, step: dict[str, Any], details: str, time_left: bool) -> None:
        """The bar at ``step`` (an engine step event) and ``details`` beside the time left,
        which is shown only while the run goes on (not while it stops or after it ended)."""
        self.progress.setRange(0, max(int(step["total_steps"]), 1))
        self.progress.setValue(int(step["step"]))
        self.progress.setFormat(self.tr("Step %v of %m (%p%)"))
        if time_left:
            details += " · " + self.tr("about {left} left").format(left=format_duration(step["eta_seconds"]))
        self.speed_label.setText(details)

    def show_finished(self) -> None:
        """A run that ended well: the bar full. Patience often ends a run before its budget of
        steps, and a full "Step 570 of 570" would claim steps it never took: it says where it ended."""
        steps, budget = self.progress.value(), self.progress.maximum()
        self.progress.setValue(budget)
        if 0 < steps < budget:
            self.progress.setFormat(self.tr("Done at step {step} of {budget}").format(step=steps, budget=budget))
