"""What an import did: shared by the row reader (``importers``) and the columnar path, which
tally into the same report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

LISTED_NEW_LABELS = 20  # new label names a summary of the import lists; CLINC150 makes 150


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    added: int = 0
    skipped_empty: int = 0
    skipped_duplicates: int = 0
    already_in_project: int = 0  # of the skipped duplicates, texts the project had before the file
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (line, text), first 100
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    labels_created: list[str] = field(default_factory=list)
    labels_folded: dict[str, str] = field(default_factory=dict)  # another spelling of a label -> the label
    missing_label_marks: dict[str, None] = field(default_factory=dict)  # "nan", "null"…: read as no label
    per_split: dict[str, int] = field(default_factory=dict)
    encoding: Optional[str] = None
    kept_duplicates: int = 0  # duplicates imported anyway (skip_duplicates off)
    conflicting_duplicates: int = 0  # duplicates in the file whose labels differ from the first copy
    labelled_existing: int = 0  # texts already in the project, unlabelled, given the file's labels
    split_existing: int = 0  # texts already in the project, in no split, put in the file's split
    kept_split: int = 0  # texts already in the project in another split than the file names: kept it
    text_column: Optional[str] = None  # the column read as the text (guessed when not given)
    text_column_guessed: bool = False  # chosen by its values' length: no column name said
    has_header: bool = True  # False: the file's first row was read as a text, not as column names
    title_rows: list[str] = field(default_factory=list)  # the cells of the rows skipped above the header

    def spellings_by_label(self) -> dict[str, list[str]]:
        """Each label the file also writes otherwise, with those other spellings."""
        spellings: dict[str, list[str]] = {}
        for spelling, label in self.labels_folded.items():
            spellings.setdefault(label, []).append(spelling)
        return spellings

    def joined_spellings(self) -> str:
        """The spellings read as one label, as the CLI and the wizard list them:
        "positive, POSITIVE → Positive; Negative → negative"."""
        return "; ".join(f"{', '.join(written)} → {label}" for label, written in self.spellings_by_label().items())
