"""Counts per label (a bar chart) and per split: how far the labelling has come."""

from __future__ import annotations

from typing import Optional

import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from bertdesk.core import Split
from bertdesk.gui.common.split_names import split_name
from bertdesk.gui.common.label_names import short_label_name
from bertdesk.gui.common.session import ProjectSession
from bertdesk.store import ProjectStats

EMPTY_CHART_TOP = 5  # the count axis of a chart without texts runs 0..5, never below 0
HEADROOM = 1.15  # room above the highest bar for its count
NAMED_BARS = 12  # beyond this many labels the bars go unnamed: their names and counts would overlap


def labelled_share(labelled: int, total: int) -> str:
    """The labelled share rounded down to a tenth of a percent: 11,976 of 11,996 is 99.8%,
    and 100% only once every text is labelled."""
    tenths = labelled * 1000 // total if total else 0
    return f"{tenths // 10}%" if tenths % 10 == 0 else f"{tenths / 10:.1f}%"


class StatsPanel(QWidget):
    def __init__(self, session: ProjectSession, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.session = session
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(180)
        self.plot.setLabel("left", self.tr("texts"))
        self.plot.getAxis("left").enableAutoSIPrefix(False)  # no "(x0.001)" on a small range
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
        counts = [stats.per_label.get(label.id, 0) for label in labels]
        self.plot.clear()
        if labels:
            bars = pg.BarGraphItem(
                x=list(range(len(labels))), height=counts, width=0.6,
                brushes=[pg.mkBrush(label.color) for label in labels],
                **({} if len(labels) <= NAMED_BARS else {"pen": None}),  # thin bars: all outline otherwise
            )
            self.plot.addItem(bars)
            named = len(labels) <= NAMED_BARS
            for position, count in enumerate(counts if named else []):  # a bar of 3 among 5,000 still says 3
                number = pg.TextItem(f"{count:,}", color="k", anchor=(0.5, 1.0))
                number.setPos(position, count)
                self.plot.addItem(number)
            ticks = [(i, short_label_name(label.name)) for i, label in enumerate(labels)] if named else []
            self.plot.getAxis("bottom").setTicks([ticks])
            self.plot.setLabel("bottom", "" if named else self.tr(
                "%1 labels: the Train tab counts each").replace("%1", f"{len(labels):,}"))
        self.plot.setXRange(-0.5, max(len(labels), 1) - 0.5, padding=0.05)
        # a sliver below 0, so that the 0 of the axis is printed; no tick falls below it
        self.plot.setYRange(0, max(max(counts, default=0) * HEADROOM, EMPTY_CHART_TOP), padding=0.02)

        self.summary.setText(
            self.tr("%1 of %2 texts labelled (%3)").replace("%1", f"{stats.labelled:,}")
            .replace("%2", f"{stats.total:,}").replace("%3", labelled_share(stats.labelled, stats.total))
            + "\n" + self.describe_splits(stats))

    def describe_splits(self, stats: ProjectStats) -> str:
        """Train, validation and test counts, and how many texts are in none of them yet."""
        unsplit = stats.per_split.get(Split.UNASSIGNED, 0)
        if unsplit == stats.total:
            return self.tr("Not yet split into train/validation/test: %1").replace("%1", f"{unsplit:,}")
        parts = [f"{split_name(split)} {stats.per_split.get(split, 0):,}"
                 for split in (Split.TRAIN, Split.VALIDATION, Split.TEST)]
        if unsplit:
            parts.append(self.tr("not yet split %1").replace("%1", f"{unsplit:,}"))
        return " · ".join(parts)
