"""Making train/validation/test splits and moving texts between them, as the Labels menu, the
training panel, the Label tab and the CLI do it: each an undoable step of the history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from bertdesk.core.types import ExampleId, Split
from bertdesk.ops.changes import OpChanges, OpResult
from bertdesk.ops.labeling import HISTORY_LENGTH, LabelAction
from bertdesk.store import Project, plan_splits, split_counts
from bertdesk.store.history import SplitsByText, change_splits

SPLITS_CHANGED = OpChanges(all_examples=True, splits=True, counts=True)


def make_splits(
    project: Project, train: float = 0.8, validation: float = 0.1, test: float = 0.1,
    seed: int = 0, keep_existing: bool = True,
) -> OpResult[dict[Split, int]]:
    """A stratified split of the labelled texts (see ``assign_splits``); returns how many went where."""
    assignment = plan_splits(project, train, validation, test, seed, keep_existing)
    return OpResult(split_counts(assignment), _change(project, assignment, LabelAction.MAKE_SPLITS, None))


def move_to_split(project: Project, example_ids: Sequence[ExampleId], split: Split) -> OpChanges:
    """Put the chosen texts in ``split`` (the Label tab's "Move to split"): a test set by hand,
    or texts an import left in another split than its file names."""
    assignment = {example_id: split for example_id in example_ids}
    return _change(project, assignment, LabelAction.MOVE_TO_SPLIT, split.value)


def _change(project: Project, assignment: SplitsByText, action: LabelAction, name: Optional[str]) -> OpChanges:
    moved = change_splits(project, assignment, action.value, name, HISTORY_LENGTH)
    return SPLITS_CHANGED | OpChanges(history=True) if moved else OpChanges()
