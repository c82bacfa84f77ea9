"""How the labeling view copes with a big project: open, first page, jump to the end, filter, search.

The view must never load the whole table, so these figures should stay flat as the project grows.
Usage (the project is generated once with ``Project.bulk_writer`` and reused):

    QT_QPA_PLATFORM=offscreen python benchmarks/label_view_speed.py --rows 1000000 --project /tmp/big.bertdesk

Targets: open + first page < 1 s; jump to the last row, a label filter and a text search
< 300 ms each; a label key in the main window < 100 ms, its new counts on a background job;
peak memory < 500 MB; least confident first (issue 17): first page < 300 ms. A filter
shows its first page at once and counts its matches on a background job: both times are
printed. Generating runs in a child process so its memory is not counted against the view.
The figures also go to JSON (--json PATH; see bench_common.py); --smoke: 300 texts in a
temporary folder, to check that the benchmark runs.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any
from pathlib import Path

from bench_common import add_run_options, save_results

WORDS = ("good great fine love excellent bad awful terrible hate poor movie film food plot acting "
         "service price fast slow delivery 好吃 不错 很差 太慢 服务 味道 一般 推荐").split()


def generate(path: Path, rows: int) -> None:
    """A project of ``rows`` texts of 8–40 words; about half labelled, 80/10/10 splits."""
    from bertdesk.core import Split
    from bertdesk.store import Project

    rng = random.Random(0)
    with Project.create(path) as project:
        with project.bulk_writer() as writer:
            labels = [writer.label_id(name) for name in ("positive", "negative", "neutral")]
            for i in range(rows):
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
                split = Split.TRAIN if i % 10 < 8 else (Split.VALIDATION if i % 10 == 8 else Split.TEST)
                chosen = (rng.choice(labels),) if rng.random() < 0.5 else ()
                writer.add(f"{i}: {text}", split, chosen)
        project.update_search_index()  # as the app does after a large import


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def until_counted(view: Any) -> float:
    """Seconds until the background count of the filter's matches reaches the view."""
    from PySide6.QtWidgets import QApplication

    start = time.perf_counter()
    while view.model.counting:
        QApplication.processEvents()
        time.sleep(0.005)
    return time.perf_counter() - start


def measure(path: Path) -> dict[str, float]:
    """Drive the real LabelView the way a user would and time each step until it has painted."""
    from PySide6.QtWidgets import QApplication

    from bertdesk.gui.labeling.label_view import LabelView
    from bertdesk.gui.common.session import ProjectSession
    from bertdesk.store import Project

    app = QApplication.instance() or QApplication([])
    figures: dict[str, float] = {}
    holder: dict[str, LabelView] = {}

    def open_and_show() -> None:
        view = LabelView(ProjectSession(Project.open(path)))
        view.resize(1200, 800)
        view.show()
        app.processEvents()
        holder["view"] = view

    figures["open + first page"] = timed(open_and_show)
    view = holder["view"]
    figures["  + count shown (all texts)"] = until_counted(view)
    figures["jump to last row"] = timed(lambda: (view.move_to(view.model.rowCount() - 1), app.processEvents()))
    positive = next(label.id for label in view.project.labels() if label.name == "positive")
    label_index = view.label_filter.findData(int(positive))

    def filter_label() -> None:
        view.label_filter.setCurrentIndex(label_index)
        view.apply_filter()
        app.processEvents()

    figures["label filter (first page shown)"] = timed(filter_label)
    figures["  + count shown (label filter)"] = until_counted(view)
    figures["label filter, jump to last row"] = timed(
        lambda: (view.move_to(view.model.rowCount() - 1), app.processEvents()))
    view.label_filter.setCurrentIndex(0)

    def search(needle: str) -> Callable[[], None]:
        def run() -> None:
            view.search.setText(needle)
            view.apply_filter()
            app.processEvents()
        return run

    figures["text search 'terrible' (first page)"] = timed(search("terrible"))
    figures["  + count shown ('terrible')"] = until_counted(view)
    figures["  matches"] = float(view.model.rowCount())
    figures["text search '味道' (first page)"] = timed(search("味道"))
    figures["  + count shown ('味道')"] = until_counted(view)
    figures["text search '12345:' (rare)"] = timed(search("12345:"))
    until_counted(view)
    figures["  rare matches"] = float(view.model.rowCount())
    view.search.setText("")
    view.apply_filter()
    until_counted(view)
    figures["label a row (commit + repaint)"] = timed(lambda: (view.label_selection(positive), app.processEvents()))
    figures["peak memory MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    view.shutdown()
    view.project.close()
    return figures


def measure_window(path: Path) -> dict[str, float]:
    """The main window around the view: after a label key, the status bar, the statistics and
    the training panel show new counts. Counting a big project takes over a second (printed
    as the plain alternative: counting on the GUI thread, as each view once did); the window
    counts off the GUI thread, so a key returns at once and timer beats keep coming."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from bertdesk.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1200, 800)
    figures = {"window: open project": timed(lambda: (window.open_project(path), window.show(),
                                                      app.processEvents()))}
    session, view = window.session, window.label_view
    assert session is not None and view is not None
    figures["plain alternative: one count on the GUI thread"] = timed(session.project.stats)
    counted: list[float] = []
    session.stats_changed.connect(lambda _stats: counted.append(time.perf_counter()))
    beats: list[float] = []
    beat = QTimer()
    beat.timeout.connect(lambda: beats.append(time.perf_counter()))
    beat.start(20)
    view.table.setFocus()
    start = time.perf_counter()
    QTest.keyClick(view.table, "1")
    app.processEvents()
    figures["window: label key until the window is free"] = time.perf_counter() - start
    while not counted and time.perf_counter() - start < 60:
        app.processEvents()
        time.sleep(0.002)
    beat.stop()
    figures["  + new counts shown"] = counted[0] - start
    figures["  longest pause between 20 ms timer beats"] = max(b - a for a, b in zip(beats, beats[1:]))
    window.close()
    return figures


def measure_suggestions(path: Path) -> dict[str, float]:
    """Suggestions in the view (issue 17), by the store calls its pages make: "least confident
    first" (the unlabelled texts by ascending margin, in keyset pages of 200) with each page's
    suggestions read by id, and the filters of disagreements and of confident suggestions of one
    label. The suggestions are random values, stored once (values do not change a page's speed;
    the fast model on a million texts would take minutes): that write is timed too."""
    from bertdesk.store import ExampleFilter, Project, SuggestionState
    from bertdesk.store.suggestions import MARGIN_KIND

    figures: dict[str, float] = {}
    with Project.open(path) as project:
        labels = [label.id for label in project.labels()]
        if project.suggestion_state() is None:
            rng = random.Random(1)
            rows = [(example_id, rng.choice(labels), rng.uniform(0.34, 1.0), rng.random(), rng.uniform(0, 1.1))
                    for example_id in range(1, project.count() + 1)]  # generated ids run from 1
            figures["store suggestions of every text (once)"] = timed(lambda: project.save_suggestions(rows))
            project.set_suggestion_state(SuggestionState("fast", None, 0, tuple(labels), True, True, time.time()))

        def first_page(example_filter: ExampleFilter) -> Callable[[], object]:
            return lambda: project.suggestions([r.row.id for r in project.page_by_score(example_filter, MARGIN_KIND)])

        least_confident = ExampleFilter(unlabeled=True)
        figures["least confident first (first page)"] = timed(first_page(least_confident))
        after = project.page_by_score(least_confident, MARGIN_KIND, limit=100_000)[-1].key
        figures["  the page after 100,000 rows"] = timed(
            lambda: project.page_by_score(least_confident, MARGIN_KIND, after=after))
        figures["disagreements, least confident first"] = timed(first_page(ExampleFilter(disagreeing=True)))
        confident = ExampleFilter(unlabeled=True, suggested_label_id=labels[0], min_confidence=0.9)
        figures["confident suggestions of a label"] = timed(lambda: project.page_after(confident, 0, 200))
        figures["  + count shown (confident)"] = timed(lambda: project.count(confident))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--project", type=Path, default=Path("/tmp/label_view_speed.bertdesk"))
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    add_run_options(parser)
    args = parser.parse_args()
    if args.generate_only:
        generate(args.project, args.rows)
        return 0
    if not args.smoke:
        save_results(args, measure_and_print(args))
        return 0
    args.rows = 300
    with tempfile.TemporaryDirectory() as scratch:
        args.project = Path(scratch) / "smoke.bertdesk"
        save_results(args, measure_and_print(args))
    return 0


def measure_and_print(args: argparse.Namespace) -> dict[str, Any]:
    """Generate the project unless it exists, time the view and the window, print the figures."""
    if not args.project.exists():
        print(f"generating {args.rows:,} texts into {args.project} …", flush=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generate-only", "--rows", str(args.rows),
                        "--project", str(args.project)], check=True)
        print(f"  generated in {time.perf_counter() - started:.1f} s")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    figures = measure(args.project)
    figures.update(measure_window(args.project))
    figures.update(measure_suggestions(args.project))
    for name, value in figures.items():
        if "MB" in name or "matches" in name:
            print(f"{name:36s} {value:10.0f}")
        else:
            print(f"{name:36s} {value * 1000:10.1f} ms")
    return {"rows": args.rows, "unit": "seconds, except the MB and matches rows", "figures": figures}


if __name__ == "__main__":
    sys.exit(main())
