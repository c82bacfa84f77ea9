"""The Train tab says when a run ended at its budget while validation was still improving."""

from __future__ import annotations

from typing import Any

from bertdesk.core import Sentence
from bertdesk.ml.training import STILL_IMPROVING
from tests.gui.test_train_panel import finish, make_panel

STILL_IMPROVING_TEXT = ("Validation was still improving when the run stopped at its budget of 4 epochs: "
                        "train longer (raise the maximum epochs).")


def still_learning_panel(qtbot: Any, project: Any, model_dir: Any) -> Any:
    """A panel set for a short budget in which the validation loss falls at every evaluation."""
    panel = make_panel(qtbot, project, model_dir, epochs=4)
    settings = panel.settings
    settings.input_for("learning_rate").setValue(1e-2)
    settings.input_for("head_learning_rate").setValue(1e-2)
    settings.input_for("evaluations_per_epoch").setValue(1)
    settings.input_for("early_stopping_patience").setValue(2)
    metric = settings.input_for("early_stopping_metric")
    metric.setCurrentIndex(metric.findData("loss"))
    settings.input_for("train_word_embeddings").setChecked(True)  # the tiny model's are random
    return panel


def test_a_run_still_improving_at_its_budget_says_so_in_the_log_and_the_status(
    qtbot, sentiment_project, tiny_model_dir
):  # type: ignore[no-untyped-def]
    panel = still_learning_panel(qtbot, sentiment_project, tiny_model_dir)
    with qtbot.waitSignal(panel.run_finished, timeout=120_000):
        panel.start()
    result = finish(qtbot, panel)
    assert result.status == "finished", result.error
    assert STILL_IMPROVING_TEXT in panel.log.toPlainText()
    assert STILL_IMPROVING_TEXT in panel.status_label.text()
    assert sentiment_project.run(result.run_id).params["still_improving"] is True


def test_a_run_stopped_by_patience_does_not_say_it(qtbot, sentiment_project, tiny_model_dir):  # type: ignore[no-untyped-def]
    panel = still_learning_panel(qtbot, sentiment_project, tiny_model_dir)
    panel.settings.input_for("learning_rate").setValue(1e-9)  # nothing learns: patience ends it
    panel.settings.input_for("head_learning_rate").setValue(1e-9)
    panel.settings.input_for("epochs").setValue(20)
    with qtbot.waitSignal(panel.run_finished, timeout=120_000):
        panel.start()
    result = finish(qtbot, panel)
    assert result.status == "finished", result.error
    assert "Stopped early" in panel.log.toPlainText()
    assert "still improving" not in panel.log.toPlainText() + panel.status_label.text()


def test_the_still_improving_message_is_shown_in_chinese(qtbot, project, chinese):  # type: ignore[no-untyped-def]
    from bertdesk.gui.common.session import ProjectSession
    from bertdesk.gui.training.train_panel import TrainPanel

    panel = TrainPanel(ProjectSession(project))
    qtbot.addWidget(panel)
    message = Sentence(STILL_IMPROVING, epochs="4")
    assert message == STILL_IMPROVING_TEXT  # what the CLI prints
    assert panel.engine_message_text(message) == (
        "训练在达到 4 轮的上限时停止，但验证结果仍在提升：请训练更久（调高最多训练轮数）。")
    panel.shutdown()
