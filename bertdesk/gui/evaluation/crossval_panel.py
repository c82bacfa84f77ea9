"""Cross-validation in the Evaluate tab: is the model as good as it looks?

"Cross-validate…" asks for the model and the number of folds, then runs
``ml.crossval.cross_validate`` in the background with progress and Cancel (a cancel stores
nothing). The panel shows the latest cross-validation run of the project: each fold's scores
and their mean ± standard deviation, read from the stored run, so it looks the same after the
project is reopened. The run also lists in the run history; it keeps no model, so it is never
offered for prediction.
"""

from __future__ import annotations

import html
from typing import Any, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import CancelToken, ProgressCallback, RunKind, RunStatus
from bertdesk.gui.common.errors import translated_text
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.evaluation.analysis_job import AnalysisPanel
from bertdesk.gui.evaluation.analysis_settings import CrossValidationDialog
from bertdesk.gui.evaluation.figure_tables import fill_table, results_table
from bertdesk.gui.training.live_events import format_duration
from bertdesk.gui.training.train_settings import base_model_title
from bertdesk.ml.metrics import shown_scores
from bertdesk.ops import OpChanges
from bertdesk.store import RunInfo

FOLD_SCORES = ("accuracy", "macro_f1", "weighted_f1", "loss")  # ml.crossval.SUMMARY_METRICS


def score_text(name: str, value: float) -> str:
    """A score as the tables show it: shares as percentages, the loss as a number."""
    return f"{value:.3f}" if name == "loss" else f"{value:.1%}"


def spread_text(name: str, value: float) -> str:
    """A standard deviation: percentage points for shares (1.8 for 0.018), a number for the loss."""
    return f"{value:.3f}" if name == "loss" else f"{value * 100:.1f}"


def latest_cross_validation_run(runs: list[RunInfo]) -> Optional[RunInfo]:
    found = [run for run in runs if run.kind is RunKind.CROSS_VALIDATION and run.status is RunStatus.FINISHED]
    return found[-1] if found else None


class CrossValidationPanel(AnalysisPanel):
    """The "Cross-validate…" button, its progress, and the latest cross-validation's folds."""

    review_requested = Signal()  # the person wants to review the likely label errors it found
    finished = Signal(object)  # RunId of a cross-validation just stored

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.run: Optional[RunInfo] = None
        self.intro.setText(self.tr(
            "Is the model as good as it looks? Cross-validation fits one model per fold and scores "
            "each on texts it did not learn from: the spread between folds shows how much a score "
            "varies by chance."
        ))
        self.start_button.setText(self.tr("Cross-validate…"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.table = results_table([self.tr("Fold"), self.tr("Texts"), self.tr("Accuracy"), self.tr("Macro-F1"),
                                    self.tr("Weighted-F1"), self.tr("Loss")])
        self.per_label = results_table([self.tr("Label"), self.tr("Precision"), self.tr("Recall"), self.tr("F1"),
                                        self.tr("Texts")])
        self.per_label_title = QLabel(self.tr("Per label, from every text's out-of-fold prediction"))
        tables = QGridLayout()
        tables.setContentsMargins(0, 0, 0, 0)
        tables.addWidget(QLabel(self.tr("Per fold")), 0, 0)
        tables.addWidget(self.per_label_title, 0, 1)
        tables.addWidget(self.table, 1, 0, Qt.AlignmentFlag.AlignTop)
        tables.addWidget(self.per_label, 1, 1, Qt.AlignmentFlag.AlignTop)
        tables.setColumnStretch(0, 3)
        tables.setColumnStretch(1, 2)
        self.results = QWidget()
        self.results.setLayout(tables)
        self.note = QLabel(self.tr(
            "Two models whose scores differ by less than the spread may be equally good. Every "
            "text was predicted by a model that did not learn from it: texts whose label that "
            "model doubts are likely label errors."
        ))
        self.note.setWordWrap(True)
        self.review_button = QPushButton(self.tr("Review likely label errors"))
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignTop)
        self.next_steps = QWidget()
        self.next_steps.setLayout(bottom)
        layout = QVBoxLayout(self)
        self.add_header(layout)
        layout.addWidget(self.summary)
        layout.addWidget(self.results)
        layout.addWidget(self.next_steps)
        layout.addStretch(1)

        self.review_button.clicked.connect(self.review_requested)
        self.job_bar.succeeded.connect(self._stored)
        session.runs_changed.connect(self.show_latest)
        self.show_latest()

    # ------------------------------------------------------------------- running
    def ask_and_start(self) -> None:
        """Ask for the model and folds, then start."""
        if self.job_bar.running:
            return
        dialog = CrossValidationDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start(dialog.config(), dialog.folds())

    def start(self, config: Any, folds: int) -> None:
        """Cross-validate in the background; the project is written only once every fold is done."""
        project = self.project

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            """Runs on the worker thread."""
            from bertdesk.ml.crossval import cross_validate

            return cross_validate(project, config, folds, progress, cancel).run_id

        self.run_in_background("cross-validation", work, self.tr("Preparing the folds…"))

    def stopped_text(self) -> str:
        return self.tr("Cross-validation stopped. Nothing was stored.")

    def failure_title(self) -> str:
        return self.tr("Cross-validation failed")

    def _stored(self, run_id: Any) -> None:
        self.session.refresh(OpChanges(runs=True))  # the run history and this panel read it again
        self.finished.emit(run_id)

    # ------------------------------------------------------------------- showing
    def show_latest(self) -> None:
        """Show the project's newest finished cross-validation (after one ended or runs changed)."""
        self.show_run(latest_cross_validation_run(self.project.runs()))

    def show_run(self, run: Optional[RunInfo]) -> None:
        from bertdesk.ml.crossval import training_only_note

        self.run = run
        self.results.setVisible(run is not None)
        self.next_steps.setVisible(run is not None)
        self.review_button.setEnabled(not self.project.multi_label)
        if run is None:
            self.summary.setText(self.tr(
                "No cross-validation yet. Press Cross-validate…: with the fast model it takes seconds."
            ))
            return
        folds: list[dict[str, Any]] = run.metrics.get("folds", [])
        std: dict[str, float] = run.metrics.get("std", {})
        self.summary.setText(self.tr(
            "<b>Cross-validation #{run}</b> · {folds} folds of {texts} labelled texts outside the "
            "test split · {model} · {duration}<br>Accuracy <b>{accuracy}</b> ± {accuracy_std} "
            "points · macro-F1 <b>{macro}</b> ± {macro_std} points (mean ± standard deviation "
            "over the folds)"
        ).format(
            run=run.id, folds=len(folds), texts=f"{sum(fold['size'] for fold in folds):,}",
            model=html.escape(base_model_title(run.base_model)),
            duration=format_duration(run.duration or 0.0),
            accuracy=score_text("accuracy", run.metrics["accuracy"]),
            accuracy_std=spread_text("accuracy", std.get("accuracy", 0.0)),
            macro=score_text("macro_f1", run.metrics["macro_f1"]),
            macro_std=spread_text("macro_f1", std.get("macro_f1", 0.0)),
        ) + "".join(f"<br>{html.escape(translated_text(note))}" for note in [training_only_note(run.params)] if note))
        rows = [[str(fold["fold"]), f"{fold['size']:,}", *(score_text(name, fold[name]) for name in FOLD_SCORES)]
                for fold in folds]
        rows.append([self.tr("Mean ± std"), "", *(
            f"{score_text(name, run.metrics[name])} ± {spread_text(name, std.get(name, 0.0))}"
            for name in FOLD_SCORES
        )])
        fill_table(self.table, rows, bold_last=True)
        per_class: list[dict[str, Any]] = run.metrics.get("out_of_fold", {}).get("per_class", [])
        fill_table(self.per_label, [
            [entry["label"], *shown_scores(entry, ".1%"), f"{entry['support']:,}"] for entry in per_class
        ])
        self.per_label.setVisible(bool(per_class))
        self.per_label_title.setVisible(bool(per_class))
