"""The Chinese translation is complete, compiled, and actually shown by the widgets."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("build_translations", ROOT / "scripts" / "build_translations.py")
assert spec and spec.loader
build_translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_translations)


def test_every_gui_string_has_a_chinese_translation() -> None:
    missing = build_translations.missing()
    assert not missing, "untranslated (add them to resources/translations/zh_CN/*.tsv):\n" + "\n".join(
        f"{context}\t{source}" for context, source in missing)


def test_every_chinese_translation_belongs_to_a_string_the_code_shows() -> None:
    unused = build_translations.unused()
    assert not unused, "translations of strings no longer shown (delete them from " \
        "resources/translations/zh_CN/*.tsv):\n" + "\n".join(f"{context}\t{source}" for context, source in unused)


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
    from bertdesk.gui.common.settings import install_translator
    from bertdesk.gui.labeling.label_view import LabelView
    from bertdesk.gui.common.session import ProjectSession

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
    from bertdesk.gui.common.session import ProjectSession
    from bertdesk.gui.training.train_panel import TrainPanel
    from bertdesk.core import Sentence
    from bertdesk.ml.training import RESUMING, TRAINING

    panel = TrainPanel(ProjectSession(project))
    qtbot.addWidget(panel)
    resuming = Sentence(RESUMING, step=3, total=10)
    assert resuming == "Resuming at step 3 of 10"  # what the CLI prints
    assert panel.engine_message_text(resuming) == "从第 3 步（共 10 步）继续训练"
    assert panel.engine_message_text(Sentence(TRAINING)) == "训练中"  # as the pretraining dialog says it
    assert panel.engine_message_text("a message from elsewhere") == "a message from elsewhere"
    panel.shutdown()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_held_out_warning_points_to_the_menu_not_the_command(  # type: ignore[no-untyped-def]
    qtbot, qapp, project, language
) -> None:
    """The engine's warning names `bertdesk split --reassign`; the app names its menu instead."""
    from bertdesk.core import Sentence, Split
    from bertdesk.gui.common.session import ProjectSession
    from bertdesk.gui.common.settings import install_translator
    from bertdesk.gui.training.train_panel import TrainPanel
    from bertdesk.ml.training import HELD_OUT_SEEN

    install_translator(qapp, language)
    panel = TrainPanel(ProjectSession(project))
    qtbot.addWidget(panel)
    message = Sentence(HELD_OUT_SEEN[Split.TEST], count=3, total=40)
    assert "bertdesk split --reassign" in message  # what the CLI prints
    text = panel.engine_message_text(message)
    assert "bertdesk split" not in text
    if language == "zh_CN":
        assert text.startswith("警告：40 条测试文本中有 3 条") and "标签 ▸ 划分数据集…" in text
    else:
        assert text.startswith("Warning: 3 of the 40 test texts") and "Labels ▸ Make splits…" in text
    panel.shutdown()
    install_translator(qapp, "en")


def test_the_training_guard_rails_speak_chinese(qtbot, project, chinese) -> None:  # type: ignore[no-untyped-def]
    from bertdesk.core import Split
    from bertdesk.gui.common.session import ProjectSession
    from bertdesk.gui.training.train_panel import TrainPanel

    good = project.add_label("好评").id
    project.add_label("差评")
    project.add_example("味道不错", Split.TRAIN, label_ids=[good])
    panel = TrainPanel(ProjectSession(project))
    qtbot.addWidget(panel)
    assert panel.problems == ["Label texts with at least two different labels before training.",
                              "The label '差评' has no texts: label some, or delete the label."]
    shown = panel.problems_label.text()  # the problems, then the note that does not stop a run
    assert "标签“差评”还没有文本" in shown and "标签“好评”只有一条文本" in shown
    assert "标签“差评”还没有文本" in panel.start_button.toolTip()  # it is disabled: hovering says why
    assert "只有一条文本" not in panel.start_button.toolTip()  # a note, no reason to wait
    assert "label" not in shown
    panel.shutdown()


def test_training_settings_explain_themselves_in_chinese(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    from bertdesk.gui.training.train_settings import TrainSettings

    settings = TrainSettings()
    qtbot.addWidget(settings)
    assert settings.input_for("epochs").toolTip().startswith("训练最多把所有训练文本完整过几遍")
    assert settings.input_for("min_steps").toolTip().startswith("文本很少时")


def test_every_engine_error_template_is_collected_with_its_values_kept_in_chinese() -> None:
    import string

    templates = build_translations.error_templates()
    assert "{file} is empty (0 bytes)." in templates  # a message
    assert "Choose a file that holds texts." in templates  # a hint
    assert "Choose the file's encoding yourself (for example gb18030, big5 or utf-8)." in templates  # via a name
    chinese = build_translations.translations()

    def fields(text: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}

    wrong = [template for template in templates
             if fields(chinese.get(("Errors", template), template)) != fields(template)]
    assert not wrong, "the Chinese names other {values} than the English:\n" + "\n".join(wrong)


def test_a_template_constant_imported_from_another_engine_module_is_collected(tmp_path: Path) -> None:
    package = tmp_path / "bertdesk" / "ml"
    package.mkdir(parents=True)
    (package / "messages.py").write_text('STARTED = "Started {name}."\n', encoding="utf-8")
    (package / "job.py").write_text(
        "from bertdesk.ml.messages import STARTED\n"
        "from bertdesk.ml.messages import STARTED as BEGUN\n"
        "def report():\n"
        "    return Sentence(STARTED, name='a'), Sentence(BEGUN, name='b')\n",
        encoding="utf-8")
    assert build_translations.error_templates([package]) == ["Started {name}."]


def _error_dialog_text(monkeypatch, error: BaseException) -> str:  # type: ignore[no-untyped-def]
    """The text of the dialog show_user_error opens for ``error`` (closed at once)."""
    from PySide6.QtWidgets import QMessageBox

    from bertdesk.gui.common.errors import show_user_error

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(f"{box.text()}\n{box.informativeText()}"))
    show_user_error(None, error)
    assert len(shown) == 1
    return shown[0]


def _raised(action) -> BaseException:  # type: ignore[no-untyped-def]
    from bertdesk.core import BertdeskError

    with pytest.raises(BertdeskError) as caught:
        action()
    return caught.value


def test_the_chinese_ui_shows_engine_errors_in_chinese_and_the_cli_keeps_english(  # type: ignore[no-untyped-def]
    tmp_path: Path, monkeypatch, qapp, chinese
) -> None:
    import re

    from bertdesk.io.tables import open_table
    from bertdesk.ml.predict import Predictor

    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "binary.csv").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "quotes.csv").write_text('"text,label\ngood,1\n', encoding="utf-8")
    errors = {
        "empty": _raised(lambda: open_table(tmp_path / "empty.csv")),
        "binary": _raised(lambda: open_table(tmp_path / "binary.csv")),
        "broken quote": _raised(lambda: open_table(tmp_path / "quotes.csv")),
        "no model": _raised(lambda: Predictor.load(tmp_path / "no_model")),
    }
    for case, error in errors.items():
        text = _error_dialog_text(monkeypatch, error).replace(str(tmp_path), "")
        text = re.sub(r"“[^”]*”", "", text)  # a command named in quotes, e.g. “bertdesk export-model”
        assert re.search(r"[\u4e00-\u9fff]", text), (case, text)
        english = re.findall(r"[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})+", text)
        assert not english, (case, text)
    assert errors["empty"].message == "empty.csv is empty (0 bytes)."  # what the CLI prints
    assert errors["broken quote"].message == (  # the row's problem inside it, in English too
        "The first line of quotes.csv cannot be read: a quote opened on this line is never closed "
        "(it ran on to line 2).")
    assert str(errors["no model"]).startswith("No model in ")

    from bertdesk.gui.common.errors import translated_text

    (tmp_path / "fields.csv").write_text("text,label\ngood,1,extra\n", encoding="utf-8")
    problem = next(iter(open_table(tmp_path / "fields.csv").rows())).problem
    assert problem == "has 3 fields where the header has 2"  # a str for the CLI and the report
    assert translated_text(problem) == "有 3 个字段，而表头有 2 个"  # the import wizard's list
    assert translated_text("any other text") == "any other text"


def test_switching_the_language_keeps_the_typed_text_the_filter_and_the_undo_history(  # type: ignore[no-untyped-def]
    qtbot, project, labelled_model_dir: Path
) -> None:
    from bertdesk.gui.common.settings import install_translator
    from bertdesk.gui.main_window import MainWindow
    from bertdesk.gui.prediction.predict_tab import PredictTab
    from bertdesk.store import ExampleFilter
    from tests.gui.predict_helpers import project_with_run

    project_with_run(project, labelled_model_dir)
    with project.bulk_writer() as writer:
        for text in ("good film", "awful plot", "a good plot", "bad acting"):
            writer.add(text)
    path = project.path
    project.close()
    app = QApplication.instance()
    install_translator(app, "en")
    window = MainWindow()
    qtbot.addWidget(window)
    try:
        assert window.open_project(path)
        view = window.label_view
        view.search.setText("good")
        qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10_000)
        view.table.setFocus()
        qtbot.keyClick(view.table, "1")
        assert window.undo_action.isEnabled()
        predict = window.tabs.widget(3)
        assert isinstance(predict, PredictTab)
        qtbot.waitUntil(lambda: predict.engine.predictor is not None, timeout=30_000)
        predict.input.setPlainText("good film")
        qtbot.waitUntil(lambda: predict.history.count() == 1, timeout=10_000)
        predict.input.setPlainText("awful plot")
        window.tabs.setCurrentIndex(3)

        install_translator(app, "zh_CN")
        window.retranslate()

        assert window.tabs.tabText(0) == "标注" and window.tabs.currentIndex() == 3
        assert window.menuBar().actions()[0].text() == "文件(&F)"
        assert window.saved_label.text() == "✓ 所有更改已保存"  # not "Saved at …"
        new_predict = window.tabs.widget(3)
        assert isinstance(new_predict, PredictTab) and new_predict is not predict
        assert new_predict.input.toPlainText() == "awful plot"
        assert [new_predict.history.item(row).data(Qt.ItemDataRole.UserRole)
                for row in range(new_predict.history.count())] == ["good film"]
        new_view = window.label_view
        assert new_view is not view
        assert new_view.search.text() == "good" and new_view.model.rowCount() == 2
        assert new_view.match_count.text() == "2 条文本"
        assert window.session.project.count(ExampleFilter(unlabeled=True)) == 3
        assert window.undo_action.isEnabled()
        window.undo_action.trigger()  # the label set before the switch comes off again
        assert window.session.project.count(ExampleFilter(unlabeled=True)) == 4
        assert window.redo_action.isEnabled()
    finally:
        install_translator(app, "en")
        window.close_project()
        window.close()
