"""The fast model in the Train tab: its picker entry, the settings it ignores, a run in the panel,
and the baseline beside a transformer run (real widgets, a real project, the tiny BERT)."""

from __future__ import annotations

from typing import Any

from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.training.run_history import BASELINE_COLUMN, SETTINGS_COLUMN, RunHistory
from bertdesk.gui.training.train_models import DEFAULT_SPEC, FAST_SPEC
from bertdesk.gui.training.train_panel import TrainPanel
from bertdesk.ml.family import FAST
from tests.gui.test_train_panel import RUN_TIMEOUT_MS, finish, make_panel


def history_row(qtbot: Any, project: Any) -> list[str]:
    history = RunHistory(project)
    qtbot.addWidget(history)
    return [history.table.item(0, column).text() for column in range(history.table.columnCount())]


def test_picking_fast_greys_out_fine_tuning_and_a_run_trains_in_the_panel(
    qtbot: Any, sentiment_project: Any, dialogs: list[tuple[str, str]]
) -> None:
    panel = TrainPanel(ProjectSession(sentiment_project))
    qtbot.addWidget(panel, before_close_func=lambda _panel: panel.session.shutdown())
    settings = panel.settings
    panel.models.combo.setCurrentIndex(panel.models.combo.findData(FAST_SPEC))
    assert panel.models.spec() == FAST == FAST_SPEC
    assert panel.models.combo.currentText() == "Fast (TF-IDF + linear, any language, seconds)"
    assert not settings.preset_box.isEnabled()
    assert not settings.input_for("epochs").isEnabled() and not settings.input_for("learning_rate").isEnabled()
    assert settings.input_for("seed").isEnabled() and settings.input_for("class_weights").isEnabled()
    assert "fast model" in settings.input_for("batch_size").toolTip()
    assert "any language" in panel.coverage_label.text()

    with qtbot.waitSignal(panel.run_finished, timeout=RUN_TIMEOUT_MS):
        panel.start()
    result = finish(qtbot, panel)
    assert result.status == "finished", result.error
    assert not dialogs
    assert sentiment_project.run(result.run_id).base_model == FAST
    assert panel.curves.point_counts()["evaluations"] == 1
    assert panel.status_label.text().startswith(f"Finished run #{result.run_id}")
    assert "baseline" not in panel.status_label.text()  # a fast run is the baseline
    row = history_row(qtbot, sentiment_project)
    assert row[SETTINGS_COLUMN] == "–" and row[BASELINE_COLUMN] == "–"

    panel.models.combo.setCurrentIndex(panel.models.combo.findData(DEFAULT_SPEC))
    assert settings.preset_box.isEnabled() and settings.input_for("epochs").isEnabled()
    panel.shutdown()  # the coverage check of the model picked again


def test_a_transformer_run_ends_with_the_fast_baseline_beside_its_scores(
    qtbot: Any, sentiment_project: Any, tiny_model_dir: Any, dialogs: list[tuple[str, str]]
) -> None:
    panel = make_panel(qtbot, sentiment_project, tiny_model_dir, epochs=1.0)
    with qtbot.waitSignal(panel.run_finished, timeout=RUN_TIMEOUT_MS):
        panel.start()
    result = finish(qtbot, panel)
    assert result.status == "finished", result.error
    baseline = sentiment_project.run(result.run_id).metrics["baseline"]
    assert "Fitting the fast baseline" in panel.log.toPlainText()
    status = panel.status_label.text()
    assert f"accuracy {baseline['accuracy']:.1%}, macro-F1 {baseline['macro_f1']:.1%}." in status
    not_better = result.metrics["macro_f1"] <= baseline["macro_f1"] and result.metrics["macro_f1"] < 1.0
    assert ("does not score better than the fast baseline" in status) == not_better
    row = history_row(qtbot, sentiment_project)
    assert row[BASELINE_COLUMN] == f"{baseline['macro_f1']:.1%}"


def test_the_predict_tab_answers_and_explains_with_a_fast_run(qtbot: Any, sentiment_project: Any) -> None:
    from PySide6.QtGui import QPalette, QTextCursor

    from bertdesk.gui.prediction.predict_tab import PredictTab
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.models import train_model

    result = train_model(sentiment_project, TrainConfig(model=FAST))
    tab = PredictTab()
    qtbot.addWidget(tab)
    try:
        tab.set_model_folder(result.model_dir)
        qtbot.waitUntil(lambda: tab.engine.predictor is not None, timeout=30_000)
        assert tab.why_box.isEnabled() and not tab.export_button.isEnabled()  # no ONNX export
        tab.why_box.setChecked(True)
        tab.input.setPlainText("the film was great")
        view = tab.explanation_view
        qtbot.waitUntil(lambda: view.explanation is not None
                        and view.text_view.toPlainText() == "the film was great", timeout=20_000)
        assert view.explanation.label == "positive" == max(tab.bars.probabilities, key=tab.bars.probabilities.get)
        great = next(a for a in view.explanation.attributions if a.text == "great")
        assert great.score > 0
        cursor = QTextCursor(view.text_view.document())
        cursor.setPosition(great.start + 1)
        tint = cursor.charFormat().background().color()
        assert tint != view.text_view.palette().color(QPalette.ColorRole.Base) and tint.green() > tint.red()
    finally:
        tab.shutdown()
