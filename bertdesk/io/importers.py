"""Importing texts: sniff a file for the wizard, turn its rows into records, write them at once.

One reader (``RecordReader``) serves the dry run, the import and batch prediction of a file,
so the three agree on which rows are texts, which are empty, duplicated or malformed. A large
CSV or TSV is imported by ``columnar`` instead, which keeps to the same rules (and hands any
file it cannot be sure of back to the row reader).
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from bertdesk.core.cancel import CancelToken
from bertdesk.core.errors import UserInputError
from bertdesk.core.progress import ProgressCallback, ignore_progress, subrange
from bertdesk.core.types import Split
from bertdesk.io import columnar
from bertdesk.io.import_report import ImportReport
from bertdesk.io.tables import (
    FEW_VALUES,
    LABEL_COLUMN_NAMES,
    SPLIT_COLUMN_NAMES,
    TEXT_COLUMN_NAMES,
    RawRow,
    Table,
    cell_text,
    holds_labels,
    is_numeric,
    open_table,
)
from bertdesk.store.bulk import ProjectTextsOutcome
from bertdesk.store.project import Project
from bertdesk.store.text_hash import normalize_text, normalized_text_hash

LISTED_DUPLICATES = 100
TEXT_GUESS_ROWS = 200  # rows read to tell a file's texts by their length where no column name says
# Where a header's names are unknown, the column of texts is taken without asking only when its
# values are this many times as long as any other column's (numbers aside): a review beside its
# score and date, not a question beside its answer.
CLEARLY_LONGER = 2.0
SMALL_WHOLE_NUMBER = re.compile(r"[-+]?\d{1,3}")  # a label written as a number; a date or an id is longer
# What separates the labels of a text in one cell ("食物;价格"), tried in this order.
LABEL_SEPARATORS = (";", "|", ",", "，", "、")
LONGEST_LABEL = 40  # characters: a longer piece of a cell is text, not a label
# What programs write for a missing value (pandas' marks of one, less those a person may mean
# as a label: None, NA, N/A): a label cell saying so has no label, rather than a label called
# "nan" gathering the unlabelled texts.
MISSING_VALUE_MARKS = frozenset({
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
    "NULL", "NaN", "nan", "null",
})
LABEL_CACHE_SIZE = 10_000  # distinct label cells remembered (label sets are small)
LISTED_LABEL_VALUES = 50  # raw label values offered for naming; more are too many to name by hand
PROGRESS_EVERY = 2048  # rows between progress reports and cancel checks
UNASSIGNED = Split.UNASSIGNED.value  # read once: an enum's .value costs per row
READ_SHARE = 0.9  # of an import's progress; the rest is the commit (indexes built, file written)

log = logging.getLogger(__name__)


@dataclass
class FileSniff:
    """What the import wizard previews: the detected reading of a file and its first rows."""

    path: Path
    format: str
    encoding: Optional[str]
    encoding_confidence: float
    delimiter: Optional[str]
    sheets: list[str]
    sheet: Optional[str]
    columns: list[str]
    preview_rows: list[dict[str, str]]
    has_header: bool = True  # whether the first row named the columns (detected or as asked)
    title_rows: list[str] = field(default_factory=list)  # the cells of the rows skipped above the header
    header_is_optional: bool = False  # whether the first row could be names or data (Table's)

    def likely_text_column(self) -> Optional[str]:
        """A column with a known text name, else the one with the longest preview values."""
        named = column_named(self.columns, TEXT_COLUMN_NAMES)
        if named is not None or not self.columns:
            return named
        return longest_column(self.columns, self.preview_rows)

    def likely_label_column(self) -> Optional[str]:
        """A column with a known label name, else the one other column whose preview values
        look like labels: few and repeated, words or small whole numbers (0/1, 1-5 stars), not
        dates or ids. Where two columns look so (a score beside a sentiment), the user chooses."""
        named = column_named(self.columns, LABEL_COLUMN_NAMES)
        if named is not None:
            return named
        text_column = self.likely_text_column()
        looking_like_labels = []
        for column in self.columns:
            values = [value for row in self.preview_rows if (value := (row.get(column) or "").strip())]
            if column != text_column and holds_labels(values) and all(
                    SMALL_WHOLE_NUMBER.fullmatch(value) or not is_numeric(value) for value in values):
                looking_like_labels.append(column)
        return looking_like_labels[0] if len(looking_like_labels) == 1 else None


LONGEST_LIST_CELL = 10_000  # characters: a longer cell is not read as a list literal


def list_literal(cell: str) -> Optional[list[Any]]:
    """The labels of a cell that holds a list as JSON (``["sports", "politics"]``) or as
    pandas' ``to_csv`` writes a column of lists (Python's ``['sports', 'politics']``); None for
    any other cell. Read whole, such a cell made each combination a label named with brackets
    and quotes. Only literals are read (``ast.literal_eval`` runs no code)."""
    text = cell.strip()
    if not (text.startswith("[") and text.endswith("]")) or len(text) > LONGEST_LIST_CELL:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        return value
    return None


def likely_label_separator(values: Sequence[str]) -> Optional[str]:
    """The separator of label lists in a label column's ``values`` (``食物;价格``), where they
    are lists: two values or more hold it, and split at it the values are fewer labels than
    the column's distinct values (at most ``FEW_VALUES``, each short). A label that holds the
    separator itself ("A|B testing" beside "other") makes no fewer labels, and stays whole; a
    cell that is a list literal (``["a", "b"]``) is read as a list without one."""
    distinct = {value.strip() for value in values if value.strip() and list_literal(value) is None}
    best: Optional[tuple[int, str]] = None
    for separator in LABEL_SEPARATORS:
        holding = sum(1 for value in distinct if separator in value)
        if holding < 2 or (best is not None and holding <= best[0]):
            continue
        labels = {part.strip() for value in distinct for part in value.split(separator) if part.strip()}
        if len(labels) < len(distinct) and len(labels) <= FEW_VALUES and max(map(len, labels)) <= LONGEST_LABEL:
            best = (holding, separator)
    return best[1] if best else None


def longest_column(columns: list[str], rows: list[dict[str, str]]) -> str:
    """The column whose values in ``rows`` are longest in all: the texts, where no name says."""
    return max(columns, key=lambda column: sum(len(row.get(column) or "") for row in rows))


def clearly_longest_column(columns: list[str], rows: list[dict[str, str]]) -> Optional[str]:
    """The column whose values are on average ``CLEARLY_LONGER`` times as long as any other's,
    columns of numbers, dates and ids aside; None where two columns are alike in length."""
    mean_lengths = []
    for column in columns:
        values = [value for row in rows if (value := (row.get(column) or "").strip())]
        if values and not all(is_numeric(value) for value in values):
            mean_lengths.append((sum(map(len, values)) / len(values), column))
    mean_lengths.sort(reverse=True)
    if not mean_lengths or (len(mean_lengths) > 1 and mean_lengths[0][0] < CLEARLY_LONGER * mean_lengths[1][0]):
        return None
    return mean_lengths[0][1]


def column_named(columns: list[str], names: tuple[str, ...]) -> Optional[str]:
    """The first of ``names`` that is a column (case and surrounding spaces ignored)."""
    by_key = {column.strip().lower(): column for column in columns}
    return next((by_key[name] for name in names if name in by_key), None)


@dataclass
class ImportOptions:
    """How to read a file: which columns hold what, and how to decode it (None: detect)."""

    text_column: Optional[str] = None
    label_columns: list[str] = field(default_factory=list)
    label_separator: Optional[str] = None
    # raw label value -> the label's name (e.g. "0" -> "negative"); values not given keep theirs
    label_names: Mapping[str, str] = field(default_factory=dict)
    split_column: Optional[str] = None
    file_split: Optional[str] = None  # the split of every text whose row names none
    encoding: Optional[str] = None
    delimiter: Optional[str] = None
    sheet: Optional[str] = None
    header: Optional[bool] = None  # whether the first row names the columns (None: detect)
    skip_duplicates: bool = True
    keep_metadata: bool = True


@dataclass(slots=True)
class Record:
    """One text read from a file, with its labels, split and the other columns as metadata."""

    line: int
    text: str
    labels: list[str]
    split: Optional[str]
    meta: dict[str, str]
    text_hash: int = 0


def sniff_file(
    path: str | Path,
    encoding: Optional[str] = None,
    delimiter: Optional[str] = None,
    sheet: Optional[str] = None,
    preview_rows: int = 20,
    header: Optional[bool] = None,
) -> FileSniff:
    """Detect format, encoding, delimiter and columns of a file and read its first rows.

    Raises UserInputError for a file that is empty, has a header only, is binary or unreadable.
    """
    table = open_table(path, encoding, delimiter, sheet, header)
    rows: list[dict[str, str]] = []
    found_row = False
    for row in table.rows():
        found_row = True
        if row.problem is None:
            rows.append({c: cell_text(v) for c, v in zip(table.columns, row.values)})
        if len(rows) >= preview_rows:
            break
    if not found_row:
        raise _no_rows(table)
    return FileSniff(
        table.path, table.format, table.encoding, table.encoding_confidence, table.delimiter,
        table.sheets, table.sheet, table.columns, rows, table.has_header, table.title_rows,
        table.header_is_optional,
    )


class RecordReader:
    """Reads a table's rows as Records by the options, tallying what it skips in ``report``.

    ``known_hashes`` are the texts already in the project (their duplicates are skipped too);
    ``multi_label`` False makes a row with several labels an error (None: not checked). Its
    public attributes and methods are the rules that ``columnar.RowRules`` shares with the
    columnar path.
    """

    def __init__(
        self,
        table: Table,
        options: ImportOptions,
        known_hashes: Optional[set[int]] = None,
        multi_label: Optional[bool] = None,
        project_labels: Iterable[str] = (),
    ) -> None:
        self.table = table
        self.options = options
        self.multi_label = multi_label
        columns = table.columns
        text_column, guessed = (options.text_column, False) if options.text_column else _guess_text_column(table)
        self.text_index = _column_index(table, text_column, "text")
        self.label_indexes = [_column_index(table, c, "label") for c in options.label_columns]
        self.split_index = (
            _column_index(table, options.split_column, "split") if options.split_column else None
        )
        _check_roles(table, [
            ("text", self.text_index), *(("label", i) for i in self.label_indexes),
            ("split", self.split_index),
        ])
        if multi_label is False and len(self.label_indexes) > 1:
            raise _single_label_error(
                "This project gives each text one label, but {count} label columns were chosen.",
                count=len(self.label_indexes),
            )
        used = {self.text_index, *self.label_indexes, self.split_index}
        self.meta_columns = (
            [(i, c) for i, c in enumerate(columns) if i not in used] if options.keep_metadata else []
        )
        # hash -> labels of its first copy (None for texts already in the project)
        self._seen: dict[int, Optional[tuple[str, ...]]] = dict.fromkeys(known_hashes or ())
        self.labels_seen: dict[str, None] = {}
        # (hash, line, labels) of repeats whose labels differ from the first copy's: the
        # import keeps them in the project (BulkWriter.note_repeats) so they can be found
        self.repeats_with_other_labels: list[tuple[int, int, tuple[str, ...]]] = []
        # (hash, line, labels) of texts already in the project that the file labels: the
        # import gives them those labels where they have none (a labelling queue coming back)
        self.labels_for_project_texts: list[tuple[int, int, tuple[str, ...]]] = []
        # (hash, split) of texts already in the project that the file puts in a split: the
        # import puts them there where they have none (a test set named after the texts came)
        self.splits_for_project_texts: list[tuple[int, str]] = []
        self._label_cache: dict[Any, tuple[str, ...]] = {}
        # A label the file writes in several ways (Positive, positive, ＰＯＳＩＴＩＶＥ) is one label,
        # spelt as the project spells it, else as the file first does; names given for any of
        # its spellings name it.
        project_labels = list(project_labels)
        self._project_labels = set(project_labels)  # a project's own label is itself, alike or not
        self._spellings: dict[str, str] = {}
        for name in project_labels:  # in the project's order: its first of two alike is the others'
            self._spellings.setdefault(normalize_text(_label_piece(name)), name)  # a "1.0" made before stays
        self._label_names = {
            normalize_text(_label_piece(raw)): _tidy(name) for raw, name in options.label_names.items() if _tidy(name)
        }
        self.file_split = Split.parse(options.file_split).value if options.file_split else None
        self.report = ImportReport(encoding=table.encoding, text_column=text_column,
                                   text_column_guessed=guessed, has_header=table.has_header,
                                   title_rows=list(table.title_rows))

    def records(
        self,
        progress: ProgressCallback = ignore_progress,
        cancel: Optional[CancelToken] = None,
        limit: Optional[int] = None,
    ) -> Iterator[Record]:
        """Yield the texts to import, in file order; stops after ``limit`` rows when given."""
        report = self.report
        count = 0
        for row in self.table.rows():
            count += 1
            if count % PROGRESS_EVERY == 0:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                progress(self.table.position, f"{count:,} rows read")
            if limit is not None and count > limit:
                break
            if row.problem is not None:
                report.malformed.append((row.line, row.problem))
                continue
            record = self._record(row)
            if record is None:
                continue
            report.added += 1
            split = record.split or UNASSIGNED
            report.per_split[split] = report.per_split.get(split, 0) + 1
            yield record
        progress(1.0, f"{count:,} rows read")

    def _record(self, row: RawRow) -> Optional[Record]:
        """The row as a Record, or None where it is empty, a skipped duplicate or malformed."""
        values = row.values
        text = cell_text(values[self.text_index]).strip()
        if not text:
            self.report.skipped_empty += 1
            return None
        labels = self._labels(values)
        if self.multi_label is False and len(labels) > 1:
            raise _single_label_error(
                "This project gives each text one label, but line {line} has the labels {labels}.",
                line=row.line,
                labels=", ".join(labels),
            )
        split = self.file_split
        if self.split_index is not None and cell_text(values[self.split_index]).strip():
            try:
                split = Split.parse(cell_text(values[self.split_index])).value
            except ValueError as error:
                self.report.malformed.append((row.line, str(error)))
                return None
        text_hash = normalized_text_hash(text)
        if not self.is_new(text_hash, row.line, text, labels, split):
            return None
        meta = {column: cell_text(values[i]) for i, column in self.meta_columns}
        if row.extra and self.options.keep_metadata:
            meta.update((k, cell_text(v)) for k, v in row.extra.items())
        for name in labels:
            if name not in self.labels_seen:
                self.labels_seen[name] = None
        return Record(row.line, text, labels, split, meta, text_hash)

    def _labels(self, values: list[Any]) -> list[str]:
        if len(self.label_indexes) == 1:  # the common case, kept fast
            return list(self.cell_labels(values[self.label_indexes[0]]))
        labels: dict[str, None] = {}
        for index in self.label_indexes:
            labels.update(dict.fromkeys(self.cell_labels(values[index])))
        return list(labels)

    def cell_labels(self, value: Any) -> tuple[str, ...]:
        """The label names in one cell: split at the separator, spaces tidied, raw values
        renamed by ``label_names`` (memoised). The row and the columnar paths both read labels
        here, so they name them alike."""
        if isinstance(value, list):  # JSON: a list of labels
            return tuple(dict.fromkeys(n for v in value for n in self.cell_labels(v)))
        if isinstance(value, dict):
            value = cell_text(value)  # unhashable: remembered by its text
        found = self._label_cache.get(value)
        if found is None:
            cell = cell_text(value)
            separator = self.options.label_separator
            listed = None if separator else list_literal(cell)
            if listed is not None:  # a list written into a CSV or sheet cell
                found = tuple(dict.fromkeys(n for v in listed for n in self.cell_labels(v)))
            else:
                pieces = cell.split(separator) if separator else [cell]
                found = tuple(dict.fromkeys(self._label_name(p) for p in map(_label_piece, pieces) if self._is_label(p)))
            if len(self._label_cache) < LABEL_CACHE_SIZE:
                self._label_cache[value] = found
        return found

    def _is_label(self, piece: str) -> bool:
        """Whether a (tidied) piece of a label cell names a label: not empty, nor a program's
        mark of a missing value (reported)."""
        if piece in MISSING_VALUE_MARKS:
            self.report.missing_label_marks.setdefault(piece, None)
            return False
        return bool(piece)

    def _label_name(self, spelling: str) -> str:
        """The label a (tidied) cell piece is: renamed as the user said, else spelt as the
        label first was; a spelling folded into another is reported."""
        key = normalize_text(spelling)
        first = spelling if spelling in self._project_labels else self._spellings.setdefault(key, spelling)
        name = self._label_names.get(key, first)
        if spelling != first:
            self.report.labels_folded.setdefault(spelling, name)
        return name

    def distinct_labels(
        self, limit: int, progress: ProgressCallback = ignore_progress, cancel: Optional[CancelToken] = None,
    ) -> "LabelValues":
        """The distinct labels of the rows, in the order first met; it stops at ``limit`` + 1
        of them (more than ``limit`` are too many to name one by one)."""
        values: dict[str, None] = {}
        several = False
        for count, row in enumerate(self.table.rows(), start=1):
            if count % PROGRESS_EVERY == 0:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                progress(self.table.position, f"{count:,} rows read")
            if row.problem is None:
                labels = self._labels(row.values)
                several |= len(labels) > 1
                values.update(dict.fromkeys(labels))
                if len(values) > limit:
                    break
        progress(1.0, "label values read")
        return LabelValues(list(values), several)

    def remember_all_if_new(self, hashes: Sequence[int], labels: Sequence[tuple[str, ...]]) -> bool:
        """Remember a block of texts at once when none was met before nor twice in it (the
        common case, kept fast); False, and nothing remembered, otherwise."""
        if self._seen.keys().isdisjoint(hashes) and len(set(hashes)) == len(hashes):
            self._seen.update(zip(hashes, labels))
            return True
        return False

    def is_new(
        self, text_hash: int, line: int, text: str, labels: Sequence[str], split: Optional[str] = None,
    ) -> bool:
        """Remember a text; False (and counted) when it is a duplicate that is skipped. ``split``
        is the one the file names for it (None: none)."""
        report = self.report
        if text_hash not in self._seen:
            self._seen[text_hash] = tuple(labels)
            return True
        first_labels = self._seen[text_hash]
        if first_labels is None and self.options.skip_duplicates:  # a text the project has
            if labels:
                self.labels_for_project_texts.append((text_hash, line, tuple(labels)))
                self.labels_seen.update(dict.fromkeys(labels))
            if split and split != UNASSIGNED:
                self.splits_for_project_texts.append((text_hash, split))
        if first_labels is not None and first_labels != tuple(labels):
            report.conflicting_duplicates += 1
            self.repeats_with_other_labels.append((text_hash, line, tuple(labels)))
        if not self.options.skip_duplicates:
            report.kept_duplicates += 1
            return True
        report.skipped_duplicates += 1
        if first_labels is None:
            report.already_in_project += 1
        if len(report.duplicates) < LISTED_DUPLICATES:
            report.duplicates.append((line, text))
        return False


def _tidy(label: str) -> str:
    """A label as stored: runs of spaces made one, none at the ends."""
    return " ".join(label.split())


_WHOLE_DECIMAL = re.compile(r"[+-]?\d+\.0+")


def _label_piece(piece: str) -> str:
    """A piece of a label cell as the label it names: tidied, and a whole number written as a
    decimal ("1.0", as pandas writes a label column with a missing value) as the number, the
    way a workbook's 1.0 already reads as "1"; else one file's "1" and another's "1.0" were
    two labels."""
    tidied = _tidy(piece)
    return str(int(tidied.split(".")[0])) if _WHOLE_DECIMAL.fullmatch(tidied) else tidied


def _no_rows(table: Table) -> UserInputError:
    return UserInputError(
        "{file} has a header line but no rows.",
        "Choose a file with at least one text under the header.",
        file=table.path.name,
    )


def _check_texts_found(table: Table, report: ImportReport) -> None:
    """A file without one readable text was surely read with the wrong settings: say which.

    Texts skipped as duplicates count as found: importing the same file again is no error.
    """
    if report.added or report.skipped_duplicates:
        return
    name = table.path.name
    if report.malformed:
        line, reason = report.malformed[0]
        raise UserInputError(
            "None of the {count:,} rows of {name} can be read; line {line}: {reason}.",
            "Check the delimiter and the encoding (--delimiter, --encoding).",
            count=len(report.malformed),
            name=name,
            line=line,
            reason=reason,
        )
    if report.skipped_empty:
        raise UserInputError(
            "Every text of {name} is empty (the column {column!r}).",
            "Choose the file that holds the texts." if len(table.columns) == 1
            else "Choose the column that holds them (--text-col NAME): {columns}.",
            name=name,
            column=report.text_column,
            columns=", ".join(table.columns),
        )
    raise _no_rows(table)


def _guess_text_column(table: Table) -> tuple[str, bool]:
    """The column of texts and whether its values' length chose it (no name says): a file
    without a header, or with names bertdesk does not know, gets its longest column, and a
    header's unknown names only where that column is clearly the longest."""
    if len(table.columns) == 1:
        return table.columns[0], False
    named = column_named(table.columns, TEXT_COLUMN_NAMES)
    if named is not None:
        return named, False
    sample = [dict(zip(table.columns, map(cell_text, row.values))) for row in
              itertools.islice((row for row in table.rows() if row.problem is None), TEXT_GUESS_ROWS)]
    guess = longest_column(table.columns, sample) if not table.has_header else clearly_longest_column(table.columns, sample)
    if guess is None:
        raise UserInputError(
            "Which column of {file} holds the texts? Its columns are: {columns}.",
            "Name it with --text-col NAME.",
            file=table.path.name,
            columns=", ".join(table.columns),
        )
    return guess, True


def _check_roles(table: Table, roles: list[tuple[str, Optional[int]]]) -> None:
    """One column serves one role: a text read as its own label would make a label per text."""
    first_role: dict[int, str] = {}
    for role, index in roles:
        if index is None:
            continue
        other = first_role.setdefault(index, role)
        if other != role:
            raise UserInputError(
                "The column {column!r} is chosen as both the {other} and the {role} column.",
                "Choose a different column for one of them.",
                column=table.columns[index],
                other=other,
                role=role,
            )


def _column_index(table: Table, name: str, role: str) -> int:
    if name in table.columns:
        return table.columns.index(name)
    raise UserInputError(
        "{file} has no column named {name!r} (asked for as the {role} column).",
        "Its columns are: {columns}.",
        file=table.path.name,
        name=name,
        role=role,
        columns=", ".join(table.columns),
    )


def _single_label_error(message: str, **values: object) -> UserInputError:
    return UserInputError(
        message,
        "Import into a project that gives texts several labels (a new one: Several labels per text in the "
        "import window, or bertdesk new PROJECT --multi-label), or choose one label column without a "
        "separator.",
        **values,
    )


def iter_records(
    path: str | Path,
    options: ImportOptions,
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> Iterator[Record]:
    """Stream the texts of a file as Records (batch prediction reads files with it).

    Empty texts and malformed rows are left out; duplicates too unless ``skip_duplicates``
    is off. Memory stays flat however large the file.
    """
    yield from open_records(path, options).records(progress, cancel)


def open_records(path: str | Path, options: ImportOptions) -> RecordReader:
    """A file's reader by the options, before any row is read: its ``table.columns``, the
    column it reads the texts from (``report.text_column``, and whether that was guessed),
    and ``records()``."""
    table = open_table(path, options.encoding, options.delimiter, options.sheet, options.header)
    return RecordReader(table, options)


@dataclass(frozen=True)
class LabelValues:
    """What a file's label columns hold, read before the import."""

    names: list[str]  # the distinct labels as the file writes them, in the order first met
    several_per_text: bool  # a text of the part read carries more than one (a JSON list, two columns)


def label_values(
    path: str | Path,
    options: ImportOptions,
    limit: int = LISTED_LABEL_VALUES,
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> LabelValues:
    """The distinct values of the label column(s) as the file writes them (split at the
    separator), for naming them before the import (``ImportOptions.label_names``); at most
    ``limit`` + 1, so that more than ``limit`` shows; and whether a text carries several, so
    that a new project can be made multi-label before the import refuses the file."""
    table = open_table(path, options.encoding, options.delimiter, options.sheet, options.header)
    reader = RecordReader(table, dataclasses.replace(options, label_names={}))
    return reader.distinct_labels(limit, progress, cancel)


def preview_import(
    path: str | Path,
    options: ImportOptions,
    limit: Optional[int] = None,
    project: Optional[Project] = None,
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> ImportReport:
    """A dry run: what ``import_file`` would do with the first ``limit`` rows (all if None).

    Nothing is written. Given the ``project``, texts it holds count as duplicates, labels it
    has are not "created", and its single-label rule is checked. Over a large file it takes
    seconds, so it reports progress and stops at a cancel (``Cancelled``).
    """
    table = open_table(path, options.encoding, options.delimiter, options.sheet, options.header)
    label_ids = {label.name: int(label.id) for label in project.labels()} if project else {}
    known_hashes = project.existing_hashes() if project else None

    def dry_run(blocks: Optional[columnar.Blocks]) -> ImportReport:
        reader = RecordReader(table, options, known_hashes, project.multi_label if project else None, label_ids)
        sink = columnar.DryRun(label_ids)
        if blocks is not None:
            columnar.ColumnarImport(reader, blocks, sink).run(progress, cancel)
        else:
            for _record in reader.records(progress, cancel, limit):
                pass
        if project is not None:
            _count_project_texts(reader.report, project.preview_project_texts(
                reader.labels_for_project_texts, reader.splits_for_project_texts, sink.label_id))
        reader.report.labels_created = [n for n in reader.labels_seen if n not in label_ids]
        return reader.report

    return dry_run(None) if limit is not None else _columnar_first(table, progress, dry_run)


def import_file(
    project: Project,
    path: str | Path,
    options: ImportOptions,
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> ImportReport:
    """Import every text of a file into the project in one transaction: all of it or nothing.

    Labels are created as met; the file's splits are kept. A cancel (``Cancelled``), an error
    or a killed process leaves the project as it was. Runs on a worker thread in the GUI.
    A large CSV, TSV or Parquet file is read a block at a time by pyarrow (``columnar``) when
    a check shows that it reads the same that way; any other file, row by row.
    """
    table = open_table(path, options.encoding, options.delimiter, options.sheet, options.header)
    return _columnar_first(
        table, progress, lambda blocks: _import(project, table, options, progress, cancel, blocks)
    )


def _count_project_texts(report: ImportReport, outcome: ProjectTextsOutcome) -> None:
    """The report's account of what the texts already in the project took (done or to do)."""
    report.labelled_existing = outcome.labelled
    report.split_existing, report.kept_split = outcome.split, outcome.kept_split
    report.conflicting_duplicates += outcome.labelled_otherwise  # they keep their own labels


def _columnar_first(
    table: Table, progress: ProgressCallback,
    read: Callable[[Optional[columnar.Blocks]], ImportReport],
) -> ImportReport:
    """``read`` the table a block at a time where the columnar path takes it (a large CSV,
    TSV or Parquet file that reads the same that way), else (or when it gives up) by rows."""
    if table.path.stat().st_size >= columnar.COLUMNAR_MIN_BYTES:
        try:
            progress(0.0, "checking the file")
            return read(columnar.blocks_of(table))
        except columnar.NotColumnar as reason:
            log.info("%s is read row by row: %s", table.path.name, reason)
    return read(None)


def _import(
    project: Project,
    table: Table,
    options: ImportOptions,
    progress: ProgressCallback,
    cancel: Optional[CancelToken],
    blocks: Optional[columnar.Blocks] = None,
) -> ImportReport:
    """The import's transaction, reading by ``blocks`` where given."""
    known_labels = [label.name for label in project.labels()]
    reader = RecordReader(table, options, project.existing_hashes(), project.multi_label, known_labels)
    splits = {split.value: split for split in Split}
    reading = subrange(progress, 0.0, READ_SHARE)
    with project.bulk_writer() as writer:
        if blocks is not None:
            columnar.ColumnarImport(reader, blocks, writer).run(reading, cancel)
        else:
            for record in reader.records(reading, cancel):
                writer.add(
                    record.text,
                    splits[record.split or UNASSIGNED],
                    [writer.label_id(name) for name in record.labels],
                    record.meta or None,
                    text_hash=record.text_hash,
                )
        if cancel is not None:
            cancel.raise_if_cancelled()
        _check_texts_found(table, reader.report)
        labelled, labelled_otherwise = writer.label_project_texts(reader.labels_for_project_texts)
        split, kept_split = writer.split_project_texts(reader.splits_for_project_texts)
        _count_project_texts(reader.report, ProjectTextsOutcome(labelled, len(labelled_otherwise), split, kept_split))
        writer.note_repeats(table.path.name, reader.repeats_with_other_labels + labelled_otherwise)
        progress(READ_SHARE, f"saving {reader.report.added:,} texts")
    progress(1.0, f"{reader.report.added:,} texts imported")
    reader.report.labels_created = [n for n in reader.labels_seen if n not in known_labels]
    return reader.report
