"""Pretraining from the Train tab (issue 19): the dialog runs the real job on the tiny BERT, the
picker then offers the model, Stop and Resume carry a run on, the test split stays out unless asked."""

from __future__ import annotations

import json
from typing import Any

from bertdesk.core import RunStatus
from bertdesk.gui.training.pretrain_panel import PretrainDialog
from bertdesk.gui.training.train_panel import TrainPanel
from bertdesk.ml.pretraining.records import RECORD_FILE
from tests.gui.test_train_panel import RUN_TIMEOUT_MS, finish, make_panel


def open_dialog(panel: TrainPanel, steps: int) -> PretrainDialog:
    """The panel's pretraining dialog, starting from the tiny model the panel has chosen."""
    dialog = panel.open_pretraining()
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("steps"))
    dialog.steps_input.setValue(steps)
    return dialog


def wait_for(qtbot: Any, dialog: PretrainDialog) -> Any:
    qtbot.waitUntil(lambda: not dialog.running, timeout=RUN_TIMEOUT_MS)
    return dialog.last_result


def test_pretraining_draws_its_curves_and_the_picker_then_trains_from_it(qtbot, sentiment_project, tiny_model_dir,
                                                                          dialogs):
    panel = make_panel(qtbot, sentiment_project, tiny_model_dir)
    dialog = open_dialog(panel, steps=6)
    assert dialog.base() == str(tiny_model_dir)
    assert not dialog.include_test.isChecked()
    dialog.start()
    assert dialog.running and not dialog.start_button.isEnabled()
    result = wait_for(qtbot, dialog)

    assert result.status is RunStatus.FINISHED, result.error
    assert not dialogs
    counts = dialog.curves.point_counts()
    assert counts["steps"] >= 3 and counts["evaluations"] >= 1
    assert dialog.progress.value() == dialog.progress.maximum() == 6
    assert not result.model.test_included
    assert result.model.texts + result.model.held_out == 72  # 80 texts, the test split's 8 left out
    # The picker offers the model, chosen, titled by what it learnt from.
    assert panel.models.spec() == "pretrained:1"
    title = panel.models.combo.currentText()
    assert title.startswith("Pretrained #1: Adapted from") and "6 steps" in title

    panel.start()
    run = finish(qtbot, panel)
    assert run.status == "finished", run.error
    assert sentiment_project.run(run.run_id).base_model == "pretrained:1"

    # A new Train tab lists it once shown (the records are read in the background).
    again = TrainPanel(panel.session)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.models.combo.findData("pretrained:1") >= 0, timeout=RUN_TIMEOUT_MS)
    # Delete… shows for a pretrained model only; the run fine-tuned from it keeps its model.
    picker = again.models
    assert not picker.delete_button.isVisibleTo(again)
    picker.combo.setCurrentIndex(picker.combo.findData("pretrained:1"))
    assert picker.delete_button.isVisibleTo(again)
    # As a pretraining killed on another computer leaves its record: the question says so.
    record_file = result.model.folder / RECORD_FILE
    record = json.loads(record_file.read_text(encoding="utf-8"))
    record_file.write_text(json.dumps({**record, "status": "running", "owner": {"host": "lab-pc", "pid": 7}}),
                           encoding="utf-8")
    picker.delete_button.click()
    kind, question = dialogs[-1]
    assert kind == "question" and "Runs fine-tuned from it keep their models" in question
    assert "cannot tell whether it still is" in question and "computer lab-pc" in question
    assert picker.combo.findData("pretrained:1") < 0 and picker.spec() == "auto"
    assert not result.model.folder.exists() and (sentiment_project.runs_dir / str(run.run_id) / "best").is_dir()
    again.shutdown()


def test_a_stopped_pretraining_resumes_where_it_stopped(qtbot, sentiment_project, tiny_model_dir, dialogs):
    panel = make_panel(qtbot, sentiment_project, tiny_model_dir)
    dialog = open_dialog(panel, steps=120)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.curves.point_counts()["steps"] >= 3, timeout=RUN_TIMEOUT_MS)
    dialog.stop()
    stopped = wait_for(qtbot, dialog)
    assert stopped.status is RunStatus.CANCELLED and 0 < stopped.model.steps < 120
    assert dialog.resume_button.isVisible() and dialog.resume_button.text() == f"Resume #{stopped.model.id}"

    dialog.resume()
    assert dialog.curves.point_counts()["steps"] > 0  # the curve so far stays in view
    resumed = wait_for(qtbot, dialog)
    assert not dialogs
    assert resumed.status is RunStatus.FINISHED and resumed.model.id == stopped.model.id
    assert resumed.model.steps == 120
    steps = [entry["step"] for entry in resumed.model.history if entry["type"] == "step"]
    assert steps == sorted(set(steps)) and steps[-1] == 120  # one curve, carried on, not restarted
    assert dialog.curves.point_counts()["steps"] == len(steps)
    assert not dialog.resume_button.isVisible()
    panel.shutdown()


def test_the_include_test_checkbox_reaches_the_job(qtbot, sentiment_project, tiny_model_dir, dialogs):
    panel = make_panel(qtbot, sentiment_project, tiny_model_dir)
    dialog = open_dialog(panel, steps=2)
    dialog.include_test.setChecked(True)
    dialog.start()
    result = wait_for(qtbot, dialog)
    assert result.status is RunStatus.FINISHED, result.error
    assert result.model.test_included and result.model.config["include_test"]
    assert result.model.texts + result.model.held_out == 80
    panel.shutdown()
