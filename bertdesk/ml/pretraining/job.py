"""One pretraining run end to end: the texts, the base model, the loop, the record.

``pretrain`` takes every text of the project, labelled or not, except the test split (unless
asked: a model that has read the test texts would flatter its test score), keeps a stable
share of them aside to measure the loss and perplexity on, and trains the masked-language-model
task (``task.py``) with the generic ``TrainingLoop``: its schedule, checkpoints, resume and
cancel are the classifier's. It reports through a ``TrainingCallback`` (messages, steps, and
evaluations whose metrics are the held-out ``loss``, ``perplexity`` and masked-token
``accuracy``), and through ``progress`` while a base model is downloaded or converted. Runs on
whichever thread calls it (the app would use a worker).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from bertdesk.core import CancelToken, Cancelled, ProgressCallback, RunStatus, Sentence, Split, UserInputError
from bertdesk.core import ignore_progress, log_failure
from bertdesk.core.files import readable_as_new_files
from bertdesk.core.owner import this_process
from bertdesk.ml.hf_imports import load_transformers
from bertdesk.ml.loop import Evaluation, Schedule, TrainingLoop, first_evaluation_step, logging_interval
from bertdesk.ml.pretraining.masking import TokenMasker, split_sentences
from bertdesk.ml.pretraining.records import (
    PretrainedModel,
    new_model_folder,
    pretrained_model,
    read_record,
    record_from_values,
    write_model_card,
    write_record,
)
from bertdesk.ml.pretraining.settings import SCRATCH, PretrainConfig
from bertdesk.ml.pretraining.task import MaskedLanguageTask, TextPieces
from bertdesk.ml.saved_weights import load_trained_weights, save_model_folder
from bertdesk.ml.sources import (
    AUTO_MODEL, PRETRAINED_MODEL, builtin_model, check_tokenizer_fits, quiet_loading, resolve_model,
)
from bertdesk.ml.training import LOADING, MODEL_CHOSEN, RESUMING, TRAINING, TrainingCallback, explain_failure
from bertdesk.store import ExampleFilter, Project
from bertdesk.store.text_hash import normalized_text_hashes

log = logging.getLogger(__name__)

# The engine's messages (Sentences, so the app can show them translated). Those it shares with
# fine-tuning (LOADING, MODEL_CHOSEN, RESUMING, TRAINING) are ml.training's, so the CLI's console
# starts its bar on the same TRAINING.
PREPARING = "Reading the project's texts"
TEXTS = "{texts} texts to learn from, {held_out} held out to measure on; the {test} test texts are left out."
TEXTS_WITH_TEST = ("{texts} texts to learn from, {held_out} held out to measure on; the {test} test texts are "
                   "among them, so a classifier's test score will flatter it.")
SENTENCE_PAIRS = "{count} of the texts have two sentences or more: next-sentence prediction learns from them."
VOCABULARY = "Learning a vocabulary of at most {size} pieces from the texts"

MIN_TEXTS = 2  # one to learn from, one to measure on
MAX_HELD_OUT = 2000  # enough for a steady perplexity; more only slows each evaluation
HASH_BUCKETS = 10_000
CHECKPOINT = Path("last") / "state.pt"
SCRATCH_BASE = "scratch-base"  # a model from scratch before training: its vocabulary and random weights


@dataclass(frozen=True)
class PretrainResult:
    model: PretrainedModel  # its record as the run ended
    status: RunStatus
    error: Optional[str] = None


@dataclass(frozen=True)
class TextPool:
    """The texts a run learns from and measures on, and how many test texts were left out."""

    train: list[str]
    held_out: list[str]
    test_texts: int


def text_pool(project: Project, include_test: bool, held_out_share: float) -> TextPool:
    """Every text but the test split's (unless ``include_test``), with a share held out.

    A text is held out by its normalised hash, not by a draw: the same texts stay aside when
    the project grows or a run resumes, and copies of one text are all on the same side, so
    the held-out perplexity never measures a text the model learnt.
    """
    test_ids = {example_id for example_id, _ in project.texts(ExampleFilter(split=Split.TEST))}
    texts = [text for example_id, text in project.texts() if include_test or example_id not in test_ids]
    if len(texts) < MIN_TEXTS:
        raise UserInputError(
            "Pretraining needs at least {minimum} texts outside the test split; the project has {count}.",
            "Import more texts (they need no labels).", minimum=MIN_TEXTS, count=len(texts),
        )
    buckets = [value % HASH_BUCKETS for value in normalized_text_hashes(texts)]
    limit = max(min(buckets), round(held_out_share * HASH_BUCKETS) - 1)  # at least one text aside
    aside = sorted((bucket, index) for index, bucket in enumerate(buckets) if bucket <= limit)
    if len(aside) > MAX_HELD_OUT:  # cut between buckets, never between copies of a text
        aside = [(bucket, index) for bucket, index in aside if bucket < aside[MAX_HELD_OUT][0]]
    if len(aside) == len(texts):  # a project of copies of one text
        aside = aside[:-1]
    held = {index for _, index in aside}
    return TextPool([text for index, text in enumerate(texts) if index not in held],
                    [texts[index] for index in sorted(held)], len(test_ids))


def can_resume_pretraining(project: Project, model_id: str) -> bool:
    """A stopped pretraining run with a checkpoint carries on where it stopped."""
    try:
        model = pretrained_model(project, model_id)
    except UserInputError:
        return False
    return model.status is RunStatus.CANCELLED and (model.folder / CHECKPOINT).is_file()


def pretrain(
    project: Project,
    config: Optional[PretrainConfig] = None,
    callback: Optional[TrainingCallback] = None,
    cancel: Optional[CancelToken] = None,
    progress: ProgressCallback = ignore_progress,
    resume: Optional[str] = None,
) -> PretrainResult:
    """Pretrain a model on the project's texts; see the module docstring.

    ``resume``: the id of a stopped run to carry on with its own settings (``config`` is not
    used then). Problems found before the run starts raise ``UserInputError``; once it has
    started, a failure is recorded with a plain reason and returned.
    """
    callback = callback or TrainingCallback()
    cancel = cancel or CancelToken()
    if resume is not None:
        previous = pretrained_model(project, resume)
        if not can_resume_pretraining(project, resume):
            raise UserInputError(
                "Pretrained model {model_id} cannot be resumed: only a stopped run with a checkpoint can.",
                "Start a new one.", model_id=resume,
            )
        config = PretrainConfig.from_dict(previous.config)
    config = config or PretrainConfig()
    config.validate()
    callback.on_message(Sentence(PREPARING))
    pool = text_pool(project, config.include_test, config.held_out_share)
    callback.on_message(Sentence(
        TEXTS_WITH_TEST if config.include_test else TEXTS,
        texts=len(pool.train), held_out=len(pool.held_out), test=pool.test_texts,
    ))
    if resume is not None:
        values = _record_values(previous)
        folder = previous.folder
    else:
        if config.base == AUTO_MODEL:
            config = _choose_base(config, pool, callback)
        folder = new_model_folder(project)[1]
        values = {
            "status": RunStatus.RUNNING.value, "base": config.base, "base_name": _base_name(config.base),
            "config": config.to_dict(), "started_at": time.time(), "owner": this_process(),
        }
    values.update(texts=len(pool.train), held_out=len(pool.held_out), test_included=config.include_test)
    write_record(folder, values)
    job = _Job(project, config, callback, cancel, progress, folder, values)
    try:
        return job.run(pool, resume=resume is not None)
    except Cancelled:
        return job.finish(RunStatus.CANCELLED)
    except Exception as error:  # the run failed: record why, keep the app going
        log_failure(log, f"pretraining {folder}", error)
        return job.finish(RunStatus.FAILED, error=explain_failure(error))


def _choose_base(config: PretrainConfig, pool: TextPool, callback: TrainingCallback) -> PretrainConfig:
    """"auto": the built-in model a classifier on these texts would start from."""
    from bertdesk.ml.coverage import choose_builtin_model

    choice = choose_builtin_model(pool.train + pool.held_out)
    callback.on_message(Sentence(MODEL_CHOSEN, name=_base_name(choice.spec), reason=choice.reason))
    return dataclasses.replace(config, base=choice.spec)


def _base_name(spec: str) -> str:
    builtin = builtin_model(spec)
    return builtin.name if builtin else spec


def _record_values(model: PretrainedModel) -> dict[str, Any]:
    values = {field.name: getattr(model, field.name) for field in dataclasses.fields(model)}
    for name in ("id", "folder"):
        values.pop(name)
    values["status"] = RunStatus.RUNNING.value
    values["owner"] = this_process()
    return values


class _Job:
    """One pretraining run while it trains: the base model, the task, the loop, the record."""

    def __init__(
        self, project: Project, config: PretrainConfig, callback: TrainingCallback, cancel: CancelToken,
        progress: ProgressCallback, folder: Path, values: dict[str, Any],
    ) -> None:
        self.project, self.config, self.callback, self.cancel = project, config, callback, cancel
        self.progress, self.folder, self.values = progress, folder, values
        self.started = time.time()
        self.previous_seconds = float(values.get("duration_seconds") or 0.0)  # before a resume
        self.model: Any = None
        self.tokenizer: Any = None
        self.loop: Optional[TrainingLoop] = None

    def run(self, pool: TextPool, resume: bool) -> PretrainResult:
        import torch

        from bertdesk.ml.device import pick_device, with_precision

        config, callback = self.config, self.callback
        torch.manual_seed(config.seed)
        device = with_precision(pick_device(config.device), config.precision)
        base_dir = self._base_folder(pool.train, resume)
        callback.on_message(Sentence(LOADING))
        self.model, self.tokenizer, new_parameters = load_pretraining_model(
            base_dir, config.next_sentence, config.allow_unsafe_weights
        )
        if not (config.from_scratch or config.train_word_embeddings):
            self.model.get_input_embeddings().weight.requires_grad_(False)
        self.model.to(device.kind)
        if config.next_sentence:
            pairs = sum(1 for text in pool.train if len(split_sentences(text)) >= 2)
            callback.on_message(Sentence(SENTENCE_PAIRS, count=pairs))
        segment_ids = getattr(self.model.config, "type_vocab_size", 1) >= 2
        train, held_out = (TextPieces(self.tokenizer, texts, config.max_length, config.next_sentence, segment_ids)
                           for texts in (pool.train, pool.held_out))
        if not len(train) or not len(held_out):
            raise UserInputError("The texts hold no words this model can read.", "Import texts with words in them.")
        task = MaskedLanguageTask(
            self.model, TokenMasker(self.tokenizer, config.mask_share, config.whole_words), train, held_out,
            config.batch_size, config.seed, device, self.tokenizer.pad_token_id or 0, self._keep, self._saved_best,
        )
        schedule = self._schedule(len(train))
        self.values.update(total_steps=schedule.total_steps, device=device.describe())
        self.loop = loop = TrainingLoop(
            task, schedule,
            {"learning_rate": config.rate, "weight_decay": config.weight_decay, "warmup_ratio": config.warmup_ratio,
             "head_learning_rate": config.head_learning_rate},
            device, self.cancel, callback, self.folder / CHECKPOINT, self._write_run, seed=config.seed,
            new_parameters=new_parameters,
        )
        if resume:
            loop.resume()
            callback.on_message(Sentence(RESUMING, step=loop.step, total=schedule.total_steps))
        callback.on_message(Sentence(TRAINING))
        loop.run()
        return self.finish(RunStatus.FINISHED)

    def _base_folder(self, texts: list[str], resume: bool) -> Path:
        """The folder the model starts from: the base resolved, or for a model from scratch its
        new vocabulary and random weights (made once; a resumed run reads them again)."""
        from bertdesk.ml.pretraining.scratch import train_tokenizer, write_random_model

        config = self.config
        if not config.from_scratch:
            return resolve_model(config.base, self.progress, self.cancel,
                                 allow_unsafe_weights=config.allow_unsafe_weights,
                                 project_runs_dir=self.project.runs_dir)
        folder = self.folder / SCRATCH_BASE
        if not resume:
            self.callback.on_message(Sentence(VOCABULARY, size=config.vocabulary_size))
            tokenizer = train_tokenizer(texts, folder, config.vocabulary_size)
            write_random_model(folder, tokenizer, config.seed, config.layers, config.width)
        return folder

    def _schedule(self, sequences: int) -> Schedule:
        config = self.config
        steps_per_epoch = max(1, math.ceil(sequences / config.batch_size))
        total = config.steps or max(1, math.ceil(steps_per_epoch * config.epochs))
        eval_every = max(1, total // config.evaluations)
        return Schedule(total, steps_per_epoch, eval_every, first_evaluation_step(total, eval_every),
                        logging_interval=logging_interval(total))

    # ------------------------------------------------------------ the result
    def _keep(self, evaluation: Evaluation) -> None:
        """The best model so far becomes ``model/``, swapped in by one rename."""
        target = self.folder / PRETRAINED_MODEL
        staging = self.folder / f"{PRETRAINED_MODEL}.saving"
        shutil.rmtree(staging, ignore_errors=True)
        save_model_folder(self.model, self.tokenizer, staging, self.project.runs_dir)
        step = self.loop.step if self.loop is not None else 0
        record = record_from_values(self.folder, {**self.values, "steps": step,
                                                  "metrics": {**evaluation.metrics, "step": step}})
        write_model_card(staging, record)
        readable_as_new_files(staging)
        old = self.folder / f"{PRETRAINED_MODEL}.old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)

    def _saved_best(self) -> Optional[dict[str, Any]]:
        return load_trained_weights(self.folder / PRETRAINED_MODEL)

    def _write_run(self, **fields: Any) -> None:
        """The loop's record of the curve and the best scores, at each evaluation."""
        self.values.update(fields)
        if self.loop is not None:
            self.values["steps"] = self.loop.step
        write_record(self.folder, self.values)

    def finish(self, status: RunStatus, error: Optional[str] = None) -> PretrainResult:
        """Record how the run ended; a stopped run keeps a model (scored now if it never was)
        and a checkpoint of the step it stopped at, to resume there."""
        loop = self.loop
        if loop is not None and status is RunStatus.CANCELLED:
            if loop.best_state is None:
                try:
                    loop.evaluate_and_keep_best()
                except Exception:  # the stopped run still ends as stopped
                    log.exception("scoring a stopped pretraining run failed")
            if loop.step > 0:
                loop.save_checkpoint()
        if status is not RunStatus.CANCELLED:  # only a stopped run carries on
            shutil.rmtree((self.folder / CHECKPOINT).parent, ignore_errors=True)
            shutil.rmtree(self.folder / SCRATCH_BASE, ignore_errors=True)
        self.values.update(
            status=status.value, error=error, finished_at=time.time(),
            duration_seconds=round(self.previous_seconds + time.time() - self.started, 1),
        )
        if loop is not None:
            self.values.update(steps=loop.step, history=loop.history, metrics=loop.best_metrics)
        write_record(self.folder, self.values)
        record = read_record(self.folder)
        if record.usable:
            write_model_card(record.model_dir, record)
        return PretrainResult(record, status, error)


def load_pretraining_model(
    folder: Path, next_sentence: bool, allow_unsafe_weights: bool
) -> tuple[Any, Any, set[str]]:
    """The model with its pretraining heads, its tokenizer, and the names of the weights the
    folder lacked (a head the base never had: the multilingual built-in has none). A BERT
    loads as ``BertForPreTraining`` (see task.py); other architectures with their masked-LM head."""
    load_transformers()
    from transformers import AutoConfig, AutoModelForMaskedLM, AutoTokenizer, BertForPreTraining

    kind = AutoConfig.from_pretrained(folder, trust_remote_code=False).model_type
    safe = None if allow_unsafe_weights else True
    if kind != "bert" and next_sentence:
        raise UserInputError(
            "Next-sentence prediction needs a BERT model; this one is a {kind}.",
            "Pretrain without next-sentence prediction, or start from a BERT model.", kind=kind,
        )
    model_class: Any = BertForPreTraining if kind == "bert" else AutoModelForMaskedLM
    with quiet_loading():
        model, loading = model_class.from_pretrained(
            folder, use_safetensors=safe, trust_remote_code=False, output_loading_info=True,
        )
    tokenizer = AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
    check_tokenizer_fits(folder, tokenizer, model.config)
    return model, tokenizer, set(loading["missing_keys"])
