"""``bertdesk ensemble``: combine finished runs into one model (``ml.ensemble``)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, Optional

from bertdesk import ops
from bertdesk.core import RunId
from bertdesk.store import Project


def register(subparsers: Any) -> None:
    from bertdesk.ml.ensemble import Combination

    ensemble = subparsers.add_parser(
        "ensemble", help="combine finished runs into one model (their probabilities averaged)",
        description="Combine two or more finished runs of any family that predict the same labels: "
        "the ensemble's probabilities are the members' weighted mean. It is recorded as a run with "
        "its own model folder (the members' folders and a manifest), scored on the validation texts, "
        "and predicts, serves and exports like any run; it becomes the current run.",
    )
    ensemble.add_argument("project", type=Path, help="the .bertdesk project file")
    ensemble.add_argument("run_ids", type=int, nargs="+", metavar="RUN", help="the runs to combine (two or more)")
    ensemble.add_argument(
        "--weights", default=Combination.MEAN.value, choices=[c.value for c in Combination],
        help="mean: equal weights (the default); fitted: the weights that minimise the log-loss on "
        "the validation texts (which then flatter its validation scores: compare on test)",
    )
    ensemble.add_argument("--name", help="the run's name (default: says which runs and how)")
    ensemble.set_defaults(func=run_ensemble)


def run_ensemble(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.ml.ensemble import Combination, combine_runs

    started = time.time()
    with Project.open(args.project) as project:
        with ctx.progress_bar("Combining") as bar:
            result = combine_runs(
                project, [RunId(run_id) for run_id in args.run_ids], Combination(args.weights), args.name,
                bar, ctx.cancel,
            )
        ops.run_ended(project, result.run_id)
    members = ", ".join(str(member.run_id) for member in result.members)
    print(f"Ensemble run {result.run_id}: {result.combination.value} of runs {members}, "
          f"{time.time() - started:.0f} s. It is the current run now.")
    test = f"{'test accuracy':>14} {'macro-F1':>8}" if result.test is not None else ""
    print(f"{'run':>8}  {'family':<12} {'weight':>6}  {'accuracy':>8} {'macro-F1':>8} {'loss':>7}{test}")
    for member in result.members:
        print(f"{member.run_id:>8}  {member.family:<12} {member.weight:>6.3f}  "
              f"{_scores(member.validation, member.test)}")
    print(f"{'ensemble':>8}  {'':<12} {'':>6}  {_scores(result.validation, result.test)}")
    for member in result.members:
        if member.predicted:
            print(f"Run {member.run_id} had no stored probabilities for {member.predicted} texts: its model "
                  "predicted them.")
    dropped = [str(member.run_id) for member in result.members if member.weight == 0]
    if dropped:
        print(f"Run(s) {', '.join(dropped)} got no weight: the ensemble's folder leaves them out.")
    if result.combination is Combination.FITTED:
        print("The weights were fitted on the validation texts, which flatters the ensemble's validation "
              "scores; " + ("the test scores are the fair comparison." if result.test is not None
                            else "put texts in the test split for a fair comparison."))
    print(f"Model: {result.folder}")
    return 0


def _scores(validation: dict[str, float], test: Optional[dict[str, float]]) -> str:
    line = f"{validation['accuracy']:>8.4f} {validation['macro_f1']:>8.4f} {validation['loss']:>7.4f}"
    if test is not None:
        line += f"{test['accuracy']:>14.4f} {test['macro_f1']:>8.4f}"
    return line
