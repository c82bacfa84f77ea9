"""File ▸ Import…: a wizard that shows a file as it will be read before anything is written.

Pages: pick a file → preview (encoding, delimiter, sheet) → column mapping → what will be
skipped (a dry run) → import with progress and Cancel → summary. The slow steps (dry run and
import) run on a worker thread; the import is one transaction, so Cancel leaves the project
exactly as it was.
"""

from __future__ import annotations

import codecs
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from bertdesk.core import BertdeskError, CancelToken, ProgressCallback, Split, UserInputError
from bertdesk.gui.common.delimiters import delimiter_choices
from bertdesk.gui.common.errors import translated_text, user_error_text
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.gui.common.label_names import some_label_names
from bertdesk.gui.common.split_names import split_name
from bertdesk.io import (
    CHOOSABLE_ENCODINGS,
    LISTED_LABEL_VALUES,
    LISTED_NEW_LABELS,
    PREVIEW_ENCODING,
    READ_SHARE,
    SPLIT_COLUMN_NAMES,
    SUPPORTED_IMPORT_SUFFIXES,
    FileSniff,
    ImportOptions,
    ImportReport,
    LabelValues,
    UnknownEncoding,
    column_named,
    import_file,
    label_values,
    likely_label_separator,
    preview_import,
    sniff_file,
)
from bertdesk.store import Project

PREVIEW_TEXT_CHARS = 120
LISTED_PROBLEMS = 200
PROGRESS_STEPS = 1000
RESCAN_DELAY_MS = 400  # the label values are read again once the separator stops changing


def _error_text(error: BaseException) -> str:
    if isinstance(error, BertdeskError):
        return "\n".join(user_error_text(error)).strip()
    return f"{type(error).__name__}: {error}"


def _make_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    """Put rows into a read-only table; long cells are cut for display, the tooltip has all."""
    table.setRowCount(len(rows))
    for row_index, row in enumerate(rows):
        for column_index, value in enumerate(row):
            shown = value if len(value) <= PREVIEW_TEXT_CHARS else value[:PREVIEW_TEXT_CHARS] + "…"
            item = QTableWidgetItem(shown.replace("\n", " ⏎ "))
            item.setToolTip(value)
            table.setItem(row_index, column_index, item)
    table.resizeColumnsToContents()
    for column in range(table.columnCount()):
        table.setColumnWidth(column, min(table.columnWidth(column), 360))


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _show_error(label: QLabel, error: Optional[BaseException]) -> None:
    label.setText("" if error is None else _error_text(error))
    label.setVisible(error is not None)


class ImportFilePage(QWizardPage):
    """Choose the file; it is read here once, so a broken file is reported before going on."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Choose a file"))
        self.setSubTitle(self.tr(
            "CSV, TSV, TXT (one text per line), JSON Lines, JSON, Excel or Parquet. "
            "Nothing is written to the project until the last step."
        ))
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Path of the file to import"))
        self.path_edit.textChanged.connect(self._path_changed)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.error_label = _error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

    def _browse(self) -> None:
        filters = ";;".join((
            self.tr("Data files (%1)").replace("%1", " ".join(f"*{suffix}" for suffix in SUPPORTED_IMPORT_SUFFIXES)),
            self.tr("CSV (*.csv)"),
            self.tr("TSV (*.tsv)"),
            self.tr("Text, one per line (*.txt)"),
            self.tr("JSON Lines (*.jsonl)"),
            self.tr("JSON (*.json)"),
            self.tr("Excel (*.xlsx *.xlsm *.xls)"),
            self.tr("Parquet (*.parquet)"),
            self.tr("All files (*)"),
        ))
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import texts from a file"), self.path_edit.text(), filters
        )
        if chosen:
            self.path_edit.setText(chosen)

    def _path_changed(self) -> None:
        _show_error(self.error_label, None)
        self.completeChanged.emit()

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        """Read the file's start (encoding, delimiter, columns); stay here if it cannot be read."""
        path = self.path()
        if not path.is_file():
            _show_error(self.error_label, UserInputError(
                self.tr("There is no file at {path}.").format(path=path),
                self.tr("Check the path, or choose the file with Browse…"),
            ))
            return False
        self._wizard.sniff_problem = None
        try:
            try:
                self._wizard.sniff = sniff_file(path)
            except UnknownEncoding as unknown:
                # The preview has the encoding to choose: it opens read byte for byte, and says why.
                self._wizard.sniff = sniff_file(path, encoding=PREVIEW_ENCODING)
                self._wizard.sniff_problem = unknown
        except (BertdeskError, OSError) as error:
            _show_error(self.error_label, error)
            return False
        return True


class ImportPreviewPage(QWizardPage):
    """The first rows exactly as they will be read; encoding, delimiter and sheet can change."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Preview"))
        self.setSubTitle(self.tr(
            "The first rows as they will be read. If the text looks garbled, try another encoding."
        ))
        self.format_label = QLabel()
        self.detected_label = QLabel()
        self.encoding_combo = QComboBox()
        self.encoding_combo.addItems(CHOOSABLE_ENCODINGS)
        self.encoding_combo.activated.connect(self._reread)
        self.delimiter_combo = QComboBox()
        for value, name in delimiter_choices():
            self.delimiter_combo.addItem(name, value)
        self.delimiter_combo.activated.connect(self._reread)
        self.sheet_combo = QComboBox()
        self.sheet_combo.activated.connect(self._reread)
        # Detected; unticked, the first line is a text and the columns are "column 1" ….
        self.header_box = QCheckBox(self.tr("The first line names the columns"))
        self.header_box.clicked.connect(self._header_chosen)
        self._header: Optional[bool] = None  # as the user set it; None: detect
        self.title_label = QLabel()  # a report's title rows above its header, which are skipped
        self.title_label.setWordWrap(True)
        encoding_row = QHBoxLayout()
        encoding_row.addWidget(self.encoding_combo)
        encoding_row.addWidget(self.detected_label, 1)
        form = QFormLayout()
        form.addRow(self.tr("Format:"), self.format_label)
        self._encoding_row = QWidget()
        self._encoding_row.setLayout(encoding_row)
        encoding_row.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Encoding:"), self._encoding_row)
        form.addRow(self.tr("Delimiter:"), self.delimiter_combo)
        form.addRow(self.tr("Sheet:"), self.sheet_combo)
        form.addRow(self.tr("Column names:"), self.header_box)
        form.addRow(self.tr("Title:"), self.title_label)
        self._form = form
        self.error_label = _error_label()
        self.table = _make_table([])
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        self._error: Optional[BaseException] = None

    def initializePage(self) -> None:
        self._error = self._wizard.sniff_problem
        self._header = None
        sniff = self._wizard.sniff
        # What the detection found stays beside the encoding the user then chooses.
        if isinstance(self._error, UnknownEncoding):
            self.detected_label.setText(self.tr("not detected: choose it"))
        elif sniff is not None and sniff.encoding is not None:
            self.detected_label.setText(self.tr("detected {encoding} ({confidence:.0%} sure)").format(
                encoding=sniff.encoding, confidence=sniff.encoding_confidence))
        self._show(sniff)

    def _show(self, sniff: Optional[FileSniff]) -> None:
        """Set the controls and the table from a sniff (or clear them when it failed)."""
        _show_error(self.error_label, self._error)
        if sniff is None:
            self.table.setRowCount(0)
            self.completeChanged.emit()
            return
        self.format_label.setText(sniff.format.upper())
        # Binary formats (Excel, Parquet) have no encoding to choose.
        self._form.setRowVisible(self._encoding_row, sniff.encoding is not None)
        if sniff.encoding is not None:
            self.encoding_combo.setCurrentIndex(self._encoding_index(sniff.encoding))
        delimited = sniff.delimiter is not None
        self._form.setRowVisible(self.delimiter_combo, delimited)
        if delimited:
            index = self.delimiter_combo.findData(sniff.delimiter)
            if index < 0:
                self.delimiter_combo.addItem(repr(sniff.delimiter), sniff.delimiter)
                index = self.delimiter_combo.count() - 1
            self.delimiter_combo.setCurrentIndex(index)
        self._form.setRowVisible(self.sheet_combo, bool(sniff.sheets))
        if sniff.sheets:
            self.sheet_combo.clear()
            self.sheet_combo.addItems(list(sniff.sheets))
            self.sheet_combo.setCurrentText(sniff.sheet or sniff.sheets[0])
        self._form.setRowVisible(self.header_box, sniff.header_is_optional)
        self.header_box.setChecked(sniff.has_header)
        self._form.setRowVisible(self.title_label, bool(sniff.title_rows))
        where = (self.tr("{cells} (above the column names: skipped, not imported)") if sniff.has_header
                 else self.tr("{cells} (above the table, with fewer columns than its rows: skipped, not imported)"))
        self.title_label.setText(where.format(cells=" · ".join(sniff.title_rows)))
        self.table.clear()
        self.table.setColumnCount(len(sniff.columns))
        self.table.setHorizontalHeaderLabels(list(sniff.columns))
        _fill_table(self.table, [[row.get(c) or "" for c in sniff.columns] for row in sniff.preview_rows])
        self.completeChanged.emit()

    def _encoding_index(self, encoding: str) -> int:
        """The combo entry for ``encoding`` under any of its names (latin-1 is iso8859-1)."""
        wanted = codecs.lookup(encoding).name
        for index in range(self.encoding_combo.count()):
            if codecs.lookup(self.encoding_combo.itemText(index)).name == wanted:
                return index
        self.encoding_combo.addItem(encoding)
        return self.encoding_combo.count() - 1

    def _header_chosen(self, checked: bool) -> None:
        self._header = checked
        self._reread()

    def _reread(self) -> None:
        """Read the file again with the encoding, delimiter, sheet and header the user chose."""
        encoding = None if self._encoding_row.isHidden() else self.encoding_combo.currentText()
        delimiter = None if self.delimiter_combo.isHidden() else self.delimiter_combo.currentData()
        sheet = None if self.sheet_combo.isHidden() else self.sheet_combo.currentText()
        try:
            self._wizard.sniff = sniff_file(
                self._wizard.file_page.path(), encoding=encoding, delimiter=delimiter, sheet=sheet,
                header=self._header,
            )
            self._error = None
        except (BertdeskError, OSError) as error:
            self._wizard.sniff = None
            self._error = error
        self._show(self._wizard.sniff)

    def isComplete(self) -> bool:
        """A reading of the file with columns, and none still in doubt (an encoding that could
        not be told is chosen first, even if the choice is the reading shown)."""
        return self._wizard.sniff is not None and bool(self._wizard.sniff.columns) and self._error is None


class ImportMappingPage(QWizardPage):
    """Which column holds the text, the label(s) and the split; the rest is kept as metadata.

    Once label columns are chosen, their values are read from the whole file (on the worker)
    and listed with a name each, so that 0 and 1 can become "negative" and "positive"; and a
    project without texts yet is asked here whether a text may carry several labels.
    """

    NO_COLUMN = ""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Columns"))
        self.setSubTitle(self.tr(
            "Tell bertdesk which column holds the text and which holds the label. "
            "Texts without a label are imported unlabelled, ready to label."
        ))
        self.text_combo = QComboBox()
        self.label_list = QListWidget()
        self.label_list.setMaximumHeight(110)
        self.separator_edit = QLineEdit()
        self.separator_edit.setPlaceholderText(self.tr("e.g. ; or | (leave empty: one label per cell)"))
        self.split_combo = QComboBox()
        self.metadata_label = QLabel()
        self.metadata_label.setWordWrap(True)
        self.single_button = QRadioButton(self.tr("One label per text"))
        self.multi_button = QRadioButton(self.tr("Several labels per text (multi-label)"))
        self._mode_buttons = QButtonGroup(self)
        self._mode_buttons.addButton(self.single_button)
        self._mode_buttons.addButton(self.multi_button)
        mode_row = QVBoxLayout()
        mode_row.setContentsMargins(0, 0, 0, 0)
        mode_row.addWidget(self.single_button)
        mode_row.addWidget(self.multi_button)
        self.mode_row = QWidget()
        self.mode_row.setLayout(mode_row)
        self.keep_metadata_box = QCheckBox(self.tr("Keep the other columns as metadata"))
        self.keep_metadata_box.setChecked(True)
        self.skip_duplicates_box = QCheckBox(
            self.tr("Skip texts that are already in the project or repeated in the file")
        )
        self.skip_duplicates_box.setChecked(True)
        self.error_label = _error_label()
        self.names_title = QLabel(self.tr("Label names (as in the file → as in the project):"))
        self.names_table = _make_table([self.tr("In the file"), self.tr("Label name")])
        self.names_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.names_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.names_note = QLabel()
        self.names_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Text column:"), self.text_combo)
        form.addRow(self.tr("Label column(s):"), self.label_list)
        form.addRow(self.tr("Several labels in one cell, separated by:"), self.separator_edit)
        form.addRow(self.tr("Labels per text:"), self.mode_row)
        form.addRow(self.tr("Split column:"), self.split_combo)
        form.addRow(self.tr("Metadata:"), self.metadata_label)
        self._form = form
        names = QVBoxLayout()
        names.setContentsMargins(0, 0, 0, 0)
        names.addWidget(self.names_title)
        names.addWidget(self.names_table, 1)
        names.addWidget(self.names_note)
        self.names_panel = QWidget()
        self.names_panel.setLayout(names)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.keep_metadata_box)
        left.addWidget(self.skip_duplicates_box)
        left.addWidget(self.error_label)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self.names_panel, 2)
        self._columns: list[str] = []
        self._names: dict[str, str] = {}  # raw value -> the name typed, kept across re-reads
        self._scanned_for: Optional[tuple[Any, ...]] = None
        self._rescan_timer = QTimer(self)
        self._rescan_timer.setSingleShot(True)
        self._rescan_timer.setInterval(RESCAN_DELAY_MS)
        self._rescan_timer.timeout.connect(self._read_label_values)
        for changed in (self.text_combo.currentIndexChanged, self.split_combo.currentIndexChanged,
                        self.label_list.itemChanged):
            changed.connect(self._mapping_changed)
            changed.connect(lambda *_args: self._rescan_timer.start())
        self.separator_edit.textChanged.connect(self._separator_changed)
        # Filled in where the label cells look like lists, unless the user has typed in it.
        self._separator_typed = False
        self.separator_edit.textEdited.connect(lambda _text: setattr(self, "_separator_typed", True))
        self.names_table.itemChanged.connect(self._name_edited)

    def initializePage(self) -> None:
        """Fill the choices from the file's columns, keeping the user's picks if unchanged."""
        sniff = self._wizard.sniff
        assert sniff is not None
        project = self._wizard.project
        # Only a project without texts may still choose; one with texts keeps its mode.
        self._form.setRowVisible(self.mode_row, project.count() == 0)
        (self.multi_button if project.multi_label else self.single_button).setChecked(True)
        columns = list(sniff.columns)
        if columns == self._columns:
            self._read_label_values()  # the same columns, but maybe another encoding or sheet
            return
        self._columns = columns
        for widget in (self.text_combo, self.split_combo, self.label_list):
            widget.blockSignals(True)
        self.text_combo.clear()
        self.text_combo.addItems(columns)
        self.text_combo.setCurrentText(
            sniff.likely_text_column() or ""
        )
        label_guess = sniff.likely_label_column()
        self.label_list.clear()
        for column in columns:
            item = QListWidgetItem(column)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if column == label_guess else Qt.CheckState.Unchecked)
            self.label_list.addItem(item)
        self.split_combo.clear()
        self.split_combo.addItem(self.tr("(none: assign splits later)"), self.NO_COLUMN)
        for column in columns:
            self.split_combo.addItem(column, column)
        split_guess = column_named(columns, SPLIT_COLUMN_NAMES)
        if split_guess is not None:
            self.split_combo.setCurrentIndex(self.split_combo.findData(split_guess))
        for widget in (self.text_combo, self.split_combo, self.label_list):
            widget.blockSignals(False)
        self._mapping_changed()
        self._read_label_values()

    def validatePage(self) -> bool:
        """A project without texts takes the mode chosen here before the dry run checks it."""
        if self._form.isRowVisible(self.mode_row):
            try:
                self._wizard.project.set_multi_label(self.multi_button.isChecked())
            except BertdeskError as error:
                _show_error(self.error_label, error)
                return False
        return True

    def set_label_columns(self, columns: list[str]) -> None:
        """Tick exactly these label columns (used by the main window's drop shortcut and tests)."""
        for row in range(self.label_list.count()):
            item = self.label_list.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.text() in columns else Qt.CheckState.Unchecked)

    def label_columns(self) -> list[str]:
        return [
            self.label_list.item(row).text()
            for row in range(self.label_list.count())
            if self.label_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _problem(self) -> Optional[str]:
        text_column = self.text_combo.currentText()
        if not text_column:
            return self.tr("Choose the column that holds the text.")
        if text_column in self.label_columns():
            return self.tr("The text column cannot also be a label column.")
        split_column = self.split_combo.currentData()
        if split_column and (split_column == text_column or split_column in self.label_columns()):
            return self.tr("The split column must be a column of its own.")
        return None

    def _mapping_changed(self) -> None:
        used = {self.text_combo.currentText(), self.split_combo.currentData(), *self.label_columns()}
        rest = [column for column in self._columns if column not in used]
        self.metadata_label.setText(", ".join(rest) if rest else self.tr("(no other columns)"))
        if len(self.label_columns()) > 1 and self._form.isRowVisible(self.mode_row):
            self.multi_button.setChecked(True)  # several label columns mean several labels
        problem = self._problem()
        self.error_label.setText(problem or "")
        self.error_label.setVisible(problem is not None)
        self.completeChanged.emit()

    def _separator_changed(self) -> None:
        if self.separator_edit.text() and self._form.isRowVisible(self.mode_row):
            self.multi_button.setChecked(True)  # a separator means several labels in a cell
        self._rescan_timer.start()

    # ----------------------------------------------------------------- label names
    def _read_label_values(self) -> None:
        """List the label columns' values as the file writes them, read on the worker."""
        self._rescan_timer.stop()
        if not self.label_columns() or self._problem() is not None:
            self._scanned_for = None
            self._show_label_values([])
            return
        options = dataclasses.replace(self.options(), label_names={})
        wanted = (self._wizard.file_page.path(), options.label_columns, options.label_separator,
                  options.encoding, options.delimiter, options.sheet)
        if wanted == self._scanned_for:
            return
        self._scanned_for = wanted
        self.names_note.setText(self.tr("Reading the label values…"))
        self.names_note.show()
        path = self._wizard.file_page.path()
        self._wizard.start_job(
            "label-values",
            lambda progress, cancel: label_values(path, options, progress=progress, cancel=cancel),
            succeeded=self._label_values_read,
            failed=self._label_values_failed,
        )

    def _label_values_failed(self, error: BaseException) -> None:
        self._scanned_for = None
        self._show_label_values([])
        self.names_note.setText(_error_text(error))
        self.names_note.show()

    def _label_values_read(self, found: LabelValues) -> None:
        if found.several_per_text and self._form.isRowVisible(self.mode_row):
            self.multi_button.setChecked(True)  # texts with lists of labels: one label each would refuse them
        self._show_label_values(found.names)

    def _show_label_values(self, values: list[str]) -> None:
        separator = None if self._separator_typed or self.separator_edit.text() else likely_label_separator(values)
        if separator is not None:
            self.separator_edit.setText(separator)  # read again, split: the lists' labels are named
            return
        self.names_panel.setVisible(bool(self.label_columns()))
        self.names_table.blockSignals(True)
        self.names_table.setRowCount(0)
        listed = values[:LISTED_LABEL_VALUES]
        self.names_table.setRowCount(len(listed))
        for row, raw in enumerate(listed):
            raw_item = QTableWidgetItem(raw)
            raw_item.setFlags(raw_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.names_table.setItem(row, 0, raw_item)
            self.names_table.setItem(row, 1, QTableWidgetItem(self._names.get(raw, raw)))
        self.names_table.resizeColumnToContents(0)
        self.names_table.blockSignals(False)
        if len(values) > LISTED_LABEL_VALUES:
            self.names_note.setText(self.tr(
                "More than {count} different values: the first {count} are listed, the others "
                "keep their names. Is this really a label column?"
            ).format(count=LISTED_LABEL_VALUES))
        elif values:
            self.names_note.setText(self.tr("Double-click a name to change it, e.g. 0 → negative."))
        else:
            self.names_note.setText(self.tr("No label values in this column."))
        self.names_note.show()

    def _name_edited(self, item: QTableWidgetItem) -> None:
        raw_item = self.names_table.item(item.row(), 0)
        if item.column() == 1 and raw_item is not None:
            self._names[raw_item.text()] = item.text()

    def label_names(self) -> dict[str, str]:
        """The names given in the table, raw value -> name (blank or unchanged ones left out)."""
        names = {}
        for row in range(self.names_table.rowCount()):
            raw_item, name_item = self.names_table.item(row, 0), self.names_table.item(row, 1)
            if raw_item is None or name_item is None:
                continue
            raw, name = raw_item.text(), name_item.text().strip()
            if name and name != raw:
                names[raw] = name
        return names

    def isComplete(self) -> bool:
        return self._problem() is None

    def options(self) -> ImportOptions:
        """The import options for the columns chosen here and the reading chosen on the preview."""
        sniff = self._wizard.sniff
        assert sniff is not None
        return ImportOptions(
            text_column=self.text_combo.currentText(),
            label_columns=self.label_columns(),
            label_separator=self.separator_edit.text() or None,
            label_names=self.label_names(),
            split_column=self.split_combo.currentData() or None,
            encoding=sniff.encoding,
            delimiter=sniff.delimiter,
            sheet=sniff.sheet,
            header=sniff.has_header,
            skip_duplicates=self.skip_duplicates_box.isChecked(),
            keep_metadata=self.keep_metadata_box.isChecked(),
        )


class ImportCheckPage(QWizardPage):
    """A dry run over the whole file: what will be added and what will be skipped, and why."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("What will be skipped"))
        self.setSubTitle(self.tr("A dry run over the whole file; the project is not changed yet."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Import"))
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        # Under the bar, not in the middle of the space the hidden tables leave.
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.duplicates_title = QLabel()
        self.duplicates_table = _make_table([self.tr("Line"), self.tr("Text")])
        self.malformed_title = QLabel()
        self.malformed_table = _make_table([self.tr("Line"), self.tr("Problem")])
        self.error_label = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.duplicates_title)
        layout.addWidget(self.duplicates_table, 1)
        layout.addWidget(self.malformed_title)
        layout.addWidget(self.malformed_table, 1)
        self.report: Optional[ImportReport] = None

    def initializePage(self) -> None:
        self.report = None
        for widget in (self.duplicates_title, self.duplicates_table, self.malformed_title, self.malformed_table):
            widget.hide()
        _show_error(self.error_label, None)
        self.summary_label.setText(self.tr("Reading the whole file…"))
        self.busy_bar.setRange(0, 0)
        self.busy_bar.show()
        project = self._wizard.project
        path, options = self._wizard.file_page.path(), self._wizard.mapping_page.options()
        self._wizard.start_job(
            "import-dry-run",
            lambda progress, cancel: preview_import(
                path, options, project=project, progress=progress, cancel=cancel
            ),
            succeeded=self._checked,
            failed=self._failed,
            progressed=self._progressed,
        )
        self.completeChanged.emit()

    def cleanupPage(self) -> None:
        self._wizard.stop_job()

    def _progressed(self, fraction: float, _message: str) -> None:
        """The bar turns from busy to how far through the file the dry run is."""
        self.busy_bar.setRange(0, PROGRESS_STEPS)
        self.busy_bar.setValue(round(fraction * PROGRESS_STEPS))

    def _checked(self, report: ImportReport) -> None:
        self.report = report
        self.busy_bar.hide()
        self.summary_label.setText(self._wizard.describe(report, dry_run=True))
        self.duplicates_title.setText(
            self.tr("{count} duplicate texts will be skipped:").format(count=report.skipped_duplicates)
        )
        _fill_table(self.duplicates_table, [[str(line), text] for line, text in report.duplicates[:LISTED_PROBLEMS]])
        self.malformed_title.setText(
            self.tr("{count} lines cannot be read and will be skipped:").format(count=len(report.malformed))
        )
        _fill_table(self.malformed_table,
                    [[str(line), translated_text(why)] for line, why in report.malformed[:LISTED_PROBLEMS]])
        for title, table, shown in (
            (self.duplicates_title, self.duplicates_table, bool(report.duplicates)),
            (self.malformed_title, self.malformed_table, bool(report.malformed)),
        ):
            title.setVisible(shown)
            table.setVisible(shown)
        if report.added == 0:
            _show_error(self.error_label, UserInputError(
                self.tr(
                    "There is nothing new to import: every text is empty, unreadable or already in the project."
                ),
                self.tr(
                    "Choose another file or text column, or let duplicates in (Back, then untick “Skip texts…”)."
                ),
            ))
        self.completeChanged.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy_bar.hide()
        self.summary_label.setText("")
        _show_error(self.error_label, error)

    def isComplete(self) -> bool:
        return self.report is not None and self.report.added > 0


class ImportProgressPage(QWizardPage):
    """The import itself, on a worker thread, with a progress bar and Cancel."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Importing"))
        self.setSubTitle(self.tr("Cancel leaves the project exactly as it was."))
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel import"))
        self.cancel_button.clicked.connect(self._wizard.stop_job)
        self.restart_button = QPushButton(self.tr("Start over"))
        self.restart_button.clicked.connect(self._wizard.restart)
        self.error_label = _error_label()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restart_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.message_label)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self._wizard.report = None
        self.progress_bar.setValue(0)
        self.message_label.setText(self.tr("Starting…"))
        _show_error(self.error_label, None)
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.restart_button.hide()
        project = self._wizard.project
        path, options = self._wizard.file_page.path(), self._wizard.mapping_page.options()
        self._wizard.start_job(
            "import",
            lambda progress, cancel: import_file(project, path, options, progress=progress, cancel=cancel),
            succeeded=self._imported,
            failed=self._failed,
            cancelled=self._cancelled,
            progressed=self._progressed,
        )

    def _progressed(self, fraction: float, message: str) -> None:
        """The core's message is English (the CLI prints it): the bar shows how far, this
        label which stage, in the interface language."""
        self.progress_bar.setValue(round(fraction * PROGRESS_STEPS))
        self.message_label.setText(
            self.tr("Reading and checking the rows…") if fraction < READ_SHARE
            else self.tr("Saving the texts…")
        )

    def _ended(self, message: str, error: Optional[BaseException]) -> None:
        self.message_label.setText(message)
        _show_error(self.error_label, error)
        self.cancel_button.hide()
        self.restart_button.show()

    def _imported(self, report: ImportReport) -> None:
        self._wizard.report = report
        self.progress_bar.setValue(PROGRESS_STEPS)
        self.completeChanged.emit()
        self._wizard.imported.emit(report)
        self._wizard.next()

    def _cancelled(self) -> None:
        self._ended(self.tr("Import cancelled. The project is unchanged."), None)

    def _failed(self, error: BaseException) -> None:
        self._ended(self.tr("The import failed. The project is unchanged."), error)

    def isComplete(self) -> bool:
        return self._wizard.report is not None


class ImportSummaryPage(QWizardPage):
    """What the import did, in numbers people can check against their file."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Imported"))
        self.setSubTitle(self.tr("Next: label the texts that have no label yet, or train a model."))
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addStretch(1)

    def initializePage(self) -> None:
        report = self._wizard.report
        assert report is not None
        self.summary_label.setText(self._wizard.describe(report, dry_run=False))


class ImportWizard(QWizard):
    """File ▸ Import…; emits ``imported(ImportReport)`` once texts were written to the project.

    Give ``path`` (a dropped file) to open straight on its preview.
    """

    imported = Signal(object)

    def __init__(self, project: Project, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.sniff: Optional[FileSniff] = None
        self.sniff_problem: Optional[BertdeskError] = None  # what the preview says of the reading first shown
        self.report: Optional[ImportReport] = None
        self._job: Optional[BackgroundJob[Any]] = None
        self._close_when_stopped = False
        self.setWindowTitle(self.tr("Import texts"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(820, 600)
        self.file_page = ImportFilePage(self)
        self.preview_page = ImportPreviewPage(self)
        self.mapping_page = ImportMappingPage(self)
        self.check_page = ImportCheckPage(self)
        self.progress_page = ImportProgressPage(self)
        self.summary_page = ImportSummaryPage(self)
        for page in (
            self.file_page, self.preview_page, self.mapping_page,
            self.check_page, self.progress_page, self.summary_page,
        ):
            self.addPage(page)
        if path is not None:
            self.file_page.path_edit.setText(str(path))
            self.restart()
            self.next()

    # ----------------------------------------------------------------- worker jobs
    def start_job(
        self,
        name: str,
        function: Callable[[ProgressCallback, CancelToken], Any],
        succeeded: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        cancelled: Callable[[], None] = lambda: None,
        progressed: Callable[[float, str], None] = lambda fraction, message: None,
    ) -> None:
        """Run ``function`` on a worker thread; one job at a time, the previous one is stopped."""
        self.stop_job()
        job: BackgroundJob[Any] = BackgroundJob(name, function, self)
        job.progressed.connect(progressed)
        job.succeeded.connect(lambda result: self._job_ended(job, succeeded, result))
        job.failed.connect(lambda error: self._job_ended(job, failed, error))
        job.cancelled.connect(lambda: self._job_ended(job, cancelled))
        self._job = job
        job.start()

    def _job_ended(self, job: BackgroundJob[Any], handler: Callable[..., None], *value: Any) -> None:
        if job is not self._job:
            return  # a stopped job's late outcome: nobody asked for it any more
        self._job = None
        handler(*value)
        if self._close_when_stopped:
            super().reject()

    def stop_job(self) -> None:
        """Stop the running job: an import rolls back and reports "cancelled"; a dry run
        (which writes nothing) is let go, its late result ignored, so the GUI never waits."""
        job = self._job
        if job is None:
            return
        job.cancel()
        if self.currentPage() is self.progress_page:
            self.progress_page.cancel_button.setEnabled(False)
            self.progress_page.message_label.setText(self.tr("Cancelling…"))
            return
        self._job = None

    def running(self) -> bool:
        return self._job is not None

    def reject(self) -> None:
        """Cancel/Escape/close: a running import is cancelled first, then the wizard closes."""
        if self._job is not None and self.currentPage() is self.progress_page:
            self._close_when_stopped = True
            self.stop_job()
            return
        self.stop_job()
        super().reject()

    # -------------------------------------------------------------------- wording
    def describe_project_texts(self, report: ImportReport, dry_run: bool) -> list[str]:
        """What the file gives texts the project already has, to come or done."""
        move_hint = self.tr("(to move some: right-click them in the Label tab, Move to split)")
        if dry_run:
            sentences = (
                self.tr("{count} text(s) already in the project, unlabelled, will take the labels the "
                        "file gives them.", "", report.labelled_existing),
                self.tr("{count} text(s) already in the project, in no split, will go to the splits "
                        "the file names for them.", "", report.split_existing),
                self.tr("{count} text(s) already in the project will keep a split other than the one "
                        "the file names {hint}.", "", report.kept_split),
            )
        else:
            sentences = (
                self.tr("{count} text(s) already in the project, unlabelled, took the labels the "
                        "file gives them.", "", report.labelled_existing),
                self.tr("{count} text(s) already in the project, in no split, went to the splits "
                        "the file names for them.", "", report.split_existing),
                self.tr("{count} text(s) already in the project kept a split other than the one "
                        "the file names {hint}.", "", report.kept_split),
            )
        counts = (report.labelled_existing, report.split_existing, report.kept_split)
        return [sentence.format(count=count, hint=move_hint)
                for sentence, count in zip(sentences, counts) if count]

    def describe(self, report: ImportReport, dry_run: bool) -> str:
        """A report in sentences: the dry run speaks in the future, the summary in the past."""
        if dry_run:
            lines = [self.tr("The import will add {count} text(s).", "", report.added).format(count=report.added)]
        else:
            lines = [self.tr("Added {count} text(s) to {project}.", "", report.added).format(
                count=report.added, project=self.project.path.name)]
        splits = ", ".join(
            f"{split_name(Split(split))}: {count}" for split, count in report.per_split.items() if count
        )
        if splits:
            lines.append(self.tr("Splits: {splits}").format(splits=splits))
        if report.labels_created:
            lines.append(self.tr("New labels: {labels}").format(
                labels=some_label_names(report.labels_created, LISTED_NEW_LABELS)))
        if report.missing_label_marks:
            lines.append(self.tr("Label cells saying {marks} are read as no label.").format(
                marks=" / ".join(report.missing_label_marks)))
        if report.labels_folded:
            lines.append(self.tr("Labels written in several ways, read as one: {spellings}").format(
                spellings=report.joined_spellings()))
        skipped = report.skipped_empty + report.skipped_duplicates + len(report.malformed)
        if skipped == 0:
            lines.append(self.tr("Nothing is skipped."))
        elif report.already_in_project:
            lines.append(self.tr(
                "Skipped: {empty} empty, {duplicates} duplicates ({had} of them texts the project "
                "already has), {malformed} unreadable lines."
            ).format(empty=report.skipped_empty, duplicates=report.skipped_duplicates,
                     had=report.already_in_project, malformed=len(report.malformed)))
        else:
            lines.append(self.tr(
                "Skipped: {empty} empty, {duplicates} duplicates, {malformed} unreadable lines."
            ).format(empty=report.skipped_empty, duplicates=report.skipped_duplicates,
                     malformed=len(report.malformed)))
        # The texts already in the project are among the duplicates: what the file gives them.
        lines += self.describe_project_texts(report, dry_run)
        if report.conflicting_duplicates:
            lines.append(self.tr(
                "{count} of the repeated texts carry a different label than their first copy: "
                "after the import, Show ▸ “Repeated with another label” lists them."
            ).format(count=report.conflicting_duplicates))
        if report.encoding:
            lines.append(self.tr("Encoding: {encoding}").format(encoding=report.encoding))
        return "\n".join(lines)
