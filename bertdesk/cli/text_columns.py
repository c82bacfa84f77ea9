"""The commands' text for a terminal: columns that stay aligned when label names are Chinese
(a wide character takes two cells, so padding by ``len`` would push every column after it),
and counts and lists of skipped lines worded as one summary says them all."""

from __future__ import annotations

from bertdesk.core.text_width import display_width, shorten


def ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def rjust(text: str, width: int) -> str:
    return " " * max(0, width - display_width(text)) + text


LABEL_CELLS = 32  # the widest a table's label column gets: a longer name would push the numbers off screen


def label_cell(name: str) -> str:
    """``name`` as a table shows it: cut with "…" where it is wider than ``LABEL_CELLS``."""
    return shorten(name, LABEL_CELLS)


def label_column_width(names: list[str], *headings: str) -> int:
    """The cells a table's label column takes: its widest name as ``label_cell`` shows it, and
    no less than its heading ("label") or the other words it holds ("(any)")."""
    return max(display_width(text) for text in ["label", *headings, *map(label_cell, names)])


SHOWN_PROBLEMS = 5  # lines a command lists of those it skipped (duplicates, unreadable lines)


def listed_lines(problems: list[tuple[int, str]]) -> list[str]:
    """The first of a file's (line, why) as "  line N: why", then how many more there are."""
    shown = [f"  line {line}: {why}" for line, why in problems[:SHOWN_PROBLEMS]]
    more = len(problems) - SHOWN_PROBLEMS
    return shown + ([f"  … and {more:,} more"] if more > 0 else [])


def counted(count: int, noun: str, plural: str = "") -> str:
    """``count`` with its noun in the number it takes: "1 line", "2,048 lines"."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
