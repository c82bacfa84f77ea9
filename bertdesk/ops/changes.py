"""What an operation changed, so that every front end refreshes the same way (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar, Union

from bertdesk.core.types import ExampleId

T = TypeVar("T")


@dataclass(frozen=True)
class OpChanges:
    """The parts of a project one operation changed; a view refreshes only what it shows of them."""

    examples: frozenset[ExampleId] = frozenset()  # texts whose labels or split changed
    all_examples: bool = False  # too many texts to name (a split made, a label merged)
    labels: bool = False  # the label set: names, colours, keys, order
    counts: bool = False  # the statistics (texts per label and split)
    splits: bool = False
    runs: bool = False  # runs added, finished or deleted
    current_run: bool = False  # the run the Evaluate and Predict tabs use
    history: bool = False  # what undo and redo would do next

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(
            self.examples | other.examples, self.all_examples or other.all_examples,
            self.labels or other.labels, self.counts or other.counts, self.splits or other.splits,
            self.runs or other.runs, self.current_run or other.current_run,
            self.history or other.history,
        )


NOTHING_CHANGED = OpChanges()


@dataclass(frozen=True)
class OpResult(Generic[T]):
    """An operation's answer (a count, the step undone) together with what it changed."""

    value: T
    changes: OpChanges = field(default=NOTHING_CHANGED)


def changes_of(outcome: Union[OpChanges, OpResult[object]]) -> OpChanges:
    return outcome if isinstance(outcome, OpChanges) else outcome.changes
