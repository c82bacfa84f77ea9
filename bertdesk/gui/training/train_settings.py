"""The preset chooser and the advanced section: one input per field of ``TrainConfig``.

The inputs are built from the dataclass itself, so a field the engine adds shows up here with
its tooltip from ``FIELD_HELP`` and nobody has to remember to add it by hand.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import RunKind
from bertdesk.ml.config import FIELD_HELP, PRECISIONS, PRESETS, TrainConfig
from bertdesk.ml.family import FAST
from bertdesk.ml.models.fast import USED_SETTINGS
from bertdesk.store import RunInfo

# Fields chosen elsewhere in the panel (model picker, preset combo) rather than in the form.
NOT_IN_FORM = ("model", "preset")
CHOICES: dict[str, tuple[str, ...]] = {
    "truncation": ("head", "tail", "head+tail"),
    "early_stopping_metric": ("macro_f1", "accuracy", "loss"),
    "device": ("auto", "cpu", "cuda", "mps"),
    "precision": PRECISIONS,
}
FLOAT_RANGES: dict[str, tuple[float, float, float]] = {
    # field: (minimum, maximum, single step)
    "learning_rate": (1e-7, 1.0, 1e-5),
    "head_learning_rate": (1e-7, 1.0, 1e-4),
    "layer_decay": (0.01, 1.0, 0.05),
    "weight_decay": (0.0, 1.0, 0.01),
    "warmup_ratio": (0.0, 0.9, 0.05),
    "epochs": (0.1, 100.0, 0.5),
    "validation_fraction": (0.01, 0.45, 0.05),
}
INT_RANGES: dict[str, tuple[int, int]] = {
    "batch_size": (1, 1024),
    "gradient_accumulation": (1, 256),
    "max_length": (8, 4096),
    "seed": (0, 2**31 - 1),
    "early_stopping_patience": (1, 100),
    "max_minutes": (1, 100_000),
    "min_steps": (0, 1_000_000),
    "evaluations_per_epoch": (1, 100),
}



def preset_title(name: str) -> str:
    """The preset names people read in the combo box."""
    titles = {
        "quick": QCoreApplication.translate("TrainSettings", "Quick: a first model in minutes"),
        "balanced": QCoreApplication.translate("TrainSettings", "Balanced: good results, moderate time"),
        "thorough": QCoreApplication.translate("TrainSettings", "Thorough: best results, takes longest"),
    }
    return titles.get(name, name)


def preset_name(name: str) -> str:
    """A preset's short name, as the run history lists it."""
    names = {
        "quick": QCoreApplication.translate("TrainSettings", "quick"),
        "balanced": QCoreApplication.translate("TrainSettings", "balanced"),
        "thorough": QCoreApplication.translate("TrainSettings", "thorough"),
    }
    return names.get(name, name)


def choice_title(value: str) -> str:
    """A choice of the advanced form as people read it; the stored value stays the engine's."""
    titles = {
        "head": QCoreApplication.translate("TrainSettings", "head: keep the start"),
        "tail": QCoreApplication.translate("TrainSettings", "tail: keep the end"),
        "head+tail": QCoreApplication.translate("TrainSettings", "head+tail: keep both ends"),
        "macro_f1": QCoreApplication.translate("TrainSettings", "macro-F1"),
        "accuracy": QCoreApplication.translate("TrainSettings", "accuracy"),
        "loss": QCoreApplication.translate("TrainSettings", "validation loss"),
        "auto": QCoreApplication.translate("TrainSettings", "automatic"),
        "cpu": QCoreApplication.translate("TrainSettings", "CPU"),
        "cuda": QCoreApplication.translate("TrainSettings", "NVIDIA GPU (CUDA)"),
        "mps": QCoreApplication.translate("TrainSettings", "Apple GPU (MPS)"),
        "fp32": QCoreApplication.translate("TrainSettings", "fp32 (exact, slower)"),
    }
    return titles.get(value, value)


def base_model_title(spec: str) -> str:
    """The base model as people read it: the built-in ones by their names."""
    titles = {
        "default": QCoreApplication.translate("TrainSettings", "all-MiniLM-L6-v2 (built in)"),
        "multilingual": QCoreApplication.translate("TrainSettings", "multilingual-e5-small (built in)"),
        "auto": QCoreApplication.translate("TrainSettings", "automatic"),
        FAST: QCoreApplication.translate("TrainSettings", "fast (TF-IDF + linear)"),
    }
    return titles.get(spec, spec)


def ensemble_title(run: RunInfo) -> str:
    """An ensemble run's model as people read it: the runs it combines."""
    members = ", ".join(str(member["run_id"]) for member in run.params.get("members", []))
    return QCoreApplication.translate("TrainSettings", "ensemble of runs {runs}").format(runs=members)


def run_title(run: RunInfo) -> str:
    """A run as lists name it, in the interface language: number, preset and base model (its
    folder's or Hub id's last part). The stored name is the engine's English, for the CLI."""
    if run.kind is RunKind.ENSEMBLE:
        return f"#{run.id} {ensemble_title(run)}"
    model = base_model_title(re.split(r"[\\/]", run.base_model.rstrip("\\/"))[-1])
    if run.base_model == FAST:  # presets are fine-tuning's
        return f"#{run.id} {model}"
    preset = preset_name(str(run.params.get("config", {}).get("preset", "")))
    return f"#{run.id} {preset} · {model}"


def field_help(name: str) -> str:
    """The engine's sentence about a setting, in the interface language (the tooltip)."""
    return QCoreApplication.translate("FieldHelp", FIELD_HELP.get(name, ""))


def field_title(name: str) -> str:
    titles = {
        "epochs": QCoreApplication.translate("TrainSettings", "Maximum epochs"),
        "max_minutes": QCoreApplication.translate("TrainSettings", "Maximum time (minutes)"),
        "min_steps": QCoreApplication.translate("TrainSettings", "Minimum steps"),
        "learning_rate": QCoreApplication.translate("TrainSettings", "Learning rate"),
        "head_learning_rate": QCoreApplication.translate("TrainSettings", "Learning rate of the new layer"),
        "layer_decay": QCoreApplication.translate("TrainSettings", "Layer-wise rate decay"),
        "batch_size": QCoreApplication.translate("TrainSettings", "Batch size"),
        "gradient_accumulation": QCoreApplication.translate("TrainSettings", "Gradient accumulation"),
        "max_length": QCoreApplication.translate("TrainSettings", "Max length (tokens)"),
        "truncation": QCoreApplication.translate("TrainSettings", "Truncation"),
        "weight_decay": QCoreApplication.translate("TrainSettings", "Weight decay"),
        "warmup_ratio": QCoreApplication.translate("TrainSettings", "Warm-up share"),
        "class_weights": QCoreApplication.translate("TrainSettings", "Weigh rare labels more"),
        "seed": QCoreApplication.translate("TrainSettings", "Random seed"),
        "early_stopping_patience": QCoreApplication.translate("TrainSettings", "Early stopping patience"),
        "early_stopping_metric": QCoreApplication.translate("TrainSettings", "Early stopping metric"),
        "evaluations_per_epoch": QCoreApplication.translate("TrainSettings", "Evaluations per epoch"),
        "device": QCoreApplication.translate("TrainSettings", "Device"),
        "precision": QCoreApplication.translate("TrainSettings", "Precision"),
        "allow_unsafe_weights": QCoreApplication.translate("TrainSettings", "Allow pickle weights (unsafe)"),
        "validation_fraction": QCoreApplication.translate("TrainSettings", "Validation share if none"),
        "train_word_embeddings": QCoreApplication.translate("TrainSettings", "Train word embeddings too"),
        "average_weights": QCoreApplication.translate("TrainSettings", "Average the weights"),
    }
    return titles.get(name, name.replace("_", " ").capitalize())


class ScientificSpinBox(QDoubleSpinBox):
    """A spin box that shows and accepts 5e-05 as well as 0.00005 (learning rates)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(12)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        return f"{value:g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt override)
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, position: int) -> tuple[QValidator.State, str, int]:
        try:
            float(text)
        except ValueError:
            return (QValidator.State.Intermediate, text, position)
        return (QValidator.State.Acceptable, text, position)


class TrainSettings(QWidget):
    """Preset combo plus a foldable advanced form; ``config(model)`` reads everything back."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hints = typing.get_type_hints(TrainConfig)
        self._inputs: dict[str, QWidget] = {}
        self.preset_box = QComboBox()
        for name in PRESETS:
            self.preset_box.addItem(preset_title(name), name)
        self.preset_box.setToolTip(field_help("preset"))
        self.advanced_button = QToolButton()
        self.advanced_button.setText(self.tr("Advanced settings"))
        self.advanced_button.setCheckable(True)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_box = QGroupBox()
        form = QFormLayout(self.advanced_box)
        for spec in dataclasses.fields(TrainConfig):
            if spec.name in NOT_IN_FORM:
                continue
            editor = self._make_input(spec.name)
            editor.setToolTip(field_help(spec.name))
            self._inputs[spec.name] = editor
            form.addRow(field_title(spec.name), editor)
            form.labelForField(editor).setToolTip(field_help(spec.name))
        self.advanced_box.setVisible(False)
        self.advanced_button.toggled.connect(self._show_advanced)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preset_box)
        layout.addWidget(self.advanced_button)
        layout.addWidget(self.advanced_box)
        self.preset_box.currentIndexChanged.connect(self._apply_preset)
        default = "quick" if "quick" in PRESETS else next(iter(PRESETS))
        self.preset_box.setCurrentIndex(self.preset_box.findData(default))
        self._apply_preset()

    def _show_advanced(self, shown: bool) -> None:
        self.advanced_box.setVisible(shown)
        self.advanced_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    def _make_input(self, name: str) -> QWidget:
        kind = self._hints[name]
        optional = type(None) in typing.get_args(kind)
        base = next((t for t in typing.get_args(kind) if t is not type(None)), kind)
        editor: QWidget
        if name in CHOICES:
            editor = QComboBox()
            for choice in CHOICES[name]:
                editor.addItem(choice_title(choice), choice)
            editor.currentIndexChanged.connect(self.changed)
        elif base is bool:
            editor = QCheckBox()
            editor.toggled.connect(self.changed)
        elif base is int:
            editor = QSpinBox()
            low, high = INT_RANGES.get(name, (0, 1_000_000))
            editor.setRange(low, high)
            if optional:
                # The lowest value stands for "not set" (e.g. no early stopping).
                editor.setMinimum(low - 1 if low > 0 else -1)
                editor.setSpecialValueText(self.tr("off"))
            editor.valueChanged.connect(self.changed)
        elif base is float:
            editor = ScientificSpinBox() if name in ("learning_rate", "head_learning_rate") else QDoubleSpinBox()
            minimum, maximum, step = FLOAT_RANGES.get(name, (0.0, 1_000_000.0, 0.1))
            if not isinstance(editor, ScientificSpinBox):
                editor.setDecimals(3)
            editor.setRange(minimum, maximum)
            editor.setSingleStep(step)
            editor.valueChanged.connect(self.changed)
        else:
            editor = QComboBox()
            editor.setEditable(True)
            editor.currentTextChanged.connect(self.changed)
        return editor

    def _apply_preset(self) -> None:
        preset = self.preset_box.currentData()
        self.set_config(TrainConfig.from_preset(preset))
        self.changed.emit()

    def set_config(self, config: TrainConfig) -> None:
        """Show a config's values (a preset's, or a past run's parameters)."""
        for name, editor in self._inputs.items():
            value = getattr(config, name)
            editor.blockSignals(True)
            if isinstance(editor, QComboBox):
                index = editor.findData(value)
                if index < 0:
                    editor.addItem(choice_title(str(value)), value)
                    index = editor.count() - 1
                editor.setCurrentIndex(index)
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(editor.minimum() if value is None else int(value))
            elif isinstance(editor, QDoubleSpinBox):
                editor.setValue(float(value))
            editor.blockSignals(False)

    def values(self) -> dict[str, Any]:
        """Every advanced field as the user set it."""
        found: dict[str, Any] = {}
        for name, editor in self._inputs.items():
            if isinstance(editor, QComboBox):
                found[name] = editor.currentData() or editor.currentText()
            elif isinstance(editor, QCheckBox):
                found[name] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                unset = editor.specialValueText() and editor.value() == editor.minimum()
                found[name] = None if unset else editor.value()
            elif isinstance(editor, QDoubleSpinBox):
                found[name] = editor.value()
        return found

    def config(self, model: str) -> TrainConfig:
        """The TrainConfig a run starts with: the preset, overridden by the advanced fields.

        ``dataclasses.replace`` rather than preset overrides, so "off" (None) sticks too.
        """
        preset = TrainConfig.from_preset(self.preset_box.currentData(), model=model)
        config = dataclasses.replace(preset, **self.values())
        config.validate()
        return config

    def input_for(self, name: str) -> QWidget:
        return self._inputs[name]

    def use_fast_model(self, fast: bool) -> None:
        """The fast model ignores the preset and the fine-tuning settings: grey them out, with
        a tooltip that says so, rather than let them look as if they mattered."""
        unused = self.tr("Not used by the fast model (TF-IDF + linear).")
        for name, editor in [("preset", self.preset_box), *self._inputs.items()]:
            applies = not fast or name in USED_SETTINGS
            editor.setEnabled(applies)
            editor.setToolTip(field_help(name) if applies else unused)
