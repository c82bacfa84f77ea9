"""Plain data the store hands out: no ORM object ever leaves the store package."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from bertdesk.core.errors import Sentence
from bertdesk.core.types import ExampleId, LabelId, RunId, RunKind, RunStatus, Split


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
    The suggestions while labelling (store/suggestions.py) narrow it too: ``suggested_label_id``
    keeps the texts suggested that label, ``min_confidence`` those suggested any (or that)
    label with at least this probability, ``disagreeing`` the labelled texts whose suggestion
    is none of their labels.
    """

    label_id: Optional[LabelId] = None
    unlabeled: bool = False
    repeated: bool = False
    split: Optional[Split] = None
    search: Optional[str] = None
    suggested_label_id: Optional[LabelId] = None
    min_confidence: Optional[float] = None
    disagreeing: bool = False

    @property
    def narrows_suggestions(self) -> bool:
        return self.suggested_label_id is not None or self.min_confidence is not None or self.disagreeing


@dataclass(frozen=True)
class SuggestedLabel:
    """The label a model suggests for a text and its probability (never a label until accepted)."""

    example_id: ExampleId
    label_id: LabelId
    confidence: float


@dataclass(frozen=True)
class SuggestionState:
    """Which model made the stored suggestions: ``source`` "fast" (the fast model fitted on
    ``labelled`` labelled texts) or "run" (``run_id``'s stored predictions), suggesting one of
    ``label_ids``; ``complete`` once every text was reached (a refresh stores the rows on
    screen first). ``entropy_stored``: besides the margin, the entropy orders the texts (more
    than two labels, or multi-label; with two the orders are the same)."""

    source: str
    run_id: Optional[RunId]
    labelled: int
    label_ids: tuple[LabelId, ...]
    entropy_stored: bool
    complete: bool
    made_at: float


@dataclass(frozen=True)
class RepeatInfo:
    """A later copy of a text in an imported file, with the labels it carried there."""

    source: str
    line: int
    labels: tuple[str, ...]


@dataclass(frozen=True)
class ScoredRow:
    """A row of a page in score order; ``key`` is what the next page starts after."""

    score: Optional[float]  # None: the text has no score of the kind (they come last)
    row: ExampleRow

    @property
    def key(self) -> tuple[Optional[float], ExampleId]:
        return self.score, self.row.id


@dataclass(frozen=True)
class ProjectStats:
    """Counts of texts, keyed by label id and split.

    ``labels`` are the project's labels when it was counted, in their order: the names of
    the ids counted, since the counting runs on a background job while labels may change.
    """

    total: int
    labelled: int
    labels: tuple[LabelInfo, ...]
    per_label: dict[LabelId, int]
    per_split: dict[Split, int]
    # per_label_split[label_id][split] = count
    per_label_split: dict[LabelId, dict[Split, int]] = field(default_factory=dict)

    def per_label_name(self) -> dict[str, int]:
        """Texts per label name, in the labels' order (for messages and printed tables)."""
        return {label.name: self.per_label.get(label.id, 0) for label in self.labels}


@dataclass(frozen=True)
class RunInfo:
    id: RunId
    name: str
    base_model: str
    params: dict[str, Any]
    status: RunStatus
    metrics: dict[str, Any]
    history: list[dict[str, Any]]
    error: Optional[str]
    path: Optional[str]
    started_at: float
    finished_at: Optional[float]
    owner: Optional[dict[str, Any]] = None  # the process that runs it (bertdesk.core.owner), while it runs

    @property
    def duration(self) -> Optional[float]:
        return None if self.finished_at is None else self.finished_at - self.started_at

    @property
    def job(self) -> Sentence:
        """The run as a sentence names it ("Run 3"), in the UI's language."""
        return Sentence("Run {run_id}", run_id=self.id)

    @property
    def kind(self) -> RunKind:
        """A training run (with a model) or a cross-validation (scores and probabilities only)."""
        return RunKind(self.params.get("kind", RunKind.TRAINING.value))


@dataclass(frozen=True)
class PredictionRow:
    run_id: RunId
    example_id: ExampleId
    label_id: Optional[LabelId]
    probs: tuple[float, ...]
    margin: float
    loss: Optional[float]
