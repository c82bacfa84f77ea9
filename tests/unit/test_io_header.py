"""Files whose first line is a text, not column names: detected, or as the user says.

Chinese data sets often come as ``text<TAB>label`` lines with no header (THUCNews, many
tutorials' TSVs). Read as a header, the first text was lost and the columns were named after
it. The check must also keep every headed file headed: its default is the header.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from openpyxl import Workbook

from bertdesk.core import UserInputError
from bertdesk.io import ImportOptions, import_file, iter_records, likely_label_separator, preview_import, sniff_file
from bertdesk.io.tables import first_row_is_header, open_table, table_start
from bertdesk.store import ExampleFilter, Project
from tests.conftest import WAIMAI_CSV, needs_file

REVIEWS = [
    ("味道不错，送餐也快，下次还点", "正面"), ("等了一个多小时，饭都凉了", "负面"),
    ("量很足，价格实惠", "正面"), ("太咸了，吃不下", "负面"), ("包装很用心，好评", "正面"),
    ("送错了，打电话也没人理", "负面"), ("一直点这家，稳定", "正面"), ("米饭是夹生的", "负面"),
]


def headerless_tsv(path: Path, encoding: str = "utf-8") -> Path:
    path.write_bytes("".join(f"{text}\t{label}\n" for text, label in REVIEWS).encode(encoding))
    return path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def stored_texts(project: Project) -> list[tuple[str, tuple[str, ...]]]:
    names = {label.id: label.name for label in project.labels()}
    return [(row.text, tuple(names[i] for i in row.label_ids)) for row in project.page(ExampleFilter(), 0, 1000)]


def test_a_headerless_tsv_keeps_its_first_text_and_its_labels(tmp_path: Path) -> None:
    data = headerless_tsv(tmp_path / "reviews.tsv", "gb18030")
    sniff = sniff_file(data)
    assert not sniff.has_header and sniff.columns == ["column 1", "column 2"]
    assert sniff.preview_rows[0] == {"column 1": REVIEWS[0][0], "column 2": "正面"}
    assert sniff.likely_text_column() == "column 1" and sniff.likely_label_column() == "column 2"
    with Project.create(tmp_path / "p.bertdesk") as project:
        report = import_file(project, data, ImportOptions(label_columns=["column 2"]))
        assert report.added == len(REVIEWS) and not report.has_header and report.text_column == "column 1"
        assert stored_texts(project) == [(text, (label,)) for text, label in REVIEWS]


def test_the_user_can_say_the_first_line_is_or_is_not_a_header(tmp_path: Path) -> None:
    data = headerless_tsv(tmp_path / "reviews.tsv")
    as_header = sniff_file(data, header=True)
    assert as_header.has_header and as_header.columns == list(REVIEWS[0])
    assert len(as_header.preview_rows) == len(REVIEWS) - 1
    named = tmp_path / "named.csv"
    named.write_text("评论正文,评分\n" + "".join(f"{text},{i % 5}\n" for i, (text, _) in enumerate(REVIEWS)))
    assert sniff_file(named).has_header
    forced = sniff_file(named, header=False)
    assert forced.columns == ["column 1", "column 2"] and forced.preview_rows[0]["column 1"] == "评论正文"
    records = list(iter_records(named, ImportOptions(text_column="column 1", header=False)))
    assert [r.text for r in records][:2] == ["评论正文", REVIEWS[0][0]]


@pytest.mark.parametrize(
    ("first", "rest", "header"),
    [
        # known column names, whatever the rows
        (["text", "label"], [["a", "b"]] * 5, True),
        # ... unless the column holds the name as a value: CLINC150's intent "text"
        (["send a text to mom", "text"], [[f"request {i}", ("text", "weather", "alarm")[i % 3]] for i in range(9)], False),
        (["文本", "标签"], [["好", "正面"]] * 5, True),
        # a word above numbers names them; a number above numbers is one of them
        (["review_body", "stars"], [[f"text {i}", str(i % 5)] for i in range(9)], True),
        (["great food", "4"], [[f"text {i}", str(i % 5)] for i in range(9)], False),
        # a label the column repeats is data; a word the label column never holds is a name
        (["soup was cold", "neg"], [[f"review {i}", ("pos", "neg")[i % 2]] for i in range(9)], False),
        (["comment", "polarity"], [[f"review {i}", ("pos", "neg")[i % 2]] for i in range(9)], True),
        # one column of texts: a line as long as the texts is one of them, a short word is a name
        (["this place was fine, nothing special"], [[f"food number {i}" + ", and more" * i] for i in range(9)], False),
        (["tweet"], [[f"food number {i}" + ", and more" * i] for i in range(9)], True),
        (["a name longer than every text below"], [[f"food {i}"] for i in range(9)], True),
        # a survey export: long questions over short answers, a timestamp over timestamps
        (["Timestamp", "What did you like most about the course?", "What should we improve next time?"],
         [[f"2024/01/{day:02d} 10:{day:02d}:00", ("the labs", "pacing")[day % 2], f"more examples {day}"]
          for day in range(1, 20)], True),
        (["您对本次外卖服务的评价是什么？", "还有什么想对商家说的"], [[f"好吃{i}", f"加油{i}"] for i in range(9)], True),
        (["2024/02/03 09:15:00", "the labs were the best part of it", "slower please"],
         [[f"2024/01/{day:02d} 10:{day:02d}:00", f"answer {day}", f"idea {day}"] for day in range(1, 20)], False),
        # too few rows to tell: the header, as before the check
        (["好吃", "正面"], [["难吃", "负面"]], True),
        # but a few texts of one column say it: a short file of texts to predict
        (["一般般，也就顶多值优惠过的价格！"], [["谢谢骑士，辛苦了～～"], ["咖啡全部都撒了出来，运输环境太差"]], False),
    ],
)
def test_first_row_is_header(first: list[str], rest: list[list[str]], header: bool) -> None:
    assert first_row_is_header(first, rest) is header


@needs_file(WAIMAI_CSV)
def test_real_reviews_without_their_header_are_told_from_them_with_it() -> None:
    """waimai's rows, shuffled 100 times: its header under other names stays a header, and
    its first row without one is read as data every time."""
    with WAIMAI_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    rng = random.Random(0)
    as_data = 0
    for _ in range(100):
        rng.shuffle(rows)
        as_data += not first_row_is_header(rows[0], rows[1:201])
        assert first_row_is_header(["评分", "评论正文"], rows[1:201])
    assert as_data == 100


def test_a_headerless_sheet_keeps_its_first_row(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for text, label in REVIEWS:
        sheet.append([text, label])
    book.save(tmp_path / "reviews.xlsx")
    table = open_table(tmp_path / "reviews.xlsx")
    assert not table.has_header and table.columns == ["column 1", "column 2"]
    assert [row.values for row in table.rows()][0] == list(REVIEWS[0])
    assert open_table(tmp_path / "reviews.xlsx", header=True).columns == list(REVIEWS[0])


def test_a_row_wider_than_a_headerless_first_line_says_so(tmp_path: Path) -> None:
    data = headerless_tsv(tmp_path / "reviews.tsv")
    with data.open("a", encoding="utf-8") as handle:
        handle.write("one\ttoo\tmany\n")
    with Project.create(tmp_path / "p.bertdesk") as project:
        report = preview_import(data, ImportOptions(), project=project)
    assert report.malformed == [(len(REVIEWS) + 1, "has 3 fields where the first line has 2")]


def test_a_file_of_one_line_still_asks_for_texts_under_its_header(tmp_path: Path) -> None:
    data = tmp_path / "one.csv"
    data.write_text("just one line\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="header line but no rows"):
        sniff_file(data)
    assert sniff_file(data, header=False).preview_rows == [{"column 1": "just one line"}]


@pytest.mark.parametrize(
    ("header", "rows", "text_column"),
    [
        # A review beside its score and date: the names are unknown, the texts plain.
        (["评分", "评论正文", "日期"], [[str(i % 5), text, f"2024-03-{i + 1:02d}"] for i, (text, _) in enumerate(REVIEWS)],
         "评论正文"),
        # Order ids longer than the messages are numbers, not texts.
        (["订单号", "留言"], [[f"2024031512345678{i:02d}", text] for i, (text, _) in enumerate(REVIEWS)], "留言"),
        # A question beside its answer: either may be the text, so bertdesk asks.
        (["问", "答"], [[text, REVIEWS[-1 - i][0]] for i, (text, _) in enumerate(REVIEWS)], None),
        (["a", "b"], [["1", "2"], ["3", "4"]], None),  # numbers only: nothing to read
    ],
)
def test_a_header_of_unknown_names_gets_its_clearly_longest_column_as_the_texts(
    tmp_path: Path, header: list[str], rows: list[list[str]], text_column: str | None
) -> None:
    data = write_csv(tmp_path / "export.csv", [header, *rows])
    with Project.create(tmp_path / "p.bertdesk") as project:
        if text_column is None:
            with pytest.raises(UserInputError, match="Which column of export.csv holds the texts"):
                import_file(project, data, ImportOptions())
            return
        report = import_file(project, data, ImportOptions())
        assert report.has_header and report.text_column == text_column and report.text_column_guessed
        assert [text for text, _ in stored_texts(project)] == [text for text, _ in REVIEWS]
        named = import_file(project, data, ImportOptions(text_column=text_column))
        assert not named.text_column_guessed and named.skipped_duplicates == len(REVIEWS)


@pytest.mark.parametrize(
    ("header", "rows", "label_column"),
    [
        (["用户留言", "态度"], [[text, "好评" if label == "正面" else "差评"] for text, label in REVIEWS], "态度"),
        (["用户留言", "极性值"], [[text, str(int(label == "正面"))] for text, label in REVIEWS], "极性值"),
        # a score beside a sentiment: either may be what the user labels by
        (["评分", "用户留言", "态度"], [[str(i % 3 + 1), text, label] for i, (text, label) in enumerate(REVIEWS)], None),
        # a date the texts share is not a label
        (["日期", "用户留言"], [["2024-03-01" if i % 2 else "2024-03-02", text] for i, (text, _) in enumerate(REVIEWS)], None),
        # names bertdesk knows, in Japanese
        (["テキスト", "ラベル"], [[text, label] for text, label in REVIEWS], "ラベル"),
    ],
)
def test_a_sole_column_of_label_like_values_is_offered_as_the_labels(
    tmp_path: Path, header: list[str], rows: list[list[str]], label_column: str | None
) -> None:
    data = write_csv(tmp_path / "export.csv", [header, *rows])
    sniff = sniff_file(data)
    assert sniff.has_header and sniff.likely_label_column() == label_column


INTENTS = [("that is accurate", "yes"), ("how much is in my checking account", "balance"),
           ("text my wife that i am late", "text"), ("yes that is right", "yes"),
           ("what is my savings balance", "balance"), ("send a text to mom", "text"),
           ("correct", "yes"), ("tell me my balance", "balance")]
NUMBERED = [[str(number), text, label] for number, (text, label) in enumerate(REVIEWS, start=1)]


@pytest.mark.parametrize(
    ("rows", "header", "start"),
    [
        # A report's title (Excel writes the merged cell's row with empty cells), then its date.
        ([["2024年3月外卖评论导出", "", ""], ["序号", "评论", "标签"], *NUMBERED], None, (1, True)),
        ([["外卖评论导出"], ["导出日期：2024-03-01"], ["序号", "评论", "标签"], *NUMBERED], None, (2, True)),
        ([["外卖评论导出"], ["序号", "评论", "标签"], *NUMBERED], True, (1, True)),
        # The user says the first line is data: nothing of the table's width is skipped; a line
        # without its delimiters cannot be one of its rows.
        ([["外卖评论导出", "", ""], ["序号", "评论", "标签"], *NUMBERED], False, (0, False)),
        ([["外卖评论导出"], ["序号", "评论", "标签"], *NUMBERED], False, (1, False)),
        # A title line above a table without column names (CLINC150's rows, one of its intents
        # named like a column): the table starts below it, its first row a text.
        ([["CLINC150 export"], *[[text, intent] for text, intent in INTENTS]], None, (1, False)),
        # A headerless file whose first texts have no label yet loses none of them.
        ([["味道不错，送餐也快", ""], ["等了一个多小时", ""], *map(list, REVIEWS)], None, (0, False)),
        # More rows of one cell than a title has: they are the table's.
        ([[f"第 {i} 行"] for i in range(6)] + [["序号", "评论", "标签"], *NUMBERED], None, (0, True)),
        # Below the "header" most rows hold one cell: texts without labels, not a titled table.
        ([["外卖评论"], ["用户", "留言"], *[["", text] for text, _ in REVIEWS]], None, (0, True)),
    ],
)
def test_title_rows_above_a_header_are_skipped_and_nothing_else(
    rows: list[list[str]], header: bool | None, start: tuple[int, bool]
) -> None:
    assert table_start(rows, header) == start


@pytest.mark.parametrize("suffix", [".tsv", ".xlsx"])
def test_a_title_line_above_a_headerless_table_is_skipped_and_every_row_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    """The title has no tab (in a sheet: no second cell): read as the first row, it made every
    row after it too wide, and nothing could be imported."""
    from bertdesk.cli import main

    rows = [["CLINC150 export 2024-05-01"], *map(list, INTENTS)]
    data = tmp_path / f"intents{suffix}"
    if suffix == ".tsv":
        data.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    else:
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(data)
    sniff = sniff_file(data)
    assert not sniff.has_header and sniff.title_rows == ["CLINC150 export 2024-05-01"]
    with Project.create(tmp_path / "p.bertdesk") as project:
        report = import_file(project, data, ImportOptions(label_columns=["column 2"]))
        assert report.added == len(INTENTS) and report.malformed == []
        assert stored_texts(project) == [(text, (intent,)) for text, intent in INTENTS]
    assert main(["-q", "import", str(tmp_path / "p.bertdesk"), str(data)]) == 0
    assert "Above the table, skipped as a title, having fewer columns than its rows: " \
           "'CLINC150 export 2024-05-01'" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_report_with_a_title_above_its_header_imports_its_rows(tmp_path: Path, suffix: str) -> None:
    rows = [["2024年3月外卖评论导出", "", ""], ["导出日期：2024-03-01", "", ""], ["序号", "评论", "标签"], *NUMBERED]
    data = tmp_path / f"report{suffix}"
    if suffix == ".csv":
        write_csv(data, rows)
    else:
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.active.merge_cells("A1:C1")
        book.save(data)
    sniff = sniff_file(data)
    assert sniff.columns == ["序号", "评论", "标签"] and sniff.title_rows == ["2024年3月外卖评论导出", "导出日期：2024-03-01"]
    assert (sniff.likely_text_column(), sniff.likely_label_column()) == ("评论", "标签")
    with Project.create(tmp_path / "p.bertdesk") as project:
        report = import_file(project, data, ImportOptions(label_columns=["标签"]))
        assert report.added == len(REVIEWS) and report.malformed == [] and report.title_rows == sniff.title_rows
        assert stored_texts(project) == [(text, (label,)) for text, label in REVIEWS]
        again = import_file(project, data, ImportOptions(label_columns=["标签"]))
        assert [line for line, _ in again.duplicates][:2] == [4, 5]  # the file's own line numbers


@pytest.mark.parametrize(
    ("values", "separator"),
    [
        (["食物;价格", "配送", "价格;服务", "食物", "服务;配送;食物"], ";"),
        (["joy|love", "anger", "joy", "love|surprise|joy", "surprise"], "|"),
        (["体育、财经", "财经", "科技、体育", "科技"], "、"),
        (["正面", "负面", "中性"], None),  # labels, not lists
        (["A|B testing", "other", "A|B testing"], None),  # a label holding the separator stays whole
        (["1,000", "2,000"], None),  # numbers: no fewer labels split
        (["pos;neg", "pos", "neg"], None),  # one list is too few to say
    ],
)
def test_label_cells_that_are_lists_are_told_by_their_separator(values: list[str], separator: str | None) -> None:
    assert likely_label_separator(values) == separator


def test_a_label_written_in_several_ways_is_one_label_spelt_as_the_project_spells_it(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "case.csv", [["text", "label"], ["a1", "Positive"], ["a2", "positive"],
                                              ["a3", "POSITIVE "], ["a4", "ｐｏｓｉｔｉｖｅ"], ["a5", "negative"],
                                              ["a6", "Negative"]])
    with Project.create(tmp_path / "p.bertdesk") as project:
        preview = preview_import(data, ImportOptions(label_columns=["label"]), project=project)
        assert preview.labels_created == ["Positive", "negative"]
        assert preview.spellings_by_label() == {"Positive": ["positive", "POSITIVE", "ｐｏｓｉｔｉｖｅ"],
                                                "negative": ["Negative"]}
        project.add_label("NEGATIVE")  # the project's spelling wins over the file's
        report = import_file(project, data, ImportOptions(label_columns=["label"], label_names={"POSITIVE": "好评"}))
        assert report.labels_created == ["好评"] and report.labels_folded["negative"] == "NEGATIVE"
        assert sorted(stored_texts(project)) == [(f"a{i}", ("好评",)) for i in range(1, 5)] + [
            ("a5", ("NEGATIVE",)), ("a6", ("NEGATIVE",))]
        project.add_label("Negative")  # two project labels alike: each keeps its own texts
        again = write_csv(tmp_path / "again.csv", [["text", "label"], ["b1", "Negative"], ["b2", "negative"]])
        import_file(project, again, ImportOptions(label_columns=["label"]))
        assert [labels for text, labels in stored_texts(project) if text.startswith("b")] == [("Negative",), ("NEGATIVE",)]


def test_a_label_cell_saying_nan_or_null_has_no_label(tmp_path: Path) -> None:
    rows = [["text", "label"], ["a1", "pos"], ["a2", "nan"], ["a3", "NULL"], ["a4", "None"], ["a5", "neg;nan"]]
    data = write_csv(tmp_path / "nan.csv", rows)
    with Project.create(tmp_path / "p.bertdesk", multi_label=True) as project:
        report = import_file(project, data, ImportOptions(label_columns=["label"], label_separator=";"))
        assert report.labels_created == ["pos", "None", "neg"]  # "None" may be meant: a label
        assert list(report.missing_label_marks) == ["nan", "NULL"]
        assert stored_texts(project) == [("a1", ("pos",)), ("a2", ()), ("a3", ()), ("a4", ("None",)), ("a5", ("neg",))]
