"""Suggestions while labelling, as user operations: accept them, clear them, make a queue.

A suggestion (``ml.suggest``) is never a label until accepted here. Accepting is a label
change like a label key's: one undoable step in the label history, whatever the number of
texts and labels accepted at once.

A labelling queue is texts to label elsewhere, written as a file whose columns are ``text``,
an empty ``label`` to fill in, ``suggestion`` and ``confidence`` (and ``current_label`` for
a queue of disagreements). Importing it back with ``--label-col label`` gives the texts their
labels: an import labels the texts already in the project that have none
(``BulkWriter.label_project_texts``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from bertdesk.core import ExampleId, UserInputError
from bertdesk.core.types import TextEnum
from bertdesk.io.exporters import LABEL_SEPARATOR, SUPPORTED_EXPORT_SUFFIXES, table_file
from bertdesk.ops.changes import OpChanges, OpResult
from bertdesk.ops.labeling import HISTORY_LENGTH, LabelAction
from bertdesk.store import ExampleFilter, Project
from bertdesk.store.history import LabelsByText, change_labels
from bertdesk.store.suggestions import ENTROPY_KIND, MARGIN_KIND

QUEUE_COLUMNS = ("text", "label", "suggestion", "confidence")
CURRENT_LABEL_COLUMN = "current_label"


def accept_suggestions(project: Project, example_ids: Sequence[ExampleId]) -> OpResult[int]:
    """Give each text its suggested label (single-label: instead of its label; multi-label:
    beside its labels), as one undoable step. Texts without a suggestion are left as they
    are. Returns how many texts were given their suggestion."""
    suggested = project.suggestions(example_ids)
    chosen = [example_id for example_id in dict.fromkeys(example_ids) if example_id in suggested]
    if not chosen:
        return OpResult(0)
    names = {label.id: label.name for label in project.labels()}

    def accepted(before: LabelsByText) -> LabelsByText:
        if project.multi_label:
            return {example_id: tuple(dict.fromkeys(labels + (suggested[example_id].label_id,)))
                    for example_id, labels in before.items()}
        return {example_id: (suggested[example_id].label_id,) for example_id in before}

    label_name = ", ".join(dict.fromkeys(names.get(suggested[i].label_id, "?") for i in chosen))
    _before, after = change_labels(
        project, chosen, accepted, LabelAction.LABEL.value, label_name, HISTORY_LENGTH
    )
    return OpResult(len(after), OpChanges(examples=frozenset(after), counts=True, history=True))


def clear_suggestions(project: Project) -> OpChanges:
    """Forget every suggestion (turning them off, or before switching to another model)."""
    project.clear_suggestions()
    return OpChanges(all_examples=True)


class QueueOrder(TextEnum):
    """Which texts a labelling queue holds, first to last."""

    UNCERTAIN = "uncertain"  # unlabelled, least confident first (a draw weighted 1/margin rank)
    ENTROPY = "entropy"  # unlabelled, most uncertain first by entropy (for many labels)
    RANDOM = "random"  # unlabelled, in a random order
    DISAGREE = "disagree"  # labelled otherwise than suggested, most confident suggestion first


@dataclass(frozen=True)
class QueueItem:
    """A text to label, with the model's suggestion (None where it has none)."""

    example_id: ExampleId
    text: str
    label_names: tuple[str, ...]  # its labels now (a disagreement's)
    suggested: Optional[str]
    confidence: Optional[float]


def labelling_queue(
    project: Project, order: QueueOrder, limit: int, seed: int = 0,
) -> list[QueueItem]:
    """Up to ``limit`` texts to label next, in ``order``, with their suggestions.

    The ordered queues need suggestions (``ml.suggest.refresh_suggestions``); a random queue
    takes them where there are.
    """
    state = project.suggestion_state()
    if order is not QueueOrder.RANDOM and state is None:
        raise UserInputError(
            "The project has no suggestions to order the texts by.",
            "Compute them first (they are computed with the fast model unless a run is chosen).",
        )
    if order in (QueueOrder.UNCERTAIN, QueueOrder.ENTROPY):
        by_entropy = order is QueueOrder.ENTROPY and state is not None and state.entropy_stored
        kind = ENTROPY_KIND if by_entropy else MARGIN_KIND  # two labels: the same order
        page = project.page_by_score(ExampleFilter(unlabeled=True), kind, limit=limit)
        rows = [(scored.row.id, scored.row.text, scored.row.label_ids) for scored in page]
    elif order is QueueOrder.RANDOM:
        texts = project.texts(ExampleFilter(unlabeled=True))
        chosen = random.Random(seed).sample(texts, min(limit, len(texts)))
        rows = [(example_id, text, ()) for example_id, text in chosen]
    else:
        disagreeing = project.texts(ExampleFilter(disagreeing=True))
        confidence = project.suggestions([example_id for example_id, _ in disagreeing])
        disagreeing.sort(key=lambda item: -confidence[item[0]].confidence)
        labels = project.labels_of([example_id for example_id, _ in disagreeing[:limit]])
        rows = [(example_id, text, labels[example_id]) for example_id, text in disagreeing[:limit]]
    suggested = project.suggestions([example_id for example_id, _, _ in rows])
    names = {label.id: label.name for label in project.labels()}
    return [
        QueueItem(
            example_id, text, tuple(names[label_id] for label_id in label_ids),
            names.get(suggested[example_id].label_id) if example_id in suggested else None,
            suggested[example_id].confidence if example_id in suggested else None,
        )
        for example_id, text, label_ids in rows
    ]


def write_labelling_queue(path: Path, items: Sequence[QueueItem], with_current_labels: bool = False) -> int:
    """Write a queue as .csv, .jsonl or .xlsx (built aside, then renamed); returns its length."""
    file_format = path.suffix.lstrip(".").lower()
    if path.suffix.lower() not in SUPPORTED_EXPORT_SUFFIXES:
        raise UserInputError(
            "Cannot write a labelling queue as {file_format}.",
            "Name the file with one of {suffixes}.",
            file_format=file_format or "a file without a suffix",
            suffixes=", ".join(SUPPORTED_EXPORT_SUFFIXES),
        )
    header = [*QUEUE_COLUMNS, *([CURRENT_LABEL_COLUMN] if with_current_labels else [])]
    rows: list[list[Any]] = []
    for item in items:
        confidence = "" if item.confidence is None else round(item.confidence, 4)
        row: list[Any] = [item.text, "", item.suggested or "", confidence]
        if with_current_labels:
            row.append(LABEL_SEPARATOR.join(item.label_names))
        rows.append(row)
    with table_file(path, file_format, header, "queue") as write_rows:
        write_rows(rows)
    return len(rows)
