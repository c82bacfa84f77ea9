"""Typed ids, the split names and the run states every layer agrees on."""

from __future__ import annotations

import enum
from typing import NewType

from bertdesk.core.errors import Sentence

ExampleId = NewType("ExampleId", int)
LabelId = NewType("LabelId", int)
RunId = NewType("RunId", int)


class Split(str, enum.Enum):
    """Which part of the data an example belongs to."""

    TRAIN = "train"
    VALIDATION = "validation"
    TEST = "test"
    UNASSIGNED = "unassigned"

    @property
    def words(self) -> Sentence:
        """The split as the user reads it, alone or inside a sentence, in the UI's language."""
        return SPLIT_WORDS[self]

    @classmethod
    def parse(cls, value: str) -> Split:
        """Read a split name as people write it in files ("dev", "val", "Train", "测试" ...)."""
        key = value.strip().lower()
        found = _SPLIT_ALIASES.get(key)
        if found is None:
            raise ValueError(
                f"unknown split {value!r}: use train, validation, test or unassigned"
            )
        return found


SPLIT_WORDS = {Split.TRAIN: Sentence("train"), Split.VALIDATION: Sentence("validation"),
               Split.TEST: Sentence("test"), Split.UNASSIGNED: Sentence("unassigned")}


class TextEnum(enum.StrEnum):
    """A ``str`` enum whose ``str()`` and f-strings give the value, the text stored and shown
    (a plain ``(str, Enum)`` prints ``Name.MEMBER``)."""


class RunStatus(TextEnum):
    """Where a training run stands; the value is what the project file stores.

    Stored values, JSON and comparisons with the plain strings of older projects stay the same.
    """

    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"  # stopped by the user: shown as "stopped", may be resumed
    FAILED = "failed"

    @property
    def words(self) -> Sentence:
        """The status as the user reads it, alone or inside a sentence, in the UI's language."""
        return STATUS_WORDS[self]


STATUS_WORDS = {RunStatus.RUNNING: Sentence("running"), RunStatus.FINISHED: Sentence("finished"),
                RunStatus.CANCELLED: Sentence("stopped"), RunStatus.FAILED: Sentence("failed")}


class RunKind(TextEnum):
    """What a run in the history is; the value is kept in the run's params as "kind".

    A training run keeps a model folder; a cross-validation run keeps only its folds' scores
    and the out-of-fold probabilities of the texts (``ml.crossval``), so it cannot be used
    to predict. An ensemble combines finished runs' probabilities (``ml.ensemble``) and keeps
    a model folder holding its members, so it predicts like a training run. Runs recorded
    before kinds existed are training runs.
    """

    TRAINING = "training"
    CROSS_VALIDATION = "cross-validation"
    ENSEMBLE = "ensemble"


_SPLIT_ALIASES: dict[str, Split] = {
    "train": Split.TRAIN,
    "training": Split.TRAIN,
    "训练": Split.TRAIN,
    "训练集": Split.TRAIN,
    "validation": Split.VALIDATION,
    "valid": Split.VALIDATION,
    "val": Split.VALIDATION,
    "dev": Split.VALIDATION,
    "验证": Split.VALIDATION,
    "验证集": Split.VALIDATION,
    "test": Split.TEST,
    "testing": Split.TEST,
    "测试": Split.TEST,
    "测试集": Split.TEST,
    "unassigned": Split.UNASSIGNED,
    "": Split.UNASSIGNED,
    "none": Split.UNASSIGNED,
}
