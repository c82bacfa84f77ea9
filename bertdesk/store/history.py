"""The history of edits to texts: undoable label and split changes, kept in the project file.

Each step is written in the same transaction as the change it records, so the history never
disagrees with the texts, and undo and redo work after the project is closed and opened again
(by the app or another program). A step is of one kind: a labels step stores each text's
label ids before and after, a splits step each text's split. A step that names a label merged
or deleted since is refused whole by ``store.labels.replace_labels`` (the rollback keeps both
labels and history as they were).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import Connection, Row, text

from bertdesk.core.types import ExampleId, LabelId, Split
from bertdesk.store.examples import splits_of, write_splits
from bertdesk.store.labels import labels_of, replace_labels

if TYPE_CHECKING:
    from bertdesk.store.project import Project

LabelsByText = dict[ExampleId, tuple[LabelId, ...]]
SplitsByText = dict[ExampleId, Split]
LABELS, SPLITS = "labels", "splits"  # the kinds of step (the history table's kind column)


@dataclass(frozen=True)
class HistoryStep:
    """What one undo or redo step did, for the Edit menu and for showing the texts it changed."""

    action: str  # what the user did, e.g. "label" (ops.LabelAction)
    label_name: Optional[str]  # the label given, or the split texts were moved to, where there is one
    example_ids: tuple[ExampleId, ...]  # in the order the change named them
    kind: str = LABELS  # LABELS or SPLITS: what the step changed


def change_labels(
    project: Project,
    example_ids: Sequence[ExampleId],
    new_labels: Callable[[LabelsByText], LabelsByText],
    action: str,
    label_name: Optional[str],
    keep_steps: int,
) -> tuple[LabelsByText, LabelsByText]:
    """Give texts the labels ``new_labels(before)`` says and record the step, in one transaction.

    Returns (before, after). A step is recorded even where the texts had those labels
    already, as for any key the user pressed, so that Undo always answers the last key. A
    new step drops the steps waiting for a redo and all but the latest ``keep_steps``.
    """
    with project._write() as conn:
        before = labels_of(conn, example_ids)
        after = new_labels(before)
        if not after:
            return before, after
        replace_labels(conn, after)
        _record(conn, LABELS, action, label_name, _encode(before), _encode(after), keep_steps)
    return before, after


def change_splits(
    project: Project, assignment: SplitsByText, action: str, name: Optional[str], keep_steps: int,
) -> SplitsByText:
    """Move texts to the splits ``assignment`` gives and record the step, in one transaction.

    Texts deleted meanwhile are left out; returns the splits the others were in before.
    """
    with project._write() as conn:
        before = splits_of(conn, list(assignment))
        after = {example_id: assignment[example_id] for example_id in before}
        if not after:
            return before
        write_splits(conn, after)
        _record(conn, SPLITS, action, name, _encode_splits(before), _encode_splits(after), keep_steps)
    return before


def _record(
    conn: Connection, kind: str, action: str, name: Optional[str], before: str, after: str, keep_steps: int,
) -> None:
    """A new step: it drops the steps waiting for a redo and all but the latest ``keep_steps``."""
    conn.exec_driver_sql("DELETE FROM label_history WHERE undone = 1")
    conn.execute(
        text("INSERT INTO label_history (kind, action, label_name, before, after, created_at)"
             " VALUES (:kind, :action, :label, :before, :after, :now)"),
        {"kind": kind, "action": action, "label": name, "before": before, "after": after, "now": time.time()},
    )
    conn.execute(
        text("DELETE FROM label_history WHERE id <= ("
             "SELECT id FROM label_history ORDER BY id DESC LIMIT 1 OFFSET :keep)"),
        {"keep": keep_steps},
    )


def undo_step(project: Project) -> Optional[HistoryStep]:
    """Put back what the latest step changed (labels or splits); None when there is nothing to undo."""
    return _move(project, undo=True)


def redo_step(project: Project) -> Optional[HistoryStep]:
    """Make the earliest undone step again; None when there is nothing to redo."""
    return _move(project, undo=False)


def next_steps(project: Project) -> tuple[Optional[HistoryStep], Optional[HistoryStep]]:
    """The step an undo would take back and the one a redo would make again."""
    with project._read() as conn:
        return _next(conn, undo=True), _next(conn, undo=False)


def clear_history(project: Project) -> None:
    with project._write() as conn:
        conn.exec_driver_sql("DELETE FROM label_history")


def history_length(project: Project) -> int:
    with project._read() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM label_history").scalar_one())


def _move(project: Project, undo: bool) -> Optional[HistoryStep]:
    with project._write() as conn:
        row = _next_row(conn, undo)
        if row is None:
            return None
        stored = row.before if undo else row.after
        changes: dict[ExampleId, Any] = _decode_splits(stored) if row.kind == SPLITS else _decode(stored)
        existing = splits_of(conn, list(changes))  # a text deleted since is left out
        kept = {eid: value for eid, value in changes.items() if eid in existing}
        if row.kind == SPLITS:
            write_splits(conn, kept)
        else:
            replace_labels(conn, kept)
        conn.execute(text("UPDATE label_history SET undone = :undone WHERE id = :id"),
                     {"undone": int(undo), "id": row.id})
    return HistoryStep(row.action, row.label_name, tuple(changes), row.kind)


def _next_row(conn: Connection, undo: bool) -> Optional[Row[Any]]:
    query = ("SELECT * FROM label_history WHERE undone = 0 ORDER BY id DESC LIMIT 1" if undo
             else "SELECT * FROM label_history WHERE undone = 1 ORDER BY id LIMIT 1")
    return conn.exec_driver_sql(query).first()


def _next(conn: Connection, undo: bool) -> Optional[HistoryStep]:
    row = _next_row(conn, undo)
    if row is None:
        return None
    example_ids = tuple(ExampleId(eid) for eid, _ in json.loads(row.after))  # either kind: [[id, value], ...]
    return HistoryStep(row.action, row.label_name, example_ids, row.kind)


def _encode(labels: LabelsByText) -> str:
    return json.dumps([[int(eid), [int(lid) for lid in ids]] for eid, ids in labels.items()])


def _decode(value: str) -> LabelsByText:
    return {ExampleId(eid): tuple(LabelId(lid) for lid in ids) for eid, ids in json.loads(value)}


def _encode_splits(splits: SplitsByText) -> str:
    return json.dumps([[int(eid), split.value] for eid, split in splits.items()])


def _decode_splits(value: str) -> SplitsByText:
    return {ExampleId(eid): Split(split) for eid, split in json.loads(value)}
