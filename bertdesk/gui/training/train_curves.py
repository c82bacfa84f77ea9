"""Training curves drawn with pyqtgraph: loss per step, validation metrics, learning rate.

The same widget shows a live run (the training panel hands it the entries logged since its
last tick, about ten times a second) and finished runs from the run history (one run, or
several overlaid). A live tick appends: only the new entries are sorted and smoothed, so a
tick costs the same after a hundred thousand steps as after ten; pyqtgraph gets whole arrays
and draws only what is in view, thinned to the plot's width.

Legends never sit on a curve: the titles name the curves in their colours, and with several
runs a line above the plots names each run's colour. The four plots stand in one row or in
two, whichever leaves each plot more room, with few ticks, so axis labels do not collide
even where the widget is short (the run history under the training panel).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

SMOOTHING = 0.9  # weight of the past in the smoothed loss (as TensorBoard's slider)
RUN_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf")
ACCURACY_COLOR = "#2ca02c"
MACRO_F1_COLOR = "#9467bd"
PLOT_MARGINS = (55, 65)  # pixels a plot spends on its axes and title: (across, down)


@dataclass
class CurveData:
    """A run's history split into the arrays each plot draws, grown entry by entry."""

    steps: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    smoothed_loss: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    eval_steps: list[float] = field(default_factory=list)
    eval_loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    macro_f1: list[float] = field(default_factory=list)
    _loss_average: float = 0.0

    def extend(self, history: Sequence[dict[str, Any]]) -> None:
        """Add the engine's ``type`` "step" and "eval" entries, in the order they were logged."""
        for entry in history:
            if entry.get("type") == "eval":
                self.eval_steps.append(float(entry["step"]))
                self.eval_loss.append(float(entry.get("loss", np.nan)))
                self.accuracy.append(float(entry.get("accuracy", np.nan)))
                self.macro_f1.append(float(entry.get("macro_f1", np.nan)))
            elif entry.get("type") == "step":
                self.steps.append(float(entry["step"]))
                self.loss.append(float(entry["loss"]))
                self.learning_rate.append(float(entry.get("learning_rate", np.nan)))
                self._smooth(self.loss[-1])

    def _smooth(self, loss: float) -> None:
        """The exponential moving average (TensorBoard's), with bias correction so the first
        points are not pulled towards 0."""
        self._loss_average = SMOOTHING * self._loss_average + (1.0 - SMOOTHING) * loss
        self.smoothed_loss.append(self._loss_average / (1.0 - SMOOTHING ** len(self.loss)))


def curve_data(history: Sequence[dict[str, Any]]) -> CurveData:
    data = CurveData()
    data.extend(history)
    return data


def _pen(color: str, width: float = 2.0, alpha: int = 255) -> Any:
    qcolor = pg.mkColor(color)
    qcolor.setAlpha(alpha)
    return pg.mkPen(qcolor, width=width)


def _coloured(text: str, color: str) -> str:
    return f'<span style="color:{color}">{text}</span>'


def plot_columns(width: int, height: int) -> int:
    """4 (one row) or 2 (two rows): the arrangement whose plots get the larger drawing area
    in their narrower direction."""
    across, down = PLOT_MARGINS

    def room(columns: int) -> float:
        rows = 4 // columns
        return min(width / columns - across, height / rows - down)

    return 4 if room(4) > room(2) else 2


class ExponentAxis(pg.AxisItem):
    """Learning rates as 2e-05 rather than 0.00002 (narrow, and readable without a unit)."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return [f"{value:.0e}" if value else "0" for value in values]


class TrainingCurves(QWidget):
    """Four small plots: training loss, validation loss, accuracy/F1, learning rate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs_legend = QLabel()  # with several runs: which colour is which run
        self.runs_legend.setWordWrap(True)
        self.runs_legend.setVisible(False)
        self.grid = QGridLayout()  # rows of titles above rows of plots: plots of a row align
        self.grid.setHorizontalSpacing(4)
        self.grid.setVerticalSpacing(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.runs_legend)
        layout.addLayout(self.grid, 1)
        self.setMinimumSize(360, 180)
        self.setToolTip(self.tr("Across: the training step."))
        self._titles: list[QLabel] = []
        self._plot_widgets: list[pg.PlotWidget] = []
        self.loss_plot = self._make_plot()
        self.eval_loss_plot = self._make_plot()
        self.metric_plot = self._make_plot()
        # Scores live in 0..1: three ticks say enough and fit the shortest plot.
        self.metric_plot.setYRange(-0.08, 1.08, padding=0)
        self.metric_plot.getAxis("left").setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]])
        self.lr_plot = self._make_plot(ExponentAxis("left"))
        self._columns = 0
        self._arrange(2)
        self._runs: list[tuple[str, CurveData]] = []
        self._names: tuple[str, ...] | None = None
        self._curves: list[dict[str, Any]] = []
        self.clear()

    def _make_plot(self, left_axis: pg.AxisItem | None = None) -> pg.PlotItem:
        """A plot under its title; the title wraps, so it never widens the plot's column."""
        title = QLabel()
        title.setWordWrap(True)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("color: #222;")
        widget = pg.PlotWidget(background="w", axisItems={"left": left_axis} if left_axis else None)
        widget.setMinimumSize(80, 60)
        self._titles.append(title)
        self._plot_widgets.append(widget)
        plot = widget.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setLimits(xMin=0)  # steps: a lone point is not centred on negative ones
        plot.getAxis("left").enableAutoSIPrefix(False)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setTextPen("#333")
            plot.getAxis(axis).setPen("#888")
            # Finer tick labels only where they leave room: no label over another.
            plot.getAxis(axis).setStyle(textFillLimits=[(0, 0.45), (2, 0.3)])
        return plot

    def _arrange(self, columns: int) -> None:
        """Lay the plots out in ``columns`` columns (4: one row, 2: two rows)."""
        if columns == self._columns:
            return
        self._columns = columns
        for index, (title, widget) in enumerate(zip(self._titles, self._plot_widgets)):
            row, column = divmod(index, columns)
            self.grid.addWidget(title, 2 * row, column)
            self.grid.addWidget(widget, 2 * row + 1, column)
        for position in range(4):
            self.grid.setColumnStretch(position, 1 if position < columns else 0)
        for row in range(4):  # plot rows share the height; title rows take what their text needs
            self.grid.setRowStretch(2 * row, 0)
            self.grid.setRowStretch(2 * row + 1, 1 if row < 4 // columns else 0)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Modest: a plot widget asks for 640×480 each, which would crowd out the panels around."""
        return QSize(600, 260)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._arrange(plot_columns(self.width(), self.height()))

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
        self._number_axes()

    def show_live(self, history: Sequence[dict[str, Any]]) -> None:
        """Start drawing a run in progress from its history so far (empty, or a resumed run's)."""
        self.show_runs([("", history)])

    def append_live(self, entries: Sequence[dict[str, Any]]) -> None:
        """Add the live run's entries logged since the last call, and redraw."""
        if not entries:
            return
        _name, data = self._runs[0]
        data.extend(entries)
        self._set_data(self._curves[0], data)
        self._number_axes()

    def _number_axes(self) -> None:
        """Numbers on the axes only once there is a point: empty plots' default 0..1 would
        crowd a narrow axis with 0.2 0.4 0.6 0.8, and no learning rate is 8e-01."""
        drawn = any(data.steps or data.eval_steps for _name, data in self._runs)
        for plot in self.plots():
            for axis in ("left", "bottom"):
                if plot.getAxis(axis).style["showValues"] != drawn:
                    plot.getAxis(axis).setStyle(showValues=drawn)

    def point_counts(self) -> dict[str, int]:
        """How many points each kind of curve holds (the tests read it)."""
        return {
            "steps": sum(len(data.steps) for _name, data in self._runs),
            "evaluations": sum(len(data.eval_steps) for _name, data in self._runs),
        }

    def _set_titles(self, overlay: bool) -> None:
        """Titles that name the curves in their colours: the legend, outside the plots."""
        first = RUN_COLORS[0]
        if overlay:
            loss = self.tr("Training loss (smoothed)")
            metrics = self.tr("Validation accuracy (solid) and macro-F1 (dashed)")
        else:
            loss = self.tr("Training loss: {smoothed}, {raw}").format(
                smoothed=_coloured(self.tr("smoothed"), first),
                raw=_coloured(self.tr("each step"), "#9bb7d4"),
            )
            metrics = self.tr("Validation {accuracy} and {macro_f1}").format(
                accuracy=_coloured("● " + self.tr("accuracy"), ACCURACY_COLOR),
                macro_f1=_coloured("▲ " + self.tr("macro-F1"), MACRO_F1_COLOR),
            )
        titles = (loss, self.tr("Validation loss"), metrics, self.tr("Learning rate"))
        for label, title in zip(self._titles, titles):
            label.setText(title)

    def _make_curves(self, names: tuple[str, ...]) -> None:
        """One set of curve items per run; later redraws only hand them new arrays."""
        for plot in self.plots():
            plot.clear()
        self._curves = []
        overlay = len(names) > 1
        self._set_titles(overlay)
        self.runs_legend.setVisible(overlay)
        self.runs_legend.setText("   ".join(
            _coloured("■", RUN_COLORS[index % len(RUN_COLORS)]) + f" {name}"
            for index, name in enumerate(names)
        ))
        for index, _name in enumerate(names):
            color = RUN_COLORS[index % len(RUN_COLORS)]
            accuracy_color = color if overlay else ACCURACY_COLOR
            f1_color = color if overlay else MACRO_F1_COLOR
            dashed = _pen(f1_color)
            dashed.setStyle(Qt.PenStyle.DashLine)
            curves = {
                "smoothed": self.loss_plot.plot(pen=_pen(color)),
                "learning_rate": self.lr_plot.plot(pen=_pen(color)),
                "eval_loss": self.eval_loss_plot.plot(
                    pen=_pen(color), symbol="o", symbolSize=6, symbolBrush=color
                ),
                "accuracy": self.metric_plot.plot(
                    pen=_pen(accuracy_color), symbol="o", symbolSize=6, symbolBrush=accuracy_color,
                ),
                "macro_f1": self.metric_plot.plot(
                    pen=dashed, symbol="t1", symbolSize=7, symbolBrush=f1_color,
                ),
            }
            if not overlay:
                curves["raw"] = self.loss_plot.plot(pen=_pen(color, 1.0, 70))
                curves["raw"].setZValue(-1)
            for curve in curves.values():  # long runs: draw what is in view, a point per pixel
                curve.setClipToView(True)
                curve.setDownsampling(auto=True, method="peak")
            self._curves.append(curves)

    def _set_data(self, curves: dict[str, Any], data: CurveData) -> None:
        steps, eval_steps = np.asarray(data.steps), np.asarray(data.eval_steps)
        if "raw" in curves:
            curves["raw"].setData(steps, np.asarray(data.loss))
        curves["smoothed"].setData(steps, np.asarray(data.smoothed_loss))
        curves["learning_rate"].setData(steps, np.asarray(data.learning_rate))
        for name, values in (("eval_loss", data.eval_loss), ("accuracy", data.accuracy), ("macro_f1", data.macro_f1)):
            # Only the scores a run has: pyqtgraph's bounds of an all-NaN curve warn (a
            # pretraining run has no macro-F1).
            scores = np.asarray(values)
            drawn = np.isfinite(scores)
            curves[name].setData(eval_steps[drawn], scores[drawn])
