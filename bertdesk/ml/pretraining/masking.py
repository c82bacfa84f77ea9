"""Which tokens a masked-language-model step hides: 15 % of a text, whole words at a time.

BERT's recipe: choose 15 % of the tokens; of those, 80 % become the mask token, 10 % a
random token and 10 % stay as they are, and the model predicts all of them. Special tokens
([CLS], [SEP], padding) are never chosen and never drawn as the random token.

Whole-word masking hides every piece of a chosen word together, so the model cannot guess a
piece from the rest of its own word. Where a word ends is read from the vocabulary: a
WordPiece piece "##…" continues the word before it; a SentencePiece (or byte-level BPE) piece
without its word-start mark "▁" ("Ġ") continues it. Chinese has no spaces, so SentencePiece
would make a whole clause one "word": a piece with a CJK character is a word of its own
(character masking, the baseline; grouping characters into words needs a segmenter).
``transformers``' own collator cannot serve here: its whole-word mode joins pieces that touch
in the text, which is that same whole clause for Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from bertdesk.core.scripts import CJK_CHARACTER

IGNORED = -100  # the label of a position the loss skips (torch's cross-entropy default)
MASK_SHARE = 0.15
MASK_TOKEN_SHARE = 0.8
RANDOM_TOKEN_SHARE = 0.1
# A vocabulary marks word starts (or continuations) with one of these when at least this share
# of its pieces carries the mark.
MARKED_SHARE = 0.01
WORDPIECE_CONTINUATION = "##"
WORD_START_MARKS = ("\u2581", "\u0120")  # SentencePiece "▁", byte-level BPE "Ġ"
_SENTENCE = re.compile(r".+?(?:[。！？!?…]+[”」』\"']?|\.(?=\s)|\n|$)", re.S)


class TokenMasker:
    """Masks token-id sequences of one tokenizer; see the module docstring."""

    def __init__(self, tokenizer: Any, share: float = MASK_SHARE, whole_words: bool = True) -> None:
        if tokenizer.mask_token_id is None:
            from bertdesk.core import UserInputError

            raise UserInputError(
                "This model's tokenizer has no mask token, so it cannot learn by filling in masked words.",
                "Pick a BERT-style model (or start from scratch).",
            )
        self.share = share
        self.mask_id = int(tokenizer.mask_token_id)
        tokens = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
        self.special = np.zeros(len(tokens), dtype=bool)
        self.special[[i for i in tokenizer.all_special_ids if i < len(tokens)]] = True
        self.random_ids = np.flatnonzero(~self.special)
        self.cjk = np.array([bool(CJK_CHARACTER.search(token or "")) for token in tokens])
        self.continues = _continuations(tokenizer, tokens) if whole_words else np.zeros(len(tokens), dtype=bool)

    def words(self, ids: Sequence[int]) -> list[list[int]]:
        """The positions of ``ids`` grouped into words; special tokens belong to none."""
        groups: list[list[int]] = []
        boundary = True  # the next piece starts a word whatever it looks like
        for position, token in enumerate(ids):
            if self.special[token]:
                boundary = True
                continue
            if boundary or not self.continues[token] or self.cjk[token]:
                groups.append([position])
            else:
                groups[-1].append(position)
            boundary = bool(self.cjk[token])
        return groups

    def mask(self, ids: Sequence[int], rng: np.random.Generator) -> tuple[list[int], list[int]]:
        """The model's input (some tokens replaced) and the labels (the original token where
        one was chosen, ``IGNORED`` elsewhere)."""
        words = self.words(ids)
        candidates = sum(len(word) for word in words)
        inputs, labels = list(ids), [IGNORED] * len(ids)
        if not candidates:
            return inputs, labels
        budget = max(1, round(self.share * candidates))
        chosen: list[int] = []
        for index in rng.permutation(len(words)):
            if len(chosen) + len(words[index]) <= budget:  # a long word that would overshoot waits
                chosen += words[index]
                if len(chosen) == budget:
                    break
        if not chosen:  # every word is longer than the budget (a short text of long words)
            chosen = min(words, key=len)
        draws = rng.random(len(chosen))
        replacements = rng.choice(self.random_ids, size=len(chosen))
        for position, draw, replacement in zip(chosen, draws, replacements):
            labels[position] = inputs[position]
            if draw < MASK_TOKEN_SHARE:
                inputs[position] = self.mask_id
            elif draw < MASK_TOKEN_SHARE + RANDOM_TOKEN_SHARE:
                inputs[position] = int(replacement)
        return inputs, labels


def _continuations(tokenizer: Any, tokens: Sequence[str]) -> np.ndarray:
    """Per vocabulary id: does this piece continue the word before it?"""
    present = [token or "" for token in tokens]
    backend = getattr(tokenizer, "backend_tokenizer", None)
    wordpiece = type(getattr(backend, "model", None)).__name__ == "WordPiece"
    continuation_share = sum(token.startswith(WORDPIECE_CONTINUATION) for token in present) / len(present)
    if wordpiece or continuation_share >= MARKED_SHARE:
        return np.array([token.startswith(WORDPIECE_CONTINUATION) for token in present])
    counts = {mark: sum(token.startswith(mark) for token in present) for mark in WORD_START_MARKS}
    mark = max(counts, key=lambda key: counts[key])
    if counts[mark] >= MARKED_SHARE * len(present):
        return np.array([not token.startswith(mark) for token in present])
    return np.zeros(len(present), dtype=bool)  # no marks: every piece is a word


def split_sentences(text: str) -> list[str]:
    """The sentences of a text (after 。！？!?… , ". " and line breaks), for next-sentence pairs."""
    return [sentence.strip() for sentence in _SENTENCE.findall(text) if sentence.strip()]
