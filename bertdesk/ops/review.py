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

from bertdesk.core import ExampleId, LabelId, RunId, RunKind, RunStatus, Split, UserInputError
from bertdesk.ml.confident_learning import Ranking, find_label_issues
from bertdesk.ml.crossval import latest_cross_validation
from bertdesk.ml.ensemble import fit_weights
from bertdesk.ops.changes import OpChanges
from bertdesk.ops.labeling import HISTORY_LENGTH, LabelAction, relabel
from bertdesk.store import Project, RunInfo
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
    run_id: RunId  # the (first) cross-validation whose probabilities were read
    errors: list[LikelyLabelError]  # most likely first; reviewed texts left out
    checked: int  # labelled texts with an out-of-fold probability, reviewed ones included
    estimated: int  # confident learning's estimate of the label errors among them
    reviewed: int  # texts flagged but left out: their label was confirmed in a review
    unchecked: int  # labelled texts outside the test split the cross-validation did not predict
    thresholds: dict[str, float]  # each label's threshold (its mean out-of-fold probability)
    weights: dict[RunId, float]  # each cross-validation's share of the probabilities (one: 1.0)


def likely_label_errors(
    project: Project, run_ids: Sequence[RunId] = (), ranking: Ranking = Ranking.SELF_CONFIDENCE,
) -> LabelErrorReport:
    """The likely label errors of a cross-validation run (default: the latest finished one),
    or of several combined.

    Several runs (say the fast model's and a fine-tuned one's) are combined as an ensemble is:
    each text's out-of-fold probabilities are the runs' weighted mean, with the weights that
    fit the given labels best (``ml.ensemble.fit_weights``). Two different models doubt a
    wrong label together more often than a right one, so the list gets more precise.

    Texts labelled since a run, or given a label it did not know, are not checked
    (``unchecked``): run the cross-validation again to include them.
    """
    if project.multi_label:
        raise UserInputError(
            "Likely label errors are found in single-label projects only.",
            "Review a multi-label project's texts by their loss in the Evaluate tab.",
        )
    chosen: Sequence[Optional[RunId]] = run_ids or [None]  # None: the latest
    runs = [project.run(_cross_validation_run(project, run_id)) for run_id in chosen]
    first = runs[0]
    names: list[str] = first.params["labels"]
    label_ids: list[LabelId] = first.params["label_ids"]
    for run in runs[1:]:
        if sorted(run.params["label_ids"]) != sorted(label_ids):
            raise UserInputError(
                "Cross-validations {first} and {other} were made with other labels.",
                "Combine cross-validations made with the same labels, or run one again.",
                first=first.id, other=run.id,
            )
    column = {label_id: i for i, label_id in enumerate(label_ids)}
    stored = [_out_of_fold(project, run, label_ids) for run in runs]
    checked: list[tuple[ExampleId, str, Split]] = []
    given: list[int] = []
    members: list[list[np.ndarray]] = [[] for _ in runs]
    unchecked = 0
    for example_id, text, example_labels, split in project.labelled_examples():
        if example_labels[0] in column and all(example_id in of_run for of_run in stored):
            checked.append((example_id, text, split))
            given.append(column[example_labels[0]])
            for member, of_run in zip(members, stored):
                member.append(of_run[example_id])
        elif split is not Split.TEST:
            unchecked += 1
    if not checked:
        return LabelErrorReport(first.id, [], 0, 0, 0, unchecked, {}, {run.id: 1 / len(runs) for run in runs})
    labels = np.array(given)
    member_probabilities = [np.array(rows, dtype=np.float64) for rows in members]
    weights = (fit_weights(member_probabilities, [(label,) for label in given], multi_label=False)
               if len(runs) > 1 else np.ones(1))
    probabilities = np.tensordot(weights, np.stack(member_probabilities), axes=1)
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
        first.id, errors, len(checked), issues.estimated_errors, len(reviewed), unchecked,
        {name: float(t) for name, t in zip(names, issues.thresholds)},
        {run.id: float(weight) for run, weight in zip(runs, weights)},
    )


def _out_of_fold(project: Project, run: RunInfo, label_ids: Sequence[LabelId]) -> dict[ExampleId, np.ndarray]:
    """The run's stored out-of-fold probabilities of each text, in the order of ``label_ids``."""
    order = [run.params["label_ids"].index(label_id) for label_id in label_ids]
    return {row.example_id: np.asarray(row.probs, dtype=np.float64)[order]
            for row in project.predictions(run.id) if len(row.probs) == len(order)}


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
