"""The label buttons under the text: as many rows as they need, up to a few, then a scroll.

One button per label in a plain row made the window as wide as all of them: 150 intents asked
for 20,000 pixels, and one 300-character label name for 2,400, wider than most screens. Here the
buttons wrap like words, a long name is cut with "…" (the whole name in the tooltip), past
``MAX_ROWS`` rows the area scrolls, so the text above keeps its room, and many labels get a
field that finds one by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Optional

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from bertdesk.gui.common.label_names import FINDER_LABELS, found_label
from bertdesk.store import LabelInfo

MAX_ROWS = 3
NAME_PIXELS = 240  # a longer label name is cut with "…" on its button
# The label's colour as a stripe on the left. A lone "border-left" rule (as before) left Qt's
# Fusion style drawing its own frame and no stripe; the whole box has to be styled.
BUTTON_STYLE = (
    "QPushButton { border: 1px solid palette(mid); border-left: 6px solid COLOUR; border-radius: 3px;"
    " padding: 4px 10px; background: palette(button); }"
    " QPushButton:hover { background: palette(light); }"
    " QPushButton:pressed { background: palette(midlight); }"
)


class FlowLayout(QLayout):
    """Lays its widgets out left to right and wraps them onto new rows, as text wraps words."""

    def __init__(self, parent: Optional[QWidget] = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt's name)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> Optional[QLayoutItem]:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> Optional[QLayoutItem]:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        """The widest single item: the layout can always wrap down to one item a row."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items in rows within ``rect`` (only measure unless ``move``); the height used."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, row_height = area.x(), area.y(), 0
        for item in self._items:
            widget = item.widget()
            if widget is not None and widget.isHidden():  # narrowed away by the finder
                continue
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, row_height = area.x(), y + row_height + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + margins.bottom()


class LabelButtons(QWidget):
    """A button per label, wrapped into rows; clicking one calls ``on_click`` with its label id.

    With more labels than ``FINDER_LABELS``, a field above them narrows them as one types (``/``
    in the list goes there) and Enter gives the first one left: the 87th of 150 intents is
    then a few keys away, not a scroll and a click.
    """

    def __init__(
        self, on_click: Callable[[int], None], after_pick: Callable[[], None] = lambda: None,
        parent: Optional[QWidget] = None,
    ) -> None:
        super().__init__(parent)
        self.on_click, self.after_pick = on_click, after_pick
        self.finder = QLineEdit()
        self.finder.setPlaceholderText(self.tr("Find a label: type part of its name, Enter gives it (/)"))
        self.finder.setClearButtonEnabled(True)
        self.finder.textChanged.connect(self._narrow)
        self.finder.returnPressed.connect(self._pick_found)
        self.finder.installEventFilter(self)
        self.finder.hide()
        self.area = QScrollArea()
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        self.flow = FlowLayout(inner)
        self.area.setWidget(inner)
        # The pane's own background shows through, as behind the text above it.
        self.area.viewport().setAutoFillBackground(False)
        inner.setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.finder)
        layout.addWidget(self.area)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.buttons: list[QPushButton] = []
        self.names: list[str] = []

    def set_labels(self, labels: Sequence[LabelInfo]) -> None:
        for button in self.buttons:
            self.flow.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons, self.names = [], [label.name for label in labels]
        for label in labels:
            key = f" [{label.shortcut}]" if label.shortcut else ""
            button = QPushButton()
            name = button.fontMetrics().elidedText(label.name, Qt.TextElideMode.ElideRight, NAME_PIXELS)
            button.setText(name + key)
            if name != label.name:
                button.setToolTip(label.name)
            button.setStyleSheet(BUTTON_STYLE.replace("COLOUR", label.color))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, lid=int(label.id): self.on_click(lid))
            button.setProperty("label_id", int(label.id))
            self.flow.addWidget(button)
            self.buttons.append(button)
        if len(labels) <= FINDER_LABELS:
            self.finder.clear()  # hidden, it must not keep buttons narrowed away
        self.finder.setVisible(len(labels) > FINDER_LABELS)
        self._narrow(self.finder.text())

    def start_finding(self) -> bool:
        """Put the typing in the finder, where there is one (the ``/`` key)."""
        if self.finder.isHidden():
            return False
        self.finder.setFocus()
        self.finder.selectAll()
        return True

    def shown_buttons(self) -> list[QPushButton]:
        return [button for button in self.buttons if not button.isHidden()]

    def _narrow(self, text: str) -> None:
        wanted = text.strip().lower()
        for button, name in zip(self.buttons, self.names):
            button.setHidden(bool(wanted) and wanted not in name.lower())
        self.flow.invalidate()
        self._fit_height()

    def _pick_found(self) -> None:
        found = found_label(self.names, self.finder.text())
        if found is not None:
            self.on_click(int(self.buttons[found].property("label_id")))
            self.finder.clear()
            self.after_pick()

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.finder and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Escape:
            self.finder.clear()
            self.after_pick()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the rows of buttons, up to ``MAX_ROWS`` of them; beyond that it scrolls."""
        if not self.buttons:
            self.area.setFixedHeight(0)
            return
        row = self.buttons[0].sizeHint().height()
        most = MAX_ROWS * row + (MAX_ROWS - 1) * self.flow.spacing()
        width = self.area.viewport().width() or self.width()
        self.area.setFixedHeight(min(self.flow.heightForWidth(width), most))
