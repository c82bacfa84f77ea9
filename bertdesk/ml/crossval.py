"""Cross-validation: how good a model of this kind is, fold by fold, and what it thinks of every
labelled text when that text was not among those it learned from.

The labelled texts outside the test split are dealt into K stratified folds (scikit-learn's
``StratifiedKFold``; a multi-label text by its rarest label). A text inside another text goes
to that text's fold, as splits keep them together (``store.containment``): a model that learned
the whole review has read the quoted phrase, so its guess about the phrase would not be
out-of-fold. Where no text is inside another, the folds are exactly StratifiedKFold's. For
each fold a model of the family ``config.model`` picks is fitted on the other folds and
predicts this one (``held_out.HeldOutFitter``: a scratch project, so the user's project is
only read). The test split is never used, so it stays an untouched final check.

A label with fewer texts than folds cannot be in every fold: its texts (a long tail of rare
labels is common in real data) train every fold and are neither scored nor given out-of-fold
probabilities; the run names those labels (``training_only_note``). Before, one such label
refused the whole cross-validation.

The result is one run of kind ``RunKind.CROSS_VALIDATION``, written only once every fold is
done (a cancel or a failure leaves the project as it was): its metrics hold each fold's
scores, their mean and standard deviation, and the pooled out-of-fold scores; its stored
predictions are the out-of-fold probabilities of every text, which ``ops.review`` reads to
find likely label errors.

``repeats`` > 1 deals the texts into K folds that many times, each time in another order
(scikit-learn's ``RepeatedStratifiedKFold``), and averages each text's out-of-fold
probabilities over the rounds: every one of them still comes from a model that did not learn
from the text, and their mean depends less on which texts happened to share a fold. On
waimai_10k with 5% of the labels flipped (``benchmarks/label_errors.py``, fast model) the
precision of the first k flagged texts (k = the number flipped) rose from 0.546 (mean of 5
single dealings, 0.536 to 0.554) to 0.558 with 3 rounds and 0.563 with 5, for 3 and 5 times
the seconds (folds dealt text by text; with containment groups, seed 0: 0.531 with one round,
0.549 with 3; with each Chinese character a word of the fast model's own: 0.564 and 0.583).
The scores per fold are kept for every round, and their mean and spread are over all the
folds of all the rounds.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
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
from bertdesk.core.errors import quoted_names
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.held_out import HeldOutFitter, LabelledText, labelled_texts, labels_in_use
from bertdesk.ml.metrics import classification_metrics
from bertdesk.store import Project
from bertdesk.store.containment import SHARED, containment_groups

DEFAULT_FOLDS = 5
CROSS_VALIDATED_SPLITS = (Split.TRAIN, Split.VALIDATION, Split.UNASSIGNED)  # never the test split
SUMMARY_METRICS = ("accuracy", "macro_f1", "weighted_f1", "loss")
WRITING_SHARE = 0.02  # of the progress bar: storing the run once the folds are done


@dataclass(frozen=True)
class FoldScore:
    fold: int  # from 1
    size: int  # texts held out
    metrics: dict[str, float]  # SUMMARY_METRICS of the fold's model on its held-out texts
    repeat: int = 1  # the round of dealing (from 1) this fold belongs to


@dataclass(frozen=True)
class CrossValidation:
    """A finished cross-validation, as stored in run ``run_id``."""

    run_id: RunId
    label_names: list[str]
    label_ids: list[LabelId]
    example_ids: list[ExampleId]  # every cross-validated text, in id order
    fold_of: np.ndarray  # per text, the fold (from 1) whose model predicted it in the first round
    probabilities: np.ndarray  # out-of-fold: per text, from the model(s) that did not learn from it
    folds: list[FoldScore]  # folds x repeats, round by round
    mean: dict[str, float]
    std: dict[str, float]  # sample standard deviation over the folds


def cross_validate(
    project: Project, config: TrainConfig, folds: int = DEFAULT_FOLDS,
    progress: ProgressCallback = ignore_progress, cancel: Optional[CancelToken] = None,
    repeats: int = 1,
) -> CrossValidation:
    """Fit ``folds`` models (``folds`` x ``repeats`` with ``repeats`` rounds of dealing) and
    store the cross-validation as a run; see the module docstring.

    Progress gives each fold an equal part of the range, with the fold named in the message
    (counted over all the rounds). Raises ``Cancelled`` when ``cancel`` is set (nothing is
    written), ``UserInputError`` when the labelled texts cannot be dealt into that many folds.
    """
    from sklearn.model_selection import RepeatedStratifiedKFold

    cancel = cancel or CancelToken()
    config.validate()
    every_text = labelled_texts(project, CROSS_VALIDATED_SPLITS)
    labels = labels_in_use(project, every_text)
    column = {label.id: i for i, label in enumerate(labels)}
    too_rare = _labels_rarer_than_folds(folds, every_text, labels, column)
    texts = [text for text in every_text if too_rare.isdisjoint(text.label_ids)]
    always_training = [text for text in every_text if not too_rare.isdisjoint(text.label_ids)]
    rare_names = [label.name for label in labels if label.id in too_rare]
    _check_folds(folds, texts, labels, rare_names)
    strata = _strata(texts, column)
    if repeats < 1:
        raise UserInputError("Cross-validation needs at least 1 round of folds.", "For example --repeats 3.")
    fitter = HeldOutFitter(labels, project.multi_label, config)
    # One round deals exactly as StratifiedKFold(shuffle=True, random_state=seed) would.
    dealer = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=config.seed)
    summed = np.zeros((len(texts), len(labels)), dtype=np.float64)
    fold_of = np.zeros(len(texts), dtype=int)
    scores: list[FoldScore] = []
    base_model = config.model
    started = time.time()
    fits = folds * repeats
    share = (1 - WRITING_SHARE) / fits
    for index, (train_rows, held_out_rows) in enumerate(_deal(dealer, strata, texts, folds)):
        cancel.raise_if_cancelled()
        repeat, fold = divmod(index, folds)
        held_out = [texts[i] for i in held_out_rows]
        predicted = fitter.fit_and_predict(
            [*(texts[i] for i in train_rows), *always_training], held_out,
            _fold_progress(subrange(progress, index * share, (index + 1) * share), index + 1, fits), cancel,
        )
        summed[held_out_rows] += predicted.probabilities
        if repeat == 0:
            fold_of[held_out_rows] = fold + 1
        scores.append(FoldScore(fold + 1, len(held_out), _scores(
            predicted.probabilities, _targets(held_out, column), labels, project.multi_label,
        ), repeat + 1))
        base_model = predicted.base_model
    probabilities = (summed / repeats).astype(np.float32)
    cancel.raise_if_cancelled()
    progress(1 - WRITING_SHARE, Sentence("Storing the cross-validation"))
    mean = {name: float(np.mean([score.metrics[name] for score in scores])) for name in SUMMARY_METRICS}
    std = {name: float(np.std([score.metrics[name] for score in scores], ddof=1)) for name in SUMMARY_METRICS}
    params = {"training_only_labels": rare_names, "training_only_texts": len(always_training)}
    run_id = _store_run(project, config, folds, repeats, base_model, texts, labels, probabilities, scores, mean,
                        std, started, params)
    progress(1.0, Sentence("Cross-validation done"))
    return CrossValidation(
        run_id, [label.name for label in labels], [label.id for label in labels],
        [text.example_id for text in texts], fold_of, probabilities, scores, mean, std,
    )


def latest_cross_validation(project: Project) -> Optional[RunId]:
    """The newest finished cross-validation run of the project, if there is one."""
    newest = latest_cross_validation_of_each_model(project)
    return newest[0] if newest else None


def latest_cross_validation_of_each_model(project: Project) -> list[RunId]:
    """The newest finished cross-validation of each model, newest first: what a review of
    label errors combines (two different models doubt a wrong label more surely than one)."""
    newest: dict[str, RunId] = {}
    for run in reversed(project.runs()):
        if run.kind is RunKind.CROSS_VALIDATION and run.status is RunStatus.FINISHED:
            newest.setdefault(run.base_model, run.id)
    return list(newest.values())


def _deal(
    dealer: Any, strata: np.ndarray, texts: Sequence[LabelledText], folds: int,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The folds' (training rows, held-out rows). The dealer deals containment groups (each in
    the stratum of its outermost text); a text inside several unrelated texts is dealt alone.

    A stratum may hold fewer groups than the folds are many (a multi-label text's rarest label,
    another label of the text took the rest; texts inside one another): scikit-learn then deals
    it as evenly as it can and says so, which changes nothing here."""
    import warnings

    members = _containment_units(texts)
    unit_strata = strata[[rows[0] for rows in members]]
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "The least populated class", UserWarning)
            dealt = list(dealer.split(np.zeros(len(unit_strata)), unit_strata))
    except ValueError:  # every stratum has fewer groups than folds
        raise UserInputError(
            "The texts outside the test split are inside one another: a text stays in the fold of "
            "the text it is inside, so they make only {groups} groups, too few for {folds} folds.",
            "Use fewer folds, or label more texts.",
            groups=len(members), folds=folds,
        ) from None
    return [(_rows(members, train_units), _rows(members, held_out_units)) for train_units, held_out_units in dealt]


def _containment_units(texts: Sequence[LabelledText]) -> list[list[int]]:
    """The rows dealt together: a text and the texts inside it, its own row first. Where no
    text is inside another, every row alone, in order."""
    unit_of: dict[int, int] = {}
    members: list[list[int]] = []
    for row, group in enumerate(containment_groups([text.text for text in texts])):
        key = group if group != SHARED else -1 - row  # a shared text alone
        if key not in unit_of:
            unit_of[key] = len(members)
            members.append([key if key >= 0 else row])  # the outermost text first: its stratum
        if row != members[unit_of[key]][0]:
            members[unit_of[key]].append(row)
    return members


def _rows(members: list[list[int]], units: np.ndarray) -> np.ndarray:
    return np.sort(np.fromiter((row for unit in units for row in members[unit]), dtype=int))


def _fold_progress(progress: ProgressCallback, fold: int, folds: int) -> ProgressCallback:
    def report(fraction: float, message: str) -> None:
        progress(fraction, Sentence("Fold {fold} of {folds}: {phase}", fold=fold, folds=folds, phase=message))

    return report


def _strata(texts: Sequence[LabelledText], column: dict[LabelId, int]) -> np.ndarray:
    """What the folds keep in proportion: a text's label; a multi-label text's rarest label."""
    counts = np.bincount([column[label_id] for text in texts for label_id in text.label_ids],
                         minlength=len(column))
    return np.array([min((column[label_id] for label_id in text.label_ids), key=lambda c: (counts[c], c))
                     for text in texts], dtype=int)


def _labels_rarer_than_folds(
    folds: int, texts: Sequence[LabelledText], labels: Sequence[Any], column: dict[LabelId, int],
) -> set[LabelId]:
    """The labels carried by fewer texts than there are folds: they cannot reach every fold."""
    counts = np.bincount([column[label_id] for text in texts for label_id in text.label_ids],
                         minlength=len(labels))
    return {label.id for label, count in zip(labels, counts) if count < folds}


def _check_folds(folds: int, texts: Sequence[LabelledText], labels: Sequence[Any], rare_names: list[str]) -> None:
    """``texts``: those dealt into folds, the texts of labels too rare for the folds left out."""
    if folds < 2:
        raise UserInputError("Cross-validation needs at least 2 folds.", "For example --folds 5.")
    if len(labels) < 2:
        raise UserInputError(
            "Cross-validation needs texts of at least two labels outside the test split.",
            "Label more texts, or make a split that keeps some out of the test split.",
        )
    if len({label_id for text in texts for label_id in text.label_ids}) < 2:
        raise UserInputError(
            "Cross-validation with {folds} folds needs at least two labels of {folds} texts or more "
            "outside the test split; fewer carry {names}.",
            "Label more texts of them, or use fewer folds.",
            folds=folds, names=quoted_names(rare_names),
        )


def training_only_note(params: dict[str, Any]) -> Optional[Sentence]:
    """What a cross-validation run says of the labels too rare for its folds (None: none was)."""
    names = params.get("training_only_labels") or []
    if not names:
        return None
    if len(names) == 1:
        return Sentence(
            "The label '{name}' had fewer texts than folds: its {texts} text(s) trained every fold "
            "and were not scored. Label more of it to have it checked.",
            name=names[0], texts=params.get("training_only_texts", 0),
        )
    return Sentence(
        "{count} labels had fewer texts than folds ({names}): their {texts} texts trained every "
        "fold and were not scored. Label more of them to have them checked.",
        count=len(names), names=quoted_names(names), texts=params.get("training_only_texts", 0),
    )


def _targets(texts: Sequence[LabelledText], column: dict[LabelId, int]) -> list[tuple[int, ...]]:
    return [tuple(column[label_id] for label_id in text.label_ids) for text in texts]


def _scores(
    probabilities: np.ndarray, targets: list[tuple[int, ...]], labels: Sequence[Any], multi_label: bool,
) -> dict[str, float]:
    """A fold's scores on its held-out texts, computed as every run's validation scores are."""
    from bertdesk.ml.models.fast import validation_metrics

    metrics = validation_metrics(probabilities, targets, [label.name for label in labels], multi_label)
    return {name: float(metrics[name]) for name in SUMMARY_METRICS}


def _store_run(
    project: Project, config: TrainConfig, folds: int, repeats: int, base_model: str, texts: Sequence[LabelledText],
    labels: Sequence[Any], probabilities: np.ndarray, scores: list[FoldScore], mean: dict[str, float],
    std: dict[str, float], started: float, extra_params: dict[str, Any],
) -> RunId:
    """One run with the folds' scores and the out-of-fold probabilities, written at the end."""
    column = {label.id: i for i, label in enumerate(labels)}
    targets = _targets(texts, column)
    pooled = classification_metrics(probabilities, targets, [label.name for label in labels], project.multi_label)
    params: dict[str, Any] = {
        "kind": RunKind.CROSS_VALIDATION.value, "folds": folds, "repeats": repeats, "config": config.to_dict(),
        "labels": [label.name for label in labels], "label_ids": [int(label.id) for label in labels],
        "multi_label": project.multi_label, "texts": len(texts),
        "fold_sizes": [score.size for score in scores], "duration_seconds": round(time.time() - started, 1),
        **extra_params,
    }
    metrics: dict[str, Any] = {
        **mean, "std": std,
        "folds": [{"fold": score.fold, "repeat": score.repeat, "size": score.size, **score.metrics}
                  for score in scores],
        "out_of_fold": pooled,
    }
    ordered = np.sort(probabilities, axis=1)[:, ::-1]
    margins = ordered[:, 0] - ordered[:, 1]
    rounds = f" × {repeats}" if repeats > 1 else ""
    run_id = project.create_run(f"cross-validation · {folds} folds{rounds} · {base_model}", base_model, params, started)
    project.save_predictions(run_id, [
        (text.example_id, labels[int(row.argmax())].id, row.tolist(), float(margin), None)
        for text, row, margin in zip(texts, probabilities, margins)
    ])
    project.update_run(run_id, status=RunStatus.FINISHED, metrics=metrics, params=params, finished=True)
    return run_id
