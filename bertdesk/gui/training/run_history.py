"""Every run of the project: what kind, when, which model, which settings, how long, how good.

The kind column tells a fine-tuned transformer, the fast model, a cross-validation and an
ensemble apart. Select one run to see its curves again, several to overlay them. "Use for
prediction" makes a run the project's current model (a cross-validation keeps no model, so
it cannot be); "Resume" carries a stopped run on where it stopped (the training panel runs
it); "Combine runs…" asks for an ensemble of finished runs (the main window opens the dialog
with the selected runs checked); "Delete" forgets a run and removes its model folder, after
asking.
"""

from __future__ import annotations

import datetime
from typing import Any, Optional

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import RunId, RunKind, RunStatus, Sentence
from bertdesk.core.owner import unsure
from bertdesk.gui.common.errors import delete_anyway_question, translated_text
from bertdesk.gui.training.train_curves import TrainingCurves
from bertdesk.gui.training.live_events import format_duration
from bertdesk.gui.training.train_settings import base_model_title, ensemble_title, preset_name
from bertdesk.ml.family import FAST
from bertdesk.ml.models.fast import BASELINE_NOT_BEATEN, beats_baseline
from bertdesk.ml.training import can_resume
from bertdesk.store import Project, RunInfo


KIND_COLUMN = 1
BASE_MODEL_COLUMN = 3
SETTINGS_COLUMN = 4
ACCURACY_COLUMN = 6
BASELINE_COLUMN = 8
STATUS_COLUMN = 9


translate = QCoreApplication.translate


def _score(metrics: dict[str, Any], name: str) -> str:
    value = metrics.get(name)
    return f"{value:.1%}" if isinstance(value, (int, float)) else "–"


def run_kind_title(run: RunInfo) -> str:
    """What a run is, in a word: fine-tuned, fast, cross-validation or ensemble."""
    if run.kind is RunKind.CROSS_VALIDATION:
        return translate("RunKinds", "cross-validation")
    if run.kind is RunKind.ENSEMBLE:
        return translate("RunKinds", "ensemble")
    if run.base_model == FAST:
        return translate("RunKinds", "fast")
    return translate("RunKinds", "fine-tuned")


def run_kind_tip(run: RunInfo) -> str:
    """What a run of this kind keeps, and so what it can be used for."""
    if run.kind is RunKind.CROSS_VALIDATION:
        return translate(
            "RunKinds",
            "A cross-validation: one model per fold, each scored on the texts it did not learn from. "
            "It keeps their scores and out-of-fold probabilities, not a model, so it cannot be used "
            "for prediction."
        )
    if run.kind is RunKind.ENSEMBLE:
        members = run.params.get("members", [])
        weights = ", ".join(f"#{member['run_id']} × {member['weight']:.2f}" for member in members)
        return translate(
            "RunKinds", "An ensemble: the weighted mean of its runs' probabilities ({weights})."
        ).format(weights=weights)
    if run.base_model == FAST:
        return translate("RunKinds", "The fast model (TF-IDF + linear), fitted on the labelled training texts.")
    return translate("RunKinds", "A transformer fine-tuned on the labelled training texts.")


def can_combine(run: RunInfo) -> bool:
    """Whether a run may be an ensemble's member: finished, with a model (any kind but a cross-validation)."""
    return run.status is RunStatus.FINISHED and run.kind is not RunKind.CROSS_VALIDATION


def _settings_title(run: RunInfo) -> str:
    """The settings column: a fine-tuning's preset, a cross-validation's folds, an ensemble's weights."""
    if run.kind is RunKind.CROSS_VALIDATION:
        return translate("RunKinds", "%n fold(s)", "", int(run.params.get("folds", 0)))
    if run.kind is RunKind.ENSEMBLE:
        if run.params.get("combination") == "fitted":
            return translate("RunKinds", "fitted weights")
        return translate("RunKinds", "average")
    return "–" if run.base_model == FAST else preset_name(str(run.params.get("config", {}).get("preset", "")))


class RunHistory(QWidget):
    """A table of runs above the curves of the selected ones."""

    current_run_chosen = Signal(object)  # RunId
    combine_requested = Signal(list)  # RunIds selected when "Combine runs…" was pressed
    # RunIds the user agreed to delete (ops.delete_runs does it), and whether the user said
    # that runs recorded as running which this computer cannot check have ended (its force).
    delete_requested = Signal(list, bool)
    resume_requested = Signal(object)  # RunId of a stopped run to carry on

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.current_run: Optional[RunId] = None
        self._runs: list[RunInfo] = []
        headers = [
            self.tr("Run"), self.tr("Kind"), self.tr("Started"), self.tr("Base model"), self.tr("Settings"),
            self.tr("Duration"), self.tr("Accuracy"), self.tr("Macro-F1"), self.tr("Baseline"),
            self.tr("Status"),
        ]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # Every column as wide as its contents, but the base model's, which takes what is left
        # (its full name in the tooltip): the status at the end is never cut off.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BASE_MODEL_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(30)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setWordWrap(False)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.use_button = QPushButton(self.tr("Use for prediction"))
        self.resume_button = QPushButton(self.tr("Resume"))
        self.resume_button.setToolTip(self.tr("Carry the selected stopped run on from the step it stopped at."))
        self.combine_button = QPushButton(self.tr("Combine runs…"))
        self.combine_button.setToolTip(self.tr(
            "Make an ensemble of two or more finished runs: the mean of their probabilities, "
            "stored as a new run."
        ))
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.hint = QLabel(self.tr("Select a run to see its curves; select several to compare them."))
        self.hint.setWordWrap(True)  # it gives way to the buttons rather than squeeze the curves
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.combine_button)
        buttons.addWidget(self.delete_button)
        self.curves = TrainingCurves()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table)
        top_layout.addLayout(buttons)
        # Side by side: the history stays short when it sits under the training panel. The
        # table takes three fifths, so its ten columns fit at 1200 pixels without scrolling.
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(top)
        splitter.addWidget(self.curves)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.use_button.clicked.connect(self._use_selected)
        self.resume_button.clicked.connect(lambda: self.resume_requested.emit(self.selected_runs()[0]))
        self.combine_button.clicked.connect(lambda: self.combine_requested.emit(self.selected_runs()))
        self.delete_button.clicked.connect(self._ask_delete)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the runs (after a run ended, or another window changed them)."""
        selected = set(self.selected_runs())
        self._runs = list(reversed(self.project.runs()))
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._runs))
        for row, run in enumerate(self._runs):
            self._fill_row(row, run)
        self.select_runs(list(selected))
        self.table.blockSignals(False)
        self._selection_changed()

    def _fill_row(self, row: int, run: RunInfo) -> None:
        started = datetime.datetime.fromtimestamp(run.started_at).strftime("%m-%d %H:%M")
        config = run.params.get("config", {})
        found = run.metrics.get("baseline")
        baseline: dict[str, Any] = found if isinstance(found, dict) else {}
        details = ", ".join(
            f"{key}={config[key]}" for key in ("epochs", "learning_rate", "batch_size", "max_length")
            if key in config
        )
        marker = "★ " if run.id == self.current_run else ""
        base_model = ensemble_title(run) if run.kind is RunKind.ENSEMBLE else base_model_title(run.base_model)
        cells = [
            f"{marker}#{run.id}", run_kind_title(run), started, base_model, _settings_title(run),
            format_duration(run.duration) if run.duration is not None else "–",
            _score(run.metrics, "accuracy"), _score(run.metrics, "macro_f1"),
            _score(baseline, "macro_f1"), translated_text(run.status.words),
        ]
        for column, value in enumerate(cells):
            item = QTableWidgetItem(value)
            item.setData(Qt.ItemDataRole.UserRole, run.id)
            if column == KIND_COLUMN:
                item.setToolTip(run_kind_tip(run))
            if column == BASE_MODEL_COLUMN:
                item.setToolTip(value)
            if column == SETTINGS_COLUMN and details and run.base_model != FAST:
                item.setToolTip(details)
            if column == BASELINE_COLUMN and baseline:
                item.setToolTip(self._baseline_tip(run.metrics))
            if column == STATUS_COLUMN and (run.error or _unsure(run)):
                item.setToolTip(translated_text(run.error or _unsure(run) or ""))
            if run.id == self.current_run:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, column, item)

    def _baseline_tip(self, metrics: dict[str, Any]) -> str:
        baseline = metrics["baseline"]
        tip = self.tr(
            "The fast baseline (TF-IDF + linear) on the same texts: accuracy {accuracy}, macro-F1 {macro}."
        ).format(accuracy=_score(baseline, "accuracy"), macro=_score(baseline, "macro_f1"))
        if beats_baseline(metrics) is False:
            tip += "\n" + translated_text(BASELINE_NOT_BEATEN)
        return tip

    def selected_runs(self) -> list[RunId]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._runs[row].id for row in rows if row < len(self._runs)]

    def select_runs(self, run_ids: list[RunId]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row, run in enumerate(self._runs):
            if run.id in run_ids:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def _selection_changed(self) -> None:
        chosen = [run for run in self._runs if run.id in set(self.selected_runs())]
        self.curves.show_runs([(f"#{run.id}", run.history) for run in chosen])
        cross_validation = len(chosen) == 1 and chosen[0].kind is RunKind.CROSS_VALIDATION
        self.use_button.setEnabled(
            len(chosen) == 1 and not cross_validation
            and chosen[0].status in (RunStatus.FINISHED, RunStatus.CANCELLED) and bool(chosen[0].path)
        )
        self.use_button.setToolTip(self.tr(
            "A cross-validation keeps no single model (one per fold, each dropped once scored), so "
            "it cannot predict. Use a training run, or train one on all the texts."
        ) if cross_validation else self.tr("Make the selected run the project's current model."))
        self.combine_button.setEnabled(sum(can_combine(run) for run in self._runs) >= 2)
        self.resume_button.setEnabled(len(chosen) == 1 and can_resume(self.project, chosen[0].id))
        self.delete_button.setEnabled(
            bool(chosen) and all(run.status is not RunStatus.RUNNING or _unsure(run) is not None for run in chosen)
        )

    def set_current_run(self, run_id: Optional[RunId]) -> None:
        """Mark the project's current model (the session tells us)."""
        self.current_run = run_id
        self.refresh()

    def _use_selected(self) -> None:
        chosen = self.selected_runs()
        if len(chosen) == 1:
            self.set_current_run(chosen[0])
            self.current_run_chosen.emit(chosen[0])

    def _ask_delete(self) -> None:
        chosen = self.selected_runs()
        if not chosen:
            return
        question = [self.tr("Delete {count} run(s) and their model files? This cannot be undone.").format(
            count=len(chosen))]
        doubts = list(filter(None, (_unsure(run) for run in self._runs if run.id in chosen)))
        question += [delete_anyway_question(doubt) for doubt in doubts]
        answer = QMessageBox.question(self, self.tr("Delete runs"), "\n\n".join(question))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(chosen, bool(doubts))


def _unsure(run: RunInfo) -> Optional[Sentence]:
    """Why ``run`` is recorded as running by a process this computer cannot check; None
    where it is not (bertdesk.core.owner)."""
    return unsure(run.job, run.status, run.owner)
