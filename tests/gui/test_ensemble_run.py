"""An ensemble run in the app, unchanged: the run history lists it as an ensemble, and the
Predict tab predicts, explains and offers export with it as with any run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bertdesk.core import RunId
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.prediction.predict_tab import PredictTab
from bertdesk.gui.training.run_history import BASE_MODEL_COLUMN, RunHistory
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.ensemble import combine_runs
from bertdesk.ml.models import FAST, train_model
from bertdesk.ml.models.ensemble import EnsembleClassifier
from tests.unit.test_ml_training import labelled_project, tiny_config


def test_an_ensemble_is_listed_and_predicts_in_the_predict_tab(qtbot: Any, tiny_model_dir: Path, tmp_path: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    for config in (TrainConfig(model=FAST), tiny_config(tiny_model_dir)):
        assert train_model(project, config).status == "finished"
    ensemble = combine_runs(project, [RunId(1), RunId(2)])

    history = RunHistory(project)
    qtbot.addWidget(history)
    assert history.table.item(0, BASE_MODEL_COLUMN).text() == "ensemble of runs 1, 2"  # newest first
    history.select_runs([ensemble.run_id])
    assert history.use_button.isEnabled()

    session = ProjectSession(project)
    session.set_current_run(ensemble.run_id)
    tab = PredictTab(session)
    qtbot.addWidget(tab)
    try:
        assert tab.run_id == ensemble.run_id
        qtbot.waitUntil(lambda: tab.engine.predictor is not None, timeout=30_000)
        predictor = tab.engine.predictor
        assert isinstance(predictor, EnsembleClassifier)
        assert tab.why_box.isEnabled() and tab.export_button.isEnabled() and tab.batch_button.isEnabled()
        tab.input.setPlainText("good movie")
        qtbot.waitUntil(lambda: tab.prediction is not None, timeout=10_000)
        assert tab.bars.probabilities == pytest.approx(predictor.predict("good movie").probabilities, abs=1e-5)
    finally:
        tab.shutdown()
        session.shutdown()
        project.close()
