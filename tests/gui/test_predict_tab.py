"""The prediction tab with a real (tiny) model: answers as you type, never freezing the window."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette, QTextCursor

from bertdesk.gui.prediction.explanation_view import attribution_colour
from bertdesk.gui.prediction.predict_tab import PredictTab
from bertdesk.gui.common.session import ProjectSession
from bertdesk.store import ExampleFilter, Project
from tests.gui.predict_helpers import project_with_run

TYPED = "the food was good but the service was slow"


@pytest.fixture
def tab(qtbot, labelled_model_dir: Path) -> Iterator[PredictTab]:
    widget = PredictTab()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    widget.set_model_folder(labelled_model_dir)
    qtbot.waitUntil(lambda: widget.engine.predictor is not None, timeout=30_000)
    yield widget
    widget.shutdown()


def type_slowly(qtbot, tab: PredictTab, text: str, key_ms: int = 40) -> None:
    """Type ``text`` one key at a time through the event loop, as a person would."""
    for character in text:
        tab.input.moveCursor(QTextCursor.MoveOperation.End)
        tab.input.insertPlainText(character)
        qtbot.wait(key_ms)


def test_typing_updates_the_bars_without_blocking_the_event_loop(qtbot, tab: PredictTab) -> None:
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    answered: list[tuple[str, str]] = []
    tab.engine.predicted.connect(
        lambda text, prediction: answered.append((text, tab.input.toPlainText()))
    )
    heartbeat = QTimer(interval=20)
    heartbeat.timeout.connect(tick)
    heartbeat.start()
    try:
        type_slowly(qtbot, tab, TYPED[:12], key_ms=40)
        qtbot.wait(600)  # a pause: the answer for the first words arrives
        type_slowly(qtbot, tab, TYPED[12:], key_ms=40)
        qtbot.waitUntil(lambda: tab.prediction_text == TYPED, timeout=10_000)
    finally:
        heartbeat.stop()

    print(f"longest event-loop gap while typing and predicting: {max(gaps) * 1000:.0f} ms")
    assert max(gaps) < 0.2, f"event loop stalled {max(gaps) * 1000:.0f} ms"
    labels = ["negative", "positive"]
    assert list(tab.bars.probabilities) == labels
    assert sum(tab.bars.probabilities.values()) == pytest.approx(1.0, abs=1e-4)
    assert tab.top_label.text() in labels
    assert tab.confidence_label.text()
    expected = tab.engine.predictor.predict(TYPED).probabilities
    assert tab.bars.probabilities == pytest.approx(expected, abs=1e-5)
    # Debounced: far fewer answers than keys; and none was for a text no longer in the box.
    assert 1 <= len(answered) < len(TYPED) / 4
    assert all(text == shown for text, shown in answered)


def test_explanation_colours_words_and_shows_the_legend(qtbot, tab: PredictTab) -> None:
    tab.input.setPlainText("good")
    qtbot.waitUntil(lambda: tab.explanation_view.explanation is not None, timeout=20_000)
    tab.input.setPlainText("the food was good 味道很好")
    qtbot.waitUntil(lambda: tab.explanation_view.explanation is not None
                    and tab.explanation_view.text_view.toPlainText() == tab.input.toPlainText(),
                    timeout=20_000)

    view = tab.explanation_view
    explanation = view.explanation
    assert view.legend.isVisibleTo(tab) and view.text_view.isVisibleTo(tab)
    assert explanation.label in view.caption.text()
    assert [a.text for a in explanation.attributions][:4] == ["the", "food", "was", "good"]
    background = view.text_view.palette().color(QPalette.ColorRole.Base)
    strongest = max(abs(a.score) for a in explanation.attributions)
    document = view.text_view.document()
    for attribution in explanation.attributions:
        cursor = QTextCursor(document)
        cursor.setPosition(attribution.start + 1)  # the format of the character before
        shown = cursor.charFormat().background().color()
        assert shown == attribution_colour(attribution.score, strongest, background)
    # Characters no word covers (the spaces) keep the plain background, whatever came before.
    covered = {i for a in explanation.attributions for i in range(a.start, a.end)}
    for index in set(range(len(document.toPlainText()))) - covered:
        cursor = QTextCursor(document)
        cursor.setPosition(index + 1)
        assert cursor.charFormat().background().style() == Qt.BrushStyle.NoBrush
    top = max(explanation.attributions, key=lambda a: abs(a.score))
    cursor = QTextCursor(document)
    cursor.setPosition(top.start + 1)
    tint = cursor.charFormat().background().color()
    green_wins = tint.green() - tint.red() > 0
    assert green_wins == (top.score > 0)
    assert tint != background


def test_switching_why_off_stops_explanations(qtbot, tab: PredictTab) -> None:
    tab.why_box.setChecked(False)
    explained: list[str] = []
    tab.engine.explained.connect(lambda text, explanation: explained.append(text))
    tab.input.setPlainText("bad service")
    qtbot.waitUntil(lambda: tab.prediction_text == "bad service", timeout=10_000)
    qtbot.wait(300)
    assert explained == [] and not tab.explanation_view.isVisibleTo(tab)

    tab.why_box.setChecked(True)
    qtbot.waitUntil(lambda: explained == ["bad service"], timeout=20_000)


def test_long_text_says_how_it_was_covered(qtbot, tab: PredictTab) -> None:
    text = "the food was good " * 60
    tab.input.setPlainText(text)
    qtbot.waitUntil(lambda: tab.prediction_text == text, timeout=10_000)
    assert tab.prediction.windows > 1
    assert str(tab.prediction.windows) in tab.note_label.text()
    assert tab.note_label.isVisibleTo(tab)


def test_a_text_in_words_the_model_does_not_know_is_called_a_guess(qtbot, tab: PredictTab) -> None:
    foreign = "这家店的环境非常舒适，老板人也很热情"  # the tiny vocabulary knows 的, 也, 很 at most
    tab.input.setPlainText(foreign)
    qtbot.waitUntil(lambda: tab.prediction_text == foreign, timeout=10_000)
    assert tab.guess_label.isVisibleTo(tab)
    percent = f"{tab.prediction.unknown_share * 100:.0f} %"
    assert percent in tab.guess_label.text() and "guess" in tab.guess_label.text()
    assert "built-in multilingual model" in tab.guess_label.text()  # the offline remedy, not a download
    assert tab.confidence_label.text().startswith("a guess")  # not "very sure"

    known = "the food was good"
    tab.input.setPlainText(known)
    qtbot.waitUntil(lambda: tab.prediction_text == known, timeout=10_000)
    assert not tab.guess_label.isVisibleTo(tab)
    assert "guess" not in tab.confidence_label.text()


def test_history_keeps_settled_texts_and_restores_them(qtbot, tab: PredictTab) -> None:
    for text in ("good film", "awful plot", "good film"):
        tab.input.setPlainText(text)
        qtbot.waitUntil(lambda t=text: tab.history.count() and (
            tab.history.item(0).data(0x0100) == t), timeout=10_000)
    assert [tab.history.item(i).data(0x0100) for i in range(tab.history.count())] == [
        "good film", "awful plot"
    ]
    tab.history.itemClicked.emit(tab.history.item(1))
    assert tab.input.toPlainText() == "awful plot"


def test_add_to_project_with_the_chosen_label(
    qtbot, project: Project, labelled_model_dir: Path
) -> None:
    run_id = project_with_run(project, labelled_model_dir)
    session = ProjectSession(project)
    tab = PredictTab(session)
    qtbot.addWidget(tab)
    try:
        assert tab.run_id == run_id
        qtbot.waitUntil(lambda: tab.engine.predictor is not None, timeout=30_000)
        tab.input.setPlainText("the plot was awful")
        qtbot.waitUntil(lambda: tab.prediction is not None, timeout=10_000)
        tab.add_label_combo.setCurrentText("negative")
        with qtbot.waitSignal(session.examples_changed) as added:
            tab.add_button.click()
        (example_id,) = added.args[0]
        row = project.example(example_id)
        assert row.text == "the plot was awful"
        assert row.label_ids == (project.require_label("negative").id,)
        assert project.count(ExampleFilter()) == 1
        assert not tab.add_button.isEnabled()  # no double add of the same text
    finally:
        tab.shutdown()


def test_a_project_without_runs_says_to_train_first(qtbot, project: Project) -> None:
    tab = PredictTab(ProjectSession(project))
    qtbot.addWidget(tab)
    assert "Train a model first" in tab.model_label.text()
    assert not tab.input.isEnabled() and not tab.batch_button.isEnabled()
    tab.shutdown()


def test_many_labels_show_the_likeliest_and_count_the_rest(qtbot) -> None:  # type: ignore[no-untyped-def]
    from bertdesk.gui.prediction.predict_tab import ProbabilityBars

    bars = ProbabilityBars()
    qtbot.addWidget(bars)
    few = {"negative": 0.3, "positive": 0.7}
    bars.set_probabilities(few, {"positive"})
    assert list(bars.probabilities) == ["negative", "positive"] and bars.rest == ""  # the labels' order
    many = {f"intent_{i:03d}": (i + 1) / 11_325 for i in range(150)}  # they add up to 1
    bars.set_probabilities(many, {"intent_149", "intent_003"})  # multi-label: both chosen
    shown = list(bars.probabilities)
    assert shown == [f"intent_{i:03d}" for i in range(149, 143, -1)] + ["intent_003"]
    assert bars.rest.startswith("143 more label") and f"{143 / 11_325 * 100:.1f} %" in bars.rest
    assert bars.sizeHint().height() == 8 * (bars.BAR_HEIGHT + bars.GAP)  # 7 bars and the line


def test_attribution_colour_scales_with_strength() -> None:
    white = QColor("white")
    assert attribution_colour(0.0, 1.0, white) == white
    weak, strong = attribution_colour(0.2, 1.0, white), attribution_colour(1.0, 1.0, white)
    assert strong.red() < weak.red() < 255 and strong.green() > strong.red()
    assert attribution_colour(-1.0, 1.0, white).red() > attribution_colour(-1.0, 1.0, white).green()


def test_the_tab_follows_the_sessions_current_run(
    qtbot, project: Project, labelled_model_dir: Path, tmp_path: Path
) -> None:
    first = project_with_run(project, labelled_model_dir)
    second = project.create_run("copy", "tiny", {})
    shutil.copytree(labelled_model_dir, project.runs_dir / str(second) / "best")
    project.update_run(second, status="finished", finished=True)
    session = ProjectSession(project)
    session.set_current_run(first)
    tab = PredictTab(session)
    qtbot.addWidget(tab)
    try:
        assert tab.run_id == first
        session.set_current_run(second)
        assert tab.run_id == second and "run 2" in tab.model_label.text()
        qtbot.waitUntil(lambda: tab.engine.predictor is not None, timeout=30_000)
        assert tab.engine.predictor.folder == project.runs_dir / str(second) / "best"
    finally:
        tab.shutdown()


def test_an_exported_onnx_folder_predicts_without_explanations(
    qtbot, labelled_model_dir: Path, tmp_path: Path
) -> None:
    from bertdesk.ml.export import export_model

    folder = export_model(labelled_model_dir, tmp_path / "onnx", "onnx").path
    tab = PredictTab()
    qtbot.addWidget(tab)
    try:
        tab.set_model_folder(folder)
        qtbot.waitUntil(lambda: tab.engine.predictor is not None, timeout=30_000)
        assert tab.engine.predictor.is_onnx
        assert not tab.why_box.isEnabled() and not tab.why_box.isChecked()
        assert not tab.export_button.isEnabled() and tab.batch_button.isEnabled()
        tab.input.setPlainText("good film")
        qtbot.waitUntil(lambda: tab.prediction_text == "good film", timeout=10_000)
        assert sum(tab.bars.probabilities.values()) == pytest.approx(1.0, abs=1e-4)
    finally:
        tab.shutdown()
