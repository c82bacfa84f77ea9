"""The run history's table and charts at a small laptop's size, and the training settings'
values and run names in the Chinese interface."""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtGui import QImage, QPainter

from bertdesk.gui.training.run_history import RunHistory
from bertdesk.gui.training.train_curves import plot_columns
from bertdesk.gui.training.train_settings import TrainSettings, run_title


@pytest.fixture
def two_runs(sentiment_project, tiny_model_dir):  # type: ignore[no-untyped-def]
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.training import train

    config = TrainConfig.from_preset("quick", model=str(tiny_model_dir), epochs=1, max_length=32, min_steps=0)
    return [train(sentiment_project, config).run_id for _ in range(2)]


def tick_label_boxes(plot) -> list:  # type: ignore[no-untyped-def]
    """Where the left axis draws its labels (pyqtgraph's own layout of them)."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis, _ticks, texts = plot.getAxis("left").generateDrawSpecs(painter)
    finally:
        painter.end()
    return [rect for rect, _flags, _text in texts]


def test_the_history_fits_a_small_laptop(qtbot, sentiment_project, two_runs) -> None:  # type: ignore[no-untyped-def]
    history = RunHistory(sentiment_project)
    qtbot.addWidget(history)
    history.resize(1180, 230)  # its share of the Train tab at 1200×800
    history.show()
    qtbot.waitExposed(history)
    history.select_runs(two_runs)
    qtbot.wait(100)  # laid out, as on screen

    assert history.table.horizontalScrollBar().maximum() == 0  # every column, Status too, in view
    for plot in history.curves.plots():
        assert plot.legend is None  # the names sit in the titles and above the plots, not on curves
        boxes = tick_label_boxes(plot)
        assert len(boxes) >= 2
        assert not any(a.intersects(b) for a, b in combinations(boxes, 2)), plot
    assert "#" in history.curves.runs_legend.text() and history.curves.runs_legend.isVisible()


def test_plots_stand_in_one_row_where_the_space_is_wide_and_short() -> None:
    assert plot_columns(620, 230) == 4
    assert plot_columns(700, 700) == 2


def test_settings_values_and_run_names_show_in_chinese(qtbot, chinese, sentiment_project, two_runs) -> None:  # type: ignore[no-untyped-def]
    settings = TrainSettings()
    qtbot.addWidget(settings)
    shown = {name: settings.input_for(name).currentText()
             for name in ("truncation", "early_stopping_metric", "device")}
    assert shown == {"truncation": "开头：保留文本开头", "early_stopping_metric": "宏平均 F1",
                     "device": "自动"}
    values = settings.values()
    assert (values["truncation"], values["early_stopping_metric"], values["device"]) == ("head", "macro_f1", "auto")
    run = sentiment_project.run(two_runs[0])
    assert run_title(run).startswith(f"#{run.id} 快速 · ")


def test_the_coverage_warning_in_the_training_log_is_chinese(  # type: ignore[no-untyped-def]
    qtbot, chinese, project, tiny_model_dir
) -> None:
    from bertdesk.gui.common.session import ProjectSession
    from bertdesk.gui.training.train_panel import TrainPanel
    from bertdesk.ml.coverage import vocabulary_coverage
    from bertdesk.core import Sentence
    from bertdesk.ml.training import COVERAGE_WARNING

    panel = TrainPanel(ProjectSession(project))
    qtbot.addWidget(panel)
    report = vocabulary_coverage(tiny_model_dir, ["这家店的菜品非常新鲜", "外卖送到的时候已经凉透了"])
    assert report.warning is not None and report.suggestion is not None
    message = Sentence(COVERAGE_WARNING, warning=report.warning, suggestion=report.suggestion)
    assert message.startswith("Warning: This model does not know 86% of the words")  # the CLI's line
    text = panel.engine_message_text(message)
    assert text.startswith("警告：此模型不认识你的文本中 86% 的词") and "内置多语言模型" in text
    assert "学不到多少东西。你的文本大多是中文" in text  # no space after a Chinese full stop
    assert not any("a" <= character.lower() <= "z" for character in text.replace("bert-base-chinese", ""))
    panel.shutdown()


def test_the_model_line_says_long_texts_are_cut_not_that_words_are_unknown(  # type: ignore[no-untyped-def]
    qtbot, chinese, project, tiny_model_dir
) -> None:
    from bertdesk.gui.common.session import ProjectSession
    from bertdesk.gui.training.train_panel import TrainPanel
    from bertdesk.ml.coverage import vocabulary_coverage

    panel = TrainPanel(ProjectSession(project))
    qtbot.addWidget(panel)
    report = vocabulary_coverage(tiny_model_dir, ["good movie " * 20, "bad film " * 20], max_length=16)
    assert report.unk_rate == 0 and report.truncated_rate == 1.0
    panel._show_coverage((None, report))
    shown = panel.coverage_label.text()
    assert shown == "⚠ 你的文本中有 100% 超过 16 个词元，会被截断。请调高最大长度，或选择“首尾”截断以保留开头和结尾。"
    panel.shutdown()


def test_a_live_run_appended_tick_by_tick_draws_what_its_whole_history_draws(qtbot) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from bertdesk.gui.training.train_curves import SMOOTHING, TrainingCurves

    rng = np.random.default_rng(0)
    history: list[dict[str, object]] = []
    for step in range(1, 301):
        history.append({"type": "step", "step": step, "loss": float(rng.uniform(0.1, 2.0)), "learning_rate": 1e-4})
        if step % 50 == 0:
            history.append({"type": "eval", "step": step, "loss": 0.4, "accuracy": 0.8, "macro_f1": 0.75})
    live, whole = TrainingCurves(), TrainingCurves()
    qtbot.addWidget(live)
    qtbot.addWidget(whole)
    live.show_live(history[:7])  # a resumed run starts from its history so far
    for start in range(7, len(history), 13):  # then a tick's worth of entries at a time
        live.append_live(history[start:start + 13])
    whole.show_runs([("", history)])
    for name in whole._curves[0]:
        drawn_live, drawn_whole = live._curves[0][name].getOriginalDataset(), whole._curves[0][name].getOriginalDataset()
        assert np.array_equal(drawn_live[0], drawn_whole[0]) and np.allclose(drawn_live[1], drawn_whole[1]), name
    assert live.point_counts() == {"steps": 300, "evaluations": 6}
    # The smoothed loss is TensorBoard's bias-corrected moving average.
    losses = [float(entry["loss"]) for entry in history if entry["type"] == "step"]  # type: ignore[arg-type]
    average, expected = 0.0, []
    for index, loss in enumerate(losses, start=1):
        average = SMOOTHING * average + (1 - SMOOTHING) * loss
        expected.append(average / (1 - SMOOTHING ** index))
    assert np.allclose(live._curves[0]["smoothed"].getOriginalDataset()[1], expected)


def test_empty_plots_show_no_numbers_until_the_first_point(qtbot) -> None:  # type: ignore[no-untyped-def]
    from bertdesk.gui.training.train_curves import TrainingCurves

    curves = TrainingCurves()
    qtbot.addWidget(curves)

    def numbered() -> set[bool]:
        return {plot.getAxis(axis).style["showValues"] for plot in curves.plots() for axis in ("left", "bottom")}

    assert numbered() == {False}  # no run chosen: a bare grid, not 0.2 0.4 0.6 0.8
    curves.show_live([])
    assert numbered() == {False}  # a run starting, before its first step
    curves.append_live([{"type": "step", "step": 1, "loss": 0.7, "learning_rate": 1e-5}])
    assert numbered() == {True}
    curves.clear()
    assert numbered() == {False}
