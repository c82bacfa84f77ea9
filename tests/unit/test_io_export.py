"""Exporting: CSV, JSONL and XLSX files import back into the same texts, labels, splits and metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from bertdesk.core import Cancelled, CancelToken, Split, UserInputError
from bertdesk.io import ImportOptions, export_project, import_file
from bertdesk.store import ExampleFilter, Project

ROUND_TRIP_OPTIONS = ImportOptions(label_columns=["label"], label_separator=";", split_column="split")
TEXTS = [
    ("这家店的饺子很好吃，下次还来", ["positive"], Split.TRAIN, {"shop": "饺子馆", "stars": "5"}),
    ('He said "great", then left, sadly', ["negative"], Split.VALIDATION, {"shop": "A, B & C", "stars": "2"}),
    ("多行\n文本 with a line break", [], Split.TEST, {"shop": "", "stars": "3"}),
    ("a text with no split yet", ["positive"], Split.UNASSIGNED, {"shop": "x", "stars": ""}),
    ("emoji 😀 and full-width ＡＢＣ", ["negative"], Split.TRAIN, {"shop": "y", "stars": "1"}),
    ("=== 五星好评 === (starts like an Excel formula)", ["positive"], Split.TRAIN, {"shop": "=A1+1", "stars": "4"}),
]


def fill(project: Project, multi: bool = False) -> None:
    with project.bulk_writer() as writer:
        for text, labels, split, meta in TEXTS:
            names = [*labels, "spicy"] if multi and labels else labels
            writer.add(text, split, [writer.label_id(n) for n in names], meta)


def contents(project: Project) -> list[tuple[str, tuple[str, ...], Split, dict]]:
    names = {label.id: label.name for label in project.labels()}
    return [
        (row.text, tuple(names[i] for i in row.label_ids), row.split, row.meta or {})
        for row in project.page(ExampleFilter(), 0, 1000)
    ]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx"])
@pytest.mark.parametrize("multi", [False, True], ids=["single", "multi"])
def test_export_then_import_gives_the_same_project(tmp_path: Path, suffix: str, multi: bool) -> None:
    path = tmp_path / f"export{suffix}"
    with Project.create(tmp_path / "a.bertdesk", multi_label=multi) as source:
        fill(source, multi)
        written = export_project(source, path)
        expected = contents(source)
    with Project.create(tmp_path / "b.bertdesk", multi_label=multi) as copy:
        report = import_file(copy, path, ROUND_TRIP_OPTIONS)
        assert written == len(TEXTS) == report.added
        assert report.malformed == []
        assert contents(copy) == expected


def test_export_filtered_by_label_and_split(tmp_path: Path, project: Project) -> None:
    fill(project)
    positive = project.require_label("positive")
    path = tmp_path / "positive.jsonl"

    written = export_project(project, path, flt=ExampleFilter(label_id=positive.id, split=Split.TRAIN))

    assert written == 2
    assert "饺子" in path.read_text(encoding="utf-8") and "五星好评" in path.read_text(encoding="utf-8")


def test_export_refuses_unknown_formats_and_missing_folders(tmp_path: Path, project: Project) -> None:
    with pytest.raises(UserInputError, match="Cannot export"):
        export_project(project, tmp_path / "out.parquet")
    with pytest.raises(UserInputError, match="does not exist"):
        export_project(project, tmp_path / "missing" / "out.csv")


def test_a_folder_that_cannot_be_written_or_a_full_disk_gives_a_clear_message(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from bertdesk.io import exporters

    fill(project)
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "out.csv"

    def no_room(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", no_room)  # the last step: the file is whole but cannot land
        with pytest.raises(UserInputError, match="disk holding .* is full: out.csv was not written"):
            export_project(project, path)
    assert list(folder.iterdir()) == []  # neither the file nor its temporary copy

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    with monkeypatch.context() as patch:
        patch.setattr(exporters, "staging_path", refused)  # creating the first file fails
        with pytest.raises(UserInputError, match=r"Cannot write out.csv in .*\(Permission denied\)") as caught:
            export_project(project, path)
    assert "folder you can write to" in caught.value.hint


def test_an_error_of_the_caller_while_writing_a_table_is_not_called_a_write_error(tmp_path: Path) -> None:
    from bertdesk.io import table_file

    with pytest.raises(FileNotFoundError):  # e.g. batch prediction's input file went away
        with table_file(tmp_path / "out.csv", "csv", ["text"], "texts") as write_rows:
            write_rows([["one"]])
            (tmp_path / "gone.csv").read_text()
    assert list(tmp_path.iterdir()) == []


def test_cancelled_export_leaves_no_file(tmp_path: Path, project: Project) -> None:
    with project.bulk_writer() as writer:
        for index in range(5000):
            writer.add(f"text {index}", Split.UNASSIGNED, [])
    cancel = CancelToken()
    cancel.cancel()
    path = tmp_path / "out.csv"

    with pytest.raises(Cancelled):
        export_project(project, path, cancel=cancel)

    assert not path.exists()
    assert not any(p.name.startswith(".out.") for p in tmp_path.iterdir())


def test_an_export_gets_the_permissions_of_any_new_file(tmp_path: Path, project: Project, umask_027: int) -> None:
    # Built in a staging file and renamed: the file must not keep tempfile's owner-only 0600,
    # or nobody else sharing the folder could read it.
    fill(project)
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"out{suffix}"
        export_project(project, path)
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask_027


def test_export_of_unlabeled_texts_and_the_excel_bom(tmp_path: Path, project: Project) -> None:
    fill(project)
    path = tmp_path / "todo.csv"
    assert export_project(project, path, flt=ExampleFilter(unlabeled=True)) == 1
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel then reads the Chinese right
    assert path.read_text(encoding="utf-8-sig").splitlines() == [
        "text,label,split,shop,stars", '"多行', '文本 with a line break",,test,,3',
    ]


def test_format_overrides_the_suffix(tmp_path: Path, project: Project) -> None:
    fill(project)
    path = tmp_path / "texts.txt"
    assert export_project(project, path, format="jsonl") == len(TEXTS)
    assert path.read_text(encoding="utf-8").count("\n") == len(TEXTS)


def test_a_table_excel_would_call_damaged_is_refused_and_leaves_no_file(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bertdesk.io import exporters

    chapter = "第一章 " + "天" * exporters.EXCEL_MAX_CELL_CHARS  # longer than an Excel cell holds
    with project.bulk_writer() as writer:
        for text in ("short", chapter, "another"):
            writer.add(text, Split.UNASSIGNED, [])
    path = tmp_path / "out.xlsx"
    with pytest.raises(UserInputError, match="Row 3 holds a text of 32,771 characters") as caught:
        export_project(project, path)
    assert ".csv or .jsonl" in caught.value.hint
    assert not path.exists() and not any(p.name.startswith(".out.") for p in tmp_path.iterdir())  # nor its staging copy
    assert export_project(project, tmp_path / "out.csv") == 3  # CSV keeps the whole text
    monkeypatch.setattr(exporters, "EXCEL_MAX_ROWS", 2)  # the header and one text
    with pytest.raises(UserInputError, match="An Excel sheet holds at most 2 rows"):
        export_project(project, path)
    assert not path.exists()


def test_metadata_named_like_a_fixed_column_is_written_not_dropped(tmp_path: Path, project: Project) -> None:
    """A file's own "label" column stays metadata where another column gave the labels."""
    source = tmp_path / "reviews.csv"
    source.write_text("review,label,tags,label (metadata)\nnice,1,food,x\nslow,0,delivery,y\n", encoding="utf-8")
    import_file(project, source, ImportOptions(label_columns=["tags"]))
    path = tmp_path / "out.csv"
    export_project(project, path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["text,label,split,label (metadata) (2),label (metadata)",
                     "nice,food,unassigned,1,x", "slow,delivery,unassigned,0,y"]
