"""How wide a text is on screen, in cells: a Chinese, Japanese or Korean character (East
Asian wide or full-width) takes two, a Latin letter one. Terminals draw exactly that, and in
a window's proportional font it is a far better guess of the pixels than a count of
characters: 24 Chinese characters are about as wide as 48 Latin ones."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """The cells ``text`` takes: East Asian wide and full-width characters two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def cut(text: str, width: int) -> str:
    """The longest start of ``text`` that fits in ``width`` cells."""
    used = 0
    for end, char in enumerate(text):
        used += display_width(char)
        if used > width:
            return text[:end]
    return text


def shorten(text: str, width: int) -> str:
    """``text`` cut with "…" where it is wider than ``width`` cells (the "…" included)."""
    return text if display_width(text) <= width else cut(text, width - 1) + "…"
