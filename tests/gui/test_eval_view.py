"""The evaluation view on a run trained with the tiny BERT: cells, relabelling, mislabelled, export."""

from __future__ import annotations

import csv
from typing import Any

import pytest
from PySide6.QtCore import Qt

from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.evaluation.eval_view import EvalView

JOB_TIMEOUT_MS = 60_000


@pytest.fixture
def trained(sentiment_project: Any, tiny_model_dir: Any) -> Any:
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.training import train

    config = TrainConfig.from_preset("quick", model=str(tiny_model_dir), epochs=2, max_length=32, min_steps=0)
    result = train(sentiment_project, config)
    assert result.status == "finished", result.error
    return result


def open_view(qtbot: Any, project: Any, run_id: Any) -> EvalView:
    view = EvalView(ProjectSession(project))
    qtbot.addWidget(view, before_close_func=lambda _view: view.session.shutdown())  # as closing a project does
    view.resize(1000, 800)
    view.show()
    qtbot.waitExposed(view)
    view.set_run(run_id)
    qtbot.waitUntil(lambda: view.report is not None, timeout=JOB_TIMEOUT_MS)
    return view


def test_click_a_cell_lists_its_texts_and_relabelling_saves(qtbot, sentiment_project, trained):
    from PySide6.QtWidgets import QApplication

    from bertdesk.gui.common.settings import install_translator

    install_translator(QApplication.instance(), "en")  # the English plurals, as the app has them
    view = open_view(qtbot, sentiment_project, trained.run_id)
    report = view.report
    names = report.label_names
    assert sum(map(sum, report.confusion)) == len(report.examples) > 1
    assert f"{len(report.examples)} texts · accuracy" in view.summary.text()

    # The fullest cell, clicked with the mouse like a person would.
    true_index, predicted_index = max(
        ((t, p) for t in range(len(names)) for p in range(len(names))),
        key=lambda cell: report.confusion[cell[0]][cell[1]],
    )
    index = view.confusion_model.index(true_index, predicted_index)
    rect = view.confusion.visualRect(index)
    qtbot.mouseClick(view.confusion.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    listed = view.cell_examples.examples
    assert len(listed) == report.confusion[true_index][predicted_index] == view.cell_examples.table.rowCount()
    label_names = {label.id: label.name for label in sentiment_project.labels()}
    for example in listed:
        stored = sentiment_project.example(example["example_id"])
        assert [label_names[i] for i in stored.label_ids] == [names[true_index]]
        assert example["predicted"] == names[predicted_index]
        assert stored.text == example["text"]

    other = names[1 - true_index]
    target = listed[0]["example_id"]
    view.cell_examples.select_rows([0])
    view.cell_examples.label_box.setCurrentText(other)
    with qtbot.waitSignal(view.session.examples_changed) as edited, \
            qtbot.waitSignal(view.session.history_changed):  # the relabelling is undoable
        view.cell_examples.relabel_button.click()
    assert edited.args[0] == [target]
    new_label = sentiment_project.require_label(other).id
    assert sentiment_project.example(target).label_ids == (new_label,)
    # The matrix follows the corrected label: one text moved from its row to the other.
    assert view.confusion_model.matrix[true_index][predicted_index] == report.confusion[true_index][predicted_index] - 1
    assert target not in [example["example_id"] for example in view.cell_examples.examples]
    assert "1 label corrected since this evaluation" in view.summary.text()
    view.shutdown()


def test_mislabelled_list_ranks_by_loss(qtbot, sentiment_project, trained):
    view = open_view(qtbot, sentiment_project, trained.run_id)
    view.find_mislabelled()
    qtbot.waitUntil(lambda: bool(view.mislabelled.examples), timeout=JOB_TIMEOUT_MS)
    losses = [example["loss"] for example in view.mislabelled.examples]
    assert losses == sorted(losses, reverse=True)
    splits = {example["split"] for example in view.mislabelled.examples}
    assert splits <= {"validation", "train"} and "train" in splits
    view.shutdown()


def test_export_csv_and_png(qtbot, sentiment_project, trained, tmp_path):
    view = open_view(qtbot, sentiment_project, trained.run_id)
    csv_path, png_path = tmp_path / "report.csv", tmp_path / "report.png"
    view.export_csv(csv_path)
    view.export_png(png_path)
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["metric", "value"]
    assert ["accuracy", f"{view.report.accuracy:.4f}"] in rows
    header = rows.index(["true \\ predicted", *view.report.label_names])
    matrix = [[int(count) for count in row[1:]] for row in rows[header + 1:]]
    assert matrix == view.report.confusion
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    view.shutdown()


def test_an_evaluation_nobody_asked_for_says_why_it_failed_in_the_report_not_in_a_window(
    qtbot: Any, sentiment_project: Any, trained: Any, dialogs: list[tuple[str, str]],
) -> None:
    """A project opened on another tab evaluates its current run: where that fails (no
    labelled validation texts left), a message box stopped the user on the Label tab."""
    from bertdesk.core import Split
    from bertdesk.store import ExampleFilter

    view = open_view(qtbot, sentiment_project, trained.run_id)
    assert view.per_class.rowCount() > 0
    validation = [row.id for row in sentiment_project.page(ExampleFilter(split=Split.VALIDATION), limit=10_000)]
    sentiment_project.set_split(validation, Split.TRAIN)

    view.set_run(trained.run_id)  # as the session does when the project opens
    qtbot.waitUntil(lambda: not view._busy(), timeout=JOB_TIMEOUT_MS)
    assert dialogs == []
    assert view.report is None and view.per_class.rowCount() == 0 and view.confusion_model.rowCount() == 0
    assert "No labelled validation texts" in view.summary.text()
    assert not view.csv_button.isEnabled()

    view.evaluate_button.click()  # asked for: said in a message box as well
    qtbot.waitUntil(lambda: bool(dialogs), timeout=JOB_TIMEOUT_MS)
    assert dialogs[0][0] == "warning" and "No labelled validation texts" in dialogs[0][1]
