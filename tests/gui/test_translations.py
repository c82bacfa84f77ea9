"""The Chinese translation is complete, compiled, and actually shown by the widgets."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("build_translations", ROOT / "scripts" / "build_translations.py")
assert spec and spec.loader
build_translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_translations)


@pytest.fixture
def chinese() -> Iterator[None]:
    """The interface in Chinese for one test, English again after it."""
    from bertdesk.gui.app import install_translator

    app = QApplication.instance()
    assert install_translator(app, "zh_CN") is not None
    try:
        yield
    finally:
        install_translator(app, "en")


def test_every_gui_string_has_a_chinese_translation() -> None:
    missing = build_translations.missing()
    assert not missing, "untranslated (add them to resources/translations/zh_CN/*.tsv):\n" + "\n".join(
        f"{context}\t{source}" for context, source in missing)


def test_compiled_translation_is_up_to_date(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    committed = (ROOT / "resources" / "translations" / "bertdesk_zh_CN.ts").read_text(encoding="utf-8")
    monkeypatch.setattr(build_translations, "TRANSLATIONS", tmp_path)
    (tmp_path / "zh_CN").symlink_to(ROOT / "resources" / "translations" / "zh_CN")
    fresh = build_translations.write_ts().read_text(encoding="utf-8")
    assert fresh == committed, "run: python scripts/build_translations.py"
    committed_english = (ROOT / "resources" / "translations" / "bertdesk_en.ts").read_text(encoding="utf-8")
    assert build_translations.write_english_plurals().read_text(encoding="utf-8") == committed_english


def test_english_plurals_say_text_and_texts(qtbot, project) -> None:  # type: ignore[no-untyped-def]
    from bertdesk.core import Split
    from bertdesk.gui.app import install_translator
    from bertdesk.gui.label_view import LabelView
    from bertdesk.gui.session import ProjectSession

    install_translator(QApplication.instance(), "en")
    project.add_example("only one", Split.TRAIN)
    view = LabelView(ProjectSession(project))
    qtbot.addWidget(view)
    assert view.match_count.text() == "1 text"
    project.add_example("a second", Split.TRAIN)
    view.apply_filter()
    assert view.match_count.text() == "2 texts"


def test_chinese_translation_loads_into_the_main_window(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    from bertdesk.gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus[0] == "文件(&F)" and "帮助(&H)" in menus
    assert window.project_label.text() == "未打开项目"
    window.close()


def test_the_engine_messages_appear_in_chinese_in_the_training_log(  # type: ignore[no-untyped-def]
    qtbot, project, chinese
) -> None:
    from bertdesk.gui.train_panel import TrainPanel
    from bertdesk.ml.training import RESUMING, TRAINING, EngineMessage

    panel = TrainPanel(project)
    qtbot.addWidget(panel)
    resuming = EngineMessage(RESUMING, step=3, total=10)
    assert resuming == "Resuming at step 3 of 10"  # what the CLI prints
    assert panel.engine_message_text(resuming) == "从第 3 步（共 10 步）继续训练"
    assert panel.engine_message_text(EngineMessage(TRAINING)) == "训练"
    assert panel.engine_message_text("a message from elsewhere") == "a message from elsewhere"
    panel.shutdown()


def test_training_settings_explain_themselves_in_chinese(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    from bertdesk.gui.train_settings import TrainSettings

    settings = TrainSettings()
    qtbot.addWidget(settings)
    assert settings.input_for("epochs").toolTip().startswith("训练把所有训练文本完整过几遍")
    assert settings.input_for("min_steps").toolTip().startswith("文本很少时")
