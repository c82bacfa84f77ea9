"""Likely label errors over all labelled texts (ops.review) and their review, each step undoable;
`bertdesk label-errors` end to end."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bertdesk import ops
from bertdesk.core import ExampleId, UserInputError
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.crossval import cross_validate
from bertdesk.store import Project
from tests.unit.test_crossval import topic_project
from tests.unit.test_ml_cli import run as run_cli
from tests.unit.test_ml_training import labelled_project

FAST = TrainConfig(model="fast")


def mislabelled_project(path: Path) -> tuple[Project, list[ExampleId]]:
    """Three topics of 20 texts; 4 texts given the next topic's label. Returns them too."""
    project = topic_project(path, {"sport": 20, "food": 20, "travel": 20})
    topics = [label.name for label in project.labels()]
    wrong = [eid for eid, *_ in project.labelled_examples()][5::17][:4]
    for example_id in wrong:
        given = project.labels_of([example_id])[example_id][0]
        ops.relabel(project, [example_id], topics[given % 3])
    ops.LabelHistory(project).clear()
    return project, wrong


def test_the_texts_given_a_wrong_label_come_first_with_their_right_label_suggested(tmp_path: Path) -> None:
    project, wrong = mislabelled_project(tmp_path / "p.bertdesk")
    cross_validate(project, FAST, folds=5)
    report = ops.likely_label_errors(project)
    assert {error.example_id for error in report.errors[:4]} == set(wrong)
    truth = {eid: text.split() for eid, text, *_ in project.labelled_examples()}
    for error in report.errors[:4]:
        assert error.label != error.suggested and error.label_probability < error.suggested_probability
        topic_words = {"sport": "match goal team coach league score", "food": "noodle rice soup spicy sweet dinner",
                       "travel": "train flight hotel beach ticket map"}[error.suggested].split()
        assert set(truth[error.example_id]) & set(topic_words)  # the words of the topic suggested
    assert report.checked == 60 and report.unchecked == 0 and report.reviewed == 0
    assert report.estimated >= 1 and set(report.thresholds) == {"sport", "food", "travel"}
    # The test split's texts were not cross-validated, so they are not checked.
    assert not {error.split for error in report.errors} & {"test"}


def test_two_cross_validations_combined_weigh_their_probabilities_and_refuse_other_labels(tmp_path: Path) -> None:
    project, wrong = mislabelled_project(tmp_path / "p.bertdesk")
    first = cross_validate(project, FAST, folds=5).run_id
    second = cross_validate(project, TrainConfig(model="fast", seed=1), folds=3).run_id
    report = ops.likely_label_errors(project, [first, second])
    assert {error.example_id for error in report.errors[:4]} == set(wrong)
    assert set(report.weights) == {first, second} and sum(report.weights.values()) == pytest.approx(1.0)
    # Each text's probability is the runs' weighted mean, each run's columns in its own order.
    error = report.errors[0]
    stored = []
    for run_id in (first, second):
        names = {label.id: label.name for label in project.labels()}
        columns = [names[label_id] for label_id in project.run(run_id).params["label_ids"]]
        probs = {row.example_id: row.probs for row in project.predictions(run_id)}[error.example_id]
        stored.append(probs[columns.index(error.label)])
    assert error.label_probability == pytest.approx(report.weights[first] * stored[0] + report.weights[second] * stored[1])
    assert ops.likely_label_errors(project, [first]).weights == {first: 1.0}

    # A cross-validation made after a label was added knows other labels: not combined.
    project.add_example("a parcel and a stamp", label_ids=[project.add_label("post").id])
    project.add_example("a letter and a stamp", label_ids=[project.require_label("post").id])
    project.add_example("stamps for the parcel", label_ids=[project.require_label("post").id])
    later = cross_validate(project, FAST, folds=3).run_id
    with pytest.raises(UserInputError, match="made with other labels"):
        ops.likely_label_errors(project, [first, later])


def test_review_actions_are_undoable_and_reviewed_texts_do_not_come_back(tmp_path: Path) -> None:
    project, wrong = mislabelled_project(tmp_path / "p.bertdesk")
    cross_validate(project, FAST, folds=5)
    history = ops.LabelHistory(project)
    first, second, third = ops.likely_label_errors(project).errors[:3]

    # Accept the suggestion: the label changes and the text leaves the list; Undo brings both back.
    ops.fix_label(project, [first.example_id], first.suggested)
    assert _label_name(project, first.example_id) == first.suggested
    assert first.example_id not in _flagged(project)
    history.undo()
    assert _label_name(project, first.example_id) == first.label and first.example_id in _flagged(project)
    history.redo()
    assert first.example_id not in _flagged(project)

    # Keep the label: nothing changes but the text is not shown again; Undo shows it again.
    changes = ops.keep_label(project, [second.example_id])
    assert changes.history and not changes.counts
    assert _label_name(project, second.example_id) == second.label
    report = ops.likely_label_errors(project)
    assert second.example_id not in {error.example_id for error in report.errors} and report.reviewed == 1
    step = history.next_steps()[0]
    assert step is not None and step.action == ops.LabelAction.KEEP and step.label_name == second.label
    history.undo()
    assert second.example_id in _flagged(project)
    history.redo()
    assert second.example_id not in _flagged(project)

    # Choose another label than the one suggested: reviewed too, though the model disagrees.
    other = next(name for name in ("sport", "food", "travel") if name not in (third.label, third.suggested))
    ops.fix_label(project, [third.example_id], other)
    assert third.example_id not in _flagged(project)
    # A label changed later is open to review again.
    ops.relabel(project, [third.example_id], third.label)
    assert third.example_id in _flagged(project)


def _flagged(project: Project) -> set[ExampleId]:
    return {error.example_id for error in ops.likely_label_errors(project).errors}


def _label_name(project: Project, example_id: ExampleId) -> str:
    names = {label.id: label.name for label in project.labels()}
    return names[project.labels_of([example_id])[example_id][0]]


def test_texts_labelled_after_the_cross_validation_are_not_checked(tmp_path: Path) -> None:
    project, _ = mislabelled_project(tmp_path / "p.bertdesk")
    cross_validate(project, FAST, folds=5)
    project.add_example("noodle soup dinner today", label_ids=[project.require_label("food").id])
    report = ops.likely_label_errors(project)
    assert report.unchecked == 1 and report.checked == 60


def test_label_errors_need_a_single_label_project_and_a_cross_validation(tmp_path: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    with pytest.raises(UserInputError, match="no cross-validation yet"):
        ops.likely_label_errors(project)
    multi = labelled_project(tmp_path / "m.bertdesk", multi_label=True)
    with pytest.raises(UserInputError, match="single-label projects only"):
        ops.likely_label_errors(multi)


def test_label_errors_command_cross_validates_once_then_reads_the_latest_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "p.bertdesk"
    project, wrong = mislabelled_project(path)
    project.close()
    output = tmp_path / "errors.csv"
    code, out, err = run_cli(capsys, "label-errors", str(path), "--output", str(output), "--folds", "4")
    assert code == 0, err
    assert out.startswith("Cross-validation run 1: 4 folds")
    with output.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "text", "label", "suggested", "label_probability", "suggested_probability", "split"]
    assert {int(row["id"]) for row in rows[:4]} == set(wrong)
    assert f"likely label errors among 60 labelled texts" in out

    code, out, err = run_cli(capsys, "label-errors", str(path), "--output", str(tmp_path / "again.jsonl"))
    assert code == 0, err
    assert out.startswith("Using cross-validation run 1 (4 folds, fast)")
    assert len((tmp_path / "again.jsonl").read_text(encoding="utf-8").splitlines()) == len(rows)

    code, _, err = run_cli(capsys, "label-errors", str(path), "--output", str(tmp_path / "e.txt"))
    assert code == 2 and "Cannot write the list as e.txt" in err

    # A second cross-validation, then both read together.
    code, out, err = run_cli(capsys, "label-errors", str(path), "--output", str(tmp_path / "new.csv"), "--new",
                             "--folds", "3")
    assert code == 0 and out.startswith("Cross-validation run 2: 3 folds"), err
    code, out, err = run_cli(capsys, "label-errors", str(path), "--output", str(tmp_path / "both.csv"),
                             "--run", "1", "--run", "2")
    assert code == 0, err
    assert re.match(r"Combined cross-validations \(run: weight\): 1: [01]\.\d\d, 2: [01]\.\d\d\n", out)
    with (tmp_path / "both.csv").open(encoding="utf-8-sig") as handle:
        assert {int(row["id"]) for row in list(csv.DictReader(handle))[:4]} == set(wrong)
