"""The duplicate key of a text: the same after Unicode, case and whitespace normalisation."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable


def normalize_text(value: str) -> str:
    """NFKC (full-width to half-width), case folded, runs of whitespace made one space.

    Two shortcuts keep a million-row import fast and change no result: ASCII text is its own
    NFKC form, and text whose only whitespace (printable means: no other) is single inner
    spaces needs no collapsing.
    """
    folded = (value if value.isascii() else unicodedata.normalize("NFKC", value)).casefold()
    if folded.isprintable() and "  " not in folded and folded[:1] != " " and folded[-1:] != " ":
        return folded
    return " ".join(folded.split())


def normalized_text_hashes(values: Iterable[str]) -> list[int]:
    """Signed 64-bit hashes of the normalised texts, to fit SQLite INTEGERs (one loop for many)."""
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    return [
        from_bytes(blake2b(normalize_text(value).encode(), digest_size=8).digest(), "little", signed=True)
        for value in values
    ]


def normalized_text_hash(value: str) -> int:
    return normalized_text_hashes((value,))[0]
