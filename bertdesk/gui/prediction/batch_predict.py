"""Batch prediction: a whole file, or the project's unlabelled texts, with progress and cancel.

A file is read with the same importers as File ▸ Import (encoding detection, column choice)
and predicted by ``predict_file`` straight into the chosen CSV/XLSX/JSONL, which appears only
when every row is done: a cancel leaves no file. The saved rows are then read back, with the
same importer, into a table that sorts by any column and filters by confidence. The table
starts in the file's order, and says of each text how much of it the model does not know: an
answer on words it lacks is a guess, however confident.

The project's unlabelled texts are predicted by ``predict_project``, which stores the answers
as the run's suggestions in one write; the session then tells the labeling view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import BertdeskError, CancelToken, ExampleId, ProgressCallback, RunId
from bertdesk.gui.common.bidi import text_alignment
from bertdesk.gui.common.delimiters import delimiter_choices
from bertdesk.gui.common.errors import error_text, translated_text
from bertdesk.gui.common.style import WARNING_COLOUR
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.io import CHOOSABLE_ENCODINGS, ImportOptions
from bertdesk.ml.coverage import GUESS_WARNING
from bertdesk.ml.models import load_predictor, unknown_shares
from bertdesk.ops import OpChanges
from bertdesk.store import ExampleFilter, Project

TABLE_LIMIT = 100_000  # rows shown; the saved file always holds them all
SortRole = Qt.ItemDataRole.UserRole
ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass
class BatchResult:
    """What a finished batch hands the table: plain values only."""

    labels: list[str]
    texts: list[str]
    probabilities: list[list[float]]
    total: int  # rows predicted; more than ``len(texts)`` when the table shows only the first
    example_ids: list[ExampleId]  # project texts only
    unknown_shares: list[float]  # per text, the share of its words the model does not know
    empty: int = 0  # a file's rows left out for having no text
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # a file's lines left out: (line, why)

    def guesses(self) -> int:
        """How many of the texts hold so many unknown words that their answer is a guess."""
        return sum(share > GUESS_WARNING for share in self.unknown_shares)


class PredictionTableModel(QAbstractTableModel):
    """Text, predicted label, confidence, unknown words and one probability column per label."""

    FIXED_COLUMNS = 4

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.result = BatchResult([], [], [], 0, [], [])

    def set_result(self, result: BatchResult) -> None:
        self.beginResetModel()
        self.result = result
        self.endResetModel()

    def confidence(self, row: int) -> float:
        return max(self.result.probabilities[row], default=0.0)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.result.texts)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.FIXED_COLUMNS + len(self.result.labels)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        fixed = [self.tr("Text"), self.tr("Predicted label"), self.tr("Confidence"),
                 self.tr("Unknown words")]
        if section < self.FIXED_COLUMNS:
            return fixed[section]
        return self.result.labels[section - self.FIXED_COLUMNS]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        probabilities = self.result.probabilities[row]
        if column == 0:
            value: Any = self.result.texts[row]
        elif column == 1:
            best = max(range(len(probabilities)), key=probabilities.__getitem__)
            value = self.result.labels[best]
        elif column == 2:
            value = self.confidence(row)
        elif column == 3:
            value = self.result.unknown_shares[row]
        else:
            value = probabilities[column - self.FIXED_COLUMNS]
        if role == SortRole:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return " ".join(value.split())
            return value if column == 1 else f"{value * 100:.{0 if column == 3 else 1}f} %"
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return value
        guess = self.result.unknown_shares[row] > GUESS_WARNING
        if role == Qt.ItemDataRole.ToolTipRole and guess and column in (2, 3):
            return self.tr("The model does not know most of this text's words: its answer is a guess.")
        if role == Qt.ItemDataRole.ForegroundRole and guess and column in (2, 3):
            return QColor(WARNING_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return text_alignment(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ConfidenceFilter(QSortFilterProxyModel):
    """Sorts by the raw values and keeps rows whose confidence lies in [low, high]."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.low, self.high = 0.0, 1.0
        self.setSortRole(SortRole)

    def set_range(self, low: float, high: float) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            self.low, self.high = low, high
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.low, self.high = low, high
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, PredictionTableModel)
        return self.low <= model.confidence(source_row) <= self.high


def read_predictions(
    path: Path, text_column: str, labels: list[str], probability_columns: list[str], limit: int
) -> BatchResult:
    """Read a file written by ``predict_file`` back with the importer, for the table: the
    probabilities from the columns it wrote (a file predicted before holds older ones too).

    Runs on the worker thread.
    """
    from bertdesk.io import iter_records

    options = ImportOptions(text_column=text_column, skip_duplicates=False, keep_metadata=True)
    texts: list[str] = []
    probabilities: list[list[float]] = []
    for record in iter_records(path, options):
        if len(texts) == limit:
            break
        texts.append(record.text)
        probabilities.append([float(record.meta[column]) for column in probability_columns])
    return BatchResult(labels, texts, probabilities, len(texts), [], [])


class BatchPredictDialog(QDialog):
    """Predict a file or the project's unlabelled texts with the model in ``model_folder``."""

    def __init__(
        self,
        model_folder: Path,
        session: Optional[ProjectSession] = None,
        run_id: Optional[RunId] = None,
        parent: Optional[QWidget] = None,
        predictor: Any = None,
    ) -> None:
        """``predictor``: the model of ``model_folder`` if already loaded (it is shareable)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Predict many texts"))
        self.model_folder = Path(model_folder)
        self.session = session
        self.run_id = run_id
        self.input_path: Optional[Path] = None
        self.file_columns: list[str] = []  # none for a file without a header row (TXT)
        self.job: Optional[BackgroundJob[BatchResult]] = None
        self._finished_job: Optional[BackgroundJob[BatchResult]] = None
        self._predictor: Any = predictor  # else loaded by the first batch
        self._build()
        self._source_changed()

    # -------------------------------------------------------------------- layout
    def _build(self) -> None:
        self.file_choice = QRadioButton(self.tr("A file (CSV, Excel, JSONL, TXT…)"))
        self.project_choice = QRadioButton(
            self.tr("The project's unlabelled texts (stored as suggestions)")
        )
        self.sources = QButtonGroup(self)
        self.sources.addButton(self.file_choice)
        self.sources.addButton(self.project_choice)
        self.file_choice.setChecked(True)
        self.project_choice.setEnabled(self.session is not None and self.run_id is not None)
        self.sources.buttonToggled.connect(self._source_changed)

        self.input_edit = QLineEdit()
        self.input_edit.setReadOnly(True)
        self.input_edit.setPlaceholderText(self.tr("No file chosen"))
        choose_input = QPushButton(self.tr("Choose…"))
        choose_input.clicked.connect(self._ask_input)
        input_row = QHBoxLayout()
        input_row.addWidget(self.input_edit, 1)
        input_row.addWidget(choose_input)
        self.file_info = QLabel()
        self.file_info.setWordWrap(True)
        # Detected unless the user chooses (a file whose encoding cannot be told needs it).
        self.encoding_combo = QComboBox()
        self.encoding_combo.addItem(self.tr("detect"), None)
        for encoding in CHOOSABLE_ENCODINGS:
            self.encoding_combo.addItem(encoding, encoding)
        self.encoding_combo.activated.connect(self._reread_input)
        self.delimiter_combo = QComboBox()
        self.delimiter_combo.addItem(self.tr("detect"), None)
        for delimiter, name in delimiter_choices():
            self.delimiter_combo.addItem(name, delimiter)
        self.delimiter_combo.activated.connect(self._reread_input)
        # Detected; the user may say otherwise (unticked, the first line is a text to predict).
        self.header_box = QCheckBox(self.tr("The first line names the columns"))
        self.header_box.clicked.connect(self._header_chosen)
        self._header: Optional[bool] = None  # as the user said; None: detect
        self.column_combo = QComboBox()
        self.output_edit = QLineEdit()
        self.output_edit.setPlaceholderText(self.tr("predictions.csv or .xlsx"))
        choose_output = QPushButton(self.tr("Choose…"))
        choose_output.clicked.connect(self._ask_output)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(choose_output)
        self.file_form = QWidget()
        form = QFormLayout(self.file_form)
        form.addRow(self.tr("File:"), input_row)
        form.addRow("", self.file_info)
        form.addRow(self.tr("Encoding:"), self.encoding_combo)
        form.addRow(self.tr("Delimiter:"), self.delimiter_combo)
        form.addRow(self.tr("Column names:"), self.header_box)
        form.setRowVisible(self.header_box, False)  # until a file shows whether it may have names
        form.setRowVisible(self.delimiter_combo, False)  # until a file shows it has one
        self._file_layout = form
        form.addRow(self.tr("Text column:"), self.column_combo)
        form.addRow(self.tr("Save results to:"), output_row)

        self.start_button = QPushButton(self.tr("Predict"))
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.status = QLabel()
        self.status.setWordWrap(True)
        run_row = QHBoxLayout()
        run_row.addWidget(self.start_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)

        self.table_model = PredictionTableModel(self)
        self.proxy = ConfidenceFilter(self)
        self.proxy.setSourceModel(self.table_model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        # In the file's order until a header is clicked (Qt's default is the first column, descending).
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.low_spin = self._percent_spin(0.0)
        self.high_spin = self._percent_spin(100.0)
        self.shown_label = QLabel()
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel(self.tr("Show confidence from")))
        filter_row.addWidget(self.low_spin)
        filter_row.addWidget(QLabel(self.tr("to")))
        filter_row.addWidget(self.high_spin)
        filter_row.addStretch(1)
        filter_row.addWidget(self.shown_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Predict:")))
        layout.addWidget(self.file_choice)
        layout.addWidget(self.project_choice)
        layout.addWidget(self.file_form)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 600)

    def _percent_spin(self, value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0.0, 100.0)
        spin.setDecimals(0)
        spin.setSuffix(" %")
        spin.setValue(value)
        spin.valueChanged.connect(self._filter_changed)
        return spin

    # ------------------------------------------------------------------- choices
    def _source_changed(self) -> None:
        self.file_form.setVisible(self.file_choice.isChecked())
        self._update_start()

    def _update_start(self) -> None:
        ready = self.project_choice.isChecked() or (
            self.input_path is not None
            and self.column_combo.count() > 0
            and bool(self.output_edit.text().strip())
        )
        self.start_button.setEnabled(ready and self.job is None)

    def _ask_input(self) -> None:
        from bertdesk.io import SUPPORTED_IMPORT_SUFFIXES

        patterns = " ".join(f"*{suffix}" for suffix in SUPPORTED_IMPORT_SUFFIXES)
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a file to predict"), "",
            self.tr("Text tables ({patterns})").format(patterns=patterns),
        )
        if name:
            self.encoding_combo.setCurrentIndex(0)  # a new file's reading is detected first
            self.delimiter_combo.setCurrentIndex(0)
            self._header = None
            self.set_input(Path(name))

    def _header_chosen(self, checked: bool) -> None:
        self._header = checked
        self._reread_input()

    def _reread_input(self) -> None:
        if self.input_edit.text():
            self.set_input(Path(self.input_edit.text()))

    def _ask_output(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save predictions as"), self.output_edit.text(),
            self.tr("CSV (*.csv);;Excel (*.xlsx);;JSON lines (*.jsonl)"),
        )
        if name:
            self.output_edit.setText(name)
            self._update_start()

    def set_input(self, path: Path) -> None:
        """Read the file's columns and encoding as the import wizard does; guess the text column."""
        from bertdesk.io import sniff_file

        self.column_combo.clear()
        self.input_path = None
        self.input_edit.setText(str(path))
        try:
            sniff = sniff_file(path, encoding=self.encoding_combo.currentData(),
                               delimiter=self.delimiter_combo.currentData(), header=self._header)
        except (BertdeskError, OSError) as error:  # the user's to fix: say what is wrong
            self.file_info.setText(error_text(error))
            self.encoding_combo.setEnabled(True)  # the fix may be another encoding
            self._update_start()
            return
        self.encoding_combo.setEnabled(sniff.encoding is not None)  # a sheet has none
        self._file_layout.setRowVisible(self.header_box, sniff.header_is_optional)
        self._file_layout.setRowVisible(self.delimiter_combo, sniff.delimiter is not None)
        self.header_box.setChecked(sniff.has_header)
        self.input_path = path
        self.file_columns = list(sniff.columns)
        encoding = sniff.encoding or self.tr("not text")
        self.file_info.setText(
            self.tr("{format} file, encoding {encoding}, %n column(s)", "", len(sniff.columns) or 1).format(
                format=sniff.format.upper(), encoding=encoding
            )
        )
        self.column_combo.addItems(sniff.columns or ["text"])
        self.column_combo.setEnabled(bool(sniff.columns))
        # Guessed as the import wizard does: a known name, else the longest values.
        guess = sniff.likely_text_column()
        if guess is not None:
            self.column_combo.setCurrentText(guess)
        if not self.output_edit.text().strip():
            self.output_edit.setText(str(path.with_name(f"{path.stem}_predictions.csv")))
        self._update_start()

    def _filter_changed(self) -> None:
        self.proxy.set_range(self.low_spin.value() / 100.0, self.high_spin.value() / 100.0)
        self._update_shown()

    def _update_shown(self) -> None:
        result = self.table_model.result
        if not result.total:
            self.shown_label.clear()
            return
        text = self.tr("showing {shown} of {total}").format(
            shown=f"{self.proxy.rowCount():,}", total=f"{result.total:,}"
        )
        if result.total > len(result.texts):
            text += " " + self.tr("(the table holds the first {limit}; the file has all)").format(
                limit=f"{len(result.texts):,}"
            )
        self.shown_label.setText(text)

    # ----------------------------------------------------------------- running
    def start(self) -> None:
        """Start the batch on a background job."""
        if self.job is not None:
            return
        if self.project_choice.isChecked():
            assert self.session is not None and self.run_id is not None
            work = self._project_work(self.session.project, self.run_id)
        else:
            assert self.input_path is not None
            work = self._file_work(
                self.input_path, Path(self.output_edit.text().strip()),
                ImportOptions(text_column=self.column_combo.currentText() if self.file_columns else None,
                              encoding=self.encoding_combo.currentData(),
                              delimiter=self.delimiter_combo.currentData(), header=self._header),
            )
        self.table_model.set_result(BatchResult([], [], [], 0, [], []))
        self._update_shown()
        self.progress.setValue(0)
        self.status.setText(self.tr("Loading the model…"))
        job: BackgroundJob[BatchResult] = BackgroundJob("batch-predict", work)
        job.progressed.connect(self._progressed)
        job.succeeded.connect(self._succeeded)
        job.cancelled.connect(self._cancelled)
        job.failed.connect(self._failed)
        self.job = job
        self.cancel_button.setEnabled(True)
        self._update_start()
        job.start()

    def _loaded_predictor(self) -> Any:
        """Runs on the worker thread; loads the model once per dialog."""
        if self._predictor is None:
            self._predictor = load_predictor(self.model_folder)
        return self._predictor

    def _file_work(self, input_path: Path, output_path: Path, options: ImportOptions) -> Any:
        def work(progress: ProgressCallback, cancel: CancelToken) -> BatchResult:
            """Runs on the worker thread."""
            from bertdesk.ml.predict import predict_file

            predictor = self._loaded_predictor()
            predicted = predict_file(predictor, input_path, output_path, options, progress, cancel)
            result = read_predictions(output_path, predicted.text_column, predictor.labels,
                                      predicted.probability_columns, TABLE_LIMIT)
            result.total, result.empty, result.unreadable = predicted.rows, predicted.empty, predicted.unreadable
            result.unknown_shares = unknown_shares(predictor, result.texts)
            return result

        return work

    def _project_work(self, project: Project, run_id: RunId) -> Any:
        def work(progress: ProgressCallback, cancel: CancelToken) -> BatchResult:
            """Runs on the worker thread."""
            from bertdesk.ml.predict import predict_project

            predictor = self._loaded_predictor()
            chosen = ExampleFilter(unlabeled=True)
            rows = project.texts(chosen)
            total = predict_project(project, run_id, predictor, chosen, progress, cancel)
            ids = [example_id for example_id, _ in rows]
            stored = {p.example_id: p.probs for p in project.predictions(run_id, ids)}
            shown = [(eid, text) for eid, text in rows if eid in stored][:TABLE_LIMIT]
            texts = [text for _, text in shown]
            return BatchResult(
                list(predictor.labels), texts, [list(stored[eid]) for eid, _ in shown], total,
                [eid for eid, _ in shown], unknown_shares(predictor, texts),
            )

        return work

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText(self.tr("Stopping…"))

    def _progressed(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 1000))
        self.status.setText(self.tr("Predicting… {percent:.0f} %").format(percent=fraction * 100))

    def _job_ended(self) -> None:
        # The finished job is still emitting its last signal: keep it alive until the next one.
        self._finished_job, self.job = self.job, None
        self.cancel_button.setEnabled(False)
        self._update_start()

    def _succeeded(self, result: BatchResult) -> None:
        self._job_ended()
        self.progress.setValue(1000)
        self.table_model.set_result(result)
        self._filter_changed()
        if self.project_choice.isChecked():
            summary = self.tr(
                "%Ln text(s) predicted; their suggestions are stored in the project.", "", result.total
            )
            assert self.session is not None
            self.session.refresh(OpChanges(examples=frozenset(result.example_ids)))
        else:
            summary = self.tr("%Ln row(s) predicted and saved to %1.", "", result.total).replace(
                "%1", self.output_edit.text()
            )
        if result.empty:
            summary += "\n" + self.tr("Left out %Ln row(s) without a text.", "", result.empty)
        if result.unreadable:
            line, why = result.unreadable[0]
            summary += "\n" + self.tr(
                "Left out %Ln line(s) that cannot be read; the first, line %1: %2.", "", len(result.unreadable)
            ).replace("%1", str(line)).replace("%2", translated_text(why))
        guesses = result.guesses()
        if guesses:
            summary += "\n" + self.tr(
                "The model does not know most of the words of %Ln of the texts in the table: its "
                "answers to them are guesses (see the column “Unknown words”).", "", guesses
            )
        self.status.setText(summary)

    def _cancelled(self) -> None:
        self._job_ended()
        self.progress.setValue(0)
        self.status.setText(self.tr("Cancelled: nothing was saved."))

    def _failed(self, error: BaseException) -> None:
        self._job_ended()
        self.progress.setValue(0)
        self.status.setText(error_text(error))

    def done(self, result: int) -> None:
        """Closing stops a running batch first (it leaves nothing half-written)."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
        super().done(result)
