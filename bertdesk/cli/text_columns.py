"""Terminal columns that stay aligned when label names are Chinese: a wide character takes
two cells of a terminal, so padding by ``len`` would push every column after it."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """The terminal cells ``text`` takes: East Asian wide and full-width characters two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def rjust(text: str, width: int) -> str:
    return " " * max(0, width - display_width(text)) + text


def cut(text: str, width: int) -> str:
    """The longest start of ``text`` that fits in ``width`` cells."""
    used = 0
    for end, char in enumerate(text):
        used += display_width(char)
        if used > width:
            return text[:end]
    return text


LABEL_CELLS = 32  # the widest a table's label column gets: a longer name would push the numbers off screen


def label_cell(name: str) -> str:
    """``name`` as a table shows it: cut with "…" where it is wider than ``LABEL_CELLS``."""
    return name if display_width(name) <= LABEL_CELLS else cut(name, LABEL_CELLS - 1) + "…"
