"""The project's tables as SQLAlchemy 2.0 typed models.

Only the store package sees these classes; everything it hands out is plain data (records.py).
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value settings of the project: schema version, multi-label flag, current run."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Example(Base):
    __tablename__ = "examples"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    # 64-bit hash of the normalised text: the duplicate key. Each import reads them all, and
    # nothing looks one up, so it has no index (schema 3 dropped it: scanning the index read
    # them no faster, and building it took 0.85 s of a million-row import).
    text_hash: Mapped[int] = mapped_column(Integer)
    split: Mapped[str] = mapped_column(String, default="unassigned")
    meta: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_examples_split", "split", "id"),)


class Label(Base):
    __tablename__ = "labels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    color: Mapped[str] = mapped_column(String)
    shortcut: Mapped[Optional[str]] = mapped_column(String, nullable=True)
    position: Mapped[int] = mapped_column(Integer)


class Annotation(Base):
    """One row per (example, label): single- and multi-label projects alike.

    WITHOUT ROWID (schema 2): the (example, label) key is the table itself, one B-tree
    instead of a table and its key index.
    """

    __tablename__ = "annotations"
    example_id: Mapped[int] = mapped_column(
        ForeignKey("examples.id", ondelete="CASCADE"), primary_key=True
    )
    label_id: Mapped[int] = mapped_column(
        ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        Index("ix_annotations_label", "label_id", "example_id"),
        {"sqlite_with_rowid": False},
    )


class Repeat(Base):
    """A later copy of a text in an imported file that carried other labels than the copy kept.

    The import keeps the first copy and skips the repeat (or keeps both, when asked), so the
    repeat's labels would be lost; here they stay, found by the labeling view's filter
    "Repeated with another label" and named in its detail pane. Schema 4.
    """

    __tablename__ = "repeats"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    example_id: Mapped[int] = mapped_column(ForeignKey("examples.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String)  # the file's name
    line: Mapped[int] = mapped_column(Integer)
    labels: Mapped[str] = mapped_column(Text)  # JSON list of the repeat's label names

    __table_args__ = (Index("ix_repeats_example", "example_id"),)


class Score(Base):
    """A number per text of some kind (a model's margin, a label-error score, ...), by which
    the labeling view can page: "least confident first" is the texts in ascending margin.

    The key starts with the example, so deleting a text finds its scores at once; the index
    on (kind, value, example) lets a page in score order walk it and stop. Schema 5.
    """

    __tablename__ = "scores"
    example_id: Mapped[int] = mapped_column(
        ForeignKey("examples.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        Index("ix_scores_kind_value", "kind", "value", "example_id"),
        {"sqlite_with_rowid": False},
    )


class Suggestion(Base):
    """A model's suggested label for a text, with its probability: shown while labelling,
    never a label until accepted (store/suggestions.py). Its uncertainty, by which the view
    pages "least confident first", is in ``scores``. Schema 7.

    No index besides the key: the filters look a text's suggestion up by its id, and every
    index more is a random write per text of each refresh (a deleted label scans the table).
    """

    __tablename__ = "suggestions"
    example_id: Mapped[int] = mapped_column(
        ForeignKey("examples.id", ondelete="CASCADE"), primary_key=True
    )
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"))
    confidence: Mapped[float] = mapped_column(Float)

    __table_args__ = ({"sqlite_with_rowid": False},)


class LabelHistoryStep(Base):
    """One undoable change of texts (store/history.py): each text's label ids, or its split,
    before and after.

    Written in the transaction of the change it records, so undo outlives the window. Schema 6;
    schema 8 added the kind, when splits became undoable.
    """

    __tablename__ = "label_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String, server_default="labels")  # "labels" or "splits"
    action: Mapped[str] = mapped_column(String)  # what the user did (ops.LabelAction)
    label_name: Mapped[Optional[str]] = mapped_column(String, nullable=True)  # or the split moved to
    # JSON in the order changed: [[example id, [label ids]], ...] or [[example id, split], ...]
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    undone: Mapped[int] = mapped_column(Integer, server_default="0")  # 1: undone, waiting for a redo
    created_at: Mapped[float] = mapped_column(Float)


class Run(Base):
    """A training run: its parameters, progress history, metrics and where its model lives."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    base_model: Mapped[str] = mapped_column(String)
    params: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String)  # a RunStatus value
    metrics: Mapped[str] = mapped_column(Text, default="{}")
    history: Mapped[str] = mapped_column(Text, default="[]")
    error: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    path: Mapped[Optional[str]] = mapped_column(String, nullable=True)
    started_at: Mapped[float] = mapped_column(Float)
    finished_at: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    # JSON: the process that runs it while it runs (bertdesk.core.owner), to tell a run whose
    # process was killed from one still training.
    owner: Mapped[Optional[str]] = mapped_column(Text, nullable=True)


class Prediction(Base):
    """A run's prediction for one of the project's texts; loss is set where the text has a label."""

    __tablename__ = "predictions"
    run_id: Mapped[int] = mapped_column(
        ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    example_id: Mapped[int] = mapped_column(
        ForeignKey("examples.id", ondelete="CASCADE"), primary_key=True
    )
    label_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("labels.id", ondelete="SET NULL"), nullable=True
    )
    # float32 probabilities in the order of the run's label list.
    probs: Mapped[bytes] = mapped_column(LargeBinary)
    margin: Mapped[float] = mapped_column(Float)
    loss: Mapped[Optional[float]] = mapped_column(Float, nullable=True)

    __table_args__ = (Index("ix_predictions_example", "example_id"),)
