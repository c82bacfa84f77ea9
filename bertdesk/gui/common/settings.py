"""Where the app keeps its settings and files, and the interface language they choose."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QStandardPaths, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger("bertdesk")
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}


def _folder(override_variable: str, location: QStandardPaths.StandardLocation) -> Path:
    """The user's folder of a kind, made if missing; the variable overrides it (tests, portable use)."""
    override = os.environ.get(override_variable)
    base = Path(override) if override else Path(QStandardPaths.writableLocation(location))
    base.mkdir(parents=True, exist_ok=True)
    return base


def config_dir() -> Path:
    return _folder("BERTDESK_CONFIG_DIR", QStandardPaths.StandardLocation.AppConfigLocation)


def data_dir() -> Path:
    return _folder("BERTDESK_DATA_DIR", QStandardPaths.StandardLocation.AppDataLocation)


def log_path() -> Path:
    return data_dir() / "bertdesk.log"


def settings() -> QSettings:
    """The user's settings (window layout, recent projects, language) in one INI file."""
    return QSettings(str(config_dir() / "bertdesk.ini"), QSettings.Format.IniFormat)


def chosen_language() -> str:
    value = settings().value("language", "")
    if value in LANGUAGES:
        return str(value)
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def resource_path(*parts: str) -> str:
    """A file shipped in bertdesk.resources, found the same way installed, in a checkout or frozen."""
    from importlib.resources import files

    return str(files("bertdesk.resources").joinpath(*parts))


def install_translator(app: QApplication, language: str) -> Optional[QTranslator]:
    """Load the compiled Chinese translation shipped in resources/translations."""
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    if language == "en":
        plurals = QTranslator(app)  # "1 text" / "2 texts" from the "%n text(s)" sources
        if plurals.load(resource_path("translations", "bertdesk_en.qm")):
            app.installTranslator(plurals)
        return None
    qt_own = QTranslator(app)  # Qt's standard buttons and dialogs (Close, Cancel, file dialogs)
    if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
    qm = resource_path("translations", f"bertdesk_{language}.qm")
    translator = QTranslator(app)
    if translator.load(str(qm)):
        app.installTranslator(translator)
        return translator
    log.warning("translation %s could not be loaded", qm)
    return None
