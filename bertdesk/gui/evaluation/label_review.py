"""Reviewing likely label errors, from the keyboard: which of my labels are wrong?

The list is ``ops.likely_label_errors`` over the latest cross-validation: every labelled text
whose label the model that did not learn from it doubts, most doubtful first, with the label it
suggests. Where several models were cross-validated, "Combine the models" reads the latest
cross-validation of each together. Each text is settled in one keystroke, each an undoable step of the label history run
through the session (so the Label tab and Edit ▸ Undo follow):

- Enter or A: accept the suggestion (``ops.fix_label``);
- K: keep the label (``ops.keep_label``);
- a label's own key from the Label tab (1, 2, …), or the "Another label" menu: give it that label
  (past ``FINDER_LABELS`` labels a field instead: ``/``, part of the name, Enter).

A settled text leaves the list at once and the next one is selected; the list is not ranked
again after each key, so it does not jump while someone works through it. A change made
elsewhere (an Undo, the Label tab, a new cross-validation) reads the list again in the
background: an undone review brings its text back, selected.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import BertdeskError, CancelToken, ExampleId, ProgressCallback
from bertdesk.gui.common.errors import error_text, show_user_error
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.gui.common.bidi import text_alignment
from bertdesk.gui.common.label_names import FINDER_LABELS, found_label, labels_with_keys, short_label_name
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.training.train_settings import base_model_title
from bertdesk.ops import LabelErrorReport, LikelyLabelError, fix_label, keep_label
from bertdesk.store import LabelInfo

RELOAD_DELAY_MS = 200  # a burst of changes made elsewhere reads the list once
ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A)
KEEP_KEYS = (Qt.Key.Key_K,)

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class _Reading:
    """A list read in the background, and how many models have a cross-validation to combine."""

    report: LabelErrorReport
    models: int


class LabelErrorModel(QAbstractTableModel):
    """The likely label errors as table rows: text, given label, suggestion, their probabilities."""

    TEXT, GIVEN, SUGGESTED, GIVEN_PROBABILITY, SUGGESTED_PROBABILITY = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.errors: list[LikelyLabelError] = []
        self.colors: dict[str, str] = {}  # label name -> colour, as the Label tab paints it

    def set_errors(self, errors: Sequence[LikelyLabelError]) -> None:
        self.beginResetModel()
        self.errors = list(errors)
        self.endResetModel()

    def remove(self, example_ids: set[ExampleId]) -> None:
        for row in reversed(range(len(self.errors))):
            if self.errors[row].example_id in example_ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.errors[row]
                self.endRemoveRows()

    def row_of(self, example_id: ExampleId) -> Optional[int]:
        return next((row for row, error in enumerate(self.errors) if error.example_id == example_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.errors)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else 5

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Text"), self.tr("Given label"), self.tr("Suggested label"),
                self.tr("P(given)"), self.tr("P(suggested)"))[section]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        error = self.errors[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TEXT:
                return " ".join(error.text.split())  # one line: the full text is shown below
            if column == self.GIVEN:
                return error.label
            if column == self.SUGGESTED:
                return error.suggested
            probability = error.label_probability if column == self.GIVEN_PROBABILITY else error.suggested_probability
            return f"{probability:.0%}"
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TEXT:
            return error.text
        if role == Qt.ItemDataRole.DecorationRole and column in (self.GIVEN, self.SUGGESTED):
            color = self.colors.get(error.label if column == self.GIVEN else error.suggested)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.TEXT:
            return text_alignment(error.text)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.GIVEN_PROBABILITY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class LabelErrorReview(QWidget):
    """The list of likely label errors and the keys that settle them."""

    cross_validate_requested = Signal()  # no cross-validation yet: the person asks for one

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.report: Optional[LabelErrorReport] = None
        self.reviewed_here = 0  # texts settled since the list was read
        self.labels: list[LabelInfo] = []
        self.job: Optional[BackgroundJob[Optional[_Reading]]] = None
        self._stale = True  # read the list when next shown
        self._acting = False  # our own review step is being saved: its change signals are ours
        self._select_after_load: Optional[ExampleId] = None

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.cross_validate_button = QPushButton(self.tr("Cross-validate…"))
        self.combine_box = QCheckBox(self.tr("Combine the models"))
        self.combine_box.setToolTip(self.tr(
            "Read the latest cross-validation of each model together: their probabilities averaged "
            "with weights fitted on your labels. Two different models find wrong labels more "
            "precisely than either alone."
        ))
        self.combine_box.setVisible(False)  # shown where two or more models were cross-validated
        self.reload_button = QPushButton(self.tr("Find again"))
        self.reload_button.setToolTip(self.tr(
            "Read the list again from the latest cross-validation, ranked by the labels as they are now."
        ))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.cross_validate_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.combine_box, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignTop)
        self.model = LabelErrorModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LabelErrorModel.TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.installEventFilter(self)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.accept_button = QPushButton(self.tr("Accept the suggestion (A)"))
        self.keep_button = QPushButton(self.tr("Keep the label (K)"))
        self.other_menu = QMenu(self)
        self.other_menu.setToolTipsVisible(True)  # a cut name's whole one
        self.other_button = QPushButton(self.tr("Another label"))
        self.other_button.setMenu(self.other_menu)
        # Past FINDER_LABELS labels a menu is a long scroll: a field finds the label by its name.
        self.other_finder = QLineEdit()
        self.other_finder.setPlaceholderText(self.tr("Another label: type part of its name, Enter gives it (/)"))
        self.other_finder.setClearButtonEnabled(True)
        self.other_finder.setMinimumWidth(320)
        self.label_names = QStringListModel(self)
        completer = QCompleter(self.label_names, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.other_finder.setCompleter(completer)
        # Enter on a pick from the list also reaches the field (returnPressed); a click only
        # picks: it gives the label once the field shows the name.
        completer.activated.connect(lambda _name: QTimer.singleShot(0, self._give_found))
        self.other_finder.returnPressed.connect(self._give_found)
        self.other_finder.installEventFilter(self)
        self.other_finder.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.other_button)
        buttons.addWidget(self.other_finder)
        buttons.addStretch()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.load)
        self.cross_validate_button.clicked.connect(self.cross_validate_requested)
        self.reload_button.clicked.connect(self.load)
        self.combine_box.toggled.connect(lambda _on: self.load())
        self.accept_button.clicked.connect(self.accept_suggestion)
        self.keep_button.clicked.connect(self.keep_label)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        session.examples_changed.connect(lambda _ids: self._changed_elsewhere())
        session.labels_changed.connect(self._labels_changed)
        session.runs_changed.connect(self._changed_elsewhere)
        session.history_moved.connect(self._history_moved)
        self._labels_changed()
        self.summary.setText(self.tr("Reading the likely label errors…"))
        self.cross_validate_button.setVisible(False)
        self._show_current()

    # -------------------------------------------------------------- reading the list
    def load(self) -> None:
        """Read the likely label errors of the latest cross-validation (or of each model's,
        combined) in the background."""
        self._reload_timer.stop()
        if self.job is not None and self.job.running:
            self._stale = True  # read once more when this one ends
            return
        self._stale = False
        project, combine = self.project, self.combine_box.isChecked()

        def work(_progress: ProgressCallback, _cancel: CancelToken) -> Optional[_Reading]:
            """Runs on the worker thread."""
            from bertdesk.ml.crossval import latest_cross_validation_of_each_model
            from bertdesk.ops import likely_label_errors

            if project.multi_label:
                likely_label_errors(project)  # raises: its error says why not
            latest = latest_cross_validation_of_each_model(project)
            if not latest:
                return None
            return _Reading(likely_label_errors(project, latest if combine else latest[:1]), len(latest))

        job: BackgroundJob[Optional[_Reading]] = BackgroundJob("label-errors", work, self)
        self.job = job
        job.succeeded.connect(lambda reading: self._loaded(job, reading))
        job.failed.connect(lambda error: self._loaded(job, None, error))
        self.reload_button.setEnabled(False)
        job.start()

    def _loaded(
        self, job: BackgroundJob[Optional[_Reading]], reading: Optional[_Reading],
        error: Optional[BaseException] = None,
    ) -> None:
        job.deleteLater()
        if job is not self.job:
            return
        self.job = None
        self.reload_button.setEnabled(True)
        self.combine_box.setVisible(reading is not None and reading.models > 1)
        if error is not None:
            self._show_report(None, error_text(error))
        else:
            self._show_report(reading.report if reading else None)
        if self._stale and self.isVisible():
            self.load()

    def _show_report(self, report: Optional[LabelErrorReport], problem: str = "") -> None:
        """Show a freshly read list, keeping the place: the text selected before (or the one an
        undo brought back), else the same row."""
        keep = self._select_after_load or self.current_example()
        row = max(self.current_row(), 0)
        self._select_after_load = None
        self.report = report
        self.reviewed_here = 0
        self.model.set_errors(report.errors if report else [])
        self.cross_validate_button.setVisible(report is None and not problem)
        self.reload_button.setVisible(report is not None)
        if problem:
            self.summary.setText(html.escape(problem))
        elif report is None:
            self.summary.setText(self.tr(
                "No cross-validation yet. Likely label errors are found from the out-of-fold "
                "probabilities of a cross-validation: with the fast model it takes seconds."
            ))
        found = self.model.row_of(keep) if keep is not None else None
        self._select_row(found if found is not None else row)
        self._update_summary()

    def _update_summary(self) -> None:
        report = self.report
        if report is None:
            return
        lines = [self.tr(
            "<b>{count} likely label error(s)</b> to review among {checked} labelled texts, most "
            "doubtful first (confident learning's estimate of the errors: {estimated}) · {source}",
            "", self.model.rowCount(),
        ).format(
            count=f"{self.model.rowCount():,}", checked=f"{report.checked:,}",
            estimated=f"{report.estimated:,}", source=self._source(report),
        )]
        reviewed = report.reviewed + self.reviewed_here
        if reviewed:
            lines.append(self.tr("{count} reviewed, not listed again while they keep that label.").format(
                count=f"{reviewed:,}"))
        if report.unchecked:
            lines.append(self.tr(
                "{count} labelled text(s) not checked (labelled after the cross-validation): "
                "cross-validate again to include them.", "", report.unchecked,
            ).format(count=f"{report.unchecked:,}"))
        self.summary.setText("<br>".join(lines))

    def _source(self, report: LabelErrorReport) -> str:
        """Which cross-validation(s) the list was read from: a run and its model, or the runs
        combined with their weights."""
        def model(run_id: Any) -> str:
            return html.escape(base_model_title(self.project.run(run_id).base_model))

        if len(report.weights) == 1:
            return self.tr("cross-validation #{run}, {model}").format(run=report.run_id, model=model(report.run_id))
        return self.tr("cross-validations combined, weights fitted on your labels: {runs}").format(
            runs=", ".join(f"#{run_id} {model(run_id)} {weight:.0%}" for run_id, weight in report.weights.items()))

    # ------------------------------------------------------------------ reviewing
    def accept_suggestion(self) -> None:
        """Give the selected texts the label suggested for each (one undo step per suggestion)."""
        chosen = self.selected_errors()
        for suggested in dict.fromkeys(error.suggested for error in chosen):
            ids = [error.example_id for error in chosen if error.suggested == suggested]
            if not self._review(fix_label, ids, suggested):
                return

    def keep_label(self) -> None:
        """Confirm the selected texts' labels: one undo step that changes no label."""
        chosen = self.selected_errors()
        if chosen:
            self._review(keep_label, [error.example_id for error in chosen])

    def choose_label(self, name: str) -> None:
        """Give the selected texts this label (choosing the label a text has keeps it)."""
        chosen = self.selected_errors()
        kept = [error.example_id for error in chosen if error.label == name]
        changed = [error.example_id for error in chosen if error.label != name]
        if changed and not self._review(fix_label, changed, name):
            return
        if kept:
            self._review(keep_label, kept)

    def _review(self, op: Callable[..., Any], ids: list[ExampleId], *args: Any) -> bool:
        """Save one review step through the session; the texts leave the list and the next
        one is selected. Returns False when the step was refused (its error is shown)."""
        if not ids:
            return True
        row = self.current_row()
        self._acting = True
        try:
            self.session.run_op(op, ids, *args)
        except BertdeskError as error:
            show_user_error(self, error)
            return False
        finally:
            self._acting = False
        self.model.remove(set(ids))
        self.reviewed_here += len(ids)
        self._select_row(min(max(row, 0), self.model.rowCount() - 1))
        self._update_summary()
        return True

    # ------------------------------------------------------------------ keyboard
    def _give_found(self) -> None:
        """Give the selected texts the label the finder found (``found_label``). Clears the
        finder, so that a pick from the list and the Enter that made it give the label once."""
        typed = self.other_finder.text()
        if not typed.strip():
            return
        self.other_finder.clear()
        names = [label.name for label in self.labels]
        found = found_label(names, typed)
        if found is not None:
            self.choose_label(names[found])
        self.table.setFocus()

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt override)
        if isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if watched is self.table and self.handle_key(event):
                return True
            if watched is self.other_finder and event.key() == Qt.Key.Key_Escape:
                self.other_finder.clear()
                self.table.setFocus()
                return True
        return super().eventFilter(watched, event)

    def handle_key(self, event: QKeyEvent) -> bool:
        """A, Enter: accept; K: keep; a label's key: that label; /: the finder of another label
        (with many labels). Keys with Ctrl or Alt pass (Undo)."""
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        if event.key() in ACCEPT_KEYS:
            self.accept_suggestion()
            return True
        if event.key() in KEEP_KEYS:
            self.keep_label()
            return True
        if event.text() == "/" and self.other_finder.isVisibleTo(self):
            self.other_finder.setFocus()
            return True
        key_text = event.text().lower()
        for label in self.labels:
            if label.shortcut and key_text == label.shortcut.lower():
                self.choose_label(label.name)
                return True
        return False

    # ------------------------------------------------------------------ selection
    def selected_errors(self) -> list[LikelyLabelError]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        return [self.model.errors[row] for row in rows if row < self.model.rowCount()]

    def current_row(self) -> int:
        return self.table.currentIndex().row()

    def current_example(self) -> Optional[ExampleId]:
        row = self.current_row()
        return self.model.errors[row].example_id if 0 <= row < self.model.rowCount() else None

    def _select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self._show_current()

    def _show_current(self) -> None:
        row = self.current_row()
        has_row = 0 <= row < self.model.rowCount()
        for widget in (self.accept_button, self.keep_button, self.other_button):
            widget.setEnabled(has_row)
        if not has_row:
            self.detail.setText(self.tr("Nothing left to review.") if self.report is not None else "")
            return
        error = self.model.errors[row]
        self.detail.setText(self.tr(
            "{text}<br><span style='color:#555'>Labelled <b>{label}</b> ({label_probability}); the "
            "model that did not learn from it says <b>{suggested}</b> ({suggested_probability}).</span>"
        ).format(
            text=html.escape(error.text), label=html.escape(error.label),
            label_probability=f"{error.label_probability:.0%}", suggested=html.escape(error.suggested),
            suggested_probability=f"{error.suggested_probability:.0%}",
        ))

    # ------------------------------------------------------------------ changes
    def _labels_changed(self) -> None:
        """Label names, colours and keys: the menu and the hint name the keys the labels have."""
        self.labels = self.project.labels()
        self.model.colors = {label.name: label.color for label in self.labels}
        self.other_menu.clear()
        for label in self.labels:
            key = f"\t{label.shortcut}" if label.shortcut else ""
            shown = short_label_name(label.name)
            action = self.other_menu.addAction(shown + key)
            if shown != label.name:
                action.setToolTip(label.name)
            action.triggered.connect(lambda _checked=False, name=label.name: self.choose_label(name))
        self.label_names.setStringList([label.name for label in self.labels])
        many = len(self.labels) > FINDER_LABELS
        self.other_button.setVisible(not many)
        self.other_finder.setVisible(many)
        keys = labels_with_keys(self.labels)
        parts = [self.tr("Enter or A accept the suggestion"), self.tr("K keep the label")]
        if keys:
            parts.append(self.tr("{keys} give that label").format(keys=keys))
        if many:
            parts.append(self.tr("/ find another label"))
        parts.append(self.tr("Ctrl+Z undo"))
        self.hint.setText(self.tr("Keys: {keys}").format(keys=" · ".join(parts)))
        self._changed_elsewhere()

    def _history_moved(self, example_id: ExampleId) -> None:
        """An undo or redo: show its text once the list is read again (an undone review is back)."""
        self._select_after_load = example_id

    def _changed_elsewhere(self) -> None:
        if self._acting:
            return  # our own review step: the list already shows it
        if self.isVisible():
            self._reload_timer.start()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.load()

    def shutdown(self) -> None:
        """Join the reading job (closing the project or the window)."""
        self._reload_timer.stop()
        if self.job is not None:
            self.job.wait()
