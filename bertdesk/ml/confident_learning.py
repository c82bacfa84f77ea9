"""Confident learning: which given labels a model's out-of-sample probabilities doubt.

The method of Northcutt, Jiang and Chuang, "Confident Learning: Estimating Uncertainty in
Dataset Labels" (JAIR 2021), written here from the paper on numpy (the cleanlab package is
AGPL-licensed, so it is neither used nor copied):

1. Each label j gets a threshold t_j, the mean probability of j over the texts labelled j:
   how sure the model is of its own kind when it is right to be. Per label, so a model that
   is timid about a rare label still finds its members.
2. A text counts as probably belonging to label j when its probability of j reaches t_j; of
   several such labels, the most probable. Texts labelled i that probably belong to j are
   the cell [i][j] of the *confident joint*; a text that reaches no threshold is in none.
3. The texts off its diagonal (labelled i, probably j != i) are the likely label errors
   (the paper's method C_{ỹ,y*}), each suggesting j. They are ranked by
   self-confidence (the probability of the given label, lowest first) or by normalized
   margin (that probability minus the highest other one, lowest first).

   Self-confidence is the default, as in cleanlab's quickstart; measured on waimai_10k with
   5% of the labels flipped (``benchmarks/label_errors.py``, fast model, k = the 599 flipped),
   the precision of the first k is 0.549 by either (with two labels the margin is 2p - 1, the
   same order) and by the lowest given-label probability over all texts (what CL flags
   exceeds k and starts with those). Orders tried and left out: Northcutt's "prune by noise
   rate" (taking from each off-diagonal cell as many as the calibrated joint estimates,
   largest margin first) 0.538; the probabilities less each label's threshold 0.499. What
   raises it is better probabilities, not the order: averaging over rounds of folds
   (``ml.crossval``, ``repeats``) 0.559 with 3, 0.564 with 5.

The confident joint calibrated to the label counts (step 2 rescaled so that each row holds as
many texts as carry that label) estimates how many label errors there are in all.
The probabilities must be out-of-sample, e.g. cross-validated (``ml.crossval``): a model's
probabilities on its own training texts agree with their labels, errors included.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bertdesk.core.types import TextEnum

NO_LABEL = -1  # a text that reaches no label's threshold: no probable label


class Ranking(TextEnum):
    """How the likely label errors are put in order, most likely first."""

    SELF_CONFIDENCE = "self-confidence"
    NORMALIZED_MARGIN = "normalized-margin"


@dataclass(frozen=True)
class LabelIssues:
    """Confident learning's findings on n texts with m labels."""

    thresholds: np.ndarray  # (m,) t_j
    probable_labels: np.ndarray  # (n,) each text's probable label, or NO_LABEL
    confident_joint: np.ndarray  # (m, m) counts [given][probable]
    estimated_errors: int  # label errors estimated from the calibrated confident joint
    ranked: np.ndarray  # indices of the texts off the joint's diagonal, most likely error first
    label_quality: np.ndarray  # (n,) the ranking's score per text: lower is more doubtful


def per_label_thresholds(labels: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """t_j: the mean probability of label j over the texts labelled j. A label no text carries
    gives no evidence of what its members look like: its threshold is out of reach."""
    m = probabilities.shape[1]
    counts = np.bincount(labels, minlength=m)
    sums = np.bincount(labels, weights=probabilities[np.arange(len(labels)), labels], minlength=m)
    thresholds: np.ndarray = np.where(counts > 0, sums / np.maximum(counts, 1), np.inf)
    return thresholds


def probable_labels(probabilities: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Per text, the most probable of the labels whose threshold it reaches (NO_LABEL for none)."""
    reached = probabilities >= thresholds[None, :]
    masked = np.where(reached, probabilities, -np.inf)
    found: np.ndarray = np.where(reached.any(axis=1), masked.argmax(axis=1), NO_LABEL)
    return found


def confident_joint(labels: np.ndarray, probable: np.ndarray, m: int) -> np.ndarray:
    """Counts of texts by (given label, probable label); texts without a probable label left out."""
    joint = np.zeros((m, m), dtype=int)
    counted = probable != NO_LABEL
    np.add.at(joint, (labels[counted], probable[counted]), 1)
    return joint


def estimated_error_count(joint: np.ndarray, labels: np.ndarray) -> int:
    """The off-diagonal share of the confident joint calibrated so that each row holds as many
    texts as carry its label (a row the thresholds left empty keeps its texts on the diagonal)."""
    m = joint.shape[0]
    counts = np.bincount(labels, minlength=m).astype(float)
    rows = joint.sum(axis=1, keepdims=True).astype(float)
    calibrated = np.where(rows > 0, joint / np.maximum(rows, 1) * counts[:, None], np.diag(counts))
    return int(round(calibrated.sum() - np.trace(calibrated)))


def label_quality(labels: np.ndarray, probabilities: np.ndarray, ranking: Ranking) -> np.ndarray:
    """Per text, how well the model backs its given label: lower is more doubtful."""
    given = probabilities[np.arange(len(labels)), labels]
    if ranking is Ranking.SELF_CONFIDENCE:
        result: np.ndarray = given
        return result
    others = probabilities.copy()
    others[np.arange(len(labels)), labels] = -np.inf
    result = given - others.max(axis=1)
    return result


def find_label_issues(
    labels: np.ndarray, probabilities: np.ndarray, ranking: Ranking = Ranking.SELF_CONFIDENCE,
) -> LabelIssues:
    """Confident learning over texts with given ``labels`` (n label indices) and out-of-sample
    ``probabilities`` (n rows, a column per label)."""
    labels = np.asarray(labels, dtype=int)
    probabilities = np.asarray(probabilities, dtype=np.float64)
    thresholds = per_label_thresholds(labels, probabilities)
    probable = probable_labels(probabilities, thresholds)
    joint = confident_joint(labels, probable, probabilities.shape[1])
    quality = label_quality(labels, probabilities, ranking)
    off_diagonal = np.flatnonzero((probable != NO_LABEL) & (probable != labels))
    ranked = off_diagonal[np.lexsort((off_diagonal, quality[off_diagonal]))]
    return LabelIssues(thresholds, probable, joint, estimated_error_count(joint, labels), ranked, quality)
