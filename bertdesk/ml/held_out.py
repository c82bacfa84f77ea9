"""Fitting a model on some labelled texts to predict others it never saw, leaving the project as it is.

Cross-validation and the learning curve both need models fitted on part of the labelled texts
and scored on texts held out from them. Each fit goes through the model-family seam
(``ModelFamily.fit``, which trains on a project's splits and records a run), on a scratch
project in a temporary folder that holds only the texts of this fit: the training texts in
its train split and the held-out ones in its test split. The family sets its own validation
texts aside from the training ones (for early stopping, say), so the held-out texts never
steer the model, and the probabilities it stores for its test
split are the held-out predictions. The user's project is only read; the scratch project and
its models go with the temporary folder, whether the fit ends, fails or is cancelled.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from bertdesk.core import (
    BertdeskError,
    CancelToken,
    Cancelled,
    ExampleId,
    LabelId,
    ProgressCallback,
    RunStatus,
    Sentence,
    Split,
    ignore_progress,
)
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.loop import EvalEvent, StepEvent
from bertdesk.ml.training import TrainingCallback
from bertdesk.store import LabelInfo, Project


@dataclass(frozen=True)
class LabelledText:
    example_id: ExampleId
    text: str
    label_ids: tuple[LabelId, ...]


@dataclass(frozen=True)
class HeldOutPredictions:
    """What a model fitted without the held-out texts thinks of them."""

    probabilities: np.ndarray  # a row per held-out text in the order given, a column per label
    base_model: str  # the model fitted: "fast", or the transformer that "auto" chose
    seconds: float


def labelled_texts(project: Project, splits: Sequence[Split]) -> list[LabelledText]:
    """The project's labelled texts in ``splits``, in id order."""
    return [LabelledText(example_id, text, label_ids)
            for example_id, text, label_ids, _split in project.labelled_examples(splits)]


def labels_in_use(project: Project, texts: Sequence[LabelledText]) -> list[LabelInfo]:
    """The labels the texts carry, in the project's order: the columns of every probability."""
    used = {label_id for text in texts for label_id in text.label_ids}
    return [label for label in project.labels() if label.id in used]


class HeldOutFitter:
    """Fits models of the family ``config.model`` picks, one scratch project per fit.

    ``labels`` are the columns of the probabilities returned; a label a fit's texts lack gets
    probability 0 there.
    """

    def __init__(self, labels: Sequence[LabelInfo], multi_label: bool, config: TrainConfig) -> None:
        self.labels = list(labels)
        self.names = [label.name for label in self.labels]
        self.multi_label = multi_label
        self.config = config

    def fit_and_predict(
        self, train: Sequence[LabelledText], held_out: Sequence[LabelledText],
        progress: ProgressCallback = ignore_progress, cancel: Optional[CancelToken] = None,
    ) -> HeldOutPredictions:
        """Fit on ``train`` and predict ``held_out``. Raises ``Cancelled`` when ``cancel`` is
        set during the fit, and a ``BertdeskError`` with the family's reason when it fails."""
        from bertdesk.ml.models import family_for_spec, model_family

        started = time.time()
        cancel = cancel or CancelToken()
        with tempfile.TemporaryDirectory(prefix="bertdesk-held-out-") as folder:
            scratch = Project.create(Path(folder) / "held-out.bertdesk", multi_label=self.multi_label)
            try:
                held_out_ids = self._fill(scratch, train, held_out)
                family = model_family(family_for_spec(self.config.model))
                result = family.fit(scratch, self.config, _FitProgress(progress), cancel)
                if result.status is RunStatus.CANCELLED:
                    raise Cancelled()
                if result.status is not RunStatus.FINISHED:
                    raise BertdeskError(
                        "A model could not be fitted: {error}",
                        "Try again with the fast model, or see the log for details.",
                        error=result.error or result.status,
                    )
                run = scratch.run(result.run_id)
                columns = [self.names.index(name) for name in run.params["labels"]]
                stored = {row.example_id: row.probs for row in scratch.predictions(result.run_id, held_out_ids)}
                probabilities = np.zeros((len(held_out), len(self.names)), dtype=np.float32)
                for row, example_id in enumerate(held_out_ids):
                    probabilities[row, columns] = stored[example_id]
                return HeldOutPredictions(probabilities, run.base_model, time.time() - started)
            finally:
                scratch.close()

    def _fill(self, scratch: Project, train: Sequence[LabelledText], held_out: Sequence[LabelledText]) -> list[ExampleId]:
        """Write the texts into the scratch project; returns the held-out texts' ids there."""
        held_out_ids = []
        # Only the labels these texts carry: a label that a small sample of a learning curve
        # lacks would be a label without texts, which no fit accepts.
        carried = {label_id for text in (*train, *held_out) for label_id in text.label_ids}
        with scratch.bulk_writer() as writer:
            scratch_label = {label.id: writer.label_id(label.name) for label in self.labels if label.id in carried}
            for split, texts in ((Split.TRAIN, train), (Split.TEST, held_out)):
                for text in texts:
                    example_id = writer.add(text.text, split, [scratch_label[i] for i in text.label_ids if i in scratch_label])
                    if split is Split.TEST:
                        held_out_ids.append(example_id)
        return held_out_ids


class _FitProgress(TrainingCallback):
    """A family's training events as a fraction of the fit done and its phase in words.

    What the scratch project's split holds (texts set aside for validation, held-out texts
    inside training texts) is a detail of this fit, not news for the person waiting: unsaid.
    """

    hears_split = False

    def __init__(self, progress: ProgressCallback) -> None:
        self.progress = progress
        self.done = 0.0

    def on_message(self, text: str) -> None:
        self.progress(self.done, text)

    def on_step(self, event: StepEvent) -> None:
        self.done = event.step / max(event.total_steps, 1)
        self.progress(self.done, Sentence("step {step} of {total}", step=event.step, total=event.total_steps))

    def on_evaluate(self, event: EvalEvent) -> None:
        """The fit's own validation scores are no part of the held-out result."""
