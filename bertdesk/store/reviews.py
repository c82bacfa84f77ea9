"""Which texts' labels a person has checked in a review of likely label errors.

A review mark is a score of kind ``REVIEWED_KIND`` whose value is the id of the label the
text had when it was checked. The mark holds only while the text keeps that label: undoing a
correction (the old label comes back) returns the text to the review by itself, and a label
changed later is open to review again. The scores table holds the marks, so they need no
schema change and go with their text when it is deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bertdesk.core.types import ExampleId

if TYPE_CHECKING:
    from bertdesk.store.project import Project

REVIEWED_KIND = "label_reviewed"


def mark_reviewed(project: Project, example_ids: Sequence[ExampleId]) -> None:
    """Note that the texts' labels, as they are now, were checked (a text without one is skipped)."""
    labels = project.labels_of(example_ids)
    project.save_scores(REVIEWED_KIND, [
        (example_id, float(label_ids[0])) for example_id, label_ids in labels.items() if label_ids
    ])


def forget_reviewed(project: Project, example_ids: Sequence[ExampleId]) -> None:
    project.delete_scores(REVIEWED_KIND, example_ids)


def reviewed_texts(project: Project, example_ids: Sequence[ExampleId]) -> set[ExampleId]:
    """Those of the texts whose label was checked and has not changed since."""
    marks = project.scores_of(REVIEWED_KIND, example_ids)
    labels = project.labels_of(list(marks))
    return {
        example_id for example_id, label_id in marks.items()
        if labels.get(example_id) and float(labels[example_id][0]) == label_id
    }
