"""Model families: every kind of classifier behind one small protocol.

A ``ModelFamily`` fits on a project's splits (progress through a callback, stops through a
``CancelToken``) and leaves a model folder; ``load_predictor`` reads any such folder back as
a ``TextClassifier`` with ``labels`` and ``predict_proba``, which is all that evaluation,
batch prediction, the server and the app's Predict tab use. A folder names its family in
``bertdesk.json``; a folder without one is a transformer (runs saved before families existed,
and any Hugging Face classifier folder).

Features only some families have (explanations, ONNX export, the vocabulary check) are
``Capability`` values a predictor lists; ``require_capability`` says plainly when one is missing.
A new family is a new module here plus one line in ``_FAMILY_MODULES``.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from bertdesk.core import UserInputError
from bertdesk.ml.family import (
    FAMILY_FILE,
    TRANSFORMER,
    Capability,
    ModelFamily,
    TextClassifier,
    require_capability,
    unknown_shares,
    write_family,
)

__all__ = [
    "FAMILY_FILE",
    "TRANSFORMER",
    "Capability",
    "ModelFamily",
    "TextClassifier",
    "family_of",
    "load_predictor",
    "model_family",
    "require_capability",
    "unknown_shares",
    "write_family",
]

_FAMILY_MODULES = {TRANSFORMER: "bertdesk.ml.models.transformer"}


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
