"""Screenshots of Help ▸ Check this computer over the main window, in English and Chinese.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/doctor_screenshots.py [--out docs/screenshots]

Saves ``doctor_<language>.png``: the whole 1200x800 screen with the window (the demo project
open) and the dialog once its checks are shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from screenshots import shoot_each_language, wait_until


def shoot(language: str, project_path: Path, out: Path) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from bertdesk.gui.doctor_dialog import DoctorDialog
    from bertdesk.gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1200, 800)
    window.move(0, 0)
    window.show()
    if not window.open_project(project_path):
        raise SystemExit(f"could not open {project_path}")
    dialog = DoctorDialog(project_path.parent, window)
    dialog.show()
    dialog.move((1200 - dialog.width()) // 2, (800 - dialog.height()) // 2)
    wait_until(lambda: bool(dialog.checks), timeout=120)
    for _ in range(10):
        QApplication.processEvents()
    path = out / f"doctor_{language}.png"
    screen = QGuiApplication.primaryScreen()
    screen.grabWindow(0).save(str(path))
    print(f"wrote {path}", flush=True)
    dialog.close()
    window.close_project()
    window.close()


def main(argv: Optional[list[str]] = None) -> int:
    return shoot_each_language(__doc__.splitlines()[0], shoot, argv)


if __name__ == "__main__":
    raise SystemExit(main())
