"""From texts to batches: tokenise once, cut long texts, group similar lengths, pad per batch.

Padding each batch only to its longest text, with batches drawn from texts of similar
length, is most of why bertdesk trains faster than the tutorial loop (which pads every text
to the longest of the whole split).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

# Batches whose texts are sorted together before the batch order is shuffled. Wider spans pad
# less but make each batch's texts alike: on 8,000 SST-2 texts (benchmarks/train_speed.py,
# seeds 0-2) a span of 50 reached dev accuracy 0.827-0.839 at 92-109 texts/s, a span of 8
# 0.843-0.854 at 82-92 texts/s, random batches 0.837 at 45 texts/s.
BUCKET_SPAN = 8


def special_tokens(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The ids put before and after a single text ([CLS] … [SEP] for BERT, <s> … </s> for RoBERTa)."""
    marked = tokenizer("a", add_special_tokens=True)["input_ids"]
    plain = tokenizer("a", add_special_tokens=False)["input_ids"]
    start = marked.index(plain[0]) if plain and plain[0] in marked else 1
    return list(marked[:start]), list(marked[start + len(plain) :])


def encode_texts(
    tokenizer: Any, texts: Sequence[str], max_length: int, truncation: str = "head"
) -> tuple[list[list[int]], int]:
    """Token ids of each text with special tokens, cut to ``max_length`` by ``truncation``.

    Returns the ids and how many texts were cut. "head" keeps the start, "tail" the end,
    "head+tail" a quarter from the start and the rest from the end (long reviews often
    conclude at the end).
    """
    prefix, suffix = special_tokens(tokenizer)
    budget = max_length - len(prefix) - len(suffix)
    encoded = tokenizer(list(texts), add_special_tokens=False, truncation=False)["input_ids"]
    result = []
    cut = 0
    for ids in encoded:
        if len(ids) > budget:
            cut += 1
            ids = cut_ids(ids, budget, truncation)
        result.append(prefix + list(ids) + suffix)
    return result, cut


def cut_ids(ids: Sequence[int], budget: int, truncation: str) -> list[int]:
    if truncation == "tail":
        return list(ids[len(ids) - budget :])
    if truncation == "head+tail":
        head = budget // 4
        return list(ids[:head]) + list(ids[len(ids) - (budget - head) :])
    return list(ids[:budget])


def bucketed_batches(
    lengths: Sequence[int], batch_size: int, rng: random.Random
) -> list[list[int]]:
    """Shuffled batches of indices whose texts have similar lengths."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    span = batch_size * BUCKET_SPAN
    batches: list[list[int]] = []
    for start in range(0, len(order), span):
        chunk = sorted(order[start : start + span], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def sorted_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Batches in order of length, for evaluation (least padding; order does not matter)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def collate(sequences: Sequence[Sequence[int]], pad_id: int) -> dict[str, Any]:
    """Pad to the longest sequence of this batch only; returns input_ids and attention_mask."""
    import torch

    longest = max(len(ids) for ids in sequences)
    input_ids = torch.full((len(sequences), longest), pad_id, dtype=torch.long)
    attention = torch.zeros((len(sequences), longest), dtype=torch.long)
    for row, ids in enumerate(sequences):
        input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        attention[row, : len(ids)] = 1
    return {"input_ids": input_ids, "attention_mask": attention}
