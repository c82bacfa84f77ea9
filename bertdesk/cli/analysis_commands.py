"""Commands that ask whether the model or the data is the problem: ``cv`` (cross-validation),
``label-errors`` (likely label errors over all labelled texts) and ``learning-curve``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bertdesk.cli.text_columns import ljust
from bertdesk.core import RunId, UserInputError
from bertdesk.core.text_width import cut
from bertdesk.store import Project

PLOT_EXTRA = "pip install 'bertdesk[plots]'"
REPEATS_HELP = ("rounds of folds, each dealt in another order, with each text's probabilities "
                "averaged over them: steadier label errors, for that many times the time (1)")


def register(subparsers: Any) -> None:
    from bertdesk.ml.confident_learning import Ranking
    from bertdesk.ml.crossval import DEFAULT_FOLDS
    from bertdesk.ml.learning_curve import DEFAULT_FRACTIONS, METRIC_NAMES

    cv = subparsers.add_parser(
        "cv", help="cross-validate: each fold's scores, their mean and spread",
        description="Deal the labelled texts outside the test split into stratified folds, fit a "
        "model on all folds but one and score it on that one, for every fold. The run keeps each "
        "text's probabilities from the model that did not learn from it (see label-errors).",
    )
    cv.add_argument("project", type=Path, help="the .bertdesk project file")
    cv.add_argument("--folds", type=int, default=DEFAULT_FOLDS, help=f"how many folds ({DEFAULT_FOLDS})")
    cv.add_argument("--repeats", type=int, help=REPEATS_HELP)
    _add_model_options(cv)
    cv.set_defaults(func=run_cv)

    errors = subparsers.add_parser(
        "label-errors", help="list the labelled texts whose label is likely wrong",
        description="Confident learning on cross-validated probabilities: the labelled texts whose "
        "label the model doubts, most doubtful first, each with the label it suggests. Uses the "
        "latest cross-validation run, or runs one first when there is none or when --new, "
        "--folds, --repeats or --model is given.",
    )
    errors.add_argument("project", type=Path)
    errors.add_argument("--output", type=Path, required=True, help="where to write the list (.csv, .xlsx, .jsonl)")
    errors.add_argument("--run", type=int, action="append",
                        help="the cross-validation run to read (default: the latest); given more than "
                        "once, the runs' probabilities are combined with weights fitted on the labels "
                        "(e.g. the fast model's and a fine-tuned one's: more precise than either)")
    errors.add_argument("--new", action="store_true", help="run a new cross-validation first")
    errors.add_argument("--folds", type=int, help=f"folds of a new cross-validation ({DEFAULT_FOLDS})")
    errors.add_argument("--repeats", type=int, help=REPEATS_HELP)
    errors.add_argument("--ranking", default=Ranking.SELF_CONFIDENCE.value, choices=[r.value for r in Ranking],
                        help="the order: the probability of the given label (self-confidence, the "
                        "default) or that minus the best other label's (normalized-margin)")
    _add_model_options(errors, model_default=None)
    errors.set_defaults(func=run_label_errors)

    curve = subparsers.add_parser(
        "learning-curve", help="score models fitted on growing shares of the labelled texts",
        description="Fit a model on 25, 50, 75 and 100%% of the labelled training texts, score each "
        "on the validation texts, and say from a fitted power law whether more labels are likely "
        "to help.",
    )
    curve.add_argument("project", type=Path)
    curve.add_argument("--fractions", type=float, nargs="+", default=list(DEFAULT_FRACTIONS),
                       metavar="F", help="the shares of the training texts (0.25 0.5 0.75 1)")
    curve.add_argument("--metric", default="macro_f1", choices=list(METRIC_NAMES), help="the score (macro_f1)")
    curve.add_argument("--samples", type=int, metavar="N",
                       help="models per point, each on another sample of that size, averaged "
                       "(default: 3 for the fast model, 1 for a transformer)")
    curve.add_argument("--plot", type=Path, metavar="PNG",
                       help=f"also draw the curve into this PNG file (needs matplotlib: {PLOT_EXTRA})")
    _add_model_options(curve)
    curve.set_defaults(func=run_learning_curve)


def _add_model_options(parser: argparse.ArgumentParser, model_default: Any = "fast") -> None:
    """The model and the few training settings these commands let a user change."""
    from bertdesk.ml.config import FIELD_HELP, PRESETS

    parser.add_argument("--model", default=model_default,
                        help="'fast' (TF-IDF + linear, seconds on a CPU; the default), or a model "
                        "as 'bertdesk train --model' takes it: each fold or point fine-tunes it")
    parser.add_argument("--preset", default="balanced", choices=list(PRESETS), help=FIELD_HELP["preset"])
    for flag, kind, field in (("--epochs", float, "epochs"), ("--max-length", int, "max_length"),
                              ("--batch-size", int, "batch_size"), ("--seed", int, "seed")):
        parser.add_argument(flag, type=kind, dest=field, help=FIELD_HELP[field])


def _config(args: argparse.Namespace) -> Any:
    from bertdesk.ml.config import TrainConfig

    overrides = {name: getattr(args, name) for name in ("epochs", "max_length", "batch_size", "seed")}
    return TrainConfig.from_preset(args.preset, model=args.model or "fast", **overrides)


# ------------------------------------------------------------------------------------ cv
def run_cv(args: argparse.Namespace, ctx: Any) -> int:
    with Project.open(args.project) as project:
        _cross_validate(project, args, args.folds, ctx)
    return 0


def _cross_validate(project: Project, args: argparse.Namespace, folds: int, ctx: Any) -> RunId:
    from bertdesk.ml.crossval import SUMMARY_METRICS, cross_validate, training_only_note

    started = time.time()
    with ctx.progress_bar("Cross-validating") as bar:
        result = cross_validate(project, _config(args), folds, bar, ctx.cancel, args.repeats or 1)
    run = project.run(result.run_id)
    rounds = f" x {args.repeats} rounds" if (args.repeats or 1) > 1 else ""
    print(f"Cross-validation run {result.run_id}: {folds} folds{rounds} of {len(result.example_ids):,} labelled "
          f"texts outside the test split, {run.base_model}, {time.time() - started:.0f} s.")
    titles = {"accuracy": "accuracy", "macro_f1": "macro-F1", "weighted_f1": "weighted-F1", "loss": "loss"}
    print(f"{'fold':>4} {'texts':>6}  " + "".join(f"{titles[name]:>17}" for name in SUMMARY_METRICS))
    for fold in result.folds:
        name = f"{fold.repeat}.{fold.fold}" if rounds else str(fold.fold)
        print(f"{name:>4} {fold.size:>6}  "
              + "".join(f"{fold.metrics[name]:>17.4f}" for name in SUMMARY_METRICS))
    print(f"{'mean ± std':>11}  " + "".join(
        f"{result.mean[name]:>9.4f} ± {result.std[name]:.4f}" for name in SUMMARY_METRICS))
    note = training_only_note(run.params)
    if note:
        print(note)
    return result.run_id


# -------------------------------------------------------------------------- label errors
def run_label_errors(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.io import SUPPORTED_EXPORT_SUFFIXES, table_file
    from bertdesk.ml.confident_learning import Ranking
    from bertdesk.ml.crossval import DEFAULT_FOLDS, latest_cross_validation
    from bertdesk.ops import likely_label_errors

    output: Path = args.output
    if output.suffix.lower() not in SUPPORTED_EXPORT_SUFFIXES:
        raise UserInputError("Cannot write the list as {file}.", "Name the file with one of {suffixes}.",
                             file=output.name, suffixes=", ".join(SUPPORTED_EXPORT_SUFFIXES))
    with Project.open(args.project) as project:
        run_ids = [RunId(run) for run in args.run or ()]
        if not run_ids:
            fresh = args.new or args.folds is not None or args.repeats is not None or args.model is not None
            latest = None if fresh else latest_cross_validation(project)
            if latest is None:
                run_ids = [_cross_validate(project, args, args.folds or DEFAULT_FOLDS, ctx)]
            else:
                run = project.run(latest)
                print(f"Using cross-validation run {latest} ({run.params['folds']} folds, {run.base_model}); "
                      "--new runs another.")
                run_ids = [latest]
        report = likely_label_errors(project, run_ids, Ranking(args.ranking))
        if len(report.weights) > 1:
            print("Combined cross-validations (run: weight): "
                  + ", ".join(f"{run_id}: {weight:.2f}" for run_id, weight in report.weights.items()))
    header = ["id", "text", "label", "suggested", "label_probability", "suggested_probability", "split"]
    with table_file(output, output.suffix.lower().lstrip("."), header, "label errors") as write_rows:
        write_rows([[int(e.example_id), e.text, e.label, e.suggested, round(e.label_probability, 4),
                     round(e.suggested_probability, 4), e.split.value] for e in report.errors])
    print(f"{len(report.errors):,} likely label errors among {report.checked:,} labelled texts "
          f"(confident learning estimates {report.estimated:,}); written to {output}.")
    if report.reviewed:
        print(f"{report.reviewed:,} more were left out: their label was confirmed in a review.")
    if report.unchecked:
        print(f"{report.unchecked:,} labelled texts were not checked (labelled after the cross-validation): "
              "run it again with --new.")
    for error in report.errors[:10]:
        print(f"  {error.example_id:>7}  {ljust(cut(error.label, 12), 12)} -> {ljust(cut(error.suggested, 12), 12)} "
              f"{error.label_probability:.2f}  {cut(error.text.replace(chr(10), ' '), 60)}")
    return 0


# ------------------------------------------------------------------------- learning curve
def run_learning_curve(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.ml.learning_curve import METRIC_NAMES, default_samples, learning_curve

    samples = args.samples or default_samples(args.model)
    if args.plot is not None:
        _check_can_plot(args.plot)
    with Project.open(args.project) as project:
        with ctx.progress_bar("Learning curve") as bar:
            curve = learning_curve(project, _config(args), args.fractions, args.metric, samples, bar, ctx.cancel)
    where = ("texts set aside from the training texts (the project has no validation split)"
             if curve.evaluation_set_aside else "validation texts")
    each = f", the mean of {samples} models on other samples of the same size" if samples > 1 else ""
    print(f"{METRIC_NAMES[curve.metric]} on {curve.evaluation_size:,} {where}{each}:")
    print(f"{'share':>6} {'texts':>7} {'score':>7} {'fitted':>7} {'seconds':>8}")
    for point in curve.points:
        print(f"{point.fraction:>6.0%} {point.train_size:>7,} {point.score:>7.4f} "
              f"{curve.law.score(point.train_size):>7.4f} {point.seconds:>8.1f}")
    print(curve.verdict)
    if args.plot is not None:
        _plot(curve, args.plot)
        print(f"Curve drawn in {args.plot}.")
    return 0


def _check_can_plot(path: Path) -> None:
    """Before any model is fitted: a PNG needs matplotlib and a folder to go in."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise UserInputError(
            "Drawing the curve needs matplotlib, which is not installed.",
            "Install it ({command}), or leave out --plot: the table has the same figures.",
            command=PLOT_EXTRA,
        ) from error
    if not path.parent.is_dir():
        raise UserInputError("The folder {folder} does not exist.", "Create it first.", folder=path.parent)


def _plot(curve: Any, path: Path) -> None:
    """The measured points, the fitted power law with its 80% band, out to twice the labels."""
    import matplotlib

    matplotlib.use("Agg")  # no window: a file
    import matplotlib.pyplot as plt
    import numpy as np

    from bertdesk.core.files import staging_path
    from bertdesk.ml.learning_curve import METRIC_NAMES

    sizes = [point.train_size for point in curve.points]
    grid = np.linspace(sizes[0] * 0.8, sizes[-1] * 2, 200)
    band = np.array([curve.score_interval(size) for size in grid])
    figure, axes = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    axes.fill_between(grid, band[:, 0], band[:, 1], alpha=0.2, label="80% band (bootstrap)")
    axes.plot(grid, [curve.law.score(size) for size in grid], label="power law fit")
    axes.plot(sizes, [point.score for point in curve.points], "o", label="measured")
    axes.set_xlabel("labelled training texts")
    axes.set_ylabel(str(METRIC_NAMES[curve.metric]))
    axes.set_title("Learning curve", fontsize=11)
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    figure.tight_layout()
    staging = staging_path(path)
    try:
        figure.savefig(staging, format="png")
        staging.replace(path)
    finally:
        plt.close(figure)
        staging.unlink(missing_ok=True)
