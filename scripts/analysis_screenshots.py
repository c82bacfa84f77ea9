"""Screenshots of the Evaluate tab's analyses on the demo project, in English and Chinese.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/analysis_screenshots.py [--out docs/screenshots]

With the fast model (seconds), as a person would start them from the tab: saves
``analysis_cv_dialog_<language>.png`` (the settings asked before a cross-validation),
``analysis_cv_<language>.png`` (5 folds, each fold's scores and mean ± std),
``analysis_label_errors_<language>.png`` (the review of likely label errors it found),
``analysis_label_errors_combined_<language>.png`` (the same after a 3-fold cross-validation of
the built-in model "auto" picks, quick preset, with "Combine the models" ticked) and
``analysis_learning_curve_<language>.png`` (the curve, its fitted law and band, the verdict):
the whole 1200x800 screen with the main window on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from screenshots import open_main_window, shoot_each_language, wait_until

SCREEN = (1200, 800)
JOB_SECONDS = 300


def save_screen(path: Path) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    for _ in range(10):
        QApplication.processEvents()
    QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
    print(f"wrote {path}", flush=True)


def shoot(language: str, project_path: Path, out: Path) -> None:
    from bertdesk.gui.evaluation.analysis_settings import CrossValidationDialog
    from bertdesk.gui.evaluation.eval_view import EvalView
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.learning_curve import default_samples

    window = open_main_window(project_path, SCREEN)
    view = window.findChild(EvalView)
    assert view is not None
    window.tabs.setCurrentWidget(view)
    fast = TrainConfig.from_preset("balanced", model="fast")

    panel = view.cross_validation
    view.pages.setCurrentWidget(panel)
    dialog: Any = CrossValidationDialog(window)
    dialog.show()
    dialog.move((SCREEN[0] - dialog.width()) // 2, (SCREEN[1] - dialog.height()) // 2)
    save_screen(out / f"analysis_cv_dialog_{language}.png")
    dialog.reject()

    panel.start(fast, 5)
    wait_until(lambda: panel.run is not None and not panel.running, timeout=JOB_SECONDS)
    save_screen(out / f"analysis_cv_{language}.png")

    review = view.label_errors
    view.pages.setCurrentWidget(review)
    wait_until(lambda: review.report is not None, timeout=JOB_SECONDS)
    review.table.setFocus()
    save_screen(out / f"analysis_label_errors_{language}.png")

    view.pages.setCurrentWidget(panel)
    fast_run = panel.run.id
    panel.start(TrainConfig.from_preset("quick", model="auto"), 3)
    wait_until(lambda: panel.run is not None and not panel.running and panel.run.id != fast_run,
               timeout=3 * JOB_SECONDS)  # three fine-tuning runs
    view.pages.setCurrentWidget(review)
    review.combine_box.setChecked(True)
    wait_until(lambda: review.report is not None and len(review.report.weights) > 1, timeout=JOB_SECONDS)
    review.table.setFocus()
    save_screen(out / f"analysis_label_errors_combined_{language}.png")

    curve = view.learning_curve
    view.pages.setCurrentWidget(curve)
    curve.start(fast, "macro_f1", default_samples("fast"))
    wait_until(lambda: curve.curve is not None and not curve.running, timeout=JOB_SECONDS)
    save_screen(out / f"analysis_learning_curve_{language}.png")
    window.close_project()
    window.close()


def main(argv: Optional[list[str]] = None) -> int:
    return shoot_each_language(__doc__.splitlines()[0], shoot, argv)


if __name__ == "__main__":
    raise SystemExit(main())
