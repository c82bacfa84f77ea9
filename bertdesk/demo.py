"""A ready-made demo project, so a first-time user can label, train and predict in minutes.

The texts are short reviews written by the team (no third-party data set), shipped as
``resources/demo/demo_<language>.csv`` with columns ``text,label``: three labels, and
about one row in seven left unlabelled so the labeling view has work to do.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
from pathlib import Path

from bertdesk.core.errors import UserInputError
from bertdesk.store import Project, assign_splits

DEMO_LANGUAGES = ("en", "zh")


def read_demo_rows(language: str) -> list[tuple[str, str]]:
    """The shipped demo texts as ``(text, label)`` pairs; the label is "" where unlabelled."""
    if language not in DEMO_LANGUAGES:
        raise UserInputError(
            f"There is no demo in language {language!r}.",
            f"Choose one of: {', '.join(DEMO_LANGUAGES)}.",
        )
    resource = importlib.resources.files("bertdesk.resources") / "demo" / f"demo_{language}.csv"
    with io.StringIO(resource.read_text(encoding="utf-8"), newline="") as handle:
        return [(row["text"], row["label"]) for row in csv.DictReader(handle)]


def build_demo_project(path: Path, language: str = "en") -> Path:
    """Create a project at ``path`` holding the demo texts, split 70/15/15 per label.

    Raises UserInputError if ``path`` already exists or ``language`` has no demo, so an
    existing project is never overwritten. Returns ``path``; the project is closed.
    """
    rows = read_demo_rows(language)
    path = Path(path)
    with Project.create(path) as project:
        with project.bulk_writer() as writer:
            for text, label in rows:
                writer.add(text, label_ids=[writer.label_id(label)] if label else [])
        assign_splits(project, train=0.7, validation=0.15, test=0.15, seed=0)
    return path
