"""Screenshots of the prediction tab (with a highlighted explanation) and the batch dialog.

    xvfb-run -a python scripts/predict_screenshots.py [--models DIR] [--out docs/screenshots]

For English and Chinese: builds the demo project in a temporary folder, fine-tunes the
packaged default model on it with the quick preset run for 8 epochs (about five minutes on a
CPU), types a few sentences into the prediction tab, waits for the answer and its
explanation, and saves ``predict_<language>.png``; then predicts the project's unlabeled
texts in the batch dialog and saves ``predict_batch_<language>.png``. ``--models DIR`` uses
models fine-tuned before (``DIR/en``, ``DIR/zh``) instead of training. Chinese needs the
compiled translations (``python scripts/build_translations.py``) and a CJK font (Debian:
fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

REPO = Path(__file__).resolve().parent.parent
LOCALES = {"en": "en", "zh": "zh_CN"}
TEXTS = {
    "en": ["The phone comes in three colours.",
           "Delivery was late and the box was damaged.",
           "Great food and friendly staff, but the delivery was slow."],
    "zh": ["手机有三种颜色可选。",
           "快递送晚了，箱子还压坏了。",
           "菜很好吃，服务也热情，就是送得有点慢。"],
}


def wait_until(condition: Callable[[], object], timeout: float = 120.0) -> None:
    """Let the event loop run until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state in time")
        QApplication.processEvents()
        time.sleep(0.02)


def pause(seconds: float) -> None:
    wait_until(lambda end=time.monotonic() + seconds: time.monotonic() >= end)


def demo_project_with_model(folder: Path, language: str, models: Optional[Path]) -> Path:
    """The demo project with one finished run: trained now, or copied from ``models``."""
    from bertdesk.demo import build_demo_project
    from bertdesk.store import Project

    path = build_demo_project(folder / f"demo_{language}.bertdesk", language)
    with Project.open(path) as project:
        if models is not None:
            run_id = project.create_run("screenshots", str(models / language), {})
            shutil.copytree(models / language, project.runs_dir / str(run_id) / "best")
            project.update_run(run_id, status="finished", finished=True)
            return path
        from bertdesk.ml.config import TrainConfig
        from bertdesk.ml.training import train

        # The demo holds about 250 labelled texts: one epoch of the quick preset is six
        # steps, which leaves the model near chance, so the quick preset runs longer here.
        print(f"fine-tuning the default model on the {language} demo (quick, 8 epochs)…")
        result = train(project, TrainConfig.from_preset("quick", epochs=8, batch_size=16))
        if result.status != "finished":
            raise SystemExit(f"training failed: {result.error}")
    return path


def save(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    print(f"wrote {path}", flush=True)


def shoot(language: str, project_path: Path, out: Path) -> None:
    """The main window on the Predict tab after a few texts, then the batch dialog."""
    from bertdesk.gui.prediction.batch_predict import BatchPredictDialog
    from bertdesk.gui.main_window import MainWindow
    from bertdesk.gui.prediction.predict_tab import PredictTab

    window = MainWindow()
    window.resize(1200, 800)
    window.show()
    window.open_project(project_path)
    tab = next(w for w in window.tab_widgets() if isinstance(w, PredictTab))
    window.tabs.setCurrentWidget(tab)
    wait_until(lambda: tab.engine.predictor is not None)
    for text in TEXTS[language]:
        tab.input.setPlainText(text)
        wait_until(lambda t=text: tab.explanation_view.explanation is not None
                   and tab.prediction_text == t)
        pause(1.8)  # settles into the history
    save(window, out / f"predict_{language}.png")

    dialog = BatchPredictDialog(
        tab.model_folder, tab.session, tab.run_id, window, predictor=tab.engine.predictor
    )
    dialog.resize(900, 560)
    dialog.show()
    dialog.project_choice.setChecked(True)
    dialog.start()
    wait_until(lambda: dialog.job is None)
    # Least confident first: the texts most worth labelling by hand.
    dialog.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    pause(0.3)
    save(dialog, out / f"predict_batch_{language}.png")
    dialog.close()
    window.close()


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--models", type=Path, help="folder with fine-tuned models en/ and zh/")
    parser.add_argument("--languages", nargs="+", default=["en", "zh"])
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as settings:  # leave the user's settings alone
        os.environ["BERTDESK_CONFIG_DIR"] = os.environ["BERTDESK_DATA_DIR"] = settings
        return shoot_all(args)


def shoot_all(args: argparse.Namespace) -> int:
    from bertdesk.gui.app import use_cjk_font
    from bertdesk.gui.common.settings import install_translator

    app = QApplication(sys.argv[:1])
    use_cjk_font(app)
    with tempfile.TemporaryDirectory() as work:
        for language in args.languages:
            if install_translator(app, LOCALES[language]) is None and language != "en":
                raise SystemExit("no compiled translation: run scripts/build_translations.py")
            shoot(language, demo_project_with_model(Path(work), language, args.models), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
