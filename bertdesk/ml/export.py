"""Take a trained model away: a Hugging Face folder, ONNX, or an int8-quantised ONNX for CPUs.

Every export is built in a temporary folder beside the destination, checked there, and only
then renamed into place: a failed check or a cancel leaves nothing behind. The checks load the
exported folder with the same ``load_predictor`` the app uses and compare it with the PyTorch model
it came from: largest probability difference on sample texts, accuracy on labelled texts, and
single-text latency of both.
"""

from __future__ import annotations

import logging
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, cast

from bertdesk.core import (
    BertdeskError,
    CancelToken,
    ProgressCallback,
    UserInputError,
    ignore_progress,
    subrange,
)
from bertdesk.core.files import readable_as_new_files, staging_path
from bertdesk.ml.models import ENSEMBLE, Capability, TextClassifier, load_predictor, require_capability
from bertdesk.ml.predict import ONNX_MODEL_FILE, Predictor

EXPORT_FORMATS = ("hf", "onnx", "onnx-int8")
PARITY_TOLERANCE = 1e-4
LATENCY_REPEATS = 3  # passes over the sample texts; the median single-text time is reported
ONNX_OPSET = 18
# Used when the caller gives no sample texts: short and long, English and Chinese.
DEFAULT_SAMPLE_TEXTS = (
    "A wonderful, moving film with great acting.",
    "The plot was dull and the service was slow.",
    "It was fine, I guess.",
    "味道很好，送餐也快，下次还会再点。",
    "太难吃了，而且送得很慢。",
    "Not bad at all. " * 40,
)


@dataclass
class ExportReport:
    """What an export produced and how it compares with the PyTorch model it came from."""

    path: Path
    format: str
    parity_max_abs_diff: Optional[float]  # largest probability difference on the sample texts
    accuracy: Optional[float]  # the exported model's top-label accuracy on ``labelled``
    reference_accuracy: Optional[float]  # the PyTorch model's on the same texts
    latency_ms: Optional[float]  # median single-text prediction time of the exported model
    reference_latency_ms: Optional[float]
    size_bytes: int


def export_model(
    model_dir: Path,
    output: Path,
    format: str,
    sample_texts: Sequence[str] = (),
    labelled: Sequence[tuple[str, str]] = (),
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> ExportReport:
    """Export the classifier in ``model_dir`` to the folder ``output`` as ``format``.

    "hf" copies the Hugging Face folder (pipeline-ready, with its model card); "onnx" writes
    ``model.onnx`` with the tokenizer and config beside it and fails with a BertdeskError if
    its probabilities differ from PyTorch's by more than 1e-4 on ``sample_texts``; "onnx-int8"
    quantises the weights to 8-bit integers (about 4x smaller, faster on CPUs, slightly less
    exact), so its report gives accuracy on ``labelled`` (text, label) pairs and latency beside
    the full model's for the user to judge before keeping it.
    """
    model_dir, output = Path(model_dir), Path(output)
    if format not in EXPORT_FORMATS:
        raise UserInputError(
            "Unknown export format {format!r}.",
            "Use one of {formats}.",
            format=format,
            formats=", ".join(EXPORT_FORMATS),
        )
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise UserInputError(
            "{output} exists already and is not an empty folder.",
            "Choose a new folder name for the export.",
            output=output,
        )
    if not output.parent.is_dir():
        raise UserInputError(
            "The folder {folder} does not exist.",
            "Create it first.",
            folder=output.parent,
        )
    progress(0.0, "loading the model")
    reference = load_predictor(model_dir, device="cpu")
    if format != "hf":
        require_capability(reference, Capability.ONNX_EXPORT)
    work = staging_path(output, folder=True)
    try:
        _check_cancel(cancel)
        if format == "hf":
            shutil.copytree(model_dir, work, dirs_exist_ok=True)
        elif reference.family == ENSEMBLE:
            _write_ensemble_folder(model_dir, reference, work, format == "onnx-int8", subrange(progress, 0.05, 0.7))
        else:
            _write_onnx_folder(
                cast(Predictor, reference), work, format == "onnx-int8", subrange(progress, 0.05, 0.7)
            )
        _check_cancel(cancel)
        progress(0.7, "checking the exported model")
        exported = load_predictor(work, device="cpu")
        texts = list(sample_texts) or list(DEFAULT_SAMPLE_TEXTS)
        difference = float(
            abs(exported.predict_proba(texts, cancel=cancel)
                - reference.predict_proba(texts, cancel=cancel)).max()
        )
        if format == "onnx" and difference > PARITY_TOLERANCE:
            raise BertdeskError(
                "The ONNX model's probabilities differ from PyTorch's by {difference:.2g} (more than "
                "{tolerance:g}); nothing was saved.",
                "Report this with the model's name; the Hugging Face format works meanwhile.",
                difference=difference,
                tolerance=PARITY_TOLERANCE,
            )
        report = ExportReport(
            path=output, format=format, parity_max_abs_diff=difference,
            accuracy=None, reference_accuracy=None, latency_ms=None, reference_latency_ms=None,
            size_bytes=_folder_size(work),
        )
        if format != "hf":
            progress(0.8, "measuring accuracy and speed")
            report.accuracy = top_label_accuracy(exported, labelled, cancel)
            report.reference_accuracy = top_label_accuracy(reference, labelled, cancel)
            report.latency_ms = median_latency_ms(exported, texts, cancel)
            report.reference_latency_ms = median_latency_ms(reference, texts, cancel)
        if output.exists():
            output.rmdir()  # empty, checked above
        readable_as_new_files(work)  # a run saved by an earlier version may hold owner-only weights
        os.replace(work, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progress(1.0, f"exported to {output}")
    return report


def top_label_accuracy(
    predictor: TextClassifier,
    labelled: Sequence[tuple[str, str]],
    cancel: Optional[CancelToken] = None,
) -> Optional[float]:
    """Share of (text, label) pairs whose most probable label is the given one; None if none."""
    if not labelled:
        return None
    probs = predictor.predict_proba([text for text, _ in labelled], cancel=cancel)
    hits = sum(
        predicted == wanted
        for predicted, (_, wanted) in zip(predictor.top_labels(probs), labelled)
    )
    return hits / len(labelled)


def median_latency_ms(
    predictor: TextClassifier, texts: Sequence[str], cancel: Optional[CancelToken] = None
) -> float:
    """Median time to predict one text on its own (as the app does while the user types)."""
    predictor.predict_proba(texts[:1])  # warm-up: first calls allocate
    timings = []
    for _ in range(LATENCY_REPEATS):
        for text in texts:
            _check_cancel(cancel)
            started = time.perf_counter()
            predictor.predict_proba([text])
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _write_onnx_folder(
    reference: Predictor, folder: Path, quantize: bool, progress: ProgressCallback
) -> None:
    """``model.onnx`` plus config and tokenizer, so ``Predictor.load`` (or Optimum) reads it."""
    model = reference.backend.model  # type: ignore[attr-defined]
    model.config.save_pretrained(folder)
    reference.tokenizer.save_pretrained(folder)
    progress(0.0, "converting to ONNX")
    if not quantize:
        _export_onnx(model, reference.tokenizer.model_input_names, folder / ONNX_MODEL_FILE)
        return
    with tempfile.TemporaryDirectory(dir=folder.parent) as scratch:
        full = Path(scratch) / "full.onnx"
        _export_onnx(model, reference.tokenizer.model_input_names, full)
        progress(0.7, "quantising to int8")
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # A scale per output channel, and 7-bit weights so that CPUs without VNNI do not
        # saturate (onnxruntime's advice). Against one scale per tensor, 8-bit: on 3,000 SST-2
        # validation texts (the English built-in fine-tuned on all of SST-2) int8 agreed with
        # PyTorch on 98.7 % of the labels instead of 97.3 % (accuracy 0.906 / 0.901, PyTorch
        # 0.910), on SST-2 dev (predict_speed.py --model) the largest probability difference
        # fell from 0.21 to 0.006; on waimai's 958 (multilingual built-in) 99.0 % agreed
        # instead of 98.4 % (0.910 / 0.909, PyTorch 0.914). Same size and speed.
        with _quiet_converters():
            quantize_dynamic(full, folder / ONNX_MODEL_FILE, weight_type=QuantType.QInt8,
                             per_channel=True, reduce_range=True)


def _write_ensemble_folder(
    model_dir: Path, reference: TextClassifier, folder: Path, quantize: bool, progress: ProgressCallback
) -> None:
    """An ensemble's folder (its "hf" export is a plain copy) with each member that can be
    exported to ONNX exported in its place and the others (the fast family, which needs no
    torch already) copied as they are: its manifest names members by folder, not by format."""
    from bertdesk.ml.models.ensemble import EnsembleClassifier

    ensemble = cast(EnsembleClassifier, reference)
    folder.mkdir(exist_ok=True)
    for item in model_dir.iterdir():
        if item.is_file():  # the manifest and the family file
            shutil.copy2(item, folder / item.name)
    for index, member in enumerate(ensemble.members):
        source, place = model_dir / member.record.folder, folder / member.record.folder
        place.parent.mkdir(parents=True, exist_ok=True)
        if Capability.ONNX_EXPORT not in member.predictor.capabilities:
            shutil.copytree(source, place)
        elif member.predictor.family == ENSEMBLE:
            _write_ensemble_folder(source, member.predictor, place, quantize, ignore_progress)
        else:
            place.mkdir()
            _write_onnx_folder(cast(Predictor, member.predictor), place, quantize, ignore_progress)
        progress((index + 1) / len(ensemble.members), "converting to ONNX")


def _export_onnx(model: Any, input_names: Sequence[str], path: Path) -> None:
    """torch.export-based ONNX export with dynamic batch and sequence length."""
    import torch
    from torch.export import Dim

    config = model.config
    example = {
        name: torch.ones((2, 8), dtype=torch.long) if name != "token_type_ids"
        else torch.zeros((2, 8), dtype=torch.long)
        for name in input_names
    }
    batch = Dim("batch")
    sequence = Dim("sequence", max=int(config.max_position_embeddings))
    with _quiet_converters():
        program = torch.onnx.export(
            model, (), kwargs=example, input_names=list(example), output_names=["logits"],
            dynamic_shapes={name: {0: batch, 1: sequence} for name in example},
            opset_version=ONNX_OPSET, dynamo=True, verbose=False,
        )
        assert program is not None  # dynamo=True always returns the program
        program.save(str(path))


@contextmanager
def _quiet_converters() -> Iterator[None]:
    """Hide the converters' chatter that means nothing to a user (torchvision ops it skips,
    deprecations inside torch, a quantisation tip for image models); errors still raise."""
    import warnings

    torch_onnx = logging.getLogger("torch.onnx")
    previous_level = torch_onnx.level
    torch_onnx.setLevel(logging.ERROR)
    tip = _DropMessages("Please consider to run pre-processing")
    logging.getLogger().addFilter(tip)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.getLogger().removeFilter(tip)
        torch_onnx.setLevel(previous_level)


class _DropMessages(logging.Filter):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.prefix)


def _folder_size(folder: Path) -> int:
    return sum(item.stat().st_size for item in folder.rglob("*") if item.is_file())


def _check_cancel(cancel: Optional[CancelToken]) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()
