"""Likely label errors over all labelled texts, and the review that settles each of them.

``likely_label_errors`` runs confident learning (``ml.confident_learning``) on the out-of-fold
probabilities of a cross-validation run (``ml.crossval``) against the labels as they are now,
so it covers every labelled text the cross-validation predicted, training texts included,
each by a model that did not learn from it.

A review settles a text in one of three ways, each an undoable step of the label history:
``fix_label`` gives it the suggested label or another one (a relabel), ``keep_label``
confirms the label it has (a step that changes no label). Both mark the text reviewed
(``store.reviews``): a reviewed text is left out of later lists while it keeps the label it
was reviewed with, so Undo of a correction brings it back by itself, and Undo of a "keep"
forgets the mark (``LabelHistory``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

import numpy as np

from bertdesk.core import ExampleId, RunId, RunKind, RunStatus, Split, UserInputError
from bertdesk.ml.confident_learning import Ranking, find_label_issues
from bertdesk.ml.crossval import latest_cross_validation
from bertdesk.ops.changes import OpChanges
from bertdesk.ops.labeling import HISTORY_LENGTH, LabelAction, relabel
from bertdesk.store import Project
from bertdesk.store.history import change_labels
from bertdesk.store.reviews import mark_reviewed, reviewed_texts


@dataclass(frozen=True)
class LikelyLabelError:
    """A text whose given label the model doubts, and the label it suggests instead."""

    example_id: ExampleId
    text: str
    split: Split
    label: str  # the label it has now
    suggested: str
    label_probability: float  # out-of-fold probability of the label it has
    suggested_probability: float


@dataclass(frozen=True)
class LabelErrorReport:
    run_id: RunId  # the cross-validation whose probabilities were read
    errors: list[LikelyLabelError]  # most likely first; reviewed texts left out
    checked: int  # labelled texts with an out-of-fold probability, reviewed ones included
    estimated: int  # confident learning's estimate of the label errors among them
    reviewed: int  # texts flagged but left out: their label was confirmed in a review
    unchecked: int  # labelled texts outside the test split the cross-validation did not predict
    thresholds: dict[str, float]  # each label's threshold (its mean out-of-fold probability)


def likely_label_errors(
    project: Project, run_id: Optional[RunId] = None, ranking: Ranking = Ranking.SELF_CONFIDENCE,
) -> LabelErrorReport:
    """The likely label errors of a cross-validation run (default: the latest finished one).

    Texts labelled since the run, or given a label it did not know, are not checked
    (``unchecked``): run the cross-validation again to include them.
    """
    if project.multi_label:
        raise UserInputError(
            "Likely label errors are found in single-label projects only.",
            "Review a multi-label project's texts by their loss in the Evaluate tab.",
        )
    run_id = _cross_validation_run(project, run_id)
    run = project.run(run_id)
    names: list[str] = run.params["labels"]
    column = {label_id: i for i, label_id in enumerate(run.params["label_ids"])}
    stored = {row.example_id: row.probs for row in project.predictions(run_id)}
    checked: list[tuple[ExampleId, str, Split]] = []
    given: list[int] = []
    rows: list[tuple[float, ...]] = []
    unchecked = 0
    for example_id, text, label_ids, split in project.labelled_examples():
        found = stored.get(example_id)
        if found is not None and label_ids[0] in column and len(found) == len(names):
            checked.append((example_id, text, split))
            given.append(column[label_ids[0]])
            rows.append(found)
        elif split is not Split.TEST:
            unchecked += 1
    if not checked:
        return LabelErrorReport(run_id, [], 0, 0, 0, unchecked, {})
    labels = np.array(given)
    probabilities = np.array(rows, dtype=np.float64)
    issues = find_label_issues(labels, probabilities, ranking)
    reviewed = reviewed_texts(project, [checked[i][0] for i in issues.ranked])
    errors = []
    for i in issues.ranked:
        example_id, text, split = checked[i]
        if example_id in reviewed:
            continue
        label, suggested = int(labels[i]), int(issues.probable_labels[i])
        errors.append(LikelyLabelError(
            example_id, text, split, names[label], names[suggested],
            float(probabilities[i, label]), float(probabilities[i, suggested]),
        ))
    return LabelErrorReport(
        run_id, errors, len(checked), issues.estimated_errors, len(reviewed), unchecked,
        {name: float(t) for name, t in zip(names, issues.thresholds)},
    )


def fix_label(project: Project, example_ids: Sequence[ExampleId], label_name: str) -> OpChanges:
    """Review: give the texts ``label_name`` (the suggestion, or another label) and mark them reviewed."""
    changes = relabel(project, example_ids, label_name)
    mark_reviewed(project, example_ids)
    return changes


def keep_label(project: Project, example_ids: Sequence[ExampleId]) -> OpChanges:
    """Review: the texts' labels are right as they are. Recorded as a step of the label history
    that changes no label, so Undo takes the review back like any other."""
    labels = project.labels_of(example_ids)
    names = {label.id: label.name for label in project.labels()}
    kept = {names[label_ids[0]] for label_ids in labels.values() if label_ids}
    _before, after = change_labels(
        project, example_ids, lambda before: before, LabelAction.KEEP.value,
        kept.pop() if len(kept) == 1 else None, HISTORY_LENGTH,
    )
    mark_reviewed(project, list(after))
    return OpChanges(examples=frozenset(after), history=bool(after))


def _cross_validation_run(project: Project, run_id: Optional[RunId]) -> RunId:
    if run_id is None:
        found = latest_cross_validation(project)
        if found is None:
            raise UserInputError(
                "The project has no cross-validation yet.",
                "Run one first (bertdesk cv PROJECT); the fast model takes seconds.",
            )
        return found
    run = project.run(run_id)
    if run.kind is not RunKind.CROSS_VALIDATION or run.status is not RunStatus.FINISHED:
        raise UserInputError(
            "Run {run_id} is not a finished cross-validation.",
            "Pick a cross-validation run, or run one: bertdesk cv PROJECT.",
            run_id=run_id,
        )
    return run_id
