"""Pretraining settings: one dataclass, and a plain-words sentence for each field."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Optional

from bertdesk.core import Sentence, UserInputError
from bertdesk.ml.config import PRECISIONS
from bertdesk.ml.pretraining.scratch import LAYERS, VOCABULARY_SIZE, WIDTH
from bertdesk.ml.sources import AUTO_MODEL

SCRATCH = "scratch"  # the base of a model grown from random weights

# Adapting a trained model takes small steps (it already knows the language; BERT's own
# fine-tuning range); a model from random weights needs larger ones (BERT-small and -mini were
# pretrained at 1e-4 with batches of 256 texts; ours are 32 texts, so fewer and noisier steps).
ADAPT_LEARNING_RATE = 5e-5
SCRATCH_LEARNING_RATE = 5e-4
# A prediction head the base lacks (the multilingual built-in, a sentence encoder, has none)
# starts from random values: it learns at its own, larger rate, as a classifier's new layer
# does, so the encoder is not pulled about by a head that still guesses at random.
HEAD_LEARNING_RATE = 1e-3

FIELD_HELP: dict[str, Sentence] = {
    "base": Sentence("What to start from: auto (the built-in model for your texts' language), a model "
                     "the project can train from, or scratch (a new vocabulary and a small model from random weights)."),
    "epochs": Sentence("How many times to go through the texts (unless a number of steps is set)."),
    "steps": Sentence("How many learning steps to take; overrides the epochs."),
    "include_test": Sentence("Also learn from the test texts. Off by default: a model that has read the "
                             "test texts scores better on them than on new texts, so the test score would flatter it."),
    "batch_size": Sentence("How many texts are learnt from in one step."),
    "max_length": Sentence("Longest sequence, in tokens; a longer text is read in several pieces."),
    "learning_rate": Sentence("How big each learning step is (empty: 5e-5 to adapt a model, 5e-4 from scratch)."),
    "head_learning_rate": Sentence("Learning rate of a prediction head the model did not have: it starts "
                                   "from random values, so it needs larger steps."),
    "mask_share": Sentence("Share of the tokens hidden for the model to fill in (BERT: 0.15)."),
    "whole_words": Sentence("Hide all pieces of a word together, so the model cannot guess a piece from the rest of its word."),
    "next_sentence": Sentence("Also learn whether the second part of a text follows the first "
                              "(texts of two sentences or more; BERT did, RoBERTa found it unnecessary)."),
    "held_out_share": Sentence("Share of the texts kept aside to measure the loss and perplexity on."),
    "evaluations": Sentence("How many times during the run the held-out texts are scored."),
    "train_word_embeddings": Sentence("Also train the word-embedding table when adapting a model (always from scratch)."),
    "vocabulary_size": Sentence("From scratch: the most pieces the new vocabulary may have."),
    "layers": Sentence("From scratch: how many layers the new model has."),
    "width": Sentence("From scratch: how wide each layer of the new model is."),
}


@dataclass
class PretrainConfig:
    """Everything a pretraining run needs besides the project; kept in its record."""

    base: str = AUTO_MODEL  # a model spec, or "scratch"
    epochs: float = 1.0
    steps: Optional[int] = None  # overrides ``epochs``
    include_test: bool = False
    batch_size: int = 32
    max_length: int = 128
    learning_rate: Optional[float] = None  # None: ADAPT_ or SCRATCH_LEARNING_RATE
    head_learning_rate: float = HEAD_LEARNING_RATE
    warmup_ratio: float = 0.06
    weight_decay: float = 0.01
    mask_share: float = 0.15
    whole_words: bool = True
    # Off, as RoBERTa found: on waimai_10k (benchmarks/pretraining.py, the 4 x 256 model from
    # scratch, 12,000 steps, one seed) next-sentence prediction took 28 % longer (2,813 s against
    # 2,197 s) and its model scored 0.844 against 0.859 fine-tuned on 500 labels, 0.903 against
    # 0.899 on all 9,590: no gain that holds.
    next_sentence: bool = False
    held_out_share: float = 0.05
    evaluations: int = 10
    # The multilingual model's 250k-row table is 96M of its 118M weights: frozen, a step is
    # faster and the optimiser holds a fifth of the memory (fine-tuning freezes it too).
    train_word_embeddings: bool = False
    vocabulary_size: int = VOCABULARY_SIZE
    layers: int = LAYERS
    width: int = WIDTH
    seed: int = 0
    device: str = "auto"
    precision: str = "auto"
    allow_unsafe_weights: bool = False

    @property
    def from_scratch(self) -> bool:
        return self.base == SCRATCH

    @property
    def rate(self) -> float:
        """The learning rate this run uses."""
        if self.learning_rate is not None:
            return self.learning_rate
        return SCRATCH_LEARNING_RATE if self.from_scratch else ADAPT_LEARNING_RATE

    def validate(self) -> None:
        problems = []
        if self.epochs <= 0 or (self.steps is not None and self.steps < 1):
            problems.append("epochs must be above 0 and steps at least 1")
        if self.batch_size < 1:
            problems.append("the batch size must be at least 1")
        if not 8 <= self.max_length <= 8192:
            problems.append("max length must be between 8 and 8192 tokens")
        if any(rate is not None and not 0 < rate < 1 for rate in (self.learning_rate, self.head_learning_rate)):
            problems.append("the learning rates must be between 0 and 1 (e.g. 5e-5)")
        if not 0 < self.mask_share < 1:
            problems.append("the masked share must be between 0 and 1 (e.g. 0.15)")
        if not 0 < self.held_out_share <= 0.5:
            problems.append("the held-out share must be above 0 and at most 0.5")
        if self.evaluations < 1:
            problems.append("there must be at least one evaluation")
        if self.from_scratch and (self.layers < 1 or self.width < 8 or self.vocabulary_size < 100):
            problems.append("a model from scratch needs at least 1 layer, a width of 8 and 100 pieces")
        if self.precision not in PRECISIONS:
            problems.append(f"precision must be one of {', '.join(PRECISIONS)}")
        if problems:
            raise UserInputError(
                "Invalid pretraining settings: {problems}.", "Fix the values and start again.",
                problems="; ".join(problems),
            )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> PretrainConfig:
        known = {field.name for field in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in known})
