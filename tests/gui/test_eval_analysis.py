"""The Evaluate tab's analyses with the fast model (seconds): cross-validation from its button,
cancelled, failed and finished; the review of likely label errors from the keyboard, each step
undone; the learning curve drawn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from bertdesk.core import ExampleId, RunKind, Split
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.evaluation.analysis_settings import AnalysisDialog
from bertdesk.gui.evaluation.eval_view import EvalView
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.crossval import cross_validate
from bertdesk.store import Project
from tests.unit.test_crossval import topic_project
from tests.unit.test_label_review import mislabelled_project
from tests.unit.test_ml_training import tiny_config

JOB_TIMEOUT_MS = 60_000


@pytest.fixture(autouse=True)
def english(qapp: Any) -> None:
    from bertdesk.gui.common.settings import install_translator

    install_translator(qapp, "en")  # the English plurals and titles, as the app has them


def open_view(qtbot: Any, project: Project) -> EvalView:
    view = EvalView(ProjectSession(project))

    def close(_view: Any) -> None:  # as closing a project does
        view.shutdown()
        view.session.shutdown()

    qtbot.addWidget(view, before_close_func=close)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    return view


def answer_next_dialog(configure: Any = None, start: bool = True) -> None:
    """Press Start (or Cancel) in the settings dialog the next click opens, after ``configure(dialog)``."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AnalysisDialog), dialog
        if configure is not None:
            configure(dialog)
        (dialog.accept if start else dialog.reject)()

    QTimer.singleShot(0, answer)


def project_state(project: Project) -> tuple[Any, ...]:
    return (
        [(run.id, run.status) for run in project.runs()],
        project.labelled_examples(),
        [label.name for label in project.labels()],
    )


def test_cross_validate_from_the_button_shows_each_fold_and_leaves_the_other_pages_working(
    qtbot: Any, tmp_path: Path,
) -> None:
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 20, "food": 15, "travel": 15})
    view = open_view(qtbot, project)
    panel = view.cross_validation
    view.pages.setCurrentWidget(panel)
    assert panel.table.rowCount() == 0 and "No cross-validation yet" in panel.summary.text()

    answer_next_dialog(lambda dialog: dialog.folds_box.setValue(4))
    with qtbot.waitSignal(view.session.runs_changed, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)

    run = project.runs()[-1]
    assert run.kind is RunKind.CROSS_VALIDATION and run.base_model == "fast"
    assert panel.run == run and panel.table.rowCount() == 4 + 1  # the folds and mean ± std
    for row, fold in enumerate(run.metrics["folds"]):
        assert panel.table.item(row, 0).text() == str(fold["fold"])
        assert panel.table.item(row, 2).text() == f"{fold['accuracy']:.1%}"
    mean_row = [panel.table.item(4, column).text() for column in range(6)]
    assert mean_row[0] == "Mean ± std"
    assert mean_row[2] == f"{run.metrics['accuracy']:.1%} ± {run.metrics['std']['accuracy'] * 100:.1f}"
    assert f"Cross-validation #{run.id}" in panel.summary.text() and "4 folds of 50 labelled texts" in panel.summary.text()

    # It keeps no model: the run report does not offer it, and it cannot become the current run.
    assert view.run_box.findData(run.id) < 0 and not view.evaluate_button.isEnabled()
    assert view.session.current_run is None
    # Its "review" button opens the review, which reads this run.
    panel.review_button.click()
    assert view.pages.currentWidget() is view.label_errors
    qtbot.waitUntil(lambda: view.label_errors.report is not None, timeout=JOB_TIMEOUT_MS)
    assert view.label_errors.report.run_id == run.id


def test_cancel_mid_cross_validation_leaves_the_project_as_it_was(qtbot: Any, tmp_path: Path) -> None:
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 60, "food": 60, "travel": 60})
    before = project_state(project)
    view = open_view(qtbot, project)
    panel = view.cross_validation
    view.pages.setCurrentWidget(panel)
    answer_next_dialog(lambda dialog: dialog.folds_box.setValue(10))
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    bar = panel.job_bar
    qtbot.waitUntil(lambda: bar.progress.value() > 0, timeout=JOB_TIMEOUT_MS)  # a fold is under way
    assert bar.isVisible() and not panel.start_button.isEnabled()
    with qtbot.waitSignal(bar.cancelled, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)

    assert project_state(project) == before
    assert panel.status.text() == "Cross-validation stopped. Nothing was stored."
    assert panel.start_button.isEnabled() and not bar.isVisible() and panel.run is None


def label_of(project: Project, example_id: ExampleId) -> str:
    names = {label.id: label.name for label in project.labels()}
    return names[project.labels_of([example_id])[example_id][0]]


def test_review_likely_label_errors_with_the_keyboard_and_undo_each_step(qtbot: Any, tmp_path: Path) -> None:
    project, wrong = mislabelled_project(tmp_path / "p.bertdesk")
    cross_validate(project, TrainConfig(model="fast"), folds=5)
    view = open_view(qtbot, project)
    review = view.label_errors
    view.pages.setCurrentWidget(review)
    qtbot.waitUntil(lambda: review.report is not None, timeout=JOB_TIMEOUT_MS)
    session, table, model = view.session, review.table, review.model
    listed = len(model.errors)
    assert {error.example_id for error in model.errors[:4]} == set(wrong)
    assert f"<b>{listed} likely label errors</b> to review" in review.summary.text()
    assert "1 = sport, 2 = food, 3 = travel give that label" in review.hint.text()
    table.setFocus()

    # A: the suggestion becomes the label, the text leaves the list, the next one is selected.
    first, second = model.errors[0], model.errors[1]
    with qtbot.waitSignal(session.examples_changed) as changed:  # the Label tab repaints it
        qtbot.keyClick(table, Qt.Key.Key_A)
    assert changed.args[0] == [first.example_id]
    assert label_of(project, first.example_id) == first.suggested
    assert model.row_of(first.example_id) is None and review.current_example() == second.example_id
    assert session.undo_texts()[0] == f"Correct label to {first.suggested}"
    # Undo: the label comes back, and so does the text, selected.
    session.undo()
    assert label_of(project, first.example_id) == first.label
    qtbot.waitUntil(lambda: review.current_example() == first.example_id, timeout=JOB_TIMEOUT_MS)
    assert len(model.errors) == listed

    # K: the label stays; Undo names the step and brings the text back.
    with qtbot.waitSignal(session.history_changed):
        qtbot.keyClick(table, Qt.Key.Key_K)
    assert label_of(project, first.example_id) == first.label and model.row_of(first.example_id) is None
    assert session.undo_texts()[0] == f"Keep label {first.label}"
    assert "1 reviewed" in review.summary.text()
    session.undo()
    qtbot.waitUntil(lambda: review.current_example() == first.example_id, timeout=JOB_TIMEOUT_MS)

    # A label's key from the Label tab: neither the given label nor the suggestion.
    other_index, other = next((index, label.name) for index, label in enumerate(project.labels(), start=1)
                              if label.name not in (first.label, first.suggested))
    qtbot.keyClick(table, str(other_index))
    assert label_of(project, first.example_id) == other and model.row_of(first.example_id) is None
    assert session.undo_texts()[0] == f"Correct label to {other}"
    session.undo()
    qtbot.waitUntil(lambda: review.current_example() == first.example_id, timeout=JOB_TIMEOUT_MS)

    # Enter accepts too; a menu entry of the "Another label" button gives that label.
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert label_of(project, first.example_id) == first.suggested
    nxt = review.current_example()
    assert nxt is not None and nxt != first.example_id
    entry = next(action for action in review.other_menu.actions() if action.text().startswith(other))
    entry.trigger()
    assert label_of(project, nxt) == other and model.row_of(nxt) is None


def test_the_review_combines_the_latest_cross_validation_of_each_model(
    qtbot: Any, tmp_path: Path, tiny_model_dir: Path,
) -> None:
    project, wrong = mislabelled_project(tmp_path / "p.bertdesk")
    fast = cross_validate(project, TrainConfig(model="fast"), folds=3).run_id
    view = open_view(qtbot, project)
    review = view.label_errors
    view.pages.setCurrentWidget(review)
    qtbot.waitUntil(lambda: review.report is not None, timeout=JOB_TIMEOUT_MS)
    assert review.combine_box.isHidden()  # one model: nothing to combine

    tiny = cross_validate(project, tiny_config(tiny_model_dir, epochs=1.0), folds=2).run_id
    view.session.runs_changed.emit()  # as the app does when a run is stored
    qtbot.waitUntil(lambda: review.report is not None and review.report.run_id == tiny, timeout=JOB_TIMEOUT_MS)
    assert not review.combine_box.isHidden() and set(review.report.weights) == {tiny}
    assert f"cross-validation #{tiny}" in review.summary.text()

    review.combine_box.setChecked(True)  # reads both: the weights fitted on the labels say how much of each
    qtbot.waitUntil(lambda: review.report is not None and len(review.report.weights) == 2, timeout=JOB_TIMEOUT_MS)
    weights = review.report.weights
    assert set(weights) == {fast, tiny} and sum(weights.values()) == pytest.approx(1.0)
    assert "cross-validations combined, weights fitted on your labels: " in review.summary.text()
    assert f"#{fast} " in review.summary.text() and f"#{tiny} " in review.summary.text()
    # The tiny random model knows nothing: the fast model carries the list, the wrong labels first.
    assert weights[fast] > 0.5
    assert {error.example_id for error in review.model.errors[:4]} == set(wrong)


def test_the_learning_curve_is_drawn_with_its_verdict(qtbot: Any, tmp_path: Path) -> None:
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 30, "food": 30, "travel": 30})
    project.set_split([eid for eid, *_ in project.labelled_examples([Split.UNASSIGNED])][::4], Split.VALIDATION)
    view = open_view(qtbot, project)
    panel = view.learning_curve
    view.pages.setCurrentWidget(panel)
    assert panel.points.getData()[0] is None or len(panel.points.getData()[0]) == 0

    answer_next_dialog(lambda dialog: dialog.samples_box.setValue(2))
    with qtbot.waitSignal(panel.job_bar.succeeded, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)

    curve = panel.curve
    assert curve is not None and [point.fraction for point in curve.points] == [0.25, 0.5, 0.75, 1.0]
    sizes, scores = panel.points.getData()
    assert list(sizes) == [point.train_size for point in curve.points]
    assert list(scores) == pytest.approx([point.score for point in curve.points])
    assert len(panel.sample_points.getData()[0]) == 4 * 2  # each model's own score
    law_sizes, law_scores = panel.law_measured.getData()
    assert law_scores == pytest.approx([curve.law.score(size) for size in law_sizes])
    assert len(panel.law_beyond.getData()[0]) > 0 and len(panel.band_high.getData()[0]) > 0
    assert panel.verdict.text() == str(curve.verdict) and panel.verdict.text()
    assert panel.table.rowCount() == 4
    assert panel.details.text() == f"Scored on {curve.evaluation_size} validation texts."
    # These topics are told apart without a miss: every score is 1, and the axis still spans
    # 5 points under it rather than millionths.
    assert all(point.score == 1.0 for point in curve.points)
    low, high = panel.plot.getViewBox().viewRange()[1]
    assert 0.05 <= high - low < 0.06 and 0.99 < high < 1.01
    assert project.runs() == []  # a learning curve stores nothing


def test_a_failed_analysis_says_why_and_can_be_started_again(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 20, "food": 20})
    view = open_view(qtbot, project)
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: warnings.append((title, text)))
    missing = tmp_path / "no-such-model"
    for panel, title in ((view.learning_curve, "Learning curve failed"),
                         (view.cross_validation, "Cross-validation failed")):
        view.pages.setCurrentWidget(panel)
        with qtbot.waitSignal(panel.job_bar.failed, timeout=JOB_TIMEOUT_MS):
            panel.start(TrainConfig(model=str(missing)), **({"folds": 3} if panel is view.cross_validation else {}))
        assert warnings[-1][0] == title and "no-such-model" in warnings[-1][1], warnings
        assert panel.start_button.isEnabled() and not panel.job_bar.isVisible() and not panel.running
        assert not panel.status.isVisible()
    assert len(warnings) == 2 and project.runs() == []


def test_the_review_says_what_to_do_without_a_cross_validation_or_in_a_multi_label_project(
    qtbot: Any, tmp_path: Path,
) -> None:
    from tests.unit.test_ml_training import labelled_project

    view = open_view(qtbot, labelled_project(tmp_path / "p.bertdesk"))
    review = view.label_errors
    view.pages.setCurrentWidget(review)
    qtbot.waitUntil(lambda: review.job is None and "No cross-validation yet" in review.summary.text())
    assert review.cross_validate_button.isVisible() and review.model.rowCount() == 0
    assert not review.accept_button.isEnabled() and not review.keep_button.isEnabled()

    asked: list[str] = []
    answer_next_dialog(lambda dialog: asked.append(dialog.windowTitle()), start=False)
    qtbot.mouseClick(review.cross_validate_button, Qt.MouseButton.LeftButton)
    assert asked == ["Cross-validate"] and view.pages.currentWidget() is view.cross_validation
    assert not view.cross_validation.running and view.project.runs() == []

    multi = open_view(qtbot, labelled_project(tmp_path / "m.bertdesk", multi_label=True))
    multi.pages.setCurrentWidget(multi.label_errors)
    qtbot.waitUntil(lambda: "single-label projects only" in multi.label_errors.summary.text())
    assert not multi.label_errors.cross_validate_button.isVisible()


def test_a_figures_table_fits_few_rows_and_scrolls_many(qtbot) -> None:  # type: ignore[no-untyped-def]
    """150 labels' rows once made the Evaluate tab, and so the window, 3,600 pixels tall."""
    from PySide6.QtCore import Qt

    from bertdesk.gui.evaluation.figure_tables import FITTED_ROWS, fill_table, results_table

    table = results_table(["Label", "F1"])
    qtbot.addWidget(table)
    fill_table(table, [[f"label {i}", "0.9"] for i in range(5)])
    few = table.height()
    assert table.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    fill_table(table, [[f"label {i}", "0.9"] for i in range(150)])
    row = table.rowHeight(0)
    assert table.height() == few + (FITTED_ROWS - 5) * row
    assert table.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded


def test_with_many_labels_the_review_finds_another_label_by_name(qtbot: Any, tmp_path: Path) -> None:
    """150 labels: a field (``/``, part of the name, Enter) instead of a 150-entry menu; a pick
    from its list, or Enter on what was typed, labels the selected text once, not the next one too."""
    project, _wrong = mislabelled_project(tmp_path / "p.bertdesk")
    cross_validate(project, TrainConfig(model="fast"), folds=5)
    for index in range(147):
        project.add_label(f"intent_{index:03d}")
    view = open_view(qtbot, project)
    review = view.label_errors
    view.pages.setCurrentWidget(review)
    qtbot.waitUntil(lambda: review.report is not None, timeout=JOB_TIMEOUT_MS)
    finder, table, model = review.other_finder, review.table, review.model
    assert finder.isVisible() and not review.other_button.isVisible()
    assert "/ find another label" in review.hint.text()
    table.setFocus()
    first, second = model.errors[0], model.errors[1]
    qtbot.keyClick(table, Qt.Key.Key_Slash)
    assert finder.hasFocus()
    qtbot.keyClicks(finder, "NT_08")  # intent_080 … intent_089, any case
    popup = finder.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert finder.completer().completionCount() == 10
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.wait(50)  # a pick also gives its label a moment later (for a click): not a second time
    assert label_of(project, first.example_id) == "intent_080" and model.row_of(first.example_id) is None
    assert label_of(project, second.example_id) == second.label  # the next text: untouched
    assert finder.text() == "" and table.hasFocus() and review.current_example() == second.example_id
    # Enter on typing alone gives the first label whose name holds it; Esc gives up.
    qtbot.keyClick(table, Qt.Key.Key_Slash)
    qtbot.keyClicks(finder, "t_14")  # intent_140 … intent_146: the first
    qtbot.keyClick(finder, Qt.Key.Key_Return)
    assert label_of(project, second.example_id) == "intent_140"
    third = review.current_example()
    qtbot.keyClick(table, Qt.Key.Key_Slash)
    qtbot.keyClicks(finder, "intent_1")
    qtbot.keyClick(finder, Qt.Key.Key_Escape)
    assert finder.text() == "" and table.hasFocus() and review.current_example() == third
