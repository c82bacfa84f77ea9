"""Does the model know the project's language? The share of [UNK] tokens says so before training.

An English vocabulary on Chinese text turns most characters into [UNK]; training then
reaches chance-level accuracy without any error. This check turns that into a warning. The
same share of one text tells the Predict tab that a confident-looking answer is a guess.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from bertdesk.ml.data import special_tokens
from bertdesk.ml.hf_imports import load_transformers

UNK_WARNING = 0.05
GUESS_WARNING = 0.2  # [UNK] share of one text above which its prediction is called a guess
TRUNCATION_WARNING = 0.2


@dataclass(frozen=True)
class CoverageReport:
    unk_rate: float
    truncated_rate: float
    texts_checked: int
    warning: Optional[str]
    suggestion: Optional[str]


def _mostly_cjk(texts: Sequence[str]) -> bool:
    letters = [ch for text in texts for ch in text if ch.isalpha()]
    cjk = sum(1 for ch in letters if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    return bool(letters) and cjk / len(letters) > 0.3


def vocabulary_coverage(
    model_dir: Path, texts: Sequence[str], max_length: int = 128, sample: int = 2000
) -> CoverageReport:
    """Measure [UNK] share and cut texts on a seeded sample of ``texts``."""
    load_transformers()
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir, trust_remote_code=False)
    chosen = list(texts)
    if len(chosen) > sample:
        chosen = random.Random(0).sample(chosen, sample)
    if not chosen:
        return CoverageReport(0.0, 0.0, 0, None, None)
    encoded = tokenizer(chosen, add_special_tokens=False, truncation=False)["input_ids"]
    total = sum(len(ids) for ids in encoded)
    unknown = sum(_unknown_count(tokenizer, ids) for ids in encoded)
    prefix, suffix = special_tokens(tokenizer)
    budget = max_length - len(prefix) - len(suffix)
    truncated = sum(1 for ids in encoded if len(ids) > budget) / len(encoded)
    unk_rate = unknown / total if total else 0.0
    warning = suggestion = None
    if unk_rate > UNK_WARNING:
        warning = (
            f"This model does not know {unk_rate:.0%} of the words in your texts: it will "
            "learn little from them."
        )
        suggestion = (
            "Your texts are mostly Chinese: pick a Chinese model such as bert-base-chinese "
            "or hfl/chinese-roberta-wwm-ext."
            if _mostly_cjk(chosen)
            else "Pick a model trained on your texts' language (a multilingual one such as "
            "bert-base-multilingual-cased works for most)."
        )
    elif truncated > TRUNCATION_WARNING:
        warning = f"{truncated:.0%} of your texts are longer than {max_length} tokens and will be cut."
        suggestion = "Raise max length, or choose head+tail truncation to keep both ends."
    return CoverageReport(unk_rate, truncated, len(chosen), warning, suggestion)


def unknown_shares(tokenizer: Any, texts: Sequence[str]) -> list[float]:
    """Per text, the share of its tokens that are [UNK]: words the model's vocabulary lacks."""
    if not texts:
        return []
    encoded = tokenizer([str(text) for text in texts], add_special_tokens=False, truncation=False)
    return [_unknown_count(tokenizer, ids) / len(ids) if ids else 0.0 for ids in encoded["input_ids"]]


def _unknown_count(tokenizer: Any, ids: list[int]) -> int:
    unk_id = tokenizer.unk_token_id
    return ids.count(unk_id) if unk_id is not None else 0
