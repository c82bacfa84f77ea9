"""Screenshots of the start page (with recent projects, one of them missing) and of a new
project's "Import texts…" step, in English and Chinese.

    xvfb-run -a -s "-screen 0 1600x1000x24" python scripts/start_page_screenshots.py \
        [--out docs/screenshots] [--size 1200x800]

Writes ``start_page_<language>.png`` and ``empty_project_<language>.png``. Settings and the
projects go to a temporary folder, so your own are untouched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCALES = {"en": "en", "zh": "zh_CN"}


def save(widget, path: Path) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QApplication

    for _ in range(10):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path}", flush=True)


def shoot(language: str, folder: Path, out: Path, width: int, height: int) -> None:
    from bertdesk.gui.common.settings import settings
    from bertdesk.gui.main_window import MainWindow
    from bertdesk.store import Project

    projects = folder / language / "Documents"
    projects.mkdir(parents=True)
    names = ("customer-reviews", "support-tickets") if language == "en" else ("外卖评论", "客服工单")
    recent = []
    for name in names:
        path = projects / f"{name}.bertdesk"
        Project.create(path).close()
        recent.append(str(path))
    recent.append(str(projects / "moved-away.bertdesk"))  # shown as missing
    settings().setValue("recent", recent)
    window = MainWindow()
    window.resize(width, height)
    window.show()
    save(window, out / f"start_page_{language}.png")
    window.open_project(Path(recent[0]))
    save(window, out / f"empty_project_{language}.png")
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--size", default="1200x800")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BERTDESK_CONFIG_DIR"] = str(Path(folder) / "config")
        os.environ["BERTDESK_DATA_DIR"] = str(Path(folder) / "data")
        sys.path.insert(0, str(REPO))
        from PySide6.QtWidgets import QApplication

        from bertdesk.gui.app import use_cjk_font
        from bertdesk.gui.common.settings import install_translator

        app = QApplication(sys.argv)
        app.setOrganizationName("bertdesk")
        use_cjk_font(app)
        for language, locale in LOCALES.items():
            install_translator(app, locale)
            shoot(language, Path(folder), args.out, width, height)
    return 0


if __name__ == "__main__":
    sys.exit(main())
