"""Right-to-left text (Arabic, Hebrew, Persian, Urdu) in a left-to-right window.

Qt lays out each line by the Unicode bidirectional algorithm, which is right for a text on
its own but reorders a sentence that holds one: the digits and commas between two Arabic
label names join their direction. These helpers keep such names apart and align such texts
where a reader of them looks first.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt

RIGHT_TO_LEFT = {"R", "AL"}  # the bidirectional classes of Hebrew and Arabic letters
STRONG = RIGHT_TO_LEFT | {"L"}


def isolated(name: str) -> str:
    """``name`` ready to stand inside a sentence. An Arabic or Hebrew name would otherwise carry
    the digits and commas beside it into its own direction: "1 = إيجابي, 2 = سلبي" showed as if
    1 were سلبي. Unicode's first-strong isolate marks keep it apart (Qt honours them); names
    without right-to-left letters are returned as they are."""
    if any(unicodedata.bidirectional(character) in RIGHT_TO_LEFT for character in name):
        return f"\u2068{name}\u2069"
    return name


def reads_right_to_left(text: str) -> bool:
    """Whether ``text`` is a right-to-left paragraph: its first letter with a direction
    (the rule by which a text editor aligns it) is Arabic or Hebrew."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in STRONG:
            return direction in RIGHT_TO_LEFT
    return False


def text_alignment(text: str) -> Qt.AlignmentFlag:
    """Where a table cell starts ``text``: at the right for an Arabic or Hebrew text, as an
    editor shows it, else at the left."""
    side = Qt.AlignmentFlag.AlignRight if reads_right_to_left(text) else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignVCenter
