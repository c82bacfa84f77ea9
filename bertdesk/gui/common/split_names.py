"""A split's name in the language of the moment, one wording wherever the window shows it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from bertdesk.core.types import Split

def split_name(split: Split) -> str:
    translate = QCoreApplication.translate
    names = {
        Split.TRAIN: translate("Split", "train"),
        Split.VALIDATION: translate("Split", "validation"),
        Split.TEST: translate("Split", "test"),
        Split.UNASSIGNED: translate("Split", "unassigned"),
    }
    return names[split]
