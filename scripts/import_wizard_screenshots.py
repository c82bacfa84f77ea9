"""Screenshots of every import wizard page, importing a GBK copy of waimai_10k for real, the
preview of a TSV without a header line, and that of a report with a title above its header.

Writes ``docs/screenshots/import_wizard_*.png`` (English) and ``import_wizard_zh_*.png``
(Chinese). Run it under a virtual display::

    apt-get install -y xvfb fonts-noto-cjk
    xvfb-run -a -s "-screen 0 1280x1024x24" python scripts/import_wizard_screenshots.py
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

REPO = Path(__file__).resolve().parent.parent
SHOTS = REPO / "docs" / "screenshots"
WAIMAI_CSV = REPO.parent / "shared" / "data" / "waimai_10k.csv"
ZH_PAGES = ("2_preview", "3_columns", "4_check", "5_progress", "6_summary", "8_no_header", "9_title_rows")


def settle(app: QApplication, done: Callable[[], bool] = lambda: True, seconds: float = 60) -> None:
    """Run the event loop until ``done()`` (a worker finished), then let painting catch up."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(20):
        app.processEvents()


def shoot_language(app: QApplication, language: str, folder: Path) -> None:
    from bertdesk.gui.importing.import_wizard import ImportWizard
    from bertdesk.store import Project

    prefix = "import_wizard_" if language == "en" else f"import_wizard_{language}_"

    def grab(widget: QWidget, name: str) -> None:
        settle(app)
        if language == "en" or name in ZH_PAGES:
            widget.grab().save(str(SHOTS / f"{prefix}{name}.png"))

    folder.mkdir()
    gbk = folder / "waimai_gbk.csv"
    gbk.write_bytes(WAIMAI_CSV.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    with Project.create(folder / f"demo-{language}.bertdesk") as project:
        wizard = ImportWizard(project)
        wizard.show()
        wizard.file_page.path_edit.setText(str(gbk))
        grab(wizard, "1_file")
        wizard.next()
        grab(wizard, "2_preview")
        wizard.next()
        wizard.mapping_page.text_combo.setCurrentText("review")
        wizard.mapping_page.set_label_columns(["label"])
        settle(app, lambda: wizard.mapping_page.names_table.rowCount() == 2)
        for row, name in ((0, "positive" if language == "en" else "正面"), (1, "negative" if language == "en" else "负面")):
            wizard.mapping_page.names_table.item(row, 1).setText(name)
        grab(wizard, "3_columns")
        wizard.next()
        settle(app, wizard.check_page.isComplete)
        grab(wizard, "4_check")
        wizard.next()
        settle(app, lambda: wizard.progress_page.progress_bar.value() > 0, seconds=10)
        grab(wizard, "5_progress")
        settle(app, lambda: wizard.currentPage() is wizard.summary_page)
        grab(wizard, "6_summary")
        wizard.close()
        broken = folder / "broken.xlsx"
        broken.write_bytes(b"not a spreadsheet\x00\x01")
        bad = ImportWizard(project, broken)
        bad.show()
        grab(bad, "7_bad_file")
        bad.close()
        headerless = folder / "reviews.tsv"  # text<TAB>label lines, as many Chinese data sets come
        with WAIMAI_CSV.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))[1:60]  # (label, review)
        headerless.write_bytes("".join(f"{text}\t{label}\n" for label, text in rows).encode("gb18030"))
        plain = ImportWizard(project, headerless)
        plain.show()
        grab(plain, "8_no_header")
        plain.close()
        titled = folder / "report.csv"  # an office export: a title and a date above the header
        with titled.open("w", encoding="gb18030", newline="") as handle:
            csv.writer(handle).writerows([
                ["2024年3月外卖评论导出", "", ""], ["导出日期：2024-04-01", "", ""], ["序号", "评论内容", "情感"],
                *([number, text, "好评" if label == "1" else "差评"] for number, (label, text) in enumerate(rows, start=1)),
            ])
        report = ImportWizard(project, titled)
        report.show()
        grab(report, "9_title_rows")
        report.close()


def main() -> int:
    from bertdesk.gui.app import use_cjk_font
    from bertdesk.gui.common.settings import install_translator

    if not WAIMAI_CSV.exists():
        print(f"{WAIMAI_CSV} is absent", file=sys.stderr)
        return 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    use_cjk_font(app)
    with tempfile.TemporaryDirectory() as folder:
        shoot_language(app, "en", Path(folder) / "en")
        install_translator(app, "zh_CN")
        qt_strings = QTranslator(app)
        if qt_strings.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_strings)
        shoot_language(app, "zh", Path(folder) / "zh")
    print(f"wrote {SHOTS}/import_wizard_*.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
