"""The Train tab on a small laptop screen (1200×800), and the mouse wheel over its form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

from bertdesk.core import Split
from bertdesk.gui.main_window import MainWindow
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.training.train_panel import TrainPanel
from bertdesk.gui.common.wheel_guard import WheelGuard, install_wheel_guard
from bertdesk.store import Project


def wheel(widget: QWidget, notches: int) -> None:
    """Turn the mouse wheel over the middle of ``widget`` (positive: up)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_form_past_unfocused_fields(qtbot, sentiment_project) -> None:
    install_wheel_guard(QApplication.instance())
    panel = TrainPanel(ProjectSession(sentiment_project))
    qtbot.addWidget(panel)
    panel.resize(1000, 450)
    panel.show()
    qtbot.waitExposed(panel)
    panel.settings.advanced_button.setChecked(True)
    epochs = panel.settings.input_for("epochs")
    scroll_bar = panel.choices_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll_bar.maximum() > 0)
    before = epochs.value()

    wheel(epochs, -1)
    assert epochs.value() == before  # not focused: the setting stays
    assert scroll_bar.value() > 0  # the form scrolled instead
    assert epochs.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel does not focus it

    panel.activateWindow()
    epochs.setFocus()
    qtbot.waitUntil(epochs.hasFocus)
    wheel(epochs, 1)
    assert epochs.value() == before + epochs.singleStep()  # focused: the wheel changes it
    panel.shutdown()


def test_the_main_window_installs_the_wheel_guard(qtbot) -> None:
    app = QApplication.instance()
    for guard in app.findChildren(WheelGuard):  # as in a fresh app
        app.removeEventFilter(guard)
        guard.setParent(None)
    window = MainWindow()
    qtbot.addWidget(window)
    assert app.findChild(WheelGuard) is not None


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    from bertdesk.gui.common.settings import install_translator

    install_translator(QApplication.instance(), request.param)
    yield request.param
    install_translator(QApplication.instance(), "en")


def tall_form_project(path: Path) -> Path:
    """Six labels and no validation split: the red note and the split button make the form tallest."""
    with Project.create(path) as project, project.bulk_writer() as writer:
        for index in range(120):
            writer.add(f"text {index}", Split.UNASSIGNED, [writer.label_id(f"label {index % 6}")])
    return path


def in_window(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def test_start_and_stop_stay_in_sight_at_1200_by_800(qtbot, tmp_path: Path, language: str) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_project(tall_form_project(tmp_path / "tall.bertdesk"))
    window.tabs.setCurrentIndex(1)
    panel = window.findChild(TrainPanel)
    assert panel is not None
    panel.settings.advanced_button.setChecked(True)  # the advanced form open too
    qtbot.wait(100)

    for button in (panel.start_button, panel.stop_button):
        assert button.visibleRegion().boundingRect() == button.rect(), button.text()  # whole, not cut
        assert window.rect().contains(in_window(button))
    assert not panel.problems_label.isHidden()
    assert not in_window(panel.counts).intersects(in_window(panel.problems_label))
    splitter = panel.findChild(QSplitter)
    splitter.setSizes([0, splitter.width()])  # the form as narrow as it goes: the note wraps more
    qtbot.wait(100)
    below = in_window(panel.problems_label).top()
    assert in_window(panel.counts).bottom() < below
    assert below + panel.problems_label.heightForWidth(panel.problems_label.width()) <= (
        in_window(panel.split_button).top()
    )  # the whole note shows, above the button that fixes it
    window.close()


def test_a_long_model_warning_gets_every_line_it_needs(qtbot, sentiment_project) -> None:  # type: ignore[no-untyped-def]
    from bertdesk.core import Sentence
    from bertdesk.ml.coverage import CoverageReport

    panel = TrainPanel(ProjectSession(sentiment_project))
    qtbot.addWidget(panel)
    panel.resize(1000, 480)  # short: the form scrolls
    panel.show()
    qtbot.waitExposed(panel)
    warning = Sentence("This model does not know {unknown:.0%} of the words in your texts, so it will "
                       "learn little from them.", unknown=0.65)
    suggestion = Sentence("Your texts are mostly Chinese: pick the built-in multilingual model (it works offline), "
                          "or where you are online a Chinese model such as bert-base-chinese.")
    panel._show_coverage((None, CoverageReport(0.65, 0.0, 10, warning, suggestion)))
    label = panel.coverage_label
    assert label.text() == f"⚠ {warning} {suggestion}"  # English sentences run on with a space
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    # A long text: three lines at least (five here at the form's width; one clean-clone run,
    # beside other GUI work on the machine, measured three at the same width).
    assert label.heightForWidth(label.width()) > 2 * label.fontMetrics().height()
    panel.shutdown()
