"""Likely label errors and the learning curve, measured on real data (issue 18).

1. Label errors: waimai_10k (../shared/data/waimai_10k.csv, 11,987 Chinese reviews, all of
   them cross-validated) with 5% of the labels flipped (seed 0). A 5-fold cross-validation
   (``bertdesk.ml.crossval``) gives every text out-of-fold probabilities; confident learning
   (``ops.likely_label_errors``) flags texts. Printed: precision and recall of the first k
   flagged texts, k = the number flipped, in each of its rankings (self-confidence, the
   default, and normalized margin), against the obvious alternatives in the same run: the k
   texts whose given label has the lowest out-of-fold probability, and k random texts
   (precision 5% expected). --repeats 1,3 cross-validates the fast model once per value,
   averaging the out-of-fold probabilities over that many rounds of folds. The fast model by
   default; --transformer MODEL also cross-validates a transformer, and the fast model again,
   on --transformer-texts texts in one project, and scores the two combined as well
   (``likely_label_errors`` over both runs: their probabilities averaged with weights fitted
   on the given labels). CPU time is printed: each fold is a fine-tuning run. Measured on the
   2-core development machine: the multilingual built-in ("auto" on waimai), quick preset,
   one epoch a fold (--transformer-epochs 1), all 11,987 texts: 17 minutes (1,891 s of CPU).
2. Learning curve: 8,000 texts sampled from SST-2 train (seed 0), scored on SST-2 dev (872):
   the fast model at 25/50/75/100% (each point the mean of 3 models on other samples, as the
   CLI does for the fast model; and of 1 model, for comparison); the power law fitted on the
   25-75% points predicts the 100% score, against the score measured there.

Run:  nice -n 10 env OMP_NUM_THREADS=1 python benchmarks/label_errors.py [--parts errors,curve] [--repeats 1,3]
--smoke: 200 generated texts, 3 folds, a tiny random BERT as the transformer (its figures mean nothing).
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from bench_common import SENTIMENT_LABELS, add_run_options, save_results, tiny_model, tiny_sentiment_texts

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
FLIPPED_SHARE = 0.05
CURVE_TEXTS = 8000
CURVES = (("accuracy", 1), ("accuracy", 3), ("macro_f1", 3))  # (metric, models per point)


def read_waimai() -> list[tuple[str, str]]:
    with (SHARED / "waimai_10k.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["review"], SENTIMENT_LABELS[int(row["label"])]) for row in csv.DictReader(handle)]


def read_sst2(file: str) -> list[tuple[str, str]]:
    with (SHARED / "sst2" / file).open(encoding="utf-8", newline="") as handle:
        return [(row["text"], SENTIMENT_LABELS[int(row["label"])]) for row in csv.DictReader(handle, delimiter="\t")]


def make_project(path: Path, rows: Sequence[tuple[str, str, str]]) -> Any:
    """A project of (text, label, split) rows, written through the store."""
    from bertdesk.core import Split
    from bertdesk.store import Project

    project = Project.create(path)
    with project.bulk_writer() as writer:
        for text, label, split in rows:
            writer.add(text, Split(split), [writer.label_id(label)])
    return project


# ------------------------------------------------------------------------- label errors
def flip_labels(rows: list[tuple[str, str]], share: float, seed: int) -> tuple[list[tuple[str, str]], set[int]]:
    """The rows with ``share`` of them given the other label; and the positions flipped."""
    flipped = set(random.Random(seed).sample(range(len(rows)), round(len(rows) * share)))
    other = {SENTIMENT_LABELS[0]: SENTIMENT_LABELS[1], SENTIMENT_LABELS[1]: SENTIMENT_LABELS[0]}
    return [(text, other[label] if i in flipped else label) for i, (text, label) in enumerate(rows)], flipped


@dataclass(frozen=True)
class CrossValidation:
    """One cross-validation of the benchmark: a model, and for a transformer its preset and budget."""

    model: str
    preset: str = "balanced"
    epochs: Optional[float] = None


def label_error_figures(rows: list[tuple[str, str]], cross_validations: Sequence[CrossValidation], folds: int,
                        folder: Path, name: str, repeats: int = 1) -> list[dict[str, Any]]:
    """Cross-validate each model on the rows with 5% flipped, in one project; score each one's
    flags against the flips, and those of all of them combined (``likely_label_errors`` over
    several runs) where there are several."""
    import numpy as np

    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.crossval import cross_validate

    noisy, flipped_rows = flip_labels(rows, FLIPPED_SHARE, seed=0)
    project = make_project(folder / f"{name}.bertdesk", [(text, label, "unassigned") for text, label in noisy])
    try:
        ids = [example_id for example_id, *_ in project.labelled_examples()]
        flipped = {ids[i] for i in flipped_rows}
        k = len(flipped)
        label_of = {example_id: label_ids[0] for example_id, _, label_ids, _ in project.labelled_examples()}
        common = {"texts": len(ids), "flipped": k, "folds": folds, "repeats": repeats,
                  "random_precision_at_k": _share(random.Random(1).sample(ids, k), flipped)}
        figures, run_ids = [], []
        for chosen in cross_validations:
            started, cpu_started = time.perf_counter(), time.process_time()
            config = TrainConfig.from_preset(chosen.preset, model=chosen.model, epochs=chosen.epochs)
            result = cross_validate(project, config, folds, repeats=repeats)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
            run_ids.append(result.run_id)
            column = {label_id: i for i, label_id in enumerate(result.label_ids)}
            given = [column[label_of[example_id]] for example_id in result.example_ids]
            confidence = result.probabilities[np.arange(len(given)), given]
            lowest = [result.example_ids[i] for i in np.argsort(confidence, kind="stable")[:k]]
            figures.append({
                "model": chosen.model, "preset": chosen.preset if chosen.model != "fast" else None,
                "epochs": config.epochs, **common,
                "cv_accuracy": result.mean["accuracy"], "cv_accuracy_std": result.std["accuracy"],
                "seconds": round(seconds, 1), "cpu_seconds": round(cpu_seconds, 1),
                **flag_figures(project, [result.run_id], flipped),
                "lowest_probability_precision_at_k": _share(lowest, flipped),
            })
        if len(run_ids) > 1:
            figures.append({"model": " + ".join(chosen.model for chosen in cross_validations), "combined": True,
                            **common, **flag_figures(project, run_ids, flipped)})
        return figures
    finally:
        project.close()


def flag_figures(project: Any, run_ids: list[Any], flipped: set[Any]) -> dict[str, Any]:
    """Precision and recall of confident learning's flags over these cross-validations, in each ranking."""
    from bertdesk import ops
    from bertdesk.ml.confident_learning import Ranking

    k = len(flipped)
    reports = {ranking: ops.likely_label_errors(project, run_ids, ranking) for ranking in Ranking}
    report = reports[Ranking.SELF_CONFIDENCE]
    flagged = [error.example_id for error in report.errors]
    rankings = {str(ranking): [error.example_id for error in found.errors][:k] for ranking, found in reports.items()}
    return {
        "weights": list(report.weights.values()),
        "flagged": len(flagged), "estimated_errors": report.estimated,
        "precision_at_k": _share(flagged[:k], flipped), "recall_at_k": len(set(flagged[:k]) & flipped) / k,
        "precision_all_flagged": _share(flagged, flipped), "recall_all_flagged": len(set(flagged) & flipped) / k,
        "rankings_at_k": {ranking: {"precision": _share(chosen, flipped), "recall": len(set(chosen) & flipped) / k}
                          for ranking, chosen in rankings.items()},
    }


def _share(chosen: Sequence[Any], flipped: set[Any]) -> float:
    return len(set(chosen) & flipped) / max(len(chosen), 1)


def print_label_errors(figures: dict[str, Any]) -> None:
    f = figures
    if f.get("combined"):
        weights = " / ".join(f"{weight:.2f}" for weight in f["weights"])
        print(f"\n{f['model']} combined (weights fitted on the given labels: {weights}): {f['texts']:,} texts, "
              f"{f['flipped']:,} labels flipped")
    else:
        epochs = f"{f['epochs']:g} epoch" + ("" if f["epochs"] == 1 else "s")
        preset = f" ({f['preset']} preset, at most {epochs} a fold)" if f["preset"] else ""
        rounds = f" x {f['repeats']} rounds" if f["repeats"] > 1 else ""
        print(f"\n{f['model']}{preset}: {f['texts']:,} texts, {f['flipped']:,} labels flipped; {f['folds']}-fold{rounds} "
              f"cross-validation accuracy {f['cv_accuracy']:.4f} ± {f['cv_accuracy_std']:.4f} "
              f"({f['seconds']:.0f} s wall, {f['cpu_seconds']:.0f} s CPU)")
    print(f"  flagged by confident learning: {f['flagged']:,} (it estimates {f['estimated_errors']:,} errors)")
    print(f"  {'at k = ' + format(f['flipped'], ','):<39} precision  recall")
    for ranking, scores in f["rankings_at_k"].items():
        print(f"  {'confident learning, ' + ranking:<39} {scores['precision']:9.3f} {scores['recall']:7.3f}")
    # k texts chosen of k flipped: precision and recall are the same number
    if "lowest_probability_precision_at_k" in f:
        print(f"  {'lowest probability of the label':<39} {f['lowest_probability_precision_at_k']:9.3f} "
              f"{f['lowest_probability_precision_at_k']:7.3f}")
    print(f"  {'random texts':<39} {f['random_precision_at_k']:9.3f} {f['random_precision_at_k']:7.3f}")
    print(f"  every flagged text: precision {f['precision_all_flagged']:.3f}, recall {f['recall_all_flagged']:.3f}")


# ----------------------------------------------------------------------- learning curve
def curve_figures(train: list[tuple[str, str]], evaluation: list[tuple[str, str]], folder: Path) -> dict[str, Any]:
    """The fast model's learning curve, and the 100% score predicted from the 25-75% points:
    each point the mean of 3 models (the default for the fast model), and of 1 for comparison."""
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.learning_curve import PowerLaw, learning_curve

    rows = [(text, label, "train") for text, label in train] + [(t, l, "validation") for t, l in evaluation]
    project = make_project(folder / "curve.bertdesk", rows)
    figures: dict[str, Any] = {"train_texts": len(train), "evaluation_texts": len(evaluation), "curves": []}
    try:
        for metric, samples in CURVES:
            started = time.perf_counter()
            curve = learning_curve(project, TrainConfig(model="fast"), metric=metric, samples=samples)
            sizes = [point.train_size for point in curve.points]
            scores = [point.score for point in curve.points]
            predicted = PowerLaw.fit(sizes[:3], scores[:3]).score(sizes[3])
            figures["curves"].append({
                "metric": metric, "samples": samples, "sizes": sizes, "scores": scores,
                "sample_scores": [list(point.sample_scores) for point in curve.points],
                "predicted_100": predicted, "measured_100": scores[3], "error_points": 100 * (predicted - scores[3]),
                "verdict": str(curve.verdict), "more_labels_for_one_point": curve.more_labels,
                "interval": list(curve.more_labels_interval), "seconds": round(time.perf_counter() - started, 1),
            })
    finally:
        project.close()
    return figures


def print_curve(figures: dict[str, Any]) -> None:
    print(f"\nLearning curve, fast model: {figures['train_texts']:,} training texts, "
          f"{figures['evaluation_texts']:,} evaluation texts")
    for f in figures["curves"]:
        print(f"  {f['metric']}, mean of {f['samples']} model(s) per point: "
              + ", ".join(f"{n:,}: {s:.4f}" for n, s in zip(f["sizes"], f["scores"])) + f"  ({f['seconds']:.0f} s)")
        print(f"    100% predicted from 25-75%: {f['predicted_100']:.4f}, measured {f['measured_100']:.4f} "
              f"({f['error_points']:+.2f} points)")
        print(f"    {f['verdict']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="errors,curve", help="errors, curve or both (default)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", default="1",
                        help="rounds of folds for the fast model, comma-separated: one cross-validation "
                        "per value, its out-of-fold probabilities averaged over the rounds (1)")
    parser.add_argument("--transformer", metavar="MODEL",
                        help="also cross-validate this transformer (e.g. auto): slow on a CPU")
    parser.add_argument("--transformer-texts", type=int, default=2000,
                        help="waimai texts the transformer is cross-validated on (2,000)")
    parser.add_argument("--transformer-preset", default="quick", help="its training preset (quick)")
    parser.add_argument("--transformer-epochs", type=float,
                        help="its budget of epochs for each fold (default: the preset's)")
    add_run_options(parser)
    args = parser.parse_args()
    parts = {part.strip() for part in args.parts.split(",")}
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bertdesk-label-errors-") as name:
        folder = Path(name)
        if args.smoke:
            texts = [(text, SENTIMENT_LABELS[label]) for text, label in tiny_sentiment_texts(200)]
            errors_rows, folds = texts, 3
            curve_train, curve_evaluation = texts[:160], texts[160:]
        else:
            errors_rows, folds = read_waimai(), args.folds
            curve_train = random.Random(0).sample(read_sst2("train.tsv"), CURVE_TEXTS)
            curve_evaluation = read_sst2("dev.tsv")
        if "errors" in parts:
            for repeats in (int(value) for value in args.repeats.split(",")):
                key = "fast" if repeats == 1 else f"fast_{repeats}_rounds"
                results[key] = label_error_figures(errors_rows, [CrossValidation("fast")], folds, folder, key,
                                                   repeats=repeats)[0]
                print_label_errors(results[key])
            transformer = str(tiny_model(folder / "tiny-bert")) if args.smoke else args.transformer
            if transformer:
                subset = random.Random(0).sample(errors_rows, min(args.transformer_texts, len(errors_rows)))
                chosen = [CrossValidation("fast"),
                          CrossValidation(transformer, args.transformer_preset, args.transformer_epochs)]
                name = f"both_on_{len(subset)}"
                for role, found in zip(("fast", "transformer", "combined"),
                                       label_error_figures(subset, chosen, folds, folder, name)):
                    results[f"{role}_on_{len(subset)}"] = found
                    print_label_errors(found)
        if "curve" in parts:
            results["curve"] = curve_figures(curve_train, curve_evaluation, folder)
            print_curve(results["curve"])
    save_results(args, results)


if __name__ == "__main__":
    main()
