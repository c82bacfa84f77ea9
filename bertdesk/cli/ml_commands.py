"""Commands that train and score models: ``train``, ``eval``, ``runs`` (list, delete) and ``demo``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bertdesk import ops
from bertdesk.cli.console import console_callback
from bertdesk.cli.options import add_force_option, add_yes_option
from bertdesk.cli.text_columns import label_cell, label_column_width, ljust, rjust
from bertdesk.core import RunId, RunStatus, Split, UserInputError
from bertdesk.core.text_width import cut
from bertdesk.ml.metrics import shown_scores
from bertdesk.store import Project


def register(subparsers: Any) -> None:
    from bertdesk.ml.config import FIELD_HELP, PRECISIONS, PRESETS, TRUNCATIONS
    from bertdesk.ml.sources import AUTO_MODEL, BUILTIN_MODELS

    train = subparsers.add_parser(
        "train", help="fine-tune a classifier on the project's labelled texts",
        description="Fine-tune a BERT-family model on the labelled texts of PROJECT. Runs "
        "data-parallel when started under torchrun. Ctrl-C stops after the current step and "
        "keeps the best model so far.",
    )
    train.add_argument("project", type=Path, help="the .bertdesk project file")
    train.add_argument("--model", default=AUTO_MODEL,
                       help="'auto' (the default: a built-in model chosen by the texts' language), "
                       + ", ".join(f"'{m.spec}' ({m.name}: {m.languages}, {m.layers} layers, {m.size})"
                                   for m in BUILTIN_MODELS)
                       + ", a model folder, or a Hugging Face id such as bert-base-chinese; "
                       "'fast': TF-IDF + linear, seconds on a CPU, any language (the settings of "
                       "fine-tuning do not apply to it)")
    train.add_argument("--preset", default="balanced", choices=list(PRESETS),
                       help=FIELD_HELP["preset"])
    options = (
        ("--epochs", float, "epochs"), ("--max-minutes", int, "max_minutes"),
        ("--min-steps", int, "min_steps"),
        ("--lr", float, "learning_rate"), ("--head-lr", float, "head_learning_rate"),
        ("--layer-decay", float, "layer_decay"),
        ("--batch-size", int, "batch_size"), ("--accumulate", int, "gradient_accumulation"),
        ("--max-length", int, "max_length"), ("--weight-decay", float, "weight_decay"),
        ("--warmup", float, "warmup_ratio"), ("--seed", int, "seed"),
        ("--patience", int, "early_stopping_patience"),
        ("--evaluations-per-epoch", int, "evaluations_per_epoch"),
    )
    for flag, kind, field in options:
        train.add_argument(flag, type=kind, dest=field, help=FIELD_HELP[field])
    train.add_argument("--truncation", choices=TRUNCATIONS, help=FIELD_HELP["truncation"])
    train.add_argument("--metric", dest="early_stopping_metric",
                       choices=("macro_f1", "accuracy", "loss"), help=FIELD_HELP["early_stopping_metric"])
    train.add_argument("--class-weights", action="store_true", default=None, help=FIELD_HELP["class_weights"])
    train.add_argument("--train-embeddings", dest="train_word_embeddings", action="store_true",
                       default=None, help=FIELD_HELP["train_word_embeddings"])
    train.add_argument("--average-weights", action="store_true", default=None, help=FIELD_HELP["average_weights"])
    train.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), help=FIELD_HELP["device"])
    train.add_argument("--precision", choices=PRECISIONS, help=FIELD_HELP["precision"])
    train.add_argument("--allow-unsafe-weights", action="store_true", default=None,
                       help=FIELD_HELP["allow_unsafe_weights"])
    train.add_argument("--resume", type=int, metavar="RUN", help="carry on a cancelled run from its last checkpoint")
    train.set_defaults(func=run_train)

    evaluate = subparsers.add_parser(
        "eval", help="score a run on the validation or test texts",
        description="Print accuracy, F1, the per-label table and the confusion matrix of a run.",
    )
    evaluate.add_argument("project", type=Path)
    evaluate.add_argument("--run", type=int, help="the run (default: the current or latest finished)")
    evaluate.add_argument("--split", default="validation", choices=("validation", "test", "train"))
    evaluate.set_defaults(func=run_eval)

    runs = subparsers.add_parser(
        "runs", help="list or delete the project's training runs",
        description="The project's training runs; * marks the current one. Without an action, list them.",
    )
    runs.add_argument("project", type=Path)
    runs.set_defaults(func=run_runs)
    actions = runs.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list the runs").set_defaults(func=run_runs)
    delete = actions.add_parser("delete", help="delete runs with their model folders")
    delete.add_argument("run_ids", type=int, nargs="+", metavar="RUN")
    add_yes_option(delete)
    add_force_option(delete, "runs")
    delete.set_defaults(func=run_runs_delete)

    demo = subparsers.add_parser(
        "demo", help="build the demo project and train the built-in model on it",
        description="Create a small labelled demo project (English or Chinese) and fine-tune "
        "the built-in model on it with the quick preset: the whole job end to end.",
    )
    demo.add_argument("--language", default="en", choices=("en", "zh"))
    demo.add_argument("--dir", type=Path, default=Path.cwd(), help="where to write the project")
    demo.add_argument("--preset", default="quick", choices=list(PRESETS))
    demo.set_defaults(func=run_demo)


def _step_loss(event: Any) -> str:
    return f"loss {event.loss:.3f}"


def _validation_scores(metrics: dict[str, Any]) -> str:
    return f"validation accuracy {metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f}, loss {metrics['loss']:.3f}"


def _train(project: Project, config: Any, ctx: Any, resume: Any = None) -> int:
    from bertdesk.ml.distributed import is_main_process
    from bertdesk.ml.models import TRANSFORMER, family_to_train, train_model
    from bertdesk.ml.training import can_resume

    is_rank0 = is_main_process()
    if not is_rank0 and family_to_train(project, config, resume) != TRANSFORMER:
        return 0  # only transformers train data-parallel: rank 0 fits the fast model alone
    with ctx.progress_bar("Training") as bar:
        callback = console_callback(bar, _step_loss, _validation_scores) if is_rank0 else None
        started = time.time()
        result = train_model(project, config, callback, ctx.cancel, resume_run=resume)
    if not is_rank0:
        return 0
    ops.run_ended(project, RunId(result.run_id))
    current = " It is the current run now." if result.status is RunStatus.FINISHED else ""
    print(f"Run {result.run_id} {result.status} in {time.time() - started:.0f} s.{current}")
    if result.metrics:
        _print_metrics(result.metrics)
        _print_baseline(result.metrics)
    if result.model_dir:
        print(f"Model: {result.model_dir}")
    if result.status is RunStatus.FAILED:
        raise UserInputError(f"Training failed: {result.error}")
    if result.status is RunStatus.CANCELLED and can_resume(project, RunId(result.run_id)):
        print(f"Cancelled; resume with: bertdesk train {project.path} --resume {result.run_id}")
        return 130
    return 0


def _print_baseline(metrics: dict[str, Any]) -> None:
    """The fast baseline's scores under the run's, and what to try when the run is not better."""
    from bertdesk.ml.models.fast import BASELINE_NOT_BEATEN, beats_baseline

    baseline = metrics.get("baseline")
    if not isinstance(baseline, dict):
        return
    print(f"baseline (fast: TF-IDF + linear, {baseline.get('seconds', 0):.0f} s): "
          f"accuracy {baseline['accuracy']:.4f} · macro-F1 {baseline['macro_f1']:.4f}")
    if beats_baseline(metrics) is False:
        print(BASELINE_NOT_BEATEN)


def run_train(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.ml.config import TrainConfig, fields_of

    overrides = {name: getattr(args, name, None) for name in fields_of(TrainConfig)}
    overrides.pop("preset", None)
    config = TrainConfig.from_preset(args.preset, **overrides)
    with Project.open(args.project) as project:
        return _train(project, config, ctx, None if args.resume is None else RunId(args.resume))


def _print_metrics(metrics: dict[str, Any]) -> None:
    print(f"accuracy {metrics['accuracy']:.4f} · macro-F1 {metrics['macro_f1']:.4f} · "
          f"weighted-F1 {metrics['weighted_f1']:.4f}")
    rows = metrics.get("per_class") or []
    if rows:
        width = label_column_width([row["label"] for row in rows]) + 2
        print(f"{'label':<{width}}precision  recall     F1  support")
        for row in rows:
            precision, recall, f1 = shown_scores(row, ".3f")
            print(f"{ljust(label_cell(row['label']), width)}{precision:>9} {recall:>7} {f1:>6} {row['support']:8d}")


def run_eval(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.ml.evaluation import evaluate_run
    from bertdesk.ml.predict import run_model_folder

    with Project.open(args.project) as project:
        run_id, _ = run_model_folder(project, None if args.run is None else RunId(args.run))
        with ctx.progress_bar("Evaluating") as bar:
            report = evaluate_run(project, run_id, Split(args.split), bar, ctx.cancel)
    print(f"Run {run_id} on {report.split} ({len(report.examples)} texts)")
    _print_metrics({"accuracy": report.accuracy, "macro_f1": report.macro_f1,
                    "weighted_f1": report.weighted_f1, "per_class": report.per_class})
    if report.confusion:
        width = label_column_width(report.label_names) + 2
        print("\nconfusion matrix (rows: true label, columns: predicted)")
        print(" " * width + "".join(rjust(cut(name, 8), 9) for name in report.label_names))
        for name, row in zip(report.label_names, report.confusion):
            print(ljust(label_cell(name), width) + "".join(f"{count:9d}" for count in row))
    return 0


def run_runs(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.ml.sources import builtin_model

    with Project.open(args.project) as project:
        runs = project.runs()
        current = ops.current_run(project)
    if not runs:
        print("No runs yet: bertdesk train PROJECT")
        return 0
    print(f"{'run':>4}  {'status':<10} {'started':<17} {'minutes':>7}  {'accuracy':>8} {'macro-F1':>8}  base model")
    for run in runs:
        started = time.strftime("%Y-%m-%d %H:%M", time.localtime(run.started_at))
        minutes = f"{run.duration / 60:.1f}" if run.duration is not None else "-"
        accuracy = f"{run.metrics['accuracy']:.3f}" if "accuracy" in run.metrics else "-"
        macro = f"{run.metrics['macro_f1']:.3f}" if "macro_f1" in run.metrics else "-"
        mark = "*" if current == run.id else " "
        builtin = builtin_model(run.base_model)  # "default" says less than the model's name
        model = builtin.name if builtin else run.base_model
        print(f"{run.id:>3}{mark}  {run.status:<10} {started:<17} {minutes:>7}  {accuracy:>8} {macro:>8}  {model}")
    return 0


def run_runs_delete(args: argparse.Namespace, ctx: Any) -> int:
    run_ids = [RunId(run_id) for run_id in dict.fromkeys(args.run_ids)]
    with Project.open(args.project) as project:
        ops.check_deletable(project, run_ids, args.force)
        names = ", ".join(str(run_id) for run_id in run_ids)
        change = f"Deleting run(s) {names} removes their models and predictions."
        if not ctx.confirm(change, args.yes):
            print("Nothing was changed.")
            return 1
        ops.delete_runs(project, run_ids, args.force)
    print(f"Deleted run(s) {names}.")
    return 0


def run_demo(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.demo import build_demo_project
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.sources import AUTO_MODEL

    path = args.dir / f"demo-{args.language}.bertdesk"
    if not path.exists():
        build_demo_project(path, args.language)
        print(f"Demo project written to {path}")
    # A few hundred texts: the preset's floor of steps makes that several epochs.
    config = TrainConfig.from_preset(args.preset, model=AUTO_MODEL, batch_size=16, evaluations_per_epoch=4)
    with Project.open(path) as project:
        return _train(project, config, ctx)
