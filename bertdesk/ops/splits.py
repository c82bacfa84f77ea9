"""Making train/validation/test splits, as the Labels menu, the training panel and the CLI do it."""

from __future__ import annotations

from bertdesk.core.types import Split
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
