"""The columnar import of large CSV, TSV and Parquet files gives exactly what the row reader gives.

Each file is imported twice into fresh projects: once read row by row (the reference), once
with the columnar path forced on for any size and blocks of a few hundred bytes (or seven
Parquet rows), so that duplicates, labels and line numbers cross block boundaries. Reports
and stored rows must be equal, and so must the report of the dry run before each import;
the log says which files the columnar path handed back to the row reader.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import event

from bertdesk.core import BertdeskError, CancelToken, Cancelled, Split, UserInputError
from bertdesk.io import ImportOptions, ImportReport, import_file, preview_import, sniff_file
from bertdesk.io import columnar
from bertdesk.store import ExampleFilter, Project
from tests.conftest import plain_sqlite

ROW_BY_ROW = "is read row by row"


def stored(path: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    with plain_sqlite(path) as conn:
        return (
            conn.execute("SELECT id, text, text_hash, split, meta FROM examples ORDER BY id").fetchall(),
            conn.execute("SELECT example_id, label_id FROM annotations ORDER BY 1, 2").fetchall(),
            conn.execute("SELECT id, name, color, shortcut, position FROM labels ORDER BY id").fetchall(),
        )


def import_both_ways(
    tmp_path: Path, data: Path, options: ImportOptions, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture, multi_label: bool = True,
) -> tuple[ImportReport, ImportReport, bool]:
    """(row reader's report, columnar path's report, whether the columnar path kept the file)."""
    results = []
    for name, threshold in (("rows", 1 << 62), ("columns", 0)):
        monkeypatch.setattr(columnar, "COLUMNAR_MIN_BYTES", threshold)
        monkeypatch.setattr(columnar, "BLOCK_BYTES", 300)
        monkeypatch.setattr(columnar, "BLOCK_ROWS", 7)
        path = tmp_path / f"{name}.bertdesk"
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="bertdesk.io.importers"), \
                Project.create(path, multi_label=multi_label) as project:
            dry_run = preview_import(data, options, project=project)
            assert project.count() == 0 and project.labels() == []
            report = import_file(project, data, options)
        assert dry_run == report, name  # the dry run reads the file the way the import does
        results.append((report, stored(path), ROW_BY_ROW not in caplog.text))
    (rows_report, rows_stored, _), (columns_report, columns_stored, kept) = results
    assert columns_report == rows_report
    assert columns_stored == rows_stored
    return rows_report, columns_report, kept


def reviews(count: int = 60) -> list[str]:
    """Rows with multi-label cells, duplicates (some with other labels), empty texts, metadata."""
    lines = []
    for i in range(count):
        text = f"评论 {i % 23} the food was {'good' if i % 3 else 'cold'}"
        if i % 17 == 0:
            text = "   "
        if i % 11 == 0:
            text = text.upper()  # the same text after case folding
        topic = ("food;price", "delivery", "", " food ")[i % 4]
        sentiment = ("positive", "negative", "")[i % 3]
        lines.append(f"{text},{topic},{sentiment},{i * 7},note {i % 5}")
    return lines


@pytest.mark.parametrize(
    ("name", "newline", "encoding", "extra"),
    [
        ("plain", "\n", "utf-8", []),
        ("crlf", "\r\n", "utf-8", []),
        ("bom", "\n", "utf-8-sig", []),
        ("gb18030", "\n", "gb18030", []),
        ("quoted", "\n", "utf-8", ['"a ""quoted"" text, with a comma",food,positive,1,x',
                                   '"two\nlines, one text",price,negative,2,y']),
        ("no final newline", "", "utf-8", []),
    ],
)
def test_clean_files_are_read_by_blocks_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    name: str, newline: str, encoding: str, extra: list[str],
) -> None:
    body = ["text,topic,sentiment,score,note", *reviews(), *extra]
    data = tmp_path / "data.csv"
    data.write_bytes(((newline or "\n").join(body) + newline).encode(encoding))
    options = ImportOptions(label_columns=["topic", "sentiment"], label_separator=";",
                            encoding=encoding if encoding == "gb18030" else None)
    report, _, kept = import_both_ways(tmp_path, data, options, monkeypatch, caplog)
    assert kept, caplog.text
    assert report.skipped_duplicates > 0 and report.conflicting_duplicates > 0
    assert report.skipped_empty > 0 and report.labels_created[:2] == ["delivery", "negative"]  # row 0 is blank


def test_splits_bad_split_cells_and_kept_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [f"text {i % 40},{('train', 'dev', '', 'nonsense', '测试')[i % 5]},{i % 3}" for i in range(90)]
    data = tmp_path / "splits.tsv"
    data.write_text("\n".join(["text\tsplit\tlabel", *(r.replace(",", "\t") for r in rows)]) + "\n")
    for skip in (True, False):
        options = ImportOptions(label_columns=["label"], split_column="split", file_split="test",
                                skip_duplicates=skip)
        report, _, kept = import_both_ways(tmp_path, data, options, monkeypatch, caplog, False)
        assert kept, caplog.text
        assert len(report.malformed) == 18 and set(report.per_split) == {"train", "validation", "test"}
        for stale in tmp_path.glob("*.bertdesk*"):
            stale.unlink()


def test_raw_label_values_are_named_alike_by_both_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [f"text {i},{i % 3}" for i in range(90)]
    data = tmp_path / "digits.csv"
    data.write_text("\n".join(["text,label", *rows]) + "\n")
    options = ImportOptions(label_columns=["label"], label_names={"0": "negative", "1": " positive "})
    report, _, kept = import_both_ways(tmp_path, data, options, monkeypatch, caplog, False)
    assert kept, caplog.text
    assert report.labels_created == ["negative", "positive", "2"]  # a value not named keeps its own
    with Project.open(tmp_path / "columns.bertdesk") as project:
        assert project.stats().per_label_name() == {"negative": 30, "positive": 30, "2": 30}


def parquet_reviews(path: Path, **more_columns: object) -> None:
    """Reviews as Parquet: texts with nulls and duplicates, multi-label strings, integer
    labels, a dictionary-encoded split column with bad cells, and integer, boolean, null and
    large-string metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [line.split(",")[0] for line in reviews(90)]
    count = len(texts)
    columns = {
        "text": pa.array([None if i % 13 == 5 else t for i, t in enumerate(texts)]),
        "topic": pa.array([("food;price", "delivery", None, " food ")[i % 4] for i in range(count)]),
        "stars": pa.array([i % 5 if i % 7 else None for i in range(count)], pa.int16()),
        "split": pa.array([("train", "", "test", "nonsense")[i % 4] for i in range(count)]).dictionary_encode(),
        "score": pa.array(range(count), pa.int64()),
        "checked": pa.array([i % 2 == 0 for i in range(count)]),
        "nothing": pa.nulls(count),
        "note": pa.array([f"备注 {i % 5}" for i in range(count)], pa.large_string()),
        **more_columns,
    }
    pq.write_table(pa.table(columns), path)


def test_parquet_files_are_read_by_blocks_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data.parquet"
    parquet_reviews(data)
    options = ImportOptions(label_columns=["topic", "stars"], label_separator=";", split_column="split")
    report, _, kept = import_both_ways(tmp_path, data, options, monkeypatch, caplog)
    assert kept, caplog.text
    assert report.skipped_duplicates > 0 and report.conflicting_duplicates > 0
    assert report.skipped_empty > 0 and len(report.malformed) > 0
    assert {"0", "4", "food", "price"} <= set(report.labels_created)


def test_parquet_columns_that_print_otherwise_send_the_file_to_the_row_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import pyarrow as pa

    data = tmp_path / "data.parquet"
    # pyarrow prints 2.5e-05 as "0.000025", Python as "2.5e-05": floats stay with the row reader.
    parquet_reviews(data, rating=pa.array([i / 4e5 for i in range(90)]))
    options = ImportOptions(label_columns=["topic"], label_separator=";")
    _, _, kept = import_both_ways(tmp_path, data, options, monkeypatch, caplog)
    assert not kept and "column rating holds double" in caplog.text


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("quote closing mid-field", 'text,label\n"good"food,a\nfine,b\n'),
        ("quote inside an unquoted field", 'text,label\nthe 5" screen,a\nfine,b\n'),
        ("unclosed quote at the end", 'text,label\nfine,b\nbad,"a\n'),
        ("wrong field count", "text,label\nfine,b\none,two,three\n"),
        ("lone carriage return", "text,label\rfine,b\rok,a\r"),
        ("blank lines before duplicates", "text,label\n\nsame,a\n\n\nsame,b\n"),
        ("header over two lines", 'label,"te\nxt"\nb,fine\n'),
        ("NUL byte", "text,label\nfi\0ne,b\nok,a\n"),
    ],
)
def test_files_the_scan_or_the_blocks_cannot_be_sure_of_go_to_the_row_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    name: str, body: str,
) -> None:
    data = tmp_path / "data.csv"
    data.write_bytes(body.encode())
    monkeypatch.setattr("bertdesk.io.tables.SAMPLE_BYTES", 12)  # a NUL byte after it is not binary
    text_column = "te\nxt" if "te\nxt" in body else "text"
    options = ImportOptions(text_column=text_column, label_columns=["label"])
    _, _, kept = import_both_ways(tmp_path, data, options, monkeypatch, caplog)
    assert not kept


def test_a_line_that_is_not_utf8_is_named_by_the_row_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data.csv"
    head = "text,label\nfine,b\n"
    data.write_bytes(head.encode() + "坏,a\n".encode("gb18030"))
    monkeypatch.setattr("bertdesk.io.tables.SAMPLE_BYTES", len(head))  # the sample says UTF-8
    monkeypatch.setattr(columnar, "COLUMNAR_MIN_BYTES", 0)
    with Project.create(tmp_path / "p.bertdesk") as project:
        with pytest.raises(UserInputError, match="^Line 3 of data.csv is not valid utf-8"):
            import_file(project, data, ImportOptions(label_columns=["label"]))
        assert project.count() == 0


def test_two_labels_in_a_single_label_project_are_refused_by_the_row_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data.csv"
    data.write_text("text,label\none,x\ntwo,x;y\n")
    monkeypatch.setattr(columnar, "COLUMNAR_MIN_BYTES", 0)
    with Project.create(tmp_path / "p.bertdesk") as project, pytest.raises(UserInputError, match="line 3"):
        import_file(project, data, ImportOptions(label_columns=["label"], label_separator=";"))


def test_a_cancel_while_reading_blocks_leaves_the_project_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data.csv"
    data.write_text("text,label\n" + "".join(f"text {i},{i % 3}\n" for i in range(2000)))
    monkeypatch.setattr(columnar, "COLUMNAR_MIN_BYTES", 0)
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 1000)
    token = CancelToken()

    def cancel_midway(fraction: float, message: str) -> None:
        if "rows read" in message and fraction > 0.3:
            token.cancel()

    with Project.create(tmp_path / "p.bertdesk") as project:
        with pytest.raises(Cancelled):
            import_file(project, data, ImportOptions(label_columns=["label"]), cancel_midway, token)
        assert project.count() == 0 and project.labels() == []
        assert import_file(project, data, ImportOptions(label_columns=["label"])).added == 2000


@pytest.mark.parametrize("threshold", [0, 1 << 62], ids=["blocks", "rows"])
def test_a_full_disk_stops_the_import_with_a_clear_message_and_keeps_what_was_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int
) -> None:
    data = tmp_path / "data.csv"
    data.write_text("text,label\n" + "".join(f"{'a longer text ' * 5}{i},{i % 3}\n" for i in range(20_000)))
    monkeypatch.setattr(columnar, "COLUMNAR_MIN_BYTES", threshold)
    with Project.create(tmp_path / "p.bertdesk") as project:
        saved = project.add_example("saved before the disk filled up")
        with plain_sqlite(project.path) as conn:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
        # The file may grow by 100 pages (400 KB) only: SQLite says the disk is full beyond.
        project._engine.dispose()
        event.listen(project._engine, "connect",
                     lambda conn, _record: conn.execute(f"PRAGMA max_page_count={pages + 100}"))
        with pytest.raises(BertdeskError, match="is full") as raised:
            import_file(project, data, ImportOptions(label_columns=["label"]))
        assert "Free some space" in raised.value.hint
        assert [row.id for row in project.page(ExampleFilter(), 0, 10)] == [saved]
        assert project.labels() == []


@pytest.mark.parametrize("threshold", [0, 1 << 62], ids=["blocks", "rows"])
def test_an_import_puts_project_texts_in_no_split_in_the_split_its_file_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, threshold: int
) -> None:
    """A file naming the test set of texts the project already has (labelled or not): those in
    no split go there, one already in training stays there (a run may have learned from it)."""
    monkeypatch.setattr(columnar, "COLUMNAR_MIN_BYTES", threshold)
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 300)
    monkeypatch.setattr(columnar, "BLOCK_ROWS", 7)
    with Project.create(tmp_path / "p.bertdesk") as project:
        with project.bulk_writer() as writer:
            for i in range(20):
                writer.add(f"review number {i} of the shop", Split.TRAIN if i == 4 else Split.UNASSIGNED)
        data = tmp_path / "test_set.csv"
        data.write_text("text,split\n" + "".join(f"Review  number {i} of the shop,test\n" for i in range(0, 20, 2))
                        + "a new review,validation\n" + "review number 1 of the shop,\n"
                        + "review number 3 of the shop,unassigned\n", encoding="utf-8")
        preview = preview_import(data, ImportOptions(split_column="split"), project=project)
        assert (preview.split_existing, preview.kept_split) == (9, 1)  # the dry run says it first
        assert project.count(ExampleFilter(split=Split.TEST)) == 0  # and writes nothing
        with caplog.at_level(logging.INFO, logger="bertdesk.io.importers"):
            report = import_file(project, data, ImportOptions(split_column="split"))
        assert threshold or ROW_BY_ROW not in caplog.text, caplog.text  # blocks: the columnar path kept it
        assert (report.added, report.skipped_duplicates, report.split_existing, report.kept_split) == (1, 12, 9, 1)
        splits = {row.text: row.split.value for row in project.page(limit=100)}
    assert [splits[f"review number {i} of the shop"] for i in range(6)] == [
        "test", "unassigned", "test", "unassigned", "train", "unassigned"]
    assert splits["a new review"] == "validation" and list(splits.values()).count("test") == 9


def test_a_file_without_a_header_is_read_by_blocks_from_its_first_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "headerless.tsv"
    data.write_text("".join(f"review number {i} of the shop\t{('pos', 'neg')[i % 2]}\n" for i in range(80)),
                    encoding="utf-8")
    report, _, kept = import_both_ways(tmp_path, data, ImportOptions(label_columns=["column 2"]),
                                       monkeypatch, caplog)
    assert kept, caplog.text
    assert report.added == 80 and not report.has_header and report.labels_created == ["pos", "neg"]


def test_title_rows_above_the_header_are_skipped_by_blocks_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "report.csv"
    data.write_text("2024年3月评论导出,,,,\n\n导出人：张三,,,,\ntext,topic,sentiment,score,note\n"
                    + "\n".join(reviews()) + "\n", encoding="utf-8")
    report, _, kept = import_both_ways(tmp_path, data, ImportOptions(label_columns=["sentiment"]), monkeypatch, caplog)
    assert kept, caplog.text
    assert report.title_rows == ["2024年3月评论导出", "导出人：张三"] and report.labels_created == ["negative", "positive"]
    assert report.duplicates[0][0] == 5 + 25  # reviews()'s row 25 repeats row 2; the rows start on line 5


def test_a_long_document_is_one_text_and_only_a_field_over_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bertdesk.io.tables import MAX_FIELD_CHARS

    chapter = "第一章 " + "天" * 200_000  # over Python csv's own limit of 131,072 characters
    data = tmp_path / "book.csv"
    data.write_text(f"text,label\n{chapter},小说\nshort,短文\n", encoding="utf-8")
    report, _, _ = import_both_ways(tmp_path, data, ImportOptions(label_columns=["label"]), monkeypatch, caplog)
    assert report.added == 2 and report.malformed == []  # both paths alike (blocks of 300 bytes: the row reader)
    data.write_text(f"text,label\n{'天' * (MAX_FIELD_CHARS + 1)},小说\nshort,短文\n", encoding="utf-8")
    report = preview_import(data, ImportOptions(label_columns=["label"]))
    assert report.added == 1 and report.malformed == [(2, f"has a field longer than {MAX_FIELD_CHARS:,} characters")]


def test_an_excel_sep_line_names_the_delimiter_and_is_read_as_no_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "excel.csv"  # as Excel writes it where a comma is the decimal point
    lines = ["sep=;", "text;label", *(f"review {i}, of the shop;{('pos', 'neg')[i % 2]}" for i in range(80))]
    data.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    assert sniff_file(data).columns == ["text", "label"] and sniff_file(data).delimiter == ";"
    report, _, kept = import_both_ways(tmp_path, data, ImportOptions(label_columns=["label"]), monkeypatch, caplog)
    assert kept, caplog.text
    assert report.added == 80 and report.labels_created == ["pos", "neg"]
    data.write_bytes(("\r\n".join([*lines, "one;field;too many"]) + "\r\n").encode("utf-8"))
    with Project.create(tmp_path / "broken.bertdesk") as project:
        broken = import_file(project, data, ImportOptions(label_columns=["label"]))
    assert broken.added == 80 and [line for line, _ in broken.malformed] == [len(lines) + 1]
