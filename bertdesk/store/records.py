"""Plain data the store hands out: no ORM object ever leaves the store package."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from bertdesk.core.types import ExampleId, LabelId, RunId, Split


@dataclass(frozen=True)
class LabelInfo:
    id: LabelId
    name: str
    color: str
    shortcut: Optional[str]
    position: int


@dataclass(frozen=True)
class ExampleRow:
    id: ExampleId
    text: str
    split: Split
    label_ids: tuple[LabelId, ...]
    meta: Optional[dict[str, Any]] = None


@dataclass(frozen=True)
class ExampleFilter:
    """What the labeling view shows: every field narrows the set; None means no restriction.

    ``label_id`` and ``unlabeled`` exclude each other; ``search`` is a case-insensitive
    substring (FTS5 trigram index for three characters or more, a scan for shorter ones);
    ``repeated`` keeps the texts an imported file repeated with other labels (``Repeat``).
    """

    label_id: Optional[LabelId] = None
    unlabeled: bool = False
    repeated: bool = False
    split: Optional[Split] = None
    search: Optional[str] = None


@dataclass(frozen=True)
class RepeatInfo:
    """A later copy of a text in an imported file, with the labels it carried there."""

    source: str
    line: int
    labels: tuple[str, ...]


@dataclass(frozen=True)
class ProjectStats:
    total: int
    labelled: int
    per_label: dict[str, int]
    per_split: dict[str, int]
    # per_label_split[label_name][split] = count
    per_label_split: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class RunInfo:
    id: RunId
    name: str
    base_model: str
    params: dict[str, Any]
    status: str
    metrics: dict[str, Any]
    history: list[dict[str, Any]]
    error: Optional[str]
    path: Optional[str]
    started_at: float
    finished_at: Optional[float]

    @property
    def duration(self) -> Optional[float]:
        return None if self.finished_at is None else self.finished_at - self.started_at


@dataclass(frozen=True)
class PredictionRow:
    run_id: RunId
    example_id: ExampleId
    label_id: Optional[LabelId]
    probs: tuple[float, ...]
    margin: float
    loss: Optional[float]
