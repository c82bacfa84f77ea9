"""The run metrics against scikit-learn's, on labels that validation texts may lack."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from bertdesk.ml.metrics import classification_metrics, shown_scores, single_label_metrics


def one_hot_probs(predicted: np.ndarray, labels: int) -> np.ndarray:
    probs = np.full((len(predicted), labels), 0.01)
    probs[np.arange(len(predicted)), predicted] = 0.9
    return probs


@pytest.mark.parametrize("seed", range(5))
def test_single_label_scores_match_scikit_learn(seed: int) -> None:
    """Labels 5 and 6 carry no text here (a label trained from its only text): only a label
    that is carried or predicted counts in the macro average, as in scikit-learn."""
    rng = np.random.default_rng(seed)
    targets = rng.integers(0, 5, 60)
    predicted = np.where(rng.random(60) < 0.7, targets, rng.integers(0, 6, 60))  # 5: wrongly predicted
    metrics = single_label_metrics(one_hot_probs(predicted, 7), targets, [f"l{i}" for i in range(7)])
    assert metrics["accuracy"] == pytest.approx(accuracy_score(targets, predicted))
    assert metrics["macro_f1"] == pytest.approx(f1_score(targets, predicted, average="macro"))
    assert metrics["weighted_f1"] == pytest.approx(f1_score(targets, predicted, average="weighted"))


def test_a_perfect_model_scores_one_where_a_label_has_no_validation_text() -> None:
    targets = np.array([0, 1, 0, 1])
    metrics = single_label_metrics(one_hot_probs(targets, 3), targets, ["a", "b", "only one text"])
    assert metrics["macro_f1"] == 1.0
    assert [row["support"] for row in metrics["per_class"]] == [2, 2, 0]
    assert [shown_scores(row, ".1%") for row in metrics["per_class"]] == [
        ("100.0%", "100.0%", "100.0%"), ("100.0%", "100.0%", "100.0%"), ("—", "—", "—")]


def test_a_label_given_to_texts_that_do_not_carry_it_scores_zero() -> None:
    targets = np.array([0, 1, 0, 1])
    metrics = single_label_metrics(one_hot_probs(np.array([0, 1, 2, 1]), 3), targets, ["a", "b", "c"])
    assert shown_scores(metrics["per_class"][2], ".2f") == ("0.00", "0.00", "0.00")
    assert metrics["macro_f1"] == pytest.approx((2 / 3 + 1.0 + 0.0) / 3)  # a: half its texts found


def test_multi_label_macro_leaves_out_labels_neither_carried_nor_predicted() -> None:
    rng = np.random.default_rng(0)
    truth = (rng.random((40, 5)) < 0.4).astype(int)
    truth[:, 4] = 0  # a label no validation text carries
    probs = np.clip(truth * 0.8 + rng.random((40, 5)) * 0.3, 0, 1)
    probs[:, 4] = 0.0  # ... and the model never gives (no threshold reaches 0)
    metrics = classification_metrics(
        probs, [tuple(np.flatnonzero(row)) for row in truth], [f"l{i}" for i in range(5)], True,
    )
    predicted = probs >= np.array(metrics["thresholds"])[None, :]
    assert metrics["macro_f1"] == pytest.approx(
        f1_score(truth, predicted, average="macro", zero_division=np.nan)
    )
    assert metrics["macro_f1"] > f1_score(truth, predicted, average="macro", zero_division=0)


def test_the_fitted_temperature_undoes_overconfidence_and_never_sharpens() -> None:
    from bertdesk.ml.metrics import fit_temperature, text_losses, with_temperature

    def mean_log_loss(probs: np.ndarray, targets: list[tuple[int, ...]]) -> float:
        return float(text_losses(probs, targets, False).mean())

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 5000)
    targets = [(int(label),) for label in labels]
    signal = rng.normal(size=(5000, 3))
    signal[np.arange(5000), labels] += 1.0
    # Gaussian signal: P(label | signal) is the softmax of 1.0 x signal, so those are calibrated.
    calibrated = with_temperature(np.exp(signal) / np.exp(signal).sum(axis=1, keepdims=True), 1.0)
    overconfident = with_temperature(calibrated, 1 / 3)  # the same logits three times as large
    temperature = fit_temperature(overconfident, targets)
    assert temperature == pytest.approx(3.0, rel=0.1)
    assert (with_temperature(overconfident, temperature).argmax(axis=1) == overconfident.argmax(axis=1)).all()
    assert mean_log_loss(with_temperature(overconfident, temperature), targets) < mean_log_loss(overconfident, targets)
    # An underconfident model is left as it is: the bound keeps the fit from sharpening.
    assert fit_temperature(with_temperature(calibrated, 3.0), targets) == pytest.approx(1.0, abs=1e-3)
