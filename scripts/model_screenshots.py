"""Screenshots of the model choice on the Train tab: the picker open, and a Chinese project's
coverage line with "Automatic" and with the English built-in model picked.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/model_screenshots.py [--out docs/screenshots]

For the English and Chinese interface, on the Chinese demo project: ``model_picker_<language>.png``
(the screen, so the open list shows), ``model_auto_zh_texts_<language>.png`` and
``model_english_on_zh_texts_<language>.png``. The multilingual model is converted into the
model cache on first use (seconds).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import save, shoot_each_language, wait_until  # noqa: E402  (the other screenshot scripts' helpers)


def wait_for_coverage(panel: Any) -> None:
    wait_until(lambda: panel.coverage_job is not None and not panel.coverage_job.running, 180)


def shoot(language: str, project_path: Path, out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from bertdesk.gui.main_window import MainWindow
    from bertdesk.gui.training.train_panel import TrainPanel

    window = MainWindow()
    window.resize(1200, 800)
    window.show()
    if not window.open_project(project_path):
        raise SystemExit(f"could not open {project_path}")
    window.tabs.setCurrentIndex(1)
    panel = window.findChild(TrainPanel)
    wait_for_coverage(panel)
    save(window, out / f"model_auto_zh_texts_{language}.png")

    panel.models.combo.showPopup()
    for _ in range(10):
        QApplication.processEvents()
    path = out / f"model_picker_{language}.png"
    QApplication.primaryScreen().grabWindow(0).save(str(path))  # the popup is a window of its own
    print(f"wrote {path}", flush=True)
    panel.models.combo.hidePopup()

    panel.models.combo.setCurrentIndex(panel.models.combo.findData("default"))
    wait_for_coverage(panel)
    save(window, out / f"model_english_on_zh_texts_{language}.png")
    window.close_project()
    window.close()


def main(argv: Optional[list[str]] = None) -> int:
    return shoot_each_language(__doc__.splitlines()[0], shoot, argv, demo_language="zh")


if __name__ == "__main__":
    raise SystemExit(main())
