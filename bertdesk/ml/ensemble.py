"""Ensembles (model fusion): finished runs of any family combined into one model.

An ensemble's probability for a text is the weighted sum of its members' probabilities. The
weights are equal ("mean"), or fitted on the validation texts ("fitted"): the weights on the
simplex that minimise the combined model's log-loss there (multi-label: its mean binary
cross-entropy). That loss is convex in the weights (minus the log of a sum that is linear in
them), so scipy's SLSQP finds the best weights, not merely good ones; it is smooth where
macro-F1 is a staircase that a few hundred validation texts would let a search overfit.
Fitted weights flatter the ensemble's validation scores a little, since they were chosen on
those texts: the test split is the fair comparison, and ``Ensemble.test`` gives it.

The members' probabilities on the validation and test texts are those stored with each run
when it finished (every transformer and fast run keeps them); texts a member has none for
(labelled or moved into the split since, or a run that stored none) are predicted with the
member's model, which takes a while for a transformer, and the result says how many.

The ensemble is recorded as a run of kind ``RunKind.ENSEMBLE`` with a model folder
(``models/ensemble.py``: the members' folders and a manifest), its validation scores and its
probabilities on validation and test, so evaluation, the Predict tab, batch prediction,
``serve`` and export use it as any run. Nothing is written before every probability is known:
a cancel or an error leaves the project as it was.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

from bertdesk.core import (
    CancelToken,
    ExampleId,
    LabelId,
    ProgressCallback,
    RunId,
    RunKind,
    RunStatus,
    Sentence,
    Split,
    UserInputError,
    ignore_progress,
    subrange,
)
from bertdesk.core.files import link_or_copy, readable_as_new_files, staging_path
from bertdesk.core.types import TextEnum
from bertdesk.ml.family import ENSEMBLE
from bertdesk.ml.metrics import (
    PROBABILITY_FLOOR,
    multi_hot,
    multi_label_metrics,
    observed_probabilities,
    single_label_metrics,
    text_losses,
    tune_thresholds,
)
from bertdesk.ml.models.ensemble import MEMBERS_FOLDER, Manifest, MemberRecord
from bertdesk.store import Project, RunInfo

SCORED_SPLITS = (Split.VALIDATION, Split.TEST)
SUMMARY_METRICS = ("accuracy", "macro_f1", "loss")
WRITING_SHARE = 0.05  # of the progress bar: copying the members' folders and storing the run
SMALLEST_WEIGHT = 1e-4  # a fitted weight below this is taken as 0: that member is left out


class Combination(TextEnum):
    """How the members' weights are chosen."""

    MEAN = "mean"
    FITTED = "fitted"  # on the validation texts' log-loss


@dataclass(frozen=True)
class MemberScore:
    run_id: RunId
    name: str
    family: str
    weight: float
    validation: dict[str, float]  # SUMMARY_METRICS on the validation texts the ensemble was scored on
    test: Optional[dict[str, float]]  # the same on the test texts, None without any
    predicted: int  # texts of validation and test it had no stored probabilities for


@dataclass(frozen=True)
class Ensemble:
    """A combined run, as stored in run ``run_id`` (its model in ``folder``)."""

    run_id: RunId
    folder: Path
    combination: Combination
    members: list[MemberScore]  # in the order given, with the weight each got
    validation: dict[str, float]  # SUMMARY_METRICS of the ensemble
    test: Optional[dict[str, float]]


@dataclass(frozen=True)
class _Labelled:
    """The labelled texts of one split, with their targets as columns of the ensemble."""

    example_ids: list[ExampleId]
    texts: list[str]
    targets: list[tuple[int, ...]]


def combine_runs(
    project: Project, run_ids: Sequence[RunId], combination: Combination = Combination.MEAN,
    name: Optional[str] = None, progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> Ensemble:
    """Combine the finished runs ``run_ids`` into an ensemble run; see the module docstring.

    Raises ``UserInputError`` for fewer than two runs, a run that is unknown, unfinished, a
    cross-validation or without a model, runs whose labels differ (or single- with
    multi-label), and a project without labelled validation texts; ``Cancelled`` when
    ``cancel`` is set (nothing is written).
    """
    cancel = cancel or CancelToken()
    started = time.time()
    runs = _member_runs(project, run_ids)
    label_ids = [LabelId(i) for i in runs[0].params["label_ids"]]
    multi_label = bool(runs[0].params.get("multi_label"))
    current_names = {label.id: label.name for label in project.labels()}
    label_names = [current_names.get(i, name) for i, name in zip(label_ids, runs[0].params["labels"])]
    splits = {split: _labelled(project, split, label_ids) for split in SCORED_SPLITS}
    if not splits[Split.VALIDATION].texts:
        raise UserInputError(
            "No labelled validation texts with these runs' labels: an ensemble is scored there.",
            "Label some validation texts, or make a split.",
        )
    member_probs: list[dict[Split, np.ndarray]] = []
    predicted: list[int] = []
    share = (1 - WRITING_SHARE) / len(runs)
    for index, run in enumerate(runs):
        probs, count = _member_probabilities(
            project, run, label_ids, splits, subrange(progress, index * share, (index + 1) * share), cancel,
        )
        member_probs.append(probs)
        predicted.append(count)
    validation_targets = splits[Split.VALIDATION].targets
    if combination is Combination.FITTED:
        weights = fit_weights([probs[Split.VALIDATION] for probs in member_probs], validation_targets, multi_label)
    else:
        weights = np.full(len(runs), 1 / len(runs))
    combined = {split: np.einsum("m,mij->ij", weights, np.stack([probs[split] for probs in member_probs]))
                for split in SCORED_SPLITS}
    thresholds = None
    if multi_label:
        thresholds = [float(t) for t in tune_thresholds(combined[Split.VALIDATION], multi_hot(validation_targets, len(label_ids)))]
    metrics = scores(combined[Split.VALIDATION], validation_targets, label_names, multi_label, thresholds)
    test = _summary(combined[Split.TEST], splits[Split.TEST].targets, label_names, multi_label, thresholds)
    members = [
        MemberScore(
            run.id, run.name, _family(project, run), float(weight),
            _summary(probs[Split.VALIDATION], validation_targets, label_names, multi_label, _thresholds(run)) or {},
            _summary(probs[Split.TEST], splits[Split.TEST].targets, label_names, multi_label, _thresholds(run)),
            count,
        )
        for run, weight, probs, count in zip(runs, weights, member_probs, predicted)
    ]
    cancel.raise_if_cancelled()
    progress(1 - WRITING_SHARE, Sentence("Storing the ensemble"))
    metrics.update({
        "combination": combination.value,
        "members": [{"run_id": int(m.run_id), "weight": m.weight, **m.validation} for m in members],
    })
    run_id, folder = _store_run(
        project, runs, members, combination, name, label_ids, label_names, multi_label, thresholds,
        splits, combined, metrics, started,
    )
    progress(1.0, Sentence("Ensemble done"))
    return Ensemble(run_id, folder, combination, members, _pick(metrics), test)


def fit_weights(
    member_probs: Sequence[np.ndarray], targets: Sequence[tuple[int, ...]], multi_label: bool,
) -> np.ndarray:
    """The members' weights (non-negative, adding up to one) that minimise the log-loss of
    their weighted sum on these texts (multi-label: the mean binary cross-entropy).

    Each text (each text and label, multi-label) is one observation; the combined model's
    probability of what was observed is the weighted sum of the members', so the loss is
    ``-mean(log(Q @ w))`` for the members' probabilities ``Q`` of the observed outcomes.
    """
    from scipy.optimize import minimize

    observed = np.stack([observed_probabilities(probs, targets, multi_label).ravel() for probs in member_probs], axis=1)
    observed = np.clip(observed, PROBABILITY_FLOOR, 1.0)
    count = observed.shape[1]

    def loss_and_gradient(weights: np.ndarray) -> tuple[float, np.ndarray]:
        mixed = np.maximum(observed @ weights, PROBABILITY_FLOOR)
        return float(-np.mean(np.log(mixed))), -(observed / mixed[:, None]).mean(axis=0)

    found = minimize(
        loss_and_gradient, np.full(count, 1 / count), jac=True, method="SLSQP",
        bounds=[(0.0, 1.0)] * count,
        constraints=[{"type": "eq", "fun": lambda w: float(w.sum() - 1), "jac": lambda w: np.ones(count)}],
        options={"ftol": 1e-10},  # the default 1e-6 stops with weights off by about 1e-3
    )
    weights = np.clip(found.x, 0.0, None)
    weights[weights < SMALLEST_WEIGHT] = 0.0
    result: np.ndarray = weights / weights.sum()
    return result


def scores(
    probs: np.ndarray, targets: Sequence[tuple[int, ...]], names: Sequence[str], multi_label: bool,
    thresholds: Optional[Sequence[float]],
) -> dict[str, Any]:
    """A run's metrics (as every family keeps them) plus the mean loss; a multi-label model is
    judged at ``thresholds`` (0.5 where None) and keeps them with the metrics."""
    if multi_label:
        cuts = np.array(thresholds if thresholds is not None else [0.5] * len(names))
        result = multi_label_metrics(probs, multi_hot(targets, len(names)), cuts, list(names))
        result["thresholds"] = [float(t) for t in cuts]
    else:
        result = single_label_metrics(probs, np.array([t[0] for t in targets], dtype=int), list(names))
    result["loss"] = float(np.mean(text_losses(probs, targets, multi_label))) if len(targets) else 0.0
    return result


def _summary(
    probs: np.ndarray, targets: Sequence[tuple[int, ...]], names: Sequence[str], multi_label: bool,
    thresholds: Optional[Sequence[float]],
) -> Optional[dict[str, float]]:
    """SUMMARY_METRICS on these texts; None without any."""
    if not len(targets):
        return None
    return _pick(scores(probs, targets, names, multi_label, thresholds))


def _pick(metrics: dict[str, Any]) -> dict[str, float]:
    return {name: float(metrics[name]) for name in SUMMARY_METRICS}


def _thresholds(run: RunInfo) -> Optional[list[float]]:
    found = run.metrics.get("thresholds")
    return [float(t) for t in found] if isinstance(found, list) else None


# ------------------------------------------------------------------------------ members
def _member_runs(project: Project, run_ids: Sequence[RunId]) -> list[RunInfo]:
    """The runs to combine, each checked: finished, with a model, and the labels of the first."""
    from bertdesk.ml.predict import run_model_folder

    unique = list(dict.fromkeys(RunId(int(run_id)) for run_id in run_ids))
    if len(unique) < 2:
        raise UserInputError(
            "An ensemble needs at least two different runs.", "Name two or more finished runs; 'bertdesk runs' lists them.",
        )
    runs = []
    for run_id in unique:
        run = project.run(run_id)
        if run.kind is RunKind.CROSS_VALIDATION:
            raise UserInputError(
                "Run {run_id} is a cross-validation: it keeps no model to combine.",
                "Pick training runs.", run_id=run_id,
            )
        if run.status is not RunStatus.FINISHED:
            raise UserInputError(
                "Run {run_id} has not finished (it is {status}).",
                "Combine finished runs only.", run_id=run_id, status=run.status.words,
            )
        run_model_folder(project, run_id)  # a clear error for a run without a saved model
        if not run.params.get("label_ids") or len(run.params.get("labels", [])) != len(run.params["label_ids"]):
            raise UserInputError(
                "Run {run_id} does not record which labels it predicts.", "Pick runs trained with this version.",
                run_id=run_id,
            )
        runs.append(run)
    first = runs[0]
    for run in runs[1:]:
        if bool(run.params.get("multi_label")) != bool(first.params.get("multi_label")):
            kinds = {True: "multi-label", False: "single-label"}
            raise UserInputError(
                "Run {first} is {first_kind} and run {other} is {other_kind}: an ensemble's members "
                "must all give one label per text, or all several.",
                "Combine runs of one kind.", first=first.id, other=run.id,
                first_kind=kinds[bool(first.params.get("multi_label"))],
                other_kind=kinds[bool(run.params.get("multi_label"))],
            )
        if set(run.params["label_ids"]) != set(first.params["label_ids"]):
            raise UserInputError(
                "Runs {first} and {other} do not predict the same labels: run {first} has {first_labels}; "
                "run {other} has {other_labels}.",
                "Combine runs trained on the same labels (a label added, merged or deleted between "
                "two runs makes them differ).",
                first=first.id, other=run.id, first_labels=", ".join(first.params["labels"]),
                other_labels=", ".join(run.params["labels"]),
            )
    return runs


def _family(project: Project, run: RunInfo) -> str:
    from bertdesk.ml.models import family_of

    return family_of(_model_folder(project, run))


def _model_folder(project: Project, run: RunInfo) -> Path:
    from bertdesk.ml.predict import run_model_folder

    return run_model_folder(project, run.id)[1]


def _columns(run: RunInfo, label_ids: Sequence[LabelId]) -> list[int]:
    """The run's column of each of the ensemble's labels (its own order may differ)."""
    own = [int(i) for i in run.params["label_ids"]]
    return [own.index(int(label_id)) for label_id in label_ids]


def _labelled(project: Project, split: Split, label_ids: Sequence[LabelId]) -> _Labelled:
    """The split's texts labelled with any of ``label_ids`` (only those labels counted)."""
    column = {label_id: i for i, label_id in enumerate(label_ids)}
    found = _Labelled([], [], [])
    for example_id, text, labels, _ in project.labelled_examples([split]):
        targets = tuple(column[label_id] for label_id in labels if label_id in column)
        if targets:
            found.example_ids.append(example_id)
            found.texts.append(text)
            found.targets.append(targets)
    return found


def _member_probabilities(
    project: Project, run: RunInfo, label_ids: Sequence[LabelId], splits: dict[Split, _Labelled],
    progress: ProgressCallback, cancel: CancelToken,
) -> tuple[dict[Split, np.ndarray], int]:
    """The run's probabilities on each split's texts, in the ensemble's label order: those
    stored with the run, and for texts without, its model's (loaded only then). Also returns
    how many texts its model had to predict."""
    columns = _columns(run, label_ids)
    own_labels = len(run.params["label_ids"])
    every_id = [example_id for split in SCORED_SPLITS for example_id in splits[split].example_ids]
    stored = {row.example_id: row.probs for row in project.predictions(run.id, every_id)
              if len(row.probs) == own_labels}
    missing = [(split, row) for split in SCORED_SPLITS
               for row, example_id in enumerate(splits[split].example_ids) if example_id not in stored]
    result = {split: np.zeros((len(splits[split].texts), own_labels), dtype=np.float64) for split in SCORED_SPLITS}
    for split in SCORED_SPLITS:
        for row, example_id in enumerate(splits[split].example_ids):
            if example_id in stored:
                result[split][row] = stored[example_id]
    if missing:
        from bertdesk.ml.models import load_predictor

        cancel.raise_if_cancelled()
        progress(0.0, Sentence("Run {run_id} has no stored probabilities for {count} texts: predicting them",
                               run_id=run.id, count=len(missing)))
        predictor = load_predictor(_model_folder(project, run))
        if len(predictor.labels) != own_labels:
            raise UserInputError(
                "The model of run {run_id} does not predict the labels its run records.",
                "Pick another run.", run_id=run.id,
            )
        probs = predictor.predict_proba(
            [splits[split].texts[row] for split, row in missing], progress=progress, cancel=cancel,
        )
        for (split, row), values in zip(missing, probs):
            result[split][row] = values
    progress(1.0, Sentence("Run {run_id} read", run_id=run.id))
    return {split: probs[:, columns] for split, probs in result.items()}, len(missing)


# ------------------------------------------------------------------------------ storing
def _store_run(
    project: Project, runs: Sequence[RunInfo], members: Sequence[MemberScore], combination: Combination,
    name: Optional[str], label_ids: Sequence[LabelId], label_names: Sequence[str], multi_label: bool,
    thresholds: Optional[list[float]], splits: dict[Split, _Labelled], combined: dict[Split, np.ndarray],
    metrics: dict[str, Any], started: float,
) -> tuple[RunId, Path]:
    """Build the model folder aside, then record the run, move the folder into it and store its
    probabilities; a failure on the way removes the run and the folder again."""
    project.runs_dir.mkdir(parents=True, exist_ok=True)
    staging = staging_path(project.runs_dir / "ensemble", folder=True)
    try:
        records = []
        for index, (run, member) in enumerate(zip(runs, members), start=1):
            if member.weight == 0:
                continue  # a fitted weight of 0: the member changes nothing
            folder = f"{MEMBERS_FOLDER}/{index}"
            shutil.copytree(_model_folder(project, run), staging / folder, copy_function=link_or_copy)
            records.append(MemberRecord(folder, member.weight, _columns(run, label_ids), int(run.id), run.name,
                                        member.validation.get("macro_f1")))
        Manifest(list(label_names), multi_label, thresholds, combination.value, records).write(staging)
        readable_as_new_files(staging)
        listed = ", ".join(str(run.id) for run in runs)
        params: dict[str, Any] = {
            "kind": RunKind.ENSEMBLE.value, "family": ENSEMBLE, "combination": combination.value,
            "members": [{"run_id": int(m.run_id), "name": m.name, "family": m.family, "weight": m.weight,
                         "predicted_texts": m.predicted} for m in members],
            "labels": list(label_names), "label_ids": [int(i) for i in label_ids], "multi_label": multi_label,
            "validation_size": len(splits[Split.VALIDATION].texts), "test_size": len(splits[Split.TEST].texts),
            "duration_seconds": round(time.time() - started, 1),
        }
        run_id = project.create_run(
            name or f"ensemble · {combination.value} of runs {listed}", f"ensemble of runs {listed}", params, started,
        )
        run_dir = project.runs_dir / str(run_id)
        try:
            run_dir.mkdir(exist_ok=True)
            os.replace(staging, run_dir / "best")
            rows = []
            for split in SCORED_SPLITS:
                labelled, probs = splits[split], combined[split]
                losses = text_losses(probs, labelled.targets, multi_label)
                ordered = np.sort(probs, axis=1)[:, ::-1]
                margins = ordered[:, 0] - ordered[:, 1]
                rows += [(example_id, label_ids[int(row.argmax())], row.tolist(), float(margin), float(loss))
                         for example_id, row, margin, loss in zip(labelled.example_ids, probs, margins, losses)]
            project.save_predictions(run_id, rows)
            project.update_run(run_id, status=RunStatus.FINISHED, metrics=metrics, path=str(run_dir), finished=True)
        except BaseException:
            project.delete_run(run_id)
            shutil.rmtree(run_dir, ignore_errors=True)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return run_id, run_dir / "best"
