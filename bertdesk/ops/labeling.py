"""Label changes on texts, undoable through the history kept in the project, and label-set edits.

The rule of a label key lives here, not in a widget: a single-label project gives the text
that label; a multi-label project toggles it (off only when every chosen text has it). The
labels each text had are read inside the write, so the undo step holds what SQLite held.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Optional

from bertdesk.core.errors import UserInputError
from bertdesk.core.types import ExampleId, LabelId, TextEnum
from bertdesk.ops.changes import OpChanges, OpResult
from bertdesk.store import LabelInfo, Project
from bertdesk.store.history import (
    SPLITS,
    HistoryStep,
    LabelsByText,
    change_labels,
    clear_history,
    next_steps,
    redo_step,
    undo_step,
)
from bertdesk.store.reviews import forget_reviewed, mark_reviewed

HISTORY_LENGTH = 1000  # steps kept for undo; older ones are dropped as new ones come


class LabelAction(TextEnum):
    """What a history step did, named in the Edit menu ("Undo Label positive")."""

    LABEL = "label"
    REMOVE = "remove"
    RELABEL = "relabel"
    KEEP = "keep"  # a label confirmed in a review of likely label errors (ops.review): none changed
    MOVE_TO_SPLIT = "move"  # texts moved to one split (ops.splits), named in the step
    MAKE_SPLITS = "splits"  # a stratified split of the labelled texts (ops.splits)


def label_texts(project: Project, example_ids: Sequence[ExampleId], label_id: LabelId) -> OpChanges:
    """A label key or button on the chosen texts: set it (single-label) or toggle it (multi-label)."""
    name = _label_name(project, label_id)
    if not project.multi_label:
        return _change(project, example_ids, lambda before: {eid: (label_id,) for eid in before},
                       LabelAction.LABEL, name)

    def toggled(before: LabelsByText) -> LabelsByText:
        if all(label_id in labels for labels in before.values()):
            return {eid: tuple(l for l in labels if l != label_id) for eid, labels in before.items()}
        return {eid: tuple(dict.fromkeys(labels + (label_id,))) for eid, labels in before.items()}

    return _change(project, example_ids, toggled, LabelAction.LABEL, name)


def set_labels(
    project: Project, example_ids: Sequence[ExampleId], label_ids: Sequence[LabelId],
) -> OpChanges:
    """Give each text exactly these labels (one, in a single-label project)."""
    wanted = tuple(dict.fromkeys(label_ids))
    if len(wanted) > 1 and not project.multi_label:
        raise UserInputError(
            "This project gives each text one label.",
            "Pick one label, or create a multi-label project.",
        )
    name = ", ".join(_label_name(project, label_id) for label_id in wanted) or None
    action = LabelAction.LABEL if wanted else LabelAction.REMOVE
    return _change(project, example_ids, lambda before: {eid: wanted for eid in before}, action, name)


def clear_labels(project: Project, example_ids: Sequence[ExampleId]) -> OpChanges:
    return set_labels(project, example_ids, ())


def relabel(project: Project, example_ids: Sequence[ExampleId], label_name: str) -> OpChanges:
    """Correct the label of texts the model got "wrong" (the Evaluate tab's lists)."""
    label = project.require_label(label_name)
    return _change(project, example_ids, lambda before: {eid: (label.id,) for eid in before},
                   LabelAction.RELABEL, label.name)


def _change(
    project: Project, example_ids: Sequence[ExampleId], rule: Callable[[LabelsByText], LabelsByText],
    action: LabelAction, label_name: Optional[str],
) -> OpChanges:
    _before, after = change_labels(project, example_ids, rule, action.value, label_name, HISTORY_LENGTH)
    return OpChanges(examples=frozenset(after), counts=bool(after), history=bool(after))


def _label_name(project: Project, label_id: LabelId) -> str:
    return next((label.name for label in project.labels() if label.id == label_id), "?")


class LabelHistory:
    """Undo and redo of the changes made to texts (their labels and their splits), read from
    and written to the project file.

    Undo or redo of a step that names a label merged or deleted since is refused by the
    store; the history is then emptied (no earlier step can hold either) and the error is
    raised for the front end to show. ``merge_labels`` and ``delete_label`` empty it first.
    """

    def __init__(self, project: Project) -> None:
        self.project = project

    def undo(self) -> OpResult[Optional[HistoryStep]]:
        return self._move(undo_step)

    def redo(self) -> OpResult[Optional[HistoryStep]]:
        return self._move(redo_step)

    def next_steps(self) -> tuple[Optional[HistoryStep], Optional[HistoryStep]]:
        """(the step Undo takes back, the step Redo makes again), each None when there is none."""
        return next_steps(self.project)

    def clear(self) -> OpChanges:
        clear_history(self.project)
        return OpChanges(history=True)

    def _move(self, move: Callable[[Project], Optional[HistoryStep]]) -> OpResult[Optional[HistoryStep]]:
        try:
            step = move(self.project)
        except UserInputError:
            clear_history(self.project)
            raise
        if step is None:
            return OpResult(None)
        if step.action == LabelAction.KEEP:  # undone, the label is no longer confirmed
            (forget_reviewed if move is undo_step else mark_reviewed)(self.project, step.example_ids)
        moved = step.kind == SPLITS  # a view reads texts again for their splits, as after the move
        changes = OpChanges(examples=frozenset(step.example_ids), counts=True, history=True,
                            splits=moved, all_examples=moved)
        return OpResult(step, changes)


# ------------------------------------------------------------------ the label set
LABEL_SET_CHANGED = OpChanges(labels=True, all_examples=True, counts=True)


def add_label(
    project: Project, name: str, color: Optional[str] = None, shortcut: Optional[str] = None,
) -> OpResult[LabelInfo]:
    return OpResult(project.add_label(name, color, shortcut), LABEL_SET_CHANGED)


def update_label(
    project: Project, label_id: LabelId, *, name: Optional[str] = None, color: Optional[str] = None,
    shortcut: Optional[str] = None, clear_shortcut: bool = False,
) -> OpChanges:
    project.update_label(label_id, name=name, color=color, shortcut=shortcut, clear_shortcut=clear_shortcut)
    return LABEL_SET_CHANGED


def reorder_labels(project: Project, label_ids: Sequence[LabelId]) -> OpChanges:
    project.reorder_labels(label_ids)
    return LABEL_SET_CHANGED


def merge_labels(project: Project, source_id: LabelId, target_id: LabelId) -> OpResult[int]:
    """Merge ``source`` into ``target``; the undo history goes (its steps name ``source``).

    Returns how many texts carried ``source``.
    """
    touched = project.merge_labels(source_id, target_id)
    clear_history(project)
    return OpResult(touched, LABEL_SET_CHANGED | OpChanges(history=True))


def delete_label(project: Project, label_id: LabelId) -> OpResult[int]:
    """Delete a label and take it off its texts; the undo history goes. Returns how many lost it."""
    touched = project.delete_label(label_id)
    clear_history(project)
    return OpResult(touched, LABEL_SET_CHANGED | OpChanges(history=True))
