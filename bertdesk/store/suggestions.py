"""Suggestions while labelling: each text's suggested label, its probability and uncertainty.

A model (the fast one retrained on the labels, or a finished run's stored predictions;
``bertdesk.ml.suggest`` computes them) suggests a label for every text. A suggestion is
shown beside its row and is never a label until accepted (``ops.accept_suggestions``).

The label and probability live in the ``suggestions`` table, read by id for the rows of a
page. The order keys of the uncertainty (by margin and by entropy: ascending, least sure
first, drawn as ``ml.suggest`` explains) go into the ``scores`` table under ``MARGIN_KIND``
and ``ENTROPY_KIND``, so ``page_by_score`` pages "least confident first" by keyset, walking
that table's index, however many texts the project holds. Each chunk writes a text's
suggestion and its scores in one transaction: a page never shows a score of one model
beside the suggestion of another. The filters of ``ExampleFilter`` that read suggestions
(suggested label, confidence, disagreement) are ``suggestion_conditions``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, Optional

from sqlalchemy import delete, select

from bertdesk.core.types import ExampleId, LabelId, RunId
from bertdesk.store.models import Annotation, Example, Score, Suggestion
from bertdesk.store.project_file import IN_CHUNK, ProjectFile, chunks, driver_connection
from bertdesk.store.records import ExampleFilter, SuggestedLabel, SuggestionState

MARGIN_KIND = "suggestion_margin"  # order key of the margin (top probability minus the second)
ENTROPY_KIND = "suggestion_entropy"  # order key of minus the entropy: ascending is most uncertain first
UNCERTAINTY_KINDS = (MARGIN_KIND, ENTROPY_KIND)
# Texts per transaction: each is a random write into the scores index or two, about 0.2 s
# for 5,000 texts of a million-text project, which is what a label key may wait.
SUGGESTION_CHUNK_ROWS = 5_000
STATE_SETTING = "suggestions"

# (example, suggested label, its probability, margin order key, entropy order key or None: not stored)
SuggestionValues = tuple[ExampleId, LabelId, float, float, Optional[float]]


class SuggestionStore(ProjectFile):
    """Writes and reads the suggestions and the description of the model that made them."""

    def save_suggestions(self, rows: Iterable[SuggestionValues]) -> None:
        """Store suggestions with their margin's order key (and the entropy's, where given),
        replacing the texts' old ones. Two labels need no entropy: it orders as the margin does.

        Written SUGGESTION_CHUNK_ROWS texts at a time, stepping aside between chunks for a
        waiting label set.
        """
        suggestions: list[tuple[int, int, float]] = []
        scores: list[tuple[int, str, float]] = []
        for example_id, label_id, confidence, by_margin, by_entropy in rows:
            suggestions.append((int(example_id), int(label_id), float(confidence)))
            scores.append((int(example_id), MARGIN_KIND, float(by_margin)))
            if by_entropy is not None:
                scores.append((int(example_id), ENTROPY_KIND, float(by_entropy)))
            if len(suggestions) == SUGGESTION_CHUNK_ROWS:
                self._write_suggestions(suggestions, scores)
                suggestions, scores = [], []
        if suggestions:
            self._write_suggestions(suggestions, scores)

    def _write_suggestions(
        self, suggestions: list[tuple[int, int, float]], scores: list[tuple[int, str, float]],
    ) -> None:
        self._let_waiting_writes_go_first()
        with self._write() as conn:
            driver = driver_connection(conn)
            driver.executemany(
                "INSERT OR REPLACE INTO suggestions(example_id, label_id, confidence) VALUES (?, ?, ?)",
                suggestions,
            )
            driver.executemany("INSERT OR REPLACE INTO scores(example_id, kind, value) VALUES (?, ?, ?)", scores)

    def suggestions(self, example_ids: Sequence[ExampleId]) -> dict[ExampleId, SuggestedLabel]:
        """The suggestions of these texts (a page's rows); a text without one is left out."""
        found: dict[ExampleId, SuggestedLabel] = {}
        with self._read() as conn:
            for chunk in chunks(list(example_ids), IN_CHUNK):
                query = select(Suggestion).where(Suggestion.example_id.in_(chunk))
                for row in conn.execute(query):
                    found[ExampleId(row.example_id)] = SuggestedLabel(
                        ExampleId(row.example_id), LabelId(row.label_id), float(row.confidence)
                    )
        return found

    def clear_suggestions(self) -> None:
        """Forget every suggestion, its scores and the description of its model."""
        with self._write() as conn:
            conn.execute(delete(Suggestion))
            conn.execute(delete(Score).where(Score.kind.in_(UNCERTAINTY_KINDS)))
            conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (STATE_SETTING,))

    def suggestion_state(self) -> Optional[SuggestionState]:
        """Which model made the stored suggestions; None when there are none."""
        value = self.get_setting(STATE_SETTING)
        if not value:
            return None
        state = json.loads(value)
        run_id = state.get("run_id")
        return SuggestionState(
            source=str(state["source"]), run_id=None if run_id is None else RunId(int(run_id)),
            labelled=int(state["labelled"]), label_ids=tuple(LabelId(int(i)) for i in state["label_ids"]),
            entropy_stored=bool(state["entropy_stored"]), complete=bool(state["complete"]),
            made_at=float(state["made_at"]),
        )

    def set_suggestion_state(self, state: SuggestionState) -> None:
        self.set_setting(STATE_SETTING, json.dumps({
            "source": state.source, "run_id": None if state.run_id is None else int(state.run_id),
            "labelled": state.labelled, "label_ids": [int(i) for i in state.label_ids],
            "entropy_stored": state.entropy_stored, "complete": state.complete, "made_at": state.made_at,
        }))


def suggestion_conditions(example_filter: ExampleFilter) -> list[Any]:
    """The WHERE conditions of the filter's suggestion fields, over ``Example`` rows.

    Each looks up the text's one suggestion by its key, so a page in id or score order
    checks only the rows it walks past.
    """
    conditions: list[Any] = []
    if example_filter.suggested_label_id is not None or example_filter.min_confidence is not None:
        suggested = select(Suggestion.example_id).where(Suggestion.example_id == Example.id)
        if example_filter.suggested_label_id is not None:
            suggested = suggested.where(Suggestion.label_id == example_filter.suggested_label_id)
        if example_filter.min_confidence is not None:
            suggested = suggested.where(Suggestion.confidence >= example_filter.min_confidence)
        conditions.append(suggested.exists())
    if example_filter.disagreeing:
        labelled = select(Annotation.example_id).where(Annotation.example_id == Example.id)
        given = select(Annotation.example_id).where(
            Annotation.example_id == Suggestion.example_id, Annotation.label_id == Suggestion.label_id
        )
        conditions.append(labelled.exists())
        conditions.append(
            select(Suggestion.example_id)
            .where(Suggestion.example_id == Example.id, ~given.exists())
            .exists()
        )
    return conditions
