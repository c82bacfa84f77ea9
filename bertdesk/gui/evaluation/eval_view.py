"""The evaluation view: how good a trained run is, where it goes wrong, and fixing labels there.

For the chosen run and split it shows accuracy, macro-F1, the per-class table and the confusion
matrix. Clicking a cell lists those texts with their true and predicted label and confidence;
any of them can be relabelled on the spot (``ops.relabel``: saved to the project at once, undoable,
through the session, which refreshes the other views). "Find likely
mislabelled texts" shows ``ops.likely_mislabelled``: label noise floats up.
The work (predicting a split) runs in a background job; the view only lays out plain data.

Beside the run's report, three pages ask whether the model or the data is the problem, over
every labelled text rather than one run: cross-validation (``crossval_panel``), the review of
likely label errors it finds (``label_review``) and the learning curve (``learning_curve_panel``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import BertdeskError, CancelToken, ExampleId, ProgressCallback, RunId, RunStatus, Split
from bertdesk.gui.common.errors import error_text
from bertdesk.gui.evaluation.crossval_panel import CrossValidationPanel
from bertdesk.gui.evaluation.eval_confusion import (
    ConfusionModel,
    confusion_from_examples,
    given_label,
    write_report_csv,
)
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.gui.common.bidi import text_alignment
from bertdesk.gui.common.label_names import fit_label_combo
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.evaluation.label_review import LabelErrorReview
from bertdesk.gui.evaluation.learning_curve_panel import LearningCurvePanel
from bertdesk.gui.training.train_settings import run_title
from bertdesk.ml.metrics import shown_scores
from bertdesk.ops import likely_mislabelled, relabel

EVALUATED_SPLITS = (Split.VALIDATION, Split.TEST, Split.TRAIN)


class EvalExampleTable(QWidget):
    """Texts with their given and predicted labels, and a bar to relabel the selected ones."""

    relabel_requested = Signal(list, str)  # example ids, label name

    def __init__(self, show_loss: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.examples: list[dict[str, Any]] = []
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        headers = [self.tr("Text"), self.tr("Given label"), self.tr("Predicted"), self.tr("Confidence")]
        if show_loss:
            headers.append(self.tr("Loss"))
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.label_box = fit_label_combo(QComboBox())
        self.relabel_button = QPushButton(self.tr("Give selected texts this label"))
        self.relabel_button.clicked.connect(self._relabel_selected)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Correct the label:")))
        bar.addWidget(self.label_box, 1)
        bar.addWidget(self.relabel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)

    def set_label_names(self, names: Sequence[str]) -> None:
        self.label_box.clear()
        self.label_box.addItems(list(names))

    def show_examples(self, caption: str, examples: Sequence[dict[str, Any]]) -> None:
        self.caption.setText(caption)
        self.examples = list(examples)
        self.table.setRowCount(len(self.examples))
        show_loss = self.table.columnCount() > 4
        for row, example in enumerate(self.examples):
            cells = [
                example["text"], ", ".join(example["true"]), example["predicted"],
                f"{example['confidence']:.0%}",
            ]
            if show_loss:
                cells.append(f"{example.get('loss', 0.0):.2f}")
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if column == 0:
                    item.setToolTip(str(value))
                    item.setTextAlignment(text_alignment(str(value)))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.relabel_button.setEnabled(bool(self.examples))

    def select_rows(self, rows: Sequence[int]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in rows:
            self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def _relabel_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows or not self.label_box.currentText():
            return
        ids = [self.examples[row]["example_id"] for row in rows]
        self.relabel_requested.emit(ids, self.label_box.currentText())


class EvalView(QWidget):
    """Pick a run and a split; read the numbers, inspect the mistakes, fix labels."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.report: Optional[Any] = None
        self.job: Optional[BackgroundJob[Any]] = None
        self.relabelled: set[ExampleId] = set()
        self._cell: Optional[tuple[int, int]] = None

        self.run_box = QComboBox()
        self.run_box.setMinimumContentsLength(28)
        self.split_box = QComboBox()
        self.split_box.addItem(self.tr("Validation texts"), Split.VALIDATION)
        self.split_box.addItem(self.tr("Test texts"), Split.TEST)
        self.evaluate_button = QPushButton(self.tr("Evaluate"))
        self.mislabelled_button = QPushButton(self.tr("Find likely mislabelled texts"))
        self.mislabelled_button.setToolTip(self.tr(
            "Ranks validation and training texts by how unlikely the model finds their given "
            "label. Wrong labels tend to come first."
        ))
        self.csv_button = QPushButton(self.tr("Export CSV…"))
        self.png_button = QPushButton(self.tr("Export PNG…"))
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Run:")))
        top.addWidget(self.run_box, 2)
        top.addWidget(QLabel(self.tr("Texts:")))
        top.addWidget(self.split_box, 1)
        top.addWidget(self.evaluate_button)
        top.addWidget(self.mislabelled_button)
        top.addStretch()
        top.addWidget(self.csv_button)
        top.addWidget(self.png_button)

        self.report_area = QWidget()
        self.summary = QLabel(self.tr("Choose a trained run and press Evaluate."))
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.per_class = QTableWidget(0, 5)
        self.per_class.setHorizontalHeaderLabels(
            [self.tr("Label"), self.tr("Precision"), self.tr("Recall"), self.tr("F1"), self.tr("Texts")]
        )
        self.per_class.verticalHeader().setVisible(False)
        self.per_class.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.per_class.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion_model = ConfusionModel()
        self.confusion = QTableView()
        self.confusion.setModel(self.confusion_model)
        self.confusion.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.confusion.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion.setMinimumHeight(160)
        self.confusion.clicked.connect(self._cell_clicked)
        report_layout = QGridLayout(self.report_area)
        report_layout.addWidget(self.summary, 0, 0, 1, 2)
        report_layout.addWidget(QLabel(self.tr("Per label")), 1, 0)
        report_layout.addWidget(self.per_class, 2, 0)
        axes = QLabel(self.tr("Confusion matrix: rows = given label, columns = predicted. Click a cell."))
        axes.setWordWrap(True)
        report_layout.addWidget(axes, 1, 1)
        report_layout.addWidget(self.confusion, 2, 1)
        report_layout.setColumnStretch(0, 1)
        report_layout.setColumnStretch(1, 1)

        self.cell_examples = EvalExampleTable(show_loss=False)
        self.mislabelled = EvalExampleTable(show_loss=True)
        self.lists = QTabWidget()
        self.lists.addTab(self.cell_examples, self.tr("Texts in the chosen cell"))
        self.lists.addTab(self.mislabelled, self.tr("Most likely mislabelled"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.report_area)
        splitter.addWidget(self.lists)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        report_page = QWidget()
        page_layout = QVBoxLayout(report_page)
        page_layout.addLayout(top)
        page_layout.addWidget(self.progress)
        page_layout.addWidget(splitter, 1)
        # Is it the model or the data? Analyses of every labelled text, beside the run's report.
        self.cross_validation = CrossValidationPanel(session)
        self.label_errors = LabelErrorReview(session)
        self.learning_curve = LearningCurvePanel(session)
        self.pages = QTabWidget()
        self.pages.addTab(report_page, self.tr("Run report"))
        self.pages.addTab(self.cross_validation, self.tr("Cross-validation"))
        self.pages.addTab(self.label_errors, self.tr("Likely label errors"))
        self.pages.addTab(self.learning_curve, self.tr("Learning curve"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.cross_validation.review_requested.connect(lambda: self.pages.setCurrentWidget(self.label_errors))
        self.label_errors.cross_validate_requested.connect(self._cross_validate_from_review)

        self.evaluate_button.clicked.connect(self.evaluate)
        self.mislabelled_button.clicked.connect(self.find_mislabelled)
        self.csv_button.clicked.connect(self._ask_export_csv)
        self.png_button.clicked.connect(self._ask_export_png)
        self.cell_examples.relabel_requested.connect(self.relabel)
        self.mislabelled.relabel_requested.connect(self.relabel)
        self.refresh_runs()
        self._update_buttons()
        session.runs_changed.connect(self.refresh_runs)
        session.current_run_changed.connect(self.set_run)

    # ------------------------------------------------------------------ runs
    def refresh_runs(self) -> None:
        """Re-read the runs that have a model (after training, deleting, renaming)."""
        chosen = self.run_box.currentData()
        self.run_box.blockSignals(True)
        self.run_box.clear()
        for run in reversed(self.project.runs()):
            if run.status in (RunStatus.FINISHED, RunStatus.CANCELLED) and run.path:
                accuracy = run.metrics.get("accuracy")
                score = f" · {accuracy:.1%}" if isinstance(accuracy, (int, float)) else ""
                self.run_box.addItem(run_title(run) + score, run.id)
        index = self.run_box.findData(chosen)
        self.run_box.setCurrentIndex(max(index, 0))
        self.run_box.blockSignals(False)
        self._update_buttons()

    def set_run(self, run_id: Optional[RunId]) -> None:
        """Show this run (the session's current run) and evaluate it. Nobody asked for this
        evaluation (a project opened, a run finished): a failure is said here, in the report,
        not in a window over whatever tab the user is working in."""
        self.refresh_runs()
        index = self.run_box.findData(run_id)
        if index >= 0:
            self.run_box.setCurrentIndex(index)
            self._evaluate(asked=False)

    def current_run(self) -> Optional[RunId]:
        value = self.run_box.currentData()
        return None if value is None else RunId(int(value))

    # ------------------------------------------------------------ evaluation
    def evaluate(self) -> None:
        """Evaluate the chosen run, as the Evaluate button asks: a failure gets a message box too."""
        self._evaluate(asked=True)

    def _evaluate(self, asked: bool) -> None:
        run_id = self.current_run()
        if run_id is None or self._busy():
            return
        split = Split(self.split_box.currentData())
        project = self.project

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            from bertdesk.ml.evaluation import evaluate_run

            return evaluate_run(project, run_id, split, progress, cancel)

        self._start(self.tr("Evaluating…"), work, self._show_report,
                    lambda error: self._evaluation_failed(error, asked))

    def find_mislabelled(self) -> None:
        """Rank validation and training texts by the loss of their given label."""
        run_id = self.current_run()
        if run_id is None or self._busy():
            return
        project = self.project

        def work(progress: ProgressCallback, cancel: CancelToken) -> list[dict[str, Any]]:
            return likely_mislabelled(project, run_id, progress, cancel)

        self._start(self.tr("Scoring validation and training texts…"), work, self._show_mislabelled,
                    lambda error: QMessageBox.warning(self, self.tr("Evaluation failed"), self._failure_text(error)))

    def _busy(self) -> bool:
        return self.job is not None and self.job.running

    def _start(self, message: str, work: Any, on_result: Any, on_failure: Any) -> None:
        self.job = BackgroundJob("evaluation", work, self)
        self.job.progressed.connect(lambda fraction, text: self._show_progress(fraction, text))
        self.job.succeeded.connect(on_result)
        self.job.failed.connect(on_failure)
        self.job.succeeded.connect(self._job_done)
        self.job.failed.connect(self._job_done)
        self.job.cancelled.connect(self._job_done)
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self.progress.setFormat(message)
        self._update_buttons()
        self.job.start()

    def _show_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 100))
        if message:
            self.progress.setFormat(f"{message} %p%")

    def _job_done(self, *_: object) -> None:
        self.progress.setVisible(False)
        self._update_buttons()

    def _failure_text(self, error: BaseException) -> str:
        text = error_text(error)
        if not isinstance(error, BertdeskError):
            text = self.tr("The run could not be evaluated: {error}").format(error=text) + "\n\n" + self.tr(
                "Is its model folder still there? Try training again."
            )
        return text

    def _evaluation_failed(self, error: BaseException, asked: bool) -> None:
        """No report: the reason stands where it would be, and the last run's report goes."""
        text = self._failure_text(error)
        self.report = None
        self.summary.setText("<b>{}</b>".format(html.escape(text).replace("\n", "<br>")))
        self.per_class.setRowCount(0)
        self.confusion_model.set_matrix([], [])
        self.cell_examples.show_examples("", [])
        self._update_buttons()
        if asked:
            QMessageBox.warning(self, self.tr("Evaluation failed"), text)

    def _update_buttons(self) -> None:
        has_run = self.current_run() is not None
        idle = not self._busy()
        self.evaluate_button.setEnabled(has_run and idle)
        self.mislabelled_button.setEnabled(has_run and idle)
        self.csv_button.setEnabled(self.report is not None)
        self.png_button.setEnabled(self.report is not None)

    def _show_report(self, report: Any) -> None:
        self.report = report
        self.relabelled.clear()
        names = list(report.label_names)
        self.cell_examples.set_label_names(names)
        self.mislabelled.set_label_names(names)
        self._show_summary(report)
        self.per_class.setRowCount(len(report.per_class))
        for row, entry in enumerate(report.per_class):
            cells = [entry["label"], *shown_scores(entry, ".1%"), str(entry["support"])]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.per_class.setItem(row, column, item)
        self.confusion_model.set_matrix(names, report.confusion)
        self._cell = None
        self.cell_examples.show_examples(self.tr("Click a cell of the confusion matrix to list its texts."), [])
        self._update_buttons()

    def _show_summary(self, report: Any) -> None:
        split = self.split_box.itemText(self.split_box.findData(Split(report.split)))
        text = self.tr(
            "<b>{split}</b>: {count} text(s) · accuracy <b>{accuracy:.1%}</b> · macro-F1 "
            "<b>{macro:.1%}</b> · micro-F1 {micro:.1%} · weighted-F1 {weighted:.1%}",
            "", len(report.examples),
        ).format(
            split=split or report.split, count=f"{len(report.examples):,}", accuracy=report.accuracy,
            macro=report.macro_f1, micro=report.micro_f1, weighted=report.weighted_f1,
        )
        if self.relabelled:
            text += "<br>" + self.tr(
                "{count} label(s) corrected since this evaluation: the matrix shows the corrected "
                "labels, the scores are from before. Evaluate again to update them.", "",
                len(self.relabelled),
            ).format(count=f"{len(self.relabelled):,}")
        self.summary.setText(text)

    def _cell_clicked(self, index: QModelIndex) -> None:
        self.show_cell(index.row(), index.column())

    def show_cell(self, true_index: int, predicted_index: int) -> None:
        """List the texts of one confusion-matrix cell (given label, predicted label)."""
        if self.report is None:
            return
        self._cell = (true_index, predicted_index)
        names = self.report.label_names
        true, predicted = names[true_index], names[predicted_index]
        found = [
            example for example in self.report.examples
            if given_label(example) == true and example["predicted"] == predicted
        ]
        found.sort(key=lambda example: example["confidence"], reverse=True)
        caption = self.tr(
            "{count} text(s) labelled “{true}”, predicted “{predicted}”", "", len(found)
        ).format(count=f"{len(found):,}", true=true, predicted=predicted)
        self.cell_examples.show_examples(caption, found)
        self.lists.setCurrentWidget(self.cell_examples)

    def _show_mislabelled(self, ranked: list[dict[str, Any]]) -> None:
        if self.report is None:
            self.cell_examples.set_label_names(self._label_names())
            self.mislabelled.set_label_names(self._label_names())
        self.mislabelled.show_examples(
            self.tr("Texts whose given label the model finds least likely (highest loss first)"),
            ranked,
        )
        self.lists.setCurrentWidget(self.mislabelled)

    def _label_names(self) -> list[str]:
        return [label.name for label in self.project.labels()]

    # --------------------------------------------------------------- relabel
    def relabel(self, example_ids: list[ExampleId], label_name: str) -> None:
        """Save the new label at once, then update every list and the matrix from it."""
        self.session.run_op(relabel, example_ids, label_name)
        changed = set(example_ids)
        self.relabelled |= changed
        tables = (self.cell_examples, self.mislabelled)
        examples = [*(self.report.examples if self.report else []), *(e for t in tables for e in t.examples)]
        for example in examples:
            if example["example_id"] in changed:
                example["true"] = [label_name]
        if self.report is not None:
            self.confusion_model.set_matrix(
                self.report.label_names,
                confusion_from_examples(self.report.label_names, self.report.examples),
            )
            self._show_summary(self.report)
            if self._cell is not None:
                self.show_cell(*self._cell)
        self.mislabelled.show_examples(self.mislabelled.caption.text(), self.mislabelled.examples)

    # ---------------------------------------------------------------- export
    def _ask_export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the report as CSV"), "evaluation.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_csv(Path(path))

    def _ask_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the report as an image"), "evaluation.png", self.tr("PNG images (*.png)")
        )
        if path:
            self.export_png(Path(path))

    def export_csv(self, path: Path) -> None:
        """Metrics, per-label table and confusion matrix (with any corrections made here)."""
        if self.report is not None:
            write_report_csv(path, self.report, self.confusion_model.matrix)

    def export_png(self, path: Path) -> None:
        """A picture of the numbers, the per-label table and the matrix, as shown."""
        if not self.report_area.grab().save(str(path), "PNG"):
            QMessageBox.warning(
                self, self.tr("Export failed"),
                self.tr("Could not write {path}. Choose a folder you can write to.").format(path=path),
            )

    def _cross_validate_from_review(self) -> None:
        self.pages.setCurrentWidget(self.cross_validation)
        self.cross_validation.ask_and_start()

    def shutdown(self) -> None:
        """Stop and join a running evaluation or analysis (closing the project or the window)."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
        for panel in (self.cross_validation, self.label_errors, self.learning_curve):
            panel.shutdown()
