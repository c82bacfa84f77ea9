"""The user operations headless, on real project files: what each changes, undo across a reopen."""

from __future__ import annotations

from pathlib import Path

import pytest

from bertdesk import ops
from bertdesk.core import ExampleId, LabelId, RunId, Split, UserInputError
from bertdesk.ops import LabelHistory, OpChanges
from bertdesk.store import Project
from bertdesk.store.history import history_length
from tests.conftest import plain_sqlite
from tests.unit.test_ml_cli import run
from tests.unit.test_ml_training import labelled_project


def three_labels(path: Path, multi_label: bool = False, texts: int = 10) -> tuple[Project, list[LabelId]]:
    project = Project.create(path, multi_label=multi_label)
    with project.bulk_writer() as writer:
        labels = [writer.label_id(name) for name in ("positive", "negative", "neutral")]
        for i in range(texts):
            writer.add(f"text {i}", Split.TRAIN)
    return project, labels


def labels_of(project: Project, *example_ids: int) -> list[tuple[LabelId, ...]]:
    return [project.example(ExampleId(eid)).label_ids for eid in example_ids]


def test_a_label_key_says_which_texts_changed_and_can_be_undone(project_path: Path) -> None:
    project, (positive, negative, _neutral) = three_labels(project_path)
    changes = ops.label_texts(project, [1, 2], positive)
    assert changes == OpChanges(examples=frozenset({1, 2}), counts=True, history=True)
    assert labels_of(project, 1, 2, 3) == [(positive,), (positive,), ()]
    undo, redo = LabelHistory(project).next_steps()
    assert undo is not None and undo.label_name == "positive" and undo.example_ids == (1, 2)
    assert undo.action == ops.LabelAction.LABEL and redo is None

    # The same key again is a step too (Undo answers the last key, as it always did).
    assert ops.label_texts(project, [2], positive).examples == {2}
    assert ops.set_labels(project, [2, 3], [negative]).examples == {2, 3}
    assert ops.clear_labels(project, [3, 4]) == OpChanges(examples=frozenset({3, 4}), counts=True, history=True)
    assert ops.clear_labels(project, []) == OpChanges()
    with pytest.raises(UserInputError):
        ops.set_labels(project, [1], [positive, negative])  # a single-label project
    assert history_length(project) == 4
    LabelHistory(project).undo()
    assert labels_of(project, 2, 3, 4) == [(negative,), (negative,), ()]
    project.close()


def test_a_multi_label_key_toggles_off_only_where_every_chosen_text_has_it(project_path: Path) -> None:
    project, (a, b, _c) = three_labels(project_path, multi_label=True)
    ops.label_texts(project, [1], a)
    ops.label_texts(project, [1, 2], b)
    assert labels_of(project, 1, 2) == [(a, b), (b,)]
    ops.label_texts(project, [1, 2], a)  # text 2 lacks it: both get it
    assert labels_of(project, 1, 2) == [(a, b), (a, b)]  # in the labels' order
    ops.label_texts(project, [1, 2], a)  # now both have it: off for both
    assert labels_of(project, 1, 2) == [(b,), (b,)]
    project.close()


def test_undo_and_redo_work_after_the_project_is_opened_again(project_path: Path) -> None:
    project, (positive, negative, _neutral) = three_labels(project_path)
    ops.label_texts(project, [1], positive)
    ops.label_texts(project, [2], negative)
    ops.label_texts(project, [1], negative)
    project.close()

    project = Project.open(project_path)
    history = LabelHistory(project)
    undone = history.undo()
    assert undone.value is not None and undone.value.example_ids == (1,)
    assert undone.changes == OpChanges(examples=frozenset({1}), counts=True, history=True)
    assert labels_of(project, 1, 2) == [(positive,), (negative,)]
    history.undo()
    assert labels_of(project, 1, 2) == [(positive,), ()]
    project.close()

    project = Project.open(project_path)
    history = LabelHistory(project)
    redone = history.redo()
    assert redone.value is not None and redone.value.label_name == "negative"
    assert labels_of(project, 1, 2) == [(positive,), (negative,)]
    undo, redo = history.next_steps()
    assert undo is not None and undo.example_ids == (2,)
    assert redo is not None and redo.example_ids == (1,)
    # A new change drops what was waiting for a redo.
    ops.label_texts(project, [3], positive)
    assert history.next_steps()[1] is None
    assert history.redo() == ops.OpResult(None)
    for _ in range(3):
        history.undo()
    assert labels_of(project, 1, 2, 3) == [(), (), ()]
    assert history.undo() == ops.OpResult(None)  # nothing more to undo
    project.close()


def test_the_history_keeps_only_the_latest_steps(project_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bertdesk.ops.labeling as labeling

    monkeypatch.setattr(labeling, "HISTORY_LENGTH", 3)
    project, (positive, _negative, _neutral) = three_labels(project_path)
    for example_id in range(1, 7):
        ops.label_texts(project, [example_id], positive)
    assert history_length(project) == 3
    history = LabelHistory(project)
    while history.undo().value is not None:
        pass
    assert labels_of(project, 1, 2, 3, 4, 5, 6) == [(positive,)] * 3 + [()] * 3
    project.close()


@pytest.mark.parametrize("change", ["merge", "delete"])
def test_merging_or_deleting_a_label_empties_the_history(project_path: Path, change: str) -> None:
    project, (positive, _negative, neutral) = three_labels(project_path)
    ops.label_texts(project, [1], neutral)
    result = (ops.merge_labels(project, neutral, positive) if change == "merge"
              else ops.delete_label(project, neutral))
    assert result.value == 1
    assert result.changes.labels and result.changes.all_examples and result.changes.history
    assert LabelHistory(project).next_steps() == (None, None)
    project.close()


def test_a_step_naming_a_label_deleted_behind_its_back_is_refused_and_the_history_emptied(
    project_path: Path,
) -> None:
    project, (positive, _negative, neutral) = three_labels(project_path)
    ops.label_texts(project, [1], neutral)
    ops.label_texts(project, [1], positive)
    project.delete_label(neutral)  # not through ops: an older bertdesk, say
    history = LabelHistory(project)
    with pytest.raises(UserInputError):
        history.undo()
    assert labels_of(project, 1) == [(positive,)]
    assert history.next_steps() == (None, None)
    project.close()


def test_relabelling_is_one_undoable_step(project_path: Path) -> None:
    project, (positive, negative, _neutral) = three_labels(project_path)
    ops.set_labels(project, [1, 2], [positive])
    changes = ops.relabel(project, [1, 2, 3], "negative")
    assert changes.examples == {1, 2, 3} and changes.counts
    undo = LabelHistory(project).next_steps()[0]
    assert undo is not None and undo.action == ops.LabelAction.RELABEL and undo.label_name == "negative"
    LabelHistory(project).undo()
    assert labels_of(project, 1, 2, 3) == [(positive,), (positive,), ()]
    with pytest.raises(UserInputError):
        ops.relabel(project, [1], "no such label")
    project.close()


def test_making_splits_says_how_many_went_where(project_path: Path) -> None:
    project, (positive, negative, _neutral) = three_labels(project_path, texts=20)
    ops.set_labels(project, [ExampleId(i) for i in range(1, 11)], [positive])
    ops.set_labels(project, [ExampleId(i) for i in range(11, 21)], [negative])
    made = ops.make_splits(project, 0.6, 0.2, 0.2, keep_existing=False)
    assert made.value == {Split.TRAIN: 12, Split.VALIDATION: 4, Split.TEST: 4}
    assert made.changes == OpChanges(all_examples=True, splits=True, counts=True, history=True)
    again = ops.make_splits(project)  # nothing unassigned: nothing moves, nothing to refresh
    assert sum(again.value.values()) == 0 and again.changes == OpChanges()
    project.close()


def splits_of(project: Project, *example_ids: int) -> list[Split]:
    return [project.example(ExampleId(eid)).split for eid in example_ids]


def test_moving_texts_to_a_split_and_making_splits_are_undone_and_redone(project_path: Path) -> None:
    project, (positive, negative, _neutral) = three_labels(project_path, texts=20)
    ops.set_labels(project, [ExampleId(i) for i in range(1, 21)], [positive])
    ops.label_texts(project, [ExampleId(20)], negative)
    changes = ops.move_to_split(project, [ExampleId(1), ExampleId(2), ExampleId(99)], Split.TEST)  # 99: none
    assert changes == OpChanges(all_examples=True, splits=True, counts=True, history=True)
    undo, _redo = LabelHistory(project).next_steps()
    assert undo is not None and undo.action == ops.LabelAction.MOVE_TO_SPLIT
    assert undo.label_name == "test" and undo.example_ids == (1, 2)
    made = ops.make_splits(project, 0.5, 0.25, 0.25, keep_existing=False)
    after_making = splits_of(project, *range(1, 21))
    assert sum(made.value.values()) == 20 and after_making.count(Split.TRAIN) < 20

    history = LabelHistory(project)
    step = history.undo()
    assert step.value is not None and step.value.action == ops.LabelAction.MAKE_SPLITS
    assert step.changes.splits and set(step.value.example_ids) == set(range(1, 21))
    assert splits_of(project, *range(1, 21)) == [Split.TEST] * 2 + [Split.TRAIN] * 18
    history.undo()
    assert splits_of(project, *range(1, 21)) == [Split.TRAIN] * 20
    assert labels_of(project, 1, 20) == [(positive,), (negative,)]  # labels steps are left alone
    history.undo()  # the label key
    assert labels_of(project, 20) == [(positive,)]
    history.redo()
    history.redo()
    history.redo()
    assert splits_of(project, *range(1, 21)) == after_making
    project.close()

    # The history, splits steps too, outlives the window; a text deleted since is left out.
    with Project.open(project_path) as project:
        project.delete_examples([ExampleId(1)])
        LabelHistory(project).undo()
        LabelHistory(project).undo()
        assert splits_of(project, *range(2, 21)) == [Split.TRAIN] * 19


def test_a_schema_7_history_step_is_a_labels_step(project_path: Path) -> None:
    project, (positive, _negative, _neutral) = three_labels(project_path)
    ops.label_texts(project, [1], positive)
    project.close()
    with plain_sqlite(project_path) as conn:  # as schema 7 wrote the table: no kind column
        conn.execute("ALTER TABLE label_history DROP COLUMN kind")
        conn.execute("ALTER TABLE runs DROP COLUMN owner")  # schema 9's
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    conn.close()
    with Project.open(project_path) as project:
        step = LabelHistory(project).undo().value
        assert step is not None and step.kind == "labels" and labels_of(project, 1) == [()]
        ops.move_to_split(project, [ExampleId(1)], Split.TEST)
        LabelHistory(project).undo()
        assert splits_of(project, 1) == [Split.TRAIN]


def finished_run(project: Project, status: str = "finished") -> RunId:
    labels = project.labels()
    run_id = project.create_run("run", "tiny", {"labels": [l.name for l in labels],
                                                "label_ids": [int(l.id) for l in labels]})
    project.update_run(run_id, status=status, finished=True)
    folder = project.runs_dir / str(run_id)
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    return run_id


def test_a_finished_run_becomes_current_and_deleting_it_leaves_none(project_path: Path) -> None:
    project, _labels = three_labels(project_path)
    cancelled, finished = finished_run(project, "cancelled"), finished_run(project)
    assert ops.run_ended(project, cancelled) == OpChanges(runs=True)
    assert ops.current_run(project) is None
    assert ops.run_ended(project, finished) == OpChanges(runs=True, current_run=True)
    assert ops.current_run(project) == finished

    assert ops.delete_runs(project, [cancelled]) == OpChanges(runs=True)
    assert ops.current_run(project) == finished and not (project.runs_dir / str(cancelled)).exists()
    assert ops.delete_runs(project, [finished]) == OpChanges(runs=True, current_run=True)
    assert ops.current_run(project) is None and project.runs() == []
    assert not (project.runs_dir / str(finished)).exists()

    running = project.create_run("run", "tiny", {})
    with pytest.raises(UserInputError, match="still running"):
        ops.delete_runs(project, [running], force=True)
    with pytest.raises(UserInputError):
        ops.delete_runs(project, [RunId(99)])
    assert [run.id for run in project.runs()] == [running]
    project.close()


def test_rankings_put_the_doubtful_texts_first(project_path: Path) -> None:
    project, (positive, negative, neutral) = three_labels(project_path, texts=4)
    ops.set_labels(project, [1, 2], [positive])
    ops.set_labels(project, [3, 4], [negative])
    project.set_split([1, 2], Split.VALIDATION)  # 3 and 4 stay in training
    run_id = finished_run(project)
    probabilities = {1: (0.9, 0.05, 0.05), 2: (0.1, 0.8, 0.1), 3: (0.4, 0.35, 0.25), 4: (0.05, 0.9, 0.05)}
    project.save_predictions(
        run_id, [(ExampleId(eid), None, probs, 0.0, None) for eid, probs in probabilities.items()]
    )
    mislabelled = ops.likely_mislabelled(project, run_id)
    assert [example["example_id"] for example in mislabelled] == [2, 3, 1, 4]  # -log p(given label)
    assert [example["split"] for example in mislabelled] == ["validation", "train", "validation", "train"]
    least_confident = ops.least_confident(project, run_id)
    assert [example["example_id"] for example in least_confident] == [3, 2, 1, 4]
    project.close()


def test_an_older_project_gets_the_history_table(project_path: Path) -> None:
    project, (positive, _negative, _neutral) = three_labels(project_path)
    project.close()
    with plain_sqlite(project_path) as conn:
        conn.execute("DROP TABLE label_history")
        conn.execute("DROP TABLE suggestions")  # schema 7's: a version-5 project has neither
        conn.execute("ALTER TABLE runs DROP COLUMN owner")  # nor schema 9's column
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    conn.close()
    with Project.open(project_path) as project:
        ops.label_texts(project, [1], positive)
        LabelHistory(project).undo()
        assert labels_of(project, 1) == [()]


def test_the_cli_makes_a_trained_run_current_and_deletes_runs(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.bertdesk"
    labelled_project(path, n=6).close()
    code, out, err = run(
        capsys, "train", str(path), "--model", str(tiny_model_dir), "--preset", "quick",
        "--epochs", "1", "--batch-size", "8", "--max-length", "16", "--min-steps", "0",
    )
    assert code == 0, err
    assert "Run 1 finished" in out and "current run" in out
    with Project.open(path) as project:
        assert ops.current_run(project) == 1
        assert (project.runs_dir / "1").is_dir()
    code, out, _ = run(capsys, "runs", str(path))
    assert code == 0 and "  1*" in out

    code, _, err = run(capsys, "runs", str(path), "delete", "1")  # no terminal to ask at
    assert code == 2 and "--yes" in err
    code, _, err = run(capsys, "runs", str(path), "delete", "7", "--yes")
    assert code == 2 and "No run 7" in err
    code, out, err = run(capsys, "runs", str(path), "delete", "1", "--yes")
    assert code == 0, err
    assert "Deleted run(s) 1" in out
    with Project.open(path) as project:
        assert project.runs() == [] and ops.current_run(project) is None
        assert not (project.runs_dir / "1").exists()
    code, out, _ = run(capsys, "runs", str(path))
    assert code == 0 and "No runs yet" in out
