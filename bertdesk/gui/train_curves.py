"""Training curves drawn with pyqtgraph: loss per step, validation metrics, learning rate.

The same widget shows a live run (the training panel hands it the growing history about ten
times a second) and finished runs from the run history (one run, or several overlaid). Every
redraw gives pyqtgraph whole arrays, never single points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

SMOOTHING = 0.9  # weight of the past in the smoothed loss (as TensorBoard's slider)
RUN_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf")
ACCURACY_COLOR = "#2ca02c"
MACRO_F1_COLOR = "#9467bd"



@dataclass
class CurveData:
    """A run's history split into the arrays each plot draws."""

    steps: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    eval_steps: list[float] = field(default_factory=list)
    eval_loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    macro_f1: list[float] = field(default_factory=list)


def curve_data(history: Sequence[dict[str, Any]]) -> CurveData:
    """Sort a run's history (the engine's ``type`` "step" and "eval" entries) into plot arrays."""
    data = CurveData()
    for entry in history:
        if entry.get("type") == "eval":
            data.eval_steps.append(float(entry["step"]))
            data.eval_loss.append(float(entry.get("loss", np.nan)))
            data.accuracy.append(float(entry.get("accuracy", np.nan)))
            data.macro_f1.append(float(entry.get("macro_f1", np.nan)))
        elif entry.get("type") == "step":
            data.steps.append(float(entry["step"]))
            data.loss.append(float(entry["loss"]))
            data.learning_rate.append(float(entry.get("learning_rate", np.nan)))
    return data


def smoothed(values: Sequence[float], weight: float = SMOOTHING) -> np.ndarray:
    """Exponential moving average with bias correction, so the first points are not pulled to 0."""
    out = np.empty(len(values), dtype=float)
    average = 0.0
    for index, value in enumerate(values):
        average = weight * average + (1.0 - weight) * value
        out[index] = average / (1.0 - weight ** (index + 1))
    return out


def _pen(color: str, width: float = 2.0, alpha: int = 255) -> Any:
    qcolor = pg.mkColor(color)
    qcolor.setAlpha(alpha)
    return pg.mkPen(qcolor, width=width)


class TrainingCurves(QWidget):
    """Four small plots in a grid: training loss, validation loss, accuracy/F1, learning rate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        self.graphics.setMinimumSize(360, 220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)
        self.loss_plot = self._add_plot(0, 0, self.tr("Training loss"), self.tr("loss"))
        self.eval_loss_plot = self._add_plot(0, 1, self.tr("Validation loss"), self.tr("loss"))
        self.metric_plot = self._add_plot(1, 0, self.tr("Validation accuracy and macro-F1"), self.tr("score"))
        # Scores live in 0..1: the band above 1 holds the legend, so it never hides a point.
        self.metric_plot.setYRange(-0.03, 1.25, padding=0)
        self.metric_plot.getAxis("left").setTicks([[(value / 5, f"{value / 5:.1f}") for value in range(6)]])
        self.metric_plot.legend.setColumnCount(2)
        self.metric_plot.legend.anchor(itemPos=(0.5, 0), parentPos=(0.5, 0), offset=(0, 4))
        self.lr_plot = self._add_plot(1, 1, self.tr("Learning rate"), self.tr("rate"))
        self.lr_plot.getAxis("left").enableAutoSIPrefix(True)
        self._runs: list[tuple[str, CurveData]] = []
        self._names: tuple[str, ...] | None = None
        self._curves: list[dict[str, Any]] = []
        self.clear()

    def _add_plot(self, row: int, column: int, title: str, y_label: str) -> pg.PlotItem:
        plot = self.graphics.addPlot(row=row, col=column)
        plot.setTitle(title, color="#222", size="10pt")
        plot.setLabel("bottom", self.tr("step"), color="#333")
        plot.setLabel("left", y_label, color="#333")
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.getAxis("left").enableAutoSIPrefix(False)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setTextPen("#333")
            plot.getAxis(axis).setPen("#888")
        plot.addLegend(offset=(-8, 8), labelTextColor="#222", brush=pg.mkBrush(255, 255, 255, 200))
        return plot

    def clear(self) -> None:
        self.show_runs([])

    def plots(self) -> tuple[pg.PlotItem, ...]:
        return (self.loss_plot, self.eval_loss_plot, self.metric_plot, self.lr_plot)

    def show_runs(self, runs: Sequence[tuple[str, Sequence[dict[str, Any]]]]) -> None:
        """Draw one or more runs (name, history); with several, each run gets its colour."""
        self._runs = [(name, curve_data(history)) for name, history in runs]
        names = tuple(name for name, _data in self._runs)
        if names != self._names:
            self._names = names
            self._make_curves(names)
        for curves, (_name, data) in zip(self._curves, self._runs):
            self._set_data(curves, data)

    def show_live(self, history: Sequence[dict[str, Any]]) -> None:
        """Redraw the run in progress from its whole history so far."""
        self.show_runs([("", history)])

    def point_counts(self) -> dict[str, int]:
        """How many points each kind of curve holds (the tests read it)."""
        return {
            "steps": sum(len(data.steps) for _name, data in self._runs),
            "evaluations": sum(len(data.eval_steps) for _name, data in self._runs),
        }

    def _make_curves(self, names: tuple[str, ...]) -> None:
        """One set of curve items per run; later redraws only hand them new arrays."""
        for plot in self.plots():
            plot.clear()
        self._curves = []
        overlay = len(names) > 1
        for index, name in enumerate(names):
            color = RUN_COLORS[index % len(RUN_COLORS)]
            prefix = f"{name}: " if overlay else ""
            legend_name = name if overlay else None
            accuracy_color = color if overlay else ACCURACY_COLOR
            f1_color = color if overlay else MACRO_F1_COLOR
            dashed = _pen(f1_color)
            dashed.setStyle(Qt.PenStyle.DashLine)
            curves = {
                "smoothed": self.loss_plot.plot(pen=_pen(color), name=prefix + self.tr("smoothed")),
                "learning_rate": self.lr_plot.plot(pen=_pen(color), name=legend_name),
                "eval_loss": self.eval_loss_plot.plot(
                    pen=_pen(color), symbol="o", symbolSize=6, symbolBrush=color, name=legend_name
                ),
                "accuracy": self.metric_plot.plot(
                    pen=_pen(accuracy_color), symbol="o", symbolSize=6, symbolBrush=accuracy_color,
                    name=prefix + self.tr("accuracy"),
                ),
                "macro_f1": self.metric_plot.plot(
                    pen=dashed, symbol="t", symbolSize=7, symbolBrush=f1_color,
                    name=prefix + self.tr("macro-F1"),
                ),
            }
            if not overlay:
                curves["raw"] = self.loss_plot.plot(pen=_pen(color, 1.0, 70), name=self.tr("raw"))
                curves["raw"].setZValue(-1)
            self._curves.append(curves)

    def _set_data(self, curves: dict[str, Any], data: CurveData) -> None:
        steps, eval_steps = np.asarray(data.steps), np.asarray(data.eval_steps)
        if "raw" in curves:
            curves["raw"].setData(steps, np.asarray(data.loss))
        curves["smoothed"].setData(steps, smoothed(data.loss))
        curves["learning_rate"].setData(steps, np.asarray(data.learning_rate))
        curves["eval_loss"].setData(eval_steps, np.asarray(data.eval_loss))
        curves["accuracy"].setData(eval_steps, np.asarray(data.accuracy))
        curves["macro_f1"].setData(eval_steps, np.asarray(data.macro_f1))
