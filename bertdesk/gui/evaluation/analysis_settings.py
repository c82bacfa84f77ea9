"""What to fit before a cross-validation or a learning curve: the model (the Train tab's picker,
the fast model chosen) and, for a transformer, the training preset; plus each analysis's own
settings (folds; score and models per point)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bertdesk.gui.training.train_models import FAST_SPEC, BaseModelPicker
from bertdesk.gui.training.train_settings import preset_title

PRESET_NAMES = ("quick", "balanced", "thorough")  # bertdesk.ml.config.PRESETS, without loading ml
DEFAULT_PRESET = "quick"  # one fine-tuning per fold or point: the quickest is dear enough


class AnalysisDialog(QDialog):
    """The model and preset rows every analysis shares; subclasses add their own rows to ``form``."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        explanation = QLabel(intro)
        explanation.setWordWrap(True)
        self.models = BaseModelPicker()
        self.models.combo.setCurrentIndex(self.models.combo.findData(FAST_SPEC))
        self.models.scan_cache()
        self.preset_box = QComboBox()
        for name in PRESET_NAMES:
            self.preset_box.addItem(preset_title(name), name)
        self.preset_box.setCurrentIndex(self.preset_box.findData(DEFAULT_PRESET))
        self.preset_box.setToolTip(self.tr("How long each fine-tuning trains. The fast model has no such setting."))
        self.form = QFormLayout()
        self.form.addRow(self.tr("Model:"), self.models)
        self.form.addRow(self.tr("Training:"), self.preset_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.models.model_changed.connect(self._model_changed)
        self._model_changed(self.model())

    def model(self) -> str:
        return self.models.spec()

    def config(self) -> Any:
        """The ``TrainConfig`` the analysis fits each model with."""
        from bertdesk.ml.config import TrainConfig

        return TrainConfig.from_preset(str(self.preset_box.currentData()), model=self.model())

    def _model_changed(self, model: str) -> None:
        self.preset_box.setEnabled(model != FAST_SPEC)

    def done(self, result: int) -> None:  # Qt override
        """However the dialog ends, the picker's cache listing is joined first."""
        self.models.shutdown()
        super().done(result)


class CrossValidationDialog(AnalysisDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Cross-validate"),
            self.tr(
                "The labelled texts outside the test split are dealt into folds that keep each "
                "label's share. For each fold a model learns from the other folds and is scored "
                "on this one, so every text is predicted by a model that did not learn from it. "
                "The fast model takes seconds; a transformer fine-tunes one model per fold."
            ),
            parent,
        )
        self.folds_box = QSpinBox()
        self.folds_box.setRange(2, 20)
        self.folds_box.setValue(5)
        self.folds_box.setToolTip(self.tr("More folds: each model learns from more texts, and it takes longer."))
        self.form.addRow(self.tr("Folds:"), self.folds_box)

    def folds(self) -> int:
        return self.folds_box.value()


class LearningCurveDialog(AnalysisDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Learning curve"),
            self.tr(
                "Models are fitted on 25, 50, 75 and 100% of the labelled training texts and "
                "scored on the same validation texts. A curve fitted through the scores says "
                "whether labelling more texts is likely to help. Nothing is stored."
            ),
            parent,
        )
        self.metric_box = QComboBox()
        self.metric_box.addItem(self.tr("Macro-F1"), "macro_f1")
        self.metric_box.addItem(self.tr("Accuracy"), "accuracy")
        self.samples_box = QSpinBox()
        self.samples_box.setRange(1, 10)
        self.samples_box.setToolTip(self.tr(
            "Each point is the mean score of this many models, each fitted on another sample of "
            "that size: one sample's curve bends with the luck of its draw."
        ))
        self.form.addRow(self.tr("Score:"), self.metric_box)
        self.form.addRow(self.tr("Models per point:"), self.samples_box)
        self.models.model_changed.connect(self._suggest_samples)
        self._suggest_samples(self.model())

    def score_name(self) -> str:
        return str(self.metric_box.currentData())

    def samples(self) -> int:
        return self.samples_box.value()

    def _suggest_samples(self, model: str) -> None:
        """Three models per point cost seconds with the fast model; a transformer's one is dear."""
        from bertdesk.ml.learning_curve import default_samples

        self.samples_box.setValue(default_samples(model))
