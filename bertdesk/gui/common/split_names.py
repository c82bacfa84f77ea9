"""A split's name in the language of the moment, one wording wherever the window shows it."""

from __future__ import annotations

from bertdesk.core.types import Split
from bertdesk.gui.common.errors import translated_text


def split_name(split: Split) -> str:
    return translated_text(split.words)
