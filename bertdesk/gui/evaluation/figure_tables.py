"""Small read-only tables of figures (folds, labels, curve points), as tall as their rows, so
the pages around them need not scroll; past ``FITTED_ROWS`` rows (150 labels) they scroll
instead, or the window grew 3,600 pixels tall."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

FITTED_ROWS = 12


def results_table(headers: list[str]) -> QTableWidget:
    """A read-only table of figures with these column titles."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]], bold_last: bool = False) -> None:
    """Rows of text, figures right-aligned (every column but the first), the table fitted to them."""
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, value in enumerate(cells):
            item = QTableWidgetItem(value)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold_last and row == len(rows) - 1:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            table.setItem(row, column, item)
    table.resizeRowsToContents()
    frame = 2 * table.frameWidth()
    shown = sum(table.rowHeight(row) for row in range(min(len(rows), FITTED_ROWS)))
    table.setVerticalScrollBarPolicy(
        Qt.ScrollBarPolicy.ScrollBarAsNeeded if len(rows) > FITTED_ROWS else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    )
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + shown + frame)
