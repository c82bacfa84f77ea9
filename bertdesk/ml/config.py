"""Training settings: one dataclass, three presets, and a plain-words sentence for each field."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Optional

from bertdesk.core.errors import UserInputError

TRUNCATIONS = ("head", "tail", "head+tail")
STOPPING_METRICS = ("macro_f1", "accuracy", "loss")
PRECISIONS = ("auto", "bf16", "fp16", "fp32")

# Presets say how much time a run may take: each is a budget of epochs within which a run
# stops once validation has stopped improving (patience, counted in evaluations), so a run
# that has learned ends early and one that still learns gets the whole budget (and says so).
# The learning rate warms up, then falls linearly over the budget.
PRESETS: dict[str, dict[str, Any]] = {
    # Minutes on a laptop CPU: a first model; at most 3 epochs.
    "quick": {"epochs": 3.0, "learning_rate": 1e-4, "batch_size": 32,
              "max_length": 96, "evaluations_per_epoch": 2, "early_stopping_patience": 2,
              "min_steps": 100, "warmup_ratio": 0.06},
    # The default: up to 10 epochs, usually far fewer (it stops 1.5 epochs after the last gain).
    "balanced": {"epochs": 10.0, "learning_rate": 5e-5, "batch_size": 16,
                 "max_length": 128, "evaluations_per_epoch": 2, "early_stopping_patience": 3,
                 "min_steps": 200, "warmup_ratio": 0.02},
    # As long as it takes: up to 20 epochs, longer texts, more patience.
    "thorough": {"epochs": 20.0, "learning_rate": 3e-5, "batch_size": 16,
                 "max_length": 256, "evaluations_per_epoch": 4, "early_stopping_patience": 8,
                 "min_steps": 300, "warmup_ratio": 0.01},
}

FIELD_HELP: dict[str, str] = {
    "model": "The pretrained model to start from: auto (the built-in English or multilingual model, by your texts' language), one of the two, a folder, or a Hugging Face id.",
    "preset": "How much time training may take: quick (minutes, at most 3 epochs), balanced (at most 10 epochs) or thorough (at most 20). Each stops sooner once validation stops improving.",
    "epochs": "The most times training may go through all training texts; it stops sooner once validation stops improving. Raise it when a run says it was still improving.",
    "max_minutes": "The most minutes training may take (off: no limit). At the limit the model is checked on the validation texts once more and the best one so far is kept.",
    "min_steps": "Few texts: train more epochs until this many learning steps are done (0: exactly the epochs set).",
    "learning_rate": "How big each learning step is. Too high makes training unstable, too low makes it slow.",
    "head_learning_rate": "Learning rate of the new classification layer: it starts from random values, so it needs larger steps than the pretrained layers.",
    "layer_decay": "Each pretrained layer learns at this share of the rate of the layer above it, so the lower layers' general knowledge changes least (1: every layer at the same rate).",
    "batch_size": "How many texts are learned from in one step. Lower it if memory runs out.",
    "gradient_accumulation": "Add up this many batches before each step: a larger effective batch without more memory.",
    "max_length": "Longest text, in tokens, the model reads; longer texts are cut.",
    "truncation": "Which part of a long text to keep: its start (head), its end (tail), or both ends.",
    "weight_decay": "A gentle pull of the weights towards zero that reduces overfitting.",
    "warmup_ratio": "Share of the steps over which the learning rate rises from zero at the start.",
    "class_weights": "Give rare labels more weight, so the model does not just learn the common ones.",
    "seed": "Fixes the random choices, so the same settings give the same model.",
    "early_stopping_patience": "Stop when validation has not improved for this many evaluations in a row; each of them also halves the learning rate (empty: never stop early).",
    "early_stopping_metric": "What 'better' means on validation: macro-F1, accuracy or loss.",
    "evaluations_per_epoch": "How often per epoch the model is checked on the validation texts.",
    "device": "Where to train: auto picks the GPU when there is one.",
    "precision": "Number format of the heavy maths: auto uses bf16/fp16 where the hardware is fast at it, fp32 is exact but slower.",
    "allow_unsafe_weights": "Also load models stored in the old pickle format (only for sources you trust).",
    "validation_fraction": "Share of labelled texts kept aside for validation when the project has none.",
    "train_word_embeddings": "Also fine-tune the word-embedding table: more memory, rarely more accurate.",
    "average_weights": "Score and keep a moving average of the weights (over about half the steps between evaluations) instead of the last step's: it evens out single steps' noise.",
}


@dataclass
class TrainConfig:
    """Everything a run needs besides the project; stored with the run as a dict."""

    model: str = "auto"
    preset: str = "balanced"
    epochs: float = 10.0  # the budget: at most this many; patience usually stops sooner
    max_minutes: Optional[int] = None  # a budget of time as well, for "this may take an hour"
    min_steps: int = 200  # a floor for small projects: one epoch of 300 texts is ~10 steps
    # On waimai (default_quality.py --waimai-split bertdesk --train-option=--lr=3e-5, seed 0)
    # 3e-5 ran 6 epochs (validation peak 0.917) and scored 0.908 test accuracy against the
    # default's 0.911.
    learning_rate: float = 5e-5
    # The new classification layer starts from random values and learns at its own rate.
    # Measured on CLINC150 (all-MiniLM-L6-v2, CPU, 16 training texts for each of 150 intents,
    # batches of 16, one epoch = 150 steps of a 2-epoch schedule; validation / test accuracy):
    # the encoder's 5e-5 for everything: 0.300 after 75 steps, its loss 4.91 of ln 150 = 5.01
    # (the layer has hardly left its start); 2e-3: 0.477 / 0.472; 1e-2: 0.700 / 0.711;
    # 3e-2: 0.820 / 0.810; 1e-1: 0.833 / 0.819. One rate for all is slowest exactly where
    # there are many labels (issue 16: a 77-intent set still rising when its 3 epochs ran out).
    # Large steps have a price where the layer has enough steps anyway: on 8,000 SST-2 texts
    # (one epoch, 500 steps, the same benchmark run as train_speed.py's) dev accuracy is 0.854
    # with 5e-5 (one rate for all, as before the setting), 0.850 with 3e-3 and 0.834 with 3e-2.
    # 3e-3, sixty times the encoder's rate, costs the binary case little; a full data set of
    # many labels (CLINC150: over 1,000 steps an epoch) gives the layer steps enough at it.
    head_learning_rate: float = 3e-3
    # Off: with 0.9 (default_quality.py --train-option=--layer-decay=0.9, seed 0; waimai with
    # --waimai-split bertdesk) validation peaked higher but new texts scored lower, as with
    # averaged weights: SST-2 validation 0.900 against 0.897, dev 0.890 against 0.898; waimai
    # validation 0.919, test 0.909 against 0.911.
    layer_decay: float = 1.0
    # Few texts per label (benchmarks/settings_study.py: CLINC150, 16 training texts for each of
    # 150 intents, the balanced defaults otherwise, test accuracy over seeds 0 and 1): batches
    # of 8 scored 0.930 / 0.936, of 16 0.924 / 0.928, of 32 0.928 (seed 0). The gain of 8 is
    # within one test set's spread (about 0.55 points) and costs about 30 % more time, so 16
    # stays (Batch size in the form).
    batch_size: int = 16
    gradient_accumulation: int = 1
    max_length: int = 128
    truncation: str = "head"
    weight_decay: float = 0.01
    warmup_ratio: float = 0.02
    # Off: on 4,000 SST-2 training sentences of 8 words or more with 5 % positive, scored on
    # 2,000 more of the same mix (the English built-in, the balanced defaults, seed 0; the run
    # picks its best model by macro-F1, which already weighs the rare label), class weights
    # scored test macro-F1 0.767 against 0.780 without (positive recall 0.45 against 0.51).
    class_weights: bool = False
    seed: int = 0
    early_stopping_patience: Optional[int] = 3
    early_stopping_metric: str = "macro_f1"
    # Patience counts evaluations, and each one without progress halves the rate: scoring 4
    # times an epoch instead of 2 ends a run twice as soon after its last gain. On CLINC150 with
    # 16 texts per intent (settings_study.py, seed 0) that cost 2.3 points of test accuracy (0.901 against 0.924).
    evaluations_per_epoch: int = 2
    device: str = "auto"
    precision: str = "auto"
    allow_unsafe_weights: bool = False
    validation_fraction: float = 0.1
    # Frozen by default: on 8,000 SST-2 texts (one epoch, the English built-in, train_speed.py's
    # bertdesk runner with train_word_embeddings=True) trained embeddings scored 0.851 / 0.852 /
    # 0.846 dev accuracy over seeds 0-2 against 0.850 / 0.849 / 0.845 frozen (+0.2 points on
    # average, within the seeds' spread) for about 20 % more CPU time; on the multilingual
    # built-in the 96M-weight table adds about 1.1 GB of gradients and optimiser state, and
    # on waimai (default_quality.py --waimai-split bertdesk --train-option=--train-embeddings,
    # seed 0) it scored 0.908 test accuracy against 0.911 frozen: no gain from un-freezing the
    # 4-bit table either.
    train_word_embeddings: bool = False
    # Off: on all of SST-2 (default_quality.py --train-option=--average-weights, seed 0) the
    # averaged weights scored higher on validation at every evaluation (best 0.903 against
    # 0.897) but lower on dev (0.891 against 0.898): smoother, not better on new texts.
    average_weights: bool = False

    @classmethod
    def from_preset(cls, preset: str = "balanced", **overrides: Any) -> TrainConfig:
        if preset not in PRESETS:
            raise UserInputError(
                "Unknown preset {preset!r}.",
                "Use one of: {presets}.",
                preset=preset,
                presets=", ".join(PRESETS),
            )
        values = {**PRESETS[preset], **{k: v for k, v in overrides.items() if v is not None}}
        config = cls(preset=preset, **values)
        config.validate()
        return config

    def validate(self) -> None:
        problems = []
        if self.epochs <= 0:
            problems.append("epochs must be above 0")
        if self.max_minutes is not None and self.max_minutes < 1:
            problems.append("the time limit must be at least 1 minute (or none)")
        if self.min_steps < 0:
            problems.append("the minimum number of steps cannot be negative")
        if not 0 < self.learning_rate < 1:
            problems.append("the learning rate must be between 0 and 1 (e.g. 5e-5)")
        if not 0 < self.head_learning_rate < 1:
            problems.append("the classification layer's learning rate must be between 0 and 1 (e.g. 1e-3)")
        if not 0 < self.layer_decay <= 1:
            problems.append("the layer decay must be above 0 and at most 1 (e.g. 0.9; 1 turns it off)")
        if self.batch_size < 1 or self.gradient_accumulation < 1:
            problems.append("batch size and gradient accumulation must be at least 1")
        if not 8 <= self.max_length <= 8192:
            problems.append("max length must be between 8 and 8192 tokens")
        if self.truncation not in TRUNCATIONS:
            problems.append(f"truncation must be one of {', '.join(TRUNCATIONS)}")
        if self.early_stopping_metric not in STOPPING_METRICS:
            problems.append(f"the early-stopping metric must be one of {', '.join(STOPPING_METRICS)}")
        if self.precision not in PRECISIONS:
            problems.append(f"precision must be one of {', '.join(PRECISIONS)}")
        if not 0 < self.validation_fraction < 0.5:
            problems.append("the validation fraction must be between 0 and 0.5")
        if problems:
            raise UserInputError(
                "Invalid training settings: {problems}.",
                "Fix the values and start again.",
                problems="; ".join(problems),
            )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> TrainConfig:
        known = set(fields_of(cls))
        # Runs from before a setting trained the new layer at the learning rate and every layer
        # at one rate; a resumed one goes on that way (its checkpoint's optimiser groups).
        older = {"head_learning_rate": values.get("learning_rate", cls.learning_rate), "layer_decay": 1.0}
        return cls(**{**older, **{k: v for k, v in values.items() if k in known}})


def fields_of(config_class: type) -> list[str]:
    """The field names of a settings dataclass (the CLI maps its options onto them)."""
    return [f.name for f in dataclasses.fields(config_class)]
