"""Scores per text, and pages of texts in score order ("least confident first").

A score is a number of some kind per text, written by whoever ranks the texts (a model's
margin, a label-error score). Pages come in (score, id) order by keyset: each page starts
after the (score, id) of the last row shown, so the thousandth page costs what the first
does. Texts without a score of the kind come last, in id order.

A table of its own rather than an index on the stored predictions: those are per run and
written a million rows at a time (an index there slows every prediction), and rankings
such as cross-validated label-error scores belong to no single run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, Optional

from sqlalchemy import delete, select, tuple_

from bertdesk.core.types import ExampleId
from bertdesk.store.examples import ROW_COLUMNS, ExampleStore, example_rows
from bertdesk.store.models import Example, Score
from bertdesk.store.project_file import IN_CHUNK, chunks, driver_connection
from bertdesk.store.records import ExampleFilter, ScoredRow

SCORE_CHUNK_ROWS = 50_000  # rows per transaction, as for predictions: labeling waits at most for one


class ScoreStore(ExampleStore):
    """Writes scores by kind and pages a filtered set in score order."""

    def save_scores(self, kind: str, scores: Iterable[tuple[ExampleId, float]]) -> None:
        """Store (example, value) scores of ``kind``, replacing the texts' old ones of that kind.

        A NaN (a model that diverged) is no score: the text goes with the unscored ones.
        Written SCORE_CHUNK_ROWS at a time, stepping aside between chunks for a waiting
        label set; delete_scores first where no score of an earlier computation may stay.
        """
        payload = [
            (example_id, kind, float(value)) for example_id, value in scores
            if not math.isnan(value)
        ]
        for chunk in chunks(payload, SCORE_CHUNK_ROWS):
            self._let_waiting_writes_go_first()
            with self._write() as conn:
                driver_connection(conn).executemany(
                    "INSERT OR REPLACE INTO scores(example_id, kind, value) VALUES (?, ?, ?)",
                    chunk,
                )

    def delete_scores(self, kind: str, example_ids: Optional[Sequence[ExampleId]] = None) -> None:
        """Forget the scores of ``kind``: every text's, or only those of ``example_ids``."""
        with self._write() as conn:
            if example_ids is None:
                conn.execute(delete(Score).where(Score.kind == kind))
            for chunk in chunks(list(example_ids or ()), IN_CHUNK):
                conn.execute(delete(Score).where(Score.kind == kind, Score.example_id.in_(chunk)))

    def scores_of(self, kind: str, example_ids: Sequence[ExampleId]) -> dict[ExampleId, float]:
        """The scores of ``kind`` the given texts have (a text without one is left out)."""
        found: dict[ExampleId, float] = {}
        with self._read() as conn:
            for chunk in chunks(list(example_ids), IN_CHUNK):
                rows = conn.execute(
                    select(Score.example_id, Score.value)
                    .where(Score.kind == kind, Score.example_id.in_(chunk))
                )
                found.update((ExampleId(example_id), float(value)) for example_id, value in rows)
        return found

    def page_by_score(
        self,
        example_filter: ExampleFilter,
        kind: str,
        after: Optional[tuple[Optional[float], ExampleId]] = None,
        limit: int = 200,
    ) -> list[ScoredRow]:
        """The next ``limit`` rows of the filtered set in ascending (score, id) order.

        ``after`` is the ``key`` of the last row of the page before (None: the first page).
        The scored texts come first, walking the (kind, value, example) index; then the
        texts with no score of ``kind``, in id order. For "highest first", store -value.
        """
        after_score, after_id = after if after is not None else (None, None)
        found: list[tuple[Optional[float], Any]] = []
        with self._read() as conn:
            if after is None or after_score is not None:
                query, _order = self._filtered(example_filter, [*ROW_COLUMNS, Score.value])
                query = query.join(
                    Score, (Score.example_id == Example.id) & (Score.kind == kind)
                )
                if after is not None:
                    query = query.where(
                        tuple_(Score.value, Score.example_id) > tuple_(after_score, after_id)
                    )
                query = query.order_by(Score.value, Score.example_id).limit(limit)
                found += [(r.value, r) for r in conn.execute(query)]
            if len(found) < limit:
                query, order = self._filtered(example_filter, ROW_COLUMNS)
                query = query.where(
                    ~select(Score.example_id)
                    .where(Score.example_id == Example.id, Score.kind == kind)
                    .exists()
                )
                if after_score is None and after_id is not None:
                    query = query.where(order > after_id)
                query = query.order_by(order).limit(limit - len(found))
                found += [(None, r) for r in conn.execute(query)]
            rows = example_rows(conn, [r for _score, r in found])
        return [ScoredRow(score, row) for (score, _r), row in zip(found, rows)]
