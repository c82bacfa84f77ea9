"""Model families: a run's folder names its family; ``load_predictor`` reads any folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bertdesk.core import UserInputError
from bertdesk.ml.models import (
    FAMILY_FILE,
    TRANSFORMER,
    Capability,
    family_of,
    load_predictor,
    require_capability,
)
from bertdesk.ml.predict import Predictor
from bertdesk.ml.training import train
from tests.unit.test_ml_training import labelled_project, tiny_config


def test_a_run_folder_names_its_family_and_an_old_one_loads_as_a_transformer(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    result = train(labelled_project(tmp_path / "p.bertdesk"), tiny_config(tiny_model_dir, epochs=1))
    folder = result.model_dir
    assert folder is not None
    assert json.loads((folder / FAMILY_FILE).read_text(encoding="utf-8")) == {"family": TRANSFORMER}
    texts = ["good movie", "awful film"]
    expected = load_predictor(folder, device="cpu").predict_proba(texts)

    (folder / FAMILY_FILE).unlink()  # as runs saved before model families existed
    assert family_of(folder) == TRANSFORMER
    predictor = load_predictor(folder, device="cpu")
    assert isinstance(predictor, Predictor) and predictor.labels == ["good", "bad"]
    assert predictor.predict_proba(texts) == pytest.approx(expected)
    assert predictor.capabilities == frozenset(Capability)
    require_capability(predictor, Capability.EXPLAIN)


def test_a_missing_capability_is_named_in_words_that_translate_with_the_sentence() -> None:
    """"cannot {what}" is one sentence in the UI's language: Chinese says 导出为 ONNX there,
    not the English words of the capability."""
    from types import SimpleNamespace

    model = SimpleNamespace(family="fast", capabilities=frozenset({Capability.EXPLAIN}))
    with pytest.raises(UserInputError) as refused:
        require_capability(model, Capability.ONNX_EXPORT)  # type: ignore[arg-type]  # a model's two fields
    assert refused.value.message == "This model (fast) cannot be exported to ONNX."
    chinese = {"This model ({family}) cannot {what}.": "此模型（{family}）无法{what}。", "be exported to ONNX": "导出为 ONNX"}
    assert refused.value.message.translated(lambda text: chinese.get(text, text)) == "此模型（fast）无法导出为 ONNX。"


def test_a_folder_of_an_unknown_family_is_refused_in_plain_words(tmp_path: Path) -> None:
    (tmp_path / FAMILY_FILE).write_text(json.dumps({"family": "quantum"}), encoding="utf-8")
    with pytest.raises(UserInputError, match="does not know: quantum"):
        load_predictor(tmp_path)
    (tmp_path / FAMILY_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(UserInputError, match="cannot be read"):
        family_of(tmp_path)
