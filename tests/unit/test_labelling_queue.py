"""`bertdesk suggest` writes a queue of texts to label; importing it back labels them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bertdesk.core import ExampleId, Split
from bertdesk.io import ImportOptions, import_file, preview_import
from bertdesk.store import ExampleFilter, Project
from bertdesk.store.suggestions import MARGIN_KIND
from tests.unit.test_ml_cli import run
from tests.unit.test_suggestions import fill


def read_queue(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_an_uncertain_queue_comes_back_as_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.bertdesk"
    with Project.create(path) as project:
        fill(project)
    queue = tmp_path / "queue.csv"
    code, out, err = run(capsys, "suggest", str(path), "--order", "uncertain", "--limit", "5", "--output", str(queue))
    assert code == 0, err
    assert "Wrote 5 texts" in out and "30 labelled texts" in out and "--label-col label" in out
    rows = read_queue(queue)
    assert list(rows[0]) == ["text", "label", "suggestion", "confidence"]
    with Project.open(path) as project:
        least_confident = project.page_by_score(ExampleFilter(unlabeled=True), MARGIN_KIND, limit=5)
        assert [row["text"] for row in rows] == [scored.row.text for scored in least_confident]
        suggested = project.suggestions([scored.row.id for scored in least_confident])
        names = {label.id: label.name for label in project.labels()}
        assert [row["suggestion"] for row in rows] == [names[suggested[s.row.id].label_id] for s in least_confident]
        assert all(row["label"] == "" and 0.5 <= float(row["confidence"]) <= 1 for row in rows)
    answers = [dict(row, label="negative" if i % 2 else "positive") for i, row in enumerate(rows[:4])]  # the 5th unanswered
    with queue.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(answers + rows[4:])
    code, out, err = run(capsys, "import", str(path), str(queue), "--label-col", "label")
    assert code == 0, err
    assert "4 texts already in the project, unlabelled, took the labels" in out
    with Project.open(path) as project:
        labels = {label.id: label.name for label in project.labels()}
        by_text = {row.text: row for row in project.page(ExampleFilter(), 0, 1000)}
        assert project.count() == 70  # nothing added
        for answer in answers:
            assert [labels[i] for i in by_text[answer["text"]].label_ids] == [answer["label"]]
        assert by_text[rows[4]["text"]].label_ids == ()


def test_a_random_and_a_disagreement_queue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.bertdesk"
    with Project.create(path) as project:
        positive, negative = fill(project)
        good = "the movie was good great lovely"
        project.add_example(good, Split.TRAIN, [negative])  # a clear slip of the key
    queue = tmp_path / "queue.jsonl"
    code, _out, err = run(capsys, "suggest", str(path), "--order", "random", "--limit", "3", "--output", str(queue))
    assert code == 0, err
    random_rows = [json.loads(line) for line in queue.read_text(encoding="utf-8").splitlines()]
    assert len(random_rows) == 3 and all(row["suggestion"] in ("positive", "negative") for row in random_rows)
    with Project.open(path) as project:
        unlabelled = {text for _, text in project.texts(ExampleFilter(unlabeled=True))}
    assert {row["text"] for row in random_rows} <= unlabelled
    code, _out, err = run(capsys, "suggest", str(path), "--order", "disagree", "--limit", "50", "--output", str(queue))
    assert code == 0, err
    rows = [json.loads(line) for line in queue.read_text(encoding="utf-8").splitlines()]
    assert {"text": good, "label": "", "suggestion": "positive", "current_label": "negative"}.items() <= rows[0].items()
    confidences = [row["confidence"] for row in rows]
    assert confidences == sorted(confidences, reverse=True)
    code, _out, err = run(capsys, "suggest", str(path), "--source", "7", "--output", str(queue))
    assert code == 2 and "No run 7" in err


def test_an_import_labels_only_project_texts_without_labels(tmp_path: Path, project: Project) -> None:
    positive, _negative = fill(project, labelled=2, unlabelled=2)
    texts = dict(project.texts())
    file = tmp_path / "answers.csv"
    file.write_text(
        "text,label\n"
        f"{texts[ExampleId(3)]},negative\n"  # unlabelled: takes it
        f"{texts[ExampleId(2)]},negative\n"  # labelled positive: keeps it, noted as a repeat
        f"{texts[ExampleId(1)]},negative\n"  # labelled negative already: nothing to do
        "a new text,positive\n"
        "a new text,positive\n",  # repeated in the file
        encoding="utf-8",
    )
    preview = preview_import(file, ImportOptions(label_columns=["label"]), project=project)
    assert (preview.added, preview.labelled_existing, preview.conflicting_duplicates) == (1, 1, 1)
    assert project.labels_of([ExampleId(3)]) == {ExampleId(3): ()}  # a dry run writes nothing
    report = import_file(project, file, ImportOptions(label_columns=["label"]))
    assert (report.added, report.labelled_existing, report.conflicting_duplicates) == (1, 1, 1)
    assert (report.skipped_duplicates, report.already_in_project) == (4, 3)  # three were the project's
    names = {label.id: label.name for label in project.labels()}
    labels = project.labels_of([ExampleId(i) for i in range(1, 6)])
    assert [[names[i] for i in labels[ExampleId(i)]] for i in range(1, 6)] == [
        ["negative"], ["positive"], ["negative"], [], ["positive"]]
    assert [repeat.labels for repeat in project.repeats(ExampleId(2))] == [("negative",)]
    assert project.count(ExampleFilter(repeated=True)) == 1
    assert positive in labels[ExampleId(2)]
