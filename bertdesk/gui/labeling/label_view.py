"""The labeling view: a paged table over the project, a detail pane, filters and keyboard labeling.

The table model never holds the whole project: it knows the filtered row count and fetches
pages of rows from SQLite as the view asks for them, keeping the most recent pages in a
small LRU cache. Every label change is an operation of ``bertdesk.ops`` run by the session:
committed by the store, with its undo step, before the view repaints it. Ctrl+Z /
Ctrl+Shift+Z (or Ctrl+Y) undo and redo through the history the project file keeps.

Suggestions (``suggestion_refresher.py`` keeps them fresh, ``suggestion_bar.py`` chooses
them): a row shows the model's suggested label and its probability as a faint dashed chip,
where the label's chip will go once accepted (Enter or A; a number key still gives any
label). A labelled row shows one only where the model disagrees, and not for a label given
since the model last looked at the row: right after someone chose otherwise, the old
suggestion would only repeat what they just overruled. Least confident first pages by
``Project.page_by_score``'s keyset, growing as the table scrolls (``fetchMore``), so a
million texts cost what a page does.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
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
from bertdesk.gui.common.jobs import BackgroundJob, waiting_cursor
from bertdesk.gui.common.bidi import isolated, text_alignment
from bertdesk.gui.common.label_names import FINDER_LABELS, fit_label_combo, labels_with_keys
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.labeling.label_buttons import LabelButtons
from bertdesk.gui.common.split_names import split_name
from bertdesk.gui.labeling.suggestion_bar import SuggestionBar
from bertdesk.gui.labeling.suggestion_refresher import SuggestionRefresher
from bertdesk.ml.suggest import SuggestionSource
from bertdesk.ops import accept_suggestions, clear_labels, label_texts, move_to_split
from bertdesk.store import ExampleFilter, ExampleRow, LabelInfo, RepeatInfo, SuggestedLabel

log = logging.getLogger(__name__)
PAGE_SIZE = 200
CACHED_PAGES = 16
SEARCH_DEBOUNCE_MS = 250
SKIPPED_AT_ONCE = PAGE_SIZE  # a new order reads at most this many rows more, to pass over rows shown
ROWS_AHEAD = 50  # below the screen, the rows a labeller reaches next: suggested first too
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
TEXT_COLUMN, LABEL_COLUMN, SPLIT_COLUMN = range(3)
ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A)  # as in the review of label errors
ScoreKey = tuple[Optional[float], ExampleId]
# A labelled row shows a suggestion of another label from this probability on (all of them
# under "Suggestion differs from the label"): a held-out model doubts many labels a little,
# and a chip on each would bury the unlabelled rows' chips, the ones being worked through.
DISAGREEMENT_SHOWN_FROM = 0.6
SUGGESTION_FILL_ALPHA, SUGGESTION_TEXT_ALPHA = 45, 170  # faint: a proposal, not yet a label


class ExampleTableModel(QAbstractTableModel):
    """Rows of the filtered project, fetched a page at a time (never the whole table).

    In the file's order a filter shows its first page at once; when there is more than a
    page, the matches are counted on a background job (seconds for half of a million texts)
    and the rows beyond the first page appear when the count arrives.

    In score order (least confident first) the rows grow as the table scrolls: each read
    continues after the (score, id) of the last row shown, and the ids shown are kept in
    order, so a page dropped from the cache is read again by id, exactly as it was. Rows
    stay where they are when their labels change; once the scores change (a model learned
    again), ``reorder_after`` takes the rows below the screen again in the new order, passing
    over those shown already: no text twice, none skipped.
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
        self.score_kind: Optional[str] = None  # None: the file's (id) order
        self._order: list[ExampleId] = []  # score order: every id shown so far, in the order shown
        self._shown: set[ExampleId] = set()
        self._after: Optional[ScoreKey] = None  # score order: the next rows start after this key
        self._ordered_all = True  # score order: no more rows to read
        self.show_suggestions = False
        self.suggested: dict[ExampleId, SuggestedLabel] = {}  # of the rows in fetched pages
        # Rows relabelled since their suggestion was read, with that suggestion: no chip until
        # a model has looked at them again.
        self._relabelled: dict[ExampleId, Optional[SuggestedLabel]] = {}
        self.reload_labels()

    def reload_labels(self) -> None:
        self.labels = {label.id: label for label in self.session.project.labels()}

    def set_filter(self, flt: ExampleFilter, score_kind: Optional[str] = None) -> None:
        """Show the texts ``flt`` keeps in id order, or in ascending score of ``score_kind``."""
        self.beginResetModel()
        self.filter, self.score_kind = flt, score_kind
        self._pages.clear()
        self.suggested.clear()
        self._relabelled.clear()
        if score_kind is None:
            first = self.session.project.page_after(flt, 0, PAGE_SIZE)
            self._remember(0, first)
            self._read_suggestions(first)
            self._count = len(first)
            self.counting = len(first) == PAGE_SIZE
        else:
            self._order, self._shown, self._after, self._ordered_all = [], set(), None, False
            self._count = 0
            self._append(self._next_in_order())
            self.counting = not self._ordered_all
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

    def recount(self) -> None:
        """Count the filtered texts again (the suggestions a filter keeps have changed)."""
        self.counting = True
        self._count_in_background(self.filter)

    def _count_failed(self, error: BaseException) -> None:
        log.warning("counting the filtered texts failed: %s", error)
        self.counting = False

    def _counted(self, result: tuple[ExampleFilter, int]) -> None:
        flt, count = result
        if flt != self.filter:
            return  # the filter changed while this one was counting
        self.counting = False
        if self.score_kind is not None:  # the rows come as the table scrolls; the count is for the label
            self.count_known.emit(count)
            return
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
            page = self._remember(page_number, self._fetch(page_number))
            self._read_suggestions(page)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def _remember(self, page_number: int, page: list[ExampleRow]) -> list[ExampleRow]:
        """Cache a page, dropping the least recently used one (and its rows' suggestions)."""
        self._pages[page_number] = page
        if len(self._pages) > CACHED_PAGES:
            _number, dropped = self._pages.popitem(last=False)
            for example in dropped:
                self.suggested.pop(example.id, None)
        return page

    def _fetch(self, page_number: int) -> list[ExampleRow]:
        """Scrolling on from a cached page continues after its last id (no OFFSET scan); a jump
        uses OFFSET. In score order a page is read again by the ids it showed."""
        if self.score_kind is not None:
            return self.session.project.examples(self._order[page_number * PAGE_SIZE:(page_number + 1) * PAGE_SIZE])
        previous = self._pages.get(page_number - 1)
        if previous is not None and len(previous) == PAGE_SIZE:
            return self.session.project.page_after(self.filter, previous[-1].id, PAGE_SIZE)
        return self.session.project.page(self.filter, page_number * PAGE_SIZE, PAGE_SIZE)

    # ------------------------------------------------------------ score order
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self.score_kind is not None and not self._ordered_all

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        """Score order: the next rows, as the table scrolls to the last one shown."""
        if not self.canFetchMore(parent):
            return
        rows = self._next_in_order()
        if rows:
            self.beginInsertRows(QModelIndex(), self._count, self._count + len(rows) - 1)
            self._append(rows)
            self.endInsertRows()

    def _next_in_order(self) -> list[ExampleRow]:
        """The next rows in score order not shown yet: after the last one read, or, in a new
        order, from its start, passing over the rows shown already."""
        assert self.score_kind is not None
        found: list[ExampleRow] = []
        while not found and not self._ordered_all:
            limit = PAGE_SIZE + (min(len(self._shown), SKIPPED_AT_ONCE) if self._after is None else 0)
            page = self.session.project.page_by_score(self.filter, self.score_kind, self._after, limit)
            self._ordered_all = len(page) < limit
            if page:
                self._after = page[-1].key
            found = [scored.row for scored in page if scored.row.id not in self._shown]
        return found

    def _append(self, rows: list[ExampleRow]) -> None:
        """Score order: rows after the last one, into the cached page they fall in."""
        for example in rows:
            page_number, offset = divmod(len(self._order), PAGE_SIZE)
            self._order.append(example.id)
            self._shown.add(example.id)
            page = self._pages.get(page_number)
            if page is None and offset == 0:
                page = self._remember(page_number, [])
            if page is not None and len(page) == offset:
                page.append(example)
            else:  # not cached: read again by id when shown
                self._pages.pop(page_number, None)
        self._count = len(self._order)
        self._read_suggestions(rows)

    def reorder_after(self, keep: int) -> None:
        """Score order, once the scores changed: the rows from ``keep`` on are read again in
        the new order, passing over the rows before it, which stay where they are."""
        if self.score_kind is None:
            return
        keep = max(0, min(keep, self._count))
        if keep < self._count:
            self.beginRemoveRows(QModelIndex(), keep, self._count - 1)
            del self._order[keep:]
            first_page = keep // PAGE_SIZE
            for page_number in [number for number in self._pages if number > first_page]:
                del self._pages[page_number]
            if first_page in self._pages:
                del self._pages[first_page][keep % PAGE_SIZE:]
            self._count = keep
            self.endRemoveRows()
        self._shown = set(self._order)
        self._after, self._ordered_all = None, False
        self.fetchMore()

    # ------------------------------------------------------------ suggestions
    def _read_suggestions(self, rows: list[ExampleRow]) -> None:
        if self.show_suggestions and rows:
            self.suggested.update(self.session.project.suggestions([example.id for example in rows]))

    def set_show_suggestions(self, on: bool) -> None:
        self.show_suggestions = on
        self.reload_suggestions()

    def reload_suggestions(self) -> None:
        """Read the fetched rows' suggestions again (a model stored new ones) and repaint them."""
        before, self.suggested = self.suggested, {}
        self._read_suggestions([example for page in self._pages.values() for example in page])
        for example_id, seen in list(self._relabelled.items()):
            if self.suggested.get(example_id) != seen:
                del self._relabelled[example_id]  # a model looked at it again
        if self.suggested != before and self._count:
            self.dataChanged.emit(self.index(0, LABEL_COLUMN), self.index(self._count - 1, LABEL_COLUMN))

    def note_relabelled(self, example_ids: list[ExampleId]) -> None:
        for example_id in example_ids:
            self._relabelled.setdefault(example_id, self.suggested.get(example_id))

    def forget_relabelled(self) -> None:
        """Every text has a suggestion of the latest model: show each row's."""
        self._relabelled.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, LABEL_COLUMN), self.index(self._count - 1, LABEL_COLUMN))

    def suggestion_for(self, example: ExampleRow) -> Optional[SuggestedLabel]:
        """The suggestion this row shows: an unlabelled row's, or a labelled row's that names
        none of its labels with some confidence (unless relabelled since it was made)."""
        suggested = self.suggested.get(example.id) if self.show_suggestions else None
        if suggested is None or suggested.label_id not in self.labels:
            return None
        if example.label_ids and (
            suggested.label_id in example.label_ids or example.id in self._relabelled
            or (suggested.confidence < DISAGREEMENT_SHOWN_FROM and not self.filter.disagreeing)
        ):
            return None
        return suggested

    def find_row(self, example_id: ExampleId) -> Optional[int]:
        """The row of this text in the filtered set, or None where it is not shown."""
        row = self.row_of(example_id)
        if row is not None:
            return row
        if self.score_kind is not None:
            return self._order.index(example_id) if example_id in self._shown else None
        position = self.session.project.position_of(self.filter, example_id)
        found = self.row(position)
        return position if found is not None and found.id == example_id else None

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
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == TEXT_COLUMN:
            return text_alignment(example.text)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == LABEL_COLUMN:
            suggested = self.suggestion_for(example)
            if suggested is not None:
                return (self.tr("Suggested: %1 (%2) · Enter accepts it")
                        .replace("%1", isolated(self.labels[suggested.label_id].name))
                        .replace("%2", f"{suggested.confidence:.0%}"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (self.tr("Text"), self.tr("Labels"), self.tr("Split"))[section]
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None


class LabelChipDelegate(QStyledItemDelegate):
    """Paints each label as a rounded chip in the label's colour, and the row's suggestion as
    a faint dashed one (label and probability) after them: where the label goes once accepted."""

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
        painter.setClipRect(rect)
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
        suggested = self._model.suggestion_for(example)
        if suggested is not None:
            label = self._model.labels[suggested.label_id]
            text = f"{isolated(label.name)} {suggested.confidence:.0%}"
            chip = QRect(x, rect.top() + 3, metrics.horizontalAdvance(text) + 14, rect.height() - 6)
            fill = QColor(label.color)
            fill.setAlpha(SUGGESTION_FILL_ALPHA)
            painter.setBrush(fill)
            painter.setPen(QPen(QColor(label.color), 1.2, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(chip, 8, 8)
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            ink = QColor(option.palette.highlightedText().color() if selected else option.palette.text().color())
            ink.setAlpha(SUGGESTION_TEXT_ALPHA)
            painter.setPen(ink)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(160, option.fontMetrics.height() + 10)


class LabelView(QWidget):
    """The Label tab: filter bar, suggestion bar, paged table, detail pane, label buttons and focus mode."""

    count_changed = Signal(int)
    focus_mode_changed = Signal(bool)

    def __init__(self, session: ProjectSession, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.model = ExampleTableModel(session, self)

        self.label_filter = fit_label_combo(QComboBox())
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
        self.suggestion_bar = SuggestionBar()
        self.suggestion_bar.source_chosen.connect(self.choose_source)
        self.suggestion_bar.filter_changed.connect(self.apply_filter)
        self.suggestion_bar.accept_all_requested.connect(self.accept_all_shown)

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
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(lambda point: self.text_menu().popup(
            self.table.viewport().mapToGlobal(point)))

        self.detail = QTextBrowser()
        detail_font = QFont(self.detail.font())
        detail_font.setPointSizeF(detail_font.pointSizeF() * 1.4)
        self.detail.setFont(detail_font)
        self.detail_labels = QLabel()
        self.detail_labels.setWordWrap(True)
        self.detail_accept = self._accept_button()
        self.label_buttons = LabelButtons(lambda lid: self.label_selection(LabelId(lid)), self._back_to_texts)
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail, 1)
        detail_layout.addWidget(self.detail_labels)
        detail_layout.addWidget(self.detail_accept)
        detail_layout.addWidget(self.label_buttons)
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
        self.focus_accept = self._accept_button()
        focus_layout.addWidget(self.focus_accept)
        self.focus_label_buttons = LabelButtons(lambda lid: self.label_selection(LabelId(lid)), self._back_to_texts)
        focus_layout.addWidget(self.focus_label_buttons)
        self.focus_hint = QLabel()
        self.focus_hint.setWordWrap(True)
        self.focus_hint.setStyleSheet("color: gray")
        focus_layout.addWidget(self.focus_hint)

        self.stack = QStackedWidget()
        self.stack.addWidget(splitter)
        self.stack.addWidget(focus_page)
        layout = QVBoxLayout(self)
        layout.addLayout(filter_bar)
        layout.addWidget(self.suggestion_bar)
        layout.addWidget(self.stack, 1)

        self.shown_count: Optional[int] = None  # the filtered texts; None while counting
        self.model.count_known.connect(self.show_count)
        session.labels_changed.connect(self.on_labels_changed)
        session.examples_changed.connect(self.on_examples_changed)
        session.history_moved.connect(self.select_example)
        session.runs_changed.connect(self.fill_sources)
        # After the view's own slots: a new label is on the row before the model learns from it.
        self.suggestions = SuggestionRefresher(session, self.rows_on_screen, self)
        self.suggestions.rows_suggested.connect(self.on_suggestions_stored)
        self.suggestions.completed.connect(self.on_suggestions_completed)
        self.suggestions.status_changed.connect(
            lambda: self.suggestion_bar.status.setText(self.suggestions.status()))
        self.suggestion_bar.retrain_every.setValue(self.suggestions.retrain_every)
        self.suggestion_bar.retrain_every_changed.connect(self.suggestions.set_retrain_every)
        self.model.show_suggestions = self.suggestions.on
        self.fill_sources()
        self.on_labels_changed()
        self.apply_filter()
        self.suggestions.start()

    # ------------------------------------------------------------ filters
    def current_filter(self) -> ExampleFilter:
        choice = self.label_filter.currentData()
        suggesting = self.suggestions.on
        return ExampleFilter(
            label_id=LabelId(choice) if isinstance(choice, int) and choice > 0 else None,
            unlabeled=choice == "unlabeled",
            repeated=choice == "repeated",
            split=Split(self.split_filter.currentData()) if self.split_filter.currentData() else None,
            search=self.search.text().strip() or None,
            suggested_label_id=self.suggestion_bar.suggested_label_id() if suggesting else None,
            min_confidence=self.suggestion_bar.least_confidence() if suggesting else None,
            disagreeing=choice == "disagreeing",
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter(), self.suggestion_bar.order_kind() if self.suggestions.on else None)
        if self.model.counting:
            self.shown_count = None
            self.match_count.setText(self.tr("counting…"))
            self.show_accept_all()
        else:
            self.show_count(self.model.rowCount())
        if self.model.rowCount():
            self.table.selectRow(0)
        self.show_current()

    def show_count(self, count: int) -> None:
        self.shown_count = count
        self.match_count.setText(self.tr("%1 text(s)", "", count).replace("%1", f"{count:,}"))
        self.count_changed.emit(count)
        self.show_accept_all()
        self.show_current()

    def show_accept_all(self) -> None:
        """"Accept all N shown" is there once a suggested label is chosen, and takes unlabelled
        texts only: a filter that also kept labelled texts would replace labels someone gave."""
        flt = self.model.filter
        why_not = "" if flt.unlabeled else self.tr("Show the unlabelled texts to accept their suggestions at once")
        self.suggestion_bar.show_accept_all(self.shown_count, why_not, flt.suggested_label_id is not None)

    def shutdown(self) -> None:
        self.suggestions.shutdown()
        self.model.shutdown()

    # ------------------------------------------------------------ suggestions
    def fill_sources(self) -> None:
        self.suggestion_bar.fill_sources(self.project, self.suggestions.source)

    def choose_source(self, source: Optional[SuggestionSource]) -> None:
        """Off, the fast model or a run: the chips, the filters and the keys follow."""
        self.suggestions.set_source(source)
        self.model.show_suggestions = self.suggestions.on
        self.on_labels_changed()
        self.apply_filter()

    def on_suggestions_stored(self) -> None:
        self.model.reload_suggestions()
        self.show_current()

    def on_suggestions_completed(self) -> None:
        """Every text has a suggestion of the latest model: a least-confident order is taken
        again below the screen, and a filter on suggestions is counted again."""
        self.model.forget_relabelled()
        self.model.reorder_after(self.last_row_on_screen() + 1)
        if self.model.filter.narrows_suggestions and not self.model.counting:
            self.model.recount()
        self.show_current()

    def visible_rows(self) -> range:
        """The table's rows on screen (none in focus mode)."""
        if not self.table.isVisible() or not self.model.rowCount():
            return range(0)
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        return range(max(self.table.rowAt(0), 0), (self.model.rowCount() - 1 if bottom < 0 else bottom) + 1)

    def last_row_on_screen(self) -> int:
        """The last row a person sees: the table's last visible one, or the text chosen."""
        return max(self.current_row(), self.visible_rows().stop - 1)

    def rows_on_screen(self) -> list[ExampleRow]:
        """The rows shown now and the next ones a labeller reaches: they are suggested first."""
        current, visible = max(self.current_row(), 0), self.visible_rows()
        chosen = {*range(current, current + ROWS_AHEAD + 1), *range(visible.start, visible.stop + ROWS_AHEAD)}
        rows = sorted(row for row in chosen if row < self.model.rowCount())
        return [example for example in map(self.model.row, rows) if example is not None]

    def accept_selection(self) -> None:
        """Enter or A: the selected rows take the suggestions they show (one undoable step).

        What is accepted is what is on screen: where a model stored another suggestion since
        (its rows are repainted within a tenth of a second), the rows show the new one and
        nothing is accepted.
        """
        examples = self.selected_examples()
        shown = {example.id: suggested for example in examples
                 if (suggested := self.model.suggestion_for(example)) is not None}
        if not shown:
            return
        stored = self.project.suggestions(list(shown))
        if any(example_id not in stored or stored[example_id].label_id != suggested.label_id
               for example_id, suggested in shown.items()):
            self.model.reload_suggestions()
            self.show_current()
            self.suggestion_bar.status.setText(self.tr("The suggestion changed just now: look again"))
            return
        if self._run(accept_suggestions, list(shown)) and len(examples) == 1 and not self.project.multi_label:
            self.move_to(self.current_row() + 1)

    def accept_all_shown(self) -> None:
        """Every text the filter shows (unlabelled, suggested one label) takes it, as one step;
        then the filter is applied again: they are done, and an Undo brings them back."""
        with waiting_cursor():
            chosen = [example_id for example_id, _text in self.project.texts(self.model.filter)]
            if self._run(accept_suggestions, chosen):
                self.apply_filter()

    def _accept_button(self) -> QPushButton:
        """The suggestion of the text shown, as a faint button that accepts it."""
        button = QPushButton()
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(self.accept_selection)
        button.hide()
        return button

    def show_suggestion(self, example: ExampleRow) -> str:
        """The accept buttons of the detail pane and focus mode; returns the suggestion in words."""
        suggested = self.model.suggestion_for(example)
        if suggested is None:
            for button in (self.detail_accept, self.focus_accept):
                button.hide()
            return ""
        label = self.model.labels[suggested.label_id]
        words = ((self.tr("The model suggests %1 (%2), not the label") if example.label_ids
                  else self.tr("Suggested: %1 (%2)"))
                 .replace("%1", isolated(label.name)).replace("%2", f"{suggested.confidence:.0%}"))
        fill = QColor(label.color)
        style = (f"QPushButton {{ border: 1px dashed {label.color}; border-radius: 6px; padding: 4px 10px;"
                 f" background: rgba({fill.red()}, {fill.green()}, {fill.blue()}, {SUGGESTION_FILL_ALPHA});"
                 f" text-align: left; }}")
        for button in (self.detail_accept, self.focus_accept):
            button.setText(self.tr("%1 · accept with Enter").replace("%1", words))
            button.setStyleSheet(style)
            button.show()
        return words

    def on_labels_changed(self) -> None:
        """The label set changed (manager, import): filters, buttons and key hints follow it."""
        labels = self.project.labels()
        chosen = self.label_filter.currentData()
        self.label_filter.clear()
        self.label_filter.addItem(self.tr("All texts"), None)
        self.label_filter.addItem(self.tr("Unlabelled"), "unlabeled")
        if self.project.count(ExampleFilter(repeated=True)):
            self.label_filter.addItem(self.tr("Repeated with another label"), "repeated")
        if self.suggestions.on:
            self.label_filter.addItem(self.tr("Suggestion differs from the label"), "disagreeing")
        for label in labels:
            self.label_filter.addItem(self.tr("Label: %1").replace("%1", label.name), int(label.id))
        self.suggestion_bar.fill_labels(labels, len(labels) > 2 or self.project.multi_label)
        source = self.suggestions.source
        self.suggestion_bar.set_on(source is not None, source is not None and source.run_id is None)
        self.show_key_hints(labels)
        position = self.label_filter.findData(chosen)
        self.label_filter.setCurrentIndex(max(position, 0))
        for buttons in (self.label_buttons, self.focus_label_buttons):
            buttons.set_labels(labels)
        self.model.reload_labels()
        self.model.layoutChanged.emit()
        self.show_current()

    def on_examples_changed(self, example_ids: list[int]) -> None:
        """Texts changed (here or elsewhere): show their new labels, or reload if the set changed."""
        if example_ids and self.model.shows_all(example_ids):
            changed = [ExampleId(eid) for eid in example_ids]
            self.model.note_relabelled(changed)
            self.model.replace_rows(self.project.labels_of(changed))
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

    def move_selection_to(self, split: Split) -> None:
        examples = [e for e in self.selected_examples() if e.split is not split]
        if examples:
            self._run(move_to_split, [e.id for e in examples], split)

    def text_menu(self) -> QMenu:
        """The right-click menu of the chosen texts: which split they are in."""
        menu = QMenu(self)
        splits = menu.addMenu(self.tr("Move to split"))
        chosen = {example.split for example in self.selected_examples()}
        for split in Split:
            action = splits.addAction(split_name(split))
            action.setEnabled(chosen != {split})
            action.triggered.connect(lambda _checked=False, to=split: self.move_selection_to(to))
        menu.setEnabled(bool(chosen))
        return menu

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
        self.suggestion_bar.take_over(old.suggestion_bar)
        self.apply_filter()
        chosen = old.model.row(old.current_row())
        if chosen is not None:
            self.select_example(chosen.id)

    def select_example(self, example_id: ExampleId) -> None:
        """Select this text where the filter shows it (after an undo or redo)."""
        row = self.model.find_row(example_id)
        if row is not None:
            self.move_to(row)

    def move_to(self, row: int) -> None:
        while row >= self.model.rowCount() and self.model.canFetchMore():  # score order: read on
            self.model.fetchMore()
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
        if key_text == "/" and self._shown_label_buttons().start_finding():  # after the labels: "/" may be one
            return True
        if self.suggestions.on and event.key() in ACCEPT_KEYS:  # after the labels: a label "a" keeps its key
            self.accept_selection()
            return True
        if self.stack.currentIndex() == 1 and event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_J):
            self.move_to(self.current_row() + 1)
            return True
        if self.stack.currentIndex() == 1 and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_K):
            self.move_to(self.current_row() - 1)
            return True
        return False

    def _shown_label_buttons(self) -> LabelButtons:
        return self.focus_label_buttons if self.stack.currentIndex() == 1 else self.label_buttons

    def _back_to_texts(self) -> None:
        """After a label was found by name (or the finding given up): the keys go to the texts again."""
        (self.focus_text if self.stack.currentIndex() == 1 else self.table).setFocus()

    # ------------------------------------------------------------ display
    def show_current(self) -> None:
        example = self.model.row(self.current_row())
        text = example.text if example else ""
        self.detail.setPlainText(text)
        self.focus_text.setPlainText(text)
        if example is None:
            self.detail_labels.setText("")
            self.detail_accept.hide()
            self.focus_accept.hide()
            self.focus_position.setText(self.tr("Nothing to show: change the filter."))
            return
        names = [isolated(self.model.labels[l].name) for l in example.label_ids if l in self.model.labels]
        state = ", ".join(names) if names else self.tr("not labelled yet")
        details = [self.tr("Labels: %1 · split: %2").replace("%1", state)
                   .replace("%2", split_name(example.split))]
        details += [self.describe_repeat(repeat) for repeat in self.project.repeats(example.id)]
        self.detail_labels.setText("\n".join(details))
        self.show_suggestion(example)
        self.focus_position.setText(
            self.tr("Text %1 of %2 · %3").replace("%1", f"{self.current_row() + 1:,}")
            .replace("%2", f"{self.model.rowCount():,}").replace("%3", state))

    def describe_repeat(self, repeat: RepeatInfo) -> str:
        labels = ", ".join(map(isolated, repeat.labels)) if repeat.labels else self.tr("no label")
        return (self.tr("Line %1 of %2 repeats this text with the label: %3")
                .replace("%1", f"{repeat.line:,}").replace("%2", repeat.source).replace("%3", labels))

    def show_key_hints(self, labels: list[LabelInfo]) -> None:
        """The hint lines name the keys the labels really have (a label "0" has the key 0)."""
        keys = labels_with_keys(labels)
        label_keys = []
        if keys:
            label_keys.append((self.tr("%1 toggle a label") if self.project.multi_label
                               else self.tr("%1 set a label and move on")).replace("%1", keys))
        if self.suggestions.on:
            a_is_a_label = any((label.shortcut or "").lower() == "a" for label in labels)
            label_keys.append(self.tr("Enter accepts the suggestion") if a_is_a_label
                              else self.tr("Enter or A accepts the suggestion"))
        if len(labels) > FINDER_LABELS:
            label_keys.append(self.tr("/ finds a label by its name"))
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
