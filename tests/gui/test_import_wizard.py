"""The import wizard with real widgets, a real GBK file and a real project (offscreen Qt)."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.conftest import WAIMAI_CSV, needs_file

from bertdesk.core import UserInputError
from bertdesk.gui.importing.import_wizard import PROGRESS_STEPS, ImportWizard
from bertdesk.io import LISTED_LABEL_VALUES
from bertdesk.store import Project, normalize_text


@pytest.fixture
def waimai_gbk(tmp_path: Path) -> Path:
    """waimai_10k re-encoded as GBK, as a Chinese Excel user would save it.

    32 rows hold symbols GBK lacks (❤, ⋯ …); they become '?' like Excel's own "save as".
    """
    path = tmp_path / "waimai_gbk.csv"
    path.write_bytes(WAIMAI_CSV.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    return path


def expected_label_counts(path: Path) -> tuple[Counter[str], int]:
    """Label counts of the first occurrence of each distinct text, and how many repeats."""
    rows = csv.DictReader(io.StringIO(path.read_bytes().decode("gbk"), newline=""))
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    repeats = 0
    for row in rows:
        key = normalize_text(row["review"])
        if key in seen:
            repeats += 1
            continue
        seen.add(key)
        counts[row["label"]] += 1
    return counts, repeats


def shown_wizard(qtbot, project: Project, path: Path) -> ImportWizard:
    """The wizard on ``path`` (its preview page), shown as the app shows it."""
    wizard = ImportWizard(project, path)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def import_from_the_columns_page(qtbot, wizard: ImportWizard) -> None:
    """Next to the dry run, and once it is done, next to the import and its summary."""
    wizard.next()
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=30_000)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=30_000)


def advance_to_check(qtbot, wizard: ImportWizard) -> None:
    """From the preview (a dropped file opens there) through the mapping to a finished dry run."""
    assert wizard.currentPage() is wizard.preview_page
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    mapping = wizard.mapping_page
    mapping.text_combo.setCurrentText("review")
    mapping.set_label_columns(["label"])
    assert mapping.isComplete()
    wizard.next()
    assert wizard.currentPage() is wizard.check_page
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=30_000)


@needs_file(WAIMAI_CSV)
def test_imports_gbk_waimai_with_detected_encoding_and_label_counts(
    qtbot, project: Project, waimai_gbk: Path
) -> None:
    wizard = shown_wizard(qtbot, project, waimai_gbk)

    sniff = wizard.sniff
    assert sniff is not None
    assert sniff.encoding.lower().replace("-", "") in {"gb18030", "gbk", "gb2312", "cp936"}
    preview = wizard.preview_page
    assert codecs.lookup(preview.encoding_combo.currentText()).name == codecs.lookup(sniff.encoding).name
    assert preview.table.rowCount() > 0
    assert [preview.table.horizontalHeaderItem(c).text() for c in range(2)] == ["label", "review"]
    assert preview.table.item(0, 1).text() == "很快，好吃，味道足，量大"

    advance_to_check(qtbot, wizard)
    expected, repeats = expected_label_counts(waimai_gbk)
    dry_run = wizard.check_page.report
    assert dry_run is not None
    assert dry_run.skipped_duplicates == repeats
    assert dry_run.added == 11_987 - repeats
    assert project.count() == 0, "the dry run must not write"
    busy = wizard.check_page.busy_bar  # it showed how far through the file the dry run was
    assert (busy.maximum(), busy.value()) == (PROGRESS_STEPS, PROGRESS_STEPS)
    if dry_run.duplicates:
        assert not wizard.check_page.duplicates_table.isHidden()
        assert wizard.check_page.duplicates_table.rowCount() == min(len(dry_run.duplicates), 200)

    with qtbot.waitSignal(wizard.imported, timeout=60_000) as imported:
        wizard.next()
    report = imported.args[0]
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page)
    assert report.added == 11_987 - repeats
    assert project.count() == report.added
    assert project.stats().per_label_name() == expected
    assert str(report.added) in wizard.summary_page.summary_label.text()
    assert not wizard.running()


@needs_file(WAIMAI_CSV)
def test_cancel_leaves_the_project_unchanged(qtbot, project: Project, waimai_gbk: Path) -> None:
    with project.bulk_writer() as writer:
        writer.add("already here", label_ids=[writer.label_id("kept")])
    before = (project.count(), project.stats().per_label_name(), [l.name for l in project.labels()])

    wizard = shown_wizard(qtbot, project, waimai_gbk)
    advance_to_check(qtbot, wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.progress_page
    wizard.progress_page.cancel_button.click()
    qtbot.waitUntil(lambda: not wizard.running(), timeout=60_000)

    assert "cancelled" in wizard.progress_page.message_label.text().lower()
    assert wizard.report is None
    assert (project.count(), project.stats().per_label_name(), [l.name for l in project.labels()]) == before


@needs_file(WAIMAI_CSV)
def test_closing_during_import_cancels_then_closes(qtbot, project: Project, waimai_gbk: Path) -> None:
    wizard = shown_wizard(qtbot, project, waimai_gbk)
    advance_to_check(qtbot, wizard)
    wizard.next()
    wizard.reject()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=60_000)
    assert not wizard.running()
    expected, _repeats = expected_label_counts(waimai_gbk)
    assert project.count() in (0, sum(expected.values())), "all or nothing"


def test_bad_file_shows_a_message_and_stays(qtbot, project: Project, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a spreadsheet at all\x00\x01\x02")
    wizard = shown_wizard(qtbot, project, broken)

    assert wizard.currentPage() is wizard.file_page
    message = wizard.file_page.error_label
    assert message.isVisible()
    assert "broken.xlsx" in message.text() or "xlsx" in message.text().lower()

    wizard.file_page.path_edit.setText(str(tmp_path / "missing.csv"))
    assert not message.isVisible(), "a new path clears the old message"
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert "missing.csv" in message.text()


def test_preview_rereads_with_the_chosen_encoding_and_delimiter(
    qtbot, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "reviews.csv"
    path.write_bytes("句子;标签\n味道很好，下次还来;正面\n送餐太慢了;负面\n".encode("gbk"))
    wizard = shown_wizard(qtbot, project, path)
    preview = wizard.preview_page
    assert wizard.sniff is not None and wizard.sniff.delimiter == ";"
    # Three short lines are too little to tell GBK from other legacy encodings for sure:
    # whatever was detected, choosing the encoding must re-read the preview with it.
    choose_encoding(preview, "latin-1")
    assert wizard.sniff is not None and codecs.lookup(wizard.sniff.encoding).name == "iso8859-1"
    assert preview.encoding_combo.currentText() == "latin-1"
    assert preview.table.item(0, 0).text() != "味道很好，下次还来"

    choose_encoding(preview, "gbk")
    assert preview.table.item(0, 0).text() == "味道很好，下次还来"
    choose_delimiter(preview, ",")
    assert wizard.sniff is not None and wizard.sniff.delimiter == ","
    assert preview.table.columnCount() == 1
    assert preview.table.item(0, 0).text() == "味道很好，下次还来;正面"

    choose_delimiter(preview, ";")
    wizard.next()
    mapping = wizard.mapping_page
    assert mapping.text_combo.currentText() == "句子"
    assert mapping.label_columns() == ["标签"]
    assert codecs.lookup(mapping.options().encoding).name == "gbk"
    assert mapping.options().delimiter == ";"


def choose_encoding(preview, encoding: str) -> None:
    preview.encoding_combo.setCurrentText(encoding)
    preview.encoding_combo.activated.emit(preview.encoding_combo.currentIndex())


def choose_delimiter(preview, delimiter: str) -> None:
    index = preview.delimiter_combo.findData(delimiter)
    preview.delimiter_combo.setCurrentIndex(index)
    preview.delimiter_combo.activated.emit(index)


def test_dry_run_error_is_shown_and_blocks_the_import(qtbot, project: Project, tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text("text,label\ngood food,positive;food\nslow service,negative\n", encoding="utf-8")
    wizard = shown_wizard(qtbot, project, path)
    wizard.next()
    wizard.mapping_page.separator_edit.setText(";")
    assert wizard.mapping_page.multi_button.isChecked()  # a separator suggests several labels
    wizard.mapping_page.single_button.setChecked(True)  # but the user insists on one
    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(lambda: not wizard.running(), timeout=30_000)
    assert check.error_label.isVisible()
    assert "one label" in check.error_label.text()
    assert not check.isComplete()
    assert project.count() == 0


def test_importing_the_same_file_twice_says_there_is_nothing_new(
    qtbot, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("text,label\ngood food,positive\nslow service,negative\n", encoding="utf-8")
    with project.bulk_writer() as writer:
        for text in ("good food", "Slow  service"):
            writer.add(text)
    wizard = shown_wizard(qtbot, project, path)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.running(), timeout=30_000)
    check = wizard.check_page
    assert check.report is not None and check.report.skipped_duplicates == 2
    assert check.error_label.isVisible() and "nothing new" in check.error_label.text()
    assert not check.isComplete()


def test_excel_sheet_choice_rereads_the_preview(qtbot, project: Project, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    first.title = "notes"
    first.append(["remark"])
    first.append(["not the data"])
    reviews = workbook.create_sheet("reviews")
    reviews.append(["评论", "标签"])
    reviews.append(["菜很好吃", "正面"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)

    wizard = shown_wizard(qtbot, project, path)
    preview = wizard.preview_page
    assert not preview.sheet_combo.isHidden()
    assert not preview.encoding_combo.isVisibleTo(preview), "Excel has no encoding to choose"
    preview.sheet_combo.setCurrentText("reviews")
    preview.sheet_combo.activated.emit(preview.sheet_combo.currentIndex())
    assert wizard.sniff is not None and wizard.sniff.sheet == "reviews"
    assert preview.table.item(0, 0).text() == "菜很好吃"
    wizard.next()
    assert wizard.mapping_page.options().sheet == "reviews"
    assert wizard.mapping_page.text_combo.currentText() == "评论"


def test_a_report_title_above_the_header_is_shown_as_skipped_and_not_imported(
    qtbot, project: Project, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2024年3月外卖评论导出"])
    sheet.merge_cells("A1:C1")
    sheet.append(["序号", "评论", "标签"])
    for number in range(1, 9):
        sheet.append([number, f"{'味道很好' if number % 2 else '送餐太慢了'}，第 {number} 单", "正面" if number % 2 else "负面"])
    path = tmp_path / "report.xlsx"
    workbook.save(path)
    wizard = shown_wizard(qtbot, project, path)
    preview = wizard.preview_page
    assert preview.title_label.isVisible() and preview.title_label.text().startswith("2024年3月外卖评论导出 (above")
    assert [preview.table.horizontalHeaderItem(i).text() for i in range(3)] == ["序号", "评论", "标签"]
    assert preview.table.rowCount() == 8
    wizard.next()
    assert wizard.mapping_page.text_combo.currentText() == "评论" and wizard.mapping_page.label_columns() == ["标签"]
    import_from_the_columns_page(qtbot, wizard)
    assert project.count() == 8 and project.stats().per_label_name() == {"正面": 4, "负面": 4}


def test_a_file_of_unknown_encoding_opens_on_the_preview_to_choose_it(qtbot, project: Project, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"  # two encodings, too few lines to tell: the user chooses
    path.write_bytes("text,label\n味道不错,正面\n".encode() + "太慢了,负面\n".encode("gbk") + "还行,正面\n".encode())
    wizard = shown_wizard(qtbot, project, path)
    preview = wizard.preview_page
    assert wizard.currentPage() is preview and "Cannot tell which text encoding mixed.csv uses" in preview.error_label.text()
    assert preview.encoding_combo.isVisible() and not preview.isComplete()  # Next waits for the choice
    assert preview.detected_label.text() == "not detected: choose it"
    choose_encoding(preview, "utf-8")
    assert preview.isComplete() and not preview.error_label.isVisibleTo(preview)
    assert [preview.table.item(row, 0).text() for row in range(preview.table.rowCount())] == ["味道不错", "还行"]
    wizard.next()
    wizard.mapping_page.set_label_columns(["label"])
    wizard.next()
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=30_000)
    problems = wizard.check_page.malformed_table
    assert [(problems.item(0, 0).text(), problems.item(0, 1).text())] == [("3", "is not valid utf-8 text")]
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=30_000)
    assert project.count() == 2


def test_json_arrays_offer_the_header_choice_and_records_do_not(qtbot, project: Project, tmp_path: Path) -> None:
    import json

    pairs = [[f"味道不错，第 {i} 次点这家了", ("好评", "差评")[i % 2]] for i in range(8)]
    arrays, records = tmp_path / "pairs.json", tmp_path / "records.json"
    arrays.write_text(json.dumps(pairs, ensure_ascii=False), encoding="utf-8")
    records.write_text(json.dumps([{"text": t, "label": l} for t, l in pairs], ensure_ascii=False), encoding="utf-8")
    wizard = shown_wizard(qtbot, project, arrays)
    preview = wizard.preview_page
    assert preview.header_box.isVisible() and not preview.header_box.isChecked()
    assert preview.table.rowCount() == 8
    preview.header_box.click()  # the user says the first array names the columns
    assert wizard.sniff is not None and wizard.sniff.columns == pairs[0] and preview.table.rowCount() == 7
    other = shown_wizard(qtbot, project, records)
    assert not other.preview_page.header_box.isVisibleTo(other.preview_page)


def on_mapping_page(qtbot, project: Project, path: Path) -> ImportWizard:
    """A wizard on the column page of ``path``, its label values read."""
    wizard = shown_wizard(qtbot, project, path)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    qtbot.waitUntil(lambda: not wizard.running(), timeout=30_000)
    return wizard


def test_raw_label_values_are_listed_and_imported_under_the_names_given(
    qtbot, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "sst.tsv"
    path.write_text("sentence\tlabel\nfine film\t1\ndull film\t0\ngood fun\t1\n", encoding="utf-8")
    wizard = on_mapping_page(qtbot, project, path)
    names = wizard.mapping_page.names_table
    assert wizard.mapping_page.names_panel.isVisible()
    assert [(names.item(r, 0).text(), names.item(r, 1).text()) for r in range(names.rowCount())] == [
        ("1", "1"), ("0", "0"),  # in the order the file first uses them; the raw value by default
    ]
    assert not names.item(0, 0).flags() & Qt.ItemFlag.ItemIsEditable
    names.item(0, 1).setText("positive")
    names.item(1, 1).setText("negative")
    wizard.next()
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=30_000)
    assert wizard.check_page.report.labels_created == ["positive", "negative"]
    assert "New labels: positive, negative" in wizard.check_page.summary_label.text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=30_000)
    assert project.stats().per_label_name() == {"positive": 2, "negative": 1}


def test_label_values_follow_the_label_columns_and_say_when_there_are_too_many(
    qtbot, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("text,label,id\n" + "".join(f"text {i},{'ab'[i % 2]},{i}\n" for i in range(60)),
                    encoding="utf-8")
    wizard = on_mapping_page(qtbot, project, path)
    mapping = wizard.mapping_page
    assert mapping.names_table.rowCount() == 2
    mapping.names_table.item(0, 1).setText("alpha")
    mapping.set_label_columns(["id"])
    qtbot.waitUntil(lambda: mapping.names_table.rowCount() == LISTED_LABEL_VALUES, timeout=30_000)
    assert "More than 50 different values" in mapping.names_note.text()
    mapping.set_label_columns([])
    qtbot.waitUntil(lambda: not mapping.names_panel.isVisible(), timeout=5_000)
    mapping.set_label_columns(["label"])
    qtbot.waitUntil(lambda: mapping.names_table.rowCount() == 2, timeout=30_000)
    assert mapping.names_table.item(0, 1).text() == "alpha"  # a name typed is kept
    assert mapping.options().label_names == {"a": "alpha"}


def test_label_cells_that_are_lists_fill_in_their_separator_unless_the_user_typed_one(
    qtbot, project: Project, tmp_path: Path
) -> None:
    tags = ["食物", "价格", "配送", "服务"]
    path = tmp_path / "topics.csv"
    path.write_text("text,labels\n" + "".join(
        f"第 {i} 条评论,{';'.join(tags[j] for j in range(4) if (i >> j) & 1) or '服务'}\n" for i in range(1, 40)),
        encoding="utf-8")
    wizard = on_mapping_page(qtbot, project, path)
    mapping = wizard.mapping_page
    qtbot.waitUntil(lambda: mapping.names_table.rowCount() == len(tags), timeout=30_000)
    assert mapping.separator_edit.text() == ";" and mapping.multi_button.isChecked()
    assert sorted(mapping.names_table.item(row, 0).text() for row in range(len(tags))) == sorted(tags)
    mapping.separator_edit.clear()  # the user wants the cells whole
    mapping.separator_edit.textEdited.emit("")
    qtbot.waitUntil(lambda: mapping.names_table.rowCount() > len(tags), timeout=30_000)
    assert mapping.separator_edit.text() == ""


def test_the_check_page_names_the_spellings_read_as_one_label(qtbot, project: Project, tmp_path: Path) -> None:
    path = tmp_path / "case.csv"
    path.write_text("text,label\na1,好评\na2,Positive\na3,positive\na4,好评 \n", encoding="utf-8")
    wizard = on_mapping_page(qtbot, project, path)
    assert [wizard.mapping_page.names_table.item(row, 0).text() for row in range(2)] == ["好评", "Positive"]
    wizard.next()
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=30_000)
    assert "Labels written in several ways, read as one: positive → Positive" in wizard.check_page.summary_label.text()


def test_a_project_without_texts_chooses_multi_label_in_the_wizard(
    qtbot, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "topics.csv"
    path.write_text("text,topic\ngood food,food\nslow and cold,delivery\n", encoding="utf-8")
    assert not project.multi_label
    wizard = on_mapping_page(qtbot, project, path)
    mapping = wizard.mapping_page
    assert mapping.mode_row.isVisible() and mapping.single_button.isChecked()
    mapping.multi_button.setChecked(True)
    wizard.next()
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=30_000)
    assert project.multi_label
    with Project.open(project.path) as again:
        assert again.multi_label  # stored, not only on this object
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=30_000)
    wizard.close()

    second = on_mapping_page(qtbot, project, path)  # the project holds texts now: no choice
    assert not second.mapping_page.mode_row.isVisible()
    with pytest.raises(UserInputError, match="keeps its labeling mode"):
        project.set_multi_label(False)
    assert project.multi_label


def test_the_summary_lists_twenty_new_labels_and_what_texts_already_there_took(  # type: ignore[no-untyped-def]
    qtbot, qapp, project: Project, tmp_path: Path
) -> None:
    from bertdesk.gui.common.settings import install_translator
    from bertdesk.io import ImportReport

    install_translator(qapp, "en")  # its plurals: "1 text", "2 texts"
    data = tmp_path / "intents.csv"
    data.write_text("text,label\nbook a flight,book_flight\n", encoding="utf-8")
    wizard = ImportWizard(project, data)
    qtbot.addWidget(wizard)
    report = ImportReport(added=5, labels_created=[f"intent_{i:03d}" for i in range(150)],
                          skipped_duplicates=6, already_in_project=5, labelled_existing=3, split_existing=2,
                          kept_split=1,
                          per_split={"test": 4, "unassigned": 1})
    lines = wizard.describe(report, dry_run=False).splitlines()
    assert lines[1] == "Splits: test: 4, unassigned: 1"  # the Label tab's names for them
    assert "New labels: intent_000, intent_001, " in lines[2] and lines[2].endswith("intent_019 and 130 more")
    assert lines[3] == ("Skipped: 0 empty, 6 duplicates (5 of them texts the project already has), "
                        "0 unreadable lines.")  # what the texts there took after
    assert lines[4:7] == [
        "3 texts already in the project, unlabelled, took the labels the file gives them.",
        "2 texts already in the project, in no split, went to the splits the file names for them.",
        "1 text already in the project kept a split other than the one the file names (to move some: "
        "right-click them in the Label tab, Move to split).",
    ]
    coming = wizard.describe(report, dry_run=True).splitlines()  # the check page: the same, to come
    assert coming[4:7] == [
        "3 texts already in the project, unlabelled, will take the labels the file gives them.",
        "2 texts already in the project, in no split, will go to the splits the file names for them.",
        "1 text already in the project will keep a split other than the one the file names (to move some: "
        "right-click them in the Label tab, Move to split).",
    ]


def test_a_file_without_a_header_is_previewed_and_imported_from_its_first_line(
    qtbot, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "reviews.tsv"
    reviews = [(f"{'味道很好' if i % 2 else '送餐太慢了'}，第 {i} 单", "正面" if i % 2 else "负面") for i in range(12)]
    path.write_bytes("".join(f"{text}\t{label}\n" for text, label in reviews).encode("gb18030"))
    wizard = shown_wizard(qtbot, project, path)
    preview = wizard.preview_page
    assert preview.header_box.isVisible() and not preview.header_box.isChecked()
    assert not preview.title_label.isVisibleTo(preview)
    assert preview.table.horizontalHeaderItem(0).text() == "column 1"
    assert preview.table.item(0, 0).text() == reviews[0][0]
    preview.header_box.click()  # the user says the first line names the columns
    assert wizard.sniff is not None and wizard.sniff.columns == list(reviews[0])
    assert preview.table.rowCount() == len(reviews) - 1
    preview.header_box.click()
    assert wizard.sniff is not None and not wizard.sniff.has_header
    choose_encoding(preview, "gb18030")  # another reading keeps the user's choice
    assert not preview.header_box.isChecked()
    wizard.next()
    mapping = wizard.mapping_page
    assert mapping.text_combo.currentText() == "column 1" and mapping.label_columns() == ["column 2"]
    assert mapping.options().header is False
    import_from_the_columns_page(qtbot, wizard)
    assert project.count() == len(reviews) and project.stats().per_label_name() == {"负面": 6, "正面": 6}


def test_json_lists_of_several_labels_make_a_project_without_texts_multi_label(
    qtbot, project: Project, tmp_path: Path
) -> None:
    """Each text's labels as a JSON list: one label per text would refuse the file on the next page."""
    path = tmp_path / "news.jsonl"
    rows = [("матч гол", ["спорт"]), ("выборы и рубль", ["политика", "экономика"]), ("закон", ["политика"])]
    path.write_text("".join(json.dumps({"text": text, "labels": labels}, ensure_ascii=False) + "\n"
                            for text, labels in rows), encoding="utf-8")
    wizard = on_mapping_page(qtbot, project, path)
    mapping = wizard.mapping_page
    qtbot.waitUntil(lambda: mapping.names_table.rowCount() == 3, timeout=30_000)
    assert mapping.label_columns() == ["labels"] and mapping.separator_edit.text() == ""
    assert mapping.multi_button.isChecked()
    import_from_the_columns_page(qtbot, wizard)
    assert project.multi_label and project.stats().labelled == 3
