"""Fixtures shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    """The interface in Chinese for one test, English again after it."""
    from bertdesk.gui.common.settings import install_translator

    assert install_translator(qapp, "zh_CN") is not None
    try:
        yield
    finally:
        install_translator(qapp, "en")


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes the panel shows, recorded instead of blocking the test."""
    shown: list[tuple[str, str]] = []

    def record(kind: str) -> Any:
        def show(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            shown.append((kind, f"{title}: {text}"))
            return QMessageBox.StandardButton.Yes
        return show

    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return shown


@pytest.fixture(autouse=True)
def garbage_collected_on_gui_thread(qapp: Any) -> Iterator[None]:
    """As in the app: a worker thread must never collect garbage that holds widgets. Each GUI
    test on its own, so that the tests without an event loop after them collect as usual."""
    from bertdesk.gui.common.jobs import garbage_collected_on_gui_thread

    with garbage_collected_on_gui_thread():
        yield
