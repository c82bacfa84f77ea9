"""The generic training loop, driven through ``train`` with the classification task on the tiny BERT."""

from __future__ import annotations

from pathlib import Path

import pytest

from bertdesk.core import CancelToken
from bertdesk.ml import loop
from bertdesk.ml.training import train
from tests.unit.test_ml_training import Recorder, labelled_project, tiny_config


class StopAtFirstEvaluation(Recorder):
    """Presses Stop as the first evaluation comes in: the run stops before its next step."""

    def on_evaluate(self, event: object) -> None:
        super().on_evaluate(event)
        assert self.cancel is not None
        self.cancel.cancel()


def test_a_stopped_and_resumed_run_ends_as_the_uninterrupted_one(tmp_path: Path, tiny_model_dir: Path) -> None:
    config = tiny_config(tiny_model_dir, epochs=4, evaluations_per_epoch=2)
    whole_project = labelled_project(tmp_path / "whole.bertdesk")
    whole = train(whole_project, config, Recorder())
    project = labelled_project(tmp_path / "stopped.bertdesk")
    cancel = CancelToken()
    stopper = StopAtFirstEvaluation(cancel=cancel)
    stopped = train(project, config, stopper, cancel)
    assert stopped.status == "cancelled"
    assert stopper.steps[-1].step == stopper.evaluation_steps[0] < stopper.steps[-1].total_steps
    resumed = train(project, config, Recorder(), resume_run=stopped.run_id)
    assert resumed.status == whole.status == "finished"
    assert resumed.weights_fingerprint == whole.weights_fingerprint
    assert resumed.metrics == whole.metrics
    assert project.run(resumed.run_id).history == whole_project.run(whole.run_id).history


def test_the_loss_is_read_at_logging_intervals_as_the_mean_of_its_steps(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tiny_config(tiny_model_dir, epochs=4)
    monkeypatch.setattr(loop, "LOGGED_POINTS", 1_000_000)  # every step logged
    every = Recorder()
    train(labelled_project(tmp_path / "every.bertdesk"), config, every)
    total = every.steps[-1].total_steps
    assert total >= 12 and all(event.logged for event in every.steps)
    monkeypatch.setattr(loop, "LOGGED_POINTS", total // 4)  # every 4th step (and the first and last)
    sparse = Recorder()
    project = labelled_project(tmp_path / "sparse.bertdesk")
    result = train(project, config, sparse)

    logged_steps = sorted({1, total, *range(4, total + 1, 4)})
    assert [event.step for event in sparse.steps if event.logged] == logged_steps
    history = project.run(result.run_id).history
    assert [entry["step"] for entry in history if entry["type"] == "step"] == logged_steps
    per_step = [event.loss for event in every.steps]
    previous = 0
    for event in sparse.steps:
        if event.logged:
            assert event.loss == pytest.approx(sum(per_step[previous:event.step]) / (event.step - previous), rel=1e-5)
            previous, last_logged = event.step, event.loss
        else:
            assert event.loss == last_logged  # between readings the last one stands


def test_logging_interval_grows_with_the_run_up_to_ten_steps() -> None:
    assert [loop.logging_interval(steps) for steps in (1, 150, 450, 5_000, 100_000)] == [1, 1, 4, 10, 10]
