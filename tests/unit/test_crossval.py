"""Cross-validation (ml.crossval) on real projects and real fits: the fast family in a second,
the tiny BERT in a few; what `bertdesk cv` prints."""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bertdesk import ops
from bertdesk.core import Cancelled, CancelToken, RunKind, Split, UserInputError
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.crossval import cross_validate, latest_cross_validation, training_only_note
from bertdesk.ml.held_out import HeldOutFitter, labelled_texts, labels_in_use
from bertdesk.ml.predict import run_model_folder
from bertdesk.store import Project
from tests.unit.test_ml_cli import run as run_cli
from tests.unit.test_ml_training import labelled_project, tiny_config

FAST = TrainConfig(model="fast")
WORDS = {
    "sport": "match goal team coach league score".split(),
    "food": "noodle rice soup spicy sweet dinner".split(),
    "travel": "train flight hotel beach ticket map".split(),
}
SHARED = "today really quite the a so".split()


def topic_project(path: Path, sizes: dict[str, int], test_each: int = 4, seed: int = 0) -> Project:
    """Texts of three topics in unequal numbers (words of the topic, common words and a number
    of its own), with ``test_each`` texts of each topic in the test split."""
    rng = random.Random(seed)
    project = Project.create(path)
    with project.bulk_writer() as writer:
        for name, count in sizes.items():
            label = writer.label_id(name)
            for index in range(count + test_each):
                words = rng.sample(WORDS[name], 3) + rng.sample(SHARED, 2) + [f"n{writer.added}"]
                rng.shuffle(words)
                split = Split.TEST if index < test_each else Split.UNASSIGNED
                writer.add(" ".join(words), split, [label])
    return project


def test_folds_are_stratified_cover_every_text_once_and_never_touch_the_test_split(tmp_path: Path) -> None:
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 30, "food": 20, "travel": 10})
    project.set_split([eid for eid, *_ in project.labelled_examples([Split.UNASSIGNED])][:12], Split.VALIDATION)
    before = project.labelled_examples()
    first_progress: list[float] = []
    result = cross_validate(project, FAST, folds=5,
                            progress=lambda fraction, message: first_progress.append(time.time()))

    test_ids = {eid for eid, _, _, split in before if split is Split.TEST}
    outside = [eid for eid, _, _, split in before if split is not Split.TEST]
    assert result.example_ids == outside  # train, validation and unassigned texts, once each
    assert not test_ids & {row.example_id for row in project.predictions(result.run_id)}
    assert [row.example_id for row in project.predictions(result.run_id)] == outside
    label_of = {eid: label_ids[0] for eid, _, label_ids, _ in before}
    names = {label.id: label.name for label in project.labels()}
    for fold in range(1, 6):
        held_out = Counter(names[label_of[eid]] for eid, f in zip(result.example_ids, result.fold_of) if f == fold)
        assert held_out == {"sport": 6, "food": 4, "travel": 2}  # a fifth of each label
    assert project.labelled_examples() == before  # the project's splits and labels as they were

    run = project.run(result.run_id)
    assert run.kind is RunKind.CROSS_VALIDATION and run.status == "finished" and run.path is None
    assert run.finished_at is not None and run.started_at <= first_progress[0] < run.finished_at
    assert run.params["folds"] == 5 and run.params["labels"] == ["sport", "food", "travel"]
    fold_scores = [fold["macro_f1"] for fold in run.metrics["folds"]]
    assert run.metrics["macro_f1"] == pytest.approx(np.mean(fold_scores))
    assert run.metrics["std"]["macro_f1"] == pytest.approx(np.std(fold_scores, ddof=1))
    assert run.metrics["accuracy"] > 0.6  # it learned the topics
    stored = np.array([row.probs for row in project.predictions(result.run_id)])
    assert stored == pytest.approx(result.probabilities, abs=1e-6)
    assert latest_cross_validation(project) == result.run_id


def test_out_of_fold_probabilities_come_from_models_that_did_not_see_the_text(tmp_path: Path) -> None:
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 16, "food": 16, "travel": 16}, test_each=0)
    wrong = [eid for eid, *_ in project.labelled_examples()][::8]  # 6 texts given another topic
    topics = [label.name for label in project.labels()]
    for example_id in wrong:
        given = project.labels_of([example_id])[example_id][0]
        ops.relabel(project, [example_id], topics[given % 3])  # the next topic
    result = cross_validate(project, FAST, folds=4)
    texts = labelled_texts(project, [Split.UNASSIGNED])
    fitter = HeldOutFitter(labels_in_use(project, texts), project.multi_label, FAST)
    for fold in (1, 3):
        inside = result.fold_of == fold
        refitted = fitter.fit_and_predict(
            [text for text, held in zip(texts, inside) if not held], [text for text, held in zip(texts, inside) if held],
        )
        assert refitted.probabilities == pytest.approx(result.probabilities[inside], abs=1e-5)
    # A model that learned from the wrongly labelled texts backs their labels; the models that
    # gave the stored probabilities had not seen them.
    seen = fitter.fit_and_predict(texts, texts).probabilities
    column = {label.id: i for i, label in enumerate(fitter.labels)}
    rows = [i for i, text in enumerate(texts) if text.example_id in wrong]
    given = [column[texts[i].label_ids[0]] for i in rows]
    assert seen[rows, given].mean() > result.probabilities[rows, given].mean() + 0.3
    assert result.probabilities[rows, given].max() < 0.5


def test_a_text_inside_another_is_held_out_with_it(tmp_path: Path) -> None:
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 20, "food": 20, "travel": 20}, test_each=0)
    whole = project.labelled_examples()
    quoted = {text.rsplit(" ", 1)[0]: text for _, text, _, _ in whole[::3]}  # all but its number
    with project.bulk_writer() as writer:
        for phrase, text in quoted.items():
            writer.add(phrase, Split.UNASSIGNED, [writer.label_id("sport")])  # any label: a quote
    result = cross_validate(project, FAST, folds=4)

    fold_of = dict(zip([text for _, text, _, _ in project.labelled_examples()], result.fold_of.tolist()))
    assert len(fold_of) == 80
    assert all(fold_of[phrase] == fold_of[text] for phrase, text in quoted.items())
    assert all(15 <= size <= 25 for size in Counter(result.fold_of.tolist()).values())  # pairs dealt whole
    project.close()


def test_folds_of_texts_all_inside_one_another_are_refused_with_what_to_do(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p.bertdesk")
    with project.bulk_writer() as writer:
        for name, words in (("sport", "match goal team"), ("food", "noodle rice soup")):
            for end in (1, 2, 3):  # "match", "match goal", "match goal team": one group
                writer.add(" ".join(words.split()[:end]), Split.UNASSIGNED, [writer.label_id(name)])
    with pytest.raises(UserInputError, match="inside one another") as raised:
        cross_validate(project, FAST, folds=3)
    assert "fewer folds" in raised.value.hint
    project.close()


def test_repeated_folds_average_each_texts_out_of_fold_probabilities_over_the_rounds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    from sklearn.model_selection import RepeatedStratifiedKFold

    path = tmp_path / "p.bertdesk"
    project = topic_project(path, {"sport": 12, "food": 12, "travel": 12}, test_each=0)
    single = cross_validate(project, FAST, folds=3)
    repeated = cross_validate(project, FAST, folds=3, repeats=2)
    assert [(score.repeat, score.fold) for score in repeated.folds] == [(r, f) for r in (1, 2) for f in (1, 2, 3)]
    assert repeated.fold_of.tolist() == single.fold_of.tolist()  # the first round deals as one round does
    texts = labelled_texts(project, [Split.UNASSIGNED])
    fitter = HeldOutFitter(labels_in_use(project, texts), project.multi_label, FAST)
    column = {label.id: i for i, label in enumerate(fitter.labels)}
    strata = [column[text.label_ids[0]] for text in texts]
    dealings = list(RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=FAST.seed).split(texts, strata))
    second_round = np.zeros_like(single.probabilities)
    for train_rows, held_out_rows in dealings[3:]:
        assert not any(np.array_equal(held_out_rows, first) for _, first in dealings[:3])  # dealt in another order
        second_round[held_out_rows] = fitter.fit_and_predict(
            [texts[i] for i in train_rows], [texts[i] for i in held_out_rows]).probabilities
    assert repeated.probabilities == pytest.approx((single.probabilities + second_round) / 2, abs=1e-5)
    run = project.run(repeated.run_id)
    assert run.params["repeats"] == 2 and [fold["repeat"] for fold in run.metrics["folds"]] == [1, 1, 1, 2, 2, 2]
    project.close()

    code, out, err = run_cli(capsys, "cv", str(path), "--folds", "3", "--repeats", "2")
    assert code == 0, err
    lines = out.splitlines()
    assert "3 folds x 2 rounds of 36 labelled texts" in lines[0]
    assert [line.split()[0] for line in lines[2:8]] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]


def test_cancel_mid_cross_validation_leaves_the_project_as_it_was(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    scratch = tmp_path / "temporary"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    project = labelled_project(tmp_path / "p.bertdesk", n=12)
    before = (project.labelled_examples(), project.runs(), project.labels())
    cancel = CancelToken()
    messages: list[str] = []

    def progress(fraction: float, message: str) -> None:
        messages.append(message)
        if message.startswith("Fold 2 of 3: step 2"):
            cancel.cancel()

    with pytest.raises(Cancelled):
        cross_validate(project, tiny_config(tiny_model_dir, epochs=2.0), folds=3, progress=progress, cancel=cancel)
    assert any(message.startswith("Fold 1 of 3") for message in messages)
    assert (project.labelled_examples(), project.runs(), project.labels()) == before
    assert project.predictions(1) == [] and not list(project.runs_dir.glob("*"))
    assert not list(scratch.iterdir())  # the scratch projects and their models are gone


def test_a_transformer_is_cross_validated_through_the_same_seam(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk", n=12)
    result = cross_validate(project, tiny_config(tiny_model_dir, epochs=1.0), folds=2)
    run = project.run(result.run_id)
    assert run.base_model == str(tiny_model_dir) and len(run.metrics["folds"]) == 2
    assert result.probabilities.shape == (24, 2)
    assert result.probabilities.sum(axis=1) == pytest.approx(np.ones(24), abs=1e-5)
    assert len(project.runs()) == 1  # the folds' own runs stayed in their scratch projects


def test_a_multi_label_project_is_cross_validated(tmp_path: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk", multi_label=True)
    result = cross_validate(project, FAST, folds=3)
    assert sorted(Counter(result.fold_of).values()) == [16, 16, 16]
    assert "thresholds" in project.run(result.run_id).metrics["out_of_fold"]


def test_a_label_rarer_than_the_folds_trains_every_fold_and_is_named(tmp_path: Path) -> None:
    """A long tail of rare labels is common: their texts train every fold, unscored, instead of
    refusing the cross-validation."""
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 8, "food": 8, "travel": 3})
    travel = {text.example_id for text in labelled_texts(project, [Split.UNASSIGNED])
              if project.labels_of([text.example_id])[text.example_id] == (3,)}
    fitted_on: list[set[int]] = []
    fit = HeldOutFitter.fit_and_predict

    def recording(self, train, held_out, *args, **kwargs):  # type: ignore[no-untyped-def]
        fitted_on.append({text.example_id for text in train})
        return fit(self, train, held_out, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(HeldOutFitter, "fit_and_predict", recording)
        result = cross_validate(project, FAST, folds=5)
    assert len(travel) == 3 and all(travel <= fitted for fitted in fitted_on) and len(fitted_on) == 5
    assert travel.isdisjoint(result.example_ids) and len(result.example_ids) == 16
    assert result.label_names == ["sport", "food", "travel"]  # the model may still give it
    run = project.run(result.run_id)
    note = training_only_note(run.params)
    assert note == ("The label 'travel' had fewer texts than folds: its 3 text(s) trained every fold "
                    "and were not scored. Label more of it to have it checked.")


def test_too_few_texts_for_the_folds_is_said_before_anything_is_fitted(tmp_path: Path) -> None:
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 8, "food": 3, "travel": 3})
    with pytest.raises(UserInputError, match="at least two labels of 5 texts or more.*'food', 'travel'"):
        cross_validate(project, FAST, folds=5)
    with pytest.raises(UserInputError, match="at least 2 folds"):
        cross_validate(project, FAST, folds=1)
    assert project.runs() == []


def test_a_cross_validation_run_is_never_a_model_to_predict_with(tmp_path: Path) -> None:
    from bertdesk.ml.models import train_model

    project = labelled_project(tmp_path / "p.bertdesk")
    trained = train_model(project, FAST).run_id
    cross = cross_validate(project, FAST, folds=3).run_id
    assert run_model_folder(project)[0] == trained  # the latest finished run with a model
    with pytest.raises(UserInputError, match="cross-validation: it keeps no model"):
        ops.make_current(project, cross)
    assert ops.current_run(project) is None


def test_cv_command_prints_each_fold_and_the_mean_with_its_spread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "p.bertdesk"
    topic_project(path, {"sport": 12, "food": 12, "travel": 12}).close()
    code, out, err = run_cli(capsys, "cv", str(path), "--folds", "3", "--seed", "1")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Cross-validation run 1: 3 folds of 36 labelled texts outside the test split, fast")
    assert [line.split()[:2] for line in lines[2:5]] == [["1", "12"], ["2", "12"], ["3", "12"]]
    assert lines[5].startswith(" mean ± std") and lines[5].count("±") == 5
    code, out, _ = run_cli(capsys, "runs", str(path))
    assert code == 0 and "fast" in out
    with Project.open(path) as project:
        assert project.run(1).params["config"]["seed"] == 1

    code, _, err = run_cli(capsys, "cv", str(path), "--folds", "20")
    assert code == 2 and "needs at least two labels of 20 texts or more" in err
