"""Export: Hugging Face folder, ONNX with its parity check, int8 with accuracy and speed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bertdesk.core import BertdeskError, CancelToken, Cancelled, UserInputError
from bertdesk.ml import export as export_module
from bertdesk.ml.export import export_model
from bertdesk.ml.predict import Predictor
from tests.conftest import file_modes

TEXTS = ["good food", "the movie was awful", "服务很慢", "great " * 60, "fine"]
LABELLED = [("good food", "positive"), ("awful", "negative"), ("很好吃", "positive")]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_onnx_export_matches_pytorch(labelled_model_dir: Path, tmp_path: Path, umask_027: int) -> None:
    progress: list[float] = []
    report = export_model(
        labelled_model_dir, tmp_path / "onnx", "onnx", TEXTS, LABELLED,
        progress=lambda f, m: progress.append(f),
    )
    assert report.path == tmp_path / "onnx" and report.format == "onnx"
    assert report.parity_max_abs_diff is not None and report.parity_max_abs_diff <= 1e-4
    assert report.accuracy == report.reference_accuracy is not None
    assert report.latency_ms is not None and report.latency_ms > 0
    assert report.size_bytes == sum(p.stat().st_size for p in report.path.iterdir())
    assert progress[-1] == 1.0
    assert _leftovers(tmp_path) == ["onnx"]
    assert report.path.stat().st_mode & 0o777 == 0o777 & ~umask_027  # not tempfile's 0700

    exported = Predictor.load(report.path)
    reference = Predictor.load(labelled_model_dir, device="cpu")
    assert exported.is_onnx and exported.labels == reference.labels
    np.testing.assert_allclose(
        exported.predict_proba(TEXTS + ["a different text, 另一个"]),
        reference.predict_proba(TEXTS + ["a different text, 另一个"]), atol=1e-4,
    )


def test_int8_export_reports_accuracy_and_speed(labelled_model_dir: Path, tmp_path: Path) -> None:
    report = export_model(labelled_model_dir, tmp_path / "int8", "onnx-int8", TEXTS, LABELLED)
    full = export_model(labelled_model_dir, tmp_path / "full", "onnx", TEXTS)

    for value in (report.accuracy, report.reference_accuracy):
        assert value is not None and 0.0 <= value <= 1.0
    assert report.latency_ms and report.reference_latency_ms
    assert report.parity_max_abs_diff is not None
    quantized = Predictor.load(report.path)
    assert quantized.is_onnx
    assert report.size_bytes < full.size_bytes
    assert (report.path / "model.onnx").stat().st_size < (full.path / "model.onnx").stat().st_size
    probs = quantized.predict_proba(TEXTS)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    # A scale for each output channel, and 7-bit weights (no saturation on CPUs without VNNI).
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(report.path / "model.onnx").graph
    assert any(i.name.endswith("_scale") and list(i.dims) for i in graph.initializer)
    weights = [numpy_helper.to_array(i).astype(int) for i in graph.initializer
               if i.data_type == onnx.TensorProto.INT8]
    assert weights and max(int(np.abs(w).max()) for w in weights) <= 64


def test_hf_export_loads_in_a_pipeline(labelled_model_dir: Path, tmp_path: Path, umask_027: int) -> None:
    from transformers import pipeline

    report = export_model(labelled_model_dir, tmp_path / "hf", "hf")
    assert report.parity_max_abs_diff == 0.0
    # safetensors writes model.safetensors owner-only: the export is readable as its other files are.
    assert file_modes(report.path) == {0o666 & ~umask_027}
    classifier = pipeline("text-classification", model=str(report.path), device="cpu")
    predicted = classifier("the food was great")[0]
    expected = Predictor.load(labelled_model_dir, device="cpu").predict("the food was great")
    assert predicted["label"] == expected.label
    assert predicted["score"] == pytest.approx(expected.probabilities[expected.label], abs=1e-5)


def test_failed_parity_check_leaves_nothing(
    labelled_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "PARITY_TOLERANCE", -1.0)  # no export can pass
    with pytest.raises(BertdeskError, match="differ from PyTorch"):
        export_model(labelled_model_dir, tmp_path / "onnx", "onnx", TEXTS)
    assert _leftovers(tmp_path) == []


def test_refusals_and_cancel(labelled_model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="Unknown export format"):
        export_model(labelled_model_dir, tmp_path / "x", "tflite")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file.txt").write_text("keep me")
    with pytest.raises(UserInputError, match="not an empty folder"):
        export_model(labelled_model_dir, tmp_path / "taken", "hf")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        export_model(labelled_model_dir, tmp_path / "cancelled", "onnx", cancel=token)
    assert _leftovers(tmp_path) == ["taken"]
    assert (tmp_path / "taken" / "file.txt").read_text() == "keep me"
