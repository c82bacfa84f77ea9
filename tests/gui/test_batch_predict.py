"""Batch prediction through the dialog: one saved row per input row; a cancel saves nothing."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from bertdesk.core import Split
from bertdesk.gui.prediction.batch_predict import BatchPredictDialog
from bertdesk.gui.common.session import ProjectSession
from bertdesk.ml.predict import Predictor
from bertdesk.store import ExampleFilter, Project
from tests.gui.predict_helpers import project_with_run

ROWS = [
    ("1", "味道很好，送餐也快", "好评"),
    ("2", "太难吃了，\"再也不点\"", "差评"),
    ("3", "the food was great", ""),
    ("4", "服务很慢，" * 80 + "。", "长文本"),
    ("5", "一般", "x,y"),
    ("6", "味道很好，送餐也快", "重复的一行"),
]


def write_gbk_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["编号", "评论", "备注"])
        writer.writerows(rows)
    return path


def run_batch(qtbot, dialog: BatchPredictDialog) -> None:
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60_000)


def test_a_chinese_csv_is_saved_one_row_per_input_row(
    qtbot, labelled_model_dir: Path, tmp_path: Path
) -> None:
    source = write_gbk_csv(tmp_path / "评论.csv", ROWS)
    dialog = BatchPredictDialog(labelled_model_dir)
    qtbot.addWidget(dialog)
    dialog.set_input(source)
    assert dialog.column_combo.currentText() == "评论"  # guessed: the longest values
    output = tmp_path / "结果.csv"
    dialog.output_edit.setText(str(output))
    run_batch(qtbot, dialog)

    assert output.is_file(), dialog.status.text()
    with output.open(encoding="utf-8-sig", newline="") as handle:
        saved = list(csv.DictReader(handle))
    assert [(r["编号"], r["评论"], r["备注"]) for r in saved] == ROWS
    expected = Predictor.load(labelled_model_dir).predict_proba([text for _, text, _ in ROWS])
    for row, probabilities in zip(saved, expected):
        assert float(row["prob_positive"]) == pytest.approx(probabilities[1], abs=1e-5)

    table = dialog.table_model
    assert table.rowCount() == len(ROWS) == dialog.proxy.rowCount()
    assert [table.result.texts[i] for i in range(len(ROWS))] == [text for _, text, _ in ROWS]
    # Shown in the file's order until the user sorts.
    assert [dialog.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(len(ROWS))] == [
        text for _, text, _ in ROWS]
    # Sorted by confidence, highest first.
    dialog.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    shown = [dialog.proxy.index(r, 2).data(Qt.ItemDataRole.UserRole) for r in range(len(ROWS))]
    assert shown == sorted(shown, reverse=True)
    # Filtered by confidence: only the rows at or above the middle one stay.
    middle = sorted(shown)[len(shown) // 2]
    dialog.low_spin.setValue(middle * 100 - 0.5)
    assert dialog.proxy.rowCount() == sum(value >= middle - 0.005 for value in shown)
    assert str(dialog.proxy.rowCount()) in dialog.shown_label.text()


def test_a_file_of_older_predictions_shows_the_new_ones(qtbot, labelled_model_dir: Path, tmp_path: Path) -> None:
    """A file predicted before holds prob_… columns of its own: the table shows this model's."""
    source = tmp_path / "old.csv"
    source.write_text("text,predicted_label,prob_negative,prob_positive\ngood food,negative,0.999,0.001\n"
                      "awful food,negative,0.999,0.001\n", encoding="utf-8")
    dialog = BatchPredictDialog(labelled_model_dir)
    qtbot.addWidget(dialog)
    dialog.set_input(source)
    dialog.output_edit.setText(str(tmp_path / "new.csv"))
    run_batch(qtbot, dialog)
    expected = Predictor.load(labelled_model_dir).predict_proba(["good food", "awful food"])
    np.testing.assert_allclose(dialog.table_model.result.probabilities, expected, atol=1e-5)


def test_a_file_whose_encoding_cannot_be_told_is_predicted_in_the_one_chosen(
    qtbot, labelled_model_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "mixed.csv"  # two encodings, too few lines to tell
    source.write_bytes("text,label\n味道不错,正面\n".encode() + "太慢了,负面\n".encode("gbk") + "还行,正面\n".encode())
    dialog = BatchPredictDialog(labelled_model_dir)
    qtbot.addWidget(dialog)
    dialog.set_input(source)
    assert "Cannot tell which text encoding mixed.csv uses" in dialog.file_info.text()
    assert not dialog.start_button.isEnabled()
    dialog.encoding_combo.setCurrentText("utf-8")
    dialog.encoding_combo.activated.emit(dialog.encoding_combo.currentIndex())
    assert "encoding utf-8" in dialog.file_info.text() and dialog.column_combo.currentText() == "text"
    output = tmp_path / "out.csv"
    dialog.output_edit.setText(str(output))
    run_batch(qtbot, dialog)
    with output.open(encoding="utf-8-sig", newline="") as handle:
        assert [row["text"] for row in csv.DictReader(handle)] == ["味道不错", "还行"]  # the GBK line is left out
    # "line(s)" reads "line" once an earlier test has installed the English plural forms
    assert re.search(r"Left out 1 line(\(s\))? that cannot be read; the first, line 3: is not valid utf-8 text\.",
                     dialog.status.text())


def test_a_file_without_a_header_is_predicted_from_its_first_line_unless_the_user_says_so(
    qtbot, labelled_model_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "reviews.tsv"
    source.write_text("".join(f"{'味道很好' if i % 2 else '送餐太慢了'}，第 {i} 单\t{'好评' if i % 2 else '差评'}\n"
                              for i in range(6)), encoding="utf-8")
    dialog = BatchPredictDialog(labelled_model_dir)
    qtbot.addWidget(dialog)
    assert not dialog.header_box.isVisibleTo(dialog)  # no file yet
    dialog.set_input(source)
    assert dialog.header_box.isVisibleTo(dialog) and not dialog.header_box.isChecked()
    assert dialog.column_combo.currentText() == "column 1"
    dialog.header_box.click()  # the user says the first line names the columns
    assert dialog.column_combo.currentText() == "送餐太慢了，第 0 单"
    dialog.header_box.click()
    output = tmp_path / "out.csv"
    dialog.output_edit.setText(str(output))
    run_batch(qtbot, dialog)
    with output.open(encoding="utf-8-sig", newline="") as handle:
        saved = list(csv.DictReader(handle))
    assert len(saved) == 6 and saved[0]["column 1"] == "送餐太慢了，第 0 单"  # the first line predicted too


def test_the_delimiter_can_be_chosen_where_the_file_has_one(qtbot, labelled_model_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "semi.csv"
    source.write_text("text;label\ngood, fine;pos\nbad, awful;neg\nok;pos\n", encoding="utf-8")
    dialog = BatchPredictDialog(labelled_model_dir)
    qtbot.addWidget(dialog)
    assert not dialog.delimiter_combo.isVisibleTo(dialog)  # no file yet
    dialog.set_input(source)
    assert dialog.delimiter_combo.isVisibleTo(dialog) and dialog.column_combo.currentText() == "text"
    dialog.delimiter_combo.setCurrentIndex(dialog.delimiter_combo.findData(","))
    dialog.delimiter_combo.activated.emit(dialog.delimiter_combo.currentIndex())
    assert [dialog.column_combo.itemText(i) for i in range(dialog.column_combo.count())][:1] == ["text;label"]
    dialog.delimiter_combo.setCurrentIndex(dialog.delimiter_combo.findData(";"))
    dialog.delimiter_combo.activated.emit(dialog.delimiter_combo.currentIndex())
    output = tmp_path / "out.csv"
    dialog.output_edit.setText(str(output))
    run_batch(qtbot, dialog)
    with output.open(encoding="utf-8-sig", newline="") as handle:
        assert [row["text"] for row in csv.DictReader(handle)] == ["good, fine", "bad, awful", "ok"]


def test_texts_in_words_the_model_does_not_know_are_called_guesses(
    qtbot, labelled_model_dir: Path, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QApplication

    from bertdesk.gui.common.settings import install_translator

    install_translator(QApplication.instance(), "en")  # the English plurals: "4 rows"
    rows = [("1", "the food was good", ""), ("2", "这家店的环境非常舒适，老板人也很热情", ""),
            ("3", "awful plot", ""), ("4", "环境优雅，价格实惠", "")]
    source = write_gbk_csv(tmp_path / "mixed.csv", rows)
    dialog = BatchPredictDialog(labelled_model_dir)
    qtbot.addWidget(dialog)
    dialog.set_input(source)
    assert dialog.file_info.text().endswith(", 3 columns")
    dialog.output_edit.setText(str(tmp_path / "out.csv"))
    run_batch(qtbot, dialog)

    unknown = [dialog.proxy.index(r, 3).data(Qt.ItemDataRole.UserRole) for r in range(len(rows))]
    assert unknown[0] == unknown[2] == 0.0 and min(unknown[1], unknown[3]) > 0.5
    assert dialog.table_model.headerData(3, Qt.Orientation.Horizontal) == "Unknown words"
    assert dialog.proxy.index(1, 2).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert dialog.proxy.index(0, 2).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "4 rows predicted" in dialog.status.text()
    assert "of 2 of the texts" in dialog.status.text() and "guesses" in dialog.status.text()


def test_cancelling_a_batch_leaves_no_file(qtbot, labelled_model_dir: Path, tmp_path: Path) -> None:
    rows = [(str(i), f"the food was good {i} 味道很好", "") for i in range(60_000)]
    source = write_gbk_csv(tmp_path / "big.csv", rows)
    dialog = BatchPredictDialog(labelled_model_dir)
    qtbot.addWidget(dialog)
    dialog.set_input(source)
    output = tmp_path / "out.xlsx"
    dialog.output_edit.setText(str(output))
    cancelled: list[bool] = []
    dialog.start_button.click()
    job = dialog.job
    job.cancelled.connect(lambda: cancelled.append(True))
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=60_000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60_000)

    assert cancelled == [True]
    assert "nothing was saved" in dialog.status.text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]


def test_project_texts_are_stored_as_suggestions(
    qtbot, project: Project, labelled_model_dir: Path
) -> None:
    run_id = project_with_run(project, labelled_model_dir)
    negative = project.require_label("negative").id
    with project.bulk_writer() as writer:
        writer.add("awful plot", Split.TRAIN, [negative])
        unlabeled = [writer.add(text) for text in ("good film", "太难吃了", "it was fine")]
    session = ProjectSession(project)
    dialog = BatchPredictDialog(labelled_model_dir, session, run_id)
    qtbot.addWidget(dialog)
    dialog.project_choice.setChecked(True)
    with qtbot.waitSignal(session.examples_changed, timeout=60_000) as stored:
        dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)

    assert stored.args[0] == unlabeled
    saved = {p.example_id: p for p in project.predictions(run_id)}
    assert sorted(saved) == unlabeled
    result = dialog.table_model.result
    assert result.texts == [t for _, t in project.texts(ExampleFilter(unlabeled=True))]
    assert result.probabilities[0] == pytest.approx(list(saved[unlabeled[0]].probs))
