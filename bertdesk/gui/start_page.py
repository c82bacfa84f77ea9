"""What the window shows before a project is open, and in an open project without texts.

``StartPage``: new project, open, import a data file, the demo in English or Chinese, the
recent projects (a missing one says so) and where to drop a file. ``EmptyProjectPanel``
stands in the labeling view's place while a project has no texts, with the one next step:
import them. Both only ask (signals); the main window does the work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

PAGE_WIDTH = 760  # the start page's column: readable lines on a wide screen
PATH_ROLE = Qt.ItemDataRole.UserRole


def _title(font_scale: float = 1.0, bold: bool = True) -> QLabel:
    label = QLabel()
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * font_scale)
    font.setBold(bold)
    label.setFont(font)
    return label


def _drop_zone() -> QLabel:
    """A dashed box saying that a file may be dropped (the window takes the drop)."""
    zone = QLabel()
    zone.setWordWrap(True)
    zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
    zone.setMinimumHeight(80)
    zone.setStyleSheet("QLabel { border: 2px dashed palette(mid); border-radius: 8px; padding: 12px; }")
    return zone



def centre_column(page: QWidget, column: QVBoxLayout) -> QHBoxLayout:
    """Lay ``column`` out in the middle of ``page``, at most PAGE_WIDTH wide."""
    body = QWidget()
    body.setLayout(column)
    body.setMaximumWidth(PAGE_WIDTH)
    outer = QHBoxLayout(page)
    outer.addStretch(1)
    outer.addWidget(body, 4)
    outer.addStretch(1)
    return outer

class StartPage(QWidget):
    """The window with no project open: every way to start, one click each."""

    new_requested = Signal()
    open_requested = Signal()
    import_requested = Signal()  # choose a data file, then a new project for it
    demo_requested = Signal(str)  # "en" or "zh"
    recent_chosen = Signal(Path)

    def __init__(self, recent: list[str], parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.welcome = _title(1.8)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.new_button = QPushButton()
        self.open_button = QPushButton()
        self.import_button = QPushButton()
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.import_button.clicked.connect(self.import_requested)
        self.new_button.setDefault(True)
        start_row = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.import_button):
            button.setMinimumHeight(36)
            start_row.addWidget(button)
        start_row.addStretch(1)
        self.demo_title = _title(1.15)
        self.demo_note = QLabel()
        self.demo_note.setWordWrap(True)
        self.demo_en_button = QPushButton()
        self.demo_zh_button = QPushButton()
        self.demo_en_button.clicked.connect(lambda: self.demo_requested.emit("en"))
        self.demo_zh_button.clicked.connect(lambda: self.demo_requested.emit("zh"))
        demo_row = QHBoxLayout()
        demo_row.addWidget(self.demo_en_button)
        demo_row.addWidget(self.demo_zh_button)
        demo_row.addStretch(1)
        self.recent_title = _title(1.15)
        self.recent_list = QListWidget()
        self.recent_list.setStyleSheet("QListWidget::item { padding: 4px; }")
        self.recent_list.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.recent_list.itemActivated.connect(self._recent_activated)
        self.recent_list.itemClicked.connect(self._recent_activated)
        self.no_recent = QLabel()
        self.drop_zone = _drop_zone()
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(self.welcome)
        column.addWidget(self.intro)
        column.addSpacing(8)
        column.addLayout(start_row)
        column.addSpacing(16)
        column.addWidget(self.demo_title)
        column.addWidget(self.demo_note)
        column.addLayout(demo_row)
        column.addSpacing(16)
        column.addWidget(self.recent_title)
        column.addWidget(self.no_recent)
        column.addWidget(self.recent_list)
        column.addSpacing(16)
        column.addWidget(self.drop_zone)
        column.addStretch(2)
        centre_column(self, column).setContentsMargins(24, 24, 24, 24)
        self._recent = list(recent)
        self.retranslate()

    def retranslate(self) -> None:
        """Every string, again after the language changed."""
        self.welcome.setText(self.tr("Welcome to bertdesk"))
        self.intro.setText(self.tr(
            "Label texts, fine-tune a BERT classifier and test it, on your own computer. "
            "A project is one file that holds your texts, labels and trained models."
        ))
        self.new_button.setText(self.tr("New project…"))
        self.open_button.setText(self.tr("Open project…"))
        self.import_button.setText(self.tr("Import a data file…"))
        self.import_button.setToolTip(self.tr("Choose a file of texts; a new project is made beside it."))
        self.demo_title.setText(self.tr("Try the demo"))
        self.demo_note.setText(self.tr(
            "A project of a few hundred short reviews, most of them labelled, ready to train."
        ))
        self.demo_en_button.setText(self.tr("English reviews"))
        self.demo_zh_button.setText(self.tr("Chinese reviews"))
        self.recent_title.setText(self.tr("Recent projects"))
        self.no_recent.setText(self.tr("None yet: the projects you open are listed here."))
        self.drop_zone.setText(self.tr(
            "Drop a data file here (CSV, TSV, TXT, JSON Lines, Excel or Parquet) to import it "
            "into a new project, or a .bertdesk project to open it."
        ))
        self.set_recent(self._recent)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_recent(self, recent: list[str]) -> None:
        """List the recent projects, newest first; one whose file is gone is shown as missing."""
        self._recent = list(recent)
        self.recent_list.clear()
        for name in recent:
            path = Path(name)
            if path.exists():
                item = QListWidgetItem(self.tr("{name}  —  {folder}").format(name=path.name, folder=path.parent))
                item.setData(PATH_ROLE, str(path))
            else:
                item = QListWidgetItem(self.tr("{name}  —  missing (no file at {path})").format(
                    name=path.name, path=path))
                item.setFlags(item.flags() & ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable))
            item.setToolTip(str(path))
            self.recent_list.addItem(item)
        # As tall as its entries: the page has no empty box in its middle.
        rows = sum(self.recent_list.sizeHintForRow(row) for row in range(self.recent_list.count()))
        self.recent_list.setFixedHeight(rows + 2 * self.recent_list.frameWidth() + 2)
        self.recent_list.setVisible(bool(recent))
        self.no_recent.setVisible(not recent)

    def _recent_activated(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if path:
            self.recent_chosen.emit(Path(path))


class EmptyProjectPanel(QFrame):
    """In the labeling view's place while the project holds no texts: the next step is to
    import them (a click, or a file dropped on the window)."""

    import_requested = Signal()

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.title = _title(1.5)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton()
        self.import_button.setMinimumHeight(40)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_requested)
        self.drop_zone = _drop_zone()
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.note)
        column.addSpacing(12)
        column.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addSpacing(12)
        column.addWidget(self.drop_zone)
        column.addStretch(2)
        centre_column(self, column)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("This project has no texts yet"))
        self.note.setText(self.tr(
            "Import them from a file: the wizard shows how it will be read, lets you name the "
            "labels and changes nothing until the last step."
        ))
        self.import_button.setText(self.tr("Import texts…"))
        self.drop_zone.setText(self.tr("Or drop a data file here (CSV, TSV, TXT, JSON Lines, Excel or Parquet)."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
