"""Reading files as tables: a header of column names, then rows streamed one at a time.

Every format gives the same shape (``Table.columns`` and ``Table.rows()`` yielding ``RawRow``),
so the importer, the preview and batch prediction read CSV, TSV, TXT, JSON(L), XLSX and
Parquet alike. Rows are read lazily from disk: a file larger than memory is fine. A row that
cannot be read comes back with ``problem`` set and its line number, never silently dropped.
"""

from __future__ import annotations

import abc
import codecs
import csv
import datetime
import itertools
import json
import re
from collections import deque
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, TextIO

from bertdesk.core.errors import Sentence, UserInputError
from bertdesk.io.encoding import (
    SAMPLE_BYTES,
    DetectedEncoding,
    detect_encoding,
    few_undecodable_lines,
    first_undecodable_line,
)

FORMATS_BY_SUFFIX = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".parquet": "parquet",
}
SUPPORTED_IMPORT_SUFFIXES: tuple[str, ...] = tuple(FORMATS_BY_SUFFIX)
DELIMITER_CANDIDATES = (",", "\t", ";", "|")
# Excel's first line of a CSV that names its delimiter ("sep=;"); Excel itself hides it.
EXCEL_SEPARATOR_LINE = re.compile(r"sep=(.)", re.IGNORECASE)
SNIFF_CHARS = 64 * 1024
# The longest field a CSV or TSV may hold: a whole book chapter, not Python csv's default 131,072
# characters (a long document then read as a quote that never closes).
MAX_FIELD_CHARS = 16 * 1024 * 1024
UNDECODED = re.compile("[\udc80-\udcff]")  # bytes the encoding could not read, kept by surrogateescape
JSON_KEY_SAMPLE = 1000  # JSON lines read to learn the columns
TEXT_COLUMN = "text"  # the column name of formats without a header (TXT, a list of strings)
# Column names that say what a column holds, in the languages bertdesk's users label most
# (compared lower-cased; earlier names win where a file has two).
TEXT_COLUMN_NAMES = (
    "text", "review", "sentence", "content", "comment", "texts", "document", "body", "tweet",
    "message", "utterance", "review_text", "comment_text",
    "文本", "评论", "内容", "句子", "评价", "正文", "评论内容", "文本内容",
    "テキスト", "本文", "文章", "텍스트", "문장", "내용", "texto", "texte", "testo",
)
# Columns offered as the labels and the split: the import wizard ticks them, the CLI names them.
LABEL_COLUMN_NAMES = (
    "label", "labels", "category", "class", "sentiment", "intent", "target", "polarity", "topic",
    "tag", "tags", "emotion",
    "标签", "类别", "分类", "情感", "类型", "标注", "情感倾向",
    "ラベル", "カテゴリ", "カテゴリー", "感情", "라벨", "레이블", "분류", "감정",
    "etiqueta", "categoría", "étiquette", "catégorie", "kategorie", "klasse", "etichetta",
)
SPLIT_COLUMN_NAMES = ("split", "set", "subset", "划分", "数据集")
KNOWN_COLUMN_NAMES = frozenset(TEXT_COLUMN_NAMES + LABEL_COLUMN_NAMES + SPLIT_COLUMN_NAMES)
# The header check: rows read after the first, and what tells a first row of data from names.
HEADER_SAMPLE_ROWS = 200
MAX_TITLE_ROWS = 5  # rows of one cell above a table's header (a report's title, its date), skipped
FEW_VALUES = 50  # a column of at most this many values, each met twice on average, holds labels
SHORT_CELL = 8  # characters: shorter is as likely a name as a text, however short the texts
MIN_LABEL_ROWS = 3  # fewer rows cannot show that a column repeats a few labels
QUESTION_ENDS = ("?", "？", ":", "：")  # a survey's question heads its answers, however long
NUMERIC = re.compile(r"[-+]?[\d\s.,:/%()+-]+(?:[eE][-+]?\d+)?")


@dataclass(slots=True)
class RawRow:
    """One row as read: ``values`` line up with the table's columns; ``problem`` says why not."""

    line: int
    values: list[Any]
    extra: Optional[dict[str, Any]] = None  # JSON keys first met after the sampled lines
    problem: Optional[Sentence] = None  # English wherever a str goes; the GUI translates it
    # A line whose quotes break CSV's rules, split at its delimiters with its quotes kept as
    # written: many TSVs never quote (他说"好吃"), and such a line is a row where it fits.
    literal: Optional[list[str]] = None


@dataclass
class Table(abc.ABC):
    """A file opened for reading: what was detected about it and how to stream its rows."""

    path: Path
    format: str
    columns: list[str]
    encoding: Optional[str] = None
    encoding_confidence: float = 1.0
    delimiter: Optional[str] = None
    sheets: list[str] = field(default_factory=list)
    sheet: Optional[str] = None
    position: float = 0.0  # the fraction of the file read so far (for progress)
    has_header: bool = True  # whether the first row names the columns (else it is data)
    title_rows: list[str] = field(default_factory=list)  # the cells of the rows skipped above the header
    # The user chose the encoding and nearly every line decodes with it (a file put together
    # from two sources): a line it cannot read is skipped and reported. Otherwise such a line
    # says the encoding is wrong, and stops the import with the advice to choose another.
    skips_undecodable_lines: bool = False

    @abc.abstractmethod
    def rows(self) -> Iterator[RawRow]:
        """The data rows (the header excluded), read lazily; updates ``position`` as it goes."""

    def open_text(self, newline: Optional[str] = None) -> TextIO:
        """The file as text in its encoding (undecodable bytes kept as surrogates where lines
        that do not decode are skipped: ``undecodable`` finds them)."""
        return self.path.open(encoding=self.encoding, newline=newline,
                              errors="surrogateescape" if self.skips_undecodable_lines else "strict")

    def undecodable(self, *texts: str) -> Optional[Sentence]:
        """Why a line holding ``texts`` is skipped: bytes its (chosen) encoding cannot read."""
        if self.skips_undecodable_lines and any(UNDECODED.search(text) for text in texts):
            return Sentence("is not valid {encoding} text", encoding=self.encoding)
        return None

    def wrong_width(self, count: int) -> Sentence:
        """Why a row of ``count`` fields is skipped, where the first row gave the table's width."""
        return Sentence(
            "has {count} fields where the header has {width}" if self.has_header
            else "has {count} fields where the first line has {width}",
            count=count, width=len(self.columns),
        )

    @property
    def header_is_optional(self) -> bool:
        """Whether its first row may name the columns or be data (``has_header`` detected, and
        the user may say otherwise): rows of cells, not records that name their fields."""
        return self.format in ("csv", "tsv", "xlsx", "xls")


def open_table(
    path: str | Path,
    encoding: Optional[str] = None,
    delimiter: Optional[str] = None,
    sheet: Optional[str] = None,
    header: Optional[bool] = None,
) -> Table:
    """Open ``path`` as a table: format from its suffix, encoding and delimiter detected.

    ``header`` says whether a CSV, TSV or sheet names its columns in its first row; None
    detects it (``first_row_is_header``). Without one, the columns are "column 1", "column 2" ….
    Raises UserInputError for a missing, empty, binary or unreadable file.
    """
    path = Path(path)
    if path.is_dir():
        raise UserInputError(
            "{path} is a folder, not a file.",
            "Choose one of the files in it.",
            path=path,
        )
    if not path.is_file():
        raise UserInputError("There is no file at {path}.", "Check the path and try again.", path=path)
    file_format = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if file_format is None:
        raise UserInputError(
            "bertdesk cannot read {suffix} files ({file}).",
            "Save it as one of {suffixes}.",
            suffix=path.suffix or "files without a suffix",
            file=path.name,
            suffixes=", ".join(SUPPORTED_IMPORT_SUFFIXES),
        )
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UserInputError(
            "Cannot read {file}: {reason}.",
            "Check its permissions.",
            file=path.name,
            reason=error.strerror,
        ) from error
    if size == 0:
        raise UserInputError(
            "{file} is empty (0 bytes).",
            "Choose a file that holds texts.",
            file=path.name,
        )
    if file_format in ("xlsx", "xls"):
        return SheetTable.open(path, file_format, sheet, header)
    if file_format == "parquet":
        return ParquetTable.open(path)
    detected = _text_encoding(path, encoding, size)
    detected_encoding, confidence = detected.name, detected.confidence
    # A few lines in another encoding are skipped where the user chose this one, or where the
    # detection found the file UTF-8 but for them; otherwise one stops the import.
    skips = detected.few_lines_undecodable or (encoding is not None and few_undecodable_lines(path, detected_encoding))
    if file_format == "txt":
        if delimiter is None and not _holds_tab_separated_rows(path, detected_encoding):
            return TextLinesTable(path, "txt", [TEXT_COLUMN], detected_encoding, confidence, skips_undecodable_lines=skips)
        file_format = "tsv"  # Excel's "Unicode Text" export is a UTF-16 TSV named .txt
    if file_format in ("jsonl", "json"):
        return JsonTable.open(path, file_format, detected_encoding, confidence, header, skips)
    return DelimitedTable.open(path, file_format, detected_encoding, confidence, delimiter, header, skips)


def _holds_tab_separated_rows(path: Path, encoding: str) -> bool:
    """Whether a .txt file's first lines (two at least) are rows of as many (> 1) tab-separated
    fields each: a table, where texts with a tab here and there split unevenly."""
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        lines = [line for line in _sample_lines(handle.read(SNIFF_CHARS)) if line.strip()]
    try:
        widths = {len(row) for row in csv.reader(lines, delimiter="\t", strict=True)}
    except csv.Error:
        return False
    return len(lines) > 1 and len(widths) == 1 and widths.pop() > 1


def _text_encoding(path: Path, override: Optional[str], size: int) -> DetectedEncoding:
    if override:
        try:
            return DetectedEncoding(codecs.lookup(override).name, 1.0)
        except LookupError:
            raise UserInputError(
                "Unknown text encoding {override!r}.",
                "Use for example utf-8, gb18030 or big5.",
                override=override,
            ) from None
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    return detect_encoding(sample, whole_file=size <= SAMPLE_BYTES, file_name=path.name)


def _decoding_error(path: Path, encoding: Optional[str]) -> UserInputError:
    """The error for a file that does not decode, naming its first line that does not (the
    reader's own line number is where its buffer began)."""
    hint = "Choose the file's encoding yourself (for example gb18030, big5 or utf-8)."
    line = first_undecodable_line(path, encoding) if encoding else None
    if line is None:
        return UserInputError("{name} is not valid {encoding} text.", hint, name=path.name, encoding=encoding)
    return UserInputError(
        "Line {line} of {name} is not valid {encoding} text.", hint,
        line=line, name=path.name, encoding=encoding,
    )


def unused_name(name: str, taken: set[str]) -> str:
    """``name``, or "name (2)", "name (3)" … where a column already has it; added to ``taken``.
    A table with two columns of one name loses one of them in a JSON record, a DataFrame or a
    later import."""
    found, copy = name, 2
    while found in taken:
        found, copy = f"{name} ({copy})", copy + 1
    taken.add(found)
    return found


def _unique_columns(names: list[Any]) -> list[str]:
    """Header cells as column names: blanks become "column N", repeats get " (2)"."""
    taken: set[str] = set()
    return [unused_name(cell_text(name).strip() or f"column {index}", taken)
            for index, name in enumerate(names, start=1)]


def numbered_columns(width: int) -> list[str]:
    """The names of a table's columns when its first row holds data, not names."""
    return [f"column {index}" for index in range(1, width + 1)]


def table_start(rows: list[Optional[list[str]]], header: Optional[bool]) -> tuple[int, bool]:
    """Which of a file's first rows (its blank rows left out; None for one that cannot be read)
    begins the table, and whether it names the columns (``header``: as the user said, None:
    ``first_row_is_header``).

    Reports exported from Excel often put a title (and a date) above the header, one cell a
    row: up to ``MAX_TITLE_ROWS`` such rows are skipped where most rows below
    (``MIN_LABEL_ROWS`` at least, to judge by) hold two cells or more, and either a row that
    surely names the columns follows them (a known name, or more columns' votes for names
    than for data) or they have fewer fields than it: a line without the table's delimiters
    cannot be one of its rows (read as the first, it would make every later row too wide),
    so above a headerless table it is a title too. Otherwise the table begins at its first
    row, so a headerless file whose first texts have no label yet loses none of them.
    """
    def filled(cells: list[str]) -> int:
        return sum(1 for cell in cells if cell.strip())

    start = next((index for index, cells in enumerate(rows[:MAX_TITLE_ROWS + 1])
                  if cells is None or filled(cells) > 1), 0)
    candidate = rows[start]
    if start and candidate is not None:
        below = [cells for cells in rows[start + 1:] if cells is not None]
        filled_below = sum(1 for cells in below if filled(cells) > 1)
        if len(below) >= MIN_LABEL_ROWS and 2 * filled_below >= len(below):
            if header is not False and (header or first_row_is_header(candidate, below, when_unsure=False)):
                return start, True
            if all(cells is not None and len(cells) < len(candidate) for cells in rows[:start]):
                return start, header if header is not None else first_row_is_header(candidate, below)
    if header is not None or rows[0] is None:
        return 0, header is not False
    return 0, first_row_is_header(rows[0], [cells for cells in rows[1:] if cells is not None])


def first_row_is_header(first: list[str], rest: list[list[str]], when_unsure: bool = True) -> bool:
    """Whether ``first`` names the columns of the rows ``rest`` (a sample of those after it).

    A known column name (text, label, 标签 …) makes it a header, unless the rows below hold it
    too (CLINC150 has an intent named "text"). Otherwise each column votes
    as csv.Sniffer's columns do, with rules for texts and labels: a number (or date) above
    numbers or a value the column repeats says data, a word above numbers or above labels it is
    not one of says names. Where no column has such a form, a cell as long as the column's
    texts (``_among_lengths``; a question ending in "?" not) says data. A tie, or nothing to
    go by, gives ``when_unsure``: by default the header, as every file was read before this
    check, so a headerless file then loses no more than it did. benchmarks/header_detection.py
    measures it.
    """
    for index, cell in enumerate(first):  # a known name, unless its column holds it as a value (a label)
        if cell.strip().lower() in KNOWN_COLUMN_NAMES and not any(
                len(row) > index and row[index].strip() == cell.strip() for row in rest):
            return True
    # Votes of columns with a form (numbers, dates, labels) decide; a cell's length only where
    # none has one: survey exports head short answers with long questions.
    data_votes = name_votes = long_cells = 0
    for index, cell in enumerate(first):
        cell = cell.strip()
        values = [row[index].strip() for row in rest if len(row) == len(first) and row[index].strip()]
        if not cell or not values:
            continue
        if all(is_numeric(value) for value in values):
            data_votes, name_votes = data_votes + is_numeric(cell), name_votes + (not is_numeric(cell))
        elif cell in values:  # a label the column repeats (a name heads its column once)
            data_votes += 1
        elif len(values) >= MIN_LABEL_ROWS and holds_labels(values):
            name_votes += 1  # not one of the column's few labels
        elif not cell.endswith(QUESTION_ENDS) and _among_lengths(len(cell), sorted(map(len, values))):
            long_cells += 1  # as long as a text of the column, where names are short
    if data_votes != name_votes:
        return name_votes > data_votes
    if long_cells and not data_votes:  # no column has a form, and a cell is as long as a text
        return False
    return when_unsure


def holds_labels(values: list[str]) -> bool:
    """Whether a column's (non-empty) ``values`` look like labels: few, each met twice on average."""
    distinct = len(set(values))
    return 0 < distinct <= FEW_VALUES and 2 * distinct <= len(values)


def _among_lengths(length: int, lengths: list[int]) -> bool:
    """Whether a cell of ``length`` is as long as the texts of the (sorted) ``lengths``: not
    shorter than their shortest quarter, nor longer than the longest. A question heading short
    answers is longer; a name heading texts, shorter."""
    return max(SHORT_CELL, lengths[len(lengths) // 4]) <= length <= lengths[-1]


def is_numeric(text: str) -> bool:
    """A number, or digits in a date's, a time's or an id's punctuation (2024/1/1 10:00)."""
    return NUMERIC.fullmatch(text) is not None and any(character.isdigit() for character in text)


def _fraction_read(handle: TextIO, size: int) -> float:
    """How far through a file of ``size`` bytes a text handle has read (progress)."""
    return handle.buffer.tell() / size


def cell_text(value: Any) -> str:
    """A cell as text: whole floats without ".0" (Excel stores 1 as 1.0), a date without the
    midnight a workbook stores it with ("2024-01-02", not "2024-01-02 00:00:00"), empty for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time() and value.tzinfo is None:
        return value.date().isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# ------------------------------------------------------------------------------ delimited
class _LineFeed:
    """Feeds lines to ``csv.reader`` and keeps those of the current row, numbered.

    When a row cannot be parsed (a quote that never closes swallows the lines after it),
    the lines after its first are fed again, so one broken line costs one row.
    """

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._pending: deque[tuple[int, str]] = deque()
        self._next_number = 1
        self.row_lines: list[tuple[int, str]] = []

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        if self._pending:
            item = self._pending.popleft()
        else:
            item = (self._next_number, next(self._lines))
            self._next_number += 1
        self.row_lines.append(item)
        return item[1]

    @property
    def row_start(self) -> int:
        return self.row_lines[0][0] if self.row_lines else self._next_number

    def feed_again(self, lines: list[tuple[int, str]]) -> None:
        self._pending.extendleft(reversed(lines))


def _csv_problem(error: csv.Error, lines: list[tuple[int, str]]) -> Sentence:
    message = str(error)
    if len(lines) > 1 or "end of data" in message:
        # The row ran over line ends: a quote opened on its first line did not close there.
        return Sentence(
            "a quote opened on this line is never closed (it ran on to line {last})", last=lines[-1][0]
        )
    if "field limit" in message:
        return Sentence("has a field longer than {limit:,} characters", limit=MAX_FIELD_CHARS)
    if "expected after" in message:
        return Sentence(
            "a quote closes in the middle of a field (a quote inside a text must be doubled: \"\")"
        )
    return Sentence("cannot be read as a table row ({reason})", reason=message)


@dataclass
class DelimitedTable(Table):
    """CSV and TSV: RFC 4180 quoting, read strictly so that broken quotes are found."""

    start_line: int = 1  # where the header (or the first row) is: below a sep= line and title rows

    @classmethod
    def open(
        cls, path: Path, file_format: str, encoding: str, confidence: float,
        delimiter: Optional[str], header: Optional[bool] = None, skips_undecodable_lines: bool = False,
    ) -> DelimitedTable:
        with path.open(encoding=encoding, errors="replace", newline="") as handle:
            sample = handle.read(SNIFF_CHARS)
        default = "\t" if file_format == "tsv" else ","
        first_line = sample.lstrip("\ufeff").partition("\n")[0]
        excel = EXCEL_SEPARATOR_LINE.fullmatch(first_line.rstrip("\r"))
        table = cls(
            path, file_format, [], encoding, confidence,
            delimiter=delimiter or (excel.group(1) if excel else _sniff_delimiter(sample, default)),
            skips_undecodable_lines=skips_undecodable_lines,
        )
        rows = table._parsed_rows()
        try:
            if excel:
                next(rows, None)  # Excel's sep= line: no row of the table
            head = list(itertools.islice(rows, MAX_TITLE_ROWS + 1 + HEADER_SAMPLE_ROWS))
        finally:
            rows.close()
        if not head:
            raise UserInputError(
                "{file} holds no text.",
                "Choose a file that holds texts.",
                file=path.name,
            )
        start, table.has_header = table_start([None if row.problem else row.values for row in head], header)
        first = head[start]
        table.start_line = first.line
        table.title_rows = [cell.strip() for row in head[:start] for cell in row.values if cell.strip()]
        if first.problem is not None:
            raise UserInputError(
                "The first line of {file} cannot be read: {problem}.",
                "Fix the first line of the file.",
                file=path.name,
                problem=first.problem,
            )
        table.columns = _unique_columns(first.values) if table.has_header else numbered_columns(len(first.values))
        return table

    def _parsed_rows(self) -> Generator[RawRow, None, None]:
        """Every non-blank row, the header included, with its first line number."""
        size = max(self.path.stat().st_size, 1)
        csv.field_size_limit(MAX_FIELD_CHARS)  # Python's own limit is a process-wide setting
        with self.open_text(newline="") as handle:
            feed = _LineFeed(handle)
            reader = csv.reader(feed, delimiter=self.delimiter or ",", strict=True)
            count = 0
            while True:
                feed.row_lines.clear()
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    broken = list(feed.row_lines)
                    literal = None
                    if len(broken) == 1 and "expected after" in str(error):  # a quote amid a field
                        literal = next(csv.reader([broken[0][1].rstrip("\r\n")], delimiter=self.delimiter or ",",
                                                  quoting=csv.QUOTE_NONE), [])
                    yield RawRow(feed.row_start, [], problem=_csv_problem(error, broken), literal=literal)
                    feed.feed_again(broken[1:])
                    reader = csv.reader(feed, delimiter=self.delimiter or ",", strict=True)
                    continue
                except UnicodeDecodeError:
                    raise _decoding_error(self.path, self.encoding) from None
                count += 1
                if count % 1024 == 0:
                    self.position = _fraction_read(handle, size)
                if values:
                    # (checked only where lines may not decode: a row reader's every row passes here)
                    undecodable = self.undecodable(*values) if self.skips_undecodable_lines else None
                    yield RawRow(feed.row_start, [] if undecodable else values, problem=undecodable)
        self.position = 1.0

    def rows(self) -> Iterator[RawRow]:
        width = len(self.columns)
        rows = (row for row in self._parsed_rows() if row.line >= self.start_line)
        if self.has_header:
            next(rows, None)
        for row in rows:
            if row.literal is not None and len(row.literal) == width:
                row = RawRow(row.line, row.literal)  # its quotes are part of its text
            if row.problem is None and len(row.values) != width:
                if len(row.values) == 1 and not row.values[0].strip():
                    continue  # a line of spaces only
                row = RawRow(row.line, [], problem=self.wrong_width(len(row.values)))
            yield row


def _sample_lines(sample: str) -> list[str]:
    """The first 50 lines of a file's first ``SNIFF_CHARS`` characters, less a last one the
    sample may have cut off."""
    lines = sample.splitlines()[:50]
    if len(sample) == SNIFF_CHARS and len(lines) > 1:
        lines = lines[:-1]
    return lines


def _sniff_delimiter(sample: str, default: str) -> str:
    """The candidate that splits the first lines into the same number (> 1) of fields most often."""
    lines = _sample_lines(sample)
    best, best_score = default, 0
    for candidate in (default, *(c for c in DELIMITER_CANDIDATES if c != default)):
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=candidate) if row]
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = widths.count(common) if common > 1 else 0
        if score > best_score:
            best, best_score = candidate, score
    return best


# ---------------------------------------------------------------------------- plain text
@dataclass
class TextLinesTable(Table):
    """TXT: one text a line, no header."""

    def rows(self) -> Iterator[RawRow]:
        size = max(self.path.stat().st_size, 1)
        with self.open_text() as handle:
            try:
                for line, text in enumerate(handle, start=1):
                    if line % 1024 == 0:
                        self.position = _fraction_read(handle, size)
                    undecodable = self.undecodable(text)
                    yield RawRow(line, [] if undecodable else [text.rstrip("\n")], problem=undecodable)
            except UnicodeDecodeError:
                raise _decoding_error(self.path, self.encoding) from None
        self.position = 1.0


# ---------------------------------------------------------------------------------- JSON
@dataclass
class JsonTable(Table):
    """JSON Lines (one object, string or array a line), or a JSON array of them (streamed too).
    Arrays are rows as a CSV's are (``json.dump`` of a list of pairs): their first may name
    the columns."""

    arrays: bool = False  # the records are arrays of cells, not objects

    @property
    def header_is_optional(self) -> bool:
        return self.arrays

    @classmethod
    def open(
        cls, path: Path, file_format: str, encoding: str, confidence: float, header: Optional[bool] = None,
        skips_undecodable_lines: bool = False,
    ) -> JsonTable:
        table = cls(path, "jsonl", [], encoding, confidence, skips_undecodable_lines=skips_undecodable_lines)
        if file_format == "json" and not table._is_json_lines():
            table.format = "json"
        keys: dict[str, None] = {}
        arrays: list[list[str]] = []
        first_problem: Optional[tuple[int, Sentence]] = None
        for line, item, problem in table._items(limit=JSON_KEY_SAMPLE):
            if isinstance(item, dict):
                keys.update(dict.fromkeys(str(k) for k in item))
            elif isinstance(item, list):
                arrays.append([cell_text(cell) for cell in item])
            elif item is not None:
                keys[TEXT_COLUMN] = None
            elif problem is not None and first_problem is None:
                first_problem = (line, problem)
        if arrays and not keys:  # rows of cells, as a CSV's
            table.arrays = True
            table.has_header = first_row_is_header(arrays[0], arrays[1:HEADER_SAMPLE_ROWS + 1]) if header is None else header
            keys = dict.fromkeys(_unique_columns(arrays[0]) if table.has_header else numbered_columns(len(arrays[0])))
        if not keys and first_problem is not None:  # every line read is broken: say how
            raise UserInputError(
                "Line {line} of {file} {problem}.",
                'Fix the file: each line must be one JSON object, such as {{"text": "…", "label": "…"}}.',
                line=first_problem[0], file=path.name, problem=first_problem[1],
            )
        if not keys:
            raise UserInputError(
                "{file} holds no JSON objects or strings.",
                'Give one object a line, such as {{"text": "…", "label": "…"}}.',
                file=path.name,
            )
        table.columns = list(keys)
        return table

    def _is_json_lines(self) -> bool:
        """A .json file whose first line is a whole JSON value holds JSON Lines, not one
        document; unless that line is all there is and wraps the records ({"rows": [...]},
        as a program writes it without indenting)."""
        with self.open_text() as handle:
            lines = (line for line in handle if line.strip())
            first = next(lines, "")
            if first.lstrip().startswith("["):
                return False
            try:
                value = json.loads(first)
            except json.JSONDecodeError:
                return False  # one document spread over several lines
            return next(lines, None) is not None or not _wraps_records(value)

    def _items(self, limit: Optional[int] = None) -> Iterator[tuple[int, Any, Optional[Sentence]]]:
        size = max(self.path.stat().st_size, 1)
        with self.open_text() as handle:
            if self.format == "json":
                try:
                    for index, item in enumerate(self._json_records(handle, size), start=1):
                        if limit is not None and index > limit:
                            return
                        undecodable = self.undecodable(*_strings_in(item))
                        yield index, None if undecodable else item, undecodable
                except json.JSONDecodeError as error:
                    raise UserInputError(
                        "{file} is not valid JSON (line {line}: {reason}).",
                        "Fix the file, or save it as JSON Lines (one object a line).",
                        file=self.path.name,
                        line=error.lineno,
                        reason=error.msg,
                    ) from None
                except UnicodeDecodeError:
                    raise _decoding_error(self.path, self.encoding) from None
                self.position = 1.0
                return
            try:
                for line, text in enumerate(handle, start=1):
                    if limit is not None and line > limit:
                        return
                    if line % 1024 == 0:
                        self.position = _fraction_read(handle, size)
                    if not text.strip():
                        continue
                    undecodable = self.undecodable(text)
                    if undecodable is not None:
                        yield line, None, undecodable
                        continue
                    try:
                        yield line, json.loads(text), None
                    except json.JSONDecodeError as error:
                        yield line, None, Sentence("is not valid JSON ({reason})", reason=error.msg)
            except UnicodeDecodeError:
                raise _decoding_error(self.path, self.encoding) from None
        self.position = 1.0

    def rows(self) -> Iterator[RawRow]:
        known = set(self.columns)
        width = len(self.columns)
        header_pending = self.arrays and self.has_header
        for line, item, problem in self._items():
            if problem is not None:
                yield RawRow(line, [], problem=problem)
            elif self.arrays and isinstance(item, list):
                if header_pending:
                    header_pending = False
                elif len(item) == width:
                    yield RawRow(line, item)
                else:
                    yield RawRow(line, [], problem=self.wrong_width(len(item)))
            elif isinstance(item, dict):
                extra = {str(k): v for k, v in item.items() if str(k) not in known}
                yield RawRow(line, [item.get(c) for c in self.columns], extra or None)
            elif isinstance(item, str):
                yield RawRow(line, [item if c == TEXT_COLUMN else None for c in self.columns])
            else:
                yield RawRow(line, [], problem=Sentence("is neither a JSON object nor a string"))

    def _json_records(self, handle: TextIO, size: int) -> Iterator[Any]:
        """The records of a JSON document: a top-level array is streamed, a record at a time
        (a file larger than memory imports); an object holding one array is loaded whole."""
        array = JsonArrayReader(handle)
        if not array.opens():
            handle.seek(0)
            yield from _records_in(json.load(handle), self.path)
            return
        for item in array:
            self.position = _fraction_read(handle, size)
            yield item


class JsonArrayReader:
    """The elements of a JSON array read from a text handle a chunk at a time.

    ``json.JSONDecoder.raw_decode`` parses one element where the buffer holds all of it; an
    element cut by the chunk's end fails to parse (or, a number, ends near the buffer's end)
    and is parsed again once the next chunk is in. An element that still fails when it spans
    MAX_ELEMENT_CHARS is broken: reading on to the end of a large file would only fill memory.
    Errors carry the line in the file.
    """

    CHUNK_CHARS = 1 << 20
    MAX_ELEMENT_CHARS = 1 << 25

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._decoder = json.JSONDecoder()
        self._buffer = ""
        self._at = 0  # the next character to parse in the buffer
        self._dropped_lines = 0  # line ends in the text parsed and dropped
        self._ended = False

    def opens(self) -> bool:
        """Whether the document is an array (its "[" is then taken)."""
        if self._next_char() != "[":
            return False
        self._at += 1
        return True

    def __iter__(self) -> Iterator[Any]:
        expect_value = True  # after "[" a value or "]"; after a value "," or "]"
        first = True
        while True:
            char = self._next_char()
            if char == "]" and (first or not expect_value):
                self._at += 1
                if self._next_char() != "":
                    raise self._error("Extra data")
                return
            if not expect_value:
                if char != ",":
                    raise self._error("Expecting ',' delimiter" if char else "Expecting ']'")
                self._at += 1
                expect_value = True
                continue
            yield self._value()
            expect_value, first = False, False

    def _value(self) -> Any:
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._at)
            except json.JSONDecodeError as error:
                if len(self._buffer) - self._at < self.MAX_ELEMENT_CHARS and self._read_more():
                    continue
                raise self._error(error.msg, error.pos) from None
            if end > len(self._buffer) - 16 and self._read_more():
                continue  # a number cut at "1.5e" parses as 1.5: parse it again, whole
            self._at = end
            return value

    def _next_char(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            while self._at < len(self._buffer) and self._buffer[self._at] in " \t\r\n":
                self._at += 1
            if self._at < len(self._buffer):
                return self._buffer[self._at]
            if not self._read_more():
                return ""

    def _read_more(self) -> bool:
        """Append the next chunk (dropping what was parsed); False at the end of the file."""
        if self._ended:
            return False
        chunk = self._handle.read(max(self.CHUNK_CHARS, len(self._buffer) - self._at))
        if not chunk:
            self._ended = True
            return False
        self._dropped_lines += self._buffer.count("\n", 0, self._at)
        self._buffer = self._buffer[self._at:] + chunk
        self._at = 0
        return True

    def _error(self, message: str, at: Optional[int] = None) -> json.JSONDecodeError:
        """A JSONDecodeError whose line counts from the start of the file."""
        at = self._at if at is None else at
        line = self._dropped_lines + self._buffer.count("\n", 0, at) + 1
        error = json.JSONDecodeError(message, self._buffer, at)
        error.lineno = line
        return error


def _strings_in(item: Any) -> list[str]:
    """The texts of a JSON record: itself, or its values (of an object or an array)."""
    values = item.values() if isinstance(item, dict) else item if isinstance(item, list) else [item]
    return [value for value in values if isinstance(value, str)]


def _wraps_records(value: Any) -> bool:
    """An object whose only key holds a list, or whose one list holds objects: the records
    inside a wrapper, not one record that has a list field (such as its tags); or a table
    as pandas writes it."""
    if not isinstance(value, dict):
        return False
    lists = [item for item in value.values() if isinstance(item, list)]
    return (len(lists) == 1 and (len(value) == 1 or all(isinstance(i, dict) for i in lists[0]))
            or _pandas_records(value) is not None)


def _pandas_records(document: dict[str, Any]) -> Optional[list[Any]]:
    """The records of a table written by pandas' ``DataFrame.to_json`` in its other shapes:
    "split" ({"columns": [...], "data": [[...]]}), "columns", its default ({column: {row:
    value}}), and "index" ({row: {column: value}}); the rows' keys are numbers (0, 1 …)."""
    columns, data = document.get("columns"), document.get("data")
    if isinstance(columns, list) and isinstance(data, list) and all(isinstance(row, list) for row in data):
        return [dict(zip(map(str, columns), row)) for row in data]
    if not document or not all(isinstance(value, dict) for value in document.values()):
        return None
    row_keys = dict.fromkeys(key for value in document.values() for key in value)
    if row_keys and all(_is_row_number(key) for key in row_keys) and not all(map(_is_row_number, document)):
        return [{column: values.get(key) for column, values in document.items()} for key in row_keys]
    if all(map(_is_row_number, document)):
        return list(document.values())
    return None


def _is_row_number(key: str) -> bool:
    return key.lstrip("-").isdigit()


def _records_in(document: Any, path: Path) -> list[Any]:
    """The list of records in a JSON document: the array itself, the one array inside, or a
    table as pandas writes it."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        pandas_records = _pandas_records(document)
        if pandas_records is not None:
            return pandas_records
        lists = [value for value in document.values() if isinstance(value, list)]
        if len(lists) == 1:
            return lists[0]
    raise UserInputError(
        "{file} is not a list of records.",
        'Give a JSON array such as [{{"text": "…", "label": "…"}}], or JSON Lines.',
        file=path.name,
    )


# ---------------------------------------------------------------------------------- Excel
class _Workbook(abc.ABC):
    """The sheets of an Excel workbook, read a row at a time."""

    sheet_names: list[str]

    @abc.abstractmethod
    def rows(self, sheet: str, first: int = 1) -> Iterator[tuple[int, list[Any]]]:
        """The sheet's rows from row ``first`` on, numbered as Excel numbers them, as values."""

    @abc.abstractmethod
    def row_count(self, sheet: str) -> int:
        """About how many rows the sheet has (for progress)."""

    @abc.abstractmethod
    def close(self) -> None: ...


class _XlsxWorkbook(_Workbook):
    """An .xlsx workbook in openpyxl's read-only (streaming) mode."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.sheet_names = list(book.sheetnames)

    def rows(self, sheet: str, first: int = 1) -> Iterator[tuple[int, list[Any]]]:
        worksheet = self.book[sheet]
        start = max(first, worksheet.min_row or 1)  # read-only sheets start at their first stored row
        yield from enumerate((list(values) for values in worksheet.iter_rows(min_row=start, values_only=True)), start=start)

    def row_count(self, sheet: str) -> int:
        return int(self.book[sheet].max_row or 1)

    def close(self) -> None:
        self.book.close()


class _XlsWorkbook(_Workbook):
    """An Excel 97-2003 .xls workbook, as many offices still export, read with xlrd."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.sheet_names = list(book.sheet_names())

    def rows(self, sheet: str, first: int = 1) -> Iterator[tuple[int, list[Any]]]:
        worksheet = self.book.sheet_by_name(sheet)
        for index in range(first - 1, worksheet.nrows):
            yield index + 1, [self._value(cell) for cell in worksheet.row(index)]

    def _value(self, cell: Any) -> Any:
        """A cell as openpyxl would give it: dates as datetimes, booleans as bools, errors empty."""
        import xlrd

        if cell.ctype == xlrd.XL_CELL_DATE:
            return xlrd.xldate.xldate_as_datetime(cell.value, self.book.datemode)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return None
        return cell.value

    def row_count(self, sheet: str) -> int:
        return int(self.book.sheet_by_name(sheet).nrows or 1)

    def close(self) -> None:
        self.book.release_resources()


@dataclass
class SheetTable(Table):
    """A sheet of an Excel workbook (.xlsx, or the older .xls); lines are sheet rows."""

    first_row: int = 1  # the sheet's first row that holds anything: the header, or data

    @classmethod
    def open(cls, path: Path, file_format: str, sheet: Optional[str], header: Optional[bool] = None) -> SheetTable:
        """The sheet named, or else the first that holds anything (a workbook's first sheet is
        often an empty "Sheet1" or a cover page left blank)."""
        book = _open_workbook(path, file_format)
        try:
            sheets = book.sheet_names
            if sheet is not None and sheet not in sheets:
                raise UserInputError(
                    "{file} has no sheet named {chosen!r}.",
                    "Its sheets are: {sheets}.",
                    file=path.name,
                    chosen=sheet,
                    sheets=", ".join(sheets),
                )
            for chosen in [sheet] if sheet is not None else sheets:
                filled = ((number, [cell_text(v) for v in cells]) for number, values in book.rows(chosen)
                          if (cells := _trim(values)))
                head = list(itertools.islice(filled, MAX_TITLE_ROWS + 1 + HEADER_SAMPLE_ROWS))
                if head:
                    break
        finally:
            book.close()
        if head:
            start, has_header = table_start([cells for _, cells in head], header)
            number, first = head[start]
            return cls(
                path, file_format, _unique_columns(first) if has_header else numbered_columns(len(first)),
                sheets=sheets, sheet=chosen, first_row=number, has_header=has_header,
                title_rows=[cell.strip() for _, cells in head[:start] for cell in cells if cell.strip()],
            )
        if sheet is None and len(sheets) > 1:
            raise UserInputError(
                "Every sheet of {file} is empty.", "Choose another file.", file=path.name,
            )
        raise UserInputError(
            "The sheet {chosen!r} of {file} is empty.",
            "Choose another sheet or file.",
            chosen=chosen,
            file=path.name,
        )

    def rows(self) -> Iterator[RawRow]:
        assert self.sheet is not None
        width = len(self.columns)
        book = _open_workbook(self.path, self.format)
        try:
            total = max(book.row_count(self.sheet), 1)
            for number, values in book.rows(self.sheet, first=self.first_row + self.has_header):
                if number % 1024 == 0:
                    self.position = number / total
                cells = _trim(values)
                if not cells:
                    continue
                if len(cells) > width:
                    yield RawRow(number, [], problem=Sentence(
                        "has a value in column {column}, beyond the {width} named in the header" if self.has_header
                        else "has a value in column {column}, beyond the {width} of the first row",
                        column=len(cells), width=width,
                    ))
                    continue
                yield RawRow(number, cells + [None] * (width - len(cells)))
        finally:
            book.close()
        self.position = 1.0


def _trim(values: list[Any]) -> list[Any]:
    """Drop the empty cells at the end of a sheet row."""
    while values and not cell_text(values[-1]).strip():
        values.pop()
    return values


def _open_workbook(path: Path, file_format: str) -> _Workbook:
    """The workbook, by its format; a file neither reader can open says what to do."""
    try:
        if file_format == "xls":
            import xlrd

            return _XlsWorkbook(xlrd.open_workbook(str(path), on_demand=True))
        from openpyxl import load_workbook

        return _XlsxWorkbook(load_workbook(path, read_only=True, data_only=True))
    except Exception as error:  # both raise zip, XML, OLE and their own errors for broken files
        if file_format == "xls" and "xlsx file" in str(error):  # xlrd's words for an .xlsx named .xls
            raise UserInputError(
                "{file} is an .xlsx workbook with an .xls name.", "Rename it to end in .xlsx.", file=path.name,
            ) from error
        raise UserInputError(
            "{file} cannot be read as an Excel workbook ({kind}).",
            "Open it in Excel and save it again as .xlsx, or save it as CSV.",
            file=path.name,
            kind=type(error).__name__,
        ) from error


# -------------------------------------------------------------------------------- Parquet
@dataclass
class ParquetTable(Table):
    """A Parquet file read a batch of rows at a time; lines are row numbers from 1."""

    BATCH_ROWS = 8192

    @classmethod
    def open(cls, path: Path) -> ParquetTable:
        with parquet_file(path) as parquet:
            columns = [str(name) for name in parquet.schema_arrow.names]
        return cls(path, "parquet", _unique_columns(columns))

    def rows(self) -> Iterator[RawRow]:
        number = 0
        for batch, share in parquet_batches(self.path, self.BATCH_ROWS):
            for values in zip(*(column.to_pylist() for column in batch.columns)):
                number += 1
                yield RawRow(number, list(values))
            self.position = share
        self.position = 1.0


def parquet_batches(path: Path, batch_rows: int) -> Iterator[tuple[Any, float]]:
    """The record batches of a Parquet file, each with the share of its rows read so far.

    A damaged file (a page that does not decode) stops with a UserInputError that says how
    far it could be read; the import around it rolls back.
    """
    import pyarrow

    with parquet_file(path) as parquet:
        total, read = max(parquet.metadata.num_rows, 1), 0
        try:
            for batch in parquet.iter_batches(batch_size=batch_rows):
                read += batch.num_rows
                yield batch, read / total
        except (pyarrow.ArrowException, OSError) as error:
            raise UserInputError(
                "{file} is damaged: the rows after row {read:,} cannot be read ({error}).",
                "Export the file again from where it came from, or save it as CSV.",
                file=path.name,
                read=read,
                error=error,
            ) from error


def parquet_file(path: Path) -> Any:
    import pyarrow
    import pyarrow.parquet

    try:
        return pyarrow.parquet.ParquetFile(path)
    except (pyarrow.ArrowException, OSError) as error:
        raise UserInputError(
            "{file} cannot be read as a Parquet file ({error}).",
            "Check that the file is complete, or save it as CSV.",
            file=path.name,
            error=error,
        ) from error
