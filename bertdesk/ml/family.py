"""What every model family shares: the protocols, the capabilities, the family file.

Kept apart from ``bertdesk.ml.models`` (the families themselves and the loader that picks one),
so the transformer's own modules (``predict``, ``training``) can name their family and its
protocol without importing the families that wrap them.
"""


from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Protocol

from bertdesk.core import CancelToken, ProgressCallback, Sentence, UserInputError
from bertdesk.core.types import TextEnum

if TYPE_CHECKING:
    import numpy as np

    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.predict import TextPrediction
    from bertdesk.ml.training import TrainingCallback, TrainResult
    from bertdesk.core.types import RunId
    from bertdesk.store import Project

FAMILY_FILE = "bertdesk.json"
TRANSFORMER = "transformer"
FAST = "fast"  # TF-IDF + linear (models/fast.py); also the model spec that picks it
ENSEMBLE = "ensemble"  # finished runs' probabilities combined (models/ensemble.py)


class Capability(TextEnum):
    """What a loaded model can do beyond predicting probabilities."""

    EXPLAIN = "explain"
    ONNX_EXPORT = "onnx-export"
    VOCABULARY = "vocabulary"

    @property
    def words(self) -> Sentence:
        """What the model can do, as the end of "cannot …" (translated with the sentence)."""
        return CAPABILITY_WORDS[self]


CAPABILITY_WORDS = {
    Capability.EXPLAIN: Sentence("explain its predictions word by word"),
    Capability.ONNX_EXPORT: Sentence("be exported to ONNX"),
    Capability.VOCABULARY: Sentence("tell which words it does not know"),
}


class TextClassifier(Protocol):
    """A loaded model: texts in, one probability per label out. Nothing in it changes after
    loading, so two threads may use it at once."""

    family: str
    folder: Path
    labels: list[str]
    multi_label: bool
    thresholds: Optional[list[float]]  # per-label cut-offs of a multi-label model
    max_length: Optional[int]  # the window in tokens, None for a family that reads whole texts
    capabilities: frozenset[Capability]

    def predict_proba(
        self, texts: Sequence[str], batch_size: int = 64, long_text: str = "window",
        progress: ProgressCallback = ..., cancel: Optional[CancelToken] = None,
    ) -> np.ndarray:
        """One row per text in the order given, one column per label."""
        ...

    def predict_many(
        self, texts: Sequence[str], batch_size: int = 64, long_text: str = "window",
        progress: ProgressCallback = ..., cancel: Optional[CancelToken] = None,
    ) -> list[TextPrediction]:
        """A labelled answer per text (the server's reply, the Predict tab's answer)."""
        ...

    def predict(self, text: str, long_text: str = "window") -> TextPrediction: ...

    def top_labels(self, probs: np.ndarray) -> list[str]: ...


class ModelFamily(Protocol):
    """One kind of classifier: how it trains on a project and how its folder loads."""

    name: str

    def fit(
        self, project: Project, config: TrainConfig, callback: Optional[TrainingCallback] = None,
        cancel: Optional[CancelToken] = None, resume_run: Optional[RunId] = None,
    ) -> TrainResult:
        """Train on the project's splits and record the run; its ``model_dir`` is the folder."""
        ...

    def load(
        self, folder: Path, device: str = "auto", precision: str = "fp32",
        max_length: Optional[int] = None, allow_unsafe_weights: bool = False,
    ) -> TextClassifier: ...


def write_family(folder: Path, family: str) -> None:
    """Name the family of the model saved in ``folder`` (read by ``load_predictor``)."""
    (Path(folder) / FAMILY_FILE).write_text(json.dumps({"family": family}) + "\n", encoding="utf-8")


def require_capability(predictor: TextClassifier, capability: Capability) -> None:
    """Raise a plain-words error when the loaded model cannot do ``capability``."""
    if capability not in predictor.capabilities:
        raise UserInputError(
            "This model ({family}) cannot {what}.",
            "Open a transformer run's model folder for this.",
            family=predictor.family, what=capability.words,
        )


def unknown_shares(predictor: TextClassifier, texts: Sequence[str]) -> list[float]:
    """Per text, the share of its words the model does not know; 0 for a family without a
    vocabulary (it has no words it cannot read)."""
    if Capability.VOCABULARY in predictor.capabilities:
        shares: list[float] = predictor.unknown_shares(texts)  # type: ignore[attr-defined]
        return shares
    return [0.0] * len(texts)
