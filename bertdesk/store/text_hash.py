"""The duplicate key of a text: the same after Unicode, case and whitespace normalisation."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable


def normalize_text(value: str) -> str:
    """NFKC (full-width to half-width), case folded, runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def normalized_text_hashes(values: Iterable[str]) -> list[int]:
    """Signed 64-bit hashes of the normalised texts, to fit SQLite INTEGERs (one loop for many)."""
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    return [
        from_bytes(blake2b(normalize_text(value).encode(), digest_size=8).digest(), "little", signed=True)
        for value in values
    ]


def normalized_text_hash(value: str) -> int:
    return normalized_text_hashes((value,))[0]
