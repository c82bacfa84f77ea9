"""The duplicate key of a text: the same after Unicode, case and whitespace normalisation."""

from __future__ import annotations

import hashlib
import unicodedata


def normalize_text(value: str) -> str:
    """NFKC (full-width to half-width), case folded, runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def normalized_text_hash(value: str) -> int:
    """A signed 64-bit hash of the normalised text, to fit an SQLite INTEGER."""
    digest = hashlib.blake2b(normalize_text(value).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)
