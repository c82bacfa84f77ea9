"""A frozen word-embedding table is stored once however many runs use it (hard links)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bertdesk.ml.saved_weights import FROZEN_PREFIX, INDEX_FILE
from bertdesk.ml.training import train
from bertdesk.ops.runs import delete_runs
from tests.unit.test_ml_training import labelled_project, tiny_config


def frozen_file(folder: Path) -> Path:
    names = set(json.loads((folder / INDEX_FILE).read_text())["weight_map"].values())
    (name,) = [name for name in names if name.startswith(FROZEN_PREFIX)]
    return folder / name


def scores(folder: Path) -> list[float]:
    """A plain pipeline's answers: the folder loads as any checkpoint does."""
    from transformers import pipeline

    classifier = pipeline("text-classification", model=str(folder))
    return [answer["score"] for answer in classifier(["great film", "awful film"])]


def assert_loads_whole(folder: Path, base: Path) -> None:
    """Every weight comes from the folder (none made up at random), the frozen table is the
    base model's (in half precision)."""
    from transformers import AutoModel, AutoModelForSequenceClassification

    model, loading = AutoModelForSequenceClassification.from_pretrained(str(folder), output_loading_info=True)
    assert not loading["missing_keys"] and not loading["unexpected_keys"]
    table = AutoModel.from_pretrained(str(base)).get_input_embeddings().weight
    assert model.get_input_embeddings().weight.equal(table.half().float())


def test_runs_with_the_same_frozen_table_share_one_file(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    config = tiny_config(tiny_model_dir, epochs=1, train_word_embeddings=False)
    first, second = train(project, config), train(project, config)
    assert first.model_dir is not None and second.model_dir is not None
    shared = frozen_file(first.model_dir)
    assert shared.samefile(frozen_file(second.model_dir)) and shared.stat().st_nlink == 2
    assert (first.model_dir / "tokenizer.json").samefile(second.model_dir / "tokenizer.json")
    assert not (first.model_dir / "model.safetensors").exists()  # the index names both shards
    assert_loads_whole(second.model_dir, tiny_model_dir)
    expected = scores(second.model_dir)

    delete_runs(project, [first.run_id])
    assert not first.model_dir.exists()
    assert frozen_file(second.model_dir).stat().st_nlink == 1
    assert scores(second.model_dir) == expected


def test_without_hard_links_each_run_writes_its_own_table(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_hard_links(source: object, target: object) -> None:
        raise OSError(1, "Operation not permitted")  # as on FAT and exFAT drives

    monkeypatch.setattr(os, "link", no_hard_links)
    project = labelled_project(tmp_path / "p.bertdesk")
    config = tiny_config(tiny_model_dir, epochs=1, train_word_embeddings=False)
    first, second = train(project, config), train(project, config)
    assert first.model_dir is not None and second.model_dir is not None
    assert not frozen_file(first.model_dir).samefile(frozen_file(second.model_dir))
    assert frozen_file(first.model_dir).read_bytes() == frozen_file(second.model_dir).read_bytes()
    assert not (first.model_dir / "tokenizer.json").samefile(second.model_dir / "tokenizer.json")
    assert_loads_whole(second.model_dir, tiny_model_dir)


def test_trained_embeddings_keep_a_single_weights_file(tmp_path: Path, tiny_model_dir: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    result = train(project, tiny_config(tiny_model_dir, epochs=1))
    assert result.model_dir is not None
    assert (result.model_dir / "model.safetensors").is_file() and not (result.model_dir / INDEX_FILE).exists()


def test_a_table_removed_while_linking_is_written_instead(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bertdesk.ml import saved_weights

    project = labelled_project(tmp_path / "p.bertdesk")
    config = tiny_config(tiny_model_dir, epochs=1, train_word_embeddings=False)
    first = train(project, config)
    assert first.model_dir is not None

    def removed_meanwhile(source: object, target: object) -> None:
        raise FileNotFoundError(2, "No such file or directory")  # the other run was deleted

    monkeypatch.setattr(saved_weights, "link_or_copy", removed_meanwhile)
    second = train(project, config)
    assert second.model_dir is not None
    assert frozen_file(second.model_dir).stat().st_nlink == 1
    assert_loads_whole(second.model_dir, tiny_model_dir)
