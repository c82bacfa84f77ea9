"""Exporting a project's texts with their labels, split and metadata as CSV, JSONL or XLSX.

The columns are ``text``, ``label``, ``split`` and then the metadata keys (one named like
those three as "label (metadata)"), so that importing the file with ``--label-col label
--split-col split`` gives the same project back. Several labels of a multi-label text are
joined with ``LABEL_SEPARATOR`` (a list in JSONL).
"""

from __future__ import annotations

import csv
import errno
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from bertdesk.core.cancel import CancelToken
from bertdesk.core.errors import UserInputError
from bertdesk.core.files import staging_path
from bertdesk.core.progress import ProgressCallback, ignore_progress
from bertdesk.io.tables import unused_name
from bertdesk.store.project import Project
from bertdesk.store.records import ExampleFilter, ExampleRow

SUPPORTED_EXPORT_SUFFIXES: tuple[str, ...] = (".csv", ".jsonl", ".xlsx")
LABEL_SEPARATOR = ";"
FIXED_COLUMNS = ("text", "label", "split")
PAGE_ROWS = 2000
# What Excel opens: more rows, or a longer text in a cell, and it reports the file damaged.
EXCEL_MAX_ROWS = 1_048_576  # the header included
EXCEL_MAX_CELL_CHARS = 32_767


def metadata_headers(keys: list[str]) -> list[str]:
    """The header of each metadata column: its key, or where the key is one of the fixed
    columns' names (a file's own "label" column kept as metadata when another column gave the
    labels) "label (metadata)", so that its values are written, not dropped."""
    taken = {*FIXED_COLUMNS, *keys}
    return [unused_name(f"{key} (metadata)", taken) if key in FIXED_COLUMNS else key for key in keys]


def export_project(
    project: Project,
    path: str | Path,
    format: Optional[str] = None,
    flt: ExampleFilter = ExampleFilter(),
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> int:
    """Write the texts that pass ``flt`` to ``path``; returns how many were written.

    ``format`` ("csv", "jsonl" or "xlsx") defaults to the file's suffix. The file is built
    beside the destination and renamed at the end: a cancel or an error leaves no half file.
    """
    path = Path(path)
    file_format = (format or path.suffix.lstrip(".")).lower()
    if f".{file_format}" not in SUPPORTED_EXPORT_SUFFIXES:
        raise UserInputError(
            "Cannot export as {file_format}.",
            "Name the file with one of {suffixes}.",
            file_format=file_format or "a file without a suffix",
            suffixes=", ".join(SUPPORTED_EXPORT_SUFFIXES),
        )
    if not path.parent.is_dir():
        raise UserInputError(
            "The folder {folder} does not exist.",
            "Create it first.",
            folder=path.parent,
        )
    label_names = {label.id: label.name for label in project.labels()}
    meta_columns = project.meta_keys(flt)
    header = [*FIXED_COLUMNS, *metadata_headers(meta_columns)]
    total = max(project.count(flt), 1)
    written = 0
    with table_file(path, file_format, header, "texts") as write_rows:
        for row in _all_rows(project, flt):
            names = [label_names[i] for i in row.label_ids]
            label: Any = names if file_format == "jsonl" and project.multi_label else (
                LABEL_SEPARATOR.join(names)
            )
            meta = row.meta or {}
            write_rows([[row.text, label, row.split.value, *(meta.get(k, "") for k in meta_columns)]])
            written += 1
            if written % PAGE_ROWS == 0:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                progress(written / total, f"{written:,} texts written")
    progress(1.0, f"{written:,} texts exported")
    return written


def _all_rows(project: Project, flt: ExampleFilter) -> Iterator[ExampleRow]:
    """Every row of the filtered set, a keyset page at a time (memory stays flat)."""
    after = 0
    while True:
        page = project.page_after(flt, after, PAGE_ROWS)
        yield from page
        if len(page) < PAGE_ROWS:
            return
        after = page[-1].id


@contextmanager
def table_file(
    path: Path, file_format: str, header: list[str], sheet_name: str
) -> Iterator[Callable[[list[list[Any]]], None]]:
    """Yield a function that appends rows to a CSV, JSONL or XLSX table with ``header``.

    The table is built in a temporary file beside ``path`` and renamed onto it only when the
    block ends normally: a cancel or an error leaves no half-written file (exports and batch
    predictions both write this way).
    """
    try:
        temp_path = staging_path(path)
    except OSError as error:
        raise _cannot_write(path, error) from error
    writing = True  # an OSError now comes from writing the file, not from the caller's block
    try:
        with _rows_writer(temp_path, file_format, header, sheet_name) as write_rows:
            writing = False
            yield _reporting_write_errors(write_rows, path)
            writing = True
        os.replace(temp_path, path)
    except OSError as error:
        if writing:
            raise _cannot_write(path, error) from error
        raise
    finally:
        temp_path.unlink(missing_ok=True)


def _reporting_write_errors(
    write_rows: Callable[[list[list[Any]]], None], path: Path
) -> Callable[[list[list[Any]]], None]:
    def write(rows: list[list[Any]]) -> None:
        try:
            write_rows(rows)
        except OSError as error:
            raise _cannot_write(path, error) from error

    return write


def _cannot_write(path: Path, error: OSError) -> UserInputError:
    """A full disk, or a folder that cannot be written, as a message that says what to do."""
    if error.errno == errno.ENOSPC:
        return UserInputError(
            "The disk holding {folder} is full: {file} was not written.",
            "Free some space, or choose a folder on another disk, then try again.",
            folder=path.parent,
            file=path.name,
        )
    return UserInputError(
        "Cannot write {file} in {folder} ({reason}).",
        "Choose a folder you can write to.",
        file=path.name,
        folder=path.parent,
        reason=error.strerror or error,
    )


@contextmanager
def _rows_writer(
    path: Path, file_format: str, header: list[str], sheet_name: str
) -> Iterator[Callable[[list[list[Any]]], None]]:
    if file_format == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads Chinese
            writer = csv.writer(handle)
            writer.writerow(header)
            yield writer.writerows
    elif file_format == "jsonl":
        with path.open("w", encoding="utf-8") as handle:
            yield lambda rows: handle.writelines(
                json.dumps(dict(zip(header, row)), ensure_ascii=False) + "\n" for row in rows
            )
    else:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = Workbook(write_only=True)
        sheet = book.create_sheet(sheet_name)

        def cell(value: Any) -> Any:
            """Text stays text: control characters (which Excel cannot hold) are dropped rather
            than fail the file, and a text starting with "=" is not made a formula, which
            Excel would calculate and a reader of its values would find empty."""
            if not isinstance(value, str):
                return value
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if not value.startswith("="):
                return value
            text = WriteOnlyCell(sheet, value=value)
            text.data_type = "s"
            return text

        sheet.append([cell(name) for name in header])
        written = 1

        def append_rows(rows: list[list[Any]]) -> None:
            nonlocal written
            for row in rows:
                written += 1
                _check_fits_excel(row, written)
                sheet.append([cell(value) for value in row])

        try:
            yield append_rows
        except BaseException:
            sheet.close()  # end openpyxl's row stream now, not later in the garbage collector
            raise
        book.save(path)


def _check_fits_excel(row: list[Any], number: int) -> None:
    """Stop a sheet that Excel would call damaged (no file is left: the table is a staging file)."""
    if number > EXCEL_MAX_ROWS:
        raise UserInputError(
            "An Excel sheet holds at most {limit:,} rows, and this table has more.",
            "Save it as .csv or .jsonl instead.",
            limit=EXCEL_MAX_ROWS,
        )
    longest = max((len(value) for value in row if isinstance(value, str)), default=0)
    if longest > EXCEL_MAX_CELL_CHARS:
        raise UserInputError(
            "Row {row:,} holds a text of {length:,} characters; an Excel cell holds at most {limit:,}.",
            "Save it as .csv or .jsonl instead, which keep the whole text.",
            row=number, length=longest, limit=EXCEL_MAX_CELL_CHARS,
        )
