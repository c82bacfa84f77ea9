"""Importing real and hand-made files: formats, encodings, columns, duplicates, broken lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bertdesk.core import CancelToken, Cancelled, Split, UserInputError
from bertdesk.io import (
    ImportOptions,
    LabelValues,
    UnknownEncoding,
    import_file,
    iter_records,
    label_values,
    likely_label_separator,
    preview_import,
    sniff_file,
)
from bertdesk.store import ExampleFilter, Project
from tests.conftest import WAIMAI_CSV, needs_file

WAIMAI_ROWS, WAIMAI_POSITIVE, WAIMAI_NEGATIVE = 11_987, 4_000, 7_987
# 7 texts occur twice exactly; 4 more pairs differ only in full- and half-width commas.
WAIMAI_EXACT_DUPLICATES, WAIMAI_NORMALISED_DUPLICATES = 7, 11


def write(path: Path, content: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(content.encode(encoding))
    return path


def texts_and_labels(project: Project) -> list[tuple[str, tuple[str, ...], str]]:
    names = {label.id: label.name for label in project.labels()}
    return [
        (row.text, tuple(names[i] for i in row.label_ids), row.split.value)
        for row in project.page(ExampleFilter(), 0, 1_000_000)
    ]


# ------------------------------------------------------------------------------ waimai
@needs_file(WAIMAI_CSV)
def test_waimai_imports_with_its_labels_and_reports_duplicates(project: Project) -> None:
    report = import_file(project, WAIMAI_CSV, ImportOptions(label_columns=["label"]))
    assert report.encoding == "utf-8"
    assert report.text_column == "review"
    assert report.skipped_duplicates == WAIMAI_NORMALISED_DUPLICATES
    assert report.added == WAIMAI_ROWS - WAIMAI_NORMALISED_DUPLICATES
    assert sorted(report.labels_created) == ["0", "1"]
    assert report.malformed == [] and report.skipped_empty == 0
    # The first copy stays; the later one is listed with its line (header = line 1).
    assert (4412, "味道还可以。") in report.duplicates
    assert report.conflicting_duplicates == 7  # the two copies carry different labels
    stats = project.stats()
    assert stats.total == report.added == stats.labelled
    per_label = stats.per_label_name()
    assert per_label["0"] + per_label["1"] == report.added


@needs_file(WAIMAI_CSV)
def test_waimai_with_duplicates_kept_matches_the_file_counts(project: Project) -> None:
    report = import_file(
        project, WAIMAI_CSV, ImportOptions(label_columns=["label"], skip_duplicates=False)
    )
    assert report.added == WAIMAI_ROWS
    assert report.kept_duplicates == WAIMAI_NORMALISED_DUPLICATES
    stats = project.stats()
    assert stats.per_label_name() == {"1": WAIMAI_POSITIVE, "0": WAIMAI_NEGATIVE}
    texts = [text for text, _labels, _split in texts_and_labels(project)]
    assert len(texts) - len(set(texts)) == WAIMAI_EXACT_DUPLICATES


@needs_file(WAIMAI_CSV)
def test_waimai_reencoded_as_gbk_imports_identically(tmp_path: Path) -> None:
    gbk_copy = tmp_path / "waimai_gbk.csv"
    # GB18030 writes every GBK character with GBK's bytes; it also covers the 31 symbols and
    # emoji (on 32 lines) that GBK lacks, so the texts can compare equal.
    gbk_copy.write_bytes(WAIMAI_CSV.read_text(encoding="utf-8").encode("gb18030"))
    assert sniff_file(gbk_copy).encoding == "gb18030"
    options = ImportOptions(label_columns=["label"])
    with Project.create(tmp_path / "utf8.bertdesk") as utf8, Project.create(tmp_path / "gbk.bertdesk") as gbk:
        import_file(utf8, WAIMAI_CSV, options)
        report = import_file(gbk, gbk_copy, options)
        assert report.encoding == "gb18030"
        assert texts_and_labels(gbk) == texts_and_labels(utf8)


# --------------------------------------------------------------------------- encodings
CHINESE_CSV = "label,text\n好评,味道很好，送餐也快\n差评,太慢了，饭都凉了\n好评,服务态度不错，下次还点\n"
TRADITIONAL_CSV = "label,text\n好評,這家餐廳的服務態度非常親切，價格實惠\n差評,送餐時間太長，飯菜都涼了，很失望\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),  # with a BOM
        ("utf-16-le", "utf-16-le"),  # without one
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, expected: str) -> None:
    path = write(tmp_path / "reviews.csv", CHINESE_CSV, encoding)
    sniff = sniff_file(path)
    assert sniff.encoding == expected
    assert sniff.columns == ["label", "text"]
    assert sniff.preview_rows[1] == {"label": "差评", "text": "太慢了，饭都凉了"}


def test_big5_is_told_apart_from_gbk(tmp_path: Path) -> None:
    path = write(tmp_path / "tw.csv", TRADITIONAL_CSV, "big5")
    sniff = sniff_file(path)
    assert sniff.encoding == "big5"
    assert sniff.preview_rows[0]["text"] == "這家餐廳的服務態度非常親切，價格實惠"


# One short line each, in the legacy encoding its language used before UTF-8. The general
# detector alone read the Chinese line as UTF-16, the EUC-JP one as Korean and the French one
# as Central European (and two lines of GBK as Korean).
SHORT_LINES = [
    ("gbk", "味道很好，送餐也快"),
    ("big5", "這家餐廳的服務態度非常親切，價格實惠"),
    ("cp949", "배송이 빠르고 음식이 맛있어요"),
    ("cp932", "配達が早くてとても美味しかったです"),
    ("euc_jp", "また注文したいと思います"),
    ("latin-1", "Très bon repas livré à l'heure"),
    ("cp1252", "It’s 20€ and “worth it” — really"),
    ("cp1252", "Das Essen war großartig und schnell geliefert"),  # no reading as Chinese at all
    ("cp1251", "Очень вкусно и быстро привезли"),
]


@pytest.mark.parametrize(("encoding", "line"), SHORT_LINES)
def test_a_one_line_legacy_file_reads_as_written(tmp_path: Path, encoding: str, line: str) -> None:
    path = write(tmp_path / "one.csv", f"text\n{line}\n", encoding)
    assert sniff_file(path).preview_rows[0]["text"] == line


@pytest.mark.parametrize("line", ["王赟，李喆，张堃，刘淼，陈燚，赵犇，孙翀，周昉，吴頔，郑珺",
                                  "魑魅魍魉，饕餮狰狞，睚眦必报，龃龉不合，耄耋之年，罄竹难书"])
def test_gbk_text_of_rare_characters_still_reads_as_gb18030(tmp_path: Path, line: str) -> None:
    path = write(tmp_path / "rare.csv", f"text\n{line}\n", "gbk")
    sniff = sniff_file(path)
    assert (sniff.encoding, sniff.preview_rows[0]["text"]) == ("gb18030", line)


@needs_file(WAIMAI_CSV)
def test_one_and_two_line_gbk_files_from_waimai_all_read_as_gb18030() -> None:
    import csv
    import random

    from bertdesk.io.encoding import detect_encoding

    with WAIMAI_CSV.open(encoding="utf-8", newline="") as handle:
        reviews = [row["review"] for row in csv.DictReader(handle)]
    draw = random.Random(0)
    for lines in (1, 2):
        for _ in range(100):
            content = "text\n" + "\n".join(draw.sample(reviews, lines)) + "\n"
            data = content.encode("gbk", errors="replace")
            assert detect_encoding(data, True, "reviews.csv").name == "gb18030", content


def test_encoding_override_and_unknown_encoding(tmp_path: Path) -> None:
    path = write(tmp_path / "reviews.csv", CHINESE_CSV, "gb18030")
    assert sniff_file(path, encoding="gbk").preview_rows[0]["text"] == "味道很好，送餐也快"
    with pytest.raises(UserInputError, match="Unknown text encoding"):
        sniff_file(path, encoding="klingon")


def test_wrong_encoding_override_names_the_line(tmp_path: Path, project: Project) -> None:
    path = write(tmp_path / "reviews.csv", CHINESE_CSV, "gb18030")
    with pytest.raises(UserInputError, match="is not valid utf-8") as caught:
        import_file(project, path, ImportOptions(encoding="utf-8"))
    assert "gb18030" in caught.value.hint
    assert project.count() == 0


@pytest.mark.parametrize("suffix", [".csv", ".txt", ".jsonl"])
@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_decoding_error_names_the_first_undecodable_line(
    tmp_path: Path, project: Project, suffix: str, line_end: str
) -> None:
    """The reader decodes a buffer at a time and failed "at line 1" (the ASCII header)."""
    lines = {  # two lines of five in another encoding: the one chosen is wrong
        ".csv": ["text,label", "fine,pos", "bad,neg", "味道很好,pos", "好,pos"],
        ".txt": ["fine", "good", "bad", "味道很好", "好"],
        ".jsonl": ['{"text": "fine"}', '{"text": "good"}', '{"text": "bad"}',
                   '{"text": "味道很好"}', '{"text": "好"}'],
    }[suffix]
    path = tmp_path / f"mixed{suffix}"
    path.write_bytes(line_end.join(lines[:3]).encode() + line_end.encode()
                     + line_end.join(lines[3:]).encode("gb18030"))
    with pytest.raises(UserInputError, match=f"^Line 4 of mixed{suffix} is not valid utf-8"):
        import_file(project, path, ImportOptions(encoding="utf-8"))


@pytest.mark.parametrize("suffix", [".csv", ".txt", ".jsonl", ".json"])
def test_a_line_in_another_encoding_is_skipped_and_reported(
    tmp_path: Path, project: Project, suffix: str
) -> None:
    """A file put together from two sources: UTF-8, and one line saved in GBK. Detected as
    UTF-8 but for that line, or so chosen, it imports without that line, which is reported."""
    texts = [f"第 {i} 条评论，味道不错" for i in range(99)]
    encoded = {
        ".csv": lambda text: f"{text},正面".encode(),
        ".txt": lambda text: text.encode(),
        ".jsonl": lambda text: json.dumps({"text": text}, ensure_ascii=False).encode(),
        ".json": lambda text: json.dumps({"text": text}, ensure_ascii=False).encode() + b",",
    }[suffix]
    lines = [encoded(text) for text in texts]
    lines[49] = encoded(texts[49]).decode().encode("gbk")
    head, tail = {".csv": (b"text,label", b""), ".json": (b"[", b'{"text": "end"}]')}.get(suffix, (b"", b""))
    path = tmp_path / f"merged{suffix}"
    path.write_bytes(b"\n".join(([head] if head else []) + lines + ([tail] if tail else [])) + b"\n")
    assert preview_import(path, ImportOptions(encoding="utf-8")) == preview_import(path, ImportOptions())
    if suffix == ".json":  # one document: the line is part of a record, which is skipped
        report = preview_import(path, ImportOptions())
        assert report.added == 99 and [reason for _, reason in report.malformed] == ["is not valid utf-8 text"]
        return
    report = import_file(project, path, ImportOptions())
    line = 50 + bool(head)
    assert report.encoding == "utf-8" and report.added == 98 and report.malformed == [(line, "is not valid utf-8 text")]
    assert texts[49] not in {text for text, _, _ in texts_and_labels(project)}


def test_a_short_file_in_two_encodings_asks_which_and_skips_the_other_lines(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("text,label\n味道不错,正面\n".encode() + "太慢了,负面\n".encode("gbk") + "还行,正面\n".encode())
    with pytest.raises(UnknownEncoding, match="Cannot tell which text encoding mixed.csv uses"):
        import_file(project, path, ImportOptions())
    report = import_file(project, path, ImportOptions(encoding="utf-8"))  # as the user says
    assert report.added == 2 and report.malformed == [(3, "is not valid utf-8 text")]


# ------------------------------------------------------------------------ broken files
def test_broken_quote_line_is_reported_and_the_rest_imported(tmp_path: Path, project: Project) -> None:
    path = write(tmp_path / "broken.csv", (
        'label,text\n'
        'pos,"fine, really"\n'
        'neg,"this quote never closes\n'
        'pos,after the broken line\n'
        'neg,"a ""quoted"" word"\n'
    ))
    report = import_file(project, path, ImportOptions(label_columns=["label"]))
    assert [line for line, _reason in report.malformed] == [3]
    assert "never closed" in report.malformed[0][1]
    assert [text for text, _l, _s in texts_and_labels(project)] == [
        "fine, really", "after the broken line", 'a "quoted" word',
    ]


def test_quote_closing_mid_field_and_wrong_field_counts_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.csv", (
        "label,text\n"
        "pos,good\n"
        'neg,"bad"x,y\n'  # broken either way: the quote is what to fix
        "pos,one,too many\n"
        "neg\n"
        "pos,last\n"
        'neg,"bad"x\n'  # not CSV's quoting, but a row where split as written: its quotes are text
    ))
    report = preview_import(path, ImportOptions(label_columns=["label"]))
    assert [line for line, _reason in report.malformed] == [3, 4, 5]
    assert "middle of a field" in report.malformed[0][1]
    assert "3 fields where the header has 2" in report.malformed[1][1]
    assert report.added == 3
    assert [record.text for record in iter_records(path, ImportOptions())][-1] == '"bad"x'


def test_a_tsv_that_never_quotes_keeps_the_quotes_of_its_texts(tmp_path: Path) -> None:
    path = write(tmp_path / "quotes.tsv", 'text\tlabel\n"好吃"的很，还会再来\t1\n他说"难吃"\t0\n普通\t0\n')
    records = list(iter_records(path, ImportOptions(label_columns=["label"])))
    assert [(r.line, r.text, r.labels) for r in records] == [
        (2, '"好吃"的很，还会再来', ["1"]), (3, '他说"难吃"', ["0"]), (4, "普通", ["0"])]


def test_multiline_quoted_text_keeps_its_first_line_number(tmp_path: Path) -> None:
    path = write(tmp_path / "multi.csv", 'text\n"line one\nline two"\nnext\n"bad\n')
    records = list(iter_records(path, ImportOptions()))
    assert [(r.line, r.text) for r in records] == [(2, "line one\nline two"), (4, "next")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "is empty"),
        ("header.csv", b"label,text\n", "header line but no rows"),
        ("header.xlsx", None, "header line but no rows"),
        ("binary.csv", bytes(range(256)) * 8, "not a text file"),
        ("zip.csv", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 200, "not a text file"),
        ("notexcel.xlsx", b"just text, not a workbook", "cannot be read as an Excel workbook"),
        ("notparquet.parquet", b"nope", "cannot be read as a Parquet file"),
        ("reviews.doc", b"hello", "cannot read .doc files"),
    ],
)
def test_unusable_files_give_clear_errors(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is None:
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(["label", "text"])
        book.save(path)
    else:
        path.write_bytes(content)
    with pytest.raises(UserInputError, match=message) as caught:
        sniff_file(path)
    assert caught.value.hint  # says what to do


@pytest.mark.parametrize("threshold", [0, 1 << 62], ids=["blocks", "rows"])
def test_a_damaged_parquet_file_is_refused_with_how_far_it_reads_and_nothing_is_imported(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch, threshold: int
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bertdesk.io import columnar

    path = tmp_path / "damaged.parquet"
    rows = 40_000
    table = pa.table({"text": [f"review number {i} " * 4 for i in range(rows)], "label": [i % 3 for i in range(rows)]})
    pq.write_table(table, path, compression="none", row_group_size=10_000)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 2000] = b"\xff" * 2000  # a page of the third row group
    path.write_bytes(bytes(data))
    monkeypatch.setattr(columnar, "COLUMNAR_MIN_BYTES", threshold)
    with pytest.raises(UserInputError, match="damaged.parquet is damaged: the rows after row") as caught:
        import_file(project, path, ImportOptions(label_columns=["label"]))
    assert "save it as CSV" in caught.value.hint
    assert project.count() == 0 and project.labels() == []


@pytest.mark.parametrize("threshold", [0, 1 << 62], ids=["blocks", "rows"])
@pytest.mark.parametrize(
    ("name", "content", "message", "hint"),
    [
        ("header.csv", "text,label\n", "header line but no rows", "at least one text"),
        ("blank.csv", "text,label\n  ,pos\n\t,neg\n", "Every text of blank.csv is empty",
         "--text-col NAME): text, label"),
        ("blank.txt", "  \n\t\n\n", "Every text of blank.txt is empty", "file that holds"),
        ("broken.csv", "text,label\nx,pos,1\ny,neg,2\n",
         r"None of the 2 rows of broken.csv can be read; line 2: has 3 fields", "--delimiter"),
    ],
)
def test_a_file_without_one_text_is_refused_and_changes_nothing(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch, threshold: int,
    name: str, content: str, message: str, hint: str,
) -> None:
    from bertdesk.io import columnar

    monkeypatch.setattr(columnar, "COLUMNAR_MIN_BYTES", threshold)
    path = write(tmp_path / name, content)
    options = ImportOptions(label_columns=["label"] if name.endswith(".csv") else [])
    with pytest.raises(UserInputError, match=message) as caught:
        import_file(project, path, options)
    assert hint in caught.value.hint
    assert project.count() == 0 and project.labels() == []
    # The same file imported twice is no error: its texts were found, as duplicates.
    again = write(tmp_path / "again.csv", "text,label\nfine,pos\n")
    import_file(project, again, ImportOptions(label_columns=["label"]))
    assert import_file(project, again, ImportOptions(label_columns=["label"])).skipped_duplicates == 1


def test_missing_file_and_wrong_column_names(tmp_path: Path, project: Project) -> None:
    with pytest.raises(UserInputError, match="There is no file"):
        sniff_file(tmp_path / "absent.csv")
    path = write(tmp_path / "r.csv", "label,review,stars\n1,good,5\n")
    with pytest.raises(UserInputError, match="no column named 'sentence'") as caught:
        import_file(project, path, ImportOptions(text_column="sentence"))
    assert "label, review, stars" in caught.value.hint
    with pytest.raises(UserInputError, match="no column named 'lbl'"):
        import_file(project, path, ImportOptions(label_columns=["lbl"]))
    with pytest.raises(UserInputError, match="'review' is chosen as both the text and the label"):
        import_file(project, path, ImportOptions(text_column="review", label_columns=["review"]))
    with pytest.raises(UserInputError, match="'label' is chosen as both the label and the split"):
        import_file(project, path, ImportOptions(label_columns=["label"], split_column="label"))
    with pytest.raises(UserInputError, match="is a folder, not a file"):
        import_file(project, tmp_path, ImportOptions())
    unguessable = write(tmp_path / "u.csv", "a,b\n1,2\n")
    with pytest.raises(UserInputError, match="Which column"):
        import_file(project, unguessable, ImportOptions())
    assert project.count() == 0


@pytest.mark.parametrize("orient", ["columns", "split", "index", "records", "table"])
@pytest.mark.parametrize("indent", [None, 2])
def test_json_as_pandas_writes_it_in_any_shape_imports_its_rows(
    tmp_path: Path, project: Project, orient: str, indent: int | None
) -> None:
    import pandas as pd

    frame = pd.DataFrame({"text": ["味道不错", "太慢了", "好吃", "难吃"], "label": ["pos", "neg", "pos", "neg"]})
    data = tmp_path / "frame.json"
    frame.to_json(data, orient=orient, force_ascii=False, indent=indent)  # "columns" is DataFrame.to_json's default
    assert sniff_file(data).columns[-2:] == ["text", "label"]  # "table" adds its index column first
    report = import_file(project, data, ImportOptions(label_columns=["label"]))
    assert report.added == 4 and report.labels_created == ["pos", "neg"]
    assert texts_and_labels(project)[0][:2] == ("味道不错", ("pos",))


def test_json_arrays_are_rows_with_or_without_a_header(tmp_path: Path, project: Project) -> None:
    pairs = [[f"味道不错，第 {i} 次点这家了", ("pos", "neg")[i % 2]] for i in range(8)]
    plain = tmp_path / "pairs.json"
    plain.write_text(json.dumps(pairs, ensure_ascii=False), encoding="utf-8")  # json.dump of a list of pairs
    sniff = sniff_file(plain)
    assert not sniff.has_header and sniff.columns == ["column 1", "column 2"] and sniff.likely_label_column() == "column 2"
    assert import_file(project, plain, ImportOptions(label_columns=["column 2"])).added == 8
    named = tmp_path / "named.jsonl"
    named.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in [["review", "sentiment"], *pairs, ["a", "b", "c"]]),
                     encoding="utf-8")
    assert sniff_file(named).columns == ["review", "sentiment"]
    report = preview_import(named, ImportOptions(label_columns=["sentiment"]))
    assert report.added == 8 and report.malformed == [(10, "has 3 fields where the header has 2")]
    assert sniff_file(named, header=False).preview_rows[0] == {"column 1": "review", "column 2": "sentiment"}


def test_excel_unicode_text_a_utf16_tsv_named_txt_is_read_as_a_table(tmp_path: Path, project: Project) -> None:
    rows = [("味道不错，送餐也快", "正面"), ("等了一个多小时\t饭都凉了", "负面"), ("量很足", "正面")]
    data = tmp_path / "评论.txt"  # Excel's Save as "Unicode Text": UTF-16 with a BOM, tabs, CRLF
    data.write_bytes(("文本\t标签\r\n" + "".join(f'"{text}"\t{label}\r\n' if "\t" in text else f"{text}\t{label}\r\n"
                                             for text, label in rows)).encode("utf-16"))
    sniff = sniff_file(data)
    assert (sniff.format, sniff.delimiter, sniff.columns) == ("tsv", "\t", ["文本", "标签"])
    report = import_file(project, data, ImportOptions(label_columns=["标签"]))
    assert report.added == 3 and report.labels_created == ["正面", "负面"]
    assert [text for text, _, _ in texts_and_labels(project)] == [text for text, _ in rows]
    # Texts with a tab here and there stay one text a line; a delimiter given makes a table.
    prose = write(tmp_path / "notes.txt", "a text\nanother\twith a tab\nthe third\n")
    assert sniff_file(prose).columns == ["text"] and len(sniff_file(prose).preview_rows) == 3
    assert sniff_file(prose, delimiter="\t", header=False).format == "tsv"


# ----------------------------------------------------------------------------- formats
def test_tsv_txt_jsonl_json_and_parquet(tmp_path: Path) -> None:
    import pandas as pd

    tsv = write(tmp_path / "a.tsv", "text\tlabel\ngood, fine\tpos\nbad; awful\tneg\n")
    txt = write(tmp_path / "a.txt", "good, fine\n\n   \nbad; awful\n")
    jsonl = write(tmp_path / "a.jsonl", (
        json.dumps({"text": "good, fine", "label": "pos"}) + "\n\n{broken\n"
        + json.dumps({"text": "bad; awful", "label": "neg", "late": 1}) + "\n"
    ))
    json_array = write(tmp_path / "a.json", json.dumps({"rows": [
        {"text": "good, fine", "label": "pos"}, {"text": "bad; awful", "label": "neg"},
    ]}, indent=2))
    parquet = tmp_path / "a.parquet"
    pd.DataFrame({"text": ["good, fine", "bad; awful"], "label": ["pos", "neg"]}).to_parquet(parquet)

    assert sniff_file(tsv).delimiter == "\t"
    assert sniff_file(txt).columns == ["text"]
    assert sniff_file(json_array).format == "json"
    assert sniff_file(jsonl).format == "jsonl"
    for path in (tsv, jsonl, json_array, parquet):
        records = list(iter_records(path, ImportOptions(label_columns=["label"])))
        assert [(r.text, r.labels) for r in records] == [
            ("good, fine", ["pos"]), ("bad; awful", ["neg"])
        ], path.name
    txt_report = preview_import(txt, ImportOptions())
    assert (txt_report.added, txt_report.skipped_empty) == (2, 2)
    jsonl_report = preview_import(jsonl, ImportOptions())
    assert jsonl_report.malformed == [(3, "is not valid JSON (Expecting property name enclosed in double quotes)")]
    late = list(iter_records(jsonl, ImportOptions(label_columns=["label"])))[1]
    assert late.meta == {"late": "1"}  # a key first met late is kept, not dropped


def test_a_json_array_is_read_a_chunk_at_a_time_and_reads_as_json_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import random

    from bertdesk.io.tables import JsonArrayReader

    def elements(text: str) -> list[object]:
        reader = JsonArrayReader(io.StringIO(text))
        assert reader.opens()
        return list(reader)

    rng = random.Random(0)
    cells = [{"text": "好吃\"\\\n" * 3, "label": None}, "a text", 12345678901234567890, -1.5e-10,
             [1, [2, {}]], {}, True, None, 7]
    for chunk in (1, 2, 3, 5, 16, 1 << 20):  # every element cut at every place
        monkeypatch.setattr(JsonArrayReader, "CHUNK_CHARS", chunk)
        for _ in range(20):
            document = rng.choices(cells, k=rng.randint(0, 12))
            for indent in (None, 1):
                text = json.dumps(document, indent=indent, ensure_ascii=rng.random() < 0.5)
                assert elements(text) == document, (chunk, text)
        for broken in ("[1,]", "[1 2]", "[", '[{"a": 1}', "[1] x", "[tru]", '["abc]'):
            with pytest.raises(json.JSONDecodeError):
                elements(broken)

    # A broken record is reported with its line, without reading on to the end of the file.
    monkeypatch.setattr(JsonArrayReader, "CHUNK_CHARS", 64)
    monkeypatch.setattr(JsonArrayReader, "MAX_ELEMENT_CHARS", 256)
    records = [json.dumps({"text": f"review {i}", "label": "pos"}) for i in range(3000)]
    records[40] = '{"text": "oops", "label": pos}'
    path = write(tmp_path / "big.json", "[\n" + ",\n".join(records) + "\n]\n")
    handle = path.open(encoding="utf-8")
    reader = JsonArrayReader(handle)
    assert reader.opens()
    with pytest.raises(json.JSONDecodeError) as caught:
        list(reader)
    assert caught.value.lineno == 42 and handle.tell() < path.stat().st_size // 10
    handle.close()
    with pytest.raises(UserInputError, match=r"big.json is not valid JSON \(line 42: Expecting value\)"):
        preview_import(path, ImportOptions())
    fixed = write(tmp_path / "fixed.json", path.read_text(encoding="utf-8").replace(": pos}", ': "pos"}'))
    assert [r.text for r in iter_records(fixed, ImportOptions())] == [f"review {i}" if i != 40 else "oops" for i in range(3000)]


def test_json_lines_whose_every_line_is_broken_name_the_first_broken_line(tmp_path: Path) -> None:
    path = write(tmp_path / "cut.jsonl", '\n{"text": "a", "label": "pos"\n{"text": "b"\n')
    with pytest.raises(UserInputError, match=r"Line 2 of cut.jsonl is not valid JSON \(Expecting ',' delimiter\)"):
        preview_import(path, ImportOptions())
    with pytest.raises(UserInputError, match="holds no JSON objects or strings"):  # valid JSON, but no record
        preview_import(write(tmp_path / "nulls.jsonl", "null\nnull\n"), ImportOptions())


@pytest.mark.parametrize(
    ("document", "kind", "texts"),
    [
        ({"rows": [{"text": "好吃"}, "a plain string"]}, "json", ["好吃", "a plain string"]),
        ({"count": 2, "rows": [{"text": "a"}, {"text": "b"}]}, "json", ["a", "b"]),
        ({"text": "a", "tags": ["x", "y"]}, "jsonl", ["a"]),  # one record with a list field
        ({"text": "a", "label": "p"}, "jsonl", ["a"]),
    ],
)
def test_a_json_document_written_on_one_line_is_told_from_one_json_line(
    tmp_path: Path, document: dict, kind: str, texts: list[str]
) -> None:
    path = write(tmp_path / "one_line.json", json.dumps(document, ensure_ascii=False) + "\n")
    assert sniff_file(path).format == kind
    assert [r.text for r in iter_records(path, ImportOptions())] == texts


def test_xlsx_sheet_choice_numbers_and_row_numbers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "book.xlsx"
    book = Workbook()
    book.active.title = "notes"
    book.active.append(["nothing to see"])
    sheet = book.create_sheet("data")
    sheet.append([None])
    sheet.append(["review", "stars", "label"])
    sheet.append(["很好吃", 5, 1.0])
    sheet.append(["太慢", 1.5, 0])
    sheet.append([None, 3, 1])
    sheet.append(["extra", 2, 1, None, "stray"])
    book.save(path)

    sniff = sniff_file(path, sheet="data")
    assert (sniff.sheets, sniff.sheet, sniff.encoding) == (["notes", "data"], "data", None)
    assert sniff.columns == ["review", "stars", "label"]
    report = preview_import(path, ImportOptions(label_columns=["label"], sheet="data"))
    assert (report.added, report.skipped_empty) == (2, 1)
    assert report.malformed[0][0] == 6 and "beyond the 3" in report.malformed[0][1]
    records = list(iter_records(path, ImportOptions(label_columns=["label"], sheet="data")))
    assert [(r.line, r.text, r.labels, r.meta) for r in records] == [
        (3, "很好吃", ["1"], {"stars": "5"}), (4, "太慢", ["0"], {"stars": "1.5"}),
    ]
    with pytest.raises(UserInputError, match="no sheet named 'other'") as caught:
        sniff_file(path, sheet="other")
    assert "notes, data" in caught.value.hint


def test_workbook_dates_read_as_dates_and_times_stay(tmp_path: Path) -> None:
    """A workbook stores a date as a datetime at midnight: "2024-03-05", not "2024-03-05 00:00:00"."""
    import datetime

    from openpyxl import Workbook

    path = tmp_path / "orders.xlsx"
    book = Workbook()
    book.active.append(["review", "ordered"])
    book.active.append(["很好吃", datetime.datetime(2024, 3, 5)])
    book.active.append(["太慢", datetime.datetime(2024, 3, 5, 18, 30)])
    book.save(path)
    assert [r.meta for r in iter_records(path, ImportOptions())] == [
        {"ordered": "2024-03-05"}, {"ordered": "2024-03-05 18:30:00"},
    ]


def test_a_workbook_opens_on_its_first_sheet_that_holds_anything(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "book.xlsx"
    book = Workbook()
    book.active.title = "Sheet1"  # left empty, as a new workbook's first sheet often is
    book.create_sheet("评论").append(["评论", "标签"])
    book["评论"].append(["菜很好吃", "正面"])
    book.save(path)
    sniff = sniff_file(path)
    assert (sniff.sheet, sniff.columns, sniff.preview_rows) == ("评论", ["评论", "标签"], [{"评论": "菜很好吃", "标签": "正面"}])
    with pytest.raises(UserInputError, match="The sheet 'Sheet1' of book.xlsx is empty"):
        sniff_file(path, sheet="Sheet1")  # the sheet the user chose
    del book["评论"]
    book.create_sheet("also empty")
    book.save(path)
    with pytest.raises(UserInputError, match="Every sheet of book.xlsx is empty"):
        sniff_file(path)


REPORT_XLS = Path(__file__).parent.parent / "data" / "report.xls"  # made by tests/data/make_report_xls.py


def test_an_excel_97_xls_report_imports_as_an_xlsx_would(tmp_path: Path, project: Project) -> None:
    sniff = sniff_file(REPORT_XLS)  # an empty first sheet; a title and a date above the header
    assert (sniff.format, sniff.sheet, sniff.sheets) == ("xls", "评论", ["Sheet1", "评论"])
    assert sniff.columns == ["序号", "评论", "标签", "下单时间", "已回复"]
    assert sniff.title_rows == ["2024年3月外卖评论导出", "导出日期：2024-04-01"]
    assert sniff.preview_rows[0] == {"序号": "1", "评论": "味道不错，送餐也快，下次还点", "标签": "正面",
                                     "下单时间": "2024-03-03 12:30:00", "已回复": "false"}
    report = import_file(project, REPORT_XLS, ImportOptions(label_columns=["标签"]))
    assert report.added == 6 and report.labels_created == ["正面", "负面"] and report.malformed == []
    again = import_file(project, REPORT_XLS, ImportOptions(label_columns=["标签"]))
    assert [line for line, _ in again.duplicates][:2] == [4, 5]  # Excel's row numbers
    from openpyxl import Workbook

    named_wrong = tmp_path / "book.xls"  # an .xlsx workbook saved under an .xls name
    workbook = Workbook()
    workbook.active.append(["text", "label"])
    workbook.save(tmp_path / "real.xlsx")
    named_wrong.write_bytes((tmp_path / "real.xlsx").read_bytes())
    with pytest.raises(UserInputError, match="book.xls is an .xlsx workbook with an .xls name") as caught:
        sniff_file(named_wrong)
    assert "Rename it" in caught.value.hint
    broken = write(tmp_path / "broken.xls", "not a workbook")
    with pytest.raises(UserInputError, match="broken.xls cannot be read as an Excel workbook"):
        sniff_file(broken)


def test_delimiter_is_sniffed_and_can_be_overridden(tmp_path: Path) -> None:
    path = write(tmp_path / "semi.csv", "text;label\ngood, fine;pos\nbad, awful;neg\n")
    assert sniff_file(path).delimiter == ";"
    assert sniff_file(path, delimiter=",").columns == ["text;label"]


# ------------------------------------------------------------- labels, splits, metadata
def test_multi_label_cells_need_a_multi_label_project(tmp_path: Path, project: Project) -> None:
    path = write(tmp_path / "topics.csv", "text,topics,mood\nrain and goals,weather;sport,ok\nvote,politics,\n")
    options = ImportOptions(label_columns=["topics"], label_separator=";")
    with pytest.raises(UserInputError, match="line 2 has the labels weather, sport") as caught:
        import_file(project, path, options)
    assert "--multi-label" in caught.value.hint
    assert project.count() == 0 and project.labels() == []
    with pytest.raises(UserInputError, match="2 label columns"):
        import_file(project, path, ImportOptions(label_columns=["topics", "mood"]))

    with Project.create(tmp_path / "multi.bertdesk", multi_label=True) as multi:
        report = import_file(multi, path, ImportOptions(label_columns=["topics", "mood"], label_separator=";"))
        assert report.labels_created == ["weather", "sport", "ok", "politics"]
        assert texts_and_labels(multi) == [
            ("rain and goals", ("weather", "sport", "ok"), "unassigned"),
            ("vote", ("politics",), "unassigned"),
        ]


def test_splits_from_the_file_are_kept_and_bad_ones_reported(tmp_path: Path, project: Project) -> None:
    path = write(tmp_path / "s.csv", "text,label,set,source\na,x,train,web\nb,y,dev,shop\nc,x,测试,web\nd,y,,web\ne,x,holdout,web\n")
    report = import_file(project, path, ImportOptions(label_columns=["label"], split_column="set"))
    assert report.per_split == {"train": 1, "validation": 1, "test": 1, "unassigned": 1}
    assert report.malformed == [(6, "unknown split 'holdout': use train, validation, test or unassigned")]
    rows = project.page()
    assert [(r.text, r.split) for r in rows] == [
        ("a", Split.TRAIN), ("b", Split.VALIDATION), ("c", Split.TEST), ("d", Split.UNASSIGNED),
    ]
    assert rows[0].meta == {"source": "web"}


def test_metadata_can_be_left_out(tmp_path: Path, project: Project) -> None:
    path = write(tmp_path / "m.csv", "text,source\nhello,web\n")
    import_file(project, path, ImportOptions(keep_metadata=False))
    assert project.page()[0].meta is None


def test_duplicates_of_texts_already_in_the_project_are_skipped(tmp_path: Path, project: Project) -> None:
    first = write(tmp_path / "1.csv", "text\nGood  Food\nfine\n")
    second = write(tmp_path / "2.csv", "text\ngood food\nＦｉｎｅ\nnew one\n  \n")
    import_file(project, first, ImportOptions())
    report = import_file(project, second, ImportOptions())
    assert (report.added, report.skipped_duplicates, report.skipped_empty) == (1, 2, 1)
    assert report.duplicates == [(2, "good food"), (3, "Ｆｉｎｅ")]
    dry = preview_import(second, ImportOptions(), project=project)
    assert (dry.added, dry.skipped_duplicates) == (0, 3)
    assert project.count() == 3


def test_preview_writes_nothing_and_respects_the_limit(tmp_path: Path, project: Project) -> None:
    path = write(tmp_path / "p.csv", "text,label\n" + "".join(f"text {i},l{i % 3}\n" for i in range(100)))
    report = preview_import(path, ImportOptions(label_columns=["label"]), limit=10)
    assert report.added == 10 and report.labels_created == ["l0", "l1", "l2"]
    assert project.count() == 0


def test_a_dry_run_over_a_large_file_reports_progress_and_stops_at_a_cancel(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "text\n" + "".join(f"text {i}\n" for i in range(10_000)))
    seen: list[float] = []
    assert preview_import(path, ImportOptions(), progress=lambda f, _m: seen.append(f)).added == 10_000
    assert len(seen) > 3 and seen == sorted(seen) and seen[-1] == 1.0
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        preview_import(path, ImportOptions(), cancel=token)


# ---------------------------------------------------------------- progress and cancel
def test_cancel_leaves_the_project_as_it_was(tmp_path: Path, project: Project) -> None:
    path = write(tmp_path / "big.csv", "text,label\n" + "".join(f"text number {i},l{i % 5}\n" for i in range(20_000)))
    import_file(project, write(tmp_path / "one.csv", "text,label\nbefore,old\n"), ImportOptions(label_columns=["label"]))
    token = CancelToken()
    seen: list[float] = []

    def progress(fraction: float, _message: str) -> None:
        seen.append(fraction)
        if fraction > 0.3:
            token.cancel()

    with pytest.raises(Cancelled):
        import_file(project, path, ImportOptions(label_columns=["label"]), progress, token)
    assert seen and seen == sorted(seen)
    assert texts_and_labels(project) == [("before", ("old",), "unassigned")]
    assert [label.name for label in project.labels()] == ["old"]


def test_progress_reaches_the_end(tmp_path: Path, project: Project) -> None:
    path = write(tmp_path / "p.csv", "text\n" + "".join(f"t{i}\n" for i in range(5000)))
    seen: list[float] = []
    import_file(project, path, ImportOptions(), lambda f, _m: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 2


# --------------------------------------------------------------------------- label names
def test_label_values_lists_the_raw_values_and_stops_past_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "tags.jsonl", "\n".join(json.dumps(row, ensure_ascii=False) for row in [
        {"text": "a", "label": 1, "topic": "food;price"},
        {"text": "b", "label": 0, "topic": " price "},
        {"text": "c", "label": None, "topic": "送餐"},
        {"text": "d", "label": 1, "topic": "food"},
    ]))
    assert label_values(path, ImportOptions(label_columns=["label"])) == LabelValues(["1", "0"], False)
    both = ImportOptions(label_columns=["topic", "label"], label_separator=";",
                         label_names={"1": "one"})  # names are not applied: the raw values are listed
    assert label_values(path, both) == LabelValues(["food", "price", "1", "0", "送餐"], True)
    assert label_values(path, both, limit=2).names == ["food", "price", "1"]
    # Lists written into a CSV's cells (pandas' to_csv, or JSON) are lists, and the import
    # window learns that a text carries several.
    saved = write(tmp_path / "saved.csv", 'text,tags\na,"[\'food\', \'price\']"\nb,"[""送餐""]"\nc,[draft]\n')
    assert label_values(saved, ImportOptions(label_columns=["tags"])) == LabelValues(
        ["food", "price", "送餐", "[draft]"], True)
    assert likely_label_separator(["['food', 'price']", "['price', 'time']", "['food']"]) is None


def test_label_names_rename_raw_values_in_the_dry_run_and_the_import(tmp_path: Path) -> None:
    path = write(tmp_path / "digits.tsv", "text\tlabel\nfine\t1\nbad\t0\nok\tpositive\nmeh\t2\n")
    options = ImportOptions(label_columns=["label"], label_names={"1": "positive", "0": "negative", "2": " "})
    with Project.create(tmp_path / "p.bertdesk") as project:
        dry_run = preview_import(path, options, project=project)
        report = import_file(project, path, options)
        assert dry_run == report
        assert report.labels_created == ["positive", "negative", "2"]  # "1" and "positive" are one label
        assert texts_and_labels(project) == [
            ("fine", ("positive",), "unassigned"), ("bad", ("negative",), "unassigned"),
            ("ok", ("positive",), "unassigned"), ("meh", ("2",), "unassigned"),
        ]


def test_whole_numbers_written_as_decimals_are_the_same_labels(tmp_path: Path, project: Project) -> None:
    """pandas writes a label column with a missing value as floats: "1.0", "0.0". They are
    the labels another file (or a workbook, whose 1.0 reads as "1") writes "1" and "0"."""
    first = write(tmp_path / "pandas.csv", "text,label\nnice,1.0\nbad,0.0\nlater,\nhalf,2.50\n")
    import_file(project, first, ImportOptions(label_columns=["label"]))
    second = write(tmp_path / "plain.csv", "text,label\ngood,1\nawful,0\n")
    import_file(project, second, ImportOptions(label_columns=["label"]))
    assert [label.name for label in project.labels()] == ["1", "0", "2.50"]
    assert sorted(texts_and_labels(project)) == [
        ("awful", ("0",), "unassigned"), ("bad", ("0",), "unassigned"), ("good", ("1",), "unassigned"),
        ("half", ("2.50",), "unassigned"), ("later", (), "unassigned"), ("nice", ("1",), "unassigned"),
    ]
    renamed = label_values(first, ImportOptions(label_columns=["label"], label_names={"1.0": "positive"}))
    assert renamed.names == ["1", "0", "2.50"]  # the raw values, as the names table lists them


def test_a_label_made_as_a_decimal_before_keeps_its_spelling(tmp_path: Path, project: Project) -> None:
    """A project whose label is "1.0" (imported before whole decimals were read as numbers)
    gives it to the "1" of the next file, as it does to any other spelling of its labels."""
    project.add_label("1.0")
    report = import_file(project, write(tmp_path / "more.csv", "text,label\ngood,1\nnice,1.0\n"),
                         ImportOptions(label_columns=["label"]))
    assert [label.name for label in project.labels()] == ["1.0"]
    assert sorted(texts_and_labels(project)) == [("good", ("1.0",), "unassigned"), ("nice", ("1.0",), "unassigned")]
    assert report.labels_folded == {"1": "1.0"}
