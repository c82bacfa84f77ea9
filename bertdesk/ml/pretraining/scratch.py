"""A BERT grown from random weights: a WordPiece vocabulary of the project's texts, then a
small model sized for what a laptop CPU trains in about an hour."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bertdesk.core.files import readable_as_new_files

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
VOCABULARY_SIZE = 8000
# Characters kept in the vocabulary whatever their count: every CJK character is a word of its
# own (WordPiece never merges them), so a Chinese project needs them all (waimai_10k: 2,558).
ALPHABET_LIMIT = 6000
MIN_FREQUENCY = 2
# The size: 4 layers of width 256 (BERT-mini of Turc et al., 2019). Measured on waimai_10k (texts
# of about 27 pieces, batches of 32) on 2 idle cores, texts per second: 2 layers x 128 wide 700,
# 4 x 256 172, 6 x 384 65, 8 x 512 31. In an hour 4 x 256 then reads about 620,000 texts (17M
# pieces, 5 for each of its 3.2M weights; 65 passes over 10,000 texts); 6 x 384 would read one
# piece per weight, far from trained, and 2 x 128 has an eighth of the weights to learn with.
LAYERS = 4
WIDTH = 256
HEAD_WIDTH = 64  # BERT's width per attention head
MAX_POSITIONS = 512  # as BERT: fine-tuning may read longer texts than pretraining did


def train_tokenizer(texts: Sequence[str], folder: Path, vocabulary_size: int) -> Any:
    """A WordPiece tokenizer learnt from ``texts`` (lower-cased, each CJK character a word, as
    bert-base-chinese), saved in ``folder`` as a standard fast BERT tokenizer."""
    from tokenizers import BertWordPieceTokenizer

    from bertdesk.ml.hf_imports import load_transformers

    load_transformers()
    from transformers import AutoTokenizer

    learner = BertWordPieceTokenizer(handle_chinese_chars=True, lowercase=True)
    learner.train_from_iterator(
        texts, vocab_size=vocabulary_size, min_frequency=MIN_FREQUENCY, limit_alphabet=ALPHABET_LIMIT,
        special_tokens=SPECIAL_TOKENS, show_progress=False,
    )
    folder.mkdir(parents=True, exist_ok=True)
    learner.save_model(str(folder))  # vocab.txt
    # Named as BERT's, AutoTokenizer reads it as every version of transformers does bert-base-*.
    settings = {"tokenizer_class": "BertTokenizer", "do_lower_case": True, "tokenize_chinese_chars": True,
                "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                "mask_token": "[MASK]"}
    (folder / "tokenizer_config.json").write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return tokenizer


def write_random_model(folder: Path, tokenizer: Any, seed: int, layers: int, width: int) -> None:
    """A ``BertForPreTraining`` of this size with random weights, saved in ``folder``.

    Its pooler starts as the identity (as the multilingual built-in's): a classifier fine-tuned
    on a model pretrained without next-sentence prediction reads [CLS] through it unchanged,
    rather than through a random projection nothing trained.
    """
    import torch

    from bertdesk.ml.hf_imports import load_transformers

    from bertdesk.ml.sources import quiet_loading

    load_transformers()
    from transformers import BertConfig, BertForPreTraining

    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=width, num_hidden_layers=layers,
        num_attention_heads=max(1, width // HEAD_WIDTH), intermediate_size=4 * width,
        max_position_embeddings=MAX_POSITIONS, type_vocab_size=2, pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = BertForPreTraining(config)
    pooler = model.bert.pooler
    assert pooler is not None  # BertForPreTraining keeps one
    with torch.no_grad():
        pooler.dense.weight.copy_(torch.eye(width))
        pooler.dense.bias.zero_()
    with quiet_loading():  # transformers' own progress bar for the shards
        model.save_pretrained(folder, safe_serialization=True)
    readable_as_new_files(folder)
