"""Screenshots of the main window's Label tab, focus mode, the label manager and the language dialog.

    xvfb-run -a python scripts/screenshots.py [--out docs/screenshots] [--languages en zh]

For English and Chinese: builds the demo project in a temporary folder (settings go to a
temporary folder too, so your own are untouched), opens it in the real main window and
saves ``main_label_<language>.png``, ``focus_mode_<language>.png``,
``label_manager_<language>.png``, ``language_<language>.png`` and ``split_dialog_<language>.png``. Chinese needs the compiled
translations (``python scripts/build_translations.py``) and a CJK font (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

REPO = Path(__file__).resolve().parent.parent
LOCALES = {"en": "en", "zh": "zh_CN"}


def save(widget, path: Path) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QApplication

    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path}", flush=True)


def shoot(language: str, project_path: Path, out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from bertdesk.gui.labeling.label_manager import LabelManager
    from bertdesk.gui.main_window import LanguageDialog, MainWindow, SplitDialog

    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    if not window.open_project(project_path):
        raise SystemExit(f"could not open {project_path}")
    view = window.label_view
    first_unlabeled = next(row for row in range(view.model.rowCount()) if not view.model.row(row).label_ids)
    view.move_to(first_unlabeled)
    QApplication.processEvents()
    save(window, out / f"main_label_{language}.png")

    window.focus_action.trigger()
    save(window, out / f"focus_mode_{language}.png")
    window.focus_action.trigger()

    manager = LabelManager(window.session, window)
    manager.show()
    save(manager, out / f"label_manager_{language}.png")
    manager.close()

    dialog = LanguageDialog(window)
    dialog.show()
    save(dialog, out / f"language_{language}.png")
    dialog.close()

    splits = SplitDialog(window)
    splits.anew.setChecked(True)
    splits.show()
    save(splits, out / f"split_dialog_{language}.png")
    splits.close()
    window.close_project()
    window.close()


def open_main_window(project_path: Path, size: tuple[int, int]) -> Any:
    """The main window at ``size`` in the screen's top-left corner, with the project open."""
    from bertdesk.gui.main_window import MainWindow

    window = MainWindow()
    window.resize(*size)
    window.move(0, 0)
    window.show()
    if not window.open_project(project_path):
        raise SystemExit(f"could not open {project_path}")
    return window


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    """Let the window work (background jobs, repaints) until ``condition`` holds."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the scene did not get ready in time")
        QApplication.processEvents()
        time.sleep(0.05)


def shoot_each_language(
    description: str, shoot: Callable[[str, Path, Path], None], argv: Optional[list[str]] = None,
    demo_language: Optional[str] = None,
) -> int:
    """The screenshot scripts' main: for each interface language asked for, a fresh demo
    project (of ``demo_language``, else of the interface's) handed to ``shoot(language,
    project, out)``, with settings in a temporary folder so the user's own are untouched."""
    parser = argparse.ArgumentParser(description=description)
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
            demo = demo_language or language
            shoot(language, build_demo_project(Path(work) / f"demo_{demo}_{language}.bertdesk", demo), args.out)
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    return shoot_each_language(__doc__.splitlines()[0], shoot, argv)


if __name__ == "__main__":
    raise SystemExit(main())
