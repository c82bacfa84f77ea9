"""The learning curve: the score of models fitted on 25, 50, 75 and 100% of the labelled training
texts, and whether labelling more is likely to pay.

Every point is scored on the same evaluation texts: the project's validation split, or (a
project without one) a stratified share of the training texts set aside for the curve alone.
The subsets are nested and stratified: each is the start of one order of the training texts
that keeps every label's share at any length, so a larger point adds texts and takes none
away. Each model is fitted through the family seam on a scratch project
(``held_out.HeldOutFitter``); the user's project is only read and nothing is stored.

The curve's error rate, 1 - score, is fitted by a power law in the number of labels n,
error = a·n^(-b) (a straight line in log-log axes, as learning curves of classifiers are
commonly modelled): it says how many more labels one more point of score would take at the
size reached. Its uncertainty comes from the evaluation texts: the fit is repeated on
bootstrap resamples of them (scores recomputed from the stored predictions, no model fitted
again), and the middle 80% of the answers is the interval given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

import numpy as np

from bertdesk.core import (
    CancelToken,
    LabelId,
    ProgressCallback,
    Sentence,
    Split,
    UserInputError,
    ignore_progress,
    subrange,
)
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.held_out import HeldOutFitter, LabelledText, labelled_texts, labels_in_use
from bertdesk.ml.metrics import classification_metrics
from bertdesk.store import Project

DEFAULT_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
METRIC_NAMES = {"accuracy": Sentence("accuracy"), "macro_f1": Sentence("macro-F1")}
ONE_POINT = 0.01
BEYOND_REACH = 1e12  # labelled texts: a gain that needs more is out of reach ("never")
BOOTSTRAP_SAMPLES = 200
INTERVAL_PERCENTILES = (10, 90)  # the middle 80% of the bootstrap answers


@dataclass(frozen=True)
class CurvePoint:
    fraction: float  # of the labelled training texts
    train_size: int  # labelled texts given to the model (the family keeps some for its own validation)
    score: float  # the metric on the evaluation texts
    seconds: float


@dataclass(frozen=True)
class PowerLaw:
    """error(n) = scale · n^(-exponent): the error rate at n labelled training texts."""

    scale: float
    exponent: float

    @classmethod
    def fit(cls, sizes: Sequence[float], scores: Sequence[float], floor: float) -> PowerLaw:
        """Least squares in log-log axes; an error under ``floor`` (a perfect score) counts as it."""
        errors = np.maximum(1 - np.asarray(scores, dtype=float), floor)
        slope, intercept = np.polyfit(np.log(np.asarray(sizes, dtype=float)), np.log(errors), 1)
        return cls(float(math.exp(intercept)), float(-slope))

    def score(self, size: float) -> float:
        return 1 - self.scale * size ** -self.exponent

    def more_labels_for(self, gain: float, size: float) -> float:
        """How many labels beyond ``size`` raise the fitted score by ``gain``; inf where the fit
        never gets there (a flat or falling curve, or a score past 1)."""
        target_error = 1 - (self.score(size) + gain)
        if self.exponent <= 0 or target_error <= 0:
            return math.inf
        log_size = (math.log(self.scale) - math.log(target_error)) / self.exponent
        return math.exp(log_size) - size if log_size < math.log(BEYOND_REACH) else math.inf


@dataclass(frozen=True)
class LearningCurve:
    metric: str  # "accuracy" or "macro_f1"
    points: list[CurvePoint]
    evaluation_size: int
    evaluation_set_aside: bool  # the project had no validation texts: part of the training texts
    law: PowerLaw  # fitted on every point
    bootstrap_laws: list[PowerLaw]  # fitted on resamples of the evaluation texts
    more_labels: float  # for +1 point at the largest size, by ``law``; inf: not by this curve
    more_labels_interval: tuple[float, float]
    verdict: Sentence  # the answer in words

    def score_interval(self, size: float) -> tuple[float, float]:
        """The middle 80% of the bootstrap fits' scores at ``size`` (a band around the curve)."""
        scores = [law.score(size) for law in self.bootstrap_laws]
        low, high = np.percentile(scores, INTERVAL_PERCENTILES)
        return float(low), float(high)


def learning_curve(
    project: Project, config: TrainConfig, fractions: Sequence[float] = DEFAULT_FRACTIONS,
    metric: str = "macro_f1", progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> LearningCurve:
    """Fit a model per fraction of the training texts and score each on the evaluation texts.

    Progress gives each fit a part of the range in proportion to its size. Raises
    ``Cancelled`` when ``cancel`` is set and ``UserInputError`` for too few texts or points.
    """
    if metric not in METRIC_NAMES:
        raise UserInputError("Unknown score {metric}.", "Use accuracy or macro_f1.", metric=metric)
    fractions = sorted(set(float(f) for f in fractions))
    if len(fractions) < 2 or fractions[0] <= 0 or fractions[-1] > 1:
        raise UserInputError(
            "A learning curve needs at least two fractions between 0 and 1.", "For example 0.25 0.5 0.75 1.",
        )
    cancel = cancel or CancelToken()
    config.validate()
    pool = labelled_texts(project, (Split.TRAIN, Split.UNASSIGNED))
    evaluation = labelled_texts(project, (Split.VALIDATION,))
    labels = labels_in_use(project, [*pool, *evaluation])
    column = {label.id: i for i, label in enumerate(labels)}
    order = stratified_order(_strata(pool, column), config.seed)
    set_aside = not evaluation
    if set_aside:
        aside = max(1, round(len(pool) * config.validation_fraction))
        evaluation = [pool[i] for i in order[:aside]]
        order = order[aside:]
    if len(order) < 2 * len(labels) or len(labels) < 2:
        raise UserInputError(
            "Too few labelled training texts for a learning curve: {count}.",
            "Label more texts: each point fits a model on a share of them.", count=len(order),
        )
    targets = [tuple(column[label_id] for label_id in text.label_ids) for text in evaluation]
    names = [label.name for label in labels]
    fitter = HeldOutFitter(labels, project.multi_label, config)
    points: list[CurvePoint] = []
    predictions: list[np.ndarray] = []
    done, total = 0.0, sum(fractions)
    for fraction in fractions:
        cancel.raise_if_cancelled()
        subset = [pool[i] for i in order[: max(1, round(len(order) * fraction))]]
        part = subrange(progress, done / total, (done + fraction) / total)
        predicted = fitter.fit_and_predict(subset, evaluation, _point_progress(part, fraction, len(subset)), cancel)
        done += fraction
        scores = classification_metrics(predicted.probabilities, targets, names, project.multi_label)
        points.append(CurvePoint(fraction, len(subset), float(scores[metric]), predicted.seconds))
        predictions.append(predicted.probabilities)
    progress(1.0, Sentence("Learning curve done"))
    return _fitted_curve(metric, points, predictions, targets, names, project.multi_label, set_aside, config.seed)


def stratified_order(strata: np.ndarray, seed: int) -> np.ndarray:
    """An order of the texts in which every start keeps each stratum's share: each stratum is
    shuffled and its k-th of n texts placed at (k + 1/2) / n of the way."""
    rng = np.random.default_rng(seed)
    position = np.zeros(len(strata))
    for stratum in np.unique(strata):
        members = np.flatnonzero(strata == stratum)
        position[rng.permutation(members)] = (np.arange(len(members)) + 0.5) / len(members)
    tie_break = rng.random(len(strata))
    order: np.ndarray = np.lexsort((tie_break, position))
    return order


def _strata(texts: Sequence[LabelledText], column: dict[LabelId, int]) -> np.ndarray:
    return np.array([column[text.label_ids[0]] for text in texts], dtype=int)


def _point_progress(progress: ProgressCallback, fraction: float, count: int) -> ProgressCallback:
    def report(done: float, message: str) -> None:
        progress(done, Sentence("{percent}% of the training texts ({count}): {phase}",
                                percent=round(fraction * 100), count=count, phase=message))

    return report


def _fitted_curve(
    metric: str, points: list[CurvePoint], predictions: list[np.ndarray], targets: list[tuple[int, ...]],
    names: list[str], multi_label: bool, set_aside: bool, seed: int,
) -> LearningCurve:
    """The power law through the points, its bootstrap over the evaluation texts, and the verdict."""
    sizes = [point.train_size for point in points]
    floor = 0.5 / len(targets)
    law = PowerLaw.fit(sizes, [point.score for point in points], floor)
    rng = np.random.default_rng(seed)
    bootstrap_laws = []
    for _ in range(BOOTSTRAP_SAMPLES):
        sample = rng.integers(0, len(targets), len(targets))
        resampled = [targets[i] for i in sample]
        scores = [classification_metrics(probabilities[sample], resampled, names, multi_label)[metric]
                  for probabilities in predictions]
        bootstrap_laws.append(PowerLaw.fit(sizes, scores, floor))
    largest = sizes[-1]
    more = law.more_labels_for(ONE_POINT, largest)
    answers = sorted(fit.more_labels_for(ONE_POINT, largest) for fit in bootstrap_laws)
    interval = (answers[len(answers) * INTERVAL_PERCENTILES[0] // 100],
                answers[len(answers) * INTERVAL_PERCENTILES[1] // 100])
    return LearningCurve(
        metric, points, len(targets), set_aside, law, bootstrap_laws, more, interval,
        _verdict(METRIC_NAMES[metric], points, law, more, interval),
    )


def _verdict(metric: Sentence, points: list[CurvePoint], law: PowerLaw, more: float,
             interval: tuple[float, float]) -> Sentence:
    """Whether more labels are likely to help, in words."""
    largest = points[-1].train_size
    if max(points[-1].score, law.score(largest)) + ONE_POINT >= 1:
        return Sentence("{metric} is within a point of 100% already: more labels cannot add a whole point.",
                        metric=metric)
    if not math.isfinite(more):
        return Sentence(
            "More labels are unlikely to help: {metric} hardly rose from {first} to {last} training texts.",
            metric=metric, first=points[0].train_size, last=largest,
        )
    low, high = interval
    if not math.isfinite(low):
        likely = Sentence("very uncertain: most resamples never get there")
    elif not math.isfinite(high):
        likely = Sentence("likely {low} or more", low=_about(low))
    else:
        likely = Sentence("likely between {low} and {high}", low=_about(low), high=_about(high))
    if more <= largest:
        return Sentence("More labels are likely to help: about {more} more labels for +1 point of "
                        "{metric} ({likely}).", more=_about(more), metric=metric, likely=likely)
    return Sentence("More labels help only slowly: +1 point of {metric} would take about {more} "
                    "more labels ({likely}).", more=_about(more), metric=metric, likely=likely)


def _about(count: float) -> str:
    """A count to two significant figures, with thousands separators: 1234 -> "1,200"."""
    if count < 10:
        return str(max(0, round(count)))
    digits = int(math.floor(math.log10(count))) - 1
    return f"{int(round(count, -digits)):,}"
