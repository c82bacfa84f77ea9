"""Combine runs…: an ensemble of finished runs, chosen from a list (``ml.ensemble``).

The run history's "Combine runs…" opens it with the selected runs checked (the main window
wires the two; a feature folder never imports another's widgets). It lists every finished
run that keeps a model, of any family, ensembles too, with its kind and validation scores.
The person checks two or more and picks equal weights or weights fitted on the validation
texts; Create runs ``combine_runs`` in the background with progress and Cancel. What the
engine refuses (runs that predict different labels, a run whose model folder is gone) is
said in the dialog, which stays open so the choice can be changed; nothing is stored then.
A stored ensemble becomes the current run (``ops.run_ended``, as a finished training run
does), so the Evaluate and Predict tabs show it at once, and the dialog says how it scored
against its best member.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import CancelToken, ProgressCallback, RunId
from bertdesk.gui.common.errors import error_text
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.common.style import WARNING_COLOUR
from bertdesk.gui.evaluation.analysis_job import AnalysisJobBar
from bertdesk.gui.training.run_history import can_combine, run_kind_tip, run_kind_title
from bertdesk.gui.training.train_settings import run_title
from bertdesk.ml.ensemble import Combination, Ensemble
from bertdesk.ops import run_ended
from bertdesk.store import RunInfo

RUN_COLUMN = 0
KIND_COLUMN = 1
SCORES = ("accuracy", "macro_f1")  # on the validation texts, as each run stored them


def _score(run: RunInfo, name: str) -> str:
    value = run.metrics.get(name)
    return f"{value:.1%}" if isinstance(value, (int, float)) else "–"


class CombineRunsDialog(QDialog):
    """Check runs, pick how they are weighted, Create: an ensemble run."""

    created = Signal(object)  # RunId of the ensemble just stored

    def __init__(self, session: ProjectSession, checked: Sequence[RunId] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ensemble: Optional[Ensemble] = None
        self._runs: list[RunInfo] = []
        self._boxes: list[QTableWidgetItem] = []  # the check box of each listed run
        self.setWindowTitle(self.tr("Combine runs"))
        intro = QLabel(self.tr(
            "Check two or more finished runs that predict the same labels. The ensemble gives each "
            "text the weighted mean of their probabilities; it is stored as a new run, which you "
            "evaluate and predict with like any other. Runs of different kinds often combine best."
        ))
        intro.setWordWrap(True)
        headers = [self.tr("Run"), self.tr("Kind"), self.tr("Validation accuracy"), self.tr("Validation macro-F1")]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RUN_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.mean_button = QRadioButton(self.tr("Average: every run weighs the same"))
        self.fitted_button = QRadioButton(self.tr("Weights fitted on the validation texts"))
        self.fitted_button.setToolTip(self.tr(
            "The weights that give the ensemble its lowest loss on the validation texts: a weak or "
            "redundant run gets less weight, or none. Chosen on those texts, they flatter the "
            "ensemble's validation scores: compare on the test texts."
        ))
        self.mean_button.setChecked(True)
        self.weights = QButtonGroup(self)
        self.weights.addButton(self.mean_button)
        self.weights.addButton(self.fitted_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.job_bar = AnalysisJobBar()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.create_button = self.buttons.addButton(self.tr("Create"), QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(self.tr("Weights:")))
        layout.addWidget(self.mean_button)
        layout.addWidget(self.fitted_button)
        layout.addWidget(self.message)
        layout.addWidget(self.job_bar)
        layout.addWidget(self.buttons)
        self.resize(640, 460)

        self.create_button.clicked.connect(self.create_ensemble)
        self.buttons.rejected.connect(self.reject)
        self.table.itemChanged.connect(lambda _item: self._choice_changed())
        self.job_bar.succeeded.connect(self._stored)
        self.job_bar.failed.connect(self._failed)
        self.job_bar.cancelled.connect(self._cancelled)
        self.fill(checked)

    # ------------------------------------------------------------------- the list
    def fill(self, checked: Sequence[RunId] = ()) -> None:
        """List the runs that can be combined, newest first, ``checked`` ticked."""
        self._runs = [run for run in reversed(self.session.project.runs()) if can_combine(run)]
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._runs))
        self._boxes = []
        for row, run in enumerate(self._runs):
            cells = [run_title(run), run_kind_title(run), *(_score(run, name) for name in SCORES)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if column == RUN_COLUMN:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Checked if run.id in checked else Qt.CheckState.Unchecked)
                    item.setToolTip(value)
                    self._boxes.append(item)
                if column == KIND_COLUMN:
                    item.setToolTip(run_kind_tip(run))
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self._choice_changed()

    def checked_runs(self) -> list[RunId]:
        """The checked runs, oldest first (the order the ensemble names them in)."""
        return sorted(run.id for run, box in zip(self._runs, self._boxes) if box.checkState() == Qt.CheckState.Checked)

    def combination(self) -> Combination:
        return Combination.FITTED if self.fitted_button.isChecked() else Combination.MEAN

    def _choice_changed(self) -> None:
        count = len(self.checked_runs())
        self.create_button.setEnabled(count >= 2 and not self.job_bar.running)
        if not self._runs:
            self._say(self.tr("No finished run to combine yet: train two runs first (the fast model takes seconds)."))
        elif count < 2:
            self._say(self.tr("Check at least two runs: an ensemble combines two or more."))
        else:
            self._say("")

    def _say(self, text: str, warning: bool = False) -> None:
        self.message.setStyleSheet(f"color: {WARNING_COLOUR};" if warning else "")
        self.message.setText(text)

    # ------------------------------------------------------------------- creating
    def create_ensemble(self) -> None:
        """Combine the checked runs in the background; a choice the engine refuses is said here."""
        if self.job_bar.running:
            return
        run_ids = self.checked_runs()
        if len(run_ids) < 2:
            self._say(self.tr("Check at least two runs: an ensemble combines two or more."), warning=True)
            return
        project, combination = self.session.project, self.combination()

        def work(progress: ProgressCallback, cancel: CancelToken) -> Ensemble:
            """Runs on the worker thread."""
            from bertdesk.ml.ensemble import combine_runs

            return combine_runs(project, run_ids, combination, progress=progress, cancel=cancel)

        self._set_busy(True)
        self._say("")
        self.job_bar.start("ensemble", work, self.tr("Reading the runs' probabilities…"))

    @property
    def running(self) -> bool:
        return self.job_bar.running

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.table, self.mean_button, self.fitted_button):
            widget.setEnabled(not busy)
        if busy:
            self.create_button.setEnabled(False)
        else:
            self._choice_changed()

    def _stored(self, ensemble: Ensemble) -> None:
        self.ensemble = ensemble
        self.session.run_op(run_ended, ensemble.run_id)  # the history lists it; it becomes current
        self.fill(self.checked_runs())
        self._set_busy(False)
        self._say(self._summary(ensemble))
        self.created.emit(ensemble.run_id)

    def _summary(self, ensemble: Ensemble) -> str:
        best = max(ensemble.members, key=lambda member: member.validation.get("macro_f1", 0.0))
        text = self.tr(
            "Ensemble run #{run} stored; it is the current model now. Validation macro-F1 {macro} "
            "(the best of its runs, #{best}: {best_macro})."
        ).format(run=ensemble.run_id, macro=f"{ensemble.validation['macro_f1']:.1%}",
                 best=best.run_id, best_macro=f"{best.validation.get('macro_f1', 0.0):.1%}")
        if ensemble.combination is Combination.FITTED:
            weights = ", ".join(f"#{member.run_id} × {member.weight:.2f}" for member in ensemble.members)
            text += " " + self.tr("Weights: {weights}; compare on the test texts.").format(weights=weights)
        return text

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._say(error_text(error), warning=True)

    def _cancelled(self) -> None:
        self._set_busy(False)
        self._say(self.tr("Stopped. Nothing was stored."))

    # ------------------------------------------------------------------- closing
    def reject(self) -> None:
        """Close; work under way is stopped first (a cancel stores nothing)."""
        self.shutdown()
        super().reject()

    def shutdown(self) -> None:
        self.job_bar.shutdown()


def open_combine_dialog(session: ProjectSession, checked: Sequence[RunId], parent: QWidget) -> CombineRunsDialog:
    """Show the dialog over ``parent`` (window-modal, so the project stays open under it)."""
    dialog = CombineRunsDialog(session, checked, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
