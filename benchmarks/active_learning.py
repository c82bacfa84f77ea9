"""Labelling least confident first against labelling in a random order: how many labels it saves.

A simulated annotator answers with the file's label. Each run starts from the same 20 random
labels of the pool and adds batches of 20 up to 1,000: in uncertainty order (the first
unlabelled texts of the labeling view's "least confident first", by the stored order key:
a draw in which a text's chance is 1 / its rank by the margin between the top two
probabilities, ``bertdesk.ml.suggest``) or in a random order. The model is the app's own
suggestion core (``bertdesk.ml.suggest``: the fast model, TF-IDF + calibrated linear SVMs,
retrained on the labels after every batch, its suggestions stored in the project); the
accuracy of a point is its suggestions' on the held-out texts, which the model never learns
from (their split is test, and they stay unlabelled).

Data sets (from ../shared/data; split as ``default_quality.py`` splits them, by its code):
- sst2: the SST-2 training phrases are the pool (all of them unless --sst2-pool), scored on dev;
- waimai: waimai_10k.csv, stratified 80/20 with seed 0: the 80 % is the pool, scored on the 20 %.

Printed per data set: both accuracy curves (the mean over --seeds), and how many labels the
uncertainty order needed to reach the random order's accuracy at 1,000 (the first point of
the mean curve at or above it) and how many fewer that is; then the time from a label key to
fresh suggestions for a screen of rows with 1,000 labels (fit + the 50 rows on screen), and
for the whole pool. A transformer is trained only where --transformer-points asks (off by
default: each point is a fine-tuning run per order on the CPU): it is then scored at those
label counts on both orders' labels. --smoke: 200 generated texts, batches of 4 up to 20.

Run:  nice -n 10 env OMP_NUM_THREADS=1 python benchmarks/active_learning.py [--datasets sst2,waimai]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from bench_common import SENTIMENT_LABELS, add_run_options, save_results, tiny_sentiment_texts
from default_quality import build_project, prepare, write_tsv

ORDERS = ("uncertain", "random")
SCREEN_ROWS = 50  # rows of the labeling view on screen, refreshed first after a label key


@dataclass
class Pool:
    """A data set as the benchmark uses it: label names, and (text, label name) pool and test."""

    labels: list[str]
    pool: list[tuple[str, str]]
    test: list[tuple[str, str]]


@dataclass
class Curve:
    labels: list[int] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    transformer: dict[int, float] = field(default_factory=dict)


def load_pool(name: str, folder: Path, sst2_pool: int) -> Pool:
    """The data set split by default_quality's code (its CLI project), read back as texts."""
    from bertdesk.core import Split
    from bertdesk.store import Project

    if name == "smoke":
        data = folder / "smoke.tsv"
        write_tsv(data, [(text, SENTIMENT_LABELS[label], "train" if index < 160 else "test")
                         for index, (text, label) in enumerate(tiny_sentiment_texts(200))])
        split_arguments: list[str] = []
    else:
        data, split_arguments = prepare(name, folder, sst2_pool)
    path = folder / f"{name}-full.bertdesk"
    path.unlink(missing_ok=True)
    build_project(path, data, split_arguments)
    with Project.open(path) as project:
        names = {label.id: label.name for label in project.labels()}
        examples = project.labelled_examples()
    pool = [(text, names[labels[0]]) for _, text, labels, split in examples if split is not Split.TEST]
    test = [(text, names[labels[0]]) for _, text, labels, split in examples if split is Split.TEST]
    return Pool(sorted(set(names.values())), pool, test)


class Simulation:
    """One labelling session: a project of the pool (unlabelled) and the test texts, and the
    annotator who knows every answer."""

    def __init__(self, path: Path, data: Pool) -> None:
        from bertdesk.core import Split
        from bertdesk.store import Project

        self.project = Project.create(path)
        with self.project.bulk_writer() as writer:
            self.label_ids = {name: writer.label_id(name) for name in data.labels}
            self.pool_ids = [writer.add(text, Split.TRAIN) for text, _ in data.pool]
            self.test_ids = [writer.add(text, Split.TEST) for text, _ in data.test]
        self.truth = dict(zip(self.pool_ids + self.test_ids,
                              [self.label_ids[label] for _, label in data.pool + data.test]))
        self.labelled: list[Any] = []

    def answer(self, example_ids: Sequence[Any]) -> None:
        """The annotator labels the texts, a label at a time, as a label key would."""
        from bertdesk import ops

        by_label: dict[Any, list[Any]] = {}
        for example_id in example_ids:
            by_label.setdefault(self.truth[example_id], []).append(example_id)
        for label_id, chosen in by_label.items():
            ops.set_labels(self.project, chosen, [label_id])
        self.labelled += list(example_ids)

    def refresh(self, whole_pool: bool) -> float:
        """Retrain the suggestion model and store the suggestions of the test texts (and of the
        unlabelled pool, which the uncertainty order reads); the test accuracy."""
        from bertdesk.ml.suggest import prepare_suggester

        suggester = prepare_suggester(self.project)
        done = set(self.labelled)
        wanted = [i for i in self.pool_ids if i not in done] if whole_pool else []
        suggester.suggest(wanted + self.test_ids)
        suggested = self.project.suggestions(self.test_ids)
        return sum(suggested[i].label_id == self.truth[i] for i in self.test_ids) / len(self.test_ids)

    def least_confident(self, count: int) -> list[Any]:
        from bertdesk.core import Split
        from bertdesk.store import ExampleFilter
        from bertdesk.store.suggestions import MARGIN_KIND

        pool = ExampleFilter(unlabeled=True, split=Split.TRAIN)
        return [row.row.id for row in self.project.page_by_score(pool, MARGIN_KIND, limit=count)]

    def time_to_fresh_suggestions(self) -> dict[str, float]:
        """A label key on the least confident row, then what the app does: fit the model, store
        the rows on screen (the next least confident page); then the rest of the pool."""
        from bertdesk.ml.suggest import prepare_suggester

        self.answer(self.least_confident(1))
        started = time.perf_counter()
        suggester = prepare_suggester(self.project)
        fitted = time.perf_counter()
        suggester.suggest(self.least_confident(SCREEN_ROWS))
        shown = time.perf_counter()
        suggester.suggest_rest(skip=())
        return {"labels": len(self.labelled), "fit_s": fitted - started, "screen_rows_s": shown - fitted,
                "label_to_screen_s": shown - started, "whole_project_s": time.perf_counter() - shown,
                "texts": len(self.truth)}

    def transformer_accuracy(self, model: str) -> float:
        """Fine-tune ``model`` on the labels so far (the quick preset) and score it on the test texts."""
        from bertdesk.ml.config import TrainConfig
        from bertdesk.ml.models import load_predictor, train_model

        result = train_model(self.project, TrainConfig.from_preset("quick", model=model))
        if result.model_dir is None:
            raise SystemExit(f"the transformer run failed: {result.error}")
        predictor = load_predictor(result.model_dir)
        texts = [row.text for row in self.project.examples(self.test_ids)]
        names = {label_id: name for name, label_id in self.label_ids.items()}
        predicted = predictor.top_labels(predictor.predict_proba(texts))
        return sum(name == names[self.truth[i]] for name, i in zip(predicted, self.test_ids)) / len(texts)


def simulate(data: Pool, order: str, seed: int, folder: Path, schedule: Sequence[int],
             transformer_points: Sequence[int], transformer_model: str) -> tuple[Curve, Optional[dict[str, float]]]:
    path = folder / f"al-{order}-{seed}.bertdesk"
    path.unlink(missing_ok=True)
    simulation = Simulation(path, data)
    curve, timing = Curve(), None
    try:
        rng = random.Random(seed)
        simulation.answer(rng.sample(simulation.pool_ids, schedule[0]))  # the same start for both orders
        for point, labels in enumerate(schedule):
            curve.labels.append(labels)
            curve.accuracy.append(simulation.refresh(whole_pool=order == "uncertain"))
            if labels in transformer_points:
                curve.transformer[labels] = simulation.transformer_accuracy(transformer_model)
            if point + 1 == len(schedule):
                break
            batch = schedule[point + 1] - labels
            if order == "uncertain":
                simulation.answer(simulation.least_confident(batch))
            else:
                done = set(simulation.labelled)
                simulation.answer(rng.sample([i for i in simulation.pool_ids if i not in done], batch))
        if order == "uncertain" and seed == 0:
            timing = simulation.time_to_fresh_suggestions()
    finally:
        simulation.project.close()
    return curve, timing


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def labels_needed(uncertain: list[float], labels: list[int], target: float) -> Optional[int]:
    """The first label count whose accuracy reaches ``target``; None if none does."""
    return next((count for count, accuracy in zip(labels, uncertain) if accuracy >= target), None)


def run_dataset(name: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    start, batch, until = (4, 4, 20) if args.smoke else (args.start, args.batch, args.until)
    schedule = list(range(start, until + 1, batch))
    seeds = [0] if args.smoke else [int(s) for s in args.seeds.split(",")]
    points = [int(p) for p in args.transformer_points.split(",") if p.strip()]
    started = time.perf_counter()
    data = load_pool(name, folder, args.sst2_pool)
    print(f"{name}: pool {len(data.pool):,} texts, test {len(data.test):,}, labels {', '.join(data.labels)}; "
          f"seeds {seeds}", flush=True)
    curves: dict[str, list[Curve]] = {order: [] for order in ORDERS}
    timing = None
    for seed in seeds:
        for order in ORDERS:
            curve, measured = simulate(data, order, seed, folder, schedule, points, args.transformer_model)
            curves[order].append(curve)
            timing = timing or measured
            print(f"  seed {seed} {order:9s} accuracy at {schedule[0]}/{schedule[-1]} labels: "
                  f"{curve.accuracy[0]:.4f}/{curve.accuracy[-1]:.4f}", flush=True)
    averaged = {order: [mean([c.accuracy[i] for c in curves[order]]) for i in range(len(schedule))]
                for order in ORDERS}
    print(f"\n{name}: test accuracy (mean of {len(seeds)} seed(s))\n  labels  uncertain  random")
    for i, labels in enumerate(schedule):
        print(f"  {labels:6d}  {averaged['uncertain'][i]:9.4f}  {averaged['random'][i]:6.4f}")
    target = averaged["random"][-1]
    needed = labels_needed(averaged["uncertain"], schedule, target)
    fewer = None if needed is None else 1 - needed / schedule[-1]
    if needed is None:
        print(f"{name}: uncertainty order did not reach random order's {target:.4f} at {schedule[-1]} labels")
    else:
        print(f"{name}: uncertainty order reached random order's accuracy at {schedule[-1]} labels "
              f"({target:.4f}) with {needed} labels: {fewer:.0%} fewer")
    if timing:
        print(f"{name}: a label key to fresh suggestions for {SCREEN_ROWS} rows on screen with "
              f"{timing['labels']} labels: {timing['label_to_screen_s']:.2f} s (fit {timing['fit_s']:.2f} s, "
              f"rows {timing['screen_rows_s']:.2f} s); the whole project ({timing['texts']:,} texts) "
              f"{timing['whole_project_s']:.1f} s more, in the background")
    transformer = {order: {point: mean([c.transformer[point] for c in curves[order]]) for point in points}
                   for order in ORDERS}
    for point in points:
        print(f"{name}: transformer ({args.transformer_model}) at {point} labels: uncertain order "
              f"{transformer['uncertain'][point]:.4f}, random order {transformer['random'][point]:.4f}")
    print(f"{name}: {time.perf_counter() - started:.0f} s\n", flush=True)
    return {"pool": len(data.pool), "test": len(data.test), "seeds": seeds, "labels": schedule,
            "accuracy": averaged, "per_seed": {order: [c.accuracy for c in curves[order]] for order in ORDERS},
            "random_at_end": target, "uncertain_labels_needed": needed, "fewer_labels": fewer,
            "timing": timing, "transformer": {order: {str(k): v for k, v in transformer[order].items()}
                                              for order in ORDERS}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--datasets", default="sst2,waimai")
    parser.add_argument("--seeds", default="0,1,2", help="the random starts (and random orders) averaged")
    parser.add_argument("--start", type=int, default=20)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--until", type=int, default=1000)
    parser.add_argument("--sst2-pool", type=int, default=67_349, help="SST-2 training phrases in the pool (all)")
    parser.add_argument("--transformer-points", default="",
                        help="label counts at which to fine-tune a transformer too, e.g. 200,1000 (off)")
    parser.add_argument("--transformer-model", default="auto")
    parser.add_argument("--keep", type=Path, help="keep the projects in this folder")
    add_run_options(parser)
    args = parser.parse_args()
    names = ["smoke"] if args.smoke else [n.strip() for n in args.datasets.split(",") if n.strip()]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        save_results(args, {name: run_dataset(name, args, folder) for name in names})


if __name__ == "__main__":
    main()
