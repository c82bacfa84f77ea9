"""Fine-tuning a BERT-family classifier on a project's labelled texts.

``train`` drives one run end to end: snapshot the labelled texts, tokenise once, train with
length-bucketed batches, evaluate on validation several times per epoch, keep the best
model as a standard Hugging Face folder, and record everything about the run in the
project. It reports through a ``TrainingCallback`` with plain values and stops cooperatively
through a ``CancelToken``. Runs on whichever thread calls it (the GUI uses a worker).

Under ``torchrun`` it trains data-parallel (DDP): every process sees the same batch order
and takes its share; only rank 0 writes to the project and the run folder.
"""

from __future__ import annotations

import logging
import math
import os
import random
import shutil
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from bertdesk.core import CancelToken, Cancelled, Sentence, UserInputError
from bertdesk.core.types import ExampleId, LabelId, RunId, RunStatus, Split
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.data import bucketed_batches, collate, encode_texts, sorted_batches
from bertdesk.ml.distributed import distributed_rank, on_rank0, shard_batches, wait_for_all, wrap_model
from bertdesk.ml.hf_imports import load_transformers
from bertdesk.ml.metrics import multi_label_metrics, single_label_metrics, tune_thresholds
from bertdesk.store import Project, set_aside_validation

log = logging.getLogger(__name__)
MIN_TEXTS_PER_LABEL = 2
EVAL_BATCH = 64
# A long run is scored early once, so its validation charts show a point within minutes
# rather than at the first regular evaluation (half-way through a one-epoch run).
EARLY_EVALUATION_SHARE = 0.05
EARLY_EVALUATION_STEPS = (10, 200)  # never before the 10th step, never after the 200th


@dataclass
class StepEvent:
    step: int
    total_steps: int
    epoch: float
    loss: float
    learning_rate: float
    samples_per_second: float
    eta_seconds: float
    next_evaluation: int  # the step the validation texts are scored at next


@dataclass
class EvalEvent:
    step: int
    epoch: float
    metrics: dict[str, float]


class EngineMessage(str):
    """A message for the person training: English text as it is (the CLI prints it), with
    its template and values kept so that the app can show it in the chosen language."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> EngineMessage:
        message = super().__new__(cls, template.format(**values).strip())
        message.template, message.values = template, values
        return message


# The engine's messages: the app translates each of these templates (train_panel.py).
PREPARING = "Preparing the data"
LOADING = "Loading the model"
READING = "Reading the texts"
TRAINING = "Training"
VALIDATION_SET_ASIDE = "The project had no validation texts: {count} were set aside."
RESUMING = "Resuming at step {step} of {total}"
STOPPED_EARLY = "Stopped early: validation did not improve for {patience} evaluations."
COVERAGE_WARNING = "Warning: {warning} {suggestion}"
MORE_EPOCHS = ("Only {texts} training texts: training runs {epochs} epochs ({steps} steps) so that "
               "the model learns something. Set the minimum steps to 0 for exactly the epochs set.")
MIN_STEPS_MAX_EPOCHS = 50  # the step floor never makes a run longer than this many epochs


class TrainingCallback:
    """Receives a run's progress; every method is called on the training thread."""

    def on_message(self, text: str) -> None:
        """A phase began (loading the model, tokenising …); an EngineMessage."""

    def on_step(self, event: StepEvent) -> None:
        """One optimiser step finished."""

    def on_evaluate(self, event: EvalEvent) -> None:
        """The model was scored on the validation texts."""


@dataclass
class TrainResult:
    run_id: RunId
    status: RunStatus
    metrics: dict[str, Any]
    model_dir: Optional[Path]
    error: Optional[str] = None
    weights_fingerprint: Optional[str] = None  # sha256 of the kept weights: equal means same model


@dataclass
class _Data:
    """The run's snapshot: label names, and per split the example ids, texts and targets."""

    label_names: list[str]
    label_ids: list[LabelId]
    splits: dict[Split, list[tuple[ExampleId, str, tuple[int, ...]]]] = field(default_factory=dict)


# ----------------------------------------------------------------- guard rails
def check_training_data(project: Project) -> list[Sentence]:
    """Problems that would make a run pointless, in plain words; empty when training can start."""
    return training_data_problems(project.stats().per_label_name())


def training_data_problems(texts_per_label: Mapping[str, int]) -> list[Sentence]:
    """The guard rails from the count of texts of every label: the GUI checks them on the
    counts it already has, without reading the project again after each label set (and shows
    them translated: they are Sentences)."""
    problems = []
    if sum(1 for count in texts_per_label.values() if count > 0) < 2:
        problems.append(Sentence("Label texts with at least two different labels before training."))
    for name, count in texts_per_label.items():
        if count == 0:
            problems.append(Sentence(
                "The label '{name}' has no texts: label some, or delete the label.", name=name
            ))
        elif count < MIN_TEXTS_PER_LABEL:
            problems.append(Sentence(
                "The label '{name}' has only {count} text: label at least {minimum} (better 20 or more).",
                name=name, count=count, minimum=MIN_TEXTS_PER_LABEL,
            ))
    return problems


def _snapshot(project: Project, config: TrainConfig, callback: TrainingCallback, rank: int) -> _Data:
    """Labelled texts by split; makes a validation split first if the project has none."""
    examples = project.labelled_examples()
    if not any(split is Split.VALIDATION for *_, split in examples):
        moved = on_rank0(
            rank, lambda: set_aside_validation(project, config.validation_fraction, config.seed), 0
        )
        callback.on_message(EngineMessage(VALIDATION_SET_ASIDE, count=moved))
        examples = project.labelled_examples()
    used = {lid for _, _, lids, _ in examples for lid in lids}
    labels = [label for label in project.labels() if label.id in used]
    index = {label.id: i for i, label in enumerate(labels)}
    data = _Data([label.name for label in labels], [label.id for label in labels])
    for split in Split:
        data.splits[split] = [
            (eid, text, tuple(index[lid] for lid in lids))
            for eid, text, lids, example_split in examples
            if example_split is split
        ]
    # Texts nobody put in a split still teach the model.
    data.splits[Split.TRAIN] += data.splits.pop(Split.UNASSIGNED)
    if not data.splits[Split.VALIDATION]:
        raise UserInputError("No validation texts.", "Label more texts, or make a split.")
    return data


def first_evaluation_step(total_steps: int, eval_every: int) -> int:
    """The regular first evaluation, or an earlier one (about 5 % of the run) where the
    regular one would come late; short runs keep their schedule."""
    low, high = EARLY_EVALUATION_STEPS
    early = min(high, max(low, round(total_steps * EARLY_EVALUATION_SHARE)))
    return early if early <= eval_every // 2 else eval_every


def checkpoint_file(project: Project, run_id: RunId) -> Path:
    """Where a run keeps what resuming it needs (written at each evaluation and on a stop)."""
    return project.runs_dir / str(run_id) / "last" / "state.pt"


def can_resume(project: Project, run_id: RunId) -> bool:
    """A stopped run with a checkpoint carries on where it stopped (``train(resume_run=…)``)."""
    try:
        status = project.run(run_id).status
    except UserInputError:  # deleted meanwhile
        return False
    return status is RunStatus.CANCELLED and checkpoint_file(project, run_id).is_file()


# ----------------------------------------------------------------------- train
def train(
    project: Project,
    config: TrainConfig,
    callback: Optional[TrainingCallback] = None,
    cancel: Optional[CancelToken] = None,
    resume_run: Optional[RunId] = None,
) -> TrainResult:
    """Run one fine-tuning job; see the module docstring.

    Guard-rail problems raise ``UserInputError`` before a run is recorded. Anything that
    goes wrong once the run has started marks it failed with a plain reason and returns.
    """
    callback = callback or TrainingCallback()
    cancel = cancel or CancelToken()
    config.validate()
    problems = check_training_data(project)
    if problems:
        raise UserInputError(problems[0], " ".join(problems[1:]))
    rank, world = distributed_rank()
    if resume_run is not None:
        previous = project.run(resume_run)
        config = TrainConfig.from_dict(previous.params.get("config", config.to_dict()))
        run_id = resume_run
    else:
        name = f"{config.preset} · {config.model if config.model != 'default' else 'MiniLM'}"
        run_id = on_rank0(
            rank, lambda: project.create_run(name, config.model, {"config": config.to_dict()}),
            RunId(0),
        )
    run_dir = project.runs_dir / str(run_id)
    job = _Job(project, config, callback, cancel, run_id, run_dir, rank, world)
    try:
        return job.run(resume=resume_run is not None)
    except Cancelled:
        return job.finish(RunStatus.CANCELLED)
    except Exception as error:  # the run failed: record why, keep the app going
        log.error("training run %s failed:\n%s", run_id, traceback.format_exc())
        return job.finish(RunStatus.FAILED, error=explain_failure(error))
    finally:
        job.close()


def explain_failure(error: BaseException) -> str:
    """What went wrong and what to try, in words a non-programmer can act on."""
    text = str(error) or type(error).__name__
    if isinstance(error, UserInputError):
        return str(error)
    if "out of memory" in text.lower() or isinstance(error, MemoryError):
        return "The model ran out of memory. Try a smaller batch size or a shorter max length."
    if isinstance(error, OSError) and getattr(error, "errno", None) == 28:
        return "The disk is full. Free some space (or delete old runs) and start again."
    if isinstance(error, (FileNotFoundError, OSError)):
        return f"A file could not be read or written: {text}. Check the model folder and free disk space."
    return f"Training stopped with an error: {text}"


class _Job:
    """The state of one run while it trains; split out so train() stays readable."""

    def __init__(
        self, project: Project, config: TrainConfig, callback: TrainingCallback,
        cancel: CancelToken, run_id: RunId, run_dir: Path, rank: int, world: int,
    ) -> None:
        self.project, self.config, self.callback, self.cancel = project, config, callback, cancel
        self.run_id, self.run_dir, self.rank, self.world = run_id, run_dir, rank, world
        self.started = time.time()
        self.history: list[dict[str, Any]] = []
        self.best_metrics: dict[str, Any] = {}
        self.best_score: Optional[float] = None
        self.best_state: Optional[dict[str, Any]] = None
        self.thresholds: Optional[np.ndarray] = None
        self.step = 0
        self.stale_evaluations = 0
        self.optimizer: Any = None
        self.scheduler: Any = None
        self.model: Any = None
        self.tokenizer: Any = None
        self.data: Optional[_Data] = None
        self.params: dict[str, Any] = {"config": config.to_dict()}

    @property
    def writes(self) -> bool:
        return self.rank == 0

    # -------------------------------------------------------------- main line
    def run(self, resume: bool) -> TrainResult:
        import torch

        from bertdesk.ml.device import pick_device, with_precision
        from bertdesk.ml.sources import resolve_model

        config, callback = self.config, self.callback
        _seed_everything(config.seed)
        callback.on_message(EngineMessage(PREPARING))
        self.data = data = _snapshot(self.project, config, callback, self.rank)
        self.multi_label = self.project.multi_label
        callback.on_message(EngineMessage(LOADING))
        model_dir = resolve_model(
            config.model, cancel=self.cancel, allow_unsafe_weights=config.allow_unsafe_weights
        )
        self.device = device = with_precision(pick_device(config.device), config.precision)
        self.model, self.tokenizer = _load_model(
            model_dir, data.label_names, self.multi_label, config.allow_unsafe_weights
        )
        self.model.to(device.kind)
        if not config.train_word_embeddings:
            self.model.get_input_embeddings().weight.requires_grad_(False)
        self.params.update({
            "labels": data.label_names, "label_ids": [int(i) for i in data.label_ids],
            "model_dir": str(model_dir), "device": device.describe(),
            "multi_label": self.multi_label, "world_size": self.world,
            "train_size": len(data.splits[Split.TRAIN]),
            "validation_size": len(data.splits[Split.VALIDATION]),
            "test_size": len(data.splits[Split.TEST]),
        })
        self._write_run(params=self.params, path=str(self.run_dir))

        callback.on_message(EngineMessage(READING))
        train_rows = data.splits[Split.TRAIN]
        self._warn_about_coverage(model_dir, [text for _, text, _ in train_rows])
        train_ids, cut = encode_texts(
            self.tokenizer, [text for _, text, _ in train_rows], config.max_length, config.truncation
        )
        self.validation = self._encode(Split.VALIDATION)
        targets = [targets for _, _, targets in train_rows]
        lengths = [len(ids) for ids in train_ids]
        batches_per_epoch = max(1, math.ceil(len(train_ids) / config.batch_size) // self.world)
        steps_per_epoch = max(1, batches_per_epoch // config.gradient_accumulation)
        planned_steps = max(1, math.ceil(steps_per_epoch * config.epochs))
        total_steps = max(planned_steps, min(config.min_steps, steps_per_epoch * MIN_STEPS_MAX_EPOCHS))
        eval_every = max(1, steps_per_epoch // max(1, config.evaluations_per_epoch))
        if total_steps > planned_steps:  # a small project: as many evaluations as planned, spread out
            planned_evaluations = max(1, math.ceil(config.epochs * config.evaluations_per_epoch))
            eval_every = max(eval_every, total_steps // planned_evaluations)
            callback.on_message(EngineMessage(
                MORE_EPOCHS, texts=len(train_ids), epochs=math.ceil(total_steps / steps_per_epoch),
                steps=total_steps,
            ))
        first_evaluation = first_evaluation_step(total_steps, eval_every)
        self.params.update({"truncated_train_texts": cut, "total_steps": total_steps})

        self.loss_fn = self._loss_function(targets, len(data.label_names))
        ddp_model = wrap_model(self.model, self.world, device.kind)
        self.optimizer = optimizer = _optimizer(self.model, config, device.kind)
        self.scheduler = scheduler = _linear_schedule(optimizer, config.warmup_ratio, total_steps)
        epoch_rng = random.Random(config.seed)
        if resume:
            self.stale_evaluations = self._load_checkpoint(optimizer, scheduler)
            callback.on_message(EngineMessage(RESUMING, step=self.step, total=total_steps))
        autocast = _autocast(device)
        pad_id = self.tokenizer.pad_token_id or 0
        ddp_model.train()
        callback.on_message(EngineMessage(TRAINING))
        scaler = torch.amp.GradScaler(
            "cuda", enabled=device.kind == "cuda" and device.precision == "fp16"
        )
        step_started = time.perf_counter()
        first_step = self.step
        samples_since = 0
        epoch = 0
        while self.step < total_steps:
            batches = bucketed_batches(lengths, config.batch_size, epoch_rng)
            batches = shard_batches(batches, self.rank, self.world)
            epoch += 1
            if epoch - 1 < self.step // steps_per_epoch:
                continue  # resumed: this epoch's batch order was drawn, its steps are done
            skip = (self.step % steps_per_epoch) * config.gradient_accumulation
            for position in range(skip, len(batches) - config.gradient_accumulation + 1,
                                  config.gradient_accumulation):
                self.cancel.raise_if_cancelled()
                step_loss = 0.0
                for micro in batches[position : position + config.gradient_accumulation]:
                    batch = collate([train_ids[i] for i in micro], pad_id)
                    batch = {k: v.to(device.kind) for k, v in batch.items()}
                    target = self._targets([targets[i] for i in micro]).to(device.kind)
                    with autocast:
                        logits = ddp_model(**batch).logits
                    loss = self.loss_fn(logits.float(), target) / config.gradient_accumulation
                    scaler.scale(loss).backward()
                    step_loss += loss.detach()
                    samples_since += len(micro) * self.world
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                scaler.step(optimizer)
                scaler.update()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                self.step += 1
                elapsed = time.perf_counter() - step_started
                rate = samples_since / elapsed if elapsed > 0 else 0.0
                seconds_per_step = elapsed / (self.step - first_step)
                # A periodic evaluation a few steps before the last one would only repeat it.
                near_end = total_steps - self.step < eval_every // 2
                due = not near_end and (self.step == first_evaluation or self.step % eval_every == 0)
                event = StepEvent(
                    self.step, total_steps, self.step / steps_per_epoch, float(step_loss),
                    float(scheduler.get_last_lr()[0]), rate,
                    (total_steps - self.step) * seconds_per_step,
                    next_evaluation=_next_evaluation(self.step, first_evaluation, eval_every, total_steps),
                )
                self.history.append({"type": "step", "step": event.step, "epoch": event.epoch,
                                     "loss": event.loss, "learning_rate": event.learning_rate})
                callback.on_step(event)
                last_step = self.step >= total_steps
                if due or last_step:
                    improved = self._evaluate_and_keep_best(event.epoch)
                    self.stale_evaluations = 0 if improved else self.stale_evaluations + 1
                    self._save_checkpoint()
                    ddp_model.train()
                    patience = config.early_stopping_patience
                    if patience is not None and self.stale_evaluations >= patience:
                        callback.on_message(EngineMessage(STOPPED_EARLY, patience=patience))
                        total_steps = self.step
                if self.step >= total_steps:
                    break
        return self.finish(RunStatus.FINISHED)

    # ----------------------------------------------------------- pieces
    def _warn_about_coverage(self, model_dir: Path, texts: list[str]) -> None:
        """Say so before training when the model does not know the texts' language (the CLI
        has no other place that would); the figures are kept with the run."""
        from bertdesk.ml.coverage import vocabulary_coverage

        report = vocabulary_coverage(model_dir, texts, self.config.max_length)
        self.params["coverage"] = {"unk_rate": round(report.unk_rate, 4),
                                   "truncated_rate": round(report.truncated_rate, 4)}
        if report.warning:
            self.callback.on_message(EngineMessage(  # unknown: for the app's own sentence
                COVERAGE_WARNING, warning=report.warning, suggestion=report.suggestion or "",
                unknown=report.unk_rate,
            ))

    def _encode(self, split: Split) -> tuple[list[list[int]], list[tuple[int, ...]], list[ExampleId]]:
        assert self.data is not None
        rows = self.data.splits[split]
        ids, _ = encode_texts(
            self.tokenizer, [text for _, text, _ in rows], self.config.max_length, self.config.truncation
        )
        return ids, [targets for _, _, targets in rows], [eid for eid, _, _ in rows]

    def _targets(self, targets: list[tuple[int, ...]]) -> Any:
        import torch

        if not self.multi_label:
            return torch.tensor([t[0] for t in targets], dtype=torch.long)
        assert self.data is not None
        multi_hot = torch.zeros((len(targets), len(self.data.label_names)))
        for row, labels in enumerate(targets):
            multi_hot[row, list(labels)] = 1.0
        return multi_hot

    def _loss_function(self, targets: list[tuple[int, ...]], n_labels: int) -> Any:
        """Cross-entropy (sigmoid BCE for multi-label), weighted by inverse label frequency if asked."""
        import torch

        counts = np.bincount([t for labels in targets for t in labels], minlength=n_labels)
        weights = None
        if self.config.class_weights:
            weights = torch.tensor(
                counts.sum() / (n_labels * np.maximum(counts, 1)), dtype=torch.float
            ).to(self.device.kind)
            self.params["class_weights"] = [round(float(w), 4) for w in weights]
        if self.multi_label:
            positive = None
            if weights is not None:
                negatives = len(targets) - counts
                positive = torch.tensor(negatives / np.maximum(counts, 1), dtype=torch.float).to(
                    self.device.kind
                )
            return torch.nn.BCEWithLogitsLoss(pos_weight=positive)
        return torch.nn.CrossEntropyLoss(weight=weights)

    def predict_split(
        self, encoded: tuple[list[list[int]], list[tuple[int, ...]], list[ExampleId]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities and per-example losses of the current model on encoded texts."""
        import torch

        ids, targets, _ = encoded
        probs = np.zeros((len(ids), len(self.data.label_names) if self.data else 0), dtype=np.float32)
        losses = np.zeros(len(ids), dtype=np.float32)
        self.model.eval()
        per_example = type(self.loss_fn)(reduction="none")
        with torch.inference_mode(), _autocast(self.device):
            # No cancel check: a stopped run is still scored so it keeps a best model.
            for batch_indices in sorted_batches([len(x) for x in ids], EVAL_BATCH):
                batch = collate([ids[i] for i in batch_indices], self.tokenizer.pad_token_id or 0)
                logits = self.model(**{k: v.to(self.device.kind) for k, v in batch.items()}).logits.float()
                target = self._targets([targets[i] for i in batch_indices]).to(self.device.kind)
                loss = per_example(logits, target)
                if loss.dim() > 1:
                    loss = loss.mean(dim=1)
                scores = torch.sigmoid(logits) if self.multi_label else torch.softmax(logits, dim=-1)
                probs[batch_indices] = scores.cpu().numpy()
                losses[batch_indices] = loss.cpu().numpy()
        return probs, losses

    def _metrics(self, probs: np.ndarray, targets: list[tuple[int, ...]], tune: bool) -> dict[str, Any]:
        assert self.data is not None
        names = self.data.label_names
        if self.multi_label:
            multi_hot = np.zeros((len(targets), len(names)), dtype=np.int8)
            for row, labels in enumerate(targets):
                multi_hot[row, list(labels)] = 1
            thresholds = tune_thresholds(probs, multi_hot) if tune else self.thresholds
            if thresholds is None:
                thresholds = np.full(len(names), 0.5)
            result = multi_label_metrics(probs, multi_hot, thresholds, names)
            result["thresholds"] = [float(t) for t in thresholds]
            return result
        return single_label_metrics(probs, np.array([t[0] for t in targets], dtype=int), names)

    def _evaluate_and_keep_best(self, epoch: float) -> bool:
        probs, losses = self.predict_split(self.validation)
        metrics = self._metrics(probs, self.validation[1], tune=True)
        metrics["loss"] = float(losses.mean()) if len(losses) else 0.0
        scalars = {k: float(v) for k, v in metrics.items() if isinstance(v, (int, float))}
        self.history.append({"type": "eval", "step": self.step, "epoch": epoch, **scalars})
        self.callback.on_evaluate(EvalEvent(self.step, epoch, scalars))
        name = self.config.early_stopping_metric
        score = -scalars["loss"] if name == "loss" else scalars[name]
        improved = self.best_score is None or score > self.best_score + 1e-6
        if improved:
            self.best_score = score
            self.best_metrics = {**metrics, "step": self.step, "epoch": epoch}
            self.best_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
            if self.multi_label:
                self.thresholds = np.array(metrics["thresholds"])
            self._save_best()
        self._write_run(history=self.history, metrics=self.best_metrics)
        return improved

    def _save_best(self) -> None:
        if not self.writes:
            return
        from bertdesk.ml.model_card import write_model_card

        best = self.run_dir / "best"
        staging = self.run_dir / "best.saving"
        shutil.rmtree(staging, ignore_errors=True)
        if self.thresholds is not None:
            self.model.config.bertdesk_thresholds = [float(t) for t in self.thresholds]
        # The Predictor windows long texts at the length the model was trained on.
        self.model.config.bertdesk_max_length = self.config.max_length
        self.model.save_pretrained(staging, safe_serialization=True)
        self.tokenizer.save_pretrained(staging)
        write_model_card(staging, self.params, self.best_metrics)
        # Swap in one rename so a crash never leaves a half-written best model.
        if best.exists():
            old = self.run_dir / "best.old"
            shutil.rmtree(old, ignore_errors=True)
            best.rename(old)
            staging.rename(best)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(best)

    def _save_checkpoint(self) -> None:
        """Everything a later run needs to carry on from this step (``resume_run``)."""
        if not self.writes:
            return
        import torch

        path = checkpoint_file(self.project, self.run_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {
            "model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(), "step": self.step,
            "stale": self.stale_evaluations,
            "best_score": self.best_score, "best_metrics": self.best_metrics,
            "history": self.history, "torch_rng": torch.get_rng_state(),
        }
        staging = path.with_name(path.name + ".tmp")
        torch.save(state, staging)
        os.replace(staging, path)

    def _load_checkpoint(self, optimizer: Any, scheduler: Any) -> int:
        import torch

        path = checkpoint_file(self.project, self.run_id)
        if not path.exists():
            raise UserInputError(
                "Run {run_id} has no checkpoint to resume from.",
                "Start a new run instead.",
                run_id=self.run_id,
            )
        # Our own file, written by _save_checkpoint: it holds optimizer state and plain values.
        state = torch.load(path, map_location=self.device.kind, weights_only=False)
        self.model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        self.step = state["step"]
        self.best_score = state["best_score"]
        self.best_metrics = state["best_metrics"]
        self.history = state["history"]
        best = self.run_dir / "best"
        if best.exists():
            from safetensors.torch import load_file

            self.best_state = load_file(str(best / "model.safetensors"))
        self._write_run(status=RunStatus.RUNNING)
        return int(state["stale"])

    # ---------------------------------------------------------------- end
    def finish(self, status: RunStatus, error: Optional[str] = None) -> TrainResult:
        """Record how the run ended; a cancelled run is scored first so it keeps a best model,
        and keeps a checkpoint of the step it stopped at so that it can be resumed there."""
        if status is RunStatus.CANCELLED and self.model is not None and self.best_state is None:
            try:
                self._evaluate_and_keep_best(self.step / max(1, self.params.get("total_steps", 1)))
            except Exception:  # the cancelled run still ends as cancelled
                log.exception("scoring a cancelled run failed")
        if status is RunStatus.CANCELLED and self.optimizer is not None and self.step > 0:
            self._save_checkpoint()  # before the best weights replace the current ones
        if status in (RunStatus.FINISHED, RunStatus.CANCELLED) and self.best_state is not None:
            self.model.load_state_dict(self.best_state)
            try:
                self._store_predictions()
            except Cancelled:
                pass
        best = self.run_dir / "best"
        self.params["duration_seconds"] = round(time.time() - self.started, 1)
        self._write_run(
            status=status, error=error, metrics=self.best_metrics, history=self.history,
            params=self.params, finished=True,
        )
        fingerprint = weights_fingerprint(self.model) if self.model is not None else None
        return TrainResult(
            self.run_id, status, self.best_metrics, best if best.exists() else None, error,
            fingerprint,
        )

    def _store_predictions(self) -> None:
        """Per-example probabilities, losses and margins on validation and test, kept with the run."""
        if not self.writes or self.data is None:
            return
        rows = []
        for split in (Split.VALIDATION, Split.TEST):
            if not self.data.splits.get(split):
                continue
            encoded = self.validation if split is Split.VALIDATION else self._encode(split)
            probs, losses = self.predict_split(encoded)
            for eid, p, loss in zip(encoded[2], probs, losses):
                top = np.sort(p)[::-1]
                margin = float(top[0] - top[1]) if len(top) > 1 else float(top[0])
                rows.append((eid, self.data.label_ids[int(p.argmax())], p.tolist(), margin, float(loss)))
        self.project.save_predictions(self.run_id, rows)

    def _write_run(self, **fields: Any) -> None:
        if self.writes:
            self.project.update_run(self.run_id, **fields)

    def close(self) -> None:
        wait_for_all(self.world)


# ----------------------------------------------------------------- helpers
def weights_fingerprint(model: Any) -> str:
    """sha256 over every weight, in name order: the same value means the same model
    (how the distributed test sees that all ranks agree)."""
    import hashlib

    import torch

    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().view(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def _next_evaluation(step: int, first: int, every: int, total: int) -> int:
    """The step of the next scoring on the validation texts, after ``step``."""
    if step < first:
        return first
    following = (step // every + 1) * every
    return total if total - following < every // 2 else min(total, following)


def _seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _load_model(
    model_dir: Path, label_names: list[str], multi_label: bool, allow_unsafe: bool
) -> tuple[Any, Any]:
    load_transformers()
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from bertdesk.ml.sources import quiet_loading

    with quiet_loading():
        model = AutoModelForSequenceClassification.from_pretrained(
            model_dir,
            num_labels=len(label_names),
            id2label=dict(enumerate(label_names)),
            label2id={name: i for i, name in enumerate(label_names)},
            problem_type="multi_label_classification" if multi_label else "single_label_classification",
            ignore_mismatched_sizes=True,
            use_safetensors=None if allow_unsafe else True,
            trust_remote_code=False,
        )
    tokenizer = AutoTokenizer.from_pretrained(model_dir, trust_remote_code=False)
    return model, tokenizer


def _optimizer(model: Any, config: TrainConfig, device_kind: str) -> Any:
    """AdamW without decay on biases and norms; fused kernels where torch has them."""
    import torch

    decay: list[Any] = []
    no_decay: list[Any] = []
    for name, parameter in model.named_parameters():
        if not parameter.requires_grad:
            continue
        (no_decay if parameter.ndim < 2 else decay).append(parameter)
    groups = [
        {"params": decay, "weight_decay": config.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    try:
        return torch.optim.AdamW(groups, lr=config.learning_rate, fused=True)
    except (RuntimeError, TypeError):
        return torch.optim.AdamW(groups, lr=config.learning_rate, foreach=True)


def _linear_schedule(optimizer: Any, warmup_ratio: float, total_steps: int) -> Any:
    import torch

    warmup = max(1, int(total_steps * warmup_ratio))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def _autocast(device: Any) -> Any:
    import torch

    if device.kind == "cuda":
        dtype = torch.bfloat16 if device.precision == "bf16" else torch.float16
        return torch.autocast("cuda", dtype=dtype)
    if device.kind == "cpu" and device.precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return torch.autocast(device.kind, enabled=False)
