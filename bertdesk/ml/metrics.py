"""Classification metrics from probabilities, for single- and multi-label models (numpy only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def single_label_metrics(
    probs: np.ndarray, targets: np.ndarray, label_names: Sequence[str]
) -> dict[str, Any]:
    """Accuracy, macro/micro/weighted F1, per-class table and confusion matrix [true][predicted]."""
    n = len(label_names)
    predicted = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=int)
    confusion = np.zeros((n, n), dtype=int)
    np.add.at(confusion, (targets, predicted), 1)
    true_positive = np.diag(confusion).astype(float)
    per_class = _per_class(true_positive, confusion.sum(axis=0), confusion.sum(axis=1), label_names)
    total = max(len(targets), 1)
    return {
        "accuracy": float(true_positive.sum() / total),
        **_averages(per_class, micro_f1=float(true_positive.sum() / total)),
        "per_class": per_class,
        "confusion": confusion.tolist(),
    }


def multi_label_metrics(
    probs: np.ndarray, targets: np.ndarray, thresholds: np.ndarray, label_names: Sequence[str]
) -> dict[str, Any]:
    """Subset accuracy and per-label F1 of multi-hot ``targets`` against thresholded ``probs``."""
    predicted = probs >= thresholds[None, :]
    truth = targets.astype(bool)
    true_positive = (predicted & truth).sum(axis=0).astype(float)
    per_class = _per_class(true_positive, predicted.sum(axis=0), truth.sum(axis=0), label_names)
    tp, fp, fn = true_positive.sum(), (predicted & ~truth).sum(), (~predicted & truth).sum()
    micro = float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else 0.0
    return {
        "accuracy": float((predicted == truth).all(axis=1).mean()) if len(truth) else 0.0,
        **_averages(per_class, micro_f1=micro),
        "per_class": per_class,
        "confusion": [],
    }


def classification_metrics(
    probs: np.ndarray, targets: Sequence[tuple[int, ...]], names: Sequence[str], multi_label: bool,
) -> dict[str, Any]:
    """A run's metrics on its validation texts, for every family: multi-label tunes each
    label's threshold on these texts and keeps them with the metrics."""
    if not multi_label:
        return single_label_metrics(probs, np.array([t[0] for t in targets], dtype=int), list(names))
    present = multi_hot(targets, len(names))
    thresholds = tune_thresholds(probs, present)
    result = multi_label_metrics(probs, present, thresholds, list(names))
    result["thresholds"] = [float(t) for t in thresholds]
    return result


PROBABILITY_FLOOR = 1e-9  # the least probability a loss takes the log of
# Only ever softer: validation texts that the model gets all right pull the fitted scale below
# 1 (surer and surer), which would make it more overconfident on new texts, not less.
TEMPERATURE_BOUNDS = (1.0, 8.0)


def multi_hot(targets: Sequence[tuple[int, ...]], labels: int) -> np.ndarray:
    present = np.zeros((len(targets), labels), dtype=np.int8)
    for row, columns in enumerate(targets):
        present[row, list(columns)] = 1
    return present


def observed_probabilities(probs: np.ndarray, targets: Sequence[tuple[int, ...]], multi_label: bool) -> np.ndarray:
    """Per text, the probability the model gave to what was observed: the given label's
    (one column), or per label that of its presence or absence (multi-label)."""
    probs = probs.astype(np.float64)
    if multi_label:
        observed: np.ndarray = np.where(multi_hot(targets, probs.shape[1]).astype(bool), probs, 1.0 - probs)
        return observed
    return probs[np.arange(len(targets)), [t[0] for t in targets]][:, None]


def text_losses(probs: np.ndarray, targets: Sequence[tuple[int, ...]], multi_label: bool) -> np.ndarray:
    """Cross-entropy per text (multi-label: the mean binary cross-entropy over the labels)."""
    observed = np.clip(observed_probabilities(probs, targets, multi_label), PROBABILITY_FLOOR, 1.0)
    losses: np.ndarray = -np.log(observed).mean(axis=1)
    return losses


def with_temperature(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Softmax probabilities as the same logits divided by ``temperature`` would give them
    (log-probabilities differ from the logits by a constant per row, which softmax drops)."""
    scaled = np.log(np.maximum(probs, PROBABILITY_FLOOR)) / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def fit_temperature(probs: np.ndarray, targets: Sequence[tuple[int, ...]]) -> float:
    """The temperature that minimises the log-loss of single-label ``probs`` on ``targets``
    (Guo et al. 2017, "On calibration of modern neural networks"): a fine-tuned model's
    confidence runs above its accuracy, and one scale on its logits brings it back without
    changing any prediction. The loss is smooth and unimodal in log T, so a bounded scalar
    search finds the minimum."""
    from scipy.optimize import minimize_scalar

    low, high = np.log(TEMPERATURE_BOUNDS)
    def loss(log_t: float) -> float:
        return float(text_losses(with_temperature(probs, float(np.exp(log_t))), targets, False).mean())

    found = minimize_scalar(loss, bounds=(low, high), method="bounded", options={"xatol": 1e-4})
    return float(np.exp(found.x))


def tune_thresholds(probs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per label, the threshold in 0.05..0.95 that gives the best F1 on these texts."""
    grid = np.arange(0.05, 0.96, 0.05)
    best = np.full(probs.shape[1], 0.5)
    for label in range(probs.shape[1]):
        truth = targets[:, label].astype(bool)
        scores = []
        for threshold in grid:
            predicted = probs[:, label] >= threshold
            tp = (predicted & truth).sum()
            denominator = predicted.sum() + truth.sum()
            scores.append(2 * tp / denominator if denominator else 0.0)
        best[label] = grid[int(np.argmax(scores))]
    return best


def _per_class(
    true_positive: np.ndarray, predicted_count: np.ndarray, support: np.ndarray,
    label_names: Sequence[str],
) -> list[dict[str, Any]]:
    rows = []
    for i, name in enumerate(label_names):
        precision = true_positive[i] / predicted_count[i] if predicted_count[i] else 0.0
        recall = true_positive[i] / support[i] if support[i] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"label": name, "precision": float(precision), "recall": float(recall),
                     "f1": float(f1), "support": int(support[i]), "predicted": int(predicted_count[i])})
    return rows


def is_scored(row: dict[str, Any]) -> bool:
    """Whether a per-label row has anything to score: texts that carry the label or were given
    it. Tables show a dash for the others, and macro-F1 leaves them out (rows of runs from
    before the count was kept are taken as scored)."""
    return int(row["support"]) > 0 or int(row.get("predicted", 1)) > 0


def shown_scores(row: dict[str, Any], spec: str) -> tuple[str, str, str]:
    """A per-label row's precision, recall and F1 formatted by ``spec`` (".1%", ".3f"), or a
    dash each where the row has nothing to score: 0 % would read as a label the model fails."""
    if not is_scored(row):
        return ("—", "—", "—")
    return (format(row["precision"], spec), format(row["recall"], spec), format(row["f1"], spec))


def _averages(per_class: list[dict[str, Any]], micro_f1: float) -> dict[str, float]:
    """Macro-F1 averages the labels these texts carry or were given, as scikit-learn's does: a
    label without validation texts (a label of a single text trains on it) would otherwise
    count as an F1 of 0, and cap a perfect model's score below 1."""
    f1 = np.array([row["f1"] for row in per_class])
    support = np.array([row["support"] for row in per_class], dtype=float)
    present = np.array([is_scored(row) for row in per_class], dtype=bool)
    return {
        "macro_f1": float(f1[present].mean()) if present.any() else 0.0,
        "micro_f1": micro_f1,
        "weighted_f1": float((f1 * support).sum() / support.sum()) if support.sum() else 0.0,
    }
