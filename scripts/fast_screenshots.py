"""Screenshots of the fast model and the baseline on the Train tab, at a laptop's 1200×800.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/fast_screenshots.py [--out docs/screenshots]

For the English and Chinese interface, on the demo project of that language:
``train-fast-<language>.png``, the Train tab with "Fast" picked (the fine-tuning settings greyed
out) after a fast run, and ``train-baseline-<language>.png``, the end of a short run of the
automatically chosen built-in model with the fast baseline beside its scores (one epoch, so
the sentence for a run that does not beat the baseline shows when it does not).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import LOCALES, REPO, save  # noqa: E402  (the other screenshot scripts' helpers)


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the scene did not get ready in time")
        QApplication.processEvents()
        time.sleep(0.05)


def shoot(language: str, project_path: Path, out: Path) -> None:
    from bertdesk.gui.main_window import MainWindow
    from bertdesk.gui.training.train_models import AUTO_SPEC, FAST_SPEC
    from bertdesk.gui.training.train_panel import TrainPanel

    window = MainWindow()
    window.resize(1200, 800)
    window.show()
    if not window.open_project(project_path):
        raise SystemExit(f"could not open {project_path}")
    window.tabs.setCurrentIndex(1)  # Train
    panel: Any = window.findChild(TrainPanel)
    settings = panel.settings

    panel.models.combo.setCurrentIndex(panel.models.combo.findData(FAST_SPEC))
    settings.advanced_button.setChecked(True)  # the greyed-out settings in sight
    panel.start()
    wait_until(lambda: not panel.running, 300)
    print(f"{language}: fast run {panel.last_result.status}, {panel.last_result.metrics.get('accuracy')}")
    save(window, out / f"train-fast-{language}.png")

    panel.models.combo.setCurrentIndex(panel.models.combo.findData(AUTO_SPEC))
    settings.advanced_button.setChecked(False)
    settings.preset_box.setCurrentIndex(settings.preset_box.findData("quick"))
    settings.input_for("epochs").setValue(1.0)
    settings.input_for("min_steps").setValue(0)
    wait_until(lambda: panel.coverage_job is None or not panel.coverage_job.running, 300)
    panel.start()
    wait_until(lambda: not panel.running, 1800)
    result = panel.last_result
    print(f"{language}: run {result.status}, {result.metrics.get('macro_f1')}, "
          f"baseline {result.metrics.get('baseline')}")
    save(window, out / f"train-baseline-{language}.png")
    window.close_project()
    window.close()


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--languages", nargs="+", default=["en", "zh"])
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        os.environ["BERTDESK_CONFIG_DIR"] = str(Path(work) / "config")
        os.environ["BERTDESK_DATA_DIR"] = str(Path(work) / "data")
        from PySide6.QtWidgets import QApplication, QMessageBox

        from bertdesk.demo import build_demo_project
        from bertdesk.gui.app import use_cjk_font
        from bertdesk.gui.common.settings import install_translator, settings

        app = QApplication(sys.argv[:1])
        app.setApplicationName("bertdesk")
        use_cjk_font(app)
        # A message box (a failed run) would wait for a click that never comes: print it.
        QMessageBox.critical = QMessageBox.warning = (  # type: ignore[method-assign]
            lambda _parent, title, text, *rest: print(f"{title}: {text}") or QMessageBox.StandardButton.Ok
        )
        for language in args.languages:
            settings().setValue("language", LOCALES[language])
            if install_translator(app, LOCALES[language]) is None and language != "en":
                raise SystemExit("no compiled translation: run scripts/build_translations.py")
            shoot(language, build_demo_project(Path(work) / f"demo_{language}.bertdesk", language), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
