"""The ensemble family: the probabilities of several trained models, averaged with weights.

An ensemble folder stands on its own: ``ensemble.json`` (the manifest: the labels, a
multi-label model's thresholds, and per member its sub-folder, its weight and which of its
output columns is which label) and ``members/<n>/``, the model folder of each member as it
was when the ensemble was made. Copies, not references to the member runs: deleting or
resuming nothing of a member run, moving the project, exporting the folder or serving it on
another computer all leave the ensemble as it was. ``ml.ensemble`` makes them from runs,
with hard links where the file system has them, so a copy costs no disk space (a finished
run's model files are never written again).

Each member loads through its own family (``load_predictor``): any family, an ONNX export of
a member, even another ensemble. The ensemble explains a text with its strongest member that
can (the largest weight, then the best validation score), and says which one it used.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from bertdesk.core import CancelToken, ProgressCallback, UserInputError, ignore_progress, subrange
from bertdesk.ml.family import ENSEMBLE, Capability, TextClassifier, unknown_shares, write_family

if TYPE_CHECKING:
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.explain import Explanation
    from bertdesk.ml.predict import TextPrediction
    from bertdesk.ml.training import TrainingCallback, TrainResult
    from bertdesk.core.types import RunId
    from bertdesk.store import Project

MANIFEST_FILE = "ensemble.json"
MEMBERS_FOLDER = "members"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class MemberRecord:
    """A member as the manifest keeps it.

    ``columns[i]`` is the member's output column of the ensemble's label ``i``: members may
    list the labels in another order, or under an older name (a label renamed since).
    """

    folder: str  # relative to the ensemble folder
    weight: float
    columns: list[int]
    run_id: Optional[int] = None
    name: str = ""
    validation_macro_f1: Optional[float] = None

    def to_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "weight": self.weight, "columns": self.columns,
                "run_id": self.run_id, "name": self.name, "validation_macro_f1": self.validation_macro_f1}


@dataclass(frozen=True)
class Manifest:
    labels: list[str]
    multi_label: bool
    thresholds: Optional[list[float]]
    combination: str  # "mean" or "fitted", as ml.ensemble chose the weights
    members: list[MemberRecord]

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            members = [MemberRecord(str(m["folder"]), float(m["weight"]), [int(c) for c in m["columns"]],
                                    m.get("run_id"), str(m.get("name", "")), m.get("validation_macro_f1"))
                       for m in data["members"]]
            manifest = cls(list(data["labels"]), bool(data["multi_label"]), data.get("thresholds"),
                           str(data.get("combination", "")), members)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise UserInputError(
                "The ensemble description {path} cannot be read: {error}",
                "The folder may be incomplete; combine the runs again.",
                path=path, error=error,
            ) from error
        manifest.check(folder)
        return manifest

    def check(self, folder: Path) -> None:
        """Refuse a manifest whose members could not be combined (an edited or broken file)."""
        problem = ""
        if not self.members:
            problem = "it names no member"
        elif any(len(m.columns) != len(self.labels) for m in self.members):
            problem = "a member's columns do not match the labels"
        elif any(m.weight < 0 for m in self.members) or sum(m.weight for m in self.members) <= 0:
            problem = "its weights are not positive"
        elif any(Path(m.folder).is_absolute() or ".." in Path(m.folder).parts for m in self.members):
            problem = "a member lies outside the folder"  # the folder must stand on its own
        if problem:
            raise UserInputError(
                "The ensemble in {folder} cannot be used: {problem}.",
                "Combine the runs again.", folder=folder, problem=problem,
            )

    def write(self, folder: Path) -> None:
        data = {
            "format": FORMAT_VERSION, "labels": self.labels, "multi_label": self.multi_label,
            "thresholds": self.thresholds, "combination": self.combination,
            "members": [member.to_dict() for member in self.members],
        }
        (folder / MANIFEST_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        write_family(folder, ENSEMBLE)


@dataclass(frozen=True)
class Member:
    """A loaded member: its model, its weight and its columns in the ensemble's label order."""

    record: MemberRecord
    predictor: TextClassifier

    @property
    def weight(self) -> float:
        return self.record.weight

    def aligned(self, probs: np.ndarray) -> np.ndarray:
        return probs[:, self.record.columns]


class EnsembleClassifier:
    """A loaded ensemble (the family's ``TextClassifier``): each member's probabilities in the
    ensemble's label order, times its weight, summed (the weights add up to one). Nothing in
    it changes after loading, so two threads may use it at once."""

    family = ENSEMBLE

    def __init__(self, folder: Path, manifest: Manifest, members: list[Member]) -> None:
        self.folder = folder
        self.manifest = manifest
        self.members = members
        self.labels = list(manifest.labels)
        self.multi_label = manifest.multi_label
        self.thresholds = manifest.thresholds
        windows = [m.predictor.max_length for m in members if m.predictor.max_length is not None]
        # The shortest window: a text longer than it is read in parts by at least one member.
        self.max_length: Optional[int] = min(windows) if windows else None
        found = [m.predictor.capabilities for m in members]
        self.capabilities = frozenset(capability for capability in Capability if any(capability in c for c in found))

    @classmethod
    def load(cls, folder: Path, **options: Any) -> EnsembleClassifier:
        """Load the manifest and every member through its own family (``options``: device,
        precision, max_length, allow_unsafe_weights, for the members that use them)."""
        from bertdesk.ml.models import load_predictor

        manifest = Manifest.read(folder)
        members = []
        for record in manifest.members:
            member_folder = folder / record.folder
            if not member_folder.is_dir():
                raise UserInputError(
                    "The ensemble in {folder} lacks its member {member}.",
                    "The folder is incomplete; copy it whole, or combine the runs again.",
                    folder=folder, member=record.folder,
                )
            predictor = load_predictor(member_folder, **options)
            if predictor.multi_label != manifest.multi_label or max(record.columns) >= len(predictor.labels):
                raise UserInputError(
                    "The member {member} of the ensemble in {folder} does not predict its labels.",
                    "Combine the runs again.", folder=folder, member=record.folder,
                )
            members.append(Member(record, predictor))
        return cls(folder, manifest, members)

    # ---------------------------------------------------------------- predicting
    def predict_proba(
        self, texts: Sequence[str], batch_size: int = 64, long_text: str = "window",
        progress: ProgressCallback = ignore_progress, cancel: Optional[CancelToken] = None,
    ) -> np.ndarray:
        """The weighted sum of the members' probabilities; each member predicts all texts in
        its turn (a share of the progress range each)."""
        combined = np.zeros((len(texts), len(self.labels)), dtype=np.float64)
        for index, member in enumerate(self.members):
            part = subrange(progress, index / len(self.members), (index + 1) / len(self.members))
            probs = member.predictor.predict_proba(texts, batch_size, long_text, part, cancel)
            combined += member.weight * member.aligned(probs)
        progress(1.0, f"{len(texts)} texts predicted")
        return combined.astype(np.float32)

    def predict_many(
        self, texts: Sequence[str], batch_size: int = 64, long_text: str = "window",
        progress: ProgressCallback = ignore_progress, cancel: Optional[CancelToken] = None,
    ) -> list[TextPrediction]:
        """The combined answer per text. A long text counts the windows of the member that read
        it in most parts; its share of unknown words is the members' weighted mean (a family
        without a vocabulary knows every word), so the answer is flagged as a guess when the
        members that carry most of the weight do not know the words."""
        from bertdesk.ml.predict import TextPrediction

        combined = np.zeros((len(texts), len(self.labels)), dtype=np.float64)
        windows, truncated = [1] * len(texts), [False] * len(texts)
        unknown = np.zeros(len(texts))
        for index, member in enumerate(self.members):
            part = subrange(progress, index / len(self.members), (index + 1) / len(self.members))
            answers = member.predictor.predict_many(texts, batch_size, long_text, part, cancel)
            names = member.predictor.labels
            probs = np.array([[answer.probabilities[name] for name in names] for answer in answers])
            combined += member.weight * member.aligned(probs.reshape(len(texts), len(names)))
            unknown += member.weight * np.array([answer.unknown_share for answer in answers])
            windows = [max(count, answer.windows) for count, answer in zip(windows, answers)]
            truncated = [cut or answer.truncated for cut, answer in zip(truncated, answers)]
        progress(1.0, f"{len(texts)} texts predicted")
        return [
            TextPrediction.from_probabilities(self.labels, row, self.thresholds, count, cut, float(share))
            for row, count, cut, share in zip(combined, windows, truncated, unknown)
        ]

    def predict(self, text: str, long_text: str = "window") -> TextPrediction:
        return self.predict_many([text], long_text=long_text)[0]

    def top_labels(self, probs: np.ndarray) -> list[str]:
        return [self.labels[i] for i in probs.argmax(axis=1)]

    def unknown_shares(self, texts: Sequence[str]) -> list[float]:
        """Per text, the members' weighted mean share of unknown words (``predict_many``'s)."""
        shares = np.zeros(len(texts))
        for member in self.members:
            shares += member.weight * np.array(unknown_shares(member.predictor, texts))
        return [float(share) for share in shares]

    # ---------------------------------------------------------------- explaining
    def strongest_member(self, capability: Capability) -> Member:
        """The member with ``capability`` that weighs most, then scored best on validation."""
        able = [member for member in self.members if capability in member.predictor.capabilities]
        if not able:
            raise UserInputError(
                "No member of this ensemble can {what}.", "Open a member run's model for this.",
                what=capability.words,
            )
        return max(able, key=lambda m: (m.weight, m.record.validation_macro_f1 or 0.0))

    def explain(self, text: str, label: Optional[str] = None) -> Explanation:
        """The explanation of the strongest member that explains: an ensemble's own would need
        every member's method to give scores of one kind, and integrated gradients and n-gram
        weights do not. ``method`` names the member, and the probability is the member's."""
        from bertdesk.ml.explain import explain

        member = self.strongest_member(Capability.EXPLAIN)
        explanation = explain(member.predictor, text, label=label)
        which = f"run {member.record.run_id}" if member.record.run_id is not None else member.record.folder
        explanation.method = f"{explanation.method}, of the ensemble's strongest member ({which}, weight {member.weight:.2f})"
        return explanation


class EnsembleFamily:
    """The ``ModelFamily`` of ensembles: it loads them; ``ml.ensemble.combine_runs`` makes them."""

    name = ENSEMBLE

    def fit(
        self, project: Project, config: TrainConfig, callback: Optional[TrainingCallback] = None,
        cancel: Optional[CancelToken] = None, resume_run: Optional[RunId] = None,
    ) -> TrainResult:
        """An ensemble is made from finished runs, not trained from a model spec."""
        raise UserInputError(
            "An ensemble is not trained: it combines runs that have finished.",
            "Use 'bertdesk ensemble PROJECT RUN RUN …'.",
        )

    def load(
        self, folder: Path, device: str = "auto", precision: str = "fp32",
        max_length: Optional[int] = None, allow_unsafe_weights: bool = False,
    ) -> EnsembleClassifier:
        return EnsembleClassifier.load(
            Path(folder), device=device, precision=precision, max_length=max_length,
            allow_unsafe_weights=allow_unsafe_weights,
        )


FAMILY = EnsembleFamily()
