"""The confusion matrix as a table of coloured cells with counts, and the report's CSV export.

A table rather than an image: every cell is clickable, readable at any size, reachable by
keyboard and its colours need no legend beyond "darker = more texts".
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

CORRECT_RGB = (46, 139, 87)  # sea green: the diagonal, texts the model got right
WRONG_RGB = (214, 39, 40)  # red: mistakes
ModelIndex = QModelIndex | QPersistentModelIndex



def confusion_from_examples(
    label_names: Sequence[str], examples: Sequence[dict[str, Any]]
) -> list[list[int]]:
    """Count examples by (given, predicted) label name: [given][predicted], in label order.

    An example's ``true`` is the list of its given labels; the first one counts, as in the
    engine's single-label matrix.
    """
    position = {name: index for index, name in enumerate(label_names)}
    matrix = [[0] * len(label_names) for _ in label_names]
    for example in examples:
        true, predicted = position.get(given_label(example)), position.get(example["predicted"])
        if true is not None and predicted is not None:
            matrix[true][predicted] += 1
    return matrix


def given_label(example: dict[str, Any]) -> str:
    """The label an evaluated text was given (the first, for a multi-label text)."""
    return example["true"][0] if example["true"] else ""


def _blend(rgb: tuple[int, int, int], share: float) -> QColor:
    """White at share 0, the full colour at share 1."""
    share = min(max(share, 0.0), 1.0)
    return QColor(*(round(255 + (channel - 255) * share) for channel in rgb))


class ConfusionModel(QAbstractTableModel):
    """Rows are the true labels, columns the predicted ones; shade = share of the true row."""

    def __init__(self) -> None:
        super().__init__()
        self.label_names: list[str] = []
        self.matrix: list[list[int]] = []

    def set_matrix(self, label_names: Sequence[str], matrix: Sequence[Sequence[int]]) -> None:
        self.beginResetModel()
        self.label_names = list(label_names)
        self.matrix = [list(row) for row in matrix]
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.matrix)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.label_names)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        count = self.matrix[index.row()][index.column()]
        row_total = sum(self.matrix[index.row()]) or 1
        share = count / row_total
        if role == Qt.ItemDataRole.DisplayRole:
            return str(count)
        if role == Qt.ItemDataRole.BackgroundRole:
            rgb = CORRECT_RGB if index.row() == index.column() else WRONG_RGB
            return _blend(rgb, 0.12 + 0.88 * share if count else 0.0)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("white") if share > 0.55 else QColor("#111")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(
                "{count} text(s) labelled “{true}” were predicted as “{predicted}” "
                "({share:.0%} of “{true}”)", "", count,
            ).format(
                count=f"{count:,}", true=self.label_names[index.row()],
                predicted=self.label_names[index.column()], share=share,
            )
        return None

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or section >= len(self.label_names):
            return None
        return self.label_names[section]


def write_report_csv(path: Path, report: Any, confusion: Sequence[Sequence[int]]) -> None:
    """Metrics, the per-class table and the confusion matrix, as three blocks of one CSV file.

    UTF-8 with a byte-order mark so spreadsheet programs read Chinese label names correctly.
    """
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["metric", "value"])
        writer.writerow(["split", report.split])
        for name in ("accuracy", "macro_f1", "micro_f1", "weighted_f1"):
            writer.writerow([name, f"{getattr(report, name):.4f}"])
        writer.writerow([])
        writer.writerow(["label", "precision", "recall", "f1", "support"])
        for row in report.per_class:
            writer.writerow([
                row["label"], f"{row['precision']:.4f}", f"{row['recall']:.4f}",
                f"{row['f1']:.4f}", row["support"],
            ])
        writer.writerow([])
        writer.writerow(["true \\ predicted", *report.label_names])
        for name, counts in zip(report.label_names, confusion):
            writer.writerow([name, *counts])
