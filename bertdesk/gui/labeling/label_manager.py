"""The label manager: add, rename, recolour, reorder, set shortcuts, merge and delete labels."""

from __future__ import annotations

from typing import Any, Optional

from PySide6.QtGui import QColor, QPixmap, QIcon
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import BertdeskError, LabelId
from bertdesk.gui.common.errors import user_error_text
from bertdesk.gui.common.bidi import isolated
from bertdesk.gui.common.session import ProjectSession
from bertdesk.ops import add_label, delete_label, merge_labels, reorder_labels, update_label


def colour_icon(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class LabelManager(QDialog):
    def __init__(self, session: ProjectSession, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.setWindowTitle(self.tr("Labels"))
        self.resize(460, 380)
        self.list = QListWidget()
        buttons = QVBoxLayout()
        actions = (
            (self.tr("Add…"), self.add), (self.tr("Rename…"), self.rename),
            (self.tr("Colour…"), self.recolour), (self.tr("Shortcut…"), self.set_shortcut),
            (self.tr("Move up"), lambda: self.move_label(-1)), (self.tr("Move down"), lambda: self.move_label(1)),
            (self.tr("Merge into…"), self.merge), (self.tr("Delete…"), self.delete),
        )
        for text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(close)
        self.refresh()

    def refresh(self, select: Optional[LabelId] = None) -> None:
        self.list.clear()
        for label in self.project.labels():
            shortcut = f"   [{label.shortcut}]" if label.shortcut else ""
            usage = self.project.label_usage(label.id)
            item = QListWidgetItem(colour_icon(label.color),
                                   self.tr("%1 — %2 text(s)%3", "", usage).replace("%1", isolated(label.name))
                                   .replace("%2", f"{usage:,}").replace("%3", shortcut))
            item.setData(256, int(label.id))
            self.list.addItem(item)
            if label.id == select:
                self.list.setCurrentItem(item)

    def selected(self) -> Optional[LabelId]:
        item = self.list.currentItem()
        return None if item is None else LabelId(item.data(256))

    def _do(self, op: Any, *args: Any, select: Optional[LabelId] = None, **fields: Any) -> None:
        """Run the operation through the session (every view follows), report a user error."""
        try:
            self.session.run_op(op, *args, **fields)
        except BertdeskError as error:
            QMessageBox.warning(self, self.tr("Labels"), " ".join(user_error_text(error)).strip())
            return
        self.refresh(select)

    def add(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New label"), self.tr("Name:"))
        if ok:
            self._do(add_label, name)

    def rename(self) -> None:
        label_id = self.selected()
        if label_id is None:
            return
        current = next(l.name for l in self.project.labels() if l.id == label_id)
        name, ok = QInputDialog.getText(self, self.tr("Rename label"), self.tr("Name:"), text=current)
        if ok:
            self._do(update_label, label_id, name=name, select=label_id)

    def recolour(self) -> None:
        label_id = self.selected()
        if label_id is None:
            return
        current = next(l.color for l in self.project.labels() if l.id == label_id)
        colour = QColorDialog.getColor(QColor(current), self, self.tr("Label colour"))
        if colour.isValid():
            self._do(update_label, label_id, color=colour.name(), select=label_id)

    def set_shortcut(self) -> None:
        label_id = self.selected()
        if label_id is None:
            return
        key, ok = QInputDialog.getText(
            self, self.tr("Shortcut"), self.tr("One key (a digit or letter; empty for none):"))
        if ok:
            key = key.strip()[:1].lower()
            self._do(update_label, label_id, shortcut=key or None, clear_shortcut=not key, select=label_id)

    def move_label(self, step: int) -> None:
        label_id = self.selected()
        ids = [l.id for l in self.project.labels()]
        if label_id is None:
            return
        position = ids.index(label_id)
        target = position + step
        if 0 <= target < len(ids):
            ids[position], ids[target] = ids[target], ids[position]
            self._do(reorder_labels, ids, select=label_id)

    def merge(self) -> None:
        source = self.selected()
        if source is None:
            return
        labels = self.project.labels()
        others = [l for l in labels if l.id != source]
        if not others:
            return
        names = [l.name for l in others]
        target_name, ok = QInputDialog.getItem(
            self, self.tr("Merge label"), self.tr("Merge into:"), names, 0, False)
        if not ok:
            return
        target = others[names.index(target_name)].id
        usage = self.project.label_usage(source)
        source_name = next(l.name for l in labels if l.id == source)
        answer = QMessageBox.question(
            self, self.tr("Merge label"),
            self.tr("Give the %3 text(s) labelled '%1' the label '%2' and delete '%1'? "
                    "This cannot be undone, and it clears the undo history.", "", usage)
            .replace("%1", isolated(source_name)).replace("%2", isolated(target_name))
            .replace("%3", f"{usage:,}"))
        if answer == QMessageBox.StandardButton.Yes:
            self._do(merge_labels, source, target, select=target)

    def delete(self) -> None:
        label_id = self.selected()
        if label_id is None:
            return
        name = next(l.name for l in self.project.labels() if l.id == label_id)
        usage = self.project.label_usage(label_id)
        answer = QMessageBox.question(
            self, self.tr("Delete label"),
            self.tr("Delete the label '%1'? %2 text(s) will lose it. "
                    "This cannot be undone, and it clears the undo history.", "", usage)
            .replace("%1", isolated(name)).replace("%2", f"{usage:,}"))
        if answer == QMessageBox.StandardButton.Yes:
            self._do(delete_label, label_id)
