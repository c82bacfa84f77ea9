"""The fast path of a large CSV, TSV or Parquet import: pyarrow reads blocks of rows (on every
core, for CSV), and the checks, hashes and inserts run over whole columns instead of row by row.

``RecordReader`` stays the reference for what a row means; this path shares its rules and
state (``RowRules``: the columns' roles, the texts seen, the label cache, the report) and takes
only files that both read alike. A scan
of the bytes first sends CSV files whose constructs the two parsers treat differently to the
row reader (``CsvBlocks``), and Parquet files with columns whose text pyarrow would write
otherwise (``ParquetBlocks``). While reading, anything the row reader would report with a
line number it cannot be sure of, or would refuse (a malformed row, a decoding error, a field
over csv's size limit, two labels in a single-label project), raises ``NotColumnar``, the
import's transaction rolls back and the row reader starts again.
"""

from __future__ import annotations

import csv
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Protocol, Union

import numpy as np

from bertdesk.core.cancel import CancelToken
from bertdesk.core.progress import ProgressCallback
from bertdesk.core.types import Split
from bertdesk.io.import_report import ImportReport
from bertdesk.io.tables import MAX_FIELD_CHARS, DelimitedTable, ParquetTable, Table, parquet_batches, parquet_file
from bertdesk.store.text_hash import normalized_text_hashes

if TYPE_CHECKING:
    import pyarrow

COLUMNAR_MIN_BYTES = 4 << 20  # smaller files take the row reader a second or two
BLOCK_BYTES = 4 << 20  # CSV parsed per block: about 25,000 reviews
BLOCK_ROWS = 32_768  # Parquet rows per block
SCAN_BYTES = 16 << 20
# Encodings in which the bytes of '"', ',', tab, CR and LF never occur inside a multi-byte
# character, so that a scan of the bytes sees the file's structure.
SCANNABLE_ENCODINGS = {"utf-8", "utf-8-sig", "ascii", "gb18030", "big5", "cp1252", "iso8859-1"}
QUOTE, CR, LF = 0x22, 0x0D, 0x0A
UNASSIGNED = Split.UNASSIGNED.value


class NotColumnar(Exception):
    """The file goes to the row reader; the message says why (for the log)."""


def scan_file(table: DelimitedTable) -> int:
    """Check that the columnar path reads ``table`` as the row reader would; its line count.

    Python's csv (strict) refuses a quote that closes a field in its middle (``"a"b``), an
    unclosed quote at the end of the file and NUL bytes, where pyarrow reads on; and csv
    numbers lines at lone carriage returns. Files with any of these, a quote inside an
    unquoted field included (it looks the same to a byte scan), go to the row reader.
    """
    if table.encoding not in SCANNABLE_ENCODINGS or table.delimiter is None:
        raise NotColumnar(f"encoding {table.encoding}")
    if table.has_header:
        _check_header_is_one_line(table)
    field_ends = np.frombuffer(b'"\r\n' + table.delimiter.encode(table.encoding), np.uint8)
    newlines = carriage_returns = crlf = quotes = 0
    tail = b"\n"  # a line end before the first byte; then the last two bytes read
    with table.path.open("rb") as handle:
        while chunk := handle.read(SCAN_BYTES):
            if b"\0" in chunk:
                raise NotColumnar("NUL bytes")
            newlines += chunk.count(b"\n")
            if b"\r" in chunk or tail.endswith(b"\r"):
                carriage_returns += chunk.count(b"\r")
                crlf += chunk.count(b"\r\n") + (tail.endswith(b"\r") and chunk.startswith(b"\n"))
            if b'"' in chunk:
                quotes += chunk.count(b'"')
                if _quote_inside_field(tail + chunk, field_ends):
                    raise NotColumnar("a quote inside a field")
            tail = (tail + chunk)[-2:]
    if _quote_inside_field(tail + b"\n", field_ends):
        raise NotColumnar("a quote inside a field")
    if carriage_returns != crlf:
        raise NotColumnar("lone carriage returns")
    if quotes % 2:
        raise NotColumnar("a quote without its pair")
    return newlines + (not tail.endswith(b"\n"))


def _check_header_is_one_line(table: DelimitedTable) -> None:
    """pyarrow skips the header as one physical line: it must be the first, and whole."""
    with table.path.open(encoding=table.encoding, errors="replace", newline="") as handle:
        for _ in range(table.start_line - 1):
            handle.readline()
        first_line = handle.readline().rstrip("\r\n")
    try:
        header = next(csv.reader([first_line], delimiter=table.delimiter or ",", strict=True), [])
    except csv.Error as error:
        raise NotColumnar(f"header: {error}") from None
    if len(header) != len(table.columns):
        raise NotColumnar("the header is not the first line")


def _quote_inside_field(window: bytes, field_ends: np.ndarray) -> bool:
    """A quote with neither a field end nor a quote on either side (each byte of ``window``
    but the first and last is looked at)."""
    data = np.frombuffer(window, np.uint8)
    at = np.flatnonzero(data[1:-1] == QUOTE) + 1
    if not at.size:
        return False
    return bool((~np.isin(data[at - 1], field_ends) & ~np.isin(data[at + 1], field_ends)).any())


Columns = list["pyarrow.Array"]  # one block's columns, every one as text


def blocks_of(table: Table) -> Blocks:
    """The blocks of ``table`` when the columnar path reads it as the row reader would."""
    if isinstance(table, DelimitedTable):
        return CsvBlocks(table)
    if isinstance(table, ParquetTable):
        return ParquetBlocks(table)
    raise NotColumnar(f"a {table.format} file")


class Blocks(ABC):
    """Where a columnar import's rows come from, a block of columns at a time."""

    first_line = 1  # the row reader's number for the first row

    @abstractmethod
    def __iter__(self) -> Iterator[tuple[Columns, float]]:
        """Each block, and the share of the file read once it is done."""

    def line_numbers(self, columns: Columns, first: int) -> tuple[np.ndarray, int]:
        """The row reader's number for each row of a block that starts at ``first``, and
        the next block's first."""
        rows = len(columns[0])
        return first + np.arange(rows), first + rows

    def check_end(self, next_line: int, line_numbers_reported: bool) -> None:
        """Called after the last block; raises NotColumnar where reported numbers may be off."""


class CsvBlocks(Blocks):
    """A CSV or TSV file that ``scan_file`` found pyarrow and the row reader read alike."""

    def __init__(self, table: DelimitedTable) -> None:
        self.table = table
        self.first_line = table.start_line + table.has_header  # the line of the first row of data
        self.file_lines = scan_file(table)

    def __iter__(self) -> Iterator[tuple[Columns, float]]:
        import pyarrow
        import pyarrow.compute as pc

        size = max(self.table.path.stat().st_size, 1)
        done = 0  # bytes of the rows read (pyarrow reads ahead: the file position runs early)
        limit = MAX_FIELD_CHARS  # longer fields are the row reader's to report
        with self.table.path.open("rb") as handle:
            try:
                for batch in _open_batches(self.table, handle):
                    if any((pc.max(pc.utf8_length(c)).as_py() or 0) > limit for c in batch.columns):
                        raise NotColumnar("a field over csv's size limit")
                    done += _block_bytes(batch)
                    yield batch.columns, min(done / size, 1.0)
            except (pyarrow.ArrowInvalid, UnicodeDecodeError) as error:
                raise NotColumnar(str(error).splitlines()[0]) from None

    def line_numbers(self, columns: Columns, first: int) -> tuple[np.ndarray, int]:
        """Lines, not rows: a quoted value may hold line ends."""
        import pyarrow.compute as pc

        newlines = np.sum([pc.count_substring(c, "\n").to_numpy() for c in columns], axis=0)
        lines = first + np.arange(len(columns[0])) + np.cumsum(newlines) - newlines
        return lines, first + len(columns[0]) + int(newlines.sum())

    def check_end(self, next_line: int, line_numbers_reported: bool) -> None:
        if line_numbers_reported and next_line - 1 != self.file_lines:
            # Blank lines were skipped somewhere: the reported line numbers may be off.
            raise NotColumnar("blank lines")


class ParquetBlocks(Blocks):
    """A Parquet file whose every column pyarrow turns into the text ``cell_text`` gives:
    strings, integers and booleans (a null is empty). Others (floats, lists, dates) would
    print otherwise, so their files go to the row reader."""

    def __init__(self, table: ParquetTable) -> None:
        self.table = table
        with parquet_file(table.path) as parquet:
            for field in parquet.schema_arrow:
                if not _prints_as_cell_text(field.type):
                    raise NotColumnar(f"column {field.name} holds {field.type}")

    def __iter__(self) -> Iterator[tuple[Columns, float]]:
        import pyarrow
        import pyarrow.compute as pc

        for batch, share in parquet_batches(self.table.path, BLOCK_ROWS):
            yield [pc.fill_null(c.cast(pyarrow.string()), "") for c in batch.columns], share


def _prints_as_cell_text(kind: pyarrow.DataType) -> bool:
    import pyarrow.types as pt

    if pt.is_dictionary(kind):
        kind = kind.value_type
    return bool(
        pt.is_string(kind) or pt.is_large_string(kind) or pt.is_integer(kind)
        or pt.is_boolean(kind) or pt.is_null(kind)
    )


@dataclass
class _Block:
    """One block's kept rows, ready for ``BulkWriter.add_block`` once their labels have ids."""

    texts: list[str]
    hashes: list[int]
    splits: Union[str, list[str]]  # one value when the block's texts share it
    metadata: Optional[list[str]]  # None when the file has no other columns
    label_codes: np.ndarray  # each text's index into label_sets
    label_sets: list[tuple[str, ...]]


class BlockSink(Protocol):
    """Where ColumnarImport puts the blocks: the project's BulkWriter, or a dry run's nothing."""

    def expect(self, rows: int) -> None: ...

    def label_id(self, name: str) -> int: ...

    def add_block(
        self, texts: Sequence[str], hashes: Iterable[int], splits: Union[str, Iterable[str]],
        metas: Optional[Iterable[Optional[str]]], labelled: Iterable[int], label_ids: Iterable[int],
    ) -> None: ...


class DryRun:
    """A dry run's sink: it writes nothing, and gives labels not in the project stand-in ids."""

    def __init__(self, label_ids: dict[str, int]) -> None:
        self._label_ids = dict(label_ids)

    def expect(self, rows: int) -> None:
        pass

    def label_id(self, name: str) -> int:
        return self._label_ids.setdefault(name, -1 - len(self._label_ids))

    def add_block(self, *_columns: Any) -> None:
        pass


class RowRules(Protocol):
    """What the columnar path shares with the row reader (``importers.RecordReader``), so
    that both read a row alike and tally into one report."""

    text_index: int
    label_indexes: list[int]
    split_index: Optional[int]
    file_split: Optional[str]  # the split of a row that names none
    meta_columns: list[tuple[int, str]]  # (index, name) of the columns kept as metadata
    multi_label: Optional[bool]
    report: ImportReport
    labels_seen: dict[str, None]  # in the order first met

    def cell_labels(self, value: Any) -> tuple[str, ...]:
        """The label names in one cell."""
        ...

    def is_new(
        self, text_hash: int, line: int, text: str, labels: Sequence[str], split: Optional[str] = None,
    ) -> bool:
        """Remember a text; False (and counted) for a duplicate that is skipped."""
        ...

    def remember_all_if_new(self, hashes: Sequence[int], labels: Sequence[tuple[str, ...]]) -> bool:
        """Remember a block of texts at once when none is a duplicate; False otherwise."""
        ...


class ColumnarImport:
    """Reads a file's blocks into a bulk writer (or a dry run), by a row reader's rules."""

    def __init__(self, reader: RowRules, blocks: Blocks, writer: BlockSink) -> None:
        self.reader = reader
        self.blocks = blocks
        self.writer = writer
        self.rows_read = 0
        self.next_line = blocks.first_line  # of the next block's first row
        self.line_numbers_reported = False

    def run(self, progress: ProgressCallback, cancel: Optional[CancelToken]) -> None:
        """Read, check, hash and write every block."""
        for columns, share in self.blocks:
            if cancel is not None:
                cancel.raise_if_cancelled()
            if not self.rows_read:  # the first block tells how many rows to expect
                self.writer.expect(int(len(columns[0]) / max(share, 1e-9)))
            block = self._read_block(columns)
            labelled, label_ids = self._annotations(block.label_codes, block.label_sets)
            self.writer.add_block(
                block.texts, block.hashes, block.splits, block.metadata, labelled, label_ids
            )
            progress(share, f"{self.rows_read:,} rows read")
        self.blocks.check_end(self.next_line, self.line_numbers_reported)
        progress(1.0, f"{self.rows_read:,} rows read")

    def _read_block(self, columns: Columns) -> _Block:
        """Check and hash one block of rows, with the row reader's rules and order."""
        reader, report = self.reader, self.reader.report
        rows = len(columns[0])
        lines, self.next_line = self.blocks.line_numbers(columns, self.next_line)
        self.rows_read += rows

        texts = [text.strip() for text in columns[reader.text_index].to_pylist()]
        candidates = np.arange(rows)
        if "" in texts:
            candidates = np.flatnonzero([bool(text) for text in texts])
        report.skipped_empty += rows - len(candidates)
        label_codes, label_sets = self._label_sets(columns, rows)
        if reader.multi_label is False and any(len(s) > 1 for s in label_sets):
            raise NotColumnar("two labels in a single-label project")  # the row reader says where
        split_codes, split_values = self._splits(columns, rows)
        bad = [k for k, value in enumerate(split_values) if isinstance(value, ValueError)]
        if bad:
            malformed = np.isin(split_codes[candidates], bad)
            for row in candidates[malformed].tolist():
                report.malformed.append((int(lines[row]), str(split_values[split_codes[row]])))
                self.line_numbers_reported = True
            candidates = candidates[~malformed]

        row_splits = [split_values[code] for code in split_codes[candidates].tolist()]
        kept, hashes = self._new_texts(candidates, texts, label_codes, label_sets, lines, row_splits)
        kept_splits = split_codes[kept]
        split_names = [value or UNASSIGNED for value in split_values]
        for code, count in _counts_in_order(kept_splits):
            name = str(split_names[code])
            report.per_split[name] = report.per_split.get(name, 0) + count
        kept_list = kept.tolist()
        report.added += len(kept_list)
        return _Block(
            [texts[row] for row in kept_list], hashes,
            split_names[0] if len(split_names) == 1
            else [split_names[code] for code in kept_splits.tolist()],
            self._metadata(columns, kept_list), label_codes[kept], label_sets,
        )

    def _label_sets(
        self, columns: Sequence[pyarrow.Array], rows: int
    ) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        """Each row's code into a list of label-name tuples (the row reader's ``_labels``)."""
        codes = np.zeros(rows, np.int64)
        sets: list[tuple[str, ...]] = [()]
        for index in self.reader.label_indexes:
            encoded = columns[index].dictionary_encode()
            cells = [self.reader.cell_labels(v) for v in encoded.dictionary.to_pylist()]
            combined = codes * len(cells) + encoded.indices.to_numpy(zero_copy_only=False)
            unique, codes = np.unique(combined, return_inverse=True)
            sets = [
                _merged(sets[u // len(cells)], cells[u % len(cells)]) for u in unique.tolist()
            ]
        return codes.reshape(-1), sets

    def _splits(self, columns: Sequence[pyarrow.Array], rows: int) -> tuple[np.ndarray, list[Any]]:
        """Each row's code into a list of split names (None: the file's split or unassigned;
        a ValueError: the cell names no split)."""
        default = self.reader.file_split
        index = self.reader.split_index
        if index is None:
            return np.zeros(rows, np.int64), [default]
        encoded = columns[index].dictionary_encode()
        values: list[Any] = []
        for cell in encoded.dictionary.to_pylist():
            try:
                values.append(Split.parse(cell).value if cell.strip() else default)
            except ValueError as error:
                values.append(error)
        return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), values

    def _new_texts(
        self, candidates: np.ndarray, texts: list[str], label_codes: np.ndarray,
        label_sets: list[tuple[str, ...]], lines: np.ndarray, row_splits: list[Optional[str]],
    ) -> tuple[np.ndarray, list[int]]:
        """The rows whose texts are new (or kept duplicates), and their hashes; ``row_splits``
        are the candidates' splits as the file names them."""
        rows = candidates.tolist()
        hashes = normalized_text_hashes(texts[row] for row in rows)
        row_labels = [label_sets[code] for code in label_codes[candidates].tolist()]
        if self.reader.remember_all_if_new(hashes, row_labels):
            return candidates, hashes
        kept = []
        listed = len(self.reader.report.duplicates)
        for position, (row, text_hash) in enumerate(zip(rows, hashes)):
            if self.reader.is_new(
                text_hash, int(lines[row]), texts[row], row_labels[position], row_splits[position]
            ):
                kept.append(position)
        self.line_numbers_reported |= len(self.reader.report.duplicates) > listed
        return candidates[kept], [hashes[position] for position in kept]

    def _annotations(
        self, kept_codes: np.ndarray, label_sets: list[tuple[str, ...]]
    ) -> tuple[list[int], list[int]]:
        """(position of the text, label id) columns, by position; labels are created in the
        order the file first uses them, as the row reader does."""
        if not len(kept_codes):
            return [], []
        unique, first = np.unique(kept_codes, return_index=True)
        label_ids: dict[int, list[int]] = {}
        for code in unique[np.argsort(first)].tolist():
            for name in label_sets[code]:
                self.reader.labels_seen.setdefault(name, None)
            label_ids[code] = list(dict.fromkeys(self.writer.label_id(n) for n in label_sets[code]))
        order = np.argsort(kept_codes, kind="stable")
        bounds = np.searchsorted(kept_codes[order], unique, side="right")
        positions, ids = [], []
        start = 0
        for code, end in zip(unique.tolist(), bounds.tolist()):
            for label_id in label_ids[code]:
                positions.append(order[start:end])
                ids.append(np.full(end - start, label_id, np.int64))
            start = end
        if not positions:
            return [], []
        position_column, id_column = np.concatenate(positions), np.concatenate(ids)
        by_text = np.argsort(position_column, kind="stable")  # a text's labels keep their order
        return position_column[by_text].tolist(), id_column[by_text].tolist()

    def _metadata(self, columns: Sequence[pyarrow.Array], kept: list[int]) -> Optional[list[str]]:
        """The JSON of each kept row's other columns (the row reader's ``meta``), or None."""
        meta_columns = self.reader.meta_columns
        if not meta_columns:
            return None
        names = [name for _, name in meta_columns]
        rows = np.asarray(kept, np.int64)
        values = [columns[index].take(rows).to_pylist() for index, _ in meta_columns]
        return [json.dumps(dict(zip(names, row)), ensure_ascii=False) for row in zip(*values)]


def _open_batches(table: DelimitedTable, handle: Any) -> Any:
    """A pyarrow streaming CSV reader of every column as strings, from the table's first row of data."""
    import pyarrow
    import pyarrow.csv as pcsv

    names = [f"c{index}" for index in range(len(table.columns))]
    encoding = "utf8" if table.encoding in ("utf-8", "utf-8-sig", "ascii") else table.encoding
    return pcsv.open_csv(
        handle,
        read_options=pcsv.ReadOptions(
            block_size=BLOCK_BYTES, skip_rows=table.start_line - 1 + table.has_header, column_names=names, encoding=encoding
        ),
        parse_options=pcsv.ParseOptions(
            delimiter=table.delimiter, newlines_in_values=True, invalid_row_handler=_skip_blank,
        ),
        convert_options=pcsv.ConvertOptions(
            column_types=dict.fromkeys(names, pyarrow.string()),
            strings_can_be_null=False, quoted_strings_can_be_null=False,
        ),
    )


def _skip_blank(row: Any) -> str:
    """A line of spaces is skipped, as the row reader does; another short or long row stops
    this path (the row reader reports it with its line)."""
    return "skip" if not row.text.strip() else "error"


def _block_bytes(batch: pyarrow.RecordBatch) -> int:
    """About the bytes a block took in the file: its values, a separator or line end each."""
    import pyarrow.compute as pc

    values = sum(pc.sum(pc.binary_length(column)).as_py() or 0 for column in batch.columns)
    return int(values) + batch.num_rows * batch.num_columns


def _merged(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(first + second)) if first else second


def _counts_in_order(codes: np.ndarray) -> list[tuple[int, int]]:
    """(code, count) for each code, in the order of first appearance."""
    if not len(codes):
        return []
    unique, first, counts = np.unique(codes, return_index=True, return_counts=True)
    order = np.argsort(first)
    return list(zip(unique[order].tolist(), counts[order].tolist()))
