"""Suggestions in the labeling view, through real widgets offscreen on a real project: chips
after labels, Enter accepts and a number key overrides, the fast model learns in a process of
its own (labels during a fit make one more), least confident first pages every text once
across label changes and new orders, accept all shown is one undoable step, a run's stored
predictions suggest without learning, and off forgets them. Real scikit-learn fits of a few
dozen texts."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any, Optional

import pytest
from PySide6.QtCore import Qt

from bertdesk.core import ExampleId, LabelId, RunStatus
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.labeling.label_view import LabelView
from bertdesk.gui.labeling.suggestion_refresher import Activity
from bertdesk.ml.suggest import refresh_suggestions
from bertdesk.ml.suggestion_process import FittedSuggestions, SuggestionProcess
from bertdesk.store import ExampleFilter, Project
from bertdesk.store.suggestions import MARGIN_KIND
from tests.unit.test_suggestions import BAD, GOOD, fill

JOB_TIMEOUT_MS = 60_000


@pytest.fixture(autouse=True)
def english(qapp: Any) -> None:
    from bertdesk.gui.common.settings import install_translator

    install_translator(qapp, "en")


def open_view(qtbot: Any, project: Project) -> LabelView:
    view = LabelView(ProjectSession(project))

    def close(_view: Any) -> None:  # as closing a project does
        view.shutdown()
        view.session.shutdown()
        project.close()

    qtbot.addWidget(view, before_close_func=close)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    view.table.setFocus()
    return view


def choose(view: LabelView, source: object) -> None:
    """Pick a source in the bar's combo box as a click does: "off", "fast" or a run id."""
    combo = view.suggestion_bar.source
    combo.setCurrentIndex(combo.findData(source))
    combo.activated.emit(combo.currentIndex())


def wait_idle(qtbot: Any, view: LabelView) -> None:
    """Until no suggestion job runs (one due starts with the change that made it due)."""
    qtbot.waitUntil(lambda: view.suggestions.activity is Activity.IDLE, timeout=JOB_TIMEOUT_MS)


def key_of(view: LabelView, label_id: LabelId) -> str:
    shortcut = view.model.labels[label_id].shortcut
    assert shortcut
    return shortcut


def leaning(text: str) -> str:
    good, bad = sum(word in GOOD for word in text.split()), sum(word in BAD for word in text.split())
    return "positive" if good > bad else "negative"


def test_chips_appear_after_labels_enter_accepts_and_a_number_key_overrides(qtbot: Any, project_path: Path) -> None:
    project = Project.create(project_path)
    positive, negative = fill(project, labelled=0, unlabelled=40)
    view = open_view(qtbot, project)
    assert view.suggestion_bar.order.isHidden() and view.model.suggestion_for(view.model.row(0)) is None
    choose(view, "fast")
    view.suggestion_bar.retrain_every.setValue(2)
    wait_idle(qtbot, view)
    assert "at least two labels" in view.suggestion_bar.status.text()  # nothing to learn from yet
    ids = {"positive": positive, "negative": negative}
    for row in range(4):  # the right label for each of the first texts: the model learns
        qtbot.keyClick(view.table, key_of(view, ids[leaning(view.model.row(row).text)]))
    assert view.current_row() == 4
    qtbot.waitUntil(lambda: view.model.suggestion_for(view.model.row(4)) is not None, timeout=JOB_TIMEOUT_MS)
    wait_idle(qtbot, view)
    assert "Learned from 4 labels" in view.suggestion_bar.status.text()

    current = view.model.row(4)
    suggested = view.model.suggestion_for(current)
    assert suggested is not None and 0.5 <= suggested.confidence <= 1.0
    assert view.detail_accept.isVisible() and view.model.labels[suggested.label_id].name in view.detail_accept.text()
    assert "%" in view.model.index(4, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert project.example(current.id).label_ids == ()  # a suggestion is no label
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert project.example(current.id).label_ids == (suggested.label_id,)
    assert view.current_row() == 5 and view.session.undo_texts()[0] == f"Label {view.model.labels[suggested.label_id].name}"
    assert view.model.suggestion_for(view.model.row(4)) is None  # labelled as suggested: no chip

    following = view.model.row(5)
    other = view.model.suggestion_for(following)
    assert other is not None
    qtbot.keyClick(view.table, "a")
    assert project.example(following.id).label_ids == (other.label_id,)

    overruled = view.model.row(6)
    shown = view.model.suggestion_for(overruled)
    assert shown is not None
    chosen = negative if shown.label_id == positive else positive
    qtbot.keyClick(view.table, key_of(view, chosen))  # a number key gives any label
    assert project.example(overruled.id).label_ids == (chosen,)
    assert view.model.suggestion_for(view.model.row(6)) is None  # no chip repeating what was overruled

    view.set_focus_mode(True)
    view.move_to(7)
    assert view.focus_accept.isVisible() and "accept with Enter" in view.focus_accept.text()
    view.set_focus_mode(False)

    choose(view, "off")  # off: the chips go, and the project forgets the suggestions
    assert view.model.suggestion_for(view.model.row(8)) is None and view.suggestion_bar.order.isHidden()
    qtbot.waitUntil(lambda: project.suggestion_state() is None, timeout=JOB_TIMEOUT_MS)
    labelled = project.count(ExampleFilter()) - project.count(ExampleFilter(unlabeled=True))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # Enter accepts nothing when off
    assert project.count(ExampleFilter()) - project.count(ExampleFilter(unlabeled=True)) == labelled


def test_the_fast_model_learns_in_its_own_process_and_labels_during_a_fit_make_one_more(
    qtbot: Any, project_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = Project.create(project_path)
    positive, negative = fill(project, labelled=10, unlabelled=30)
    fitted_in: list[tuple[str, int, int]] = []  # (app's thread waiting, fitting process, labelled texts learned from)
    gate = threading.Event()
    real_fit = SuggestionProcess.fit

    def watched(self: SuggestionProcess, *args: Any, **kwargs: Any) -> FittedSuggestions:
        fitted = real_fit(self, *args, **kwargs)
        fitted_in.append((threading.current_thread().name, fitted.process_id, fitted.labelled))
        gate.wait(timeout=30)  # the test labels while this fit is under way
        return fitted

    monkeypatch.setattr(SuggestionProcess, "fit", watched)
    view = open_view(qtbot, project)
    view.suggestion_bar.retrain_every.setValue(1)
    choose(view, "fast")
    assert view.suggestions.activity is Activity.FITTING
    view.label_filter.setCurrentIndex(view.label_filter.findData("unlabeled"))
    view.apply_filter()
    qtbot.waitUntil(lambda: len(fitted_in) == 1, timeout=JOB_TIMEOUT_MS)  # fitted; its job waits at the gate
    assert view.suggestions.activity is Activity.FITTING
    for key in "1212":  # four labels while the first fit waits: the keys are not held up
        qtbot.keyClick(view.table, key)
    assert project.count(ExampleFilter(unlabeled=True)) == 26
    gate.set()
    wait_idle(qtbot, view)
    assert [labelled for _thread, _process, labelled in fitted_in] == [10, 14]  # one more fit, on every label
    assert all(thread != threading.main_thread().name for thread, _, _ in fitted_in)
    assert len({process for _, process, _ in fitted_in} - {os.getpid()}) == 1  # one process, kept, not the app's
    assert project.suggestion_state().labelled == 14 and project.suggestion_state().complete



@pytest.mark.skipif(sys.platform == "win32", reason="kills the suggestion process with SIGKILL")
def test_a_suggestion_process_that_dies_says_so_and_the_next_labels_start_another(
    qtbot: Any, project_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = Project.create(project_path)
    fill(project, labelled=10, unlabelled=30)
    processes: list[int] = []
    real_fit = SuggestionProcess.fit

    def watched(self: SuggestionProcess, *args: Any, **kwargs: Any) -> FittedSuggestions:
        fitted = real_fit(self, *args, **kwargs)
        processes.append(fitted.process_id)
        return fitted

    monkeypatch.setattr(SuggestionProcess, "fit", watched)
    view = open_view(qtbot, project)
    view.suggestion_bar.retrain_every.setValue(1)
    choose(view, "fast")
    wait_idle(qtbot, view)
    os.kill(processes[0], signal.SIGKILL)
    view.label_filter.setCurrentIndex(view.label_filter.findData("unlabeled"))
    view.apply_filter()
    qtbot.keyClick(view.table, "1")  # the next fit finds no process: the bar says so
    wait_idle(qtbot, view)
    assert "stopped unexpectedly" in view.suggestion_bar.status.text() and len(processes) == 1
    qtbot.keyClick(view.table, "2")
    wait_idle(qtbot, view)
    assert "Learned from 12 labels" in view.suggestion_bar.status.text()
    assert len(processes) == 2 and processes[1] not in (processes[0], os.getpid())

def test_least_confident_first_pages_each_text_once_across_label_changes_and_new_orders(
    qtbot: Any, project_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bertdesk.gui.labeling.label_view as label_view_module

    monkeypatch.setattr(label_view_module, "PAGE_SIZE", 5)
    project = Project.create(project_path)
    fill(project, labelled=10, unlabelled=60)
    refresh_suggestions(project)  # a project with suggestions opens with them on
    unlabelled = {example_id for example_id, _ in project.texts(ExampleFilter(unlabeled=True))}
    view = open_view(qtbot, project)
    view.resize(1000, 330)  # a few rows on screen: the rows below it are taken again in new orders
    view.suggestion_bar.retrain_every.setValue(3)
    wait_idle(qtbot, view)
    view.label_filter.setCurrentIndex(view.label_filter.findData("unlabeled"))
    view.suggestion_bar.order.setCurrentIndex(view.suggestion_bar.order.findData(MARGIN_KIND))
    view.suggestion_bar.order.activated.emit(view.suggestion_bar.order.currentIndex())
    expected = [scored.row.id for scored in project.page_by_score(ExampleFilter(unlabeled=True), MARGIN_KIND, limit=5)]
    assert [view.model.row(row).id for row in range(5)] == expected
    assert view.model.rowCount() == 5 and view.model.canFetchMore()

    kept: list[int] = []  # each new order: the rows before this one stayed
    original = view.model.reorder_after

    def counted(keep: int) -> None:
        kept.append(keep)
        original(keep)

    monkeypatch.setattr(view.model, "reorder_after", counted)
    labelled_here = []
    for step in range(14):  # label and move on across pages, the model learning every 3 labels
        labelled_here.append(view.model.row(view.current_row()).id)
        qtbot.keyClick(view.table, "12"[step % 2])
        if step % 5 == 4:
            wait_idle(qtbot, view)  # a new order arrives while the rows above stay put
    wait_idle(qtbot, view)
    assert len(kept) >= 2
    assert [view.model.row(row).id for row in range(14)] == labelled_here  # rows stay where they were labelled
    while view.model.canFetchMore():
        view.model.fetchMore()
    shown = [view.model.row(row).id for row in range(view.model.rowCount())]
    assert len(shown) == len(set(shown))  # no text twice
    assert set(shown) == unlabelled  # none skipped: every text unlabelled at the start, once
    assert all(project.example(example_id).label_ids for example_id in labelled_here)
    # below the rows kept on screen by the latest new order: the texts in its order
    rest = [example_id for example_id in shown[kept[-1]:] if example_id not in labelled_here]
    latest = [scored.row.id for scored in project.page_by_score(ExampleFilter(unlabeled=True), MARGIN_KIND, limit=100)]
    assert len(rest) > 20 and [example_id for example_id in latest if example_id in set(rest)] == rest


def test_accept_all_shown_is_one_undoable_step(qtbot: Any, project_path: Path) -> None:
    project = Project.create(project_path)
    positive, _negative = fill(project, labelled=20, unlabelled=40)
    refresh_suggestions(project)
    view = open_view(qtbot, project)
    wait_idle(qtbot, view)
    bar = view.suggestion_bar
    assert bar.accept_all.isHidden()  # no suggested label chosen
    bar.suggested.setCurrentIndex(bar.suggested.findData(int(positive)))
    bar.suggested.activated.emit(bar.suggested.currentIndex())
    assert bar.accept_all.isVisible() and not bar.accept_all.isEnabled()  # all texts: it would replace labels
    view.label_filter.setCurrentIndex(view.label_filter.findData("unlabeled"))
    bar.min_confidence.setValue(60)  # filters at once: the spin box is not being typed in
    confident = ExampleFilter(unlabeled=True, suggested_label_id=positive, min_confidence=0.6)
    chosen = {example_id for example_id, _ in project.texts(confident)}
    assert 0 < len(chosen) < 40 and view.model.rowCount() == len(chosen)
    assert bar.accept_all.isEnabled() and bar.accept_all.text() == f"Accept all {len(chosen)} shown"
    bar.accept_all.click()
    assert all(project.example(example_id).label_ids == (positive,) for example_id in chosen)
    assert project.count(confident) == 0 and view.model.rowCount() == 0
    assert bar.accept_all.text() == "Accept all 0 shown" and not bar.accept_all.isEnabled()
    view.session.undo()  # one step takes them all back
    assert all(project.example(example_id).label_ids == () for example_id in chosen)
    assert view.session.history.next_steps()[0] is None
    assert view.model.rowCount() == len(chosen)


def test_disagreements_show_labelled_texts_the_model_would_label_otherwise(qtbot: Any, project_path: Path) -> None:
    from bertdesk import ops

    project = Project.create(project_path)
    positive, negative = fill(project, labelled=30, unlabelled=10)
    wrong = next(example_id for example_id, text in project.texts()
                 if project.example(example_id).label_ids == (positive,))
    ops.label_texts(project, [wrong], negative)  # a slip of the finger
    refresh_suggestions(project)
    view = open_view(qtbot, project)
    wait_idle(qtbot, view)
    view.label_filter.setCurrentIndex(view.label_filter.findData("disagreeing"))
    view.apply_filter()
    shown = {view.model.row(row).id: view.model.row(row) for row in range(view.model.rowCount())}
    assert wrong in shown and all(row.label_ids for row in shown.values())
    suggested = view.model.suggestion_for(shown[wrong])
    assert suggested is not None and suggested.label_id == positive  # shown beside the label
    view.select_example(wrong)
    assert "not the label" in view.detail_accept.text()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # accepting corrects the label
    assert project.example(wrong).label_ids == (positive,)


def test_a_runs_stored_predictions_suggest_and_labels_do_not_retrain_them(
    qtbot: Any, project_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = Project.create(project_path)
    positive, negative = fill(project, labelled=4, unlabelled=10)
    run_id = project.create_run("a run", "some/base-model", {"labels": ["negative", "positive"],
                                                              "label_ids": [int(negative), int(positive)]})
    predicted = [ExampleId(i) for i in range(5, 15)]
    project.save_predictions(run_id, [(i, None, (0.1, 0.9), 0.8, None) for i in predicted])
    project.update_run(run_id, status=RunStatus.FINISHED)
    fits: list[Optional[int]] = []
    real_fit = SuggestionProcess.fit
    monkeypatch.setattr(SuggestionProcess, "fit",
                        lambda self, source, *args: fits.append(source.run_id) or real_fit(self, source, *args))
    view = open_view(qtbot, project)
    view.suggestion_bar.retrain_every.setValue(1)  # were it the fast model, each key would fit it again
    choose(view, int(run_id))
    wait_idle(qtbot, view)
    assert "run 1" in view.suggestion_bar.status.text() and view.suggestion_bar.retrain_every.isHidden()
    view.move_to(4)
    suggested = view.model.suggestion_for(view.model.row(4))
    assert suggested is not None and suggested.label_id == positive and round(suggested.confidence, 2) == 0.9
    for key in "2121":
        qtbot.keyClick(view.table, key)
    wait_idle(qtbot, view)
    assert fits == [run_id]  # read once; labels teach a run nothing
    assert project.example(ExampleId(5)).label_ids == (negative,)
