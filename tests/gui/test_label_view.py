"""The labeling view and main window driven through real widgets, offscreen, on a real project."""

from __future__ import annotations

import threading

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from bertdesk.core import ExampleId, Split
from bertdesk.gui.labeling.label_view import LabelView
from bertdesk.gui.main_window import MainWindow
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.labeling.stats_panel import StatsPanel
from bertdesk.store import ExampleFilter, Project


@pytest.fixture
def filled(project_path: Path) -> Project:
    project = Project.create(project_path)
    with project.bulk_writer() as writer:
        writer.label_id("positive")
        writer.label_id("negative")
        writer.label_id("neutral")
        for i in range(30):
            writer.add(f"review number {i}: 味道{'不错' if i % 2 else '一般'}",
                       Split.TRAIN if i < 20 else Split.TEST)
    return project


@pytest.fixture
def view(qtbot, filled: Project) -> LabelView:  # type: ignore[no-untyped-def]
    widget = LabelView(ProjectSession(filled))
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    filled.close()


def labels_in_store(project: Project) -> dict[int, tuple[str, ...]]:
    names = {label.id: label.name for label in project.labels()}
    return {row.id: tuple(names[l] for l in row.label_ids) for row in project.page(limit=100)}


def test_keyboard_labeling_undo_redo(qtbot, view: LabelView, filled: Project) -> None:  # type: ignore[no-untyped-def]
    view.table.setFocus()
    keys = "1231231231"  # ten rows: each key labels the current row and moves on
    for key in keys:
        qtbot.keyClick(view.table, key)
    assert view.current_row() == 10
    expected = {i + 1: (("positive", "negative", "neutral")[int(k) - 1],) for i, k in enumerate(keys)}
    store = labels_in_store(filled)
    assert {eid: store[eid] for eid in expected} == expected
    assert all(store[eid] == () for eid in range(11, 31))
    for _ in range(3):
        view.session.undo()
    for eid in (8, 9, 10):
        expected[eid] = ()
    view.session.redo()
    expected[8] = ("negative",)
    store = labels_in_store(filled)
    assert {eid: store[eid] for eid in expected} == expected
    # The view shows what the store holds.
    assert view.model.index(7, 1).data() == "negative"
    assert view.model.index(8, 1).data() == ""


def test_a_multi_label_key_shows_the_new_labels_in_the_detail_pane_and_focus_mode(
    qtbot, project_path: Path
) -> None:  # type: ignore[no-untyped-def]
    project = Project.create(project_path, multi_label=True)
    with project.bulk_writer() as writer:
        for name in ("food", "price"):
            writer.label_id(name)
        writer.add("the noodles were cold and dear")
    view = LabelView(ProjectSession(project))
    qtbot.addWidget(view)
    view.show()
    view.table.setFocus()
    qtbot.keyClick(view.table, "1")
    qtbot.keyClick(view.table, "2")  # multi-label: the row stays, both labels toggle on
    assert view.current_row() == 0
    assert "food, price" in view.detail_labels.text()
    assert "food, price" in view.focus_position.text()
    qtbot.keyClick(view.table, "1")
    assert "Labels: price" in view.detail_labels.text()
    project.close()


def test_delete_key_removes_labels_and_bulk_labeling(qtbot, view: LabelView, filled: Project) -> None:  # type: ignore[no-untyped-def]
    view.table.selectRow(0)
    qtbot.keyClick(view.table, "2")
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert filled.example(1).label_ids == ()
    view.table.selectAll()
    qtbot.keyClick(view.table, "3")
    assert filled.stats().per_label_name()["neutral"] == 30


def test_the_right_click_menu_moves_the_chosen_texts_to_another_split(qtbot, view: LabelView, filled: Project) -> None:  # type: ignore[no-untyped-def]
    view.table.selectRow(0)
    view.table.selectionModel().select(view.model.index(1, 0), QItemSelectionModel.SelectionFlag.Select
                                       | QItemSelectionModel.SelectionFlag.Rows)
    menu = view.text_menu()
    splits = menu.actions()[0].menu()
    by_name = {action.text(): action for action in splits.actions()}
    assert list(by_name) == ["train", "validation", "test", "unassigned"]
    assert not by_name["train"].isEnabled()  # both are in train already
    with qtbot.waitSignal(view.session.stats_changed, timeout=10_000):
        by_name["test"].trigger()
    assert [filled.example(ExampleId(i)).split for i in (1, 2, 3)] == [Split.TEST, Split.TEST, Split.TRAIN]
    assert filled.count(ExampleFilter(split=Split.TEST)) == 12
    qtbot.waitUntil(lambda: view.model.index(0, 2).data() == "test")  # the view shows it
    assert view.session.undo_texts()[0] == "Move to test"  # the Edit menu's words
    view.session.undo()
    assert [filled.example(ExampleId(i)).split for i in (1, 2)] == [Split.TRAIN, Split.TRAIN]
    qtbot.waitUntil(lambda: view.model.index(0, 2).data() == "train")


def test_filters_and_search_counts(qtbot, view: LabelView, filled: Project) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        qtbot.keyClick(view.table, "1")
    view.label_filter.setCurrentIndex(view.label_filter.findData("unlabeled"))
    view.apply_filter()
    assert view.model.rowCount() == 25
    positive = filled.label_by_name("positive").id
    view.label_filter.setCurrentIndex(view.label_filter.findData(int(positive)))
    view.apply_filter()
    assert view.model.rowCount() == 5
    view.label_filter.setCurrentIndex(0)
    view.split_filter.setCurrentIndex(view.split_filter.findData(Split.TEST.value))
    view.apply_filter()
    assert view.model.rowCount() == 10
    view.split_filter.setCurrentIndex(0)
    view.search.setText("不错")  # QTest cannot type CJK keys; the debounce still runs
    qtbot.waitUntil(lambda: view.model.rowCount() == 15, timeout=2000)
    assert "15" in view.match_count.text()
    view.search.setText("number 1")
    qtbot.waitUntil(lambda: view.model.rowCount() == 11, timeout=2000)


def test_merging_labels_through_the_manager(qtbot, filled: Project, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from bertdesk.gui.labeling.label_manager import LabelManager

    session = ProjectSession(filled)
    view = LabelView(session)
    qtbot.addWidget(view)
    view.table.selectAll()
    qtbot.keyClick(view.table, "3")  # all neutral
    manager = LabelManager(session)
    qtbot.addWidget(manager)
    manager.list.setCurrentRow(2)  # neutral
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("positive", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    manager.merge()
    assert [label.name for label in filled.labels()] == ["positive", "negative"]
    assert filled.count(ExampleFilter(label_id=filled.label_by_name("positive").id)) == 30
    assert view.label_filter.count() == 4  # all, unlabeled, two labels
    assert manager.list.count() == 2
    filled.close()


def test_main_window_opens_project_with_tabs(qtbot, filled: Project) -> None:  # type: ignore[no-untyped-def]
    path = filled.path
    filled.close()
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_project(path)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Label", "Train", "Evaluate", "Predict"]
    assert "30 texts" in window.count_label.text()
    window.label_view.table.setFocus()
    qtbot.keyClick(window.label_view.table, "1")
    assert "Saved" in window.saved_label.text()
    # The counts follow a moment later: they are read again off the GUI thread.
    qtbot.waitUntil(lambda: "1 labelled" in window.count_label.text(), timeout=10_000)
    assert window.session is not None and window.session.stats.labelled == 1
    assert window.close_project()
    assert str(path) in window.recent_projects()
    window.close()


@pytest.mark.parametrize("names", [
    [f"intent_{i:03d}" for i in range(150)],  # many labels: once a row of 150 buttons
    ["short", "x" * 300],  # one very long name: once a 2,400-pixel button, combo and key hint
    ["正面", "很长的中文标签名称" * 30],  # a Chinese character is twice as wide as a Latin letter
], ids=["150 labels", "a 300-character label", "a 270-character Chinese label"])
def test_the_window_fits_a_laptop_screen_whatever_the_labels(  # type: ignore[no-untyped-def]
    qtbot, project_path: Path, names: list[str]
) -> None:
    with Project.create(project_path) as project:
        with project.bulk_writer() as writer:
            for name in names:
                writer.add(f"a text for {name[:20]}", label_ids=[writer.label_id(name)])
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_project(project_path)
    assert window.minimumSizeHint().width() <= 1200
    window.resize(1200, 800)
    window.show()
    buttons = window.label_view.label_buttons
    qtbot.waitUntil(lambda: buttons.area.height() > 0)
    # The buttons wrap into at most three rows; more labels scroll within them.
    assert len(buttons.buttons) == len(names)
    assert buttons.area.height() <= 3 * buttons.buttons[0].sizeHint().height() + 2 * buttons.flow.spacing()
    assert all(button.geometry().right() <= buttons.area.viewport().width() for button in buttons.buttons)
    assert buttons.finder.isVisible() == (len(names) > 12)
    long_ones = [button for button in buttons.buttons if button.toolTip()]
    assert [button.toolTip() for button in long_ones] == [name for name in names if len(name) > 100]
    # The chart names its bars and prints their counts only while they do not overlap.
    import pyqtgraph as pg

    chart = window.findChildren(StatsPanel)[0]
    counts = [item for item in chart.plot.getPlotItem().items if isinstance(item, pg.TextItem)]
    axis = chart.plot.getAxis("bottom")
    if len(names) > 12:
        assert counts == [] and axis.labelText.startswith("150 labels")
    else:
        assert len(counts) == len(names) and axis.labelText == ""
    assert window.close_project()
    window.close()


def test_with_many_labels_slash_finds_one_by_name_and_enter_gives_it(  # type: ignore[no-untyped-def]
    qtbot, project_path: Path
) -> None:
    with Project.create(project_path) as project:
        with project.bulk_writer() as writer:
            for i in range(150):
                writer.label_id(f"intent_{i:03d}")
            writer.label_id("bill_balance")
            writer.label_id("Balance")
            for i in range(3):
                writer.add(f"unlabelled text {i}")
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_project(project_path)
    window.resize(1200, 800)
    window.show()
    window.activateWindow()
    view = window.label_view
    view.move_to(0)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, "/")
    finder = view.label_buttons.finder
    qtbot.waitUntil(finder.hasFocus)
    qtbot.keyClicks(finder, "nt_08")
    assert [b.text() for b in view.label_buttons.shown_buttons()] == [f"intent_08{i}" for i in range(10)]
    qtbot.keyClicks(finder, "7")
    qtbot.keyClick(finder, Qt.Key.Key_Return)
    with Project.open(project_path) as reopened:  # saved at once, as every label is
        first = reopened.page(ExampleFilter(), 0, 1)[0]
        assert [label.name for label in reopened.labels() if label.id in first.label_ids] == ["intent_087"]
    assert finder.text() == "" and len(view.label_buttons.shown_buttons()) == 152
    qtbot.waitUntil(view.table.hasFocus)  # the keys are back on the list
    assert view.current_row() == 1  # on to the next text
    # The label named exactly what was typed, in any case, before one listed earlier that holds it.
    qtbot.keyClick(view.table, "/")
    qtbot.waitUntil(finder.hasFocus)
    qtbot.keyClicks(finder, "balance")
    assert [b.text() for b in view.label_buttons.shown_buttons()] == ["bill_balance", "Balance"]
    qtbot.keyClick(finder, Qt.Key.Key_Return)
    with Project.open(project_path) as reopened:
        second = reopened.page(ExampleFilter(), 1, 1)[0]
        assert [label.name for label in reopened.labels() if label.id in second.label_ids] == ["Balance"]
    assert "/ finds a label" in view.hint.text()
    assert window.close_project()
    window.close()


def test_opening_a_project_indexes_a_large_import_for_search_in_the_background(  # type: ignore[no-untyped-def]
    qtbot, project_path: Path, monkeypatch
) -> None:
    from bertdesk.store import search as search_module

    monkeypatch.setattr(search_module, "SEARCH_INLINE_ROWS", 10)
    monkeypatch.setattr(search_module, "SEARCH_CHUNK_ROWS", 16)
    with Project.create(project_path) as project:
        with project.bulk_writer() as writer:
            for i in range(300):
                writer.add(f"text {i} about soup")
        assert project.search_index_pending() == 300
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_project(project_path)
    assert window.search_index_job is not None and "Indexing" in window.index_label.text()
    qtbot.waitUntil(lambda: window.search_index_job is None, timeout=30_000)
    assert window.index_label.text() == ""
    assert window.session is not None and window.session.project.search_index_pending() == 0
    assert window.close_project()
    window.close()


def test_missing_recent_project_gives_a_clear_message(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow()
    qtbot.addWidget(window)
    shown: list[str] = []
    monkeypatch.setattr(window, "show_error", lambda error: shown.append(str(error)))
    assert not window.open_project(tmp_path / "gone.bertdesk")
    assert shown and "No project" in shown[0]
    window.close()


def test_busy_project_says_so_and_keeps_undo_honest(qtbot, project_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    import bertdesk.gui.labeling.label_view as label_view_module
    import bertdesk.store.database as database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    with Project.create(project_path) as project, project.bulk_writer() as writer:
        writer.label_id("positive")
        writer.add("a text", Split.TRAIN)
    shown: list[str] = []
    monkeypatch.setattr(label_view_module, "show_user_error", lambda _parent, error: shown.append(error.message))
    project = Project.open(project_path)
    view = LabelView(ProjectSession(project))
    qtbot.addWidget(view)
    other = sqlite3.connect(project_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    qtbot.keyClick(view.table, "1")
    assert shown and "busy" in shown[0]
    assert view.session.history.next_steps() == (None, None)
    assert view.model.index(0, 1).data() == ""
    other.execute("ROLLBACK")
    other.close()
    qtbot.keyClick(view.table, "1")
    assert project.example(1).label_ids != ()
    undo, redo = view.session.history.next_steps()
    assert undo is not None and undo.example_ids == (1,) and redo is None
    project.close()


def test_scrolling_on_after_labeling_skips_no_unlabeled_text(qtbot, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    from bertdesk.gui.labeling.label_view import PAGE_SIZE

    with Project.create(project_path) as project, project.bulk_writer() as writer:
        writer.label_id("positive")
        for i in range(3 * PAGE_SIZE):
            writer.add(f"text {i}", Split.TRAIN)
    project = Project.open(project_path)
    view = LabelView(ProjectSession(project))
    qtbot.addWidget(view)
    view.label_filter.setCurrentIndex(view.label_filter.findData("unlabeled"))
    view.apply_filter()
    assert view.match_count.text() == "counting…"  # more than a page: counted in the background
    qtbot.waitUntil(lambda: not view.model.counting)
    assert view.match_count.text().startswith(f"{3 * PAGE_SIZE} text")
    assert view.model.rowCount() == 3 * PAGE_SIZE
    first_page = QItemSelection(view.model.index(0, 0), view.model.index(PAGE_SIZE - 1, 2))
    view.table.selectionModel().select(first_page, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view.table, "1")
    assert project.count(ExampleFilter(unlabeled=True)) == 2 * PAGE_SIZE
    # The labelled rows stay in place until the filter is applied again; the next page must
    # start right after them, not PAGE_SIZE rows further on.
    assert [view.model.row(PAGE_SIZE + i).id for i in range(3)] == [PAGE_SIZE + 1, PAGE_SIZE + 2, PAGE_SIZE + 3]
    project.close()


def test_a_label_key_never_counts_the_project_on_the_gui_thread(
    qtbot, filled: Project, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """On a million texts a count takes over a second: after each key it runs off the GUI
    thread, once for the status bar, the statistics and the training panel together."""
    import threading

    path = filled.path
    filled.close()
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_project(path)
    counted_on: list[str] = []
    original = Project.stats

    def watched(self: Project) -> object:
        counted_on.append(threading.current_thread().name)
        return original(self)

    monkeypatch.setattr(Project, "stats", watched)
    monkeypatch.setattr(Project, "labelled_examples", lambda *_a, **_k: pytest.fail("reads every text"))
    window.label_view.table.setFocus()
    for key in "121":
        qtbot.keyClick(window.label_view.table, key)
    qtbot.waitUntil(lambda: bool(counted_on), timeout=10_000)
    assert threading.main_thread().name not in counted_on
    assert window.session is not None
    labelled = original(window.session.project).labelled
    stats_panel = window.findChildren(StatsPanel)[0]
    qtbot.waitUntil(lambda: f"{labelled} of 30 texts labelled" in stats_panel.summary.text(), timeout=10_000)
    assert f"{labelled} labelled" in window.count_label.text()
    assert window.close_project()
    window.close()


RUN_APP_CHILD = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from bertdesk.gui.app import run_app
from bertdesk.gui.main_window import MainWindow

def look_and_close():
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    print(window.count_label.text(), flush=True)
    window.close()

app = QApplication(sys.argv[:1])
QTimer.singleShot(0, look_and_close)
sys.exit(run_app(sys.argv[1:]))
"""


def test_run_app_opens_the_project_named_on_the_command_line(filled: Project, isolated_config: Path) -> None:
    """The real start-up path, in its own process as a user would start it."""
    import os
    import subprocess
    import sys

    path = filled.path
    filled.close()
    done = subprocess.run([sys.executable, "-c", RUN_APP_CHILD, str(path)], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr
    assert "30 texts" in done.stdout
    assert "bertdesk started" in (isolated_config / "data" / "bertdesk.log").read_text(encoding="utf-8")


def open_window(qtbot, project: Project) -> MainWindow:  # type: ignore[no-untyped-def]
    path = project.path
    project.close()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts such as Ctrl+Z go to the active window
    window.label_view.table.setFocus()
    return window


@pytest.mark.parametrize("change", ["merge", "delete"])
def test_undo_and_redo_after_a_label_merge_or_delete_change_nothing_and_raise_nothing(
    qtbot, filled: Project, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:  # type: ignore[no-untyped-def]
    """Merging "neutral" into "positive" and pressing Ctrl+Z used to take "positive" off the
    text (the step still said "Label neutral"); Ctrl+Shift+Z then showed a raw IntegrityError."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    import bertdesk.gui.labeling.label_view as label_view_module
    from bertdesk.gui.labeling.label_manager import LabelManager

    shown: list[str] = []
    monkeypatch.setattr(label_view_module, "show_user_error", lambda _parent, error: shown.append(str(error)))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("positive", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window = open_window(qtbot, filled)
    view = window.label_view
    qtbot.keyClick(view.table, "3")  # text 1: neutral
    assert window.undo_action.isEnabled()
    project = view.project
    manager = LabelManager(window.session)
    qtbot.addWidget(manager)
    manager.list.setCurrentRow(2)  # neutral
    manager.merge() if change == "merge" else manager.delete()
    kept = project.example(1).label_ids
    assert kept == ((project.require_label("positive").id,) if change == "merge" else ())
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    view.table.setFocus()
    for modifiers in (Qt.KeyboardModifier.ControlModifier,
                      Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
        qtbot.keyClick(view.table, Qt.Key.Key_Z, modifiers)
        assert project.example(1).label_ids == kept
    assert shown == [] and view.session.history.next_steps() == (None, None)
    view.move_to(1)
    qtbot.keyClick(view.table, "1")  # labeling and its undo go on as before
    assert window.undo_action.isEnabled() and project.example(2).label_ids != ()
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.example(2).label_ids == ()
    assert window.close_project()
    window.close()


def test_labels_named_0_and_1_have_the_keys_0_and_1_and_delete_removes(
    qtbot, project_path: Path
) -> None:  # type: ignore[no-untyped-def]
    project = Project.create(project_path)
    with project.bulk_writer() as writer:  # the order a 0/1 CSV creates them in
        one, zero = writer.label_id("1"), writer.label_id("0")
        for i in range(3):
            writer.add(f"text {i}")
    view = LabelView(ProjectSession(project))
    qtbot.addWidget(view)
    view.show()
    view.table.setFocus()
    qtbot.keyClick(view.table, "0")
    qtbot.keyClick(view.table, "1")
    assert [project.example(eid).label_ids for eid in (1, 2, 3)] == [(zero,), (one,), ()]
    view.move_to(0)
    qtbot.keyClick(view.table, "0")  # the label "0" again: it stays, the row moves on
    assert project.example(1).label_ids == (zero,)
    for key, eid in ((Qt.Key.Key_Delete, 1), (Qt.Key.Key_Backspace, 2)):
        view.move_to(eid - 1)
        qtbot.keyClick(view.table, key)
        assert project.example(eid).label_ids == ()
    assert "1 = 1, 0 = 0 set a label" in view.hint.text()
    assert "Delete removes labels" in view.hint.text() and "0 or Delete" not in view.hint.text()
    assert "1 = 1, 0 = 0" in view.focus_hint.text() and "Esc" in view.focus_hint.text()
    project.close()


def test_undo_and_redo_select_the_text_they_change_and_esc_leaves_focus_mode(
    qtbot, filled: Project
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, filled)
    view = window.label_view
    project = view.project
    for key in "123":
        qtbot.keyClick(view.table, key)
    assert view.current_row() == 3
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.current_row() == 1 and project.example(2).label_ids == ()
    view.move_to(20)
    qtbot.keyClick(view.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # redo
    assert view.current_row() == 1 and project.example(2).label_ids != ()
    assert "Labels: negative" in view.detail_labels.text()
    window.focus_action.trigger()  # F11
    assert view.stack.currentIndex() == 1 and window.focus_action.isChecked()
    assert "Esc or F11 leaves focus mode" in view.focus_hint.text()
    qtbot.keyClick(view.focus_text, Qt.Key.Key_Right)
    assert view.current_row() == 2
    qtbot.keyClick(view.focus_text, Qt.Key.Key_Escape)
    assert view.stack.currentIndex() == 0 and not window.focus_action.isChecked()
    window.focus_action.trigger()  # F11 enters it again at once
    assert view.stack.currentIndex() == 1
    assert window.close_project()
    window.close()


def test_the_labelled_share_never_rounds_up_to_100_percent() -> None:
    from bertdesk.gui.labeling.stats_panel import labelled_share

    assert labelled_share(11_976, 11_996) == "99.8%"
    assert labelled_share(11_995, 11_996) == "99.9%"
    assert labelled_share(11_996, 11_996) == "100%"
    assert labelled_share(1, 2) == "50%"
    assert labelled_share(0, 0) == "0%"


def test_the_statistics_chart_shows_counts_and_an_empty_one_no_negative_axis(
    qtbot, filled: Project
) -> None:  # type: ignore[no-untyped-def]
    import pyqtgraph as pg

    session = ProjectSession(filled)
    panel = StatsPanel(session)
    qtbot.addWidget(panel)
    panel.resize(300, 400)
    panel.show()
    (bottom, top) = panel.plot.getViewBox().viewRange()[1]
    assert -0.05 * top < bottom <= 0 < top  # no text labelled yet: every bar is 0
    axis = panel.plot.getAxis("left")
    ticks = [value for _spacing, values in axis.tickValues(bottom, top, 300) for value in values]
    assert ticks and min(ticks) == 0  # counts from 0, none below it
    assert "x0.001" not in axis.labelString()
    assert "0 of 30 texts labelled (0%)" in panel.summary.text()
    assert "Not yet split" not in panel.summary.text()  # the fixture's texts are in train/test
    filled.set_labels_many([1, 2, 3], [filled.require_label("negative").id])
    session.stats = filled.stats()
    panel.refresh()
    numbers = [item.toPlainText() for item in panel.plot.getPlotItem().items if isinstance(item, pg.TextItem)]
    assert numbers == ["0", "3", "0"]
    assert "3 of 30 texts labelled (10%)" in panel.summary.text()


def test_the_repeated_with_another_label_filter_shows_what_the_import_skipped(
    qtbot, project_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from bertdesk.io import ImportOptions, import_file

    source = tmp_path / "reviews.csv"
    source.write_text("text,label\nGood food,1\nslow,0\ngood food,0\n", encoding="utf-8")
    project = Project.create(project_path)
    import_file(project, source, ImportOptions(text_column="text", label_columns=["label"]))
    view = LabelView(ProjectSession(project))
    qtbot.addWidget(view)
    view.label_filter.setCurrentIndex(view.label_filter.findData("repeated"))
    assert view.label_filter.currentText() == "Repeated with another label"
    view.apply_filter()
    assert view.model.rowCount() == 1 and view.model.index(0, 0).data() == "Good food"
    assert "Line 4 of reviews.csv repeats this text with the label: 0" in view.detail_labels.text()
    project.close()


def test_closing_waits_for_every_count_a_changed_filter_left_running(qtbot, project_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A filter changed mid-count leaves the older count running; closing must wait for it too,
    or its thread reads a closed project (a crash, "Bus error", seen at exit)."""
    import threading

    from bertdesk.gui.labeling.label_view import PAGE_SIZE

    project = Project.create(project_path)
    with project.bulk_writer() as writer:
        for index in range(PAGE_SIZE * 2):
            writer.add(f"text {index}")
    release_first = threading.Event()
    real_count = project.count
    calls: list[ExampleFilter] = []

    def slow_first_count(flt: ExampleFilter) -> int:
        if threading.current_thread().name == "bertdesk-count":
            calls.append(flt)
            if len(calls) == 1:
                release_first.wait(timeout=30)
        return real_count(flt)

    monkeypatch.setattr(project, "count", slow_first_count)
    view = LabelView(ProjectSession(project))
    qtbot.addWidget(view)
    view.model.set_filter(ExampleFilter(search="text"))
    view.model.set_filter(ExampleFilter(search="tex"))
    qtbot.waitUntil(lambda: len(calls) >= 2, timeout=10_000)
    threading.Timer(0.5, release_first.set).start()
    view.shutdown()
    assert not [thread.name for thread in threading.enumerate() if thread.name == "bertdesk-count"]
    project.close()


def test_the_edit_menu_names_the_step_and_undo_outlives_closing_the_project(
    qtbot, filled: Project
) -> None:  # type: ignore[no-untyped-def]
    path = filled.path
    window = open_window(qtbot, filled)
    assert not window.undo_action.isEnabled() and window.undo_action.text() == "&Undo"
    qtbot.keyClick(window.label_view.table, "2")
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo Label negative"
    qtbot.keyClick(window.label_view.table, Qt.Key.Key_Delete)  # text 2 has no label: nothing to undo
    window.label_view.move_to(0)
    qtbot.keyClick(window.label_view.table, Qt.Key.Key_Delete)
    assert window.undo_action.text() == "&Undo Remove labels"
    assert window.close_project()
    assert not window.undo_action.isEnabled()

    assert window.open_project(path)
    view = window.label_view
    assert window.undo_action.text() == "&Undo Remove labels"
    view.move_to(5)
    window.undo_action.trigger()  # selects the text it changed
    assert view.current_row() == 0 and "Labels: negative" in view.detail_labels.text()
    assert window.redo_action.text() == "&Redo Remove labels"
    window.undo_action.trigger()
    assert view.session.project.example(1).label_ids == ()
    assert not window.undo_action.isEnabled() and window.redo_action.text() == "&Redo Label negative"
    assert window.close_project()
    window.close()


def test_the_counts_follow_a_burst_of_keys_faster_than_the_recount_delay(qtbot, view: LabelView) -> None:  # type: ignore[no-untyped-def]
    """Someone labelling at ten keys a second still sees the counts move, not only once they pause."""
    from bertdesk.gui.common.session import RECOUNT_DELAY_MS

    view.table.setFocus()
    seen: list[int] = []
    for _ in range(20):
        qtbot.keyClick(view.table, "1")
        qtbot.wait(RECOUNT_DELAY_MS // 3)
        seen.append(view.session.stats.labelled)
    assert seen[-1] >= 10, f"labelled counts seen during the burst: {seen}"


@pytest.mark.parametrize("anew", [False, True])
def test_make_splits_moves_texts_that_have_a_split_only_when_asked_to(
    qtbot, filled: Project, monkeypatch: pytest.MonkeyPatch, anew: bool  # type: ignore[no-untyped-def]
) -> None:
    from PySide6.QtWidgets import QDialog

    from bertdesk.gui.main_window import SplitDialog

    positive = filled.labels()[0].id
    for row in filled.page(limit=100):
        filled.set_labels(row.id, [positive])
    window = open_window(qtbot, filled)

    def accept(dialog: SplitDialog) -> QDialog.DialogCode:
        dialog.spins[1].setValue(0.5)
        dialog.anew.setChecked(anew)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SplitDialog, "exec", accept)
    from bertdesk.gui import main_window

    threads: list[threading.Thread] = []

    def make_splits(*args: object) -> object:
        threads.append(threading.current_thread())
        return real_make_splits(*args)

    real_make_splits = main_window.make_splits
    monkeypatch.setattr(main_window, "make_splits", make_splits)
    window.make_splits()
    qtbot.waitUntil(lambda: not window.session.op_running, timeout=10_000)
    assert threads and threads[0] is not threading.main_thread()  # the window kept answering
    validation = window.session.project.stats().per_split.get(Split.VALIDATION, 0)
    assert validation == (11 if anew else 0)  # 30 × 0.5 / 1.4 when every text moves
    assert f"Split {30 if anew else 0} texts" in window.statusBar().currentMessage()


def test_each_label_button_shows_its_labels_colour(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor

    from bertdesk.core import LabelId
    from bertdesk.gui.labeling.label_buttons import LabelButtons
    from bertdesk.store import LabelInfo

    buttons = LabelButtons(lambda _lid: None)
    qtbot.addWidget(buttons)
    buttons.set_labels([LabelInfo(LabelId(1), "cold", "#e15759", "3", 0)])
    buttons.resize(300, 60)
    buttons.show()
    qtbot.waitExposed(buttons)
    image = buttons.buttons[0].grab().toImage()
    stripe = image.pixelColor(3, image.height() // 2)  # inside the 6-pixel left border
    assert stripe == QColor("#e15759"), stripe.name()


def test_arabic_labels_keep_their_keys_in_the_hint_and_arabic_texts_start_at_the_right(
    qtbot, project_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from bertdesk.gui.common.bidi import isolated, reads_right_to_left

    project = Project.create(project_path)
    with project.bulk_writer() as writer:
        writer.label_id("إيجابي")
        writer.label_id("سلبي")
        writer.add("خدمة ممتازة 1")
        writer.add("great service, خدمة ممتازة")
    view = LabelView(ProjectSession(project))
    qtbot.addWidget(view)
    view.show()
    # Unisolated, the bidirectional algorithm shows "1 = إيجابي, 2 = سلبي" as if 1 were سلبي.
    assert "1 = \u2068إيجابي\u2069, 2 = \u2068سلبي\u2069 set a label" in view.hint.text()
    alignment = [view.model.index(row, 0).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignHorizontal_Mask
                 for row in range(2)]
    assert alignment == [Qt.AlignmentFlag.AlignRight, Qt.AlignmentFlag.AlignLeft]
    view.table.setFocus()
    view.move_to(0)
    qtbot.keyClick(view.table, "2")
    view.move_to(0)
    assert "Labels: \u2068سلبي\u2069 · split" in view.detail_labels.text()
    assert isolated("positive") == "positive" and isolated("שלום") == "\u2068שלום\u2069"
    assert [reads_right_to_left(text) for text in ("  12, سلام", "hi سلام", "123", "")] == [True, False, False, False]
    project.close()
