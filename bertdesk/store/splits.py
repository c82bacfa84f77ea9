"""Stratified train/validation/test assignment that keeps splits a file already gave and
never holds out a text that a training text contains."""

from __future__ import annotations

import random
from collections import defaultdict

from bertdesk.core.errors import UserInputError
from bertdesk.core.types import ExampleId, Split
from bertdesk.store.containment import SHARED, containment_groups
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
    assignment = plan_splits(project, train, validation, test, seed, keep_existing)
    project.set_splits(assignment)
    return split_counts(assignment)


def plan_splits(
    project: Project, train: float, validation: float, test: float, seed: int, keep_existing: bool,
) -> dict[ExampleId, Split]:
    """The split ``assign_splits`` would give each text it moves, without moving any."""
    ratios = (train, validation, test)
    if any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise UserInputError("Split ratios must be positive.", "For example 0.8 0.1 0.1.")
    movable = {Split.UNASSIGNED} if keep_existing else set(Split)
    return _stratified(project, ratios, seed, movable)


def split_counts(assignment: dict[ExampleId, Split]) -> dict[Split, int]:
    """How many texts an assignment puts in each of train, validation and test."""
    counts = {split: 0 for split in (Split.TRAIN, Split.VALIDATION, Split.TEST)}
    for split in assignment.values():
        counts[split] += 1
    return counts


def set_aside_validation(project: Project, fraction: float, seed: int = 0) -> int:
    """Move a stratified ``fraction`` of the training and unassigned labelled texts to
    validation (for a project that has none); test texts stay. Returns how many went there."""
    movable = {Split.UNASSIGNED, Split.TRAIN}
    assignment = _stratified(project, (1 - fraction, fraction, 0.0), seed, movable)
    project.set_splits(assignment)
    return split_counts(assignment)[Split.VALIDATION]


def _stratified(
    project: Project, ratios: tuple[float, float, float], seed: int, movable: set[Split]
) -> dict[ExampleId, Split]:
    """Per label, shuffle the movable texts' groups and deal them out in the ratios.

    A group is a text with every text inside it alone (see ``containment_groups``), so no
    held-out text appears inside a training text. A text inside several unrelated texts, or
    in a group with a training text that keeps its split, trains. Where no text is inside
    another, every group is one text and the split is the plain stratified shuffle.
    """
    _, validation, test = ratios  # train: whatever is left
    total = sum(ratios)
    examples = project.labelled_examples()
    groups = containment_groups([text for _, text, _, _ in examples])
    kept_training = {
        group for group, (_, _, _, split) in zip(groups, examples) if split is Split.TRAIN and split not in movable
    }
    members: dict[int, list[ExampleId]] = defaultdict(list)
    texts_per_label: dict[int, int] = defaultdict(int)
    groups_by_label: dict[int, list[int]] = defaultdict(list)
    assignment: dict[ExampleId, Split] = {}
    for group, (example_id, _text, label_ids, split) in zip(groups, examples):
        if split not in movable:
            continue
        texts_per_label[label_ids[0]] += 1
        if group == SHARED or group in kept_training:
            assignment[example_id] = Split.TRAIN
            continue
        if group not in members:  # a group goes with the label of its first text
            groups_by_label[label_ids[0]].append(group)
        members[group].append(example_id)
    rng = random.Random(seed)
    for label_id in sorted(groups_by_label):
        label_groups = groups_by_label[label_id]
        rng.shuffle(label_groups)
        size = texts_per_label[label_id]
        n_validation = round(size * validation / total)
        n_test = round(size * test / total)
        if size >= 3:
            # Every label should reach each split that was asked for, if it has texts to give.
            n_validation = max(n_validation, 1 if validation > 0 else 0)
            n_test = max(n_test, 1 if test > 0 else 0)
        dealt = 0
        for group in label_groups:
            if dealt < n_validation:
                split = Split.VALIDATION
            elif dealt < n_validation + n_test:
                split = Split.TEST
            else:
                split = Split.TRAIN
            for example_id in members[group]:
                assignment[example_id] = split
            dealt += len(members[group])
    return assignment
