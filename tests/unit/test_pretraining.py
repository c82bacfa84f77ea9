"""Pretraining on the project's texts (issue 19): masking, the text pool, the loop, the result."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bertdesk.core import CancelToken, RunStatus, Split, UserInputError
from bertdesk.ml.pretraining import PretrainConfig, pretrain, pretrained_models, text_pool
from bertdesk.ml.pretraining.masking import IGNORED, TokenMasker
from bertdesk.ml.training import TrainingCallback

# Big steps, so that a tiny random model's loss moves within a few dozen of them; its word
# embeddings (the output layer too) learn, as random ones must.
FAST = {"learning_rate": 5e-3, "batch_size": 8, "evaluations": 4, "warmup_ratio": 0.0, "train_word_embeddings": True}


def tokenizer_of(tokens: list[str], special: list[str], mask: str, pre_tokenizer: Any = None) -> Any:
    """A fast tokenizer over exactly these tokens (a WordLevel model: one id per token)."""
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer(models.WordLevel({token: i for i, token in enumerate(special + tokens)}, unk_token=special[1]))
    if pre_tokenizer is not None:
        backend.pre_tokenizer = pre_tokenizer
    return PreTrainedTokenizerFast(tokenizer_object=backend, pad_token=special[0], unk_token=special[1],
                                   cls_token=special[2], sep_token=special[3], mask_token=mask)


def test_masking_never_touches_special_tokens_and_keeps_bert_shares(tiny_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    masker = TokenMasker(tokenizer, whole_words=False)
    special = set(tokenizer.all_special_ids)
    words = tokenizer("good movie 好吃 the plot was bad", add_special_tokens=False)["input_ids"]
    ids = [tokenizer.cls_token_id, *words, tokenizer.sep_token_id, *words, tokenizer.sep_token_id,
           tokenizer.pad_token_id, tokenizer.pad_token_id]
    rng = np.random.default_rng(0)
    kinds = {"mask": 0, "random": 0, "kept": 0}
    for _ in range(2000):
        inputs, labels = masker.mask(ids, rng)
        chosen = [position for position, label in enumerate(labels) if label != IGNORED]
        assert len(chosen) == round(0.15 * 2 * len(words))  # 15 % of the tokens that are not special
        for position, (before, after) in enumerate(zip(ids, inputs)):
            if before in special:
                assert labels[position] == IGNORED and after == before
        for position in chosen:
            assert labels[position] == ids[position]
            assert inputs[position] not in special - {tokenizer.mask_token_id}
            kind = ("mask" if inputs[position] == tokenizer.mask_token_id
                    else "kept" if inputs[position] == ids[position] else "random")
            kinds[kind] += 1
    total = sum(kinds.values())
    assert abs(kinds["mask"] / total - 0.8) < 0.02
    assert abs(kinds["random"] / total - 0.1) < 0.02  # a random draw may hit the token itself (1 in 60)
    assert abs(kinds["kept"] / total - 0.1) < 0.02


def test_whole_words_follow_wordpiece_and_sentencepiece_marks_and_chinese_characters() -> None:
    from tokenizers import pre_tokenizers

    wordpiece = tokenizer_of(["play", "##ing", "good", "好", "吃", "##s"], ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
                             "[MASK]", pre_tokenizers.WhitespaceSplit())
    ids = wordpiece.convert_tokens_to_ids(["[CLS]", "play", "##ing", "good", "好", "吃", "[SEP]", "##s", "play"])
    assert TokenMasker(wordpiece).words(ids) == [[1, 2], [3], [4], [5], [7], [8]]
    assert TokenMasker(wordpiece, whole_words=False).words(ids) == [[1], [2], [3], [4], [5], [7], [8]]

    marked = tokenizer_of(["▁play", "ing", "▁good", "▁", "好吃", "很", "ok"], ["<pad>", "<unk>", "<s>", "</s>", "<mask>"],
                          "<mask>", pre_tokenizers.WhitespaceSplit())
    ids = marked.convert_tokens_to_ids(["<s>", "▁play", "ing", "▁good", "▁", "好吃", "很", "ok", "</s>"])
    # "▁" starts a word; a piece with CJK characters is a word of its own, and so is what follows it
    assert TokenMasker(marked).words(ids) == [[1, 2], [3], [4], [5], [6], [7]]

    rng = np.random.default_rng(1)
    for _ in range(200):  # a chosen word is masked whole: "▁play" and "ing" together or not at all
        _, labels = TokenMasker(marked).mask(ids, rng)
        assert (labels[1] == IGNORED) == (labels[2] == IGNORED)


def test_test_split_texts_are_left_out_unless_asked(sentiment_project: Any) -> None:
    from bertdesk.store import ExampleFilter

    texts = sentiment_project.texts()
    test_ids = {example_id for example_id, _ in sentiment_project.texts(ExampleFilter(split=Split.TEST))}
    test_only = {text for i, text in texts if i in test_ids} - {text for i, text in texts if i not in test_ids}
    assert test_only
    pool = text_pool(sentiment_project, include_test=False, held_out_share=0.2)
    assert not test_only & set(pool.train + pool.held_out)
    assert pool.held_out and not set(pool.held_out) & set(pool.train)
    assert len(pool.train) + len(pool.held_out) == len(texts) - len(test_ids) == len(texts) - pool.test_texts
    with_test = text_pool(sentiment_project, include_test=True, held_out_share=0.2)
    assert test_only <= set(with_test.train + with_test.held_out)
    assert set(pool.held_out) <= set(with_test.held_out)  # more texts move none of the held-out ones


def test_the_masked_language_model_loss_falls(sentiment_project: Any, tiny_model_dir: Path) -> None:
    result = pretrain(sentiment_project, PretrainConfig(base=str(tiny_model_dir), steps=40, **FAST))
    assert result.status is RunStatus.FINISHED, result.error
    evaluations = [entry for entry in result.model.history if entry["type"] == "eval"]
    assert len(evaluations) >= 3
    assert evaluations[-1]["loss"] < evaluations[0]["loss"] - 0.3
    assert evaluations[-1]["perplexity"] == pytest.approx(np.exp(evaluations[-1]["loss"]))
    steps = [entry["loss"] for entry in result.model.history if entry["type"] == "step"]
    assert np.mean(steps[-5:]) < np.mean(steps[:5])
    assert result.model.texts + result.model.held_out == 72  # 80 texts, the 8 of the test split left out
    assert not result.model.test_included


class StopAt(TrainingCallback):
    def __init__(self, step: int, cancel: CancelToken) -> None:
        self.step, self.cancel = step, cancel

    def on_step(self, event: Any) -> None:
        if event.step == self.step:
            self.cancel.cancel()


def test_a_stopped_and_resumed_pretraining_continues_the_same_curve(
    sentiment_project: Any, tiny_model_dir: Path, ended_process_owner: dict[str, object],
) -> None:
    from bertdesk.ml.pretraining.records import RECORD_FILE

    config = PretrainConfig(base=str(tiny_model_dir), steps=16, **FAST)
    whole = pretrain(sentiment_project, config)
    cancel = CancelToken()
    stopped = pretrain(sentiment_project, config, StopAt(9, cancel), cancel)
    assert stopped.status is RunStatus.CANCELLED and stopped.model.steps == 9 and stopped.model.usable
    # As a kill at that step leaves it: the record still says running, for a process now gone.
    record_file = stopped.model.folder / RECORD_FILE
    record = json.loads(record_file.read_text(encoding="utf-8"))
    record_file.write_text(json.dumps({**record, "status": "running", "owner": ended_process_owner}), encoding="utf-8")
    (killed,) = [model for model in pretrained_models(sentiment_project) if model.id == stopped.model.id]
    assert killed.status is RunStatus.CANCELLED and "stopped while this ran" in str(killed.error)
    resumed = pretrain(sentiment_project, resume=stopped.model.id)
    assert resumed.status is RunStatus.FINISHED and resumed.model.id == stopped.model.id

    def curve(history: list[dict[str, Any]], kind: str) -> list[tuple[int, float]]:
        return [(entry["step"], round(entry["loss"], 5)) for entry in history if entry["type"] == kind]

    assert curve(resumed.model.history, "step") == curve(whole.model.history, "step")
    assert curve(resumed.model.history, "eval") == curve(whole.model.history, "eval")
    assert resumed.model.metrics["loss"] == pytest.approx(whole.model.metrics["loss"], abs=1e-6)
    assert not (resumed.model.folder / "last").exists()  # a finished run keeps no checkpoint
    with pytest.raises(UserInputError, match="cannot be resumed"):
        pretrain(sentiment_project, resume=resumed.model.id)


def test_a_model_from_scratch_fine_tunes_and_loads_in_a_pipeline(sentiment_project: Any) -> None:
    from transformers import pipeline

    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.sources import resolve_model
    from bertdesk.ml.training import train

    config = PretrainConfig(base="scratch", steps=6, next_sentence=True, vocabulary_size=200, layers=1, width=16, **FAST)
    pretrained = pretrain(sentiment_project, config)
    assert pretrained.status is RunStatus.FINISHED, pretrained.error
    model = pretrained_models(sentiment_project)[-1]
    assert model.spec == f"pretrained:{pretrained.model.id}" and model.usable
    assert "from scratch" in model.description and "1 layers, width 16" in model.description
    assert "next-sentence prediction" in (model.model_dir / "README.md").read_text(encoding="utf-8")
    assert not (model.folder / "scratch-base").exists()
    with pytest.raises(UserInputError, match="known only with that project"):
        resolve_model(model.spec)

    run = train(sentiment_project, TrainConfig(model=model.spec, epochs=1, min_steps=0, batch_size=8))
    assert run.status is RunStatus.FINISHED, run.error
    assert sentiment_project.run(run.run_id).base_model == model.spec
    classifier = pipeline("text-classification", model=str(run.model_dir))
    assert classifier("the food was great")[0]["label"] in ("negative", "positive")


def test_the_scratch_tokenizer_round_trips_chinese_and_english(tmp_path: Path) -> None:
    from bertdesk.ml.pretraining.scratch import train_tokenizer

    texts = ["The delivery was fast and the noodles were great.", "送餐很快，面条很好吃。",
             "Slow service, cold food.", "服务太慢了，饭菜都凉了。"] * 5
    tokenizer = train_tokenizer(texts, tmp_path / "tokenizer", vocabulary_size=300)
    english, chinese = "the noodles were great", "面条很好吃"
    english_ids = tokenizer(english)["input_ids"]
    chinese_ids = tokenizer(chinese)["input_ids"]
    assert tokenizer.unk_token_id not in english_ids + chinese_ids
    assert tokenizer.decode(english_ids, skip_special_tokens=True) == english
    assert tokenizer.convert_ids_to_tokens(chinese_ids)[1:-1] == list(chinese)  # one piece a character
    assert tokenizer.decode(chinese_ids, skip_special_tokens=True).replace(" ", "") == chinese
    chinese_pieces = [piece for piece in tokenizer.get_vocab() if any("\u4e00" <= ch <= "\u9fff" for ch in piece)]
    assert chinese_pieces and all(len(piece) == 1 for piece in chinese_pieces)  # learnt as characters


def test_the_cli_pretrains_lists_and_fine_tunes(sentiment_project: Any, tiny_model_dir: Path, capsys: Any) -> None:
    from safetensors import safe_open

    from bertdesk.cli import main
    from bertdesk.ml.training import TRAINING

    path = str(sentiment_project.path)
    assert main(["-q", "pretrain", path, "--from", str(tiny_model_dir), "--steps", "2", "--batch-size", "8"]) == 0
    captured = capsys.readouterr()
    printed = captured.out
    assert "Pretrained model pretrained:1 finished" in printed and "--model pretrained:1" in printed
    assert re.search(r"step 2: held-out loss \d+\.\d{3} · perplexity \d+\.\d\d · masked tokens right", captured.err)
    assert TRAINING not in captured.err.splitlines()  # it started the bar, not a line of its own
    assert main(["pretrained", path]) == 0
    assert "pretrained:1   finished" in capsys.readouterr().out
    # The word embeddings stayed frozen: kept once (the output layer is tied to them), in half precision.
    folder = pretrained_models(sentiment_project)[0].model_dir
    weight_map = json.loads((folder / "model.safetensors.index.json").read_text())["weight_map"]
    assert "cls.predictions.decoder.weight" not in weight_map
    frozen_file = weight_map["bert.embeddings.word_embeddings.weight"]
    with safe_open(str(folder / frozen_file), "pt") as saved, \
            safe_open(str(tiny_model_dir / "model.safetensors"), "pt") as base:
        embedding = saved.get_tensor("bert.embeddings.word_embeddings.weight")
        assert str(embedding.dtype) == "torch.float16"
        assert np.allclose(embedding.float().numpy(), base.get_tensor("bert.embeddings.word_embeddings.weight").numpy(),
                           atol=1e-3)
    assert main(["-q", "train", path, "--model", "pretrained:1", "--epochs", "1", "--min-steps", "0"]) == 0
    # The fine-tuned run keeps the same frozen table: one file on disk for both folders.
    run_folder = Path(str(sentiment_project.runs()[-1].path))
    assert (run_folder / "best" / frozen_file).samefile(folder / frozen_file)

    # Deleting the pretrained model leaves the run fine-tuned from it whole.
    assert main(["pretrained", path, "delete", "pretrained:9", "--yes"]) == 2
    assert "no pretrained model '9'" in capsys.readouterr().err
    # As a pretraining killed on another computer leaves it (a project on a shared drive):
    # nothing here can tell whether it still runs, so only the user's --force deletes it.
    from bertdesk.ml.pretraining.records import RECORD_FILE

    record_file = folder.parent / RECORD_FILE
    record = json.loads(record_file.read_text(encoding="utf-8"))
    record_file.write_text(json.dumps({**record, "status": "running", "owner": {"host": "lab-pc", "pid": 7}}),
                           encoding="utf-8")
    assert main(["pretrained", path, "delete", "pretrained:1", "--yes"]) == 2
    assert "computer lab-pc" in capsys.readouterr().err and record_file.is_file()
    assert main(["pretrained", path, "delete", "pretrained:1", "--yes", "--force"]) == 0
    assert "Deleted pretrained:1." in capsys.readouterr().out
    assert not folder.exists() and pretrained_models(sentiment_project) == []
    from bertdesk.ml.models import load_predictor

    assert len(load_predictor(run_folder / "best").predict_proba(["good"])[0]) == 2
