"""Commands that pretrain on the project's own texts: ``pretrain`` and ``pretrained`` (the list)."""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path
from typing import Any

from bertdesk.cli.console import console_callback
from bertdesk.cli.options import add_force_option, add_yes_option
from bertdesk.core import RunStatus, UserInputError
from bertdesk.store import Project


def register(subparsers: Any) -> None:
    from bertdesk.ml.config import FIELD_HELP as TRAIN_HELP
    from bertdesk.ml.config import PRECISIONS
    from bertdesk.ml.pretraining import FIELD_HELP
    from bertdesk.ml.sources import AUTO_MODEL

    pretrain = subparsers.add_parser(
        "pretrain", help="teach a model the project's own texts before fine-tuning",
        description="Masked-language-model training on every text of PROJECT, labelled or not, except "
        "the test split: adapt a model to the texts, or grow a small BERT from scratch. The result is "
        "a model of the project that 'bertdesk train --model pretrained:ID' fine-tunes. Ctrl-C stops "
        "after the current step; --resume carries on from there.",
    )
    pretrain.add_argument("project", type=Path, help="the .bertdesk project file")
    pretrain.add_argument("--from", dest="base", default=AUTO_MODEL, metavar="MODEL",
                          help=f"{FIELD_HELP['base']} (default: {AUTO_MODEL})")
    budget = pretrain.add_mutually_exclusive_group()
    budget.add_argument("--steps", type=int, help=FIELD_HELP["steps"])
    budget.add_argument("--epochs", type=float, help=f"{FIELD_HELP['epochs']} (default: 1)")
    pretrain.add_argument("--include-test", action="store_true", default=None, help=FIELD_HELP["include_test"])
    pretrain.add_argument("--next-sentence", action="store_true", default=None, help=FIELD_HELP["next_sentence"])
    pretrain.add_argument("--token-masking", dest="whole_words", action="store_false", default=None,
                          help="mask single tokens rather than whole words")
    options = (
        ("--batch-size", int, "batch_size"), ("--max-length", int, "max_length"),
        ("--lr", float, "learning_rate"), ("--head-lr", float, "head_learning_rate"),
        ("--mask-share", float, "mask_share"),
        ("--held-out", float, "held_out_share"), ("--evaluations", int, "evaluations"),
        ("--vocabulary-size", int, "vocabulary_size"), ("--layers", int, "layers"), ("--width", int, "width"),
    )
    for flag, kind, field in options:
        pretrain.add_argument(flag, type=kind, dest=field, help=FIELD_HELP[field])
    pretrain.add_argument("--train-embeddings", dest="train_word_embeddings", action="store_true", default=None,
                          help=FIELD_HELP["train_word_embeddings"])
    pretrain.add_argument("--seed", type=int, help="fixes the random choices (default: 0)")
    pretrain.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), help="where to train")
    pretrain.add_argument("--precision", choices=PRECISIONS, help=TRAIN_HELP["precision"])
    pretrain.add_argument("--allow-unsafe-weights", action="store_true", default=None,
                          help="also load models stored as pickle files (only from sources you trust)")
    pretrain.add_argument("--resume", metavar="ID", help="carry on a stopped pretraining from its last checkpoint")
    pretrain.set_defaults(func=run_pretrain)

    listing = subparsers.add_parser(
        "pretrained", help="list or delete the project's pretrained models",
        description="The models pretrained on the project's texts, with the name 'bertdesk train --model' "
        "takes. Without an action, list them.",
    )
    listing.add_argument("project", type=Path)
    listing.set_defaults(func=run_pretrained)
    actions = listing.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list the pretrained models").set_defaults(func=run_pretrained)
    delete = actions.add_parser("delete", help="delete pretrained models with their folders")
    delete.add_argument("model_ids", nargs="+", metavar="MODEL", help="3 or pretrained:3, as the list names it")
    add_yes_option(delete)
    add_force_option(delete, "pretrained models")
    delete.set_defaults(func=run_pretrained_delete)


def _loss_and_perplexity(event: Any) -> str:
    return f"loss {event.loss:.3f} (perplexity {math.exp(min(event.loss, 50.0)):.1f})"


def _held_out_scores(metrics: dict[str, Any]) -> str:
    return (f"held-out loss {metrics['loss']:.3f} · perplexity {metrics['perplexity']:.2f} · "
            f"masked tokens right {metrics['accuracy']:.3f}")


def run_pretrain(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.ml.config import fields_of
    from bertdesk.ml.pretraining import PretrainConfig, pretrain

    config = PretrainConfig(**{name: getattr(args, name) for name in fields_of(PretrainConfig)
                               if getattr(args, name, None) is not None})
    with Project.open(args.project) as project:
        # The first bar shows only while a base model is downloaded or converted.
        with ctx.progress_bar("Preparing the model") as preparing, ctx.progress_bar("Pretraining") as bar:
            callback = console_callback(bar, _loss_and_perplexity, _held_out_scores)
            started = time.time()
            result = pretrain(project, config, callback, ctx.cancel, preparing, resume=args.resume)
        model = result.model
        print(f"Pretrained model {model.spec} {result.status} in {time.time() - started:.0f} s: {model.description}.")
        if model.metrics:
            print(f"held-out loss {model.metrics['loss']:.4f} · perplexity {model.metrics['perplexity']:.2f} "
                  f"· masked tokens right {model.metrics['accuracy']:.4f} (step {model.metrics.get('step')})")
        if result.status is RunStatus.FAILED:
            raise UserInputError(f"Pretraining failed: {result.error}")
        if model.usable:
            print(f"Model: {model.model_dir}\nFine-tune on it: bertdesk train {project.path} --model {model.spec}")
        if result.status is RunStatus.CANCELLED:
            print(f"Stopped; resume with: bertdesk pretrain {project.path} --resume {model.id}")
            return 130
    return 0


def run_pretrained(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.ml.pretraining import pretrained_models

    with Project.open(args.project) as project:
        models = pretrained_models(project)
    if not models:
        print("No pretrained models yet: bertdesk pretrain PROJECT")
        return 0
    print(f"{'model':<14} {'status':<10} {'minutes':>7} {'perplexity':>10}  description")
    for model in models:
        minutes = f"{model.duration_seconds / 60:.1f}" if model.duration_seconds is not None else "-"
        perplexity = f"{model.metrics['perplexity']:.2f}" if "perplexity" in model.metrics else "-"
        print(f"{model.spec:<14} {model.status:<10} {minutes:>7} {perplexity:>10}  {model.description}")
    return 0


def run_pretrained_delete(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.ml.pretraining import deletable_pretrained_models, delete_pretrained_models
    from bertdesk.ml.sources import PRETRAINED_PREFIX

    model_ids = list(dict.fromkeys(model_id.removeprefix(PRETRAINED_PREFIX) for model_id in args.model_ids))
    with Project.open(args.project) as project:
        deletable_pretrained_models(project, model_ids, args.force)  # refused before asking
        names = ", ".join(f"{PRETRAINED_PREFIX}{model_id}" for model_id in model_ids)
        change = (f"Deleting {names} removes their folders. Runs fine-tuned from them keep their models "
                  "(a stopped one can no longer be resumed).")
        if not ctx.confirm(change, args.yes):
            print("Nothing was changed.")
            return 1
        delete_pretrained_models(project, model_ids, args.force)
    print(f"Deleted {names}.")
    return 0
