"""Training until the model has learned: patience within a budget of epochs, the new layer's
own learning rate, and the message when a run ends while validation still improves."""

from __future__ import annotations

from pathlib import Path

import pytest

from bertdesk.ml import loop
from bertdesk.ml.config import PRESETS, TrainConfig
from bertdesk.ml.training import (
    STILL_IMPROVING,
    STILL_IMPROVING_AT_TIME_LIMIT,
    STOPPED_AT_TIME_LIMIT,
    STOPPED_EARLY,
    _load_model,
    train,
)
from tests.unit.test_ml_training import Recorder, labelled_project, tiny_config


def templates(recorder: Recorder) -> list[str]:
    return [getattr(message, "template", message) for message in recorder.messages]


def test_a_run_still_learning_at_its_budget_goes_on_to_it_and_says_so(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    recorder = Recorder()
    # The validation loss falls at every evaluation of a short budget: patience never runs out.
    config = tiny_config(tiny_model_dir, epochs=4, learning_rate=1e-2, early_stopping_patience=2,
                         early_stopping_metric="loss")
    result = train(project, config, recorder)
    losses = [metrics["loss"] for metrics in recorder.evaluations]
    assert all(later < earlier - loop.MIN_IMPROVEMENT for earlier, later in zip(losses, losses[1:]))
    assert recorder.steps[-1].step == recorder.steps[-1].total_steps == project.run(result.run_id).params["total_steps"]
    assert recorder.steps[-1].epoch == 4.0  # the budget, no further
    assert STILL_IMPROVING in templates(recorder) and STOPPED_EARLY not in templates(recorder)
    assert any("still improving when the run stopped at its budget of 4 epochs" in m for m in recorder.messages)
    params = project.run(result.run_id).params
    assert params["still_improving"] is True and params["stopped_because"] == "budget"


def test_patience_stops_a_run_whose_validation_gains_have_flattened(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Gains smaller than MIN_IMPROVEMENT are no progress: here every gain is smaller.
    monkeypatch.setattr(loop, "MIN_IMPROVEMENT", 10.0)
    project = labelled_project(tmp_path / "p.bertdesk")
    recorder = Recorder()
    config = tiny_config(tiny_model_dir, epochs=20, evaluations_per_epoch=1, early_stopping_patience=2,
                         early_stopping_metric="loss")
    result = train(project, config, recorder)
    assert len(recorder.evaluations) == 3  # the first, then two without progress
    assert recorder.steps[-1].step < recorder.steps[-1].total_steps
    # The best model is still the best one seen, however small its gain.
    losses = [metrics["loss"] for metrics in recorder.evaluations]
    assert result.metrics["loss"] == pytest.approx(min(losses))
    assert STOPPED_EARLY in templates(recorder) and STILL_IMPROVING not in templates(recorder)
    params = project.run(result.run_id).params
    assert params["still_improving"] is False and params["stopped_because"] == "patience"


def test_a_run_that_stopped_learning_before_its_budget_says_nothing(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    recorder = Recorder()
    # A learning rate of almost nothing, no early stopping: flat validation up to the budget.
    config = tiny_config(tiny_model_dir, epochs=2, evaluations_per_epoch=2, learning_rate=1e-9,
                         head_learning_rate=1e-9, early_stopping_metric="loss")
    result = train(project, config, recorder)
    assert recorder.steps[-1].step == recorder.steps[-1].total_steps
    assert len(recorder.evaluations) == 4
    assert STILL_IMPROVING not in templates(recorder)
    params = project.run(result.run_id).params
    assert params["still_improving"] is False and params["stopped_because"] == "budget"


class _SlowClock:
    """The loop's clock, where every reading is 7 s after the one before: a step takes seconds."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        self.now += 7.0
        return self.now


def test_a_run_stops_at_its_time_limit_scored_once_more(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loop, "time", _SlowClock())
    project = labelled_project(tmp_path / "p.bertdesk")
    recorder = Recorder()
    # 20 epochs of 1 evaluation each, but 1 minute at about 14 s a step: a few steps only.
    config = tiny_config(tiny_model_dir, epochs=20, max_minutes=1, early_stopping_metric="loss")
    result = train(project, config, recorder)
    last = recorder.steps[-1]
    assert result.status == "finished", result.error
    assert last.step < recorder.steps[0].total_steps // 4
    assert recorder.evaluation_steps[-1] == last.step  # scored at the stop, not half an epoch later
    assert last.step < project.run(result.run_id).params["total_steps"]
    assert {STOPPED_AT_TIME_LIMIT, STILL_IMPROVING_AT_TIME_LIMIT} & set(templates(recorder))
    assert STILL_IMPROVING not in templates(recorder)
    assert all(step.eta_seconds <= 60 for step in recorder.steps)  # the time left counts the limit
    params = project.run(result.run_id).params
    assert params["stopped_because"] == "time"
    assert result.metrics["loss"] == pytest.approx(min(metrics["loss"] for metrics in recorder.evaluations))


def test_a_time_limit_below_a_minute_is_refused() -> None:
    with pytest.raises(Exception, match="time limit must be at least 1 minute"):
        TrainConfig.from_preset("balanced", max_minutes=0)


def test_the_new_classification_layer_learns_at_its_own_rate(tiny_model_dir: Path) -> None:
    model, _tokenizer, new = _load_model(tiny_model_dir, ["a", "b", "c"], False, False)
    assert new == {"classifier.weight", "classifier.bias"}
    optimizer = loop._optimizer(model, learning_rate=1e-5, weight_decay=0.01, warmup_ratio=0.1,
                                head_learning_rate=1e-3, new_parameters=new)
    rate_of = {id(parameter): group["lr"] for group in optimizer.param_groups for parameter in group["params"]}
    for name, parameter in model.named_parameters():
        assert rate_of[id(parameter)] == (1e-3 if name in new else 1e-5), name
    # A folder whose classifier already fits the labels keeps it: nothing is new there.
    _model, _tokenizer, kept = _load_model(tiny_model_dir, ["a", "b"], False, False)
    assert kept == set()


def test_a_run_from_before_the_new_layers_rate_resumes_with_its_optimiser_groups(tiny_model_dir: Path) -> None:
    stored = TrainConfig.from_preset("balanced", learning_rate=4e-5).to_dict()
    del stored["head_learning_rate"]  # as runs recorded it before the setting existed
    config = TrainConfig.from_dict(stored)
    assert config.head_learning_rate == config.learning_rate == 4e-5
    model, _tokenizer, new = _load_model(tiny_model_dir, ["a", "b", "c"], False, False)
    optimizer = loop._optimizer(model, learning_rate=4e-5, weight_decay=0.01, warmup_ratio=0.1,
                                head_learning_rate=config.head_learning_rate, new_parameters=new)
    assert len(optimizer.param_groups) == 2  # decay and no decay, as its checkpoint has them


def test_with_layer_decay_each_layer_learns_at_a_share_of_the_rate_of_the_layer_above(tiny_model_dir: Path) -> None:
    model, _tokenizer, new = _load_model(tiny_model_dir, ["a", "b", "c"], False, False)
    layers = model.config.num_hidden_layers
    optimizer = loop._optimizer(model, learning_rate=1e-4, weight_decay=0.01, warmup_ratio=0.1,
                                head_learning_rate=1e-3, new_parameters=new, layer_decay=0.5)
    rate_of = {id(parameter): group["lr"] for group in optimizer.param_groups for parameter in group["params"]}
    rates = {name: rate_of[id(parameter)] for name, parameter in model.named_parameters()}
    assert rates["classifier.weight"] == 1e-3  # the new layer keeps its own rate
    assert rates["bert.pooler.dense.weight"] == pytest.approx(1e-4)
    for index in range(layers):
        assert rates[f"bert.encoder.layer.{index}.attention.self.query.weight"] == pytest.approx(
            1e-4 * 0.5 ** (layers - index))
        assert rates[f"bert.encoder.layer.{index}.output.LayerNorm.bias"] == pytest.approx(
            1e-4 * 0.5 ** (layers - index))
    assert rates["bert.embeddings.position_embeddings.weight"] == pytest.approx(1e-4 * 0.5 ** (layers + 1))
    assert rates["bert.embeddings.LayerNorm.weight"] == pytest.approx(1e-4 * 0.5 ** (layers + 1))
    # Without decay, one group per rate and decay: as runs before the setting had them.
    plain = loop._optimizer(model, learning_rate=1e-4, weight_decay=0.01, warmup_ratio=0.1,
                            head_learning_rate=1e-3, new_parameters=new)
    assert len(plain.param_groups) == 4


def test_a_run_from_before_layer_decay_resumes_without_it() -> None:
    stored = TrainConfig.from_preset("balanced").to_dict()
    del stored["layer_decay"]
    assert TrainConfig.from_dict(stored).layer_decay == 1.0
    with pytest.raises(Exception, match="layer decay"):
        TrainConfig.from_preset("balanced", layer_decay=0.0)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_presets_load_and_stop_when_validation_stops_improving(preset: str) -> None:
    config = TrainConfig.from_preset(preset)
    assert config.preset == preset and config.epochs > 0
    assert config.early_stopping_patience is not None
    assert config.head_learning_rate is not None and config.head_learning_rate > config.learning_rate


def test_the_learning_rate_of_the_new_layer_is_checked() -> None:
    with pytest.raises(Exception, match="classification layer's learning rate"):
        TrainConfig.from_preset("balanced", head_learning_rate=2.0)


def test_the_cli_says_when_a_run_was_still_improving(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bertdesk.cli import main

    path = tmp_path / "p.bertdesk"
    labelled_project(path).close()
    code = main(["-q", "train", str(path), "--model", str(tiny_model_dir), "--preset", "quick",
                 "--epochs", "4", "--lr", "1e-2", "--batch-size", "8", "--max-length", "32",
                 "--train-embeddings", "--min-steps", "0", "--evaluations-per-epoch", "1",
                 "--metric", "loss", "--patience", "2", "--head-lr", "1e-2"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert ("Validation was still improving when the run stopped at its budget of 4 epochs: "
            "train longer (raise the maximum epochs).") in captured.err


def test_each_evaluation_without_progress_halves_the_learning_rate(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loop, "MIN_IMPROVEMENT", 10.0)  # no evaluation after the first is progress
    rates = {}
    for patience in (None, 3):  # without early stopping the rate follows the budget's line alone
        recorder = Recorder()
        config = tiny_config(tiny_model_dir, epochs=3, evaluations_per_epoch=1, early_stopping_patience=patience)
        train(labelled_project(tmp_path / f"{patience}.bertdesk"), config, recorder)
        rates[patience] = {event.step: event.learning_rate for event in recorder.steps}
        evaluations = recorder.evaluation_steps
    # The first evaluation sets the best; each later one comes without progress.
    assert len(evaluations) == 3 and rates[3].keys() == rates[None].keys()
    for step, rate in rates[3].items():
        halvings = sum(1 for evaluation in evaluations[1:] if evaluation < step)
        assert rate == pytest.approx(rates[None][step] * 0.5 ** halvings), step
    assert rates[3][evaluations[2]] == pytest.approx(rates[None][evaluations[2]] * 0.5)


class StopAtSecondEvaluation(Recorder):
    """Presses Stop once the learning rate has been halved (an evaluation without progress)."""

    def on_evaluate(self, event: object) -> None:
        super().on_evaluate(event)
        if len(self.evaluations) == 2:
            assert self.cancel is not None
            self.cancel.cancel()


def test_a_resumed_run_keeps_its_halved_learning_rate(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bertdesk.core import CancelToken

    monkeypatch.setattr(loop, "MIN_IMPROVEMENT", 10.0)
    config = tiny_config(tiny_model_dir, epochs=4, evaluations_per_epoch=1, early_stopping_patience=3)
    whole_recorder = Recorder()
    whole = train(labelled_project(tmp_path / "whole.bertdesk"), config, whole_recorder)
    project = labelled_project(tmp_path / "stopped.bertdesk")
    cancel = CancelToken()
    stopped = train(project, config, StopAtSecondEvaluation(cancel=cancel), cancel)
    assert stopped.status == "cancelled"
    resumed_recorder = Recorder()
    resumed = train(project, config, resumed_recorder, resume_run=stopped.run_id)
    assert resumed.weights_fingerprint == whole.weights_fingerprint
    rates = {event.step: event.learning_rate for event in whole_recorder.steps}
    assert all(event.learning_rate == pytest.approx(rates[event.step]) for event in resumed_recorder.steps)
