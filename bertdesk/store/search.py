"""The text search index: an FTS5 trigram table over the texts, kept up to a mark.

Indexing costs about twice what the rest of an import does, so a large import commits its
texts first and ``update_search_index`` catches up afterwards, a chunk per transaction;
until then searches scan the texts.
"""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import Connection, Integer, column, func, select, table, text

from bertdesk.core.cancel import CancelToken
from bertdesk.core.progress import ProgressCallback, ignore_progress
from bertdesk.store.models import Example
from bertdesk.store.project_file import ProjectFile, read_setting, write_setting

FTS_MIN_QUERY = 3  # the trigram tokenizer needs three characters
EXAMPLES_FTS = table("examples_fts", column("rowid", Integer))  # the FTS5 search index
# The search index holds every text with an id up to this mark (absent: every text).
SEARCH_MARK = "search_indexed_upto"
SEARCH_INLINE_ROWS = 20_000  # imports up to this size are indexed in their own transaction
SEARCH_CHUNK_ROWS = 5_000  # rows per indexing transaction: labeling waits at most for one
_UNBOUNDED = 2**63 - 1  # a mark above every id: the whole project is indexed


class SearchIndex(ProjectFile):
    """Keeps the FTS5 index in step with the texts and says when a search may use it."""

    def _search_mark(self, conn: Connection) -> Optional[int]:
        value = read_setting(conn, SEARCH_MARK)
        return None if value is None else int(value)

    def _index_rows(self, conn: Connection, after_id: int, upto_id: int) -> int:
        """Put the texts with ids in (after_id, upto_id] into the search index; how many."""
        bounds = {"after": after_id, "upto": upto_id}
        conn.execute(
            text("INSERT INTO examples_fts(rowid, text) "
                 "SELECT id, text FROM examples WHERE id > :after AND id <= :upto"),
            bounds,
        )
        return int(conn.execute(
            text("SELECT count(*) FROM examples WHERE id > :after AND id <= :upto"), bounds
        ).scalar_one())

    def _index_or_defer(self, conn: Connection, first_id: int, added: int) -> None:
        """Index the rows a bulk write added (ids above ``first_id``) now, or leave them to
        update_search_index(): large imports, or when earlier rows still wait."""
        mark = self._search_mark(conn)
        complete = mark is None or mark >= first_id
        if complete and mark is not None and mark > first_id:
            # The highest ids were deleted and are being used again: the index holds none
            # of the ids above first_id, so the mark may come down to it.
            mark = first_id
        if complete and added <= SEARCH_INLINE_ROWS:
            last_id = first_id + added
            self._index_rows(conn, first_id, last_id)
            if mark is not None:
                write_setting(conn, SEARCH_MARK, last_id)
        elif complete:
            write_setting(conn, SEARCH_MARK, first_id)

    def _unindex_rows(self, conn: Connection, example_ids: list[Any]) -> None:
        """Take texts about to be deleted out of the search index."""
        if not self._has_fts:
            return
        mark = self._search_mark(conn)
        # Only texts the index holds may be deleted from it (FTS5 would corrupt).
        conn.execute(
            text("INSERT INTO examples_fts(examples_fts, rowid, text) "
                 "SELECT 'delete', id, text FROM examples WHERE id IN "
                 f"({','.join(str(int(i)) for i in example_ids)}) AND id <= :mark"),
            {"mark": _UNBOUNDED if mark is None else mark},
        )

    def _search_index_complete(self) -> bool:
        if not self._has_fts:
            return False
        with self._read() as conn:
            mark = self._search_mark(conn)
            return mark is None or not conn.execute(
                select(Example.id).where(Example.id > mark).limit(1)
            ).first()

    def search_index_pending(self) -> int:
        """How many texts the search index does not hold yet (0 without FTS5: searches scan)."""
        if not self._has_fts:
            return 0
        with self._read() as conn:
            mark = self._search_mark(conn)
            if mark is None:
                return 0
            return int(conn.execute(
                select(func.count()).select_from(Example).where(Example.id > mark)
            ).scalar_one())

    def update_search_index(
        self, progress: ProgressCallback = ignore_progress, cancel: Optional[CancelToken] = None
    ) -> int:
        """Add the texts a large import left out to the search index, a chunk per transaction.

        Labeling goes on meanwhile (each transaction holds the write lock for a moment); a
        stop or a kill keeps every chunk done. Returns how many texts were indexed.
        """
        total = self.search_index_pending()
        done = 0
        while total:
            if cancel is not None:
                cancel.raise_if_cancelled()
            self._let_waiting_writes_go_first()
            with self._write() as conn:
                mark = self._search_mark(conn)
                last_id = conn.execute(select(func.coalesce(func.max(Example.id), 0))).scalar_one()
                if mark is None or mark >= last_id:
                    break
                upto = min(last_id, mark + SEARCH_CHUNK_ROWS)
                done += self._index_rows(conn, mark, upto)
                write_setting(conn, SEARCH_MARK, upto)
            progress(min(1.0, done / total), f"{done:,} of {total:,} texts indexed for search")
        return done

    def _narrow_to_search(self, query: Any, needle: str) -> tuple[Any, Optional[Any]]:
        """``query`` narrowed to the texts holding ``needle`` (case-insensitive), and the
        index's copy of the id that orders the matches, or None when the search scans."""
        if len(needle) >= FTS_MIN_QUERY and self._search_index_complete():
            phrase = '"' + needle.replace('"', '""') + '"'
            query = query.join(EXAMPLES_FTS, EXAMPLES_FTS.c.rowid == Example.id).where(
                text("examples_fts MATCH :phrase")
            ).params(phrase=phrase)
            return query, EXAMPLES_FTS.c.rowid
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return query.where(Example.text.like(f"%{escaped}%", escape="\\")), None
