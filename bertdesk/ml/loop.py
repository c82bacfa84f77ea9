"""The training loop every objective shares: one ``Task`` plugged into one ``TrainingLoop``.

The loop owns what does not depend on the objective: the AdamW optimiser and linear schedule,
autocast and the fp16 gradient scaler, gradient accumulation, data-parallel sharding (DDP),
evaluation on a schedule with early stopping and keeping the best weights (or, asked, of
their moving average), checkpoints that ``resume`` carries on from, progress with speed and
time left, and the cooperative cancel.
A ``Task`` says what one micro-batch costs (its loss) and how good the model is now (its
metrics); classification is one task (``training.py``), masked-LM pretraining can be another.

The loss stays on the device between logging steps: turning it into a Python float forces the
device to finish its queued work, so that happens once per ``logging_interval`` steps only.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Protocol

from bertdesk.core import CancelToken
from bertdesk.ml.distributed import on_rank0, shard_batches, wrap_model

# A long run is scored early once, so its validation charts show a point within minutes
# rather than at the first regular evaluation (half-way through a one-epoch run).
EARLY_EVALUATION_SHARE = 0.05
EARLY_EVALUATION_STEPS = (10, 200)  # never before the 10th step, never after the 200th
LOGGED_POINTS = 100  # a run logs its loss at least about this often (curve points) …
MAX_LOGGING_INTERVAL = 10  # … and at least every this many steps
# An evaluation counts as progress (patience starts again) when its score beats the best by
# at least this much (accuracy and F1 are fractions: 0.1 points); smaller gains are noise
# that would keep a converged run going. The best model is kept on any gain.
MIN_IMPROVEMENT = 0.001
# A run that ends at its budget with this many evaluations of progress in a row was still
# learning: it says so (``still_improving``).
IMPROVING_EVALUATIONS = 2
# A run with early stopping halves its learning rate at each evaluation without progress (on
# top of the linear decay over the budget), so a run whose budget is far from spent still
# settles into its best weights before patience ends it, as a run decayed to zero would.
PLATEAU_DECAY = 0.5


@dataclass
class StepEvent:
    step: int
    total_steps: int
    epoch: float
    loss: float  # the mean training loss of the steps since the previous logged step
    learning_rate: float
    samples_per_second: float
    eta_seconds: float
    next_evaluation: int  # the step the validation texts are scored at next
    logged: bool = True  # this step wrote the loss to the history (else ``loss`` is the last one)

    def history_entry(self) -> dict[str, Any]:
        """The run history's record of a logged step (what the training curves draw)."""
        return {"type": "step", "step": self.step, "epoch": self.epoch, "loss": self.loss,
                "learning_rate": self.learning_rate}


@dataclass
class EvalEvent:
    step: int
    epoch: float
    metrics: dict[str, float]

    def history_entry(self) -> dict[str, Any]:
        """The run history's record of an evaluation: its scalar metrics (accuracy, macro_f1, loss …)."""
        return {"type": "eval", "step": self.step, "epoch": self.epoch, **self.metrics}


class LoopCallback(Protocol):
    def on_step(self, event: StepEvent) -> None: ...

    def on_evaluate(self, event: EvalEvent) -> None: ...


@dataclass(frozen=True)
class Evaluation:
    """A task's scores at one step: ``metrics`` as kept with the run (lists allowed, such as
    tuned thresholds); the loop records their scalars in the history."""

    metrics: dict[str, Any]

    @property
    def scalars(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.metrics.items() if isinstance(v, (int, float))}


class Task(Protocol):
    """One training objective. The loop calls these on the training thread."""

    model: Any  # the torch module being trained

    def epoch_batches(self, rng: random.Random) -> list[list[int]]:
        """One epoch's micro-batches (lists of example indices) in the order they are trained."""
        ...

    def batch_loss(self, model: Any, batch: Sequence[int], autocast: Any) -> Any:
        """The mean loss of one micro-batch as a device tensor; ``model`` may be the DDP
        wrapper, and its forward pass runs inside ``autocast``."""
        ...

    def evaluate(self) -> Evaluation:
        """Score the current model (the loop switches it back to training afterwards)."""
        ...

    def keep_best(self, evaluation: Evaluation) -> None:
        """The current model is the best so far: save it where the run keeps its result."""
        ...

    def saved_best_state(self) -> Optional[dict[str, Any]]:
        """The weights ``keep_best`` saved last (a resumed run starts from them), if any."""
        ...


@dataclass(frozen=True)
class Schedule:
    """How long a run trains and when it is scored."""

    total_steps: int
    steps_per_epoch: int
    eval_every: int
    first_evaluation: int
    gradient_accumulation: int = 1
    early_stopping_metric: str = "loss"  # "loss" is lowered, any other metric raised
    early_stopping_patience: Optional[int] = None
    logging_interval: int = 1
    time_limit_s: Optional[float] = None  # seconds of training, over every session of a run
    # Steps over which the weights that are scored and kept are averaged (``_WeightAverage``);
    # None scores the weights as they are.
    averaging_window: Optional[int] = None

    def next_evaluation(self, step: int) -> int:
        """The step of the next scoring after ``step``."""
        if step < self.first_evaluation:
            return self.first_evaluation
        following = (step // self.eval_every + 1) * self.eval_every
        return self.total_steps if self.total_steps - following < self.eval_every // 2 else min(
            self.total_steps, following
        )


def first_evaluation_step(total_steps: int, eval_every: int) -> int:
    """The regular first evaluation, or an earlier one (about 5 % of the run) where the
    regular one would come late; short runs keep their schedule."""
    low, high = EARLY_EVALUATION_STEPS
    early = min(high, max(low, round(total_steps * EARLY_EVALUATION_SHARE)))
    return early if early <= eval_every // 2 else eval_every


def logging_interval(total_steps: int) -> int:
    """Steps between loss readings: every step for short runs, up to ten for long ones."""
    return max(1, min(MAX_LOGGING_INTERVAL, total_steps // LOGGED_POINTS))


class TrainingLoop:
    """Trains one task; keeps the state a checkpoint needs (step, best score, history).

    ``write_run`` records fields of the run (history, metrics …) in the project; on a
    data-parallel run only rank 0 passes one that writes, and only rank 0 writes files.
    """

    def __init__(
        self,
        task: Task,
        schedule: Schedule,
        optimizer_settings: dict[str, float],
        device: Any,
        cancel: CancelToken,
        callback: LoopCallback,
        checkpoint_path: Path,
        write_run: Callable[..., None],
        on_early_stop: Callable[[int], None] = lambda patience: None,
        rank: int = 0,
        world: int = 1,
        seed: int = 0,
        new_parameters: Collection[str] = (),
    ) -> None:
        self.task, self.schedule, self.device = task, schedule, device
        self.cancel, self.callback, self.checkpoint_path = cancel, callback, checkpoint_path
        self.write_run, self.on_early_stop = write_run, on_early_stop
        self.rank, self.world, self.seed = rank, world, seed
        self.total_steps = schedule.total_steps
        self.step = 0
        self.stale_evaluations = 0
        self.improving_evaluations = 0  # evaluations of progress in a row, up to the last one
        self.stopped_early = False
        self.stopped_at_time_limit = False
        self.trained_seconds = 0.0  # over every session of a resumed run: the time budget's clock
        self.plateau_scale = 1.0  # the learning rate's factor from evaluations without progress
        self.best_score: Optional[float] = None
        self.best_metrics: dict[str, Any] = {}
        self.best_state: Optional[dict[str, Any]] = None
        self.history: list[dict[str, Any]] = []
        self.averaged: Optional[_WeightAverage] = (
            None if schedule.averaging_window is None else _WeightAverage(task.model, schedule.averaging_window)
        )
        self.optimizer = _optimizer(task.model, new_parameters=new_parameters, **optimizer_settings)
        self.scheduler = _linear_schedule(
            self.optimizer, optimizer_settings["warmup_ratio"], schedule.total_steps,
            lambda: self.plateau_scale,
        )

    @property
    def writes(self) -> bool:
        return self.rank == 0

    @property
    def epoch(self) -> float:
        return self.step / self.schedule.steps_per_epoch

    # -------------------------------------------------------------- main line
    def run(self) -> None:
        """Train to the end of the schedule, or until early stopping; raises Cancelled."""
        import torch

        schedule, device = self.schedule, self.device
        accumulation = schedule.gradient_accumulation
        model = wrap_model(self.task.model, self.world, device.kind)
        autocast = autocast_for(device)
        scaler = torch.amp.GradScaler("cuda", enabled=device.kind == "cuda" and device.precision == "fp16")
        epoch_rng = random.Random(self.seed)
        meter = _Meter(self.step)
        window_loss = torch.zeros((), device=device.kind)  # summed on the device between logs
        window_steps, logged_loss = 0, float("nan")
        trained_before = self.trained_seconds
        model.train()
        epoch = 0
        while self.step < self.total_steps:
            batches = shard_batches(self.task.epoch_batches(epoch_rng), self.rank, self.world)
            epoch += 1
            if epoch - 1 < self.step // schedule.steps_per_epoch:
                continue  # resumed: this epoch's batch order was drawn, its steps are done
            skip = (self.step % schedule.steps_per_epoch) * accumulation
            for position in range(skip, len(batches) - accumulation + 1, accumulation):
                self.cancel.raise_if_cancelled()
                for micro in batches[position : position + accumulation]:
                    loss = self.task.batch_loss(model, micro, autocast) / accumulation
                    scaler.scale(loss).backward()
                    window_loss += loss.detach()
                    meter.samples += len(micro) * self.world
                scaler.unscale_(self.optimizer)
                torch.nn.utils.clip_grad_norm_(self.task.model.parameters(), 1.0)
                scaler.step(self.optimizer)
                scaler.update()
                self.scheduler.step()
                self.optimizer.zero_grad(set_to_none=True)
                self.step += 1
                if self.averaged is not None:
                    self.averaged.update(self.step)
                window_steps += 1
                self.trained_seconds = trained_before + time.perf_counter() - meter.started
                logged = (self.step % schedule.logging_interval == 0 or self.step == meter.first_step + 1
                          or self.step >= self.total_steps)
                if logged:
                    logged_loss = float(window_loss) / window_steps
                    window_loss.zero_()
                    window_steps = 0
                self._report_step(meter, logged_loss, logged)
                time_up = self._time_up(logged)
                if time_up or self._evaluation_due():
                    self.evaluate_and_keep_best()
                    self.save_checkpoint()
                    model.train()
                    patience = schedule.early_stopping_patience
                    if patience is not None and self.stale_evaluations >= patience:
                        self.stopped_early = True
                        self.on_early_stop(patience)
                        self.total_steps = self.step
                    elif time_up:
                        self.stopped_at_time_limit = True
                        self.total_steps = self.step
                if self.step >= self.total_steps:
                    break

    @property
    def still_improving(self) -> bool:
        """The run reached the end of its budget while validation was still getting better at
        its last evaluations: it has not finished learning and would gain from a longer budget."""
        return (not self.stopped_early and self.step >= self.total_steps
                and self.improving_evaluations >= IMPROVING_EVALUATIONS)

    def _time_up(self, logged: bool) -> bool:
        """The time budget is spent. Asked at logged steps only: under torchrun rank 0's clock
        decides for all (a collective), so every rank stops at the same step."""
        limit = self.schedule.time_limit_s
        if limit is None or not logged or self.step >= self.total_steps:
            return False
        return on_rank0(self.rank, lambda: self.trained_seconds >= limit, False)

    def _evaluation_due(self) -> bool:
        if self.step >= self.total_steps:
            return True
        # A periodic evaluation a few steps before the last one would only repeat it.
        near_end = self.total_steps - self.step < self.schedule.eval_every // 2
        return not near_end and (
            self.step == self.schedule.first_evaluation or self.step % self.schedule.eval_every == 0
        )

    def _report_step(self, meter: _Meter, loss: float, logged: bool) -> None:
        elapsed = time.perf_counter() - meter.started
        seconds_left = (self.total_steps - self.step) * elapsed / (self.step - meter.first_step)
        if self.schedule.time_limit_s is not None:
            seconds_left = max(0.0, min(seconds_left, self.schedule.time_limit_s - self.trained_seconds))
        event = StepEvent(
            self.step, self.total_steps, self.epoch, loss, float(self.scheduler.get_last_lr()[0]),
            meter.samples / elapsed if elapsed > 0 else 0.0,
            seconds_left,
            next_evaluation=self.schedule.next_evaluation(self.step), logged=logged,
        )
        if logged:
            self.history.append(event.history_entry())
        self.callback.on_step(event)

    # ----------------------------------------------------------- evaluation
    def evaluate_and_keep_best(self) -> bool:
        """Score the model (its averaged weights, where it averages), record it, keep it if it
        is the best yet; True when it improved."""
        if self.averaged is None:
            return self._evaluate_and_keep_best()
        with self.averaged.in_model():
            return self._evaluate_and_keep_best()

    def _evaluate_and_keep_best(self) -> bool:
        evaluation = self.task.evaluate()
        scalars = evaluation.scalars
        event = EvalEvent(self.step, self.epoch, scalars)
        self.history.append(event.history_entry())
        self.callback.on_evaluate(event)
        name = self.schedule.early_stopping_metric
        score = -scalars["loss"] if name == "loss" else scalars[name]
        improved = self.best_score is None or score > self.best_score + 1e-6
        progressed = self.best_score is None or score >= self.best_score + MIN_IMPROVEMENT
        if improved:
            self.best_score = score
            self.best_metrics = {**evaluation.metrics, "step": self.step, "epoch": self.epoch}
            self.best_state = self._changing_state()
            self.task.keep_best(evaluation)
        self.stale_evaluations = 0 if progressed else self.stale_evaluations + 1
        if not progressed and self.schedule.early_stopping_patience is not None:
            self.plateau_scale *= PLATEAU_DECAY
        self.improving_evaluations = self.improving_evaluations + 1 if progressed else 0
        self.write_run(history=self.history, metrics=self.best_metrics)
        return improved

    # ---------------------------------------------------------- checkpoints
    def save_checkpoint(self) -> None:
        """Everything a later run needs to carry on from this step (``resume``)."""
        if not self.writes:
            return
        import torch

        state = {
            "model": self._changing_state(), "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(), "step": self.step,
            "stale": self.stale_evaluations, "improving": self.improving_evaluations,
            "plateau_scale": self.plateau_scale, "trained_seconds": self.trained_seconds,
            "best_score": self.best_score, "best_metrics": self.best_metrics,
            "history": self.history, "torch_rng": torch.get_rng_state(),
            "averaged": None if self.averaged is None else self.averaged.weights,
        }
        self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.checkpoint_path.with_name(self.checkpoint_path.name + ".tmp")
        torch.save(state, staging)
        os.replace(staging, self.checkpoint_path)

    def resume(self) -> None:
        """Carry on from the checkpoint ``save_checkpoint`` wrote (the caller checked it exists)."""
        import torch

        # Our own file, written by save_checkpoint: it holds optimizer state and plain values.
        state = torch.load(self.checkpoint_path, map_location=self.device.kind, weights_only=False)
        # The model came from the base model again: its frozen weights are the ones trained with.
        self.task.model.load_state_dict(state["model"], strict=False)
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        self.step = state["step"]
        self.stale_evaluations = int(state["stale"])
        self.improving_evaluations = int(state.get("improving", 0))  # older checkpoints: unknown
        self.plateau_scale = float(state.get("plateau_scale", 1.0))
        self.trained_seconds = float(state.get("trained_seconds", 0.0))  # older checkpoints: 0
        self.best_score = state["best_score"]
        self.best_metrics = state["best_metrics"]
        self.history = state["history"]
        if self.averaged is not None and state.get("averaged") is not None:
            self.averaged.load(state["averaged"])
        self.best_state = self.task.saved_best_state()

    def restore_best(self) -> None:
        """Put the best weights back into the model (after training, before predicting)."""
        if self.best_state is not None:
            self.task.model.load_state_dict(self.best_state, strict=False)

    def _changing_state(self) -> dict[str, Any]:
        """A copy of the weights training changes. Frozen ones (the word embeddings, 96M of
        the multilingual model's 118M parameters) never change, so neither the best-model
        copy in memory nor the checkpoint on disk repeats them."""
        model = self.task.model
        frozen = {name for name, parameter in model.named_parameters() if not parameter.requires_grad}
        return {name: value.detach().clone() for name, value in model.state_dict().items() if name not in frozen}


class _Meter:
    """Samples and time since this session's first step, for the speed and time left."""

    def __init__(self, first_step: int) -> None:
        self.first_step = first_step
        self.samples = 0
        self.started = time.perf_counter()


class _WeightAverage:
    """A moving average of the trained weights, scored and kept instead of the last step's to
    smooth out the noise of single steps: an exponential average over about ``window`` steps,
    and before that a weighted mean in which step t weighs t (Shamir & Zhang's polynomial-decay
    averaging, c = 1), so the far-off weights of a run's first steps fade (a plain mean of
    every step so far scored 0.55 on SST-2 at step 200, where the weights themselves scored 0.82)."""

    def __init__(self, model: Any, window: int) -> None:
        self.parameters = {name: p for name, p in model.named_parameters() if p.requires_grad}
        self.weights = {name: p.detach().clone() for name, p in self.parameters.items()}
        self.window = max(1, window)

    def update(self, step: int) -> None:
        """Fold in the weights after optimiser step ``step`` (1 for the first)."""
        import torch

        share = max(1.0 / self.window, 2.0 / (step + 1))
        torch._foreach_lerp_(list(self.weights.values()),
                             [p.detach() for p in self.parameters.values()], share)

    def load(self, weights: dict[str, Any]) -> None:
        for name, value in weights.items():
            self.weights[name].copy_(value)

    @contextmanager
    def in_model(self) -> Iterator[None]:
        """The averaged weights in the model for the duration; the trained ones back after."""
        trained = {name: p.detach().clone() for name, p in self.parameters.items()}
        self._copy_into_model(self.weights)
        try:
            yield
        finally:
            self._copy_into_model(trained)

    def _copy_into_model(self, weights: dict[str, Any]) -> None:
        import torch

        with torch.no_grad():
            for name, parameter in self.parameters.items():
                parameter.copy_(weights[name])


# ----------------------------------------------------------------- pieces
def _optimizer(
    model: Any, learning_rate: float, weight_decay: float, warmup_ratio: float,
    head_learning_rate: Optional[float] = None, new_parameters: Collection[str] = (),
    layer_decay: float = 1.0,
) -> Any:
    """AdamW without decay on biases and norms; fused kernels where torch has them.

    ``new_parameters`` (names) start from random values, not from pretraining: they learn at
    ``head_learning_rate``. With ``layer_decay`` below 1 each pretrained layer learns at that
    factor of the rate of the layer above it (the embeddings lowest), so the general features
    of the lower layers move least.
    """
    import torch

    depth = _layer_depth(getattr(getattr(model, "config", None), "num_hidden_layers", None))
    groups: dict[tuple[float, bool], list[Any]] = {}
    for name, parameter in model.named_parameters():
        if parameter.requires_grad:
            if head_learning_rate is not None and name in new_parameters:
                rate = head_learning_rate
            else:
                rate = learning_rate * layer_decay ** depth(name)
            groups.setdefault((rate, parameter.ndim < 2), []).append(parameter)
    parameter_groups = [
        {"params": parameters, "weight_decay": 0.0 if no_decay else weight_decay, "lr": rate}
        for (rate, no_decay), parameters in sorted(groups.items(), key=lambda item: item[0])
    ]
    try:
        return torch.optim.AdamW(parameter_groups, lr=learning_rate, fused=True)
    except (RuntimeError, TypeError):
        return torch.optim.AdamW(parameter_groups, lr=learning_rate, foreach=True)


_LAYER_INDEX = re.compile(r"(?:^|\.)layers?\.(\d+)\.")


def _layer_depth(layers: Optional[int]) -> Callable[[str], int]:
    """How many layers lie above a weight: 0 for the top (pooler, heads), ``layers - i`` for
    encoder layer i (BERT, RoBERTa and DistilBERT names), ``layers + 1`` for the embeddings."""

    def depth(name: str) -> int:
        if not layers:
            return 0
        index = _LAYER_INDEX.search(name)
        if index is not None:
            return max(0, layers - int(index.group(1)))
        return layers + 1 if "embeddings" in name else 0

    return depth


def _linear_schedule(
    optimizer: Any, warmup_ratio: float, total_steps: int, plateau_scale: Callable[[], float]
) -> Any:
    """Warm-up, then a linear fall to zero at the end of the budget, times ``plateau_scale()``."""
    import torch

    warmup = max(1, int(total_steps * warmup_ratio))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup * plateau_scale()
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup)) * plateau_scale()

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def autocast_for(device: Any) -> Any:
    """The autocast context of the device's precision (bf16 or fp16 on CUDA, bf16 on the CPU)."""
    import torch

    if device.kind == "cuda":
        dtype = torch.bfloat16 if device.precision == "bf16" else torch.float16
        return torch.autocast("cuda", dtype=dtype)
    if device.kind == "cpu" and device.precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return torch.autocast(device.kind, enabled=False)
