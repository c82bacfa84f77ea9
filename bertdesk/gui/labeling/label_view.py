"""The labeling view: a paged table over the project, a detail pane, filters and keyboard labeling.

The table model never holds the whole project: it knows the filtered row count and fetches
pages of rows from SQLite as the view asks for them, keeping the most recent pages in a
small LRU cache. Every label change is an operation of ``bertdesk.ops`` run by the session:
committed by the store, with its undo step, before the view repaints it. Ctrl+Z /
Ctrl+Shift+Z (or Ctrl+Y) undo and redo through the history the project file keeps.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import BertdeskError, ExampleId, LabelId, Split
from bertdesk.gui.common.errors import show_user_error
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.ops import clear_labels, label_texts
from bertdesk.store import ExampleFilter, ExampleRow, LabelInfo, RepeatInfo

log = logging.getLogger(__name__)
PAGE_SIZE = 200
CACHED_PAGES = 16
SEARCH_DEBOUNCE_MS = 250
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
TEXT_COLUMN, LABEL_COLUMN, SPLIT_COLUMN = range(3)


class ExampleTableModel(QAbstractTableModel):
    """Rows of the filtered project, fetched a page at a time (never the whole table).

    A filter shows its first page at once; when there is more than a page, the matches are
    counted on a background job (seconds for half of a million texts) and the rows beyond
    the first page appear when the count arrives.
    """

    count_known = Signal(int)

    def __init__(self, session: ProjectSession, parent: Optional[Any] = None) -> None:
        super().__init__(parent)
        self.session = session
        self.filter = ExampleFilter()
        self._count = 0
        self._pages: OrderedDict[int, list[ExampleRow]] = OrderedDict()
        # Every count still running: a filter changed mid-count leaves the older one running too,
        # and closing must wait for each, or its thread reads a project that is gone.
        self._counters: list[BackgroundJob[tuple[ExampleFilter, int]]] = []
        self.counting = False
        self.labels: dict[LabelId, LabelInfo] = {}
        self.reload_labels()

    def reload_labels(self) -> None:
        self.labels = {label.id: label for label in self.session.project.labels()}

    def set_filter(self, flt: ExampleFilter) -> None:
        self.beginResetModel()
        self.filter = flt
        self._pages.clear()
        first = self.session.project.page_after(flt, 0, PAGE_SIZE)
        self._pages[0] = first
        self._count = len(first)
        self.counting = len(first) == PAGE_SIZE
        self.endResetModel()
        if self.counting:
            self._count_in_background(flt)

    def _count_in_background(self, flt: ExampleFilter) -> None:
        project = self.session.project

        def count(_progress: Any, _cancel: Any) -> tuple[ExampleFilter, int]:
            return flt, project.count(flt)

        counter: BackgroundJob[tuple[ExampleFilter, int]] = BackgroundJob("count", count, self)
        counter.succeeded.connect(self._counted)
        counter.failed.connect(self._count_failed)
        self._counters = [job for job in self._counters if job.running] + [counter]
        counter.start()

    def _count_failed(self, error: BaseException) -> None:
        log.warning("counting the filtered texts failed: %s", error)
        self.counting = False

    def _counted(self, result: tuple[ExampleFilter, int]) -> None:
        flt, count = result
        if flt != self.filter:
            return  # the filter changed while this one was counting
        self.counting = False
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()
        self.count_known.emit(self._count)

    def shutdown(self) -> None:
        """Wait for the counts still running (single SQL statements: they cannot be stopped)."""
        for counter in self._counters:
            counter.wait()
        self._counters.clear()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def row(self, row: int) -> Optional[ExampleRow]:
        if not 0 <= row < self._count:
            return None
        page_number, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(page_number)
        if page is None:
            page = self._fetch(page_number)
            self._pages[page_number] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def _fetch(self, page_number: int) -> list[ExampleRow]:
        """Scrolling on from a cached page continues after its last id (no OFFSET scan); a jump uses OFFSET."""
        previous = self._pages.get(page_number - 1)
        if previous is not None and len(previous) == PAGE_SIZE:
            return self.session.project.page_after(self.filter, previous[-1].id, PAGE_SIZE)
        return self.session.project.page(self.filter, page_number * PAGE_SIZE, PAGE_SIZE)

    def row_of(self, example_id: ExampleId) -> Optional[int]:
        """The row of this text when it is in a fetched page, else None."""
        for page_number, page in self._pages.items():
            for offset, example in enumerate(page):
                if example.id == example_id:
                    return page_number * PAGE_SIZE + offset
        return None

    def shows_all(self, example_ids: list[int]) -> bool:
        """Whether every one of these texts is in a fetched page (so it can be updated in place)."""
        cached = {example.id for page in self._pages.values() for example in page}
        return all(eid in cached for eid in example_ids)

    def replace_rows(self, changed: dict[ExampleId, tuple[LabelId, ...]]) -> None:
        """Show new labels in place: rows stay where they are until the filter is applied again."""
        for page_number, page in self._pages.items():
            for offset, example in enumerate(page):
                if example.id in changed:
                    page[offset] = ExampleRow(example.id, example.text, example.split,
                                              changed[example.id], example.meta)
                    row = page_number * PAGE_SIZE + offset
                    self.dataChanged.emit(self.index(row, 0), self.index(row, 2))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        example = self.row(index.row())
        if example is None:
            return None
        if role == ROW_ROLE:
            return example
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == TEXT_COLUMN:
                return " ".join(example.text.split())
            if index.column() == LABEL_COLUMN:
                return ", ".join(self.labels[l].name for l in example.label_ids if l in self.labels)
            return split_name(example.split)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == TEXT_COLUMN:
            return example.text[:1000]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (self.tr("Text"), self.tr("Labels"), self.tr("Split"))[section]
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None


def split_name(split: Split) -> str:
    from PySide6.QtCore import QCoreApplication

    names = {
        Split.TRAIN: QCoreApplication.translate("Split", "train"),
        Split.VALIDATION: QCoreApplication.translate("Split", "validation"),
        Split.TEST: QCoreApplication.translate("Split", "test"),
        Split.UNASSIGNED: QCoreApplication.translate("Split", "unassigned"),
    }
    return names[split]


class LabelChipDelegate(QStyledItemDelegate):
    """Paints each label as a rounded chip in the label's colour."""

    def __init__(self, model: ExampleTableModel, parent: Optional[Any] = None) -> None:
        super().__init__(parent)
        self._model = model

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        example = index.data(ROW_ROLE)
        if example is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect: QRect = option.rect
        x = rect.left() + 4
        metrics = option.fontMetrics
        for label_id in example.label_ids:
            label = self._model.labels.get(label_id)
            if label is None:
                continue
            width = metrics.horizontalAdvance(label.name) + 14
            chip = QRect(x, rect.top() + 3, width, rect.height() - 6)
            painter.setBrush(QColor(label.color))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(chip, 8, 8)
            painter.setPen(QColor("white") if QColor(label.color).lightness() < 170 else QColor("black"))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, label.name)
            x += width + 4
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(160, option.fontMetrics.height() + 10)


class LabelView(QWidget):
    """The Label tab: filter bar, paged table, detail pane, label buttons and focus mode."""

    count_changed = Signal(int)
    focus_mode_changed = Signal(bool)

    def __init__(self, session: ProjectSession, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.model = ExampleTableModel(session, self)

        self.label_filter = QComboBox()
        self.split_filter = QComboBox()
        self.split_filter.addItem(self.tr("All splits"), None)
        for split in Split:
            self.split_filter.addItem(split_name(split), split.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search texts…"))
        self.search.setClearButtonEnabled(True)
        self.match_count = QLabel()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.label_filter.activated.connect(lambda _i: self.apply_filter())
        self.split_filter.activated.connect(lambda _i: self.apply_filter())
        filter_bar = QHBoxLayout()
        filter_bar.addWidget(QLabel(self.tr("Show:")))
        filter_bar.addWidget(self.label_filter)
        filter_bar.addWidget(self.split_filter)
        filter_bar.addWidget(self.search, 1)
        filter_bar.addWidget(self.match_count)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(LABEL_COLUMN, LabelChipDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(LABEL_COLUMN, 200)
        header.resizeSection(SPLIT_COLUMN, 90)
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_current())

        self.detail = QTextBrowser()
        detail_font = QFont(self.detail.font())
        detail_font.setPointSizeF(detail_font.pointSizeF() * 1.4)
        self.detail.setFont(detail_font)
        self.detail_labels = QLabel()
        self.detail_labels.setWordWrap(True)
        self.buttons_row = QHBoxLayout()
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addWidget(self.detail_labels)
        detail_layout.addLayout(self.buttons_row)
        self.hint = QLabel()  # the real keys: on_labels_changed writes it
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: gray")
        detail_layout.addWidget(self.hint)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.splitter = splitter

        self.focus_text = QTextBrowser()
        focus_font = QFont(self.detail.font())
        focus_font.setPointSizeF(focus_font.pointSizeF() * 1.6)
        self.focus_text.setFont(focus_font)
        self.focus_text.installEventFilter(self)
        self.focus_position = QLabel()
        focus_page = QWidget()
        focus_layout = QVBoxLayout(focus_page)
        focus_layout.addWidget(self.focus_position)
        focus_layout.addWidget(self.focus_text, 1)
        self.focus_buttons = QHBoxLayout()
        focus_layout.addLayout(self.focus_buttons)
        self.focus_hint = QLabel()
        self.focus_hint.setWordWrap(True)
        self.focus_hint.setStyleSheet("color: gray")
        focus_layout.addWidget(self.focus_hint)

        self.stack = QStackedWidget()
        self.stack.addWidget(splitter)
        self.stack.addWidget(focus_page)
        layout = QVBoxLayout(self)
        layout.addLayout(filter_bar)
        layout.addWidget(self.stack, 1)

        self.model.count_known.connect(self.show_count)
        session.labels_changed.connect(self.on_labels_changed)
        session.examples_changed.connect(self.on_examples_changed)
        session.history_moved.connect(self.select_example)
        self.on_labels_changed()
        self.apply_filter()

    # ------------------------------------------------------------ filters
    def current_filter(self) -> ExampleFilter:
        choice = self.label_filter.currentData()
        return ExampleFilter(
            label_id=LabelId(choice) if isinstance(choice, int) and choice > 0 else None,
            unlabeled=choice == "unlabeled",
            repeated=choice == "repeated",
            split=Split(self.split_filter.currentData()) if self.split_filter.currentData() else None,
            search=self.search.text().strip() or None,
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        if self.model.counting:
            self.match_count.setText(self.tr("counting…"))
        else:
            self.show_count(self.model.rowCount())
        if self.model.rowCount():
            self.table.selectRow(0)
        self.show_current()

    def show_count(self, count: int) -> None:
        self.match_count.setText(self.tr("%1 text(s)", "", count).replace("%1", f"{count:,}"))
        self.count_changed.emit(count)
        self.show_current()

    def shutdown(self) -> None:
        self.model.shutdown()

    def on_labels_changed(self) -> None:
        """The label set changed (manager, import): filters, buttons and key hints follow it."""
        labels = self.project.labels()
        chosen = self.label_filter.currentData()
        self.label_filter.clear()
        self.label_filter.addItem(self.tr("All texts"), None)
        self.label_filter.addItem(self.tr("Unlabelled"), "unlabeled")
        if self.project.count(ExampleFilter(repeated=True)):
            self.label_filter.addItem(self.tr("Repeated with another label"), "repeated")
        for label in labels:
            self.label_filter.addItem(self.tr("Label: %1").replace("%1", label.name), int(label.id))
        self.show_key_hints(labels)
        position = self.label_filter.findData(chosen)
        self.label_filter.setCurrentIndex(max(position, 0))
        for row in (self.buttons_row, self.focus_buttons):
            while row.count():
                item = row.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.deleteLater()
            for label in labels:
                key = f" [{label.shortcut}]" if label.shortcut else ""
                button = QPushButton(label.name + key)
                button.setStyleSheet(f"border-left: 6px solid {label.color}; padding: 4px 10px;")
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.clicked.connect(lambda _c=False, lid=label.id: self.label_selection(lid))
                row.addWidget(button)
            row.addStretch(1)
        self.model.reload_labels()
        self.model.layoutChanged.emit()
        self.show_current()

    def on_examples_changed(self, example_ids: list[int]) -> None:
        """Texts changed (here or elsewhere): show their new labels, or reload if the set changed."""
        if example_ids and self.model.shows_all(example_ids):
            self.model.replace_rows(self.project.labels_of([ExampleId(eid) for eid in example_ids]))
            self.show_current()
        else:  # new texts, or ones this view has not fetched: fetch again
            self.model.reload_labels()
            self.apply_filter()

    # ------------------------------------------------------------ labeling
    def current_row(self) -> int:
        return self.table.currentIndex().row()

    def selected_examples(self) -> list[ExampleRow]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        return [row for row in (self.model.row(r) for r in rows) if row is not None]

    def label_selection(self, label_id: LabelId) -> None:
        """Number key / button: set (single-label) or toggle (multi-label) on the selection."""
        examples = self.selected_examples()
        if not examples:
            return
        if self._run(label_texts, [e.id for e in examples], label_id) and (
                len(examples) == 1 and not self.project.multi_label):
            self.move_to(self.current_row() + 1)

    def remove_labels(self) -> None:
        examples = [e for e in self.selected_examples() if e.label_ids]
        if examples:
            self._run(clear_labels, [e.id for e in examples])

    def _run(self, op: Any, *args: Any) -> bool:
        """Commit first, then show: the session repaints the rows once SQLite has the change."""
        try:
            self.session.run_op(op, *args)
        except BertdeskError as error:
            show_user_error(self, error)
            return False
        return True

    def take_over(self, old: LabelView) -> None:
        """Keep the filter and the chosen text of the view this one replaces (the window builds
        its tabs anew in another language; the undo history is the session's)."""
        self.label_filter.setCurrentIndex(old.label_filter.currentIndex())
        self.split_filter.setCurrentIndex(old.split_filter.currentIndex())
        self.search.setText(old.search.text())
        self.apply_filter()
        chosen = old.model.row(old.current_row())
        if chosen is not None:
            self.select_example(chosen.id)

    def select_example(self, example_id: ExampleId) -> None:
        """Select this text where the filter shows it (after an undo or redo)."""
        row = self.model.row_of(example_id)
        if row is None:  # not in a fetched page: ask where the filter puts it
            position = self.project.position_of(self.model.filter, example_id)
            found = self.model.row(position)
            row = position if found is not None and found.id == example_id else None
        if row is not None:
            self.move_to(row)

    def move_to(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.show_current()

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if self.handle_key(event):
                return True
        return super().eventFilter(watched, event)

    def handle_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        key_text = event.text().lower()
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):  # not 0: a label's key
            self.remove_labels()
            return True
        if self.stack.currentIndex() == 1 and event.key() == Qt.Key.Key_Escape:
            self.set_focus_mode(False)
            return True
        for label in self.model.labels.values():
            if label.shortcut and key_text == label.shortcut.lower():
                self.label_selection(label.id)
                return True
        if self.stack.currentIndex() == 1 and event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_J):
            self.move_to(self.current_row() + 1)
            return True
        if self.stack.currentIndex() == 1 and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_K):
            self.move_to(self.current_row() - 1)
            return True
        return False

    # ------------------------------------------------------------ display
    def show_current(self) -> None:
        example = self.model.row(self.current_row())
        text = example.text if example else ""
        self.detail.setPlainText(text)
        self.focus_text.setPlainText(text)
        if example is None:
            self.detail_labels.setText("")
            self.focus_position.setText(self.tr("Nothing to show: change the filter."))
            return
        names = [self.model.labels[l].name for l in example.label_ids if l in self.model.labels]
        state = ", ".join(names) if names else self.tr("not labelled yet")
        details = [self.tr("Labels: %1 · split: %2").replace("%1", state)
                   .replace("%2", split_name(example.split))]
        details += [self.describe_repeat(repeat) for repeat in self.project.repeats(example.id)]
        self.detail_labels.setText("\n".join(details))
        self.focus_position.setText(
            self.tr("Text %1 of %2 · %3").replace("%1", f"{self.current_row() + 1:,}")
            .replace("%2", f"{self.model.rowCount():,}").replace("%3", state))

    def describe_repeat(self, repeat: RepeatInfo) -> str:
        labels = ", ".join(repeat.labels) if repeat.labels else self.tr("no label")
        return (self.tr("Line %1 of %2 repeats this text with the label: %3")
                .replace("%1", f"{repeat.line:,}").replace("%2", repeat.source).replace("%3", labels))

    def show_key_hints(self, labels: list[LabelInfo]) -> None:
        """The hint lines name the keys the labels really have (a label "0" has the key 0)."""
        keys = ", ".join(f"{label.shortcut} = {label.name}" for label in labels if label.shortcut)
        label_keys = []
        if keys:
            label_keys.append((self.tr("%1 toggle a label") if self.project.multi_label
                               else self.tr("%1 set a label and move on")).replace("%1", keys))
        removes = self.tr("Delete removes labels")
        self.hint.setText(self.tr("Keys: %1").replace("%1", " · ".join([
            *label_keys, removes, self.tr("Ctrl+Z undo · Ctrl+Y redo · F11 focus mode")])))
        self.focus_hint.setText(" · ".join([
            self.tr("← → previous / next text"), *label_keys, removes,
            self.tr("Esc or F11 leaves focus mode")]))

    def set_focus_mode(self, on: bool) -> None:
        self.stack.setCurrentIndex(1 if on else 0)
        (self.focus_text if on else self.table).setFocus()
        self.show_current()
        self.focus_mode_changed.emit(on)
