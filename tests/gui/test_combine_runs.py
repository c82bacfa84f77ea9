"""Combine runs… from the run history: an ensemble made in the dialog (two fast runs, which
train in a second), listed as one, current at once and used by the Evaluate tab, the Predict
tab and batch prediction; the choices the dialog refuses; the kind of every run in the
history, a cross-validation's refused "Use for prediction" with the reason."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget

from bertdesk import ops
from bertdesk.core import RunId, Split
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.evaluation.combine_runs_dialog import RUN_COLUMN, CombineRunsDialog
from bertdesk.gui.training.run_history import (
    BASE_MODEL_COLUMN,
    KIND_COLUMN,
    SETTINGS_COLUMN,
    RunHistory,
)
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.models import FAST, load_predictor, train_model
from bertdesk.ml.predict import run_model_folder
from bertdesk.store import Project

TEXTS = ["the movie was good great fine", "the food was awful poor", "the plot was fine bad"]
TIMEOUT_MS = 60_000


def two_different_fast_runs(project: Project) -> list[RunId]:
    """Two fast runs whose models differ: between them a quarter of the training texts swap labels."""
    first = train_model(project, TrainConfig(model=FAST))
    names = {label.id: label.name for label in project.labels()}
    other = {"positive": "negative", "negative": "positive"}
    for example_id, _text, labels, _ in project.labelled_examples([Split.TRAIN])[::4]:
        ops.relabel(project, [example_id], other[names[labels[0]]])
    second = train_model(project, TrainConfig(model=FAST))
    assert first.status == second.status == "finished"
    return [RunId(first.run_id), RunId(second.run_id)]


def member_probabilities(project: Project, run_id: RunId) -> np.ndarray:
    probs: np.ndarray = load_predictor(run_model_folder(project, run_id)[1]).predict_proba(TEXTS)
    return probs


def open_from_history(
    qtbot: Any, session: ProjectSession, selected: list[RunId],
) -> tuple[QWidget, RunHistory, CombineRunsDialog]:
    """The Train tab as the window wires it (the caller keeps it: qtbot holds it weakly); the
    selected runs, then "Combine runs…"."""
    from bertdesk.gui.main_window import train_tab

    _title, tab = train_tab(None, session)  # type: ignore[arg-type]
    qtbot.addWidget(tab, before_close_func=lambda _tab: session.shutdown())
    history = tab.findChild(RunHistory)
    history.select_runs(selected)
    assert history.combine_button.isEnabled()
    history.combine_button.click()
    dialog = history.findChild(CombineRunsDialog)
    assert dialog is not None and dialog.isVisible()
    return tab, history, dialog


def create(qtbot: Any, dialog: CombineRunsDialog) -> None:
    dialog.create_button.click()
    assert dialog.running
    qtbot.waitUntil(lambda: not dialog.running, timeout=TIMEOUT_MS)


def test_an_ensemble_made_in_the_dialog_is_listed_current_and_predicts_the_mean(
    qtbot: Any, sentiment_project: Project, tmp_path: Path, dialogs: list[tuple[str, str]],
) -> None:
    from bertdesk.gui.evaluation.eval_view import EvalView
    from bertdesk.gui.prediction.batch_predict import BatchPredictDialog
    from bertdesk.gui.prediction.predict_tab import PredictTab

    members = two_different_fast_runs(sentiment_project)
    first, second = (member_probabilities(sentiment_project, run_id) for run_id in members)
    assert not np.allclose(first, second, atol=1e-3)  # else a mean would prove nothing
    session = ProjectSession(sentiment_project)
    evaluation = EvalView(session)
    qtbot.addWidget(evaluation)
    _tab, history, dialog = open_from_history(qtbot, session, members)
    assert dialog.checked_runs() == members  # the selection, oldest first
    assert dialog.table.item(0, RUN_COLUMN).text() == f"#{members[1]} fast (TF-IDF + linear)"
    assert dialog.create_button.isEnabled() and dialog.message.text() == ""

    create(qtbot, dialog)
    ensemble = dialog.ensemble
    assert ensemble is not None, dialog.message.text()
    run_id = ensemble.run_id
    assert "Ensemble run" in dialog.message.text() and not dialogs
    assert session.current_run == run_id
    row = [history.table.item(0, column).text() for column in range(history.table.columnCount())]
    assert row[0] == f"★ #{run_id}" and row[KIND_COLUMN] == "ensemble"
    assert row[BASE_MODEL_COLUMN] == f"ensemble of runs {members[0]}, {members[1]}"
    assert row[SETTINGS_COLUMN] == "average"
    assert [history.table.item(r, KIND_COLUMN).text() for r in (1, 2)] == ["fast", "fast"]
    assert "weighted mean" in history.table.item(0, KIND_COLUMN).toolTip()
    assert history.selected_runs() == list(reversed(members))  # kept through the refresh, newest first
    dialog.close()

    # The Evaluate tab follows the current run and scores it as the engine stored it.
    assert evaluation.current_run() == run_id
    qtbot.waitUntil(lambda: evaluation.report is not None, timeout=TIMEOUT_MS)
    assert evaluation.report.accuracy == pytest.approx(ensemble.validation["accuracy"])
    assert evaluation.report.macro_f1 == pytest.approx(ensemble.validation["macro_f1"])

    tab = PredictTab(session)
    qtbot.addWidget(tab)
    try:
        assert tab.run_id == run_id
        qtbot.waitUntil(lambda: tab.engine.predictor is not None, timeout=TIMEOUT_MS)
        tab.input.setPlainText(TEXTS[0])
        qtbot.waitUntil(lambda: tab.prediction is not None, timeout=TIMEOUT_MS)
        mean = (first[0] + second[0]) / 2
        labels = load_predictor(run_model_folder(sentiment_project, members[0])[1]).labels
        assert tab.bars.probabilities == pytest.approx(dict(zip(labels, mean)), abs=1e-5)

        source = tmp_path / "texts.csv"
        source.write_text("text\n" + "\n".join(TEXTS) + "\n", encoding="utf-8")
        batch = BatchPredictDialog(tab.model_folder, session, run_id)
        qtbot.addWidget(batch)
        batch.set_input(source)
        output = tmp_path / "predicted.csv"
        batch.output_edit.setText(str(output))
        batch.start_button.click()
        qtbot.waitUntil(lambda: batch.job is None, timeout=TIMEOUT_MS)
        with output.open(encoding="utf-8-sig", newline="") as handle:
            saved = list(csv.DictReader(handle))
        positive = labels.index("positive")
        np.testing.assert_allclose([float(row["prob_positive"]) for row in saved],
                                   (first[:, positive] + second[:, positive]) / 2, atol=1e-5)
    finally:
        tab.shutdown()
        evaluation.shutdown()


def test_the_dialog_refuses_one_run_runs_of_other_labels_and_a_missing_model(
    qtbot: Any, sentiment_project: Project,
) -> None:
    members = two_different_fast_runs(sentiment_project)
    session = ProjectSession(sentiment_project)
    _tab, _history, dialog = open_from_history(qtbot, session, [members[0]])
    assert dialog.checked_runs() == [members[0]]
    assert not dialog.create_button.isEnabled()
    assert "at least two runs" in dialog.message.text()
    dialog.create_ensemble()
    assert not dialog.running and dialog.ensemble is None

    # A third label: a run trained since predicts other labels than the first two.
    ops.add_label(sentiment_project, "neutral")
    texts = sentiment_project.labelled_examples([Split.TRAIN, Split.VALIDATION])
    ops.relabel(sentiment_project, [example_id for example_id, *_ in texts[:12]], "neutral")
    third = RunId(train_model(sentiment_project, TrainConfig(model=FAST)).run_id)
    dialog.fill([members[0], third])
    create(qtbot, dialog)
    assert "do not predict the same labels" in dialog.message.text() and dialog.ensemble is None

    shutil.rmtree(run_model_folder(sentiment_project, members[1])[1])
    dialog.fill(members)
    create(qtbot, dialog)
    assert f"Run {members[1]} has no saved model" in dialog.message.text() and dialog.ensemble is None
    assert len(sentiment_project.runs()) == 3  # nothing was stored
    assert dialog.create_button.isEnabled()  # the choice can be changed and tried again
    dialog.close()


def test_the_history_marks_a_cross_validation_which_cannot_be_made_current(
    qtbot: Any, sentiment_project: Project, chinese: None,
) -> None:
    from bertdesk.ml.crossval import cross_validate

    trained = train_model(sentiment_project, TrainConfig(model=FAST))
    validated = cross_validate(sentiment_project, TrainConfig(model=FAST), folds=3)
    history = RunHistory(sentiment_project)
    qtbot.addWidget(history)
    assert [history.table.item(row, KIND_COLUMN).text() for row in (0, 1)] == ["交叉验证", "快速"]
    assert history.table.item(0, SETTINGS_COLUMN).text() == "3 折"
    history.select_runs([validated.run_id])
    assert not history.use_button.isEnabled()
    assert "交叉验证" in history.use_button.toolTip()
    history.select_runs([RunId(trained.run_id)])
    assert history.use_button.isEnabled()
    assert not history.combine_button.isEnabled()  # one run with a model: nothing to combine
