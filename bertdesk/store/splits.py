"""Stratified train/validation/test assignment that keeps splits a file already gave."""

from __future__ import annotations

import random
from collections import defaultdict

from bertdesk.core.errors import UserInputError
from bertdesk.core.types import ExampleId, Split
from bertdesk.store.project import Project


def assign_splits(
    project: Project,
    train: float = 0.8,
    validation: float = 0.1,
    test: float = 0.1,
    seed: int = 0,
    keep_existing: bool = True,
) -> dict[Split, int]:
    """Split the labelled texts per label in the given ratios; returns how many went where.

    With ``keep_existing`` only texts still "unassigned" move, so splits that came with the
    imported file stay. Multi-label texts are stratified by their first label.
    """
    ratios = (train, validation, test)
    if any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise UserInputError("Split ratios must be positive.", "For example 0.8 0.1 0.1.")
    movable = {Split.UNASSIGNED} if keep_existing else set(Split)
    return _stratified(project, ratios, seed, movable)


def set_aside_validation(project: Project, fraction: float, seed: int = 0) -> int:
    """Move a stratified ``fraction`` of the training and unassigned labelled texts to
    validation (for a project that has none); test texts stay. Returns how many went there."""
    movable = {Split.UNASSIGNED, Split.TRAIN}
    counts = _stratified(project, (1 - fraction, fraction, 0.0), seed, movable)
    return counts[Split.VALIDATION]


def _stratified(
    project: Project, ratios: tuple[float, float, float], seed: int, movable: set[Split]
) -> dict[Split, int]:
    _, validation, test = ratios  # train: whatever is left
    total = sum(ratios)
    by_label: dict[int, list[ExampleId]] = defaultdict(list)
    for example_id, _text, label_ids, split in project.labelled_examples():
        if split in movable:
            by_label[label_ids[0]].append(example_id)
    rng = random.Random(seed)
    assignment: dict[ExampleId, Split] = {}
    for label_id in sorted(by_label):
        ids = by_label[label_id]
        rng.shuffle(ids)
        n_validation = round(len(ids) * validation / total)
        n_test = round(len(ids) * test / total)
        if len(ids) >= 3:
            # Every label should reach each split that was asked for, if it has texts to give.
            n_validation = max(n_validation, 1 if validation > 0 else 0)
            n_test = max(n_test, 1 if test > 0 else 0)
        for position, example_id in enumerate(ids):
            if position < n_validation:
                assignment[example_id] = Split.VALIDATION
            elif position < n_validation + n_test:
                assignment[example_id] = Split.TEST
            else:
                assignment[example_id] = Split.TRAIN
    project.set_splits(assignment)
    counts = {split: 0 for split in (Split.TRAIN, Split.VALIDATION, Split.TEST)}
    for split in assignment.values():
        counts[split] += 1
    return counts
