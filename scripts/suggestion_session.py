"""Suggestions while labelling, in the real window: the time from a label key to fresh
suggestions on screen, the longest pause of the event loop, and a long session that loses no label.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/suggestion_session.py [--data sst2|waimai]
        [--labels 1000] [--latency-keys 10] [--session-keys 300]

Builds a project of the data set's texts (../shared/data: SST-2's 67,349 training phrases or
waimai_10k's 11,987 reviews) with ``--labels`` of them (random, seed 0) labelled with the
file's label, opens it in the main window, picks the fast model as the source of suggestions
as a person does and shows the unlabelled texts.

1. Latency: the model learns again after every label. Each of ``--latency-keys`` keys labels
   the current text with its file label; the time runs until the table has repainted the
   suggestions of a model that learned from that label (the refresher's ``rows_suggested``
   after the fit, then a synchronous repaint). Then ``--gap`` seconds, as a person reads the
   next text (a rest pass still running is cut short by the next fit, as in use).
2. Session: least confident first, the model learning every 5 labels, ``--session-keys`` keys
   at ``--keys-per-second``: Enter accepts the suggestion shown, number keys give the file's
   label (or the other one, now and then), Down/Up move. Afterwards every text the keys
   labelled must hold in the project file the label the key gave (or the suggestion it
   accepted); the script exits 1 if one does not.

Both report the longest event-loop pause (a 5 ms timer's latest tick), how many were long and
the longest by what the suggestions were doing then (fitting, the rest pass, idle); the most
CPU time the GUI thread itself spent between two ticks (what its own work costs, which other
processes on a busy machine do not lengthen); the time the key presses themselves held the GUI
thread; and the longest pass of the garbage collector in the app's process, with its thread
(a pass holds the GIL). ``--suggestions-off`` gives the pauses the machine makes anyway.
``--dump-pauses FILE`` writes every thread's stack whenever the event loop stands still longer
than ``--dump-after`` ms (faulthandler's watchdog: what the GUI thread waited behind; it reads
other threads' stacks unsafely and may crash the run at the end, so it is for looking, not for
figures); ``--switch-interval MS`` tells whether pauses are waits for the GIL (they shrink with it).
Figures depend on the machine and its load; they are printed, never checked.
"""

from __future__ import annotations

import argparse
import csv
import faulthandler
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
PAUSE_TICK_MS = 5
IDLE_TIMEOUT_S = 600


def read_texts(data: str) -> list[tuple[str, str]]:
    """(text, label name) of the data set's training texts."""
    if data == "sst2":
        with (SHARED / "sst2" / "train.tsv").open(encoding="utf-8", newline="") as handle:
            return [(row["text"], ("negative", "positive")[int(row["label"])])
                    for row in csv.DictReader(handle, delimiter="\t")]
    with (SHARED / "waimai_10k.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["review"], ("negative", "positive")[int(row["label"])]) for row in csv.DictReader(handle)]


def build(path: Path, rows: list[tuple[str, str]], labelled: int) -> dict[int, str]:
    """The project: every text in the train split, ``labelled`` of them labelled; the file's label by id."""
    from bertdesk.core import Split
    from bertdesk.store import Project

    chosen = set(random.Random(0).sample(range(len(rows)), labelled))
    truth: dict[int, str] = {}
    with Project.create(path) as project, project.bulk_writer() as writer:
        ids = {name: writer.label_id(name) for name in ("negative", "positive")}
        for index, (text, name) in enumerate(rows):
            example_id = writer.add(text, Split.TRAIN, [ids[name]] if index in chosen else [])
            truth[int(example_id)] = name
    return truth


class PauseWatch:
    """A timer that should tick every PAUSE_TICK_MS: how late its ticks come is how long the
    event loop was held."""

    def __init__(self, activity: Callable[[], str], dump_after_ms: float = 0, dump_to: Any = None) -> None:
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = 0
        self.pauses: list[float] = []  # ms beyond the tick, for each tick
        # The GUI thread's own CPU time between two ticks: the pause its work makes, which a
        # busy machine cannot lengthen (a gap where other processes had the CPU costs none).
        self.last_cpu = time.thread_time()
        self.busy: list[float] = []
        self.activity = activity  # what the suggestions were doing when a pause ended
        self.by_activity: dict[str, float] = {}
        # A pause longer than dump_after_ms writes every thread's stack to dump_to, from
        # faulthandler's own thread (it needs no GIL): what the GUI thread waits behind.
        self.dump_after_s, self.dump_to = dump_after_ms / 1000, dump_to
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)
        self.timer.start(PAUSE_TICK_MS)

    def tick(self) -> None:
        now = self.clock.elapsed()
        pause = max(now - self.last - PAUSE_TICK_MS, 0)
        self.pauses.append(pause)
        self.last = now
        activity = self.activity()
        self.by_activity[activity] = max(self.by_activity.get(activity, 0), pause)
        cpu = time.thread_time()
        self.busy.append((cpu - self.last_cpu) * 1000)
        self.last_cpu = cpu
        if self.dump_to is not None:
            faulthandler.dump_traceback_later(self.dump_after_s, file=self.dump_to)

    def reset(self) -> None:
        self.pauses.clear()
        self.busy.clear()
        self.by_activity.clear()
        self.last = self.clock.elapsed()
        self.last_cpu = time.thread_time()

    def longest(self) -> float:
        return max(self.pauses, default=0.0)

    def busiest(self) -> float:
        return max(self.busy, default=0.0)

    def summary(self) -> str:
        """The longest pause and how many were long, the longest by what the suggestions were
        doing (the machine's load lengthens all of them; compare with --suggestions-off), and
        the GUI thread's own work in one gap."""
        by_activity = ", ".join(f"{activity} {pause:.0f}" for activity, pause in sorted(self.by_activity.items()))
        return (f"longest event-loop pause {self.longest():.0f} ms, {sum(p > 100 for p in self.pauses)} over "
                f"100 ms, {sum(p > 50 for p in self.pauses)} over 50 ms (longest while the suggestions were "
                f"{by_activity} ms); the GUI thread's own work in one gap at most {self.busiest():.0f} ms")


class CollectorWatch:
    """How long the cyclic garbage collector's passes take, and on which thread: a pass holds
    the GIL, so one on a worker thread stops the event loop as long as it runs."""

    def __init__(self) -> None:
        import gc
        import threading

        self.current_thread = threading.current_thread
        self.started = 0.0
        self.passes: list[tuple[float, int, str]] = []  # (ms, generation, thread)
        gc.callbacks.append(self.observe)

    def observe(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.passes.append(((time.perf_counter() - self.started) * 1000, info["generation"],
                                self.current_thread().name))

    def reset(self) -> None:
        self.passes.clear()

    def summary(self) -> str:
        longest = max(self.passes, default=None)
        if longest is None:
            return "no garbage collection in this process"
        return (f"longest garbage collection in this process {longest[0]:.0f} ms (generation {longest[1]}, "
                f"thread {longest[2]}), {sum(ms > 50 for ms, _, _ in self.passes)} over 50 ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=("sst2", "waimai"), default="sst2")
    parser.add_argument("--labels", type=int, default=1000)
    parser.add_argument("--latency-keys", type=int, default=10)
    parser.add_argument("--gap", type=float, default=2.0, help="seconds between fresh suggestions and the next key")
    parser.add_argument("--session-keys", type=int, default=300)
    parser.add_argument("--keys-per-second", type=float, default=3.0)
    parser.add_argument("--suggestions-off", action="store_true",
                        help="the session with suggestions off: the pauses this machine has anyway")
    parser.add_argument("--dump-pauses", type=Path, metavar="FILE",
                        help="write every thread's stack to FILE whenever the event loop stands still "
                             "longer than --dump-after ms")
    parser.add_argument("--dump-after", type=float, default=100.0, metavar="MS")
    parser.add_argument("--switch-interval", type=float, metavar="MS",
                        help="sys.setswitchinterval: how long a thread that wants the GIL waits before it asks "
                             "for it (Python's default 5 ms); a shorter one shortens pauses that are waits for the GIL")
    args = parser.parse_args()
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval / 1000)
    if args.suggestions_off:
        args.latency_keys = 0

    work = Path(tempfile.mkdtemp(prefix="bertdesk-suggestions-"))
    import os

    os.environ["BERTDESK_CONFIG_DIR"] = str(work / "config")
    os.environ["BERTDESK_DATA_DIR"] = str(work / "data")
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from bertdesk.gui.app import use_cjk_font
    from bertdesk.gui.common.settings import install_translator
    from bertdesk.gui.labeling.suggestion_refresher import Activity
    from bertdesk.gui.main_window import MainWindow
    from bertdesk.store.suggestions import MARGIN_KIND

    rows = read_texts(args.data)
    path = work / f"{args.data}.bertdesk"
    started = time.monotonic()
    truth = build(path, rows, args.labels)
    print(f"{args.data}: {len(rows):,} texts, {args.labels:,} labelled ({time.monotonic() - started:.0f} s to build)",
          flush=True)

    app = QApplication(sys.argv[:1])
    install_translator(app, "en")
    use_cjk_font(app)
    window = MainWindow()
    window.resize(1200, 800)
    window.show()
    assert window.open_project(path) and window.label_view is not None
    view = window.label_view
    project = view.project
    label_ids = {label.name: label.id for label in project.labels()}
    names = {label_id: name for name, label_id in label_ids.items()}
    refresher, bar = view.suggestions, view.suggestion_bar
    bar.retrain_every.setValue(1)
    if not args.suggestions_off:
        bar.source.setCurrentIndex(bar.source.findData("fast"))
        bar.source.activated.emit(bar.source.currentIndex())
    view.label_filter.setCurrentIndex(view.label_filter.findData("unlabeled"))
    view.apply_filter()
    view.table.setFocus()
    dump_to = args.dump_pauses.open("w") if args.dump_pauses else None
    watch = PauseWatch(lambda: refresher.activity.value, args.dump_after, dump_to)
    collector = CollectorWatch()
    failures: list[str] = []

    def after_idle(then: Callable[[], None]) -> None:
        deadline = time.monotonic() + IDLE_TIMEOUT_S

        def check() -> None:
            if refresher.activity is Activity.IDLE:
                then()
            elif time.monotonic() > deadline:
                failures.append("the suggestions never settled")
                app.exit(2)
            else:
                QTimer.singleShot(50, check)

        check()

    def key_for(example_id: int, wrong: bool = False) -> str:
        name = truth[example_id]
        if wrong:
            name = "positive" if name == "negative" else "negative"
        shortcut = view.model.labels[label_ids[name]].shortcut
        assert shortcut
        return shortcut

    # ------------------------------------------------------------ 1. latency
    latencies: list[float] = []
    key_pauses: list[float] = []
    latency_pauses: list[float] = []
    latency_busy: list[float] = []
    waiting: dict[str, Any] = {}

    def press_for_latency() -> None:
        if len(latencies) == args.latency_keys:
            QTimer.singleShot(0, start_session)
            return
        state = project.suggestion_state()
        assert state is not None
        current = view.model.row(view.current_row())
        assert current is not None
        if not latencies:
            watch.reset()
            collector.reset()
        waiting.update(expected=state.labelled + 1, pressed=time.perf_counter(), mark=len(watch.pauses))
        QTest.keyClick(view.table, key_for(current.id))
        key_pauses.append((time.perf_counter() - waiting["pressed"]) * 1000)

    def on_rows_suggested() -> None:
        """After the view's own slot has read the new suggestions: paint them, stop the clock."""
        if not waiting:
            return
        state = project.suggestion_state()
        if state is None or state.labelled < waiting["expected"]:
            return
        view.table.viewport().repaint()
        latencies.append(time.perf_counter() - waiting.pop("pressed"))
        latency_pauses.append(max(watch.pauses[waiting["mark"]:], default=0))
        latency_busy.append(max(watch.busy[waiting["mark"]:], default=0))
        waiting.clear()
        print(f"key {len(latencies):3d}: fresh suggestions on screen after {latencies[-1] * 1000:6.0f} ms "
              f"(learned from {state.labelled:,} labels); longest pause meanwhile {latency_pauses[-1]:.0f} ms",
              flush=True)
        QTimer.singleShot(int(args.gap * 1000), press_for_latency)

    refresher.rows_suggested.connect(on_rows_suggested)

    # ------------------------------------------------------------ 2. session
    expected: dict[int, tuple[int, ...]] = {}
    pressed = {"keys": 0, "accepts": 0, "numbers": 0, "moves": 0, "refused": 0}
    session_key_ms: list[float] = []
    rng = random.Random(1)

    def start_session() -> None:
        if latencies:
            report_latency()
        if not args.session_keys:
            app.exit(0)
            return
        bar.retrain_every.setValue(5)
        if not args.suggestions_off:
            bar.order.setCurrentIndex(bar.order.findData(MARGIN_KIND))
            bar.order.activated.emit(bar.order.currentIndex())
        view.table.setFocus()
        watch.reset()
        collector.reset()
        key_timer.start(int(1000 / args.keys_per_second))

    def report_latency() -> None:
        print(f"latency: median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
              f"over {len(latencies)} keys; from a key to fresh suggestions the longest event-loop pause "
              f"{max(latency_pauses, default=0):.0f} ms (the GUI thread's own work in one gap at most "
              f"{max(latency_busy, default=0):.0f} ms); over the whole phase (fits and rest passes) "
              f"{watch.summary()}; a key press held the GUI thread {statistics.median(key_pauses):.0f} ms median, "
              f"{max(key_pauses):.0f} ms max; {collector.summary()}", flush=True)

    def press_in_session() -> None:
        from PySide6.QtCore import Qt

        if pressed["keys"] == args.session_keys:
            key_timer.stop()
            after_idle(check_session)
            return
        pressed["keys"] += 1
        row = view.current_row()
        current = view.model.row(row)
        assert current is not None
        roll = rng.random()
        before = time.perf_counter()
        if roll < 0.45:
            shown = view.model.suggestion_for(current)
            QTest.keyClick(view.table, Qt.Key.Key_Return)
            if shown is not None:
                pressed["accepts"] += 1
                if view.model.row(row).label_ids == (shown.label_id,):
                    expected[current.id] = (shown.label_id,)
                elif "changed just now" in bar.status.text():
                    pressed["refused"] += 1  # another model's suggestion arrived: shown, not accepted
                else:
                    failures.append(f"Enter on text {current.id} showed {names[shown.label_id]} and gave "
                                    f"{view.model.row(row).label_ids}")
        elif roll < 0.85:
            wrong = rng.random() < 0.1
            QTest.keyClick(view.table, key_for(current.id, wrong))
            expected[current.id] = (label_ids[truth[current.id]] if not wrong else
                                    label_ids["positive" if truth[current.id] == "negative" else "negative"],)
            pressed["numbers"] += 1
        else:
            QTest.keyClick(view.table, Qt.Key.Key_Up if rng.random() < 0.3 else Qt.Key.Key_Down)
            pressed["moves"] += 1
        session_key_ms.append((time.perf_counter() - before) * 1000)
        if pressed["keys"] % 50 == 0:
            print(f"{pressed['keys']} keys, longest pause so far {watch.longest():.0f} ms, "
                  f"{refresher.status()}", flush=True)

    def check_session() -> None:
        stored = project.labels_of(list(expected))
        lost = {example_id: (labels, stored.get(example_id)) for example_id, labels in expected.items()
                if tuple(stored.get(example_id, ())) != labels}
        ordered = [view.model.row(row).id for row in range(view.model.rowCount())]
        print(f"session: {pressed['keys']} keys ({pressed['accepts']} accepts, {pressed['refused']} refused as "
              f"the suggestion changed that instant, {pressed['numbers']} number keys, {pressed['moves']} moves); "
              f"{len(expected)} texts labelled, {len(lost)} not as the key gave; {len(ordered)} rows shown, "
              f"{len(ordered) - len(set(ordered))} twice; {watch.summary()}; "
              f"a key held the GUI thread {statistics.median(session_key_ms):.0f} ms median, "
              f"{max(session_key_ms):.0f} ms max; {collector.summary()}", flush=True)
        for example_id, (wanted, found) in list(lost.items())[:10]:
            failures.append(f"text {example_id}: the key gave {wanted}, the file holds {found}")
        if len(ordered) != len(set(ordered)):
            failures.append("a text was shown twice")
        app.exit(1 if failures else 0)

    key_timer = QTimer()
    key_timer.timeout.connect(press_in_session)
    after_idle(press_for_latency if args.latency_keys else start_session)
    code = app.exec()
    watch.timer.stop()
    faulthandler.cancel_dump_traceback_later()
    for failure in failures:
        print("FAIL:", failure, flush=True)
    window.close_project()
    window.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
