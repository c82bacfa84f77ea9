"""A project: one SQLite file with texts, labels, annotations, splits, runs and predictions.

``Project`` is put together from one mixin per aggregate, each in its own module over the
shared connections of ``ProjectFile``: examples and paging (examples.py), scores and pages
in score order (scores.py), labels and annotations (labels.py), the search index
(search.py), runs and predictions (runs.py), bulk writing (bulk.py), suggestions while
labelling (suggestions.py). Mixins rather than collaborator objects, so every method stays
on ``Project`` where the rest of bertdesk calls it, with no forwarding method to keep in step.
"""

from __future__ import annotations

from pathlib import Path

from bertdesk.core.errors import UserInputError
from bertdesk.store.bulk import BulkWriter, BulkWriting
from bertdesk.store.database import check_and_upgrade, create_schema, make_engine
from bertdesk.store.labels import LabelStore
from bertdesk.store.runs import RunStore
from bertdesk.store.scores import ScoreStore
from bertdesk.store.suggestions import SuggestionStore

PROJECT_SUFFIX = ".bertdesk"

__all__ = ["PROJECT_SUFFIX", "BulkWriter", "Project"]


class Project(ScoreStore, LabelStore, BulkWriting, RunStore, SuggestionStore):
    """Open with ``Project.create(path)`` or ``Project.open(path)``; close when done."""

    @classmethod
    def create(cls, path: str | Path, multi_label: bool = False) -> Project:
        path = Path(path)
        if path.exists():
            raise UserInputError(
                "{path} already exists.",
                "Choose another name, or open it instead.",
                path=path,
            )
        if not path.parent.exists():
            raise UserInputError(
                "The folder {folder} does not exist.",
                "Create it first.",
                folder=path.parent,
            )
        engine = make_engine(path)
        create_schema(engine, multi_label)
        return cls(path, engine)

    @classmethod
    def open(cls, path: str | Path) -> Project:
        path = Path(path)
        if not path.is_file():
            raise UserInputError(
                "No project at {path}.",
                "Check the path, or create it with 'bertdesk new'.",
                path=path,
            )
        engine = make_engine(path)
        try:
            check_and_upgrade(engine, path)
        except Exception:
            engine.dispose()
            raise
        return cls(path, engine)

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
