"""Making train/validation/test splits, as the Labels menu, the training panel and the CLI do it."""

from __future__ import annotations

from collections.abc import Sequence

from bertdesk.core.types import ExampleId, Split
from bertdesk.ops.changes import OpChanges, OpResult
from bertdesk.store import Project, assign_splits

SPLITS_CHANGED = OpChanges(all_examples=True, splits=True, counts=True)


def make_splits(
    project: Project, train: float = 0.8, validation: float = 0.1, test: float = 0.1,
    seed: int = 0, keep_existing: bool = True,
) -> OpResult[dict[Split, int]]:
    """A stratified split of the labelled texts (see ``assign_splits``); returns how many went where."""
    counts = assign_splits(project, train, validation, test, seed=seed, keep_existing=keep_existing)
    return OpResult(counts, SPLITS_CHANGED if sum(counts.values()) else OpChanges())


def move_to_split(project: Project, example_ids: Sequence[ExampleId], split: Split) -> OpChanges:
    """Put the chosen texts in ``split`` (the Label tab's "Move to split"): a test set by hand,
    or texts an import left in another split than its file names. Like making splits, not a
    step of the label history."""
    if not example_ids:
        return OpChanges()
    project.set_split(example_ids, split)
    return SPLITS_CHANGED
