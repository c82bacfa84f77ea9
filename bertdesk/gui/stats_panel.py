"""Counts per label (a bar chart) and per split: how far the labelling has come."""

from __future__ import annotations

from typing import Optional

import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from bertdesk.gui.label_view import split_name
from bertdesk.core import Split
from bertdesk.gui.session import ProjectSession


class StatsPanel(QWidget):
    def __init__(self, session: ProjectSession, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.session = session
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(180)
        self.plot.setLabel("left", self.tr("texts"))
        self.plot.showGrid(y=True, alpha=0.3)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.plot, 1)
        session.stats_changed.connect(lambda _stats: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        stats = self.session.stats
        labels = self.session.project.labels()
        counts = [stats.per_label.get(label.name, 0) for label in labels]
        self.plot.clear()
        if labels:
            bars = pg.BarGraphItem(
                x=list(range(len(labels))), height=counts, width=0.6,
                brushes=[pg.mkBrush(label.color) for label in labels],
            )
            self.plot.addItem(bars)
            self.plot.getAxis("bottom").setTicks([[(i, l.name) for i, l in enumerate(labels)]])
        share = stats.labelled / stats.total if stats.total else 0.0
        splits = " · ".join(
            f"{split_name(split)} {stats.per_split.get(split.value, 0)}" for split in Split
        )
        self.summary.setText(
            self.tr("%1 of %2 texts labelled (%3) · %4").replace("%1", f"{stats.labelled:,}")
            .replace("%2", f"{stats.total:,}").replace("%3", f"{share:.0%}").replace("%4", splits))
