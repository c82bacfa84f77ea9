"""Confident learning (ml.confident_learning) against an example worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from bertdesk.ml.confident_learning import NO_LABEL, Ranking, find_label_issues

# Nine texts, three labels. Given labels and out-of-sample probabilities:
LABELS = np.array([0, 0, 0, 1, 1, 1, 2, 2, 0])
PROBABILITIES = np.array([
    [0.80, 0.10, 0.10],  # 0: labelled 0, sure of it
    [0.35, 0.25, 0.40],  # 1: labelled 0, reaches no threshold (0.35 < t0, 0.25 < t1, 0.40 < t2)
    [0.10, 0.80, 0.10],  # 2: labelled 0, looks like 1
    [0.30, 0.70, 0.00],  # 3: labelled 1, sure of it
    [0.43, 0.13, 0.44],  # 4: labelled 1, looks like 0: 2 is likelier but short of its threshold
    [0.27, 0.18, 0.55],  # 5: labelled 1, looks like 2
    [0.00, 0.30, 0.70],  # 6: labelled 2, sure of it
    [0.05, 0.75, 0.20],  # 7: labelled 2, looks like 1
    [0.42, 0.00, 0.58],  # 8: labelled 0, reaches t0 and t2: the more probable, 2, wins
])
# t0 = (0.80 + 0.35 + 0.10 + 0.42) / 4 = 0.4175; t1 = (0.70 + 0.13 + 0.18) / 3 = 0.33667;
# t2 = (0.70 + 0.20) / 2 = 0.45
THRESHOLDS = [0.4175, 1.01 / 3, 0.45]
PROBABLE = [0, NO_LABEL, 1, 1, 0, 2, 2, 1, 2]
# [given][probable]: row 0 holds texts 0, 2, 8 (text 1 in no cell); row 1 texts 4, 3, 5; row 2 texts 7, 6
JOINT = [[1, 1, 1], [1, 1, 1], [0, 1, 1]]
# Off the diagonal: texts 2, 4, 5, 7, 8. Probability of the given label: 0.10, 0.13, 0.18, 0.20,
# 0.42; minus the best other label's: -0.70, -0.31, -0.37, -0.55, -0.16.
BY_SELF_CONFIDENCE = [2, 4, 5, 7, 8]
BY_NORMALIZED_MARGIN = [2, 7, 5, 4, 8]
# Calibrated to the label counts (4, 3, 2): row 0 off-diagonal 2/3 * 4, row 1 2/3 * 3, row 2
# 1/2 * 2: 2.67 + 2 + 1 = 5.67 label errors estimated.
ESTIMATED = 6


def test_confident_learning_on_an_example_worked_out_by_hand() -> None:
    issues = find_label_issues(LABELS, PROBABILITIES)
    assert issues.thresholds == pytest.approx(THRESHOLDS)
    assert issues.probable_labels.tolist() == PROBABLE
    assert issues.confident_joint.tolist() == JOINT
    assert issues.ranked.tolist() == BY_SELF_CONFIDENCE
    assert issues.estimated_errors == ESTIMATED
    assert find_label_issues(LABELS, PROBABILITIES, Ranking.NORMALIZED_MARGIN).ranked.tolist() == BY_NORMALIZED_MARGIN


def test_the_thresholds_are_per_label_so_a_timid_label_still_finds_its_members() -> None:
    # The model is never above 0.4 for label 1, yet its members stand out against the other
    # texts: a single global cut-off of 0.5 would call every label-1 text something else.
    labels = np.array([0, 0, 0, 1, 1, 1])
    probabilities = np.array([
        [0.9, 0.1], [0.85, 0.15], [0.7, 0.3], [0.62, 0.38], [0.65, 0.35], [0.9, 0.1],
    ])
    issues = find_label_issues(labels, probabilities)
    assert issues.thresholds == pytest.approx([(0.9 + 0.85 + 0.7) / 3, (0.38 + 0.35 + 0.1) / 3])
    assert issues.ranked.tolist() == [5, 2]  # the label-1 text that looks like 0, and the reverse
    assert issues.probable_labels[[3, 4]].tolist() == [1, 1]


def test_a_label_no_text_carries_is_never_suggested() -> None:
    labels = np.array([0, 0, 1, 1])
    probabilities = np.array([[0.5, 0.1, 0.4], [0.6, 0.1, 0.3], [0.1, 0.5, 0.4], [0.2, 0.7, 0.1]])
    issues = find_label_issues(labels, probabilities)
    assert np.isinf(issues.thresholds[2]) and 2 not in issues.probable_labels
