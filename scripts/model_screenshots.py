"""Screenshots of the model choice on the Train tab: the picker open, and a Chinese project's
coverage line with "Automatic" and with the English built-in model picked.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/model_screenshots.py [--out docs/screenshots]

For the English and Chinese interface, on the Chinese demo project: ``model_picker_<language>.png``
(the screen, so the open list shows), ``model_auto_zh_texts_<language>.png`` and
``model_english_on_zh_texts_<language>.png``. The multilingual model is converted into the
model cache on first use (seconds).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import LOCALES, REPO, save  # noqa: E402  (the other screenshot scripts' helpers)


def wait_for_coverage(panel: Any) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if panel.coverage_job is not None and not panel.coverage_job.running:
            break
        time.sleep(0.05)
    for _ in range(10):
        QApplication.processEvents()


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--languages", nargs="+", default=["en", "zh"])
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        os.environ["BERTDESK_CONFIG_DIR"] = str(Path(work) / "config")
        os.environ["BERTDESK_DATA_DIR"] = str(Path(work) / "data")
        from PySide6.QtWidgets import QApplication

        from bertdesk.demo import build_demo_project
        from bertdesk.gui.app import use_cjk_font
        from bertdesk.gui.common.settings import install_translator, settings

        app = QApplication(sys.argv[:1])
        app.setApplicationName("bertdesk")
        use_cjk_font(app)
        for language in args.languages:
            settings().setValue("language", LOCALES[language])
            if install_translator(app, LOCALES[language]) is None and language != "en":
                raise SystemExit("no compiled translation: run scripts/build_translations.py")
            shoot(language, build_demo_project(Path(work) / f"demo_zh_{language}.bertdesk", "zh"), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
