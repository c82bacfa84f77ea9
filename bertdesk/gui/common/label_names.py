"""Label names in widgets that would otherwise grow to fit the longest one.

A combo box is as wide as its longest item and a word-wrapped line as wide as its longest
word: one 300-character label name made the window 2,200 pixels wide.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox

from bertdesk.store import LabelInfo

SHOWN_CHARACTERS = 24


def short_label_name(name: str) -> str:
    """``name`` cut with "…" after ``SHOWN_CHARACTERS`` characters."""
    return name if len(name) <= SHOWN_CHARACTERS else name[: SHOWN_CHARACTERS - 1] + "…"


def fit_label_combo(combo: QComboBox) -> QComboBox:
    """``combo`` sized for names of about ``SHOWN_CHARACTERS`` characters, whatever it lists
    (its list still shows each name whole)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(SHOWN_CHARACTERS)
    return combo


def labels_with_keys(labels: Iterable[LabelInfo]) -> str:
    """"1 = positive, 2 = negative": the labels that have a key, for a line of key hints."""
    return ", ".join(f"{label.shortcut} = {short_label_name(label.name)}" for label in labels if label.shortcut)
