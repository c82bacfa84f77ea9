"""Masked-language-model training as a ``Task`` of the generic training loop.

Every step masks its batch anew (dynamic masking, as RoBERTa does) from a random generator
seeded by the seed, the epoch and the batch, so a run resumed from a checkpoint masks exactly
as the uninterrupted run would have. The held-out texts are masked once, so their loss and
perplexity are comparable from one evaluation to the next.

A BERT model is trained as ``BertForPreTraining``: it keeps the pooler the classifier reads
[CLS] through (the multilingual built-in's is an identity; ``BertForMaskedLM`` has none, and
fine-tuning would start from a random one), and its vocabulary layer is applied to the masked
positions only, a seventh of the tokens, where most of a 250k-piece model's step went.
Other architectures go through their ``…ForMaskedLM`` head as a whole.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bertdesk.ml.data import bucketed_batches, collate, sorted_batches, special_tokens
from bertdesk.ml.loop import Evaluation, autocast_for
from bertdesk.ml.pretraining.masking import IGNORED, TokenMasker, split_sentences

EVAL_BATCH = 64
NEXT_SENTENCE_SHARE = 0.5  # pairs whose second part is the text's own continuation
IS_NEXT, NOT_NEXT = 0, 1  # BertForPreTraining's labels
MAX_PERPLEXITY_LOSS = 50.0  # exp() of more overflows; a loss that high means "untrained" anyway
HELD_OUT_STREAM = 2**31 - 1  # the random stream of the held-out masks: no epoch's number


@dataclass(frozen=True)
class Example:
    """One sequence as the model reads it: ids with special tokens, segment ids, and the
    next-sentence label (``IGNORED`` for a single text)."""

    ids: list[int]
    segments: list[int]
    next_sentence: int = IGNORED


class TextPieces:
    """The texts as token ids without special tokens, ready to be made into examples.

    Without next-sentence pairs a text longer than ``max_length`` becomes several sequences
    (nothing of a long text is thrown away); with them, each text is a list of sentences cut
    to the length, and an example is a pair of parts of texts.
    """

    def __init__(self, tokenizer: Any, texts: Sequence[str], max_length: int, sentence_pairs: bool,
                 segment_ids: bool) -> None:
        self.prefix, self.suffix = special_tokens(tokenizer)
        self.sentence_pairs, self.segment_ids = sentence_pairs, segment_ids
        budget = max(1, max_length - len(self.prefix) - len(self.suffix))
        self.pair_budget = max(2, budget - len(self.suffix))
        self.items: list[list[list[int]]] = []  # per item, its sentences (one for a plain sequence)
        if sentence_pairs:
            sentences = [split_sentences(text) or [text] for text in texts]
            flat = [sentence for text in sentences for sentence in text]
            encoded = iter(tokenizer(flat, add_special_tokens=False, truncation=False)["input_ids"]) if flat else iter([])
            for text in sentences:
                pieces = [list(next(encoded)) for _ in text]
                kept = _cut_sentences([piece for piece in pieces if piece], budget)
                if kept:
                    self.items.append(kept)
        else:
            encoded_texts = tokenizer(list(texts), add_special_tokens=False, truncation=False)["input_ids"] if texts else []
            for ids in encoded_texts:
                self.items += [[list(ids[start:start + budget])] for start in range(0, len(ids), budget)]
        specials = len(self.prefix) + len(self.suffix) * (2 if sentence_pairs else 1)
        self.lengths = [sum(len(sentence) for sentence in item) + specials for item in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def example(self, index: int, rng: np.random.Generator) -> Example:
        sentences = self.items[index]
        if not self.sentence_pairs or len(sentences) < 2:
            ids = [piece for sentence in sentences for piece in sentence]
            whole = self.prefix + ids + self.suffix
            return Example(whole, [0] * len(whole))
        split = int(rng.integers(1, len(sentences)))
        first = [piece for sentence in sentences[:split] for piece in sentence]
        if rng.random() < NEXT_SENTENCE_SHARE or len(self.items) < 2:
            second, label = [piece for sentence in sentences[split:] for piece in sentence], IS_NEXT
        else:
            other = int(rng.integers(0, len(self.items) - 1))
            other += other >= index  # any item but this one
            others = self.items[other]
            start = int(rng.integers(0, len(others)))
            second, label = [piece for sentence in others[start:] for piece in sentence], NOT_NEXT
        first, second = _cut_pair(first, second, self.pair_budget)
        head = self.prefix + first + self.suffix
        tail = second + self.suffix
        segments = [0] * len(head) + [1 if self.segment_ids else 0] * len(tail)
        return Example(head + tail, segments, label)


class MaskedLanguageTask:
    """Masked-language-model training (and next-sentence prediction, if asked) of ``model``.

    ``on_best`` saves the model where the run keeps its result; ``saved_best`` reads that
    copy's weights back for a resumed run.
    """

    def __init__(
        self, model: Any, masker: TokenMasker, train: TextPieces, held_out: TextPieces,
        batch_size: int, seed: int, device: Any, pad_id: int,
        on_best: Callable[[Evaluation], None], saved_best: Callable[[], dict[str, Any] | None],
    ) -> None:
        self.model, self.masker, self.train, self.device = model, masker, train, device
        self.batch_size, self.seed, self.pad_id = batch_size, seed, pad_id
        self.on_best, self.saved_best = on_best, saved_best
        self.bert_heads = hasattr(model, "bert") and hasattr(model, "cls")
        self.next_sentence = train.sentence_pairs
        self.epochs_drawn = 0
        fixed = np.random.default_rng((seed, HELD_OUT_STREAM))  # the held-out masks, drawn once
        self.held_out = [_masked(masker, held_out.example(index, fixed), fixed) for index in range(len(held_out))]

    # ---------------------------------------------------------- training side
    def epoch_batches(self, rng: random.Random) -> list[list[int]]:
        self.epochs_drawn += 1  # the loop draws every epoch in order, a resumed run's done ones too
        return bucketed_batches(self.train.lengths, self.batch_size, rng)

    def batch_loss(self, model: Any, batch: Sequence[int], autocast: Any) -> Any:
        rng = np.random.default_rng((self.seed, self.epochs_drawn, batch[0]))
        masked = [_masked(self.masker, self.train.example(index, rng), rng) for index in batch]
        with autocast:
            totals = self._forward(model, masked)
        return totals.masked_loss / totals.masked.clamp(min=1) + totals.next_sentence_loss

    # -------------------------------------------------------- evaluation side
    def evaluate(self) -> Evaluation:
        import torch

        loss = correct = masked = 0.0
        next_sentence_right = next_sentence_pairs = 0.0
        self.model.eval()
        with torch.inference_mode(), autocast_for(self.device):
            for indices in sorted_batches([len(example[0]) for example in self.held_out], EVAL_BATCH):
                totals = self._forward(self.model, [self.held_out[i] for i in indices])
                loss += float(totals.masked_loss)
                correct += float(totals.correct)
                masked += float(totals.masked)
                next_sentence_right += float(totals.next_sentence_right)
                next_sentence_pairs += float(totals.next_sentence_pairs)
        mean = loss / max(masked, 1.0)
        metrics = {"loss": mean, "perplexity": math.exp(min(mean, MAX_PERPLEXITY_LOSS)),
                   "accuracy": correct / max(masked, 1.0)}
        if self.next_sentence and next_sentence_pairs:
            metrics["next_sentence_accuracy"] = next_sentence_right / next_sentence_pairs
        return Evaluation(metrics)

    def keep_best(self, evaluation: Evaluation) -> None:
        self.on_best(evaluation)

    def saved_best_state(self) -> dict[str, Any] | None:
        return self.saved_best()

    # ------------------------------------------------------------- the model
    def _forward(self, model: Any, masked: Sequence[_Masked]) -> _Totals:
        """Summed masked-token loss, right guesses and count (and the next-sentence loss)."""
        import torch
        from torch.nn.functional import cross_entropy

        device = self.device.kind
        # collate pads with the value given: the pad id, IGNORED for labels, 0 for segments
        batch = collate([m[0] for m in masked], self.pad_id)
        inputs, attention = batch["input_ids"].to(device), batch["attention_mask"].to(device)
        labels = collate([m[1] for m in masked], IGNORED)["input_ids"].to(device)
        segments = collate([m[2] for m in masked], 0)["input_ids"].to(device)
        chosen = labels != IGNORED
        zero = torch.zeros((), device=device)
        if not self.bert_heads:
            logits = model(input_ids=inputs, attention_mask=attention).logits[chosen].float()
            return _totals(logits, labels[chosen], zero, zero, zero)
        outputs = model.bert(input_ids=inputs, attention_mask=attention, token_type_ids=segments)
        logits = model.cls.predictions(outputs.last_hidden_state[chosen]).float()
        next_loss, next_right, pairs = zero, zero, zero
        if self.next_sentence:
            next_labels = torch.tensor([m[3] for m in masked], device=device)
            paired = next_labels != IGNORED
            if bool(paired.any()):
                next_logits = model.cls.seq_relationship(outputs.pooler_output[paired]).float()
                next_loss = cross_entropy(next_logits, next_labels[paired])
                next_right = (next_logits.argmax(-1) == next_labels[paired]).sum()
                pairs = paired.sum()
        return _totals(logits, labels[chosen], next_loss, next_right, pairs)


# inputs, labels, segments, next-sentence label
_Masked = tuple[list[int], list[int], list[int], int]


def _masked(masker: TokenMasker, example: Example, rng: np.random.Generator) -> _Masked:
    inputs, labels = masker.mask(example.ids, rng)
    return inputs, labels, example.segments, example.next_sentence


@dataclass
class _Totals:
    masked_loss: Any  # summed over the masked tokens
    correct: Any
    masked: Any
    next_sentence_loss: Any  # the batch mean
    next_sentence_right: Any
    next_sentence_pairs: Any


def _totals(logits: Any, targets: Any, next_loss: Any, next_right: Any, pairs: Any) -> _Totals:
    from torch.nn.functional import cross_entropy

    return _Totals(
        cross_entropy(logits, targets, reduction="sum"), (logits.argmax(-1) == targets).sum(),
        targets.new_tensor(targets.numel()), next_loss, next_right, pairs,
    )


def _cut_sentences(sentences: list[list[int]], budget: int) -> list[list[int]]:
    """The first sentences of a text that fit ``budget`` pieces (the last one cut short)."""
    kept: list[list[int]] = []
    room = budget
    for sentence in sentences:
        if room <= 0:
            break
        kept.append(sentence[:room])
        room -= len(kept[-1])
    return kept


def _cut_pair(first: list[int], second: list[int], budget: int) -> tuple[list[int], list[int]]:
    """Shorten the longer part from its end until both fit (BERT's truncate_seq_pair)."""
    while len(first) + len(second) > budget:
        if len(first) > len(second):
            first = first[:-1]
        else:
            second = second[:-1]
    return first, second
