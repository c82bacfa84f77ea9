"""The learning curve: the score of models fitted on 25, 50, 75 and 100% of the labelled training
texts, and whether labelling more is likely to pay.

Every point is scored on the same evaluation texts: the project's validation split, or (a
project without one) a stratified share of the training texts set aside for the curve alone.
The subsets are nested and stratified: each is the start of one order of the training texts
that keeps every label's share at any length, so a larger point adds texts and takes none
away. With ``samples`` above 1, each point is the mean score of that many models, each fitted
on the start of an order of its own: one sample's curve bends with the luck of its draw. Each
model is fitted through the family seam on a scratch project (``held_out.HeldOutFitter``); the
user's project is only read and nothing is stored.

The curve's error rate, 1 - score, is fitted by a power law in the number of labels n that
levels off, error = a·n^(-b) + c (the inverse power law learning curves of classifiers are
commonly modelled by; c is the error no number of labels removes): it says how many more
labels one more point of score would take at the size reached, or that the curve has
levelled off. Its uncertainty comes from the evaluation texts: the fit is repeated on
bootstrap resamples of them (scores recomputed from the stored predictions, no model fitted
again), and the middle 80% of the answers is the interval given. It leaves out the variation
between models fitted on other samples of the same size, which more samples per point shrink.
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
from bertdesk.ml.family import FAST
from bertdesk.ml.held_out import HeldOutFitter, LabelledText, labelled_texts, labels_in_use
from bertdesk.ml.metrics import classification_metrics
from bertdesk.store import Project

DEFAULT_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
METRIC_NAMES = {"accuracy": Sentence("accuracy"), "macro_f1": Sentence("macro-F1")}
ONE_POINT = 0.01
BEYOND_REACH = 1e12  # labelled texts: a gain that needs more is out of reach ("never")
MAX_EXPONENT = 5.0  # steeper than any learning curve: a curve that levels off at once
BOOTSTRAP_SAMPLES = 200
INTERVAL_PERCENTILES = (10, 90)  # the middle 80% of the bootstrap answers


@dataclass(frozen=True)
class CurvePoint:
    fraction: float  # of the labelled training texts
    train_size: int  # labelled texts given to each model (the family keeps some for its own validation)
    score: float  # the metric on the evaluation texts: the mean over the samples
    sample_scores: tuple[float, ...]  # each sample's model's
    seconds: float  # fitting and predicting, all samples


@dataclass(frozen=True)
class PowerLaw:
    """error(n) = scale · n^(-exponent) + floor: the error rate at n labelled training texts,
    falling as a power of n towards the error no number of labels removes."""

    scale: float
    exponent: float
    floor: float

    @classmethod
    def fit(cls, sizes: Sequence[float], scores: Sequence[float]) -> PowerLaw:
        """Least squares over the points (three or more), the floor between 0 and the smallest
        error seen, the exponent between 0 and MAX_EXPONENT. Sizes are taken relative to the
        largest while fitting, so the scale stays a number of ordinary size."""
        from scipy.optimize import least_squares

        unit = float(max(sizes))
        relative = np.asarray(sizes, dtype=float) / unit
        errors = 1 - np.asarray(scores, dtype=float)
        # The start: the straight line in log-log axes through the points, with no floor.
        slope, intercept = np.polyfit(np.log(relative), np.log(np.maximum(errors, 1e-6)), 1)
        start = [intercept, float(np.clip(-slope, 0.01, MAX_EXPONENT - 0.01)), errors.min() / 2]

        def residuals(parameters: np.ndarray) -> np.ndarray:
            log_scale, exponent, floor = parameters
            result: np.ndarray = np.exp(log_scale) * relative ** -exponent + floor - errors
            return result

        fitted = least_squares(residuals, start, bounds=([-50, 0, 0], [50, MAX_EXPONENT, max(errors.min(), 1e-12)]))
        log_scale, exponent, floor = (float(value) for value in fitted.x)
        return cls(math.exp(log_scale) * unit ** exponent, exponent, floor)

    def score(self, size: float) -> float:
        return 1 - self.scale * size ** -self.exponent - self.floor

    def more_labels_for(self, gain: float, size: float) -> float:
        """How many labels beyond ``size`` raise the fitted score by ``gain``; inf where the fit
        never gets there (it levels off below, or the score would pass 1)."""
        reducible = (1 - self.score(size) - gain) - self.floor
        if self.exponent <= 0 or self.scale <= 0 or reducible <= 0:
            return math.inf
        log_size = (math.log(self.scale) - math.log(reducible)) / self.exponent
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


def default_samples(model: str) -> int:
    """Models per point: the mean of three smooths the curve of a model fitted in seconds (on
    8,000 SST-2 texts one sample's 100% score predicted from 25-75% missed by up to 2 points,
    the mean of three's by under 1); a transformer's fine-tuning runs are too dear for that."""
    return 3 if model == FAST else 1


def learning_curve(
    project: Project, config: TrainConfig, fractions: Sequence[float] = DEFAULT_FRACTIONS,
    metric: str = "macro_f1", samples: int = 1, progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> LearningCurve:
    """Fit ``samples`` models per fraction of the training texts, each on another stratified
    sample of that size, and score them on the evaluation texts.

    Progress gives each fit a part of the range in proportion to its size. Raises
    ``Cancelled`` when ``cancel`` is set and ``UserInputError`` for too few texts or points.
    """
    if metric not in METRIC_NAMES:
        raise UserInputError("Unknown score {metric}.", "Use accuracy or macro_f1.", metric=metric)
    fractions = sorted(set(float(f) for f in fractions))
    if len(fractions) < 3 or fractions[0] <= 0 or fractions[-1] > 1:
        raise UserInputError(
            "A learning curve needs at least three fractions between 0 and 1.", "For example 0.25 0.5 0.75 1.",
        )
    if samples < 1:
        raise UserInputError("Each point needs at least one sample.", "For example 3 with the fast model.")
    cancel = cancel or CancelToken()
    config.validate()
    pool = labelled_texts(project, (Split.TRAIN, Split.UNASSIGNED))
    evaluation = labelled_texts(project, (Split.VALIDATION,))
    labels = labels_in_use(project, [*pool, *evaluation])
    column = {label.id: i for i, label in enumerate(labels)}
    set_aside = not evaluation
    if set_aside:
        order = stratified_order(_strata(pool, column), config.seed)
        aside = max(1, round(len(pool) * config.validation_fraction))
        evaluation = [pool[i] for i in order[:aside]]
        pool = [pool[i] for i in sorted(order[aside:])]
    if len(pool) < 2 * len(labels) or len(labels) < 2:
        raise UserInputError(
            "Too few labelled training texts for a learning curve: {count}.",
            "Label more texts: each point fits a model on a share of them.", count=len(pool),
        )
    orders = [stratified_order(_strata(pool, column), config.seed + 1 + sample) for sample in range(samples)]
    targets = [tuple(column[label_id] for label_id in text.label_ids) for text in evaluation]
    names = [label.name for label in labels]
    fitter = HeldOutFitter(labels, project.multi_label, config)
    points: list[CurvePoint] = []
    predictions: list[list[np.ndarray]] = []  # per point, per sample
    done, total = 0.0, sum(fractions) * samples
    for fraction in fractions:
        size = max(1, round(len(pool) * fraction))
        scores, seconds, predictions_of_point = [], 0.0, []
        for sample, order in enumerate(orders, start=1):
            cancel.raise_if_cancelled()
            part = _point_progress(subrange(progress, done / total, (done + fraction) / total),
                                   fraction, size, sample, samples)
            predicted = fitter.fit_and_predict([pool[i] for i in order[:size]], evaluation, part, cancel)
            done += fraction
            scores.append(float(classification_metrics(
                predicted.probabilities, targets, names, project.multi_label)[metric]))
            seconds += predicted.seconds
            predictions_of_point.append(predicted.probabilities)
        points.append(CurvePoint(fraction, size, float(np.mean(scores)), tuple(scores), seconds))
        predictions.append(predictions_of_point)
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


def _point_progress(
    progress: ProgressCallback, fraction: float, count: int, sample: int, samples: int,
) -> ProgressCallback:
    def report(done: float, message: str) -> None:
        if samples == 1:
            progress(done, Sentence("{percent}% of the training texts ({count}): {phase}",
                                    percent=round(fraction * 100), count=count, phase=message))
        else:
            progress(done, Sentence("{percent}% of the training texts ({count}), sample {sample} of {samples}: {phase}",
                                    percent=round(fraction * 100), count=count, sample=sample,
                                    samples=samples, phase=message))

    return report


def _fitted_curve(
    metric: str, points: list[CurvePoint], predictions: list[list[np.ndarray]], targets: list[tuple[int, ...]],
    names: list[str], multi_label: bool, set_aside: bool, seed: int,
) -> LearningCurve:
    """The power law through the points, its bootstrap over the evaluation texts, and the verdict."""
    sizes = [point.train_size for point in points]
    law = PowerLaw.fit(sizes, [point.score for point in points])
    rng = np.random.default_rng(seed)
    bootstrap_laws = []
    for _ in range(BOOTSTRAP_SAMPLES):
        sample = rng.integers(0, len(targets), len(targets))
        resampled = [targets[i] for i in sample]
        scores = [np.mean([classification_metrics(probabilities[sample], resampled, names, multi_label)[metric]
                           for probabilities in of_point])
                  for of_point in predictions]
        bootstrap_laws.append(PowerLaw.fit(sizes, scores))
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
            "More labels are unlikely to help much: by this curve {metric} levels off at about {ceiling} "
            "(it is {score} with {count} training texts).",
            metric=metric, ceiling=f"{1 - law.floor:.3f}", score=f"{points[-1].score:.3f}", count=largest,
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
