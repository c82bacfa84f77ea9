"""Model families: every kind of classifier behind one small protocol.

A ``ModelFamily`` fits on a project's splits (progress through a callback, stops through a
``CancelToken``) and leaves a model folder; ``load_predictor`` reads any such folder back as
a ``TextClassifier`` with ``labels`` and ``predict_proba``, which is all that evaluation,
batch prediction, the server and the app's Predict tab use. A folder names its family in
``bertdesk.json``; a folder without one is a transformer (runs saved before families existed,
and any Hugging Face classifier folder).

Features only some families have (explanations, ONNX export, the vocabulary check) are
``Capability`` values a predictor lists; ``require_capability`` says plainly when one is missing.
A new family is a new module here plus one line in ``_FAMILY_MODULES``. ``train_model`` is
the one entry point the CLI and the app train through: the config's model spec picks the
family ("fast", else a transformer), and a transformer run gets the fast baseline beside it.
"""

from __future__ import annotations

import importlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from bertdesk.core import CancelToken, RunId, RunStatus, Sentence, UserInputError
from bertdesk.ml.family import (
    ENSEMBLE,
    FAMILY_FILE,
    FAST,
    TRANSFORMER,
    Capability,
    ModelFamily,
    TextClassifier,
    require_capability,
    unknown_shares,
    write_family,
)

if TYPE_CHECKING:
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.training import TrainingCallback, TrainResult
    from bertdesk.store import Project

log = logging.getLogger(__name__)

__all__ = [
    "ENSEMBLE",
    "FAMILY_FILE",
    "FAST",
    "TRANSFORMER",
    "Capability",
    "ModelFamily",
    "TextClassifier",
    "family_of",
    "load_predictor",
    "model_family",
    "require_capability",
    "train_model",
    "unknown_shares",
    "write_family",
]

_FAMILY_MODULES = {
    TRANSFORMER: "bertdesk.ml.models.transformer", FAST: "bertdesk.ml.models.fast",
    ENSEMBLE: "bertdesk.ml.models.ensemble",
}


def family_of(folder: Path | str) -> str:
    """The family a model folder names; a transformer where the folder names none."""
    path = Path(folder) / FAMILY_FILE
    if not path.is_file():
        return TRANSFORMER
    try:
        family = json.loads(path.read_text(encoding="utf-8"))["family"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UserInputError(
            "The model description {path} cannot be read: {error}",
            "The folder may be incomplete; train or export the model again.",
            path=path, error=error,
        ) from error
    if family not in _FAMILY_MODULES:
        raise UserInputError(
            "The model in {folder} is of a kind this version does not know: {family}.",
            "Update bertdesk, or pick another model.",
            folder=folder, family=family,
        )
    return str(family)


def model_family(name: str) -> ModelFamily:
    """The family called ``name``; its module (and torch or scikit-learn) loads only now."""
    family: ModelFamily = importlib.import_module(_FAMILY_MODULES[name]).FAMILY
    return family


def load_predictor(folder: Path | str, **options: Any) -> TextClassifier:
    """Load any model folder as a predictor; ``options`` (device, precision, max_length,
    allow_unsafe_weights) go to its family's ``load``."""
    return model_family(family_of(folder)).load(Path(folder), **options)


def family_for_spec(model: str) -> str:
    """The family a model spec picks: "fast" its own, anything else (a built-in name, a folder,
    a Hub id) a transformer."""
    return FAST if model == FAST else TRANSFORMER


def family_to_train(project: Project, config: TrainConfig, resume_run: Optional[RunId] = None) -> str:
    """The family ``train_model`` trains with: the config's model spec's, a resumed run's own."""
    spec = config.model
    if resume_run is not None:
        spec = str(project.run(resume_run).params.get("config", {}).get("model", spec))
    return family_for_spec(spec)


def train_model(
    project: Project, config: TrainConfig, callback: Optional[TrainingCallback] = None,
    cancel: Optional[CancelToken] = None, resume_run: Optional[RunId] = None,
) -> TrainResult:
    """Train with the family the config's model spec picks (a resumed run: its own config's).

    A transformer run that finished also gets the fast model fitted on the same split, in
    seconds and without a run of its own: its validation scores go into the run's metrics as
    ``baseline``. The baseline is a comparison, never a reason for the run to fail: its errors
    are logged and the run keeps no baseline.
    """
    family = family_to_train(project, config, resume_run)
    result = model_family(family).fit(project, config, callback, cancel, resume_run)
    if (family == TRANSFORMER and result.status is RunStatus.FINISHED and result.metrics
            and _writes_the_project()):
        try:
            from bertdesk.ml.models.fast import BASELINE_FITTING, baseline_metrics

            if callback is not None:
                callback.on_message(Sentence(BASELINE_FITTING))
            baseline = baseline_metrics(project, config)
        except Exception:  # the baseline must never fail the run
            log.exception("the fast baseline of run %s failed", result.run_id)
        else:
            result.metrics = {**result.metrics, "baseline": baseline}
            project.update_run(result.run_id, metrics=result.metrics)
    return result


def _writes_the_project() -> bool:
    """Under torchrun only rank 0 writes the project, so only rank 0 fits the baseline."""
    from bertdesk.ml.distributed import is_main_process

    return is_main_process()
