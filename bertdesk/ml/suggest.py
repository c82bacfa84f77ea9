"""Suggestions while labelling: a model's label, confidence and uncertainty for every text.

The source is the fast model (TF-IDF + calibrated linear SVMs, ``models/fast.py``) fitted
again on the labels as they are now, or a finished run's stored predictions. Every text
gets a suggestion, labelled ones too (from a model fitted without them), so that
"suggestion differs from the label" finds texts to review. They are stored
(``store/suggestions.py``) for the labeling view to read a page's suggestions by id and to
page "least confident first" by keyset; they never count as labels until accepted
(``ops.accept_suggestions``).

A refresh is two steps, so that the rows on screen are fresh within a couple of seconds
of a label key however big the project is: ``prepare_suggester`` fits the model (about a
second with 1,000 labels) and ``Suggester.suggest`` stores the rows asked for; then
``Suggester.suggest_rest`` goes through every other text in chunks, with progress and
cancel. ``refresh_suggestions`` does both in one call. The app runs both in a process of
their own (``suggestion_process``), the command line in its own; nothing here touches Qt.

"Least confident first" is a draw, not a cut: a text's stored order key is the log of its
uncertainty rank among the unlabelled texts (estimated from a random sample of them) minus a
Gumbel noise fixed per text and model, so the texts come in the order of a draw without
replacement in which each text's chance is proportional to 1 / its rank (Kirsch et al.,
"Stochastic Batch Acquisition", TMLR 2023). Taking the strict top instead filled a batch
with near-copies (on SST-2, five sub-phrases of one sentence) and with texts whose label
teaches little, and needed about as many labels as a random order; the draw keeps the
least confident texts likeliest and a page varied (``benchmarks/active_learning.py``).
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Protocol

import numpy as np

from bertdesk.core import (
    CancelToken,
    ExampleId,
    LabelId,
    ProgressCallback,
    RunId,
    Split,
    UserInputError,
    ignore_progress,
    subrange,
)
from bertdesk.store import ExampleFilter, ExampleRow, Project, SuggestionState
from bertdesk.store.suggestions import ENTROPY_KIND

if TYPE_CHECKING:
    from bertdesk.ml.models.fast import FastClassifier

FAST_SOURCE = "fast"
RUN_SOURCE = "run"
SUGGEST_CHUNK_TEXTS = 5_000  # texts predicted and stored per step of suggest_rest (~0.3 s)
RANK_SAMPLE_TEXTS = 2_000  # unlabelled texts whose uncertainty places every text among all
LEARNED_SPLITS = (Split.TRAIN, Split.VALIDATION, Split.UNASSIGNED)  # the test split stays unseen
HELD_OUT_FOLDS = 5  # a labelled text is suggested by a model fitted on the other 80 %
HELD_OUT_SEED = 0


@dataclass(frozen=True)
class SuggestionSource:
    """Where suggestions come from: the fast model retrained on the labels (``run_id`` None)
    or a run's stored predictions."""

    run_id: Optional[RunId] = None

    @classmethod
    def parse(cls, text: str) -> SuggestionSource:
        """"fast", or a run id, as the command line takes it."""
        if text.strip().lower() == FAST_SOURCE:
            return cls()
        try:
            return cls(RunId(int(text)))
        except ValueError:
            raise UserInputError(
                "Unknown source of suggestions: {text!r}.",
                "Give 'fast' (the fast model, trained on your labels) or a run id (see 'bertdesk runs').",
                text=text,
            ) from None

    @property
    def name(self) -> str:
        return FAST_SOURCE if self.run_id is None else RUN_SOURCE

    def made(self, state: Optional[SuggestionState]) -> bool:
        """Whether the stored suggestions described by ``state`` came from this source."""
        return state is not None and state.source == self.name and state.run_id == self.run_id


@dataclass(frozen=True)
class Uncertainty:
    """Per row of probabilities: the top label's column, its probability, the margin and the
    entropy. Single-label: margin = top minus second probability, entropy over the labels.
    Multi-label (independent labels): margin = the least sure label's |2p - 1|, entropy = the
    sum of each label's binary entropy."""

    top: np.ndarray
    confidence: np.ndarray
    margin: np.ndarray
    entropy: np.ndarray


def uncertainty(probs: np.ndarray, multi_label: bool = False) -> Uncertainty:
    """The margin and entropy of each row of ``probs`` (see ``Uncertainty``)."""
    values = np.clip(np.asarray(probs, dtype=np.float64), 0.0, 1.0)
    top = values.argmax(axis=1)
    confidence = values[np.arange(len(values)), top]
    with np.errstate(divide="ignore", invalid="ignore"):
        if multi_label:
            margin = np.abs(2 * values - 1).min(axis=1)
            entropy = -np.nansum(values * np.log(values) + (1 - values) * np.log(1 - values), axis=1)
        else:
            ordered = np.sort(values, axis=1)
            margin = ordered[:, -1] - (ordered[:, -2] if values.shape[1] > 1 else 0.0)
            entropy = -np.nansum(values * np.log(values), axis=1)
    return Uncertainty(top, confidence, margin, entropy)


@dataclass(frozen=True)
class UncertaintyRanks:
    """Where a text's uncertainty ranks among the project's unlabelled texts: the sorted
    margins and minus-entropies (ascending: least sure first) of a random sample of them."""

    unlabelled: int
    margins: np.ndarray
    minus_entropies: np.ndarray

    @classmethod
    def of(cls, measured: Uncertainty, unlabelled: int) -> UncertaintyRanks:
        return cls(unlabelled, np.sort(measured.margin), np.sort(-measured.entropy))

    def order_keys(self, ids: Sequence[ExampleId], values: np.ndarray, sample: np.ndarray, seed: int) -> np.ndarray:
        """Ascending, the order of a draw without replacement with chances 1 / rank: the log of
        each value's estimated rank among ``sample``'s population, minus a Gumbel noise fixed
        by the text's id and ``seed`` (the same key whichever chunk stores the text)."""
        below = np.searchsorted(sample, values, side="left") / max(len(sample), 1)
        rank = 1.0 + self.unlabelled * below
        result: np.ndarray = np.log(rank) - _gumbel(np.asarray(ids, dtype=np.uint64), seed)
        return result


def _gumbel(ids: np.ndarray, seed: int) -> np.ndarray:
    """A standard Gumbel draw per id, a hash of (id, seed): SplitMix64's finaliser."""
    with np.errstate(over="ignore"):
        mixed = ids * np.uint64(0x9E3779B97F4A7C15) + np.uint64(seed % 2**63)
        mixed = (mixed ^ (mixed >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        mixed = (mixed ^ (mixed >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        mixed ^= mixed >> np.uint64(31)
    uniform = ((mixed >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0**53  # in (0, 1)
    result: np.ndarray = -np.log(-np.log(uniform))
    return result


class _Model(Protocol):
    """What a suggester asks of its source: probabilities for rows, by label id."""

    label_ids: list[LabelId]

    def probabilities(
        self, rows: Sequence[ExampleRow], cancel: Optional[CancelToken] = None,
    ) -> tuple[list[ExampleId], np.ndarray]: ...


class _FastModel:
    """The fast model fitted on the labelled texts outside the test split.

    A text it learned from gets its suggestion from a model fitted without it (one of
    HELD_OUT_FOLDS fitted on the other folds, the first time such a text is asked for): a
    model that saw the label mostly repeats it, and "suggestion differs from the label" would
    find almost nothing.
    """

    def __init__(self, project: Project, cancel: CancelToken) -> None:
        examples = project.labelled_examples(LEARNED_SPLITS)
        labels = [label for label in project.labels()
                  if any(label.id in label_ids for _, _, label_ids, _ in examples)]
        if len(labels) < 2:
            raise UserInputError(
                "Suggestions need labelled texts of at least two labels; {count} so far.",
                "Label a few texts of each label first (texts of the test split are not learned from).",
                count=len(labels),
            )
        column = {label.id: i for i, label in enumerate(labels)}
        self.label_ids = [label.id for label in labels]
        self.labelled = len(examples)
        self._names = [label.name for label in labels]
        self._multi_label = project.multi_label
        self._texts = [text for _, text, _, _ in examples]
        self._targets = [tuple(column[label_id] for label_id in label_ids) for _, _, label_ids, _ in examples]
        self._folds = np.random.default_rng(HELD_OUT_SEED).permutation(len(examples)) % HELD_OUT_FOLDS
        self._fold_of = {example_id: int(fold) for (example_id, _, _, _), fold in zip(examples, self._folds)}
        self._held_out: dict[int, FastClassifier] = {}
        self.classifier = self._fit(range(len(examples)), cancel)

    def _fit(self, positions: Iterable[int], cancel: Optional[CancelToken]) -> FastClassifier:
        from bertdesk.ml.config import TrainConfig
        from bertdesk.ml.models.fast import fit_classifier

        chosen = list(positions)
        classifier, _matrix = fit_classifier(
            [self._texts[i] for i in chosen], [self._targets[i] for i in chosen], self._names,
            self._multi_label, TrainConfig(), Path(), cancel,
        )
        return classifier

    def _without(self, fold: int, cancel: Optional[CancelToken]) -> FastClassifier:
        """The model fitted on every learned text outside ``fold``."""
        if fold not in self._held_out:
            self._held_out[fold] = self._fit(np.flatnonzero(self._folds != fold).tolist(), cancel)
        return self._held_out[fold]

    def probabilities(
        self, rows: Sequence[ExampleRow], cancel: Optional[CancelToken] = None,
    ) -> tuple[list[ExampleId], np.ndarray]:
        probs = _predict(self.classifier, [row.text for row in rows])
        for fold in range(HELD_OUT_FOLDS):
            learned = [i for i, row in enumerate(rows) if self._fold_of.get(row.id) == fold]
            if learned:
                probs[learned] = _predict(self._without(fold, cancel), [rows[i].text for i in learned])
        return [row.id for row in rows], probs


def _predict(classifier: FastClassifier, texts: Sequence[str]) -> np.ndarray:
    return classifier.probabilities(classifier.scores(classifier.transform(texts)))


class _RunPredictions:
    """A run's stored predictions, restricted to the labels the project still has."""

    def __init__(self, project: Project, run_id: RunId) -> None:
        run = project.run(run_id)
        names: list[str] = run.params.get("labels", [])
        stored_ids: list[int] = run.params.get("label_ids", [])
        existing = {label.id for label in project.labels()}
        by_name = {label.name: label.id for label in project.labels()}
        ids = stored_ids if len(stored_ids) == len(names) else [by_name.get(name, -1) for name in names]
        self.columns = [i for i, label_id in enumerate(ids) if label_id in existing]
        if len(self.columns) < 2 or not project.predictions_stored(run_id):
            raise UserInputError(
                "Run {run_id} has no stored predictions to suggest labels from.",
                "Predict the project's texts with it first (Predict tab, 'Predict many texts', or "
                "'bertdesk predict PROJECT --run {run_id} --store'), or pick another run.",
                run_id=run_id,
            )
        self.project, self.run_id = project, run_id
        self.label_ids = [LabelId(ids[i]) for i in self.columns]
        self.multi_label = project.multi_label

    def probabilities(
        self, rows: Sequence[ExampleRow], cancel: Optional[CancelToken] = None,
    ) -> tuple[list[ExampleId], np.ndarray]:
        found = self.project.predictions(self.run_id, [row.id for row in rows])
        found = [p for p in found if len(p.probs) > max(self.columns)]
        probs = np.array([[p.probs[i] for i in self.columns] for p in found], dtype=np.float64)
        if not self.multi_label and len(found):  # the labels gone since took their share along
            probs /= np.maximum(probs.sum(axis=1, keepdims=True), 1e-12)
        return [p.example_id for p in found], probs.reshape(len(found), len(self.columns))


class Suggester:
    """A model ready to suggest labels for a project's texts. ``labelled``: the labelled texts
    it learned from (0 for a run's predictions). In the app it lives in the suggestion process."""

    def __init__(self, project: Project, source: SuggestionSource, model: _Model, labelled: int) -> None:
        self.project = project
        self.source = source
        self.labelled = labelled
        self._model = model
        self._claimed = False
        # Two labels: the entropy orders the texts as the margin does, and is not stored.
        self.entropy_stored = len(model.label_ids) > 2 or project.multi_label
        self.ranks = self._sample_ranks()

    def _sample_ranks(self) -> UncertaintyRanks:
        """The uncertainty of the unlabelled texts among up to RANK_SAMPLE_TEXTS drawn at
        random by id (the model predicts them once), for the order keys of every text."""
        unlabelled = self.project.count(ExampleFilter(unlabeled=True))
        last = self.project.page(ExampleFilter(), offset=max(self.project.count() - 1, 0), limit=1)
        highest_id = int(last[0].id) if last else 0
        drawn = np.random.default_rng(self.labelled).choice(
            highest_id, min(RANK_SAMPLE_TEXTS, highest_id), replace=False
        )
        rows = [row for row in self.project.examples([ExampleId(int(i) + 1) for i in drawn]) if not row.label_ids]
        probs = self._model.probabilities(rows)[1] if rows else np.zeros((0, len(self._model.label_ids)))
        return UncertaintyRanks.of(uncertainty(probs, self.project.multi_label), unlabelled)

    def suggest(self, example_ids: Sequence[ExampleId], cancel: Optional[CancelToken] = None) -> int:
        """Predict and store these texts now (the rows on screen); returns how many were stored."""
        stored = 0
        for start in range(0, len(example_ids), SUGGEST_CHUNK_TEXTS):
            chunk = example_ids[start : start + SUGGEST_CHUNK_TEXTS]
            stored += self._store(self.project.examples(chunk), cancel)
        return stored

    def suggest_rest(
        self, skip: Collection[ExampleId] = (), progress: ProgressCallback = ignore_progress,
        cancel: Optional[CancelToken] = None,
    ) -> int:
        """Predict and store every text but ``skip``, SUGGEST_CHUNK_TEXTS at a time in id order;
        the suggestions then describe the project as complete. Returns how many were stored.

        A cancel keeps what is stored: each text has either its old suggestion or the new one.
        """
        skipped = set(skip)
        total = max(self.project.count(), 1)
        stored = seen = 0
        after = 0
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            rows = self.project.page_after(ExampleFilter(), after, SUGGEST_CHUNK_TEXTS)
            if not rows:
                break
            after, seen = rows[-1].id, seen + len(rows)
            stored += self._store([row for row in rows if row.id not in skipped], cancel)
            progress(min(seen / total, 1.0), f"Suggested labels for {seen:,} of {total:,} texts")
        self.project.set_suggestion_state(self._state(complete=True))
        return stored

    def _store(self, rows: Sequence[ExampleRow], cancel: Optional[CancelToken]) -> int:
        if not rows:
            return 0
        example_ids, probs = self._model.probabilities(rows, cancel)
        if cancel is not None:
            cancel.raise_if_cancelled()
        if not self._claimed:
            self._claim()
        measured = uncertainty(probs, self.project.multi_label)
        by_margin = self.ranks.order_keys(example_ids, measured.margin, self.ranks.margins, self.labelled)
        by_entropy = self.ranks.order_keys(example_ids, -measured.entropy, self.ranks.minus_entropies, self.labelled)
        label_ids = self._model.label_ids
        self.project.save_suggestions(
            (example_id, label_ids[int(top)], float(confidence), float(margin_key),
             float(entropy_key) if self.entropy_stored else None)
            for example_id, top, confidence, margin_key, entropy_key in zip(
                example_ids, measured.top, measured.confidence, by_margin, by_entropy
            )
        )
        return len(example_ids)

    def _claim(self) -> None:
        """Before the first write: suggestions of another source go (a text this one does not
        reach must not keep them), as do entropies this model does not store; the state says
        the set is being refreshed."""
        before = self.project.suggestion_state()
        if not self.source.made(before):
            self.project.clear_suggestions()
        elif before is not None and before.entropy_stored and not self.entropy_stored:
            self.project.delete_scores(ENTROPY_KIND)
        self.project.set_suggestion_state(self._state(complete=False))
        self._claimed = True

    def _state(self, complete: bool) -> SuggestionState:
        return SuggestionState(
            self.source.name, self.source.run_id, self.labelled, tuple(self._model.label_ids),
            self.entropy_stored, complete, time.time(),
        )


def prepare_suggester(
    project: Project, source: SuggestionSource = SuggestionSource(), cancel: Optional[CancelToken] = None,
) -> Suggester:
    """Fit the fast model on the labels as they are now, or open a run's stored predictions.

    Raises UserInputError when there is nothing to learn from: fewer than two labels used
    outside the test split, or a run without stored predictions. Stores nothing.
    """
    cancel = cancel or CancelToken()
    if source.run_id is None:
        fast = _FastModel(project, cancel)
        return Suggester(project, source, fast, fast.labelled)
    return Suggester(project, source, _RunPredictions(project, source.run_id), 0)


def refresh_suggestions(
    project: Project, source: SuggestionSource = SuggestionSource(),
    first: Sequence[ExampleId] = (), progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> SuggestionState:
    """Fit (or open) the source, store the texts ``first`` at once, then every other text.

    The app runs ``prepare_suggester`` + ``suggest`` and ``suggest_rest`` as two jobs, to
    repaint the rows on screen between them; the command line calls this.
    """
    progress(0.0, "Fitting the fast model on your labels" if source.run_id is None else "Reading the run's predictions")
    suggester = prepare_suggester(project, source, cancel)
    suggester.suggest(first, cancel)
    suggester.suggest_rest(first, subrange(progress, 0.1, 1.0), cancel)
    state = project.suggestion_state()
    assert state is not None
    return state
