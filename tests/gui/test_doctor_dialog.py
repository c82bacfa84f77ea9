"""Help ▸ Check this computer: the doctor's page in the app, in English and Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from bertdesk.gui import doctor_dialog
from bertdesk.gui.doctor_dialog import DoctorDialog
from bertdesk.system.doctor import FontFacts, Status


def checked(qtbot: Any, dialog: DoctorDialog) -> str:
    """The page's text once the background checks are shown."""
    qtbot.waitUntil(lambda: bool(dialog.checks), timeout=120_000)
    return dialog.page.toPlainText()


def test_the_page_shows_every_check_with_what_qt_sees(qtbot: Any, tmp_path: Path) -> None:
    dialog = DoctorDialog(tmp_path)
    qtbot.addWidget(dialog)
    page = checked(qtbot, dialog)
    for topic in ("Python", "PyTorch", "GPU", "CPU", "Chinese font", "Hugging Face cache", "Free disk space"):
        assert topic in page
    assert "draws windows off screen (platform plugin offscreen)" in page  # the app's own platform
    assert str(tmp_path) in page
    problems = sum(check.status is Status.PROBLEM for check in dialog.checks)
    assert dialog.summary.text() == (f"{problems} problems found." if problems > 1 else
                                     "1 problem found." if problems else "No problems found.")
    dialog.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text().startswith("ok       Python")


def test_a_missing_chinese_font_is_shown_as_a_problem_in_chinese(
    qtbot: Any, chinese: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doctor_dialog, "font_facts", lambda: FontFacts(()))
    dialog = DoctorDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "检查这台电脑"
    page = checked(qtbot, dialog)
    lines = page.splitlines()
    topic = lines.index("中文字体")  # each cell on a line of its own: status, topic, what was found
    assert lines[topic - 1] == "问题" and lines[topic + 1].startswith("没有安装含中文字符的字体")
    assert lines[topic + 2].startswith("解决办法：")
    assert "没有 PyTorch 可用的 GPU" in page or "显存" in page
    assert "发现" in dialog.summary.text() and "个问题" in dialog.summary.text()


def test_the_help_menu_opens_it(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from bertdesk.gui.main_window import MainWindow

    opened: list[tuple[QWidget, list[str]]] = []

    def close_at_once(dialog: DoctorDialog) -> int:
        """exec() as a user who closes the dialog before its checks are done."""
        dialog.done(0)  # waits for the checks' thread, whose outcome is then shown
        opened.append((dialog.parent(), [check.topic for check in dialog.checks]))
        return 0

    monkeypatch.setattr(DoctorDialog, "exec", close_at_once)
    window = MainWindow()
    qtbot.addWidget(window)
    help_menu = window.menuBar().actions()[-1].menu()
    action = next(action for action in help_menu.actions() if action.text() == "&Check this computer…")
    action.trigger()
    assert len(opened) == 1 and opened[0][0] is window and "PyTorch" in opened[0][1]
    window.close()
