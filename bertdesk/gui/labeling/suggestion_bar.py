"""The labeling view's suggestion controls: where suggestions come from, the order, the filters.

Two rows under the filter bar. The first chooses the source (off, the fast model that learns
from the labels every N of them, or a finished run's stored predictions) and says what it is
doing. The second orders the texts (the file's order, least confident first, most uncertain
first by entropy where more than two labels make that another order; both drawn by chance
weighted by uncertainty rank, see ``ml.suggest``), keeps the texts
suggested one label with at least some confidence, and accepts all of them at once. The bar
only holds the choices; the view applies them.
"""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from bertdesk.core import LabelId, RunKind, RunStatus
from bertdesk.gui.common.label_names import fit_label_combo
from bertdesk.ml.suggest import FAST_SOURCE, SuggestionSource
from bertdesk.store import LabelInfo, Project
from bertdesk.store.suggestions import ENTROPY_KIND, MARGIN_KIND

OFF = "off"
MAX_RETRAIN_EVERY = 1000
SUGGESTING_RUN_KINDS = (RunKind.TRAINING, RunKind.ENSEMBLE)  # a cross-validation predicts no new text


def source_key(source: Optional[SuggestionSource]) -> object:
    """A source as the combo box keeps it: "off", "fast" or the run id."""
    if source is None:
        return OFF
    return FAST_SOURCE if source.run_id is None else int(source.run_id)


class SuggestionBar(QWidget):
    """Source, retraining interval and status; order, suggestion filters and bulk accept."""

    source_chosen = Signal(object)  # SuggestionSource, or None: off
    retrain_every_changed = Signal(int)
    filter_changed = Signal()  # the order, the suggested label or the least confidence
    accept_all_requested = Signal()

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.source = QComboBox()
        self.source.setToolTip(self.tr(
            "Suggestions are never labels until you accept them. A run is listed once it has "
            "stored predictions (Predict tab: Predict many texts)."))
        self.source.activated.connect(lambda _i: self.source_chosen.emit(self.chosen_source()))
        self.retrain_every = QSpinBox()
        self.retrain_every.setRange(1, MAX_RETRAIN_EVERY)
        self.retrain_every.setToolTip(self.tr("The fast model learns again, in the background, "
                                              "after this many new labels"))
        self.retrain_every.valueChanged.connect(self.retrain_every_changed.emit)
        self.every_label = QLabel(self.tr("learns again every"))
        self.labels_word = QLabel(self.tr("labels"))
        self.status = QLabel()
        self.status.setStyleSheet("color: gray")
        self.status.setWordWrap(False)

        self.order = QComboBox()
        self.order.activated.connect(lambda _i: self.filter_changed.emit())
        self.suggested = fit_label_combo(QComboBox())
        self.suggested.activated.connect(lambda _i: self.filter_changed.emit())
        self.min_confidence = QSpinBox()
        self.min_confidence.setRange(0, 99)
        self.min_confidence.setSingleStep(5)
        self.min_confidence.setSuffix(" %")
        self.min_confidence.setSpecialValueText(self.tr("any"))
        self.min_confidence.setToolTip(self.tr("Only texts whose suggestion is at least this sure"))
        self.min_confidence.setKeyboardTracking(False)  # typing "85" filters once, at 85
        self.min_confidence.valueChanged.connect(lambda _v: self.filter_changed.emit())
        self.accept_all = QPushButton()
        self.accept_all.clicked.connect(self.accept_all_requested.emit)

        source_row = QHBoxLayout()
        source_row.setContentsMargins(0, 0, 0, 0)
        source_row.addWidget(QLabel(self.tr("Suggestions:")))
        source_row.addWidget(self.source)
        source_row.addWidget(self.every_label)
        source_row.addWidget(self.retrain_every)
        source_row.addWidget(self.labels_word)
        source_row.addWidget(self.status, 1)
        self.order_label = QLabel(self.tr("Order:"))
        self.suggested_label = QLabel(self.tr("Suggested:"))
        self.confidence_label = QLabel(self.tr("at least"))
        order_row = QHBoxLayout()
        order_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.order_label, self.order, self.suggested_label, self.suggested,
                       self.confidence_label, self.min_confidence, self.accept_all):
            order_row.addWidget(widget)
        order_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(source_row)
        layout.addLayout(order_row)

    # ------------------------------------------------------------ filling
    def fill_sources(self, project: Project, chosen: Optional[SuggestionSource]) -> None:
        """Off, the fast model, and each finished run that has stored predictions."""
        self.source.clear()
        self.source.addItem(self.tr("Off"), OFF)
        self.source.addItem(self.tr("Fast model, learns from your labels"), FAST_SOURCE)
        for run in project.runs():
            if (run.status is RunStatus.FINISHED and run.kind in SUGGESTING_RUN_KINDS
                    and project.predictions_stored(run.id)):
                model = run.base_model.replace("\\", "/").rstrip("/").split("/")[-1]
                self.source.addItem(self.tr("Predictions of run %1").replace("%1", f"#{run.id} {model}"), int(run.id))
        position = self.source.findData(source_key(chosen))
        if position < 0:  # a run gone since: its suggestions are still shown until changed
            self.source.addItem(self.tr("Predictions of run %1").replace("%1", f"#{source_key(chosen)}"),
                                source_key(chosen))
            position = self.source.count() - 1
        self.source.setCurrentIndex(position)

    def fill_labels(self, labels: list[LabelInfo], entropy_orders_otherwise: bool) -> None:
        """The orders and the suggested-label choices for this label set (keeping the choices)."""
        order, suggested = self.order.currentData(), self.suggested.currentData()
        self.order.clear()
        self.order.addItem(self.tr("File order"), None)
        self.order.addItem(self.tr("Least confident first"), MARGIN_KIND)
        if entropy_orders_otherwise:  # two labels: the entropy orders the texts as the margin does
            self.order.addItem(self.tr("Most uncertain first (entropy)"), ENTROPY_KIND)
        drawn = self.tr("The texts the model is least sure of come first, drawn by chance in "
                        "proportion to their place (the most uncertain ones most often), so that a "
                        "page is not filled with near-copies of one text.")
        for index in range(1, self.order.count()):
            self.order.setItemData(index, drawn, Qt.ItemDataRole.ToolTipRole)
        self.order.setCurrentIndex(max(self.order.findData(order), 0))
        self.suggested.clear()
        self.suggested.addItem(self.tr("any label"), None)
        for label in labels:
            self.suggested.addItem(label.name, int(label.id))
        self.suggested.setCurrentIndex(max(self.suggested.findData(suggested), 0))

    def set_on(self, on: bool, fast: bool) -> None:
        """Order and filters need suggestions; the interval is the fast model's."""
        for widget in (self.order_label, self.order, self.suggested_label, self.suggested,
                       self.confidence_label, self.min_confidence):
            widget.setVisible(on)
        if not on:
            self.accept_all.hide()
        for widget in (self.every_label, self.retrain_every, self.labels_word):
            widget.setVisible(on and fast)

    def take_over(self, old: SuggestionBar) -> None:
        """The choices of the bar this one replaces (a change of language)."""
        self.order.setCurrentIndex(old.order.currentIndex())
        self.suggested.setCurrentIndex(old.suggested.currentIndex())
        self.min_confidence.setValue(old.min_confidence.value())

    # ------------------------------------------------------------ reading
    def chosen_source(self) -> Optional[SuggestionSource]:
        key = self.source.currentData()
        if key == OFF or key is None:
            return None
        return SuggestionSource() if key == FAST_SOURCE else SuggestionSource.parse(str(key))

    def order_kind(self) -> Optional[str]:
        """The score kind the rows are ordered by; None: the file's order."""
        kind = self.order.currentData()
        return str(kind) if kind else None

    def suggested_label_id(self) -> Optional[LabelId]:
        chosen = self.suggested.currentData()
        return LabelId(chosen) if isinstance(chosen, int) else None

    def least_confidence(self) -> Optional[float]:
        value = self.min_confidence.value()
        return value / 100 if value else None

    def show_accept_all(self, count: Optional[int], why_not: str, one_label: bool) -> None:
        """"Accept all N shown", for the texts suggested one label: ``count`` None while
        counting; ``why_not`` says why it is off."""
        text = (self.tr("Accept all shown") if count is None
                else self.tr("Accept all %1 shown").replace("%1", f"{count:,}"))
        self.accept_all.setText(text)
        self.accept_all.setVisible(one_label and not self.order.isHidden())
        self.accept_all.setEnabled(not why_not and bool(count))
        self.accept_all.setToolTip(why_not or self.tr(
            "Give every text shown its suggested label, as one step you can undo"))
