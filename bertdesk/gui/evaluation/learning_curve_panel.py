"""The learning curve in the Evaluate tab: will more labels help?

"Learning curve…" asks for the model, the score and the models per point, then runs
``ml.learning_curve.learning_curve`` in the background with progress and Cancel. The plot
shows the measured points (each the mean of its models, whose own scores are the small dots),
the fitted power law (dashed beyond the labels there are) with its 80% band from the bootstrap,
and the verdict in words below it. Nothing is stored: the curve is shown until the next one.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from bertdesk.core import CancelToken, ProgressCallback
from bertdesk.gui.common.errors import translated_text
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.evaluation.analysis_job import AnalysisPanel
from bertdesk.gui.evaluation.analysis_settings import LearningCurveDialog
from bertdesk.gui.evaluation.figure_tables import fill_table, results_table

POINT_COLOR = "#1f77b4"
LAW_COLOR = "#d62728"
SAMPLE_COLOR = "#8c8c8c"
BAND_RGBA = (214, 39, 40, 45)
BAND_COLOR = "#f5c9c9"  # the band's colour over white, for the legend
REACH = 2.0  # the fitted law is drawn out to this many times the labels there are
GRID_POINTS = 200
MIN_SPAN = 0.05  # the score axis shows at least 5 points: flat scores (all 100%) get a readable axis


def _coloured(text: str, color: str) -> str:
    return f'<span style="color:{color}">{text}</span>'


class LearningCurvePanel(AnalysisPanel):
    """The "Learning curve…" button, its progress, the plot, the verdict and the points' table."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.curve: Optional[Any] = None  # the last ml.learning_curve.LearningCurve shown
        self.intro.setText(self.tr(
            "Will more labels help? Models fitted on growing shares of the labelled training "
            "texts are scored on the same validation texts; a power law through the scores says "
            "how many more labels one more point of score would take."
        ))
        self.start_button.setText(self.tr("Learning curve…"))
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plot_widget = pg.PlotWidget(background="w")
        self.plot_widget.setMinimumSize(320, 220)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setTextPen("#333")
            self.plot.getAxis(axis).setPen("#888")
            self.plot.getAxis(axis).enableAutoSIPrefix(False)
        # The band's edges are curves without a line (a PlotDataItem without a pen keeps no path to fill).
        self.band_low = pg.PlotCurveItem(pen=pg.mkPen(None))
        self.band_high = pg.PlotCurveItem(pen=pg.mkPen(None))
        self.band = pg.FillBetweenItem(self.band_low, self.band_high, brush=pg.mkBrush(*BAND_RGBA))
        self.law_measured = pg.PlotDataItem(pen=pg.mkPen(LAW_COLOR, width=2))
        self.law_beyond = pg.PlotDataItem(pen=pg.mkPen(LAW_COLOR, width=2, style=Qt.PenStyle.DashLine))
        self.sample_points = pg.PlotDataItem(pen=None, symbol="o", symbolSize=5, symbolPen=None,
                                             symbolBrush=SAMPLE_COLOR)
        self.points = pg.PlotDataItem(pen=None, symbol="o", symbolSize=10, symbolPen="w", symbolBrush=POINT_COLOR)
        for item in (self.band_low, self.band_high, self.band, self.law_measured, self.law_beyond,
                     self.sample_points, self.points):
            self.plot.addItem(item)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet("font-weight: bold;")
        self.details = QLabel()
        self.details.setWordWrap(True)
        headers = [self.tr("Share"), self.tr("Texts"), self.tr("Score"), self.tr("Fitted"), self.tr("Seconds")]
        self.table = results_table(headers)
        plot_column = QVBoxLayout()
        plot_column.addWidget(self.legend)
        plot_column.addWidget(self.plot_widget, 1)
        side = QVBoxLayout()
        side.addWidget(self.details)
        side.addWidget(self.table)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addLayout(plot_column, 3)
        middle.addLayout(side, 1)
        layout = QVBoxLayout(self)
        self.add_header(layout)
        layout.addLayout(middle, 1)
        layout.addWidget(self.verdict)

        self.job_bar.succeeded.connect(self.show_curve)
        self.show_curve(None)

    # ------------------------------------------------------------------- running
    def ask_and_start(self) -> None:
        if self.job_bar.running:
            return
        dialog = LearningCurveDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start(dialog.config(), dialog.score_name(), dialog.samples())

    def start(self, config: Any, metric: str = "macro_f1", samples: int = 1) -> None:
        """Fit the curve's models in the background; nothing is written to the project."""
        project = self.project

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            """Runs on the worker thread."""
            from bertdesk.ml.learning_curve import DEFAULT_FRACTIONS, learning_curve

            return learning_curve(project, config, DEFAULT_FRACTIONS, metric, samples, progress, cancel)

        self.run_in_background("learning-curve", work, self.tr("Preparing…"))

    def stopped_text(self) -> str:
        return self.tr("Learning curve stopped.")

    def failure_title(self) -> str:
        return self.tr("Learning curve failed")

    # ------------------------------------------------------------------- showing
    def show_curve(self, curve: Optional[Any]) -> None:
        """Draw a ``LearningCurve`` (None: the empty plot and what to do)."""
        self.curve = curve
        if curve is None:
            for item in (self.band_low, self.band_high, self.law_measured, self.law_beyond,
                         self.sample_points, self.points):
                item.setData([], [])
            self.legend.setText("")
            self.verdict.setText(self.tr("Press Learning curve… to see whether more labels are likely to help."))
            self.details.setText("")
            fill_table(self.table, [])
            return
        from bertdesk.ml.learning_curve import METRIC_NAMES

        samples = len(curve.points[0].sample_scores)
        metric = translated_text(METRIC_NAMES[curve.metric])
        sizes = np.array([point.train_size for point in curve.points], dtype=float)
        grid = np.linspace(sizes[0] * 0.8, sizes[-1] * REACH, GRID_POINTS)
        band = np.array([curve.score_interval(size) for size in grid])
        self.band_low.setData(grid, band[:, 0])
        self.band_high.setData(grid, band[:, 1])
        fitted = np.array([curve.law.score(size) for size in grid])
        inside = grid <= sizes[-1]
        self.law_measured.setData(grid[inside], fitted[inside])
        self.law_beyond.setData(grid[~inside], fitted[~inside])
        self.points.setData(sizes, [point.score for point in curve.points])
        sample_sizes = [point.train_size for point in curve.points for _ in point.sample_scores]
        sample_scores = [score for point in curve.points for score in point.sample_scores]
        self.sample_points.setData(sample_sizes if samples > 1 else [], sample_scores if samples > 1 else [])
        self.plot.setLabel("bottom", self.tr("Labelled training texts"))
        self.plot.setLabel("left", metric)
        self.plot.autoRange()
        shown = np.concatenate([band.ravel(), fitted, [point.score for point in curve.points], sample_scores])
        low, high = float(np.nanmin(shown)), float(np.nanmax(shown))
        if high - low < MIN_SPAN:  # else the axis counts millionths between a flat law and its points
            top = min(1.0, (low + high + MIN_SPAN) / 2)
            self.plot.setYRange(top - MIN_SPAN, top)
        measured = (self.tr("measured (mean of {count} models each)").format(count=samples)
                    if samples > 1 else self.tr("measured"))
        parts = [_coloured("● " + measured, POINT_COLOR), _coloured("— " + self.tr("fitted power law"), LAW_COLOR),
                 _coloured("■", BAND_COLOR) + " " + _coloured(self.tr("80% band"), LAW_COLOR)]
        if samples > 1:
            parts.insert(1, _coloured("• " + self.tr("each model"), SAMPLE_COLOR))
        self.legend.setText("&nbsp;&nbsp;&nbsp;&nbsp;".join(parts))
        self.verdict.setText(translated_text(curve.verdict))
        count = curve.evaluation_size
        where = (self.tr("Scored on {count} text(s) set aside from the training texts (the project has no "
                         "validation split).", "", count) if curve.evaluation_set_aside
                 else self.tr("Scored on {count} validation text(s).", "", count))
        self.details.setText(where.format(count=f"{curve.evaluation_size:,}"))
        fill_table(self.table, [
            [f"{point.fraction:.0%}", f"{point.train_size:,}", f"{point.score:.3f}",
             f"{curve.law.score(point.train_size):.3f}", f"{point.seconds:.1f}"] for point in curve.points
        ])
