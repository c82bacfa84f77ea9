"""Does the model know the project's language? The share of [UNK] tokens says so before training.

An English vocabulary on Chinese text turns most characters into [UNK]; training then
reaches chance-level accuracy without any error. This check turns that into a warning. The
same share of one text tells the Predict tab that a confident-looking answer is a guess.

The same measures choose between the two built-in models ("auto", the default): the English
one where it reads the texts as English, the multilingual one otherwise.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from bertdesk.core import Sentence
from bertdesk.ml.data import special_tokens
from bertdesk.ml.hf_imports import load_transformers
from bertdesk.ml.sources import DEFAULT_MODEL, MULTILINGUAL_MODEL, check_tokenizer_fits, default_model_dir

UNK_WARNING = 0.05
# "auto" keeps the English model only where it reads the texts as English: almost no unknown
# words, and few pieces per word. Measured with its tokenizer: SST-2 1.31 and CLINC150 1.06
# pieces per word; French, German and Spanish reviews 2.0-2.1, Indonesian 2.8, Russian 6.8
# (letters it knows, words it does not), waimai (Chinese) 6.3 with 69% unknown.
ENGLISH_UNKNOWN = 0.02
ENGLISH_PIECES_PER_WORD = 1.6
CHOICE_SAMPLE = 500  # texts the choice reads: enough to tell a language apart
_WORD = re.compile(r"\w+")
GUESS_WARNING = 0.2  # [UNK] share of one text above which its prediction is called a guess
TRUNCATION_WARNING = 0.2


@dataclass(frozen=True)
class CoverageReport:
    unk_rate: float
    truncated_rate: float
    texts_checked: int
    warning: Optional[Sentence]  # what the person training should know, shown translated
    suggestion: Optional[Sentence]  # and what to do about it


def _mostly_cjk(texts: Sequence[str]) -> bool:
    letters = [ch for text in texts for ch in text if ch.isalpha()]
    cjk = sum(1 for ch in letters if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    return bool(letters) and cjk / len(letters) > 0.3


def vocabulary_coverage(
    model_dir: Path, texts: Sequence[str], max_length: int = 128, sample: int = 2000
) -> CoverageReport:
    """Measure [UNK] share and cut texts on a seeded sample of ``texts``."""
    load_transformers()
    from transformers import AutoConfig, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir, trust_remote_code=False)
    # Said as soon as the model is picked, not when its run fails at the first step.
    check_tokenizer_fits(model_dir, tokenizer, AutoConfig.from_pretrained(model_dir, trust_remote_code=False))
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
        warning = Sentence("This model does not know {unknown:.0%} of the words in your texts, so it will "
                           "learn little from them.", unknown=unk_rate)
        suggestion = (
            Sentence("Your texts are mostly Chinese: pick the built-in multilingual model (it works offline), "
                     "or where you are online a Chinese model such as bert-base-chinese.")
            if _mostly_cjk(chosen) else
            Sentence("Pick the built-in multilingual model (it works offline and reads about 100 languages), "
                     "or where you are online a model made for your texts' language.")
        )
    elif truncated > TRUNCATION_WARNING:
        warning = Sentence("{share:.0%} of your texts are longer than {max_length} tokens and will be cut.",
                           share=truncated, max_length=max_length)
        suggestion = Sentence("Raise the max length, or choose head+tail truncation to keep both ends.")
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


@dataclass(frozen=True)
class ModelChoice:
    """The built-in model "auto" picked, and why, in words for the person training."""

    spec: str
    reason: Sentence


def choose_builtin_model(texts: Sequence[str], sample: int = CHOICE_SAMPLE) -> ModelChoice:
    """The English built-in where its vocabulary reads ``texts`` as English, else the
    multilingual one (Chinese, mixed, other languages and scripts)."""
    load_transformers()
    from transformers import AutoTokenizer

    chosen = [str(text) for text in texts]
    if len(chosen) > sample:
        chosen = random.Random(0).sample(chosen, sample)
    if not chosen:
        return ModelChoice(DEFAULT_MODEL, Sentence("No labelled texts yet: the English built-in model until there are."))
    tokenizer = AutoTokenizer.from_pretrained(default_model_dir(), trust_remote_code=False)
    encoded = tokenizer(chosen, add_special_tokens=False, truncation=False)["input_ids"]
    pieces = sum(len(ids) for ids in encoded)
    unknown = sum(_unknown_count(tokenizer, ids) for ids in encoded) / max(pieces, 1)
    pieces_per_word = pieces / max(1, sum(len(_WORD.findall(text)) for text in chosen))
    if unknown <= ENGLISH_UNKNOWN and pieces_per_word <= ENGLISH_PIECES_PER_WORD:
        return ModelChoice(DEFAULT_MODEL, Sentence(
            "The texts read as English, so the run uses the English built-in model (the faster of the two)."
        ))
    why = (
        Sentence("the English model does not know {unknown:.0%} of their words", unknown=unknown)
        if unknown > ENGLISH_UNKNOWN else
        Sentence("the English model splits their words into {pieces:.1f} pieces each, as in "
                 "a language other than English", pieces=pieces_per_word)
    )
    return ModelChoice(MULTILINGUAL_MODEL, Sentence(
        "The texts are not English ({why}), so the run uses the multilingual built-in model.", why=why
    ))
