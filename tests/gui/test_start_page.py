"""The start page, a file dropped on the empty window, and the next step in a project without texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from bertdesk.gui.common.settings import settings
from bertdesk.gui.importing.import_wizard import ImportWizard
from bertdesk.gui.main_window import MainWindow
from bertdesk.gui.start_page import StartPage
from bertdesk.store import Project


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    shown = MainWindow()
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.close_project()


def start_page(window: MainWindow) -> StartPage:
    page = window.centralWidget()
    assert isinstance(page, StartPage)
    return page


def answer_save_dialog(monkeypatch: pytest.MonkeyPatch, answer: Path) -> list[str]:
    """The "New project" file dialog answers ``answer``; returns the paths it was offered."""
    offered: list[str] = []

    def save_dialog(_parent, _title, suggested, _filter):  # type: ignore[no-untyped-def]
        offered.append(suggested)
        return str(answer), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    return offered


def when_the_wizard_opens(handle) -> list[ImportWizard]:  # type: ignore[no-untyped-def]
    """Run ``handle(wizard)`` on the import wizard once it is shown (it is modal)."""
    seen: list[ImportWizard] = []

    def look() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, ImportWizard):
            QTimer.singleShot(20, look)
            return
        seen.append(wizard)
        handle(wizard)

    QTimer.singleShot(0, look)
    return seen


def drag_event(kind, path: Path):  # type: ignore[no-untyped-def]
    """A drag-enter or drop event of ``path``, and its mime data (which must outlive it)."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    position, details = QPointF(20, 20), (Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                                          Qt.KeyboardModifier.NoModifier)
    try:
        event = kind(position, *details)
    except TypeError:  # a drag-enter took only a QPoint before PySide6 6.12, which deprecates that
        event = kind(position.toPoint(), *details)
    return event, data


def drop_on(window: MainWindow, path: Path) -> bool:
    """Drag ``path`` onto the window and drop it there; whether the window took the drag."""
    enter, _enter_data = drag_event(QDragEnterEvent, path)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    drop, _drop_data = drag_event(QDropEvent, path)
    QApplication.sendEvent(window, drop)
    return True


def test_the_window_without_a_project_shows_the_start_page_again_after_closing(
    qtbot, window: MainWindow, project_path: Path
) -> None:
    Project.create(project_path).close()
    page = start_page(window)
    assert page.new_button.isVisible() and page.demo_zh_button.isVisible()
    assert page.no_recent.isVisible() and not page.recent_list.isVisible()
    assert window.open_project(project_path)
    assert not isinstance(window.centralWidget(), StartPage)
    assert window.close_project()
    page = start_page(window)
    assert page.recent_list.count() == 1 and project_path.name in page.recent_list.item(0).text()


def test_new_opens_a_project_that_offers_import(qtbot, window: MainWindow, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    answer_save_dialog(monkeypatch, tmp_path / "reviews")
    qtbot.mouseClick(start_page(window).new_button, Qt.MouseButton.LeftButton)
    assert window.session is not None and window.session.project.path == tmp_path / "reviews.bertdesk"
    prompt = window.import_prompt
    assert prompt is not None
    qtbot.waitUntil(prompt.isVisible, timeout=5_000)  # shown in the labeling view's place
    assert prompt.import_button.isVisible()
    assert window.label_view is not None and not window.label_view.isVisible()

    data = tmp_path / "texts.csv"
    data.write_text("text,label\ngood food,1\ncold soup,0\n", encoding="utf-8")

    def import_the_file(wizard: ImportWizard) -> None:
        assert wizard.project is window.session.project  # type: ignore[union-attr]
        wizard.file_page.path_edit.setText(str(data))
        wizard.next()
        wizard.next()
        qtbot.waitUntil(lambda: not wizard.running(), timeout=10_000)
        wizard.next()
        qtbot.waitUntil(wizard.check_page.isComplete, timeout=10_000)
        wizard.next()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=10_000)
        wizard.accept()

    seen = when_the_wizard_opens(import_the_file)
    qtbot.mouseClick(prompt.import_button, Qt.MouseButton.LeftButton)
    assert seen
    # Once the texts are counted, the labeling view takes the prompt's place.
    qtbot.waitUntil(lambda: window.label_view is not None and window.label_view.isVisible(), timeout=10_000)
    assert not prompt.isVisible()
    assert window.session.project.count() == 2  # type: ignore[union-attr]


def test_open_demo_and_recent_buttons_open_what_they_say(
    qtbot, window: MainWindow, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Project.create(project_path).close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(project_path), ""))
    qtbot.mouseClick(start_page(window).open_button, Qt.MouseButton.LeftButton)
    assert window.session is not None and window.session.project.path == project_path
    assert window.close_project()

    for button, language in (("demo_zh_button", "zh"), ("demo_en_button", "en")):
        qtbot.mouseClick(getattr(start_page(window), button), Qt.MouseButton.LeftButton)
        assert window.session is not None
        assert window.session.project.path.name == f"demo-{language}.bertdesk"
        assert window.session.project.count() > 100
        assert window.close_project()

    page = start_page(window)
    assert [Path(page.recent_list.item(i).toolTip()).name for i in range(page.recent_list.count())] == [
        "demo-en.bertdesk", "demo-zh.bertdesk", project_path.name,
    ]
    item = page.recent_list.item(2)
    qtbot.mouseClick(page.recent_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.recent_list.visualItemRect(item).center())
    assert window.session is not None and window.session.project.path == project_path


def test_a_missing_recent_project_is_shown_as_missing_and_cannot_be_clicked(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.bertdesk"
    settings().setValue("recent", [str(gone)])
    window.refresh_recent()
    page = start_page(window)
    item = page.recent_list.item(0)
    assert "missing" in item.text() and str(gone) in item.text()
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    qtbot.mouseClick(page.recent_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.recent_list.visualItemRect(item).center())
    assert window.session is None


def test_a_csv_dropped_on_the_empty_window_becomes_a_project_beside_it_and_is_imported(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "reviews.csv"
    data.write_text("text,label\ngood food,1\ncold soup,0\n", encoding="utf-8")
    (tmp_path / "setup.exe").write_bytes(b"MZ")
    assert not drop_on(window, tmp_path / "setup.exe")  # not a file bertdesk reads

    offered = answer_save_dialog(monkeypatch, tmp_path / "reviews.bertdesk")
    opened_on: list[tuple[Path, object]] = []

    def look(wizard: ImportWizard) -> None:
        opened_on.append((wizard.file_page.path(), wizard.currentPage()))
        wizard.reject()

    seen = when_the_wizard_opens(look)
    assert drop_on(window, data)  # once refused although the window said to drop one
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert offered == [str(tmp_path / "reviews.bertdesk")]  # beside the file, named after it
    assert window.session is not None and window.session.project.path == tmp_path / "reviews.bertdesk"
    assert opened_on == [(data, seen[0].preview_page)]  # the wizard opened on the dropped file


def test_a_project_dropped_on_the_window_opens(qtbot, window: MainWindow, project_path: Path) -> None:
    Project.create(project_path).close()
    assert drop_on(window, project_path)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
    assert window.session.project.path == project_path  # type: ignore[union-attr]


def test_at_start_the_last_project_reopens_else_the_start_page_stays_without_a_question(
    qtbot, window: MainWindow, project_path: Path
) -> None:
    window.offer_start()  # a first start: no modal question (it would block this test)
    assert window.session is None and isinstance(window.centralWidget(), StartPage)
    Project.create(project_path).close()
    assert window.open_project(project_path) and window.close_project()
    window.offer_start()
    assert window.session is not None and window.session.project.path == project_path


def test_the_start_page_follows_a_language_change(qtbot, window: MainWindow) -> None:
    from bertdesk.gui.common.settings import install_translator

    app = QApplication.instance()
    page = start_page(window)
    assert page.welcome.text() == "Welcome to bertdesk"
    assert install_translator(app, "zh_CN") is not None  # type: ignore[arg-type]
    try:
        qtbot.waitUntil(lambda: page.welcome.text() == "欢迎使用 bertdesk", timeout=5_000)
        assert page.demo_zh_button.text() == "中文评论"
    finally:
        install_translator(app, "en")  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: page.welcome.text() == "Welcome to bertdesk", timeout=5_000)
