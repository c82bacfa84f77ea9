"""Explanations: a model that decides by one word must point at that word; spans are as typed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bertdesk.core import CancelToken, Cancelled, UserInputError
from bertdesk.ml.explain import explain
from bertdesk.ml.predict import Predictor

DECIDING_WORD = "great"
FILLER = "the a movie film food is was it this and plot acting service price fast slow".split()


@pytest.fixture(scope="module")
def one_word_predictor(
    labelled_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Predictor:
    """The tiny BERT trained (plain torch, a few seconds) so that "great" alone means positive."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(0)
    rng = random.Random(0)
    tokenizer = AutoTokenizer.from_pretrained(labelled_model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(labelled_model_dir)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    for _ in range(150):
        texts, labels = [], []
        for _ in range(32):
            words = rng.choices(FILLER, k=rng.randint(3, 8))
            positive = rng.random() < 0.5
            if positive:
                words.insert(rng.randint(0, len(words)), DECIDING_WORD)
            texts.append(" ".join(words))
            labels.append(int(positive))
        batch = tokenizer(texts, padding=True, return_tensors="pt")
        loss = model(**batch, labels=torch.tensor(labels)).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    folder = tmp_path_factory.mktemp("one-word-bert")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return Predictor.load(folder, device="cpu")


def test_the_deciding_word_gets_the_largest_attribution(one_word_predictor: Predictor) -> None:
    text = "the plot was slow but great"
    assert one_word_predictor.predict(text).label == "positive"

    explanation = explain(one_word_predictor, text)

    assert explanation.label == "positive"
    assert explanation.method == "integrated gradients"
    best = max(explanation.attributions, key=lambda a: a.score)
    assert (best.text, text[best.start : best.end]) == (DECIDING_WORD, DECIDING_WORD)
    others = [a.score for a in explanation.attributions if a is not best]
    assert best.score > 0 and best.score > 3 * max(abs(s) for s in others)


def test_explaining_the_other_label_turns_the_sign(one_word_predictor: Predictor) -> None:
    explanation = explain(one_word_predictor, "the food was great", label="negative")
    scores = {a.text: a.score for a in explanation.attributions}
    assert explanation.label == "negative"
    assert min(scores, key=scores.get) == DECIDING_WORD


def test_spans_are_what_the_user_typed(labelled_model_dir: Path) -> None:
    predictor = Predictor.load(labelled_model_dir, device="cpu")
    text = "The GREAT  film，服务很好！ unknownword"
    explanation = explain(predictor, text, steps=4)
    pieces = [(a.text, text[a.start : a.end]) for a in explanation.attributions]
    assert [typed for typed, _ in pieces] == [
        "The", "GREAT", "film", "，", "服", "务", "很", "好", "！", "unknownword"
    ]
    assert all(typed == sliced for typed, sliced in pieces)


def test_sentencepiece_pieces_of_chinese_stay_apart_and_words_of_english_merge() -> None:
    """As the multilingual model's tokenizer cuts "味道很好，送 goodness": the whole Chinese run
    is one "word" behind a lone start mark, the English word has two pieces after a space."""
    from bertdesk.ml.explain import _merge_into_words

    text = "味道很好，送 goodness"
    offsets = [(0, 1), (0, 2), (2, 4), (4, 5), (5, 6), (6, 11), (11, 15)]  # ▁ 味道 很好 ， 送 ▁good ness
    word_ids = [0, 0, 0, 0, 0, 1, 1]
    merged = _merge_into_words(text, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], offsets, word_ids)
    assert [(a.text, a.score) for a in merged] == [
        ("味道", 3.0), ("很好", 3.0), ("，", 4.0), ("送", 5.0), ("goodness", 13.0)
    ]
    assert all(text[a.start:a.end] == a.text for a in merged)


def test_long_text_is_explained_on_its_first_window(labelled_model_dir: Path) -> None:
    predictor = Predictor.load(labelled_model_dir, device="cpu", max_length=12)
    explanation = explain(predictor, "good " * 40, steps=4)
    assert explanation.truncated
    assert len(explanation.attributions) == 10  # the window's tokens less [CLS] and [SEP]


def test_bad_requests_and_cancel(labelled_model_dir: Path) -> None:
    predictor = Predictor.load(labelled_model_dir, device="cpu")
    with pytest.raises(UserInputError, match="no label"):
        explain(predictor, "good", label="neutral")
    with pytest.raises(UserInputError, match="steps"):
        explain(predictor, "good", steps=1)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        explain(predictor, "good", cancel=token)
