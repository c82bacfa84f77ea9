"""The training panel and run history with real widgets, a real project and the tiny BERT."""

from __future__ import annotations

import gc
import shutil
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.training.run_history import ACCURACY_COLUMN, RunHistory
from bertdesk.gui.training.train_panel import TrainPanel
from bertdesk.ml.loop import logging_interval
from bertdesk.ops import OpChanges
from tests.conftest import plain_sqlite

RUN_TIMEOUT_MS = 120_000


def make_panel(qtbot: Any, project: Any, model_dir: Path, epochs: float = 2.0) -> TrainPanel:
    panel = TrainPanel(ProjectSession(project))
    qtbot.addWidget(panel, before_close_func=lambda _panel: panel.session.shutdown())  # as closing a project does
    panel.models.add_model(str(model_dir), "tiny test model")
    panel.settings.input_for("epochs").setValue(epochs)
    panel.settings.input_for("min_steps").setValue(0)  # exactly the epochs set …
    patience = panel.settings.input_for("early_stopping_patience")
    patience.setValue(patience.minimum())  # … with no early stopping (off)
    panel.settings.input_for("batch_size").setValue(8)
    panel.settings.input_for("max_length").setValue(32)
    return panel


def model_checks_ended(panel: TrainPanel) -> bool:
    """The picked model's check (and any cancelled for a later pick) has ended."""
    return bool(panel.coverage_jobs) and not any(job.running for job in panel.coverage_jobs)


def finish(qtbot: Any, panel: TrainPanel) -> Any:
    """Wait for the run to end and its thread to be joined; returns the engine's result."""
    qtbot.waitUntil(lambda: not panel.running, timeout=RUN_TIMEOUT_MS)
    panel.shutdown()
    return panel.last_result


def test_start_draws_curves_and_stop_keeps_a_checkpoint(qtbot, sentiment_project, tiny_model_dir):
    from bertdesk.ml.evaluation import run_model_dir

    panel = make_panel(qtbot, sentiment_project, tiny_model_dir, epochs=200)
    panel.start()
    qtbot.waitUntil(lambda: panel.curves.point_counts()["steps"] >= 3, timeout=RUN_TIMEOUT_MS)
    assert panel.progress.maximum() > panel.progress.value() > 0
    panel.stop()
    result = finish(qtbot, panel)

    assert result.status == "cancelled"
    run = sentiment_project.run(result.run_id)
    assert run.status == "cancelled"
    best = run_model_dir(sentiment_project, result.run_id)
    assert (best / "config.json").is_file()
    assert any(best.glob("*.safetensors"))
    assert panel.start_button.isEnabled() and not panel.stop_button.isEnabled()


def test_quick_run_finishes_and_appears_in_history(qtbot, sentiment_project, tiny_model_dir, dialogs):
    panel = make_panel(qtbot, sentiment_project, tiny_model_dir)
    history = RunHistory(sentiment_project)
    qtbot.addWidget(history)
    panel.run_finished.connect(lambda _run: history.refresh())
    with qtbot.waitSignal(panel.run_finished, timeout=RUN_TIMEOUT_MS):
        panel.start()
    result = finish(qtbot, panel)

    assert result.status == "finished", result.error
    assert not dialogs
    assert panel.curves.point_counts()["evaluations"] >= 1
    assert history.table.rowCount() == 1
    row = [history.table.item(0, column).text() for column in range(history.table.columnCount())]
    assert row[0].endswith(f"#{result.run_id}")
    assert row[ACCURACY_COLUMN] == f"{result.metrics['accuracy']:.1%}"
    history.select_runs([result.run_id])
    assert history.curves.point_counts()["steps"] > 0
    with qtbot.waitSignal(history.current_run_chosen) as chosen:
        history.use_button.click()
    assert chosen.args == [result.run_id]


def test_two_runs_overlay_and_delete_removes_files(qtbot, sentiment_project, tiny_model_dir, dialogs):
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.training import train

    config = TrainConfig.from_preset("quick", model=str(tiny_model_dir), epochs=1, max_length=32, min_steps=0)
    from bertdesk.gui.main_window import train_tab
    from bertdesk.ops import current_run, make_current

    first = train(sentiment_project, config)
    second = train(sentiment_project, config)
    make_current(sentiment_project, first.run_id)
    session = ProjectSession(sentiment_project)
    _title, tab = train_tab(None, session)  # type: ignore[arg-type]  # the window's wiring
    qtbot.addWidget(tab, before_close_func=lambda _tab: session.shutdown())
    history = tab.findChild(RunHistory)
    history.select_runs([first.run_id, second.run_id])
    single = len([e for e in sentiment_project.run(first.run_id).history if e["type"] == "step"])
    assert history.curves.point_counts()["steps"] == 2 * single > 0

    folder = sentiment_project.runs_dir / str(first.run_id)
    assert folder.is_dir()
    history.select_runs([first.run_id])
    history.delete_button.click()
    assert dialogs and dialogs[0][0] == "question"
    assert [run.id for run in sentiment_project.runs()] == [second.run_id]
    assert not folder.exists()
    assert history.table.rowCount() == 1
    assert current_run(sentiment_project) is None and history.current_run is None  # it was the current one
    tab.shutdown()


def test_failing_run_is_reported_and_the_panel_still_trains(
    qtbot, sentiment_project, tiny_model_dir, tmp_path, dialogs
):
    broken = tmp_path / "broken-model"
    shutil.copytree(tiny_model_dir, broken)
    for weights in broken.glob("*.safetensors"):
        weights.write_bytes(b"not a safetensors file")
    panel = make_panel(qtbot, sentiment_project, broken)
    panel.start()
    result = finish(qtbot, panel)

    assert result.status == "failed"
    assert sentiment_project.run(result.run_id).status == "failed"
    assert [kind for kind, _text in dialogs] == ["critical"]
    assert result.error and result.error in dialogs[0][1]

    panel.models.add_model(str(tiny_model_dir), "tiny test model")
    panel.start()
    assert finish(qtbot, panel).status == "finished"


def test_guard_rails_block_a_project_with_one_label(qtbot, project, tiny_model_dir, dialogs):
    from bertdesk.core import Split

    with project.bulk_writer() as writer:
        for index in range(20):
            writer.add(f"good movie {index}", Split.TRAIN, [writer.label_id("positive")])
    panel = make_panel(qtbot, project, tiny_model_dir)
    assert panel.problems
    assert not panel.start_button.isEnabled()
    panel.start()
    assert panel.job is None
    assert dialogs and dialogs[0][0] == "warning"
    assert project.runs() == []
    panel.shutdown()


def test_validation_split_fix(qtbot, project, tiny_model_dir):
    from bertdesk.core import Split

    with project.bulk_writer() as writer:
        for index in range(30):
            name = ("good", "bad")[index % 2]
            writer.add(f"{name} film {index}", Split.UNASSIGNED, [writer.label_id(name)])
    panel = make_panel(qtbot, project, tiny_model_dir)
    assert not panel.split_button.isHidden()
    panel.split_button.click()
    assert not panel.split_button.isEnabled()  # made in the background: no second split meanwhile
    qtbot.waitUntil(lambda: not panel.session.op_running, timeout=10_000)
    assert project.stats().per_split.get("validation", 0) >= 2
    assert "Split made" in panel.status_label.text()
    qtbot.waitUntil(panel.split_button.isHidden, timeout=10_000)  # once the session has counted again
    panel.shutdown()


def test_the_counts_table_counts_texts_in_no_split_as_training(qtbot, project, tiny_model_dir):
    from bertdesk.core import Split

    with project.bulk_writer() as writer:
        for index in range(1200):  # what a run trains on: train and unassigned texts
            split = (Split.TRAIN, Split.UNASSIGNED, Split.VALIDATION)[index % 3]
            writer.add(f"film {index}", split, [writer.label_id(("good", "bad")[index % 2])])
    panel = make_panel(qtbot, project, tiny_model_dir)
    rows = [[panel.counts.item(row, column).text() for column in range(3)] for row in range(2)]
    assert rows == [["good", "400", "200"], ["bad", "400", "200"]]
    with project.bulk_writer() as writer:
        for index in range(1200, 2402):
            writer.add(f"film {index}", Split.TRAIN, [writer.label_id("good")])
    with qtbot.waitSignal(panel.session.stats_changed, timeout=10_000):
        panel.session.refresh(OpChanges(counts=True))  # written outside an op: counted off the GUI thread
    assert panel.counts.item(0, 1).text() == "1,602"  # thousands are grouped
    panel.shutdown()


def longest_event_loop_gap_while_training(qtbot: Any, project: Any, model_dir: Path) -> float:
    """The most CPU time the GUI thread spent between two 20 ms timer beats, from Start to the
    run's end: work done on the GUI thread. Its CPU time, not the clock's, so a busy machine
    that pauses the whole process does not count (a wait for a lock would not either: the
    training buffer's lock is held only to append or swap a list)."""
    panel = make_panel(qtbot, project, model_dir, epochs=4)
    panel.show()
    qtbot.waitUntil(lambda: model_checks_ended(panel), timeout=30_000)
    gc.collect()  # the test process's own garbage is not the app's to collect mid-run
    gaps: list[float] = []
    last = [time.thread_time()]

    def beat() -> None:
        now = time.thread_time()  # runs on the GUI thread: that thread's CPU time
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(beat)
    timer.start()
    last[0] = time.thread_time()
    panel.start()
    result = finish(qtbot, panel)
    timer.stop()
    assert result.status == "finished", result.error
    assert len(gaps) > 10
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    print(f"event loop: {len(gaps)} beats, most GUI-thread CPU between two: {gaps[worst] * 1000:.0f} ms at beat {worst}")
    return max(gaps)


def test_event_loop_keeps_running_while_training(qtbot, sentiment_project, tiny_model_dir):
    # No stretch of 200 ms of work on the GUI thread between two beats, however busy the
    # machine (measured in the thread's CPU time, so not a timing of the machine).
    gap = longest_event_loop_gap_while_training(qtbot, sentiment_project, tiny_model_dir)
    assert gap < 0.2, f"the GUI thread worked {gap * 1000:.0f} ms between two beats"


def test_picking_a_model_that_does_not_know_the_language_warns(qtbot, project, tiny_model_dir):
    from bertdesk.core import Split

    with project.bulk_writer() as writer:
        for index in range(20):
            name, text = (("正面", "这家餐厅环境优雅菜品精致"), ("负面", "等了两个小时才上菜真糟糕"))[index % 2]
            writer.add(f"{text}{index}", Split.TRAIN, [writer.label_id(name)])
    panel = make_panel(qtbot, project, tiny_model_dir)
    qtbot.waitUntil(lambda: model_checks_ended(panel), timeout=30_000)
    panel.shutdown()
    assert panel.coverage_label.text().startswith("⚠")


def test_a_gpu_chosen_that_is_not_there_is_said_where_the_device_shows(qtbot, project, tiny_model_dir, monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    panel = make_panel(qtbot, project, tiny_model_dir)
    device = panel.settings.input_for("device")
    device.setCurrentIndex(device.findData("cuda"))
    panel.prepare()
    qtbot.waitUntil(lambda: not panel.device_job.running, timeout=30_000)
    panel.shutdown()
    assert "No CUDA GPU" in panel.device_label.text() and "auto" in panel.device_label.text()


def test_closing_during_a_run_asks_then_stops_cleanly(
    qtbot, sentiment_project, tiny_model_dir, monkeypatch
):
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def answer(_parent: Any, title: str, _text: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(title)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", answer)
    panel = make_panel(qtbot, sentiment_project, tiny_model_dir, epochs=200)
    panel.start()
    qtbot.waitUntil(lambda: panel.curves.point_counts()["steps"] >= 1, timeout=RUN_TIMEOUT_MS)

    assert not panel.confirm_close()  # "No": the run goes on
    assert panel.running
    assert panel.confirm_close()  # "Yes": stopped and joined before returning
    assert not panel.running and len(asked) == 2
    assert panel.last_result.status == "cancelled"
    assert sentiment_project.run(panel.last_result.run_id).status == "cancelled"


def test_download_while_offline_says_so(qtbot, dialogs):
    from bertdesk.gui.training.train_models import BaseModelPicker

    picker = BaseModelPicker()
    qtbot.addWidget(picker)
    picker.download("bertdesk-test/not-in-the-cache")
    qtbot.waitUntil(lambda: not picker.download_job.running, timeout=30_000)
    picker.shutdown()
    assert [kind for kind, _text in dialogs] == ["warning"]
    assert "offline" in dialogs[0][1].lower()
    assert picker.combo.findData("bertdesk-test/not-in-the-cache") < 0
    assert picker.download_button.isEnabled()


def test_a_stopped_run_resumes_from_the_panel_where_it_stopped(qtbot, sentiment_project, tiny_model_dir):
    panel = make_panel(qtbot, sentiment_project, tiny_model_dir, epochs=50)
    assert panel.resume_button.isHidden()  # nothing stopped yet
    panel.start()
    qtbot.waitUntil(lambda: panel.last_step is not None and panel.last_step["step"] >= 3,
                    timeout=RUN_TIMEOUT_MS)
    # The phase line gave way to the run's own news (the first evaluation to come, or its scores).
    assert "validation" in panel.status_label.text()
    assert "left" in panel.speed_label.text()
    panel.stop()
    assert "left" not in panel.speed_label.text()  # no time left once Stop is pressed
    stopped = finish(qtbot, panel)
    assert stopped.status == "cancelled"
    assert "left" not in panel.speed_label.text()
    assert not panel.resume_button.isHidden() and f"#{stopped.run_id}" in panel.resume_button.text()

    panel.resume_button.click()
    resumed = finish(qtbot, panel)
    assert resumed.status == "finished" and resumed.run_id == stopped.run_id
    steps = [entry["step"] for entry in panel.history if entry["type"] == "step"]
    total = resumed_total(sentiment_project, resumed.run_id)
    # Carried on: the loss readings (one every logging interval) climb once from 1 to the end.
    assert steps[0] == 1 and steps[-1] == total and steps == sorted(set(steps))
    assert max(later - earlier for earlier, later in zip(steps, steps[1:])) <= logging_interval(total)
    assert panel.resume_button.isHidden()
    assert [run.id for run in sentiment_project.runs()] == [stopped.run_id]


def resumed_total(project: Any, run_id: Any) -> int:
    return int(project.run(run_id).params["total_steps"])


def test_the_run_history_resumes_an_older_stopped_run(qtbot, sentiment_project, tiny_model_dir):
    from bertdesk.core import CancelToken
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.training import TrainingCallback, train

    config = TrainConfig.from_preset(
        "quick", model=str(tiny_model_dir), epochs=3, batch_size=8, max_length=32, min_steps=0
    )
    stopped = []
    for _ in range(2):
        token = CancelToken()

        class StopAtStepTwo(TrainingCallback):
            def on_step(self, event: Any) -> None:
                if event.step == 2:
                    token.cancel()

        stopped.append(train(sentiment_project, config, StopAtStepTwo(), token).run_id)
    panel = make_panel(qtbot, sentiment_project, tiny_model_dir)
    history = RunHistory(sentiment_project)
    qtbot.addWidget(history)
    history.resume_requested.connect(panel.resume)  # as the main window wires them
    assert f"#{stopped[1]}" in panel.resume_button.text()  # the panel offers the latest

    history.select_runs([stopped[0]])
    assert history.resume_button.isEnabled()
    history.resume_button.click()
    resumed = finish(qtbot, panel)
    assert resumed.run_id == stopped[0] and resumed.status == "finished"
    history.refresh()
    history.select_runs([stopped[0]])
    assert not history.resume_button.isEnabled()  # finished: nothing left to resume


def test_a_model_check_ended_after_a_later_pick_does_not_replace_its_message(
    qtbot: Any, sentiment_project: Any, tiny_model_dir: Path, monkeypatch: Any,
) -> None:
    import threading

    from bertdesk.gui.training.train_models import FAST_SPEC
    from bertdesk.ml import coverage

    entered, release = threading.Event(), threading.Event()
    measure = coverage.vocabulary_coverage

    def slow_coverage(*args: Any, **options: Any) -> Any:
        entered.set()
        release.wait(timeout=30)  # still tokenising when the user picks another model
        return measure(*args, **options)

    monkeypatch.setattr(coverage, "vocabulary_coverage", slow_coverage)
    panel = make_panel(qtbot, sentiment_project, tiny_model_dir)
    checking = panel.coverage_label.text()
    qtbot.waitUntil(entered.is_set, timeout=30_000)
    panel.models.combo.setCurrentIndex(panel.models.combo.findData(FAST_SPEC))
    fast_model_note = panel.coverage_label.text()
    assert fast_model_note != checking and "fast model" in fast_model_note
    release.set()
    qtbot.waitUntil(lambda: model_checks_ended(panel), timeout=30_000)
    qtbot.wait(300)  # the late result's signal arrives on the next polls
    assert panel.coverage_label.text() == fast_model_note
    panel.shutdown()


def test_a_run_whose_program_was_killed_shows_as_stopped_and_can_be_deleted(
    qtbot: Any, sentiment_project: Any, ended_process_owner: dict[str, object], chinese: None,
) -> None:
    import json

    from bertdesk.gui.training.run_history import STATUS_COLUMN

    run_id = sentiment_project.create_run("killed", "tiny", {})
    with plain_sqlite(sentiment_project.path) as conn:
        conn.execute("UPDATE runs SET owner = ? WHERE id = ?", (json.dumps(ended_process_owner), run_id))
    history = RunHistory(sentiment_project)
    qtbot.addWidget(history)
    history.select_runs([run_id])
    (row,) = {index.row() for index in history.table.selectedIndexes()}
    status = history.table.item(row, STATUS_COLUMN)
    assert status.text() == "已停止" and status.toolTip().startswith("程序在它运行时停止了")
    assert history.delete_button.isEnabled()


def test_a_run_recorded_as_running_on_another_computer_is_deleted_once_the_user_is_told(
    qtbot: Any, sentiment_project: Any, dialogs: list[tuple[str, str]],
) -> None:
    """A project on a shared drive: a run killed on another computer says "running" for ever,
    as nothing here can see that computer's processes. Delete says so and asks; one that this
    process runs stays refused."""
    import json

    from bertdesk.gui.main_window import train_tab
    from bertdesk.gui.training.run_history import STATUS_COLUMN

    ours = sentiment_project.create_run("training here", "tiny", {})
    elsewhere = sentiment_project.create_run("killed on the lab computer", "tiny", {})
    with plain_sqlite(sentiment_project.path) as conn:
        conn.execute("UPDATE runs SET owner = ? WHERE id = ?",
                     (json.dumps({"host": "lab-pc", "pid": 7, "started": 0.0}), elsewhere))
    session = ProjectSession(sentiment_project)
    _title, tab = train_tab(None, session)  # type: ignore[arg-type]  # the window's wiring
    qtbot.addWidget(tab, before_close_func=lambda _tab: session.shutdown())
    history = tab.findChild(RunHistory)
    for chosen in ([ours], [ours, elsewhere]):
        history.select_runs(chosen)
        assert not history.delete_button.isEnabled()
    history.select_runs([elsewhere])
    assert history.delete_button.isEnabled()
    (row,) = {index.row() for index in history.table.selectedIndexes()}
    assert "computer lab-pc" in history.table.item(row, STATUS_COLUMN).toolTip()
    history.delete_button.click()
    (kind, text), = dialogs
    assert kind == "question" and "cannot tell whether it still is" in text and "lab-pc" in text
    assert [run.id for run in sentiment_project.runs()] == [ours]
    tab.shutdown()
