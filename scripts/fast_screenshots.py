"""Screenshots of the fast model and the baseline on the Train tab, at a laptop's 1200×800.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/fast_screenshots.py [--out docs/screenshots]

For the English and Chinese interface, on the demo project of that language:
``train-fast-<language>.png``, the Train tab with "Fast" picked (the fine-tuning settings greyed
out) after a fast run, and ``train-baseline-<language>.png``, the end of a short run of the
automatically chosen built-in model with the fast baseline beside its scores (one epoch, so
the sentence for a run that does not beat the baseline shows when it does not).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import save, shoot_each_language, wait_until  # noqa: E402  (the other screenshot scripts' helpers)


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
    from PySide6.QtWidgets import QMessageBox

    # A message box (a failed run) would wait for a click that never comes: print it.
    QMessageBox.critical = QMessageBox.warning = (  # type: ignore[method-assign]
        lambda _parent, title, text, *rest: print(f"{title}: {text}") or QMessageBox.StandardButton.Ok
    )
    return shoot_each_language(__doc__.splitlines()[0], shoot, argv)


if __name__ == "__main__":
    raise SystemExit(main())
