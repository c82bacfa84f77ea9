"""Predict with a trained model: load a run (or any classifier folder) once, predict many texts.

A ``Predictor`` tokenises a whole chunk of texts at once with the fast tokenizer, cuts texts
longer than the model's window into overlapping windows, sorts the windows by length and pads
each batch only to its own longest window, then puts the results back in the caller's order.
It runs either the PyTorch model of a Hugging Face folder or an ONNX model exported by
``bertdesk export-model`` (a folder holding ``model.onnx``), so the same code serves the app,
the CLI, the HTTP server and the export checks.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Protocol

from bertdesk.core import (
    CancelToken,
    ExampleId,
    ProgressCallback,
    RunId,
    RunStatus,
    UserInputError,
    ignore_progress,
)
from bertdesk.ml.hf_imports import load_transformers
from bertdesk.ml.family import TRANSFORMER, Capability, TextClassifier
from bertdesk.store import ExampleFilter, Project

if TYPE_CHECKING:
    import numpy as np

    from bertdesk.io import ImportOptions

ONNX_MODEL_FILE = "model.onnx"
LONG_TEXT_MODES = ("window", "truncate")
WINDOW_OVERLAP = 0.25  # share of a window repeated in the next one, so no phrase is cut blind
TOKENIZE_CHUNK = 2048  # texts tokenised together: bounds memory for files of millions of rows
THRESHOLDS_KEY = "bertdesk_thresholds"  # per-label thresholds of a multi-label run (config.json)
MAX_LENGTH_KEY = "bertdesk_max_length"  # the max_length a run was trained with (config.json)


@dataclass
class TextPrediction:
    """The answer for one text; ``windows`` > 1: a long text was read in overlapping parts."""

    label: str
    probabilities: dict[str, float]
    windows: int
    truncated: bool
    # Multi-label models: every label at or above its threshold; single-label: [label].
    predicted_labels: list[str] = field(default_factory=list)
    # Share of the text's tokens the model's vocabulary lacks ([UNK]): above
    # coverage.GUESS_WARNING the answer is a guess, however sure it looks.
    unknown_share: float = 0.0

    @classmethod
    def from_probabilities(
        cls, labels: Sequence[str], row: "np.ndarray", thresholds: Optional[Sequence[float]],
        windows: int = 1, truncated: bool = False, unknown_share: float = 0.0,
    ) -> TextPrediction:
        """The answer one row of probabilities gives, in any family: the most probable label,
        and with thresholds (multi-label) every label at or above its own."""
        import numpy as np

        top = labels[int(np.argmax(row))]
        chosen = [top] if thresholds is None else [
            name for name, p, t in zip(labels, row, thresholds) if p >= t
        ]
        return cls(
            label=top, probabilities={name: float(p) for name, p in zip(labels, row)},
            windows=windows, truncated=truncated, predicted_labels=chosen,
            unknown_share=unknown_share,
        )


def likeliest_labels(
    probabilities: dict[str, float], chosen: Iterable[str], count: int,
) -> tuple[list[tuple[str, float]], list[float]]:
    """The ``count`` likeliest labels and every chosen one beyond them, likeliest first, and
    the probabilities of the rest: what the Predict tab and ``bertdesk predict`` show of a
    model with many labels (150 intents made 150 bars)."""
    ranked = sorted(probabilities.items(), key=lambda item: -item[1])
    wanted = set(chosen)
    shown = [item for rank, item in enumerate(ranked) if rank < count or item[0] in wanted]
    names = {name for name, _ in shown}
    return shown, [probability for name, probability in ranked if name not in names]


class _Backend(Protocol):
    input_names: tuple[str, ...]

    def logits(self, inputs: dict[str, "np.ndarray"]) -> "np.ndarray": ...


class _TorchBackend:
    """A transformers sequence-classification model in inference mode on one device."""

    def __init__(
        self, model: Any, device: str, input_names: tuple[str, ...], bfloat16: bool = False
    ) -> None:
        self.model = model
        self.device = device
        self.input_names = input_names
        self.bfloat16 = bfloat16

    def logits(self, inputs: dict[str, "np.ndarray"]) -> "np.ndarray":
        import torch

        with torch.inference_mode(), torch.autocast(
            self.device, dtype=torch.bfloat16, enabled=self.bfloat16
        ):
            tensors = {k: torch.from_numpy(v).to(self.device) for k, v in inputs.items()}
            logits: np.ndarray = self.model(**tensors).logits.float().cpu().numpy()
        return logits


class _OnnxBackend:
    """An ONNX Runtime session on the CPU, fed the inputs the exported graph declares."""

    def __init__(self, path: Path) -> None:
        import onnxruntime

        self.session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        self.input_names = tuple(i.name for i in self.session.get_inputs())

    def logits(self, inputs: dict[str, "np.ndarray"]) -> "np.ndarray":
        logits: np.ndarray = self.session.run(["logits"], inputs)[0]
        return logits


class Predictor:
    """A loaded transformer classifier that turns texts into label probabilities (the
    ``TextClassifier`` of the transformer family).

    Load it once (``Predictor.load``) and keep it: loading takes seconds, predicting a
    sentence milliseconds. Two threads may use it at once (say, predictions and an
    explanation in the app): the model does not change after loading, and the tokenizer,
    which does, is called through ``tokenize``, one thread at a time.
    """

    def __init__(
        self,
        folder: Path,
        tokenizer: Any,
        backend: _Backend,
        labels: list[str],
        multi_label: bool,
        max_length: int,
        thresholds: Optional[list[float]],
        device: str,
    ) -> None:
        self.folder = folder
        self.tokenizer = tokenizer
        self._tokenizer_lock = threading.Lock()
        self.backend = backend
        self.labels = labels
        self.multi_label = multi_label
        self.max_length = max_length
        self.thresholds = thresholds
        self.device = device

    # ------------------------------------------------------------------- loading
    @classmethod
    def load(
        cls,
        folder: Path | str,
        device: str = "auto",
        max_length: Optional[int] = None,
        allow_unsafe_weights: bool = False,
        precision: str = "fp32",
    ) -> Predictor:
        """Load a run's ``best`` folder, any classifier folder, or an exported ONNX folder.

        ``device`` is "auto" (CUDA, then Apple MPS, then CPU), or one of those by name; ONNX
        models always run on the CPU. ``max_length`` overrides the window the run was trained
        with. Only safetensors weights are read unless ``allow_unsafe_weights``.
        ``precision`` "bf16" runs the PyTorch model under bfloat16 autocast: about a third
        faster on CPUs with AVX512-BF16 or AMX, probabilities within about 1e-2 of fp32.
        """
        folder = Path(folder)
        if not (folder / "config.json").is_file():
            raise UserInputError(
                "No model in {folder}: it has no config.json.",
                "Pick a trained run, or a folder saved by 'bertdesk export-model'.",
                folder=folder,
            )
        load_transformers()
        from transformers import AutoConfig, AutoTokenizer

        from bertdesk.ml.sources import check_tokenizer_fits

        try:
            config = AutoConfig.from_pretrained(folder)
            tokenizer = AutoTokenizer.from_pretrained(folder)
        except (OSError, ValueError, KeyError) as error:
            raise UserInputError(
                "The model in {folder} cannot be read: {error}",
                "The folder may be incomplete; export or train the model again.",
                folder=folder,
                error=error,
            ) from error
        check_tokenizer_fits(folder, tokenizer, config)
        if not getattr(tokenizer, "is_fast", False):
            raise UserInputError(
                "The model in {folder} has no fast tokenizer (tokenizer.json).",
                "Save the model again with a recent transformers version.",
                folder=folder,
            )
        input_names = tuple(tokenizer.model_input_names)
        backend: _Backend
        if (folder / ONNX_MODEL_FILE).is_file():
            backend = _load_onnx(folder / ONNX_MODEL_FILE)
            device_kind = "cpu"
        else:
            if precision not in ("fp32", "bf16"):
                raise UserInputError(
                    "Unknown precision {precision!r}.",
                    "Use fp32 or bf16.",
                    precision=precision,
                )
            device_kind = _device_kind(device)
            backend = _TorchBackend(
                _load_torch_model(folder, device_kind, allow_unsafe_weights), device_kind,
                input_names, bfloat16=precision == "bf16",
            )
        labels = [config.id2label[i] for i in sorted(config.id2label)]
        multi_label = config.problem_type == "multi_label_classification"
        thresholds = getattr(config, THRESHOLDS_KEY, None)
        if multi_label and thresholds is None:
            thresholds = [0.5] * len(labels)
        limit = min(int(tokenizer.model_max_length), int(config.max_position_embeddings))
        window = max_length or getattr(config, MAX_LENGTH_KEY, None) or limit
        if window < 8 or window > limit:
            raise UserInputError(
                "A window of {window} tokens does not fit this model.",
                "Use a max length between 8 and {limit}.",
                window=window,
                limit=limit,
            )
        return cls(
            folder, tokenizer, backend, labels, multi_label, int(window),
            list(thresholds) if thresholds is not None else None, device_kind,
        )

    family = TRANSFORMER

    @property
    def is_onnx(self) -> bool:
        return isinstance(self.backend, _OnnxBackend)

    @property
    def capabilities(self) -> frozenset[Capability]:
        """An ONNX export has no gradients to explain with and is already exported."""
        if self.is_onnx:
            return frozenset({Capability.VOCABULARY})
        return frozenset(Capability)

    # ---------------------------------------------------------------- predicting
    def predict_proba(
        self,
        texts: Sequence[str],
        batch_size: int = 64,
        long_text: str = "window",
        progress: ProgressCallback = ignore_progress,
        cancel: Optional[CancelToken] = None,
    ) -> "np.ndarray":
        """Probabilities, one row per text in the order given, one column per label.

        ``long_text`` "window" averages overlapping windows of a text longer than
        ``max_length`` (multi-label: takes each label's highest window, since a label present
        anywhere in the text applies); "truncate" reads only the first window.
        """
        return self._predict(texts, batch_size, long_text, progress, cancel)[0]

    def predict_many(
        self,
        texts: Sequence[str],
        batch_size: int = 64,
        long_text: str = "window",
        progress: ProgressCallback = ignore_progress,
        cancel: Optional[CancelToken] = None,
    ) -> list[TextPrediction]:
        """Like ``predict_proba`` but with a labelled answer per text (the server's reply)."""
        probs, windows, truncated = self._predict(texts, batch_size, long_text, progress, cancel)
        return [
            self._text_prediction(row, count, cut, unknown)
            for row, count, cut, unknown in zip(probs, windows, truncated, self.unknown_shares(texts))
        ]

    def predict(self, text: str, long_text: str = "window") -> TextPrediction:
        """One text, as typed in the prediction tab."""
        return self.predict_many([text], long_text=long_text)[0]

    def tokenize(self, texts: str | list[str], **settings: Any) -> Any:
        """The tokenizer's encoding of ``texts``. A fast tokenizer keeps the truncation, stride
        and padding of its last call and sets them anew on each, so two threads calling it at
        once can encode with each other's settings (reproduced: a prediction's encoding with an
        explanation's stride, about once in 3,000 calls): one call at a time."""
        with self._tokenizer_lock:
            return self.tokenizer(texts, **settings)

    def unknown_shares(self, texts: Sequence[str]) -> list[float]:
        """Per text, the share of its words this model's vocabulary lacks ([UNK] tokens)."""
        from bertdesk.ml.coverage import unknown_shares

        with self._tokenizer_lock:  # (see ``tokenize``)
            return unknown_shares(self.tokenizer, texts)

    def top_labels(self, probs: "np.ndarray") -> list[str]:
        """The most probable label of each row."""
        return [self.labels[i] for i in probs.argmax(axis=1)]

    def _text_prediction(
        self, row: "np.ndarray", windows: int, truncated: bool, unknown_share: float
    ) -> TextPrediction:
        return TextPrediction.from_probabilities(
            self.labels, row, self.thresholds, windows, truncated, unknown_share
        )

    def _predict(
        self,
        texts: Sequence[str],
        batch_size: int,
        long_text: str,
        progress: ProgressCallback,
        cancel: Optional[CancelToken],
    ) -> tuple["np.ndarray", list[int], list[bool]]:
        import numpy as np

        if long_text not in LONG_TEXT_MODES:
            raise UserInputError(
                "Unknown long-text mode {long_text!r}.",
                "Use 'window' or 'truncate'.",
                long_text=long_text,
            )
        if batch_size < 1:
            raise UserInputError("The batch size must be at least 1.", "Use e.g. 64.")
        probs = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        window_counts: list[int] = []
        truncated: list[bool] = []
        total = max(len(texts), 1)
        for start in range(0, len(texts), TOKENIZE_CHUNK):
            chunk = texts[start : start + TOKENIZE_CHUNK]
            windows, owners = self._windows(chunk)
            counts = np.bincount(owners, minlength=len(chunk))
            if long_text == "truncate":
                first = np.concatenate([[True], owners[1:] != owners[:-1]])
                windows = [w for w, keep in zip(windows, first) if keep]
                owners = owners[first]
            window_probs = self._window_probs(
                windows, batch_size, cancel,
                lambda done, s=start: progress((s + done * len(chunk)) / total, "predicting"),
            )
            probs[start : start + len(chunk)] = self._aggregate(window_probs, owners, len(chunk))
            window_counts += [int(c) if long_text == "window" else 1 for c in counts]
            truncated += [bool(long_text == "truncate" and c > 1) for c in counts]
        progress(1.0, f"{len(texts)} texts predicted")
        return probs, window_counts, truncated

    def _windows(self, texts: Sequence[str]) -> tuple[list[list[int]], "np.ndarray"]:
        """Token ids of every window of every text, and which text each window belongs to."""
        import numpy as np

        special = self.tokenizer.num_special_tokens_to_add(pair=False)
        overlap = int((self.max_length - special) * WINDOW_OVERLAP)
        encoded = self.tokenize(
            [str(t) for t in texts], truncation=True, max_length=self.max_length,
            stride=overlap, return_overflowing_tokens=True, return_attention_mask=False,
            return_token_type_ids=False,
        )
        return encoded["input_ids"], np.asarray(encoded["overflow_to_sample_mapping"])

    def _window_probs(
        self,
        windows: list[list[int]],
        batch_size: int,
        cancel: Optional[CancelToken],
        progress: Any,
    ) -> "np.ndarray":
        """Run the model over windows in length-sorted batches; rows come back in input order."""
        import numpy as np

        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        result = np.zeros((len(windows), len(self.labels)), dtype=np.float32)
        for first in range(0, len(order), batch_size):
            if cancel is not None:
                cancel.raise_if_cancelled()
            rows = order[first : first + batch_size]
            logits = self.backend.logits(self._batch_inputs([windows[i] for i in rows]))
            result[rows] = self._probabilities(logits)
            progress((first + len(rows)) / max(len(order), 1))
        return result

    def _batch_inputs(self, windows: list[list[int]]) -> dict[str, "np.ndarray"]:
        """Pad a batch to its own longest window (dynamic padding)."""
        import numpy as np

        width = max(len(w) for w in windows)
        pad_id = self.tokenizer.pad_token_id or 0
        ids = np.full((len(windows), width), pad_id, dtype=np.int64)
        mask = np.zeros((len(windows), width), dtype=np.int64)
        for row, window in enumerate(windows):
            ids[row, : len(window)] = window
            mask[row, : len(window)] = 1
        inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return {name: inputs[name] for name in self.backend.input_names if name in inputs}

    def _probabilities(self, logits: "np.ndarray") -> "np.ndarray":
        import numpy as np

        exact = logits.astype(np.float64)
        if self.multi_label:
            sigmoid: np.ndarray = 1.0 / (1.0 + np.exp(-exact))
            return sigmoid
        shifted = np.exp(exact - exact.max(axis=1, keepdims=True))
        softmax: np.ndarray = shifted / shifted.sum(axis=1, keepdims=True)
        return softmax

    def _aggregate(self, window_probs: "np.ndarray", owners: "np.ndarray", n: int) -> "np.ndarray":
        """One row per text: the mean of its windows, or the maximum for multi-label models."""
        import numpy as np

        if self.multi_label:
            result = np.zeros((n, window_probs.shape[1]), dtype=np.float32)
            np.maximum.at(result, owners, window_probs)
            return result
        sums = np.zeros((n, window_probs.shape[1]), dtype=np.float64)
        np.add.at(sums, owners, window_probs)
        return sums / np.bincount(owners, minlength=n)[:, None]


def _device_kind(preference: str) -> str:
    from bertdesk.ml.device import pick_device

    return str(pick_device(preference).kind)


def _load_torch_model(folder: Path, device: str, allow_unsafe_weights: bool) -> Any:
    load_transformers()
    from transformers import AutoModelForSequenceClassification

    from bertdesk.ml.sources import check_model_files, quiet_loading

    check_model_files(folder, allow_unsafe_weights)
    try:
        with quiet_loading():
            model = AutoModelForSequenceClassification.from_pretrained(
                folder, use_safetensors=not allow_unsafe_weights, trust_remote_code=False
            )
    except (OSError, ValueError, KeyError, RuntimeError) as error:
        raise UserInputError(
            "The model in {folder} cannot be loaded: {error}",
            "The folder may be incomplete or not a text classifier; train or export it again.",
            folder=folder,
            error=error,
        ) from error
    return model.to(device).eval()


def _load_onnx(path: Path) -> _OnnxBackend:
    try:
        return _OnnxBackend(path)
    except Exception as error:  # onnxruntime raises its own untyped errors for broken files
        raise UserInputError(
            "The ONNX model {path} cannot be loaded: {error}",
            "Export the model again.",
            path=path,
            error=error,
        ) from error


# --------------------------------------------------------------------- runs and projects
def run_model_folder(project: Project, run_id: Optional[RunId] = None) -> tuple[RunId, Path]:
    """The model folder of a run: the one asked for, else the project's current run, else
    its latest finished run that keeps a model (a cross-validation keeps none)."""
    if run_id is None:
        current = project.get_setting("current_run")
        if current:
            run_id = RunId(int(current))
        else:
            finished = [run for run in project.runs()
                        if run.status is RunStatus.FINISHED and (project.runs_dir / str(run.id) / "best").is_dir()]
            if not finished:
                raise UserInputError(
                    "The project {project} has no finished run yet.",
                    "Train a model first: bertdesk train PROJECT.",
                    project=project.path.name,
                )
            run_id = finished[-1].id
    project.run(run_id)  # a clear error for an unknown run
    folder = project.runs_dir / str(run_id) / "best"
    if not folder.is_dir():
        raise UserInputError(
            "Run {run_id} has no saved model (looked in {folder}).",
            "It may have failed or been cancelled before its first evaluation; pick another run.",
            run_id=run_id,
            folder=folder,
        )
    return run_id, folder


def predict_project(
    project: Project,
    run_id: RunId,
    predictor: TextClassifier,
    flt: ExampleFilter = ExampleFilter(),
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
    batch_size: int = 64,
) -> int:
    """Predict the project's texts picked by ``flt`` and store them as the run's suggestions.

    Everything is computed before it is written, so a cancel stores nothing. Probabilities are
    stored in the predictor's label order (the run's); labelled texts also get their loss, so
    the per-example losses an evaluation stored for the run stay filled in. Returns how many
    texts were predicted.
    """
    rows = project.texts(flt)
    label_ids = {label.name: label.id for label in project.labels()}
    probs = predictor.predict_proba(
        [text for _, text in rows], batch_size=batch_size, progress=progress, cancel=cancel
    )
    ranked = probs.argsort(axis=1)
    top = ranked[:, -1]
    margins = probs[range(len(rows)), top] - (
        probs[range(len(rows)), ranked[:, -2]] if probs.shape[1] > 1 else 0.0
    )
    names = {label_id: name for name, label_id in label_ids.items()}
    truth = {
        eid: [names[label_id] for label_id in labels]
        for eid, _, labels, _ in project.labelled_examples()
    }
    project.save_predictions(
        run_id,
        (
            (ExampleId(eid), label_ids.get(predictor.labels[int(best)]), row.tolist(),
             float(margin), _example_loss(predictor, row, truth.get(eid)))
            for (eid, _), best, row, margin in zip(rows, top, probs, margins)
        ),
    )
    return len(rows)


def _example_loss(
    predictor: TextClassifier, probs: "np.ndarray", true_labels: Optional[list[str]]
) -> Optional[float]:
    """Cross-entropy (multi-label: mean binary cross-entropy) of a labelled text; None when
    the text is unlabelled or carries a label the model does not know."""
    import numpy as np

    if not true_labels or any(name not in predictor.labels for name in true_labels):
        return None
    clipped = np.clip(probs.astype(np.float64), 1e-12, 1 - 1e-12)
    if predictor.multi_label:
        target = np.array([name in true_labels for name in predictor.labels], dtype=np.float64)
        return float(-np.mean(target * np.log(clipped) + (1 - target) * np.log(1 - clipped)))
    return float(-np.log(clipped[predictor.labels.index(true_labels[0])]))


# -------------------------------------------------------------------------------- files
PREDICTION_SUFFIXES = (".csv", ".xlsx", ".jsonl")
FILE_CHUNK = 1024  # rows read, predicted and written together


@dataclass(frozen=True)
class PredictedFile:
    """What ``predict_file`` wrote: how many rows, from which column it read the texts, and
    the input's rows it left out (the output has a row for each of the others)."""

    rows: int
    text_column: str
    text_column_guessed: bool  # chosen by its values' length: no column name said
    empty: int = 0  # rows whose text is empty
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # (line, why), as import lists them
    probability_columns: list[str] = field(default_factory=list)  # each label's, in the model's order


def predict_file(
    predictor: TextClassifier,
    input_path: Path | str,
    output_path: Path | str,
    options: Optional["ImportOptions"] = None,
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
    batch_size: int = 64,
) -> PredictedFile:
    """Predict every row of a file and save the rows with the prediction beside them.

    Reads with the importers (same encodings and column handling as import); writes the
    input's columns in their order, then ``predicted_label`` and one ``prob_<label>`` column
    per label ("predicted_label (2)" … where the input has them from an earlier prediction):
    one output row per input row, duplicates included (rows with an empty text
    or a broken line are left out, as the importer reports them). The output is written to
    a temporary file beside it and renamed at the end, so a cancel or an error leaves no
    half-written file. Works in chunks, so files larger than memory are fine.
    """
    from bertdesk.io import ImportOptions, open_records, sniff_file, table_file, unused_name

    input_path, output_path = Path(input_path), Path(output_path)
    suffix = output_path.suffix.lower()
    if suffix not in PREDICTION_SUFFIXES:
        raise UserInputError(
            "Cannot write predictions as {suffix}.",
            "Name the output file with one of {suffixes}.",
            suffix=suffix or "a file without a suffix",
            suffixes=", ".join(PREDICTION_SUFFIXES),
        )
    if output_path.resolve() == input_path.resolve():
        raise UserInputError(
            "The output file is the input file.", "Choose another name for the output."
        )
    if not output_path.parent.is_dir():
        raise UserInputError(
            "The folder {folder} does not exist.",
            "Create it first.",
            folder=output_path.parent,
        )
    # Every row comes back, duplicates too, with all columns but the text as metadata: the
    # output must match the input row for row and column for column.
    options = dataclasses.replace(
        options or ImportOptions(), label_columns=[], label_separator=None, split_column=None,
        skip_duplicates=False, keep_metadata=True,
    )
    # An empty, binary or unreadable file is refused here, before any output is written.
    sniff_file(input_path, encoding=options.encoding, delimiter=options.delimiter, sheet=options.sheet,
               header=options.header)
    reader = open_records(input_path, options)
    columns, text_column = list(reader.table.columns), reader.report.text_column
    assert text_column is not None  # the reader has chosen it, or refused the file
    # A file predicted before (its own predicted_label, prob_… columns) keeps them beside the new.
    taken = set(columns)
    predicted_column, *probability_columns = (
        unused_name(name, taken) for name in ["predicted_label", *(f"prob_{label}" for label in predictor.labels)])
    header = [*columns, predicted_column, *probability_columns]
    written = 0
    with table_file(output_path, suffix.lstrip("."), header, "predictions") as write_rows:
        for chunk in _chunked(reader.records(progress, cancel), FILE_CHUNK):
            probs = predictor.predict_proba(
                [record.text for record in chunk], batch_size=batch_size, cancel=cancel
            )
            write_rows([
                [*(record.meta.get(c, record.text if c == text_column else "")
                   for c in columns),
                 label, *(round(float(p), 6) for p in row)]
                for record, label, row in zip(chunk, predictor.top_labels(probs), probs)
            ])
            written += len(chunk)
    progress(1.0, f"{written} rows predicted")
    report = reader.report
    return PredictedFile(written, text_column, report.text_column_guessed, report.skipped_empty, report.malformed,
                         probability_columns)


def _chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
