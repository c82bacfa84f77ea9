"""A progress bar with a Cancel button for one long analysis at a time (a cross-validation, a
learning curve), its messages shown in the interface language, and the panel around it.

The engine reports progress as ``Sentence``s (English templates with their values) so each
front end can word them; ``BackgroundJob`` passes progress on as plain text, which would lose
the template. The bar keeps the worker's latest message as it was sent and translates it on
the GUI thread when the job's poll shows the fraction.
"""

from __future__ import annotations

import threading
from typing import Any, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from bertdesk.core import CancelToken, ProgressCallback
from bertdesk.gui.common.errors import error_text, translated_text
from bertdesk.gui.common.jobs import BackgroundJob, JobFunction
from bertdesk.gui.common.session import ProjectSession


class LatestMessage:
    """The worker's latest progress message, kept whole (a ``Sentence`` stays one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._message = ""

    def passing_to(self, progress: ProgressCallback) -> ProgressCallback:
        """A progress callback that keeps the message, then hands both on. Runs on the worker thread."""

        def report(fraction: float, message: str) -> None:
            with self._lock:
                self._message = message
            progress(fraction, message)

        return report

    def translated(self) -> str:
        with self._lock:
            message = self._message
        return translated_text(message)


class AnalysisJobBar(QWidget):
    """Runs one job at a time: a progress bar with the phase in words, and Cancel.

    Hidden while idle. Exactly one of ``succeeded`` (the result), ``failed`` (the error) or
    ``cancelled`` follows each ``start``, after the worker thread has ended.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job: Optional[BackgroundJob[Any]] = None
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop after the current step; nothing is stored."))
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress, 1)
        layout.addWidget(self.cancel_button)
        self.setVisible(False)

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def start(self, name: str, work: JobFunction[Any], starting: str) -> None:
        """Run ``work(progress, cancel)`` on a worker thread; ``starting`` is shown until it reports."""
        if self.running:
            return
        latest = LatestMessage()

        def run(progress: ProgressCallback, cancel: CancelToken) -> Any:
            """Runs on the worker thread."""
            return work(latest.passing_to(progress), cancel)

        job: BackgroundJob[Any] = BackgroundJob(name, run, self)
        self.job = job
        job.progressed.connect(lambda fraction, _message: self._show(fraction, latest.translated()))
        job.succeeded.connect(lambda result: self._ended(job, self.succeeded, result))
        job.failed.connect(lambda error: self._ended(job, self.failed, error))
        job.cancelled.connect(lambda: self._ended(job, self.cancelled))
        self._show(0.0, starting)
        self.cancel_button.setEnabled(True)
        self.setVisible(True)
        job.start()

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat(self.tr("Stopping after the current step…"))

    def shutdown(self) -> None:
        """Stop and join the job (closing the project or the window)."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait()

    def _show(self, fraction: float, message: str) -> None:
        if not self.cancel_button.isEnabled():
            return  # stopping: the bar says so until the job ends
        self.progress.setValue(round(fraction * 100))
        self.progress.setFormat(f"{message}  %p%" if message else "%p%")

    def _ended(self, job: BackgroundJob[Any], signal: Any, *value: object) -> None:
        job.deleteLater()  # deferred: safe from the job's own signal
        if job is self.job:
            self.job = None
        self.setVisible(False)
        signal.emit(*value)


class AnalysisPanel(QWidget):
    """One analysis of the Evaluate tab: the question it answers, its start button with the
    progress bar beside it, and a line that says when it was stopped; a failure is a message box.

    A subclass sets the texts (``intro``, ``start_button``) in its own translation context, lays
    out its results below ``add_header``, and implements ``ask_and_start``, ``stopped_text`` and
    ``failure_title``.
    """

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.start_button = QPushButton()
        self.job_bar = AnalysisJobBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        self.start_button.clicked.connect(self.ask_and_start)
        self.job_bar.succeeded.connect(lambda _result: self.start_button.setEnabled(True))
        self.job_bar.failed.connect(self._failed)
        self.job_bar.cancelled.connect(self._cancelled)

    def add_header(self, layout: QBoxLayout) -> None:
        """The intro, the button with the progress bar, and the status line, in that order."""
        top = QHBoxLayout()
        top.addWidget(self.start_button)
        top.addWidget(self.job_bar, 1)
        top.addStretch()
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.status)

    def ask_and_start(self) -> None:
        """Ask for the settings, then ``run_in_background``."""
        raise NotImplementedError

    def stopped_text(self) -> str:
        """What the status line says after Cancel."""
        raise NotImplementedError

    def failure_title(self) -> str:
        """The title of the message box that shows an error."""
        raise NotImplementedError

    def run_in_background(self, name: str, work: JobFunction[Any], starting: str) -> None:
        """Start ``work`` unless an analysis of this panel runs; ``starting`` shows until it reports."""
        if self.job_bar.running:
            return
        self.status.setVisible(False)
        self.start_button.setEnabled(False)
        self.job_bar.start(name, work, starting)

    @property
    def running(self) -> bool:
        return self.job_bar.running

    def cancel(self) -> None:
        self.job_bar.cancel()

    def shutdown(self) -> None:
        self.job_bar.shutdown()

    def _cancelled(self) -> None:
        self.start_button.setEnabled(True)
        self.status.setText(self.stopped_text())
        self.status.setVisible(True)

    def _failed(self, error: BaseException) -> None:
        self.start_button.setEnabled(True)
        QMessageBox.warning(self, self.failure_title(), error_text(error))
