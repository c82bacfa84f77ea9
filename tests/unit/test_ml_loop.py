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


class LineTask:
    """A real task for the loop, small enough to follow by hand: fit one weight to 3.0 (loss
    (w - 3)²). It records the weight each step trained from and each evaluation scored."""

    def __init__(self) -> None:
        import torch

        self.model = torch.nn.Linear(1, 1, bias=False)
        torch.nn.init.zeros_(self.model.weight)
        self.trained_from: list[float] = []
        self.scored: list[float] = []
        self.kept: list[float] = []

    def epoch_batches(self, rng: object) -> list[list[int]]:
        return [[0]] * 4

    def batch_loss(self, model: object, batch: object, autocast: object) -> object:
        self.trained_from.append(self.weight)
        return ((self.model.weight - 3.0) ** 2).sum()

    def evaluate(self) -> loop.Evaluation:
        weight = self.weight
        self.scored.append(weight)
        return loop.Evaluation({"loss": (weight - 3.0) ** 2})

    @property
    def weight(self) -> float:
        return float(self.model.weight.detach())

    def keep_best(self, evaluation: loop.Evaluation) -> None:
        self.kept.append(self.scored[-1])

    def saved_best_state(self) -> None:
        return None


def run_line(tmp_path: Path, averaging_window: int | None) -> tuple[LineTask, loop.TrainingLoop]:
    from types import SimpleNamespace

    task = LineTask()
    schedule = loop.Schedule(total_steps=12, steps_per_epoch=4, eval_every=4, first_evaluation=4,
                             averaging_window=averaging_window)
    ignore = SimpleNamespace(on_step=lambda event: None, on_evaluate=lambda event: None)
    training = loop.TrainingLoop(
        task, schedule, {"learning_rate": 0.1, "weight_decay": 0.0, "warmup_ratio": 0.0},
        SimpleNamespace(kind="cpu", precision="fp32"), CancelToken(), ignore,
        tmp_path / "checkpoint.pt", lambda **fields: None,
    )
    training.run()
    training.restore_best()
    return task, training


def test_averaged_weights_are_scored_and_kept_while_training_goes_on_from_its_own(tmp_path: Path) -> None:
    task, training = run_line(tmp_path, averaging_window=4)
    plain, _ = run_line(tmp_path / "plain", averaging_window=None)
    assert task.trained_from == plain.trained_from  # scoring the average never touched training
    # The weight after step k is the one step k + 1 trained from; the plain run scored the last.
    after_step = task.trained_from[1:] + [plain.scored[-1]]
    averaged, expected = 0.0, []
    for step, weight in enumerate(after_step, start=1):
        averaged += (weight - averaged) * max(1 / 4, 2 / (step + 1))  # step t weighs t, then 1/4 of each new one
        expected.append(averaged)
    assert task.scored == pytest.approx([expected[3], expected[7], expected[11]])
    assert task.scored != pytest.approx(plain.scored)
    assert task.weight == pytest.approx(task.kept[-1])  # restore_best: the average kept


def test_a_resumed_run_averages_on_from_its_checkpoint(tmp_path: Path, tiny_model_dir: Path) -> None:
    config = tiny_config(tiny_model_dir, epochs=4, evaluations_per_epoch=2, average_weights=True)
    whole_project = labelled_project(tmp_path / "whole.bertdesk")
    whole = train(whole_project, config, Recorder())
    plain = train(labelled_project(tmp_path / "plain.bertdesk"),
                  tiny_config(tiny_model_dir, epochs=4, evaluations_per_epoch=2), Recorder())
    project = labelled_project(tmp_path / "stopped.bertdesk")
    cancel = CancelToken()
    stopped = train(project, config, StopAtFirstEvaluation(cancel=cancel), cancel)
    resumed = train(project, config, Recorder(), resume_run=stopped.run_id)
    assert resumed.weights_fingerprint == whole.weights_fingerprint != plain.weights_fingerprint
    assert project.run(resumed.run_id).history == whole_project.run(whole.run_id).history
