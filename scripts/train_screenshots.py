"""Screenshots of the training panel mid-run, the run history and the evaluation view.

Trains the packaged default model for real on the demo project (English, then Chinese) in the
main window at a small laptop's 1200×800: a run to the end, shot mid-run, then a second run
stopped early, so the history shows a finished and a stopped run (and Resume). Writes
``docs/screenshots/train_*.png`` and, unless ``--no-eval``, ``eval_*.png``. Run it under a
virtual display::

    apt-get install -y xvfb fonts-noto-cjk
    xvfb-run -a -s "-screen 0 1600x1000x24" python scripts/train_screenshots.py

``--sst2 N`` instead trains on an N-text sample of SST-2 through the panel and prints the
validation accuracy and the wall time (the figures quoted in the README).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

REPO = Path(__file__).resolve().parent.parent
SHOTS = REPO / "docs" / "screenshots"
SST2_DIR = REPO.parent / "shared" / "data" / "sst2"
WINDOW_SIZE = (1200, 800)


def wait_until(app: QApplication, condition: Any, timeout: float) -> None:
    """Keep the event loop running until ``condition()`` holds (the jobs poll on it)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screenshot scene did not get ready in time")
        app.processEvents()
        time.sleep(0.02)


def settle(app: QApplication, seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    widget.grab().save(str(path), "PNG")
    print(f"wrote {path.relative_to(REPO)}")


def set_language(app: QApplication, language: str) -> None:
    from bertdesk.gui.app import use_cjk_font
    from bertdesk.gui.common.settings import install_translator

    install_translator(app, "zh_CN" if language == "zh" else "en")
    use_cjk_font(app)


def choose_settings(panel: Any, preset: str, epochs: float | None) -> None:
    panel.settings.preset_box.setCurrentIndex(panel.settings.preset_box.findData(preset))
    if epochs:
        panel.settings.input_for("epochs").setValue(epochs)


def train_and_shoot(
    app: QApplication, language: str, workdir: Path, preset: str, epochs: float | None, evaluate: bool
) -> None:
    from bertdesk.demo import build_demo_project
    from bertdesk.gui.main_window import MainWindow
    from bertdesk.gui.training.run_history import RunHistory
    from bertdesk.gui.training.train_panel import TrainPanel

    set_language(app, language)
    path = build_demo_project(workdir / f"demo_{language}.bertdesk", language)
    window = MainWindow()
    window.resize(*WINDOW_SIZE)
    window.show()
    window.open_project(path)
    window.tabs.setCurrentIndex(1)  # Train
    panel = window.findChild(TrainPanel)
    history = window.findChild(RunHistory)
    assert window.session is not None and panel is not None and history is not None
    project = window.session.project
    choose_settings(panel, preset, epochs)
    wait_until(app, lambda: "…" not in panel.coverage_label.text(), 120)
    panel.start()
    # Mid-run: past the first evaluations, so every curve has points.
    wait_until(
        app, lambda: panel.curves.point_counts()["evaluations"] >= 2 or not panel.running, 1800
    )
    settle(app)
    save(window, f"train_panel_{language}.png")
    wait_until(app, lambda: not panel.running, 3600)
    finished = panel.last_result
    print(f"{language}: run {finished.run_id} {finished.status}, metrics {finished.metrics}")
    panel.start()  # a second run, stopped early: the history shows it, and Resume offers it
    wait_until(app, lambda: panel.curves.point_counts()["steps"] >= 5 or not panel.running, 600)
    panel.stop()
    wait_until(app, lambda: not panel.running, 600)
    stopped = panel.last_result
    history.select_runs([finished.run_id, stopped.run_id])
    settle(app)
    save(window, f"train_history_{language}.png")
    if evaluate:
        shoot_evaluation(app, project, finished, language)
    window.close()
    window.deleteLater()
    settle(app)


def shoot_evaluation(app: QApplication, project: Any, result: Any, language: str) -> None:
    from bertdesk.gui.common.session import ProjectSession
    from bertdesk.gui.evaluation.eval_view import EvalView

    view = EvalView(ProjectSession(project))
    view.resize(*WINDOW_SIZE)
    view.show()
    view.set_run(result.run_id)
    wait_until(app, lambda: view.report is not None, 600)
    report = view.report
    size = len(report.label_names)
    cells = [(t, p) for t in range(size) for p in range(size) if t != p]
    worst = max(cells, key=lambda cell: report.confusion[cell[0]][cell[1]])
    view.show_cell(*worst)
    settle(app)
    save(view, f"eval_view_{language}.png")
    view.find_mislabelled()
    wait_until(app, lambda: bool(view.mislabelled.examples), 600)
    settle(app)
    save(view, f"eval_mislabelled_{language}.png")
    view.shutdown()
    view.close()
    view.deleteLater()
    settle(app)  # let Qt delete the widgets while the project is still open


def sst2_sample_run(app: QApplication, size: int, workdir: Path, preset: str, epochs: float | None) -> None:
    """Train the default model through the panel on ``size`` SST-2 texts; print accuracy and time."""
    from bertdesk.core import Split
    from bertdesk.gui.common.session import ProjectSession
    from bertdesk.gui.training.train_panel import TrainPanel
    from bertdesk.store import Project

    rows = (SST2_DIR / "train.tsv").read_text(encoding="utf-8").splitlines()[1:]
    sample = random.Random(0).sample(rows, size)
    dev = (SST2_DIR / "dev.tsv").read_text(encoding="utf-8").splitlines()[1:]
    with Project.create(workdir / "sst2.bertdesk") as project:
        with project.bulk_writer() as writer:
            for split, lines in ((Split.TRAIN, sample), (Split.VALIDATION, dev)):
                for line in lines:
                    text, label = line.rsplit("\t", 1)
                    name = "positive" if label.strip() == "1" else "negative"
                    writer.add(text, split, [writer.label_id(name)])
        panel = TrainPanel(ProjectSession(project))
        panel.resize(*WINDOW_SIZE)
        choose_settings(panel, preset, epochs)
        panel.show()
        started = time.perf_counter()
        panel.start()
        wait_until(app, lambda: panel.job is not None and not panel.running, 7200)
        wall = time.perf_counter() - started
        result = panel.last_result
        panel.shutdown()
        panel.deleteLater()
        settle(app)
        print(
            f"SST-2 sample: {size} training texts, {len(dev)} validation texts, preset "
            f"{preset}, epochs {panel.settings.values()['epochs']:g}: {result.status}, accuracy "
            f"{result.metrics.get('accuracy', float('nan')):.4f}, macro-F1 "
            f"{result.metrics.get('macro_f1', float('nan')):.4f}, wall time {wall:.0f} s"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", nargs="+", default=["en", "zh"])
    parser.add_argument("--sst2", type=int, default=0, help="train on an N-text SST-2 sample instead")
    parser.add_argument("--preset", default="quick", choices=["quick", "balanced", "thorough"])
    parser.add_argument("--epochs", type=float, default=None, help="override the preset's epochs")
    parser.add_argument("--no-eval", action="store_true", help="only the training shots")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    # A failed run would open a dialog nobody can click under xvfb: print it and go on.
    for kind in ("critical", "warning", "question"):
        setattr(QMessageBox, kind, staticmethod(lambda _parent, title, text, *a, **k: print(title, text)))
    with tempfile.TemporaryDirectory() as folder:
        # The window keeps recent projects and its geometry: in the throwaway folder, not yours.
        os.environ.setdefault("BERTDESK_CONFIG_DIR", str(Path(folder) / "config"))
        os.environ.setdefault("BERTDESK_DATA_DIR", str(Path(folder) / "data"))
        if args.sst2:
            sst2_sample_run(app, args.sst2, Path(folder), args.preset, args.epochs)
        else:
            for language in args.languages:
                train_and_shoot(app, language, Path(folder), args.preset, args.epochs, not args.no_eval)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
