"""The project store: SQLite through SQLAlchemy 2.0; hands out plain data only."""

from bertdesk.store.project import PROJECT_SUFFIX, BulkWriter, Project
from bertdesk.store.records import (
    ExampleFilter,
    ExampleRow,
    LabelInfo,
    PredictionRow,
    ProjectStats,
    RepeatInfo,
    RunInfo,
    ScoredRow,
    SuggestedLabel,
    SuggestionState,
)
from bertdesk.store.splits import assign_splits, plan_splits, set_aside_validation, split_counts
from bertdesk.store.text_hash import normalize_text, normalized_text_hash

__all__ = [
    "PROJECT_SUFFIX",
    "BulkWriter",
    "ExampleFilter",
    "ExampleRow",
    "LabelInfo",
    "PredictionRow",
    "Project",
    "ProjectStats",
    "RepeatInfo",
    "RunInfo",
    "ScoredRow",
    "SuggestedLabel",
    "SuggestionState",
    "assign_splits",
    "plan_splits",
    "normalize_text",
    "normalized_text_hash",
    "set_aside_validation",
    "split_counts",
]
