"""How good a run is on validation or test: metrics, confusion matrix and the texts behind them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

from bertdesk.core import CancelToken, ProgressCallback, UserInputError, ignore_progress
from bertdesk.core.types import RunId, Split
from bertdesk.ml.metrics import multi_label_metrics, single_label_metrics
from bertdesk.store import Project


@dataclass
class EvaluationReport:
    split: str
    label_names: list[str]
    accuracy: float
    macro_f1: float
    micro_f1: float
    weighted_f1: float
    per_class: list[dict[str, Any]]
    confusion: list[list[int]]  # [true][predicted]
    examples: list[dict[str, Any]]  # example_id, text, true, predicted, confidence, loss, margin


def run_model_dir(project: Project, run_id: RunId) -> Path:
    """The run's best model folder (a standard Hugging Face folder)."""
    from bertdesk.ml.predict import run_model_folder

    return run_model_folder(project, run_id)[1]


def evaluate_run(
    project: Project,
    run_id: RunId,
    split: Split = Split.VALIDATION,
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> EvaluationReport:
    """Score a run on the split's labelled texts as they are labelled now.

    Uses the probabilities stored with the run at the end of training; texts without one
    (labelled or moved into the split since) are predicted with the run's model.
    """
    run = project.run(run_id)
    label_names: list[str] = run.params.get("labels", [])
    label_ids: list[int] = run.params.get("label_ids", [])
    if not label_names:
        raise UserInputError("Run {run_id} finished no evaluation.", "Pick another run.", run_id=run_id)
    column = {lid: i for i, lid in enumerate(label_ids)}
    examples = [
        (eid, text, [column[lid] for lid in lids if lid in column])
        for eid, text, lids, _ in project.labelled_examples([split])
    ]
    examples = [row for row in examples if row[2]]
    if not examples:
        raise UserInputError(
            "No labelled {split} texts with this run's labels.",
            "Pick another split, or assign texts to it.",
            split=split.words,
        )
    stored = {p.example_id: p for p in project.predictions(run_id, [eid for eid, _, _ in examples])}
    probs = np.zeros((len(examples), len(label_names)), dtype=np.float32)
    missing = []
    for i, (eid, _, _) in enumerate(examples):
        found = stored.get(eid)
        if found is not None and len(found.probs) == len(label_names):
            probs[i] = found.probs
        else:
            missing.append(i)
    if missing:
        from bertdesk.ml.models import load_predictor

        predictor = load_predictor(run_model_dir(project, run_id))
        probs[missing] = predictor.predict_proba(
            [examples[i][1] for i in missing], progress=progress, cancel=cancel
        )
    multi_label = bool(run.params.get("multi_label"))
    if multi_label:
        targets = np.zeros_like(probs, dtype=np.int8)
        for row, (_, _, labels) in enumerate(examples):
            targets[row, labels] = 1
        thresholds = np.array(run.metrics.get("thresholds") or [0.5] * len(label_names))
        metrics = multi_label_metrics(probs, targets, thresholds, label_names)
        losses = -(targets * np.log(probs + 1e-9) + (1 - targets) * np.log(1 - probs + 1e-9)).mean(axis=1)
    else:
        truth = np.array([labels[0] for _, _, labels in examples])
        metrics = single_label_metrics(probs, truth, label_names)
        losses = -np.log(probs[np.arange(len(truth)), truth] + 1e-9)
    ordered = np.sort(probs, axis=1)[:, ::-1]
    margins = ordered[:, 0] - (ordered[:, 1] if probs.shape[1] > 1 else 0)
    rows = [
        {
            "example_id": int(eid), "text": text,
            "true": [label_names[i] for i in labels],
            "predicted": label_names[int(probs[row].argmax())],
            "confidence": float(probs[row].max()), "loss": float(losses[row]),
            "margin": float(margins[row]),
        }
        for row, (eid, text, labels) in enumerate(examples)
    ]
    progress(1.0, "Evaluated")
    return EvaluationReport(
        split.value, label_names, metrics["accuracy"], metrics["macro_f1"], metrics["micro_f1"],
        metrics["weighted_f1"], metrics["per_class"], metrics["confusion"], rows,
    )
