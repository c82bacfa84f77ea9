"""The training engine on a tiny random BERT (seconds per run) and, once, on the real default model."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from bertdesk.core import CancelToken, RunStatus, Split, UserInputError
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.coverage import vocabulary_coverage
from bertdesk.ml.data import cut_ids, encode_texts
from bertdesk.ml.evaluation import evaluate_run
from bertdesk.ml.models import train_model
from bertdesk.ml.training import (
    StepEvent,
    TrainingCallback,
    can_resume,
    train,
    training_data_problems,
)
from bertdesk.store import ExampleFilter, Project
from tests.conftest import file_modes

POSITIVE = ["good movie", "great film", "love it", "excellent plot", "fine acting", "very good food"]
NEGATIVE = ["bad movie", "awful film", "hate it", "terrible plot", "poor acting", "very slow service"]


def labelled_project(path: Path, n: int = 24, multi_label: bool = False) -> Project:
    project = Project.create(path, multi_label=multi_label)
    with project.bulk_writer() as writer:
        good, bad = writer.label_id("good"), writer.label_id("bad")
        # Numbers of one width ("007", the tiny vocabulary's [UNK]): no text is inside another, as
        # "good movie 1" is inside "good movie 13", so splits deal out single texts.
        for i in range(n):
            writer.add(f"{POSITIVE[i % 6]} {i:03d}", label_ids=[good])
            writer.add(f"{NEGATIVE[i % 6]} {i:03d}", label_ids=[bad])
    return project


def tiny_config(model: Path, **overrides: object) -> TrainConfig:
    values = dict(model=str(model), epochs=3.0, learning_rate=3e-3, batch_size=8,
                  max_length=32, evaluations_per_epoch=1, early_stopping_patience=None,
                  train_word_embeddings=True,  # random embeddings must learn too
                  min_steps=0)  # exactly the epochs asked: the tests count steps
    values.update(overrides)
    # from_preset skips None (not given), so the patience of "off" is set after it.
    config = TrainConfig.from_preset("quick", **values)
    return dataclasses.replace(config, **{name: value for name, value in values.items() if value is None})


class Recorder(TrainingCallback):
    def __init__(self, cancel_at: int | None = None, cancel: CancelToken | None = None) -> None:
        self.steps: list[StepEvent] = []
        self.evaluations: list[dict[str, float]] = []
        self.evaluation_steps: list[int] = []
        self.messages: list[str] = []
        self.cancel_at, self.cancel = cancel_at, cancel

    def on_message(self, text: str) -> None:
        self.messages.append(text)

    def on_step(self, event: StepEvent) -> None:
        self.steps.append(event)
        if self.cancel is not None and event.step == self.cancel_at:
            self.cancel.cancel()

    def on_evaluate(self, event: object) -> None:
        self.evaluations.append(event.metrics)  # type: ignore[attr-defined]
        self.evaluation_steps.append(event.step)  # type: ignore[attr-defined]


def test_single_label_run_learns_and_is_recorded(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    recorder = Recorder()
    result = train(project, tiny_config(tiny_model_dir, epochs=6), recorder)
    assert result.status == "finished", result.error
    assert recorder.steps and recorder.evaluations
    assert recorder.steps[-1].step == recorder.steps[-1].total_steps
    assert recorder.steps[-1].loss < recorder.steps[0].loss
    run = project.run(result.run_id)
    assert run.status == "finished" and run.metrics["accuracy"] >= 0.75
    assert run.params["labels"] == ["good", "bad"]
    assert any(entry["type"] == "eval" for entry in run.history)
    # a validation split was made, and its per-example predictions stored with the run
    assert project.count() == 48 and project.stats().per_split.get("validation", 0) > 0
    report = evaluate_run(project, result.run_id, Split.VALIDATION)
    assert report.accuracy == pytest.approx(run.metrics["accuracy"], abs=1e-6)
    assert sum(map(sum, report.confusion)) == len(report.examples)
    assert all(example["loss"] >= 0 for example in report.examples)


def test_best_model_loads_in_a_plain_pipeline(tmp_path: Path, tiny_model_dir: Path, umask_027: int) -> None:
    from transformers import pipeline

    project = labelled_project(tmp_path / "p.bertdesk")
    result = train(project, tiny_config(tiny_model_dir, epochs=6))
    assert result.model_dir is not None and (result.model_dir / "README.md").exists()
    # A server running as another user of the group reads the weights too (safetensors makes them 0600).
    assert file_modes(result.model_dir) == {0o666 & ~umask_027}
    config = json.loads((result.model_dir / "config.json").read_text())
    assert config["id2label"] == {"0": "good", "1": "bad"}
    assert config["bertdesk_max_length"] == 32
    classifier = pipeline("text-classification", model=str(result.model_dir))
    assert classifier("great film")[0]["label"] == "good"
    assert classifier("awful film")[0]["label"] == "bad"


def test_validation_is_set_aside_from_train_when_every_text_has_a_split(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    """SST-2 as shipped: train and test (dev) files, no validation split."""
    project = labelled_project(tmp_path / "p.bertdesk", n=30)
    ids = [row.id for row in project.page(ExampleFilter(), 0, 100)]
    project.set_splits({eid: Split.TEST if i % 6 == 0 else Split.TRAIN for i, eid in enumerate(ids)})
    test_before = {row.id for row in project.page(ExampleFilter(split=Split.TEST), 0, 100)}
    recorder = Recorder()
    result = train(project, tiny_config(tiny_model_dir, epochs=1.0), recorder)
    assert result.status == "finished"
    validation = project.page(ExampleFilter(split=Split.VALIDATION), 0, 100)
    assert len(validation) == 5 and {row.label_ids for row in validation} == {(1,), (2,)}
    assert {row.id for row in project.page(ExampleFilter(split=Split.TEST), 0, 100)} == test_before
    assert "The project had no validation texts: 5 were set aside." in recorder.messages


def test_multi_label_with_class_weights(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = Project.create(tmp_path / "m.bertdesk", multi_label=True)
    with project.bulk_writer() as writer:
        food, service, rare = (writer.label_id(n) for n in ("food", "service", "rare"))
        for i in range(30):
            writer.add(f"good food {i}", label_ids=[food])
            writer.add(f"slow service {i}", label_ids=[service])
            writer.add(f"good food slow service {i}", label_ids=[food, service])
            if i % 5 == 0:
                writer.add(f"price {i}", label_ids=[rare])
    result = train(project, tiny_config(tiny_model_dir, epochs=4, class_weights=True))
    assert result.status == "finished", result.error
    run = project.run(result.run_id)
    assert run.params["multi_label"] and len(run.params["class_weights"]) == 3
    assert run.params["class_weights"][2] > run.params["class_weights"][0]  # rare label weighs more
    assert len(run.metrics["thresholds"]) == 3
    config = json.loads((result.model_dir / "config.json").read_text())
    assert config["problem_type"] == "multi_label_classification"
    assert len(config["bertdesk_thresholds"]) == 3


def test_no_evaluation_just_before_the_last_one(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    ids = [example_id for example_id, _text in project.texts()]
    project.set_split(ids[:42], Split.TRAIN)
    project.set_split(ids[42:], Split.VALIDATION)
    recorder = Recorder()
    # 42 texts in batches of 4: 11 steps, an evaluation due every 5 (at 5 and 10) and at the end.
    config = tiny_config(tiny_model_dir, epochs=1, batch_size=4, evaluations_per_epoch=2)
    assert train(project, config, recorder).status == "finished"
    assert recorder.evaluation_steps == [5, 11]


def test_a_small_project_trains_enough_steps_to_learn_something(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bertdesk.ml import training as training_module

    project = labelled_project(tmp_path / "p.bertdesk")
    ids = [example_id for example_id, _text in project.texts()]
    project.set_split(ids[:40], Split.TRAIN)  # 40 texts in batches of 8: 5 steps an epoch
    project.set_split(ids[40:], Split.VALIDATION)
    recorder = Recorder()
    config = tiny_config(tiny_model_dir, epochs=1, evaluations_per_epoch=2, min_steps=30)
    assert train(project, config, recorder).status == "finished"
    assert recorder.steps[-1].step == recorder.steps[-1].total_steps == 30
    assert recorder.evaluation_steps == [15, 30]  # as many evaluations as 1 epoch plans
    assert any("Only 40 training texts: training runs 6 epochs (30 steps)" in m for m in recorder.messages)

    monkeypatch.setattr(training_module, "MIN_STEPS_MAX_EPOCHS", 3)  # the floor has a ceiling
    capped = Recorder()
    train(project, tiny_config(tiny_model_dir, epochs=1, min_steps=1000), capped)
    assert capped.steps[-1].total_steps == 15


def test_early_stopping_ends_before_the_last_step(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    recorder = Recorder()
    # A learning rate of almost nothing: validation never improves after the first evaluation.
    config = tiny_config(tiny_model_dir, epochs=20, learning_rate=1e-9, early_stopping_patience=2,
                         early_stopping_metric="accuracy")
    result = train(project, config, recorder)
    assert result.status == "finished"
    assert len(recorder.evaluations) == 3
    assert recorder.steps[-1].step < recorder.steps[-1].total_steps


def test_cancel_keeps_best_then_resume_finishes(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    cancel = CancelToken()
    config = tiny_config(tiny_model_dir, epochs=4, evaluations_per_epoch=2)
    first = Recorder(cancel_at=7, cancel=cancel)
    result = train(project, config, first, cancel)
    assert result.status == "cancelled"
    assert first.steps[-1].step == 7
    assert result.model_dir is not None and (result.model_dir / "config.json").exists()
    assert project.run(result.run_id).status == "cancelled"
    second = Recorder()
    resumed = train(project, config, second, resume_run=result.run_id)
    assert resumed.status == "finished" and resumed.run_id == result.run_id
    assert second.steps[0].step > 1  # carried on, did not start again
    assert second.steps[-1].step == second.steps[-1].total_steps


def test_a_long_run_is_scored_early_once(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    ids = [example_id for example_id, _text in project.texts()]
    project.set_split(ids[:40], Split.TRAIN)  # 40 texts one at a time: 40 steps, one evaluation planned
    project.set_split(ids[40:], Split.VALIDATION)
    recorder = Recorder()
    config = tiny_config(tiny_model_dir, epochs=1, batch_size=1, evaluations_per_epoch=1)
    assert train(project, config, recorder).status == "finished"
    assert recorder.evaluation_steps == [10, 40]  # a first point after a quarter, not at the end
    assert [recorder.steps[index].next_evaluation for index in (0, 9, 10)] == [10, 40, 40]


def test_a_run_stopped_before_its_first_evaluation_resumes_where_it_stopped(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    cancel = CancelToken()
    config = tiny_config(tiny_model_dir, epochs=2, evaluations_per_epoch=1)
    stopped = train(project, config, Recorder(cancel_at=2, cancel=cancel), cancel)
    assert stopped.status == "cancelled" and can_resume(project, stopped.run_id)
    resumed = Recorder()
    assert train(project, config, resumed, resume_run=stopped.run_id).status == "finished"
    assert resumed.steps[0].step == 3
    assert not can_resume(project, stopped.run_id)  # finished now


def test_failed_run_is_recorded_with_a_reason(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")

    class Explodes(TrainingCallback):
        def on_step(self, event: StepEvent) -> None:
            raise MemoryError()

    result = train(project, tiny_config(tiny_model_dir), Explodes())
    assert result.status == "failed" and "smaller batch" in (result.error or "")
    assert project.run(result.run_id).status == "failed"


def test_guard_rails(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = Project.create(tmp_path / "one.bertdesk")
    with project.bulk_writer() as writer:
        only = writer.label_id("only")
        writer.label_id("unused")
        for i in range(10):
            writer.add(f"text {i}", label_ids=[only])
    problems = training_data_problems(project.stats().per_label_name())
    assert any("two different labels" in p for p in problems)
    assert any("'unused' has no texts" in p for p in problems)
    with pytest.raises(UserInputError):
        train(project, tiny_config(tiny_model_dir))
    assert project.runs() == []


def test_labels_without_texts_are_named_in_one_sentence() -> None:
    counts = {"good": 5, "bad": 4, **{f"empty {i}": 0 for i in range(7)}}
    (problem,) = training_data_problems(counts)
    assert problem.startswith("7 labels have no texts ('empty 0', 'empty 1', 'empty 2', 'empty 3', 'empty 4' …)")


def test_labels_of_a_single_text_train_and_are_said(tmp_path: Path, tiny_model_dir: Path) -> None:
    """A long tail of rare labels is common in real data: a label of one text is learnt from it
    (it trains: no validation text holds it) instead of refusing the run."""
    project = labelled_project(tmp_path / "tail.bertdesk")
    with project.bulk_writer() as writer:
        for name in ("rare 1", "rare 2"):
            writer.add(f"{name} only", label_ids=[writer.label_id(name)])
    assert training_data_problems(project.stats().per_label_name()) == []
    said = "2 labels have a single text ('rare 1', 'rare 2')"
    fast = Recorder()
    assert train_model(project, TrainConfig(model="fast"), fast).status == "finished"
    assert fast.messages[0].startswith(said)  # every family says it
    recorder = Recorder()
    result = train(project, tiny_config(tiny_model_dir, epochs=1), recorder)
    assert result.status == "finished", result.error
    assert recorder.messages[0].startswith(said)
    run = project.run(result.run_id)
    assert run.params["labels"] == ["good", "bad", "rare 1", "rare 2"]
    assert {row["label"]: row["support"] for row in run.metrics["per_class"]}["rare 1"] == 0
    assert project.count(ExampleFilter(search="rare 1 only", split=Split.TRAIN)) == 1


def test_truncation_modes(tiny_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    assert cut_ids(list(range(10)), 4, "head") == [0, 1, 2, 3]
    assert cut_ids(list(range(10)), 4, "tail") == [6, 7, 8, 9]
    assert cut_ids(list(range(10)), 4, "head+tail") == [0, 7, 8, 9]
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    ids, cut = encode_texts(tokenizer, ["good " * 50, "bad"], max_length=16, truncation="tail")
    assert cut == 1 and len(ids[0]) == 16 and ids[0][0] == tokenizer.cls_token_id
    assert ids[1] == [tokenizer.cls_token_id, tokenizer.convert_tokens_to_ids("bad"), tokenizer.sep_token_id]


def test_coverage_warns_on_unknown_language(tiny_model_dir: Path) -> None:
    chinese = ["这家店的菜品非常新鲜，推荐大家来尝尝", "外卖送到的时候已经凉透了"] * 10
    report = vocabulary_coverage(tiny_model_dir, chinese)
    assert report.unk_rate > 0.5
    assert report.warning and "Chinese" in (report.suggestion or "")
    english = vocabulary_coverage(tiny_model_dir, ["good movie", "bad film"])
    assert english.unk_rate == 0 and english.warning is None


def test_training_on_an_unknown_language_warns_first(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = Project.create(tmp_path / "zh.bertdesk")
    with project.bulk_writer() as writer:
        good, bad = writer.label_id("好评"), writer.label_id("差评")
        for i in range(10):
            writer.add(f"菜品非常新鲜 {i}", label_ids=[good])
            writer.add(f"送到已经凉透了 {i}", label_ids=[bad])
    messages: list[str] = []

    class Messages(TrainingCallback):
        def on_message(self, text: str) -> None:
            messages.append(text)

    result = train(project, tiny_config(tiny_model_dir, epochs=1), Messages())
    warnings = [m for m in messages if m.startswith("Warning:")]
    assert warnings and "Chinese" in warnings[0]
    assert messages.index(warnings[0]) < messages.index("Training")
    assert project.run(result.run_id).params["coverage"]["unk_rate"] > 0.5


@pytest.mark.slow
def test_real_default_model_loss_falls(tmp_path: Path) -> None:
    project = labelled_project(tmp_path / "real.bertdesk", n=16)
    recorder = Recorder()
    result = train(project, TrainConfig.from_preset(
        "quick", epochs=2, batch_size=8, learning_rate=1e-4, max_length=32,
        evaluations_per_epoch=1, early_stopping_patience=None, min_steps=0), recorder)
    assert result.status == "finished", result.error
    losses = [event.loss for event in recorder.steps]
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3


def overconfident_project(path: Path) -> Project:
    """Training texts whose label always follows their sentiment word, validation texts (80)
    where one in four does not: a model trained on them grows surer than it is right there."""
    import random

    rng = random.Random(0)
    words = "the a movie film food is was it this very and but plot acting service price".split()
    project = Project.create(path)
    with project.bulk_writer() as writer:
        good, bad = writer.label_id("good"), writer.label_id("bad")
        for index in range(320):
            positive = index % 2 == 0
            sentiment = rng.choice(["good", "great", "love"] if positive else ["bad", "awful", "hate"])
            text = " ".join([sentiment, *rng.sample(words, 5)])
            validation = index % 4 == 0
            noisy = validation and rng.random() < 0.25
            writer.add(text, Split.VALIDATION if validation else Split.TRAIN,
                       label_ids=[good if positive != noisy else bad])
    return project


def test_an_overconfident_model_is_calibrated_in_its_folder(tmp_path: Path, tiny_model_dir: Path) -> None:
    """The run scales an overconfident model's confidence down on the validation texts, in
    the saved model itself."""
    import numpy as np

    from bertdesk.ml.models import load_predictor

    project = overconfident_project(tmp_path / "p.bertdesk")
    recorder = Recorder()
    result = train(project, tiny_config(tiny_model_dir, epochs=8), recorder)
    assert result.status == "finished", result.error
    run = project.run(result.run_id)
    calibration = run.params["calibration"]
    assert calibration["temperature"] > 1
    assert any("calibrated" in message for message in recorder.messages)
    # The stored validation predictions are the calibrated model's: their loss is the run's,
    # below the loss before, with the same predicted labels as the scores kept with the run.
    report = evaluate_run(project, result.run_id, Split.VALIDATION)
    losses = [example["loss"] for example in report.examples]
    assert len(losses) >= 50
    assert float(np.mean(losses)) == pytest.approx(run.metrics["loss"], abs=1e-4)
    assert run.metrics["loss"] < calibration["validation_loss_before"]
    assert report.accuracy == pytest.approx(run.metrics["accuracy"], abs=1e-6)
    # The saved folder predicts those same probabilities: the scale is in its output layer.
    validation = project.labelled_examples([Split.VALIDATION])
    stored = {row.example_id: row.probs for row in project.predictions(result.run_id)}
    predictor = load_predictor(result.model_dir)
    probs = predictor.predict_proba([text for _, text, _, _ in validation])
    expected = np.array([stored[example_id] for example_id, _, _, _ in validation])
    assert np.allclose(probs, expected, atol=1e-4)
    assert f"temperature of {calibration['temperature']}" in (result.model_dir / "README.md").read_text()


def test_a_tokenizer_from_another_model_is_refused_in_words(tmp_path: Path, tiny_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    from bertdesk.ml.predict import Predictor

    mixed = tmp_path / "mixed"
    shutil.copytree(tiny_model_dir, mixed)
    tokenizer = AutoTokenizer.from_pretrained(str(mixed))
    tokenizer.add_tokens([f"piece{number}" for number in range(5)])  # numbered past the embeddings
    tokenizer.save_pretrained(str(mixed))
    project = labelled_project(tmp_path / "p.bertdesk")
    result = train(project, tiny_config(mixed, epochs=1))
    assert result.status is RunStatus.FAILED and "come from different models" in str(result.error)
    with pytest.raises(UserInputError, match="come from different models"):
        Predictor.load(mixed, device="cpu")
    with pytest.raises(UserInputError, match="come from different models"):  # as the model is picked
        vocabulary_coverage(mixed, ["good film"])


def test_failures_are_told_in_plain_sentences() -> None:
    from bertdesk.ml.training import explain_failure

    assert explain_failure(OSError(28, "No space left on device")).startswith("The disk is full.")
    told = explain_failure(OSError("The config file at 'm/config.json' is not a valid JSON file."))
    assert "valid JSON file. Check" in told and ".." not in told
    assert explain_failure(RuntimeError("CUDA out of memory.")).startswith("The model ran out of memory.")
