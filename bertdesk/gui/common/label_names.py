"""Label names in widgets that would otherwise grow to fit the longest one.

A combo box is as wide as its longest item and a word-wrapped line as wide as its longest
word: one 300-character label name made the window 2,200 pixels wide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Optional

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox

from bertdesk.core.text_width import shorten
from bertdesk.gui.common.bidi import isolated
from bertdesk.store import LabelInfo

# About 24 Latin letters or 12 Chinese characters (a combo box's minimum contents length is
# counted in Latin letters too).
SHOWN_CELLS = 24
FINDER_LABELS = 12  # more labels than this get a field that finds one by its name


def short_label_name(name: str) -> str:
    """``name`` cut with "…" where it is wider than ``SHOWN_CELLS`` (a Chinese character
    takes two)."""
    return shorten(name, SHOWN_CELLS)


def found_label(names: Sequence[str], typed: str) -> Optional[int]:
    """Which of ``names`` a label finder's Enter gives: the one named exactly what was typed
    (in any case), else the first whose name holds it; None when nothing is typed or matches.
    Exact first, so that "balance" gives balance, not bill_balance listed before it."""
    wanted = typed.strip().lower()
    if not wanted:
        return None
    lowered = [name.lower() for name in names]
    if wanted in lowered:
        return lowered.index(wanted)
    return next((position for position, name in enumerate(lowered) if wanted in name), None)


def some_label_names(names: Sequence[str], most: int) -> str:
    """"a, b, c and 142 more": the first ``most`` names, each cut short, and how many are left."""
    shown = ", ".join(isolated(short_label_name(name)) for name in names[:most])
    if len(names) > most:
        shown += " " + QCoreApplication.translate("LabelNames", "and %n more", "", len(names) - most)
    return shown


def fit_label_combo(combo: QComboBox) -> QComboBox:
    """``combo`` sized for names of about ``SHOWN_CELLS`` Latin letters, whatever it lists
    (its list still shows each name whole)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(SHOWN_CELLS)
    return combo


def labels_with_keys(labels: Iterable[LabelInfo]) -> str:
    """"1 = positive, 2 = negative": the labels that have a key, for a line of key hints."""
    return ", ".join(f"{label.shortcut} = {isolated(short_label_name(label.name))}"
                     for label in labels if label.shortcut)
