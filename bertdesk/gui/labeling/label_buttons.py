"""The label buttons under the text: as many rows as they need, up to a few, then a scroll.

One button per label in a plain row made the window as wide as all of them: 150 intents asked
for 20,000 pixels, and one 300-character label name for 2,400, wider than most screens. Here the
buttons wrap like words, a long name is cut with "…" (the whole name in the tooltip), and past
``MAX_ROWS`` rows the area scrolls, so the text above keeps its room.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Optional

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QFrame, QLayout, QLayoutItem, QPushButton, QScrollArea, QSizePolicy, QWidget

from bertdesk.store import LabelInfo

MAX_ROWS = 3
NAME_PIXELS = 240  # a longer label name is cut with "…" on its button


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
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, row_height = area.x(), y + row_height + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + margins.bottom()


class LabelButtons(QScrollArea):
    """A button per label, wrapped into rows; clicking one calls ``on_click`` with its label id."""

    def __init__(self, on_click: Callable[[int], None], parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.on_click = on_click
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        inner = QWidget()
        self.flow = FlowLayout(inner)
        self.setWidget(inner)
        # The pane's own background shows through, as behind the text above it.
        self.viewport().setAutoFillBackground(False)
        inner.setAutoFillBackground(False)
        self.buttons: list[QPushButton] = []

    def set_labels(self, labels: Sequence[LabelInfo]) -> None:
        for button in self.buttons:
            self.flow.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = []
        for label in labels:
            key = f" [{label.shortcut}]" if label.shortcut else ""
            button = QPushButton()
            name = button.fontMetrics().elidedText(label.name, Qt.TextElideMode.ElideRight, NAME_PIXELS)
            button.setText(name + key)
            if name != label.name:
                button.setToolTip(label.name)
            button.setStyleSheet(f"border-left: 6px solid {label.color}; padding: 4px 10px;")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, lid=int(label.id): self.on_click(lid))
            self.flow.addWidget(button)
            self.buttons.append(button)
        self._fit_height()

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the rows of buttons, up to ``MAX_ROWS`` of them; beyond that it scrolls."""
        if not self.buttons:
            self.setFixedHeight(0)
            return
        row = self.buttons[0].sizeHint().height()
        most = MAX_ROWS * row + (MAX_ROWS - 1) * self.flow.spacing()
        width = self.viewport().width() or self.width()
        self.setFixedHeight(min(self.flow.heightForWidth(width), most))
