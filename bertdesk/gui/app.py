"""Starting the desktop app: language, fonts, logging, the crash record, and the last-resort
error dialog. What the rest of the app shares lives in ``bertdesk.gui.common``."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import Optional

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QFont, QFontDatabase, QIcon, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from bertdesk.core import BertdeskError
from bertdesk.gui.common.errors import show_user_error
from bertdesk.gui.common.jobs import garbage_collected_on_gui_thread
from bertdesk.gui.common.settings import chosen_language, data_dir, install_translator, log_path, resource_path
from bertdesk.gui.crash_log import AbnormalEnd, CrashRecorder

log = logging.getLogger("bertdesk")
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
             "PingFang SC", "Heiti SC", "SimHei", "Noto Sans SC")


def use_cjk_font(app: QApplication) -> Optional[str]:
    """Put a font with Chinese glyphs behind the default one, if the system has one."""
    families = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in families:
            font = QFont(app.font())
            font.setFamilies([app.font().family(), family])
            app.setFont(font)
            return family
    return None


def setup_logging() -> logging.Handler:
    """Log to a file the About dialog names, so a user can send it with a bug report."""
    handler = logging.FileHandler(log_path(), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    return handler


def show_unexpected_error(kind: type[BaseException], error: BaseException, tb: Optional[TracebackType]) -> None:
    """Last resort: log the traceback and tell the user where it is, instead of vanishing."""
    if isinstance(error, BertdeskError):
        log.warning("%s %s", error.message, error.hint)
        show_user_error(None, error)
        return
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
    if QApplication.instance() is not None:
        QMessageBox.critical(
            None, "bertdesk",
            QApplication.translate(
                "App", "Something went wrong: %1. Your saved labels are safe; the details are in %2."
            ).replace("%1", str(error))
            .replace("%2", str(log_path())))


def binding_wears_none_away() -> bool:
    """Whether this Qt binding loses a reference to None in void calls, as PySide6 6.12.0 does.

    Before Python 3.12 None is mortal, and such a binding kills the app after a few hundred
    label keys. pyproject.toml keeps the bad pair out of a pip install; this catches one that
    came some other way (an environment made by hand, another package manager).
    """
    if sys.version_info >= (3, 12):
        return False
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    pen = QPen(Qt.GlobalColor.black)
    before = sys.getrefcount(None)
    for _ in range(100):
        painter.setPen(pen)
    lost = before - sys.getrefcount(None)
    painter.end()
    return lost >= 50


def refuse_broken_binding() -> None:
    import PySide6

    QMessageBox.critical(
        None, "bertdesk",
        QApplication.translate(
            "App", "PySide6 %1 on Python %2 has a defect that crashes bertdesk after a few hundred "
                   "label keys. Install another version, then start bertdesk again: %3")
        .replace("%1", PySide6.__version__).replace("%2", ".".join(map(str, sys.version_info[:2])))
        .replace("%3", "python3 -m pip install \"PySide6-Essentials>=6.6,<6.12\""))


def report_abnormal_end(parent: Optional[QWidget], ends: list[AbnormalEnd]) -> None:
    """Tell the user that the app died last time, that labels shown as saved are safe, and where the log is."""
    last = max(ends, key=lambda end: end.started)
    when = QDateTime.fromSecsSinceEpoch(int(last.started)).toString("yyyy-MM-dd HH:mm")
    box = QMessageBox(
        QMessageBox.Icon.Warning, "bertdesk",
        QApplication.translate("App", "bertdesk ended abnormally last time (started %1).")
        .replace("%1", when), parent=parent)
    box.setInformativeText(
        QApplication.translate(
            "App", "Every label that was shown as saved is in the project. What happened is written in "
                   "the log file %1: please send it with a bug report.").replace("%1", str(log_path())))
    if last.log_tail:
        box.setDetailedText(last.log_tail)
    box.exec()


def run_app(argv: list[str]) -> int:
    """Open the main window (with a project when argv names one) and run until it closes."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName("bertdesk")
    app.setOrganizationName("bertdesk")
    app.setDesktopFileName("bertdesk")
    app.setWindowIcon(QIcon(resource_path("icons", "bertdesk.svg")))
    if binding_wears_none_away():
        install_translator(app, chosen_language())
        refuse_broken_binding()
        return 1
    handler = setup_logging()
    crashes = CrashRecorder(data_dir() / "running", log_path())
    abnormal_ends = crashes.start()
    previous_hook, sys.excepthook = sys.excepthook, show_unexpected_error
    try:
        with garbage_collected_on_gui_thread():
            install_translator(app, chosen_language())
            use_cjk_font(app)
            from bertdesk.gui.main_window import MainWindow

            window = MainWindow()
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # torn down with the app, not by the GC at exit
            window.show()
            if abnormal_ends:
                log.warning("the last run ended abnormally")
                report_abnormal_end(window, abnormal_ends)
            if argv:
                window.open_project(Path(argv[0]))
            else:
                window.offer_start()
            log.info("bertdesk started")
            return int(app.exec())
    finally:
        sys.excepthook = previous_hook
        crashes.stop()
        logging.getLogger().removeHandler(handler)
        handler.close()
