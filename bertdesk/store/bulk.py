"""Writing many texts at once: one transaction for a whole import, through the driver's
executemany, with the secondary indexes built once at the end of a large one."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple, Optional, Union

from sqlalchemy import Connection, func, insert, select, update

from bertdesk.core.errors import UserInputError
from bertdesk.core.types import ExampleId, LabelId, Split
from bertdesk.store.examples import splits_of
from bertdesk.store.labels import clean_label_name, insert_label, labels_of
from bertdesk.store.models import Base, Example, Label, Repeat
from bertdesk.store.project_file import IN_CHUNK, chunks, driver_connection
from bertdesk.store.search import SearchIndex
from bertdesk.store.text_hash import normalized_text_hash

ProjectTextLabels = tuple[int, int, Sequence[str]]  # (text hash, line, label names) a file gives
BULK_SORTER_THREADS = 2  # helper threads for the sorts that build deferred indexes
EXAMPLE_COLUMNS = ("id", "text", "text_hash", "split", "meta", "created_at")
ANNOTATION_COLUMNS = ("example_id", "label_id", "created_at")
# Indexes a large import drops and builds again at its end: one sort each instead of a
# B-tree insert per row (0.5 s less for a million texts). DDL is transactional, so a
# rollback restores them.
DEFERRABLE_INDEXES = tuple(
    index for name in ("examples", "annotations") for index in Base.metadata.tables[name].indexes
)


class BulkWriting(SearchIndex):
    """Adds texts to a project: ``bulk_writer`` for imports, ``add_example`` for one."""

    @contextmanager
    def bulk_writer(self) -> Iterator[BulkWriter]:
        """One transaction for a whole import: it lands entirely or not at all.

        Leaving the block by an exception (a cancel included) rolls everything back.
        """
        with self._write() as conn:
            conn.exec_driver_sql(f"PRAGMA threads={BULK_SORTER_THREADS}")
            try:
                first_id = conn.execute(select(func.coalesce(func.max(Example.id), 0))).scalar_one()
                writer = BulkWriter(conn, first_id + 1)
                yield writer
                writer.finish()
                if self._has_fts and writer.added:
                    self._index_or_defer(conn, first_id, writer.added)
            finally:
                conn.exec_driver_sql("PRAGMA threads=0")

    def add_example(
        self, text_value: str, split: Split = Split.UNASSIGNED,
        label_ids: Sequence[LabelId] = (), meta: Optional[dict[str, Any]] = None,
    ) -> ExampleId:
        """Add one text (e.g. from the prediction tab); bulk imports use ``bulk_writer``."""
        if not text_value.strip():
            raise UserInputError("The text is empty.", "Type or paste a text first.")
        with self.bulk_writer() as writer:
            return writer.add(text_value, split, label_ids, meta)

    def preview_project_texts(
        self, labelled: Sequence[ProjectTextLabels], splits: Sequence[tuple[int, str]],
        label_id: Callable[[str], int],
    ) -> ProjectTextsOutcome:
        """What an import would give the texts the project already holds (a dry run's
        answer), read without writing; ``label_id`` gives a name's id, a stand-in for a label
        the import would create (it matches no text's own)."""
        with self._read() as conn:
            labels, otherwise = labels_for_project_texts(conn, labelled, label_id)
            splits_given, kept = splits_for_project_texts(conn, splits)
        return ProjectTextsOutcome(len(labels), len(otherwise), len(splits_given), kept)


class ProjectTextsOutcome(NamedTuple):
    """What an import gives texts the project held before it: how many took the file's labels,
    how many have other labels, how many went to the file's split, how many kept another."""

    labelled: int
    labelled_otherwise: int
    split: int
    kept_split: int


class BulkWriter:
    """Adds many texts inside the bulk_writer transaction, creating labels on first sight.

    ``add`` takes one text at a time; ``add_block`` takes the columns of many (the fast
    import). Both write with the sqlite3 driver's executemany, bypassing SQLAlchemy's
    per-row work.
    """

    CHUNK = 5000

    def __init__(self, conn: Connection, next_id: int) -> None:
        self._conn = conn
        self._label_ids = {
            name: LabelId(label_id) for name, label_id in conn.execute(select(Label.name, Label.id))
        }
        self._next_id = next_id  # the id after the project's highest
        self._examples: list[tuple[Any, ...]] = []
        self._annotations: list[tuple[int, int, float]] = []
        self._dropped_indexes: list[Any] = []
        self.added = 0

    def label_id(self, name: str) -> LabelId:
        """The id of the label called ``name``, created (in this transaction) if new."""
        found = self._label_ids.get(name)
        if found is None:
            found = insert_label(self._conn, name, None, None)
            self._label_ids[clean_label_name(name)] = found
        return found

    def expect(self, rows: int) -> None:
        """Told that about ``rows`` texts are coming: when they outnumber the project's own,
        its secondary indexes are dropped now and built once by ``finish``."""
        if self._dropped_indexes or rows <= self._next_id - 1:
            return
        for index in DEFERRABLE_INDEXES:
            index.drop(self._conn)
            self._dropped_indexes.append(index)

    def add(
        self,
        text_value: str,
        split: Split = Split.UNASSIGNED,
        label_ids: Sequence[LabelId] = (),
        meta: Optional[dict[str, Any]] = None,
        text_hash: Optional[int] = None,
    ) -> ExampleId:
        example_id = self._next_id
        self._next_id += 1
        now = time.time()
        self._examples.append((
            example_id, text_value,
            normalized_text_hash(text_value) if text_hash is None else text_hash,
            split.value, json.dumps(meta, ensure_ascii=False) if meta else None, now,
        ))
        self._annotations.extend((example_id, label_id, now) for label_id in dict.fromkeys(label_ids))
        self.added += 1
        if len(self._examples) >= self.CHUNK:
            self.flush()
        return ExampleId(example_id)

    def add_block(
        self,
        texts: Sequence[str],
        hashes: Iterable[int],
        splits: Union[str, Iterable[str]],
        metas: Optional[Iterable[Optional[str]]],
        labelled: Iterable[int],
        label_ids: Iterable[int],
    ) -> None:
        """Add ``texts`` with their hashes, split values and metadata JSON, column by column.

        ``splits`` is one value when every text shares it, ``metas`` None when no text has
        metadata. The annotations come as two columns: ``labelled[k]`` is the position in
        ``texts`` of the text that gets ``label_ids[k]``, ordered by position.
        """
        self.flush()
        first, now = self._next_id, time.time()
        varying: dict[str, Iterable[Any]] = {
            "id": range(first, first + len(texts)), "text": texts, "text_hash": hashes
        }
        fixed: dict[str, Any] = {"created_at": now}
        for name, column in (("split", splits), ("meta", metas)):
            if column is None or isinstance(column, str):
                fixed[name] = column
            else:
                varying[name] = column
        self._insert("examples", list(varying), zip(*varying.values()), fixed)
        example_ids = map(first.__add__, labelled)
        self._insert(
            "annotations", ["example_id", "label_id"], zip(example_ids, label_ids),
            {"created_at": now},
        )
        self._next_id += len(texts)
        self.added += len(texts)

    def label_project_texts(self, labelled: Sequence[ProjectTextLabels]) -> tuple[int, list[ProjectTextLabels]]:
        """Give texts that were in the project before this import the labels a file gives them
        where they have none (see ``labels_for_project_texts``). Returns how many were
        labelled, and the rows whose text has other labels (for ``note_repeats``: the text
        keeps its own, the filter of repeats finds the file's)."""
        self.flush()
        given, otherwise = labels_for_project_texts(self._conn, labelled, self.label_id)
        now = time.time()
        self._annotations.extend(
            (example_id, label_id, now) for example_id, label_ids in given.items() for label_id in label_ids
        )
        self.flush()
        return len(given), otherwise

    def split_project_texts(self, splits: Sequence[tuple[int, str]]) -> tuple[int, int]:
        """Put texts that were in the project before this import in the split a file names for
        them where they are in none (see ``splits_for_project_texts``). Returns how many were
        put in a split, and how many kept another one."""
        self.flush()
        given, kept = splits_for_project_texts(self._conn, splits)
        for split in set(given.values()):
            ids = [example_id for example_id, name in given.items() if name == split]
            for chunk in chunks(ids, IN_CHUNK):
                self._conn.execute(update(Example).where(Example.id.in_(chunk)).values(split=split))
        return len(given), kept

    def note_repeats(self, source: str, repeats: Sequence[ProjectTextLabels]) -> None:
        """Keep (text hash, line, label names) of copies of texts that ``source`` repeated with
        other labels, on the first text with that hash (the copy the import kept)."""
        if not repeats:
            return
        self.flush()
        first_of = _first_ids(self._conn, (text_hash for text_hash, _, _ in repeats))
        self._conn.execute(insert(Repeat), [
            {"example_id": first_of[text_hash], "source": source, "line": line,
             "labels": json.dumps(list(labels), ensure_ascii=False)}
            for text_hash, line, labels in repeats
        ])

    def flush(self) -> None:
        """Write the texts ``add`` buffered."""
        if self._examples:
            self._insert("examples", EXAMPLE_COLUMNS, self._examples)
        if self._annotations:
            self._insert("annotations", ANNOTATION_COLUMNS, self._annotations)
        self._examples.clear()
        self._annotations.clear()

    def _insert(
        self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]],
        fixed: Optional[dict[str, Any]] = None,
    ) -> None:
        """One executemany of ``rows`` into ``columns``; the ``fixed`` columns (a value every
        row shares) go into the statement as literals, quoted by SQLite itself. Binding them
        for every row cost as much as the rest of the insert (1.95 s against 1.07 s for a
        million texts)."""
        raw = driver_connection(self._conn)
        fixed = fixed or {}
        literals = [raw.execute("SELECT quote(?)", (value,)).fetchone()[0] for value in fixed.values()]
        statement = (
            f"INSERT INTO {table}({', '.join([*columns, *fixed])}) "
            f"VALUES ({', '.join(['?'] * len(columns) + literals)})"
        )
        raw.executemany(statement, rows)

    def finish(self) -> None:
        """Write what is buffered and build the indexes ``expect`` dropped."""
        self.flush()
        while self._dropped_indexes:
            self._dropped_indexes.pop().create(self._conn)


# ---------------------------------------------------------- texts the project had before
# What an import gives the texts a project already holds, worked out by reading alone, so
# that a dry run (``io.preview_import``) says it as the import does it.
def labels_for_project_texts(
    conn: Connection, labelled: Sequence[ProjectTextLabels], label_id: Callable[[str], int],
) -> tuple[dict[int, tuple[LabelId, ...]], list[ProjectTextLabels]]:
    """The labels to give texts already in the project (found by text hash: the first copy)
    that have none, by example id; and the rows whose text has other labels."""
    if not labelled:
        return {}, []
    first_of = _first_ids(conn, (text_hash for text_hash, _, _ in labelled))
    had = labels_of(conn, [ExampleId(i) for i in first_of.values()])
    given: dict[int, tuple[LabelId, ...]] = {}
    otherwise = []
    for text_hash, line, names in labelled:
        example_id = first_of[text_hash]
        label_ids = tuple(dict.fromkeys(LabelId(label_id(name)) for name in names))
        current = given.get(example_id) or had[ExampleId(example_id)]
        if not current:
            given[example_id] = label_ids
        elif set(current) != set(label_ids):
            otherwise.append((text_hash, line, names))
    return given, otherwise


def splits_for_project_texts(conn: Connection, splits: Sequence[tuple[int, str]]) -> tuple[dict[int, str], int]:
    """The splits to give texts already in the project that are in none, (text hash, split
    name) as a file names them, by example id; and how many are in another split and keep
    it: moving one could put texts a run learned from among those it is scored on."""
    if not splits:
        return {}, 0
    first_of = _first_ids(conn, (text_hash for text_hash, _ in splits))
    current = {int(example_id): split.value
               for example_id, split in splits_of(conn, [ExampleId(i) for i in set(first_of.values())]).items()}
    given: dict[int, str] = {}
    kept = set()
    for text_hash, split in splits:
        example_id = first_of[text_hash]
        now = given.get(example_id, current[example_id])
        if now == Split.UNASSIGNED.value:
            given[example_id] = split
        elif now != split:
            kept.add(example_id)
    return given, len(kept - given.keys())


def _first_ids(conn: Connection, hashes: Iterable[int]) -> dict[int, int]:
    """The lowest example id of each text hash (the copy an import kept)."""
    first_of: dict[int, int] = {}
    for chunk in chunks(sorted(set(hashes)), IN_CHUNK):
        rows = conn.execute(
            select(Example.text_hash, func.min(Example.id))
            .where(Example.text_hash.in_(chunk)).group_by(Example.text_hash)
        )
        first_of.update((text_hash, example_id) for text_hash, example_id in rows)
    return first_of
