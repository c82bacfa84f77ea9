"""Labels and annotations: the label set, who carries which label, and the counts per label.

One row per (example, label) in ``annotations`` serves single- and multi-label projects
alike; a label change is one short transaction that returns what the texts had (for undo).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any, Optional

from sqlalchemy import Connection, delete, func, insert, select, text, update

from bertdesk.core.errors import UserInputError
from bertdesk.core.types import ExampleId, LabelId, Split
from bertdesk.store.models import Annotation, Example, Label
from bertdesk.store.project_file import IN_CHUNK, ProjectFile, chunks, inserted_id, write_setting
from bertdesk.store.records import LabelInfo, ProjectStats

LABEL_COLORS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)
DIGIT_KEYS = "1234567890"  # the default label shortcuts, in the order they are given


class LabelStore(ProjectFile):
    """The labels of a project, the texts' annotations, the labeling mode and the counts."""

    def set_multi_label(self, multi_label: bool) -> None:
        """Choose one label per text or several, while the project holds no texts (the import
        wizard asks once the file's labels are seen); a project with texts keeps its mode."""
        if multi_label == self.multi_label:
            return
        with self._write() as conn:
            if conn.execute(select(func.count()).select_from(Example)).scalar_one():
                raise UserInputError(
                    "This project already holds texts, so it keeps its labeling mode.",
                    "Create a new project for texts with the other mode.",
                )
            write_setting(conn, "multi_label", "1" if multi_label else "0")
        self.multi_label = multi_label

    # -------------------------------------------------------------------- labels
    def labels(self) -> list[LabelInfo]:
        with self._read() as conn:
            return read_labels(conn)

    def label_by_name(self, name: str) -> Optional[LabelInfo]:
        return next((label for label in self.labels() if label.name == name), None)

    def require_label(self, name: str) -> LabelInfo:
        label = self.label_by_name(name)
        if label is None:
            known = ", ".join(label.name for label in self.labels()) or "none yet"
            raise UserInputError(
                "No label named {name!r}.",
                "Known labels: {known}.",
                name=name,
                known=known,
            )
        return label

    def add_label(
        self, name: str, color: Optional[str] = None, shortcut: Optional[str] = None
    ) -> LabelInfo:
        """Add a label; colour and number-key shortcut default to the next free ones."""
        with self._write() as conn:
            label_id = insert_label(conn, name, color, shortcut)
        return next(label for label in self.labels() if label.id == label_id)

    def update_label(
        self,
        label_id: LabelId,
        *,
        name: Optional[str] = None,
        color: Optional[str] = None,
        shortcut: Optional[str] = None,
        clear_shortcut: bool = False,
    ) -> None:
        values: dict[str, Any] = {}
        if name is not None:
            values["name"] = clean_label_name(name)
        if color is not None:
            values["color"] = color
        if shortcut is not None or clear_shortcut:
            values["shortcut"] = None if clear_shortcut else shortcut
        if not values:
            return
        with self._write() as conn:
            if "name" in values and conn.execute(
                select(Label.id).where(Label.name == values["name"], Label.id != label_id)
            ).first():
                raise UserInputError(
                    "A label named {name!r} exists already.",
                    "Pick another name, or merge the two labels.",
                    name=values["name"],
                )
            if values.get("shortcut") and conn.execute(
                select(Label.id).where(Label.shortcut == values["shortcut"], Label.id != label_id)
            ).first():
                raise UserInputError(
                    "The shortcut {shortcut!r} is in use.",
                    "Pick another key.",
                    shortcut=values["shortcut"],
                )
            conn.execute(update(Label).where(Label.id == label_id).values(**values))

    def reorder_labels(self, label_ids: Sequence[LabelId]) -> None:
        with self._write() as conn:
            for position, label_id in enumerate(label_ids):
                conn.execute(update(Label).where(Label.id == label_id).values(position=position))

    def label_usage(self, label_id: LabelId) -> int:
        """How many texts carry this label (said before a merge or delete)."""
        with self._read() as conn:
            return conn.execute(
                select(func.count()).select_from(Annotation).where(Annotation.label_id == label_id)
            ).scalar_one()

    def merge_labels(self, source_id: LabelId, target_id: LabelId) -> int:
        """Give every text labelled ``source`` the label ``target`` instead, then drop ``source``.

        Returns how many texts were touched.
        """
        if source_id == target_id:
            raise UserInputError("A label cannot be merged into itself.", "Pick two labels.")
        now = time.time()
        with self._write() as conn:
            touched = conn.execute(
                select(func.count()).select_from(Annotation).where(Annotation.label_id == source_id)
            ).scalar_one()
            conn.execute(
                text("INSERT OR IGNORE INTO annotations(example_id, label_id, created_at) "
                     "SELECT example_id, :t, :now FROM annotations WHERE label_id = :s"),
                {"t": target_id, "s": source_id, "now": now},
            )
            conn.execute(delete(Label).where(Label.id == source_id))
        return touched

    def delete_label(self, label_id: LabelId) -> int:
        """Delete a label and its annotations; returns how many texts lost it."""
        with self._write() as conn:
            touched = conn.execute(
                select(func.count()).select_from(Annotation).where(Annotation.label_id == label_id)
            ).scalar_one()
            conn.execute(delete(Label).where(Label.id == label_id))
        return touched

    # --------------------------------------------------------------- annotation
    def set_labels(
        self, example_id: ExampleId, label_ids: Iterable[LabelId]
    ) -> tuple[LabelId, ...]:
        """Replace an example's labels; returns the labels it had (for undo). Committed on return."""
        return self.set_labels_many([example_id], label_ids)[example_id]

    def set_labels_many(
        self, example_ids: Sequence[ExampleId], label_ids: Iterable[LabelId]
    ) -> dict[ExampleId, tuple[LabelId, ...]]:
        """Give each example exactly ``label_ids`` in one transaction; returns what each had."""
        wanted = tuple(dict.fromkeys(label_ids))
        if len(wanted) > 1 and not self.multi_label:
            raise UserInputError(
                "This project gives each text one label.",
                "Pick one label, or create a multi-label project.",
            )
        with self._write() as conn:
            before = labels_of(conn, example_ids)
            replace_labels(conn, {example_id: wanted for example_id in example_ids})
        return before

    def restore_labels(self, previous: dict[ExampleId, tuple[LabelId, ...]]) -> None:
        """Put back labels returned by a set_labels call: the undo of a label change."""
        with self._write() as conn:
            replace_labels(conn, previous)

    def toggle_label(self, example_id: ExampleId, label_id: LabelId) -> tuple[LabelId, ...]:
        """Multi-label projects: add the label if absent, remove it if present. Returns before."""
        with self._write() as conn:
            before = labels_of(conn, [example_id])[example_id]
            after = tuple(x for x in before if x != label_id)
            if label_id not in before:
                after = after + (label_id,) if self.multi_label else (label_id,)
            replace_labels(conn, {example_id: after})
        return before

    def clear_labels(self, example_ids: Sequence[ExampleId]) -> dict[ExampleId, tuple[LabelId, ...]]:
        return self.set_labels_many(example_ids, ())

    # --------------------------------------------------------------------- stats

    def labels_of(self, example_ids: Sequence[ExampleId]) -> dict[ExampleId, tuple[LabelId, ...]]:
        """Each text's labels in one read (a view showing what an operation changed)."""
        with self._read() as conn:
            return labels_of(conn, example_ids)
    def stats(self) -> ProjectStats:
        """Texts per split, labelled texts, and texts per label and split.

        Both queries walk the (split, id) index and look annotations up by example, in id
        order: a million texts count in about a second, where joining from the annotations
        to the texts' rows took 1.4 s.
        """
        with self._read() as conn:
            labels = read_labels(conn)
            per_label_split: dict[LabelId, dict[Split, int]] = {label.id: {} for label in labels}
            per_split_rows = conn.execute(text(
                "SELECT split, count(*), sum(EXISTS (SELECT 1 FROM annotations a"
                " WHERE a.example_id = e.id)) FROM examples e GROUP BY split"
            )).all()
            rows = conn.execute(text(
                "SELECT a.label_id, e.split, count(*) FROM examples e"
                " CROSS JOIN annotations a ON a.example_id = e.id GROUP BY a.label_id, e.split"
            ))
            for label_id, split, count in rows:
                per_label_split[LabelId(label_id)][Split(split)] = count
        per_split = {Split(split): count for split, count, _labelled in per_split_rows}
        total = sum(per_split.values())
        labelled = sum(int(count or 0) for _split, _count, count in per_split_rows)
        per_label = {label_id: sum(splits.values()) for label_id, splits in per_label_split.items()}
        return ProjectStats(total, labelled, tuple(labels), per_label, per_split, per_label_split)


def read_labels(conn: Connection) -> list[LabelInfo]:
    rows = conn.execute(select(Label).order_by(Label.position, Label.id)).all()
    return [LabelInfo(LabelId(r.id), r.name, r.color, r.shortcut, r.position) for r in rows]


def insert_label(
    conn: Connection, name: str, color: Optional[str], shortcut: Optional[str]
) -> LabelId:
    """Add a label inside ``conn``'s transaction (an import creates labels on first sight)."""
    name = clean_label_name(name)
    existing = conn.execute(select(Label.id).where(Label.name == name)).first()
    if existing is not None:
        raise UserInputError(
            "A label named {name!r} exists already.",
            "Pick another name.",
            name=name,
        )
    count = conn.execute(select(func.count()).select_from(Label)).scalar_one()
    taken = set(conn.execute(select(Label.shortcut)).scalars())
    if shortcut is None:
        shortcut = _default_shortcut(name, taken)
    elif shortcut in taken:
        raise UserInputError(
            "The shortcut {shortcut!r} is in use.",
            "Pick another key.",
            shortcut=shortcut,
        )
    position = conn.execute(select(func.coalesce(func.max(Label.position), -1))).scalar_one()
    result = conn.execute(
        insert(Label).values(
            name=name,
            color=color or LABEL_COLORS[count % len(LABEL_COLORS)],
            shortcut=shortcut,
            position=position + 1,
        )
    )
    return LabelId(inserted_id(result))


def labels_of(
    conn: Connection, example_ids: Sequence[ExampleId]
) -> dict[ExampleId, tuple[LabelId, ...]]:
    """Each example's labels, in the labels' order."""
    result: dict[ExampleId, list[LabelId]] = {example_id: [] for example_id in example_ids}
    for chunk in chunks(list(example_ids), IN_CHUNK):
        rows = conn.execute(
            select(Annotation.example_id, Annotation.label_id)
            .join(Label, Label.id == Annotation.label_id)
            .where(Annotation.example_id.in_(chunk))
            .order_by(Annotation.example_id, Label.position)
        )
        for example_id, label_id in rows:
            result[ExampleId(example_id)].append(LabelId(label_id))
    return {example_id: tuple(ids) for example_id, ids in result.items()}


def replace_labels(conn: Connection, labels: dict[ExampleId, tuple[LabelId, ...]]) -> None:
    """Give each example exactly its labels.

    An undo step can name a label that was merged or deleted since: it is refused as a
    whole (the rollback keeps every text as it was) instead of failing half-way on the
    foreign key.
    """
    wanted = {label_id for label_ids in labels.values() for label_id in label_ids}
    if wanted:
        known = set(conn.execute(select(Label.id).where(Label.id.in_(wanted))).scalars())
        if known != wanted:
            raise UserInputError(
                "A label of this change was merged or deleted meanwhile.",
                "Label the text again with one of the labels there are now.",
            )
    now = time.time()
    for chunk in chunks(list(labels), IN_CHUNK):
        conn.execute(delete(Annotation).where(Annotation.example_id.in_(chunk)))
    rows = [
        {"example_id": example_id, "label_id": label_id, "created_at": now}
        for example_id, label_ids in labels.items()
        for label_id in label_ids
    ]
    if rows:
        conn.execute(insert(Annotation), rows)


def clean_label_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise UserInputError("A label name cannot be empty.", "Type a name for the label.")
    return cleaned


def _default_shortcut(name: str, taken: set[Optional[str]]) -> Optional[str]:
    """A label named by a digit gets that digit, so that key 0 sets the label "0" (most CSVs
    label 0/1); other labels get the next free digit, 1 to 9, then 0."""
    if len(name) == 1 and name in DIGIT_KEYS and name not in taken:
        return name
    return next((key for key in DIGIT_KEYS if key not in taken), None)
