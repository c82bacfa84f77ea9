"""Help ▸ Check this computer: the page of ``bertdesk doctor`` inside the app.

The checks run in a background job (PyTorch is imported, a few seconds). What Qt itself sees
is handed in rather than probed again: the platform plugin the app runs on and the font
families Qt has for Simplified Chinese, since those are what the window shows texts with.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Optional

import PySide6
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import CancelToken, ProgressCallback, Sentence
from bertdesk.gui.common.errors import error_text, translated_text
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.gui.common.style import WARNING_COLOUR
from bertdesk.system.doctor import Check, FontFacts, QtFacts, Status, diagnose, probe_machine, report_text

PROBLEM_COLOUR = "#c62828"
OK_COLOUR = "#2e7d32"


def qt_facts() -> QtFacts:
    """The app's own Qt: its version and the platform plugin it started with."""
    return QtFacts(version=PySide6.__version__, platform=QGuiApplication.platformName())


def font_facts() -> FontFacts:
    """The families Qt can draw Simplified Chinese with."""
    return FontFacts(tuple(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)))


class DoctorDialog(QDialog):
    """Each check with its status, what was found and what to do; check again; copy the report."""

    def __init__(self, project_folder: Optional[Path] = None, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check this computer"))
        self.resize(940, 640)
        self.project_folder = project_folder
        self.checks: list[Check] = []
        self.job: Optional[BackgroundJob[list[Check]]] = None
        intro = QLabel(self.tr("What this computer can do for bertdesk. Each problem says what to do about it."))
        intro.setWordWrap(True)
        self.summary = QLabel()
        self.page = QTextBrowser()
        self.page.setOpenExternalLinks(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.again_button = QPushButton(self.tr("Check again"))
        self.again_button.clicked.connect(self.start)
        self.copy_button = QPushButton(self.tr("Copy for a bug report"))
        self.copy_button.setToolTip(self.tr("Copies the checks in English, as a bug report wants them."))
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.again_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.page, 1)
        layout.addWidget(buttons)
        self.start()

    def start(self) -> None:
        if self.job is not None and self.job.running:
            return
        folder, qt, fonts = self.project_folder, qt_facts(), font_facts()

        def check(progress: ProgressCallback, _cancel: CancelToken) -> list[Check]:
            """Runs on the worker thread."""
            return diagnose(probe_machine(folder, qt=qt, fonts=fonts, progress=progress))

        self.job = BackgroundJob("doctor", check, self)
        self.job.progressed.connect(lambda _fraction, message: self.summary.setText(
            self.tr("Checking…") + " " + translated_text(Sentence(message))))
        self.job.succeeded.connect(self.show_checks)
        self.job.failed.connect(lambda error: self.summary.setText(error_text(error)))
        self.again_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        self.summary.setText(self.tr("Checking…"))
        self.job.start()

    def show_checks(self, checks: list[Check]) -> None:
        self.checks = checks
        self.again_button.setEnabled(True)
        self.copy_button.setEnabled(True)
        problems = sum(check.status is Status.PROBLEM for check in checks)
        self.summary.setText(self.tr("%n problem(s) found.", "", problems) if problems
                             else self.tr("No problems found."))
        self.page.setHtml("<table cellspacing='0' cellpadding='5' width='100%'>" +
                          "".join(self._row(check) for check in checks) + "</table>")

    def _row(self, check: Check) -> str:
        status, colour = {
            Status.OK: (self.tr("OK"), OK_COLOUR),
            Status.NOTE: (self.tr("Note"), WARNING_COLOUR),
            Status.PROBLEM: (self.tr("Problem"), PROBLEM_COLOUR),
        }[check.status]
        what_to_do = ""
        if check.what_to_do:
            what_to_do = (f"<br><span style='color:{colour}'>{html.escape(self.tr('What to do:'))} "
                          f"{html.escape(translated_text(check.what_to_do))}</span>")
        return (f"<tr><td valign='top'><b style='color:{colour}'>{html.escape(status)}</b></td>"
                f"<td valign='top'><b>{html.escape(translated_text(check.topic))}</b></td>"
                f"<td valign='top'>{html.escape(translated_text(check.found))}{what_to_do}</td></tr>")

    def copy_report(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(report_text(self.checks))

    def done(self, result: int) -> None:
        if self.job is not None and self.job.running:
            self.job.wait()  # a few seconds at most; the thread must not outlive the dialog
        super().done(result)
