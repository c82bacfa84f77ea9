"""The transformer classifier family: BERT-style models fine-tuned by ``training.train`` and
read back by ``predict.Predictor`` (PyTorch, or an ONNX export of the same folder)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from bertdesk.ml.family import TRANSFORMER

if TYPE_CHECKING:
    from bertdesk.ml.predict import Predictor
    from bertdesk.ml.training import TrainResult


class TransformerFamily:
    name = TRANSFORMER

    def fit(self, project: Any, config: Any, callback: Any = None, cancel: Any = None,
            resume_run: Any = None) -> TrainResult:
        from bertdesk.ml.training import train

        return train(project, config, callback, cancel, resume_run)

    def load(
        self, folder: Path, device: str = "auto", precision: str = "fp32",
        max_length: Optional[int] = None, allow_unsafe_weights: bool = False,
    ) -> Predictor:
        from bertdesk.ml.predict import Predictor

        return Predictor.load(
            folder, device=device, max_length=max_length,
            allow_unsafe_weights=allow_unsafe_weights, precision=precision,
        )


FAMILY = TransformerFamily()
