"""Training settings where few texts per label make them matter (issue 16: batch size, evaluation
frequency), measured with bertdesk's own training on a many-label set.

CLINC150 (../shared/data/clinc150): --per-intent training texts of each of its 150 intents
(sampled with seed 0), the balanced preset's defaults otherwise, the run setting its validation
texts aside as ``bertdesk train`` does; each variant is one setting changed (``--vary
NAME=V1,V2``), trained once per seed and scored on CLINC150's test split (2,250 texts: one
run's accuracy has a spread of about 0.55 points, so differences smaller than that need seeds).
Printed: test accuracy per variant and seed, their mean, the epoch of the best evaluation and
the training time. Nothing passes or fails; the defaults in bertdesk/ml/config.py cite the
figures. (Frozen or trained word embeddings: ``train_speed.py --runners bertdesk,bertdesk-embeddings``.)

Run:  python benchmarks/settings_study.py [--per-intent 16] [--seeds 0,1]
          [--vary batch_size=8,16,32] [--vary evaluations_per_epoch=2,4]
--smoke: 40 generated texts of two labels, a tiny random BERT, one epoch per variant.
"""

from __future__ import annotations

import argparse
import ast
import csv
import random
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench_common import SENTIMENT_LABELS, add_run_options, save_results, tiny_model, tiny_sentiment_texts

CLINC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "clinc150"
DEFAULT_VARIATIONS = ("batch_size=8,16,32", "evaluations_per_epoch=2,4")


def clinc_rows(per_intent: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``per_intent`` training texts of each intent (seed 0), and the whole test split."""
    def read(file: str) -> list[tuple[str, str]]:
        with (CLINC / file).open(encoding="utf-8", newline="") as handle:
            return [(row["text"], row["label"]) for row in csv.DictReader(handle, delimiter="\t")]

    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, label in read("train.tsv"):
        by_intent[label].append(text)
    rng = random.Random(0)
    train = [(text, label) for label, texts in sorted(by_intent.items()) for text in rng.sample(texts, per_intent)]
    return train, read("test.tsv")


def parse_variation(option: str) -> tuple[str, list[Any]]:
    """``"batch_size=8,16"`` -> ("batch_size", [8, 16])."""
    name, _, values = option.partition("=")
    return name, [ast.literal_eval(value) for value in values.split(",")]


def run_variant(project: Any, model: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """Train once with the balanced defaults and ``overrides``; score on the test split."""
    from bertdesk.core import Split
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.evaluation import evaluate_run
    from bertdesk.ml.training import TrainingCallback, train

    config = TrainConfig.from_preset("balanced", model=model, device="cpu", **overrides)
    started = time.perf_counter()
    result = train(project, config, TrainingCallback())
    seconds = time.perf_counter() - started
    if result.status != "finished":
        raise SystemExit(f"training {result.status}: {result.error}")
    report = evaluate_run(project, result.run_id, Split.TEST)
    return {"test_accuracy": report.accuracy, "macro_f1": report.macro_f1, "seconds": round(seconds, 1),
            "best_epoch": result.metrics.get("epoch"),
            "stopped_because": project.run(result.run_id).params.get("stopped_because")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-intent", type=int, default=16, help="training texts of each intent (16)")
    parser.add_argument("--seeds", default="0,1", help="comma-separated training seeds (0,1)")
    parser.add_argument("--vary", action="append", metavar="NAME=V1,V2",
                        help=f"a setting and its values, one variant each (default: {' and '.join(DEFAULT_VARIATIONS)})")
    add_run_options(parser)
    args = parser.parse_args()
    from bertdesk.core import Split
    from bertdesk.store import Project

    seeds = [int(seed) for seed in args.seeds.split(",")]
    variations = [parse_variation(option) for option in args.vary or DEFAULT_VARIATIONS]
    results: dict[str, Any] = {"per_intent": args.per_intent, "seeds": seeds, "variants": []}
    with tempfile.TemporaryDirectory(prefix="bertdesk-settings-") as name:
        folder = Path(name)
        extra: dict[str, Any] = {}
        if args.smoke:
            texts = [(text, SENTIMENT_LABELS[label]) for text, label in tiny_sentiment_texts(40)]
            train_rows, test_rows, model = texts[:32], texts[32:], str(tiny_model(folder / "tiny-bert"))
            seeds, extra = seeds[:1], {"epochs": 1.0, "min_steps": 0}
        else:
            (train_rows, test_rows), model = clinc_rows(args.per_intent), "default"
        with Project.create(folder / "study.bertdesk") as project:
            with project.bulk_writer() as writer:
                for rows, split in ((train_rows, Split.TRAIN), (test_rows, Split.TEST)):
                    for text, label in rows:
                        writer.add(text, split, [writer.label_id(label)])
            print(f"{len(train_rows):,} training texts, {len(test_rows):,} test texts, model {model}, "
                  f"seeds {', '.join(map(str, seeds))}")
            for setting, values in variations:
                for value in values:
                    runs = [{"seed": seed, **run_variant(project, model, {**extra, setting: value, "seed": seed})}
                            for seed in seeds]
                    mean = statistics.fmean(run["test_accuracy"] for run in runs)
                    results["variants"].append({"setting": setting, "value": value, "mean_accuracy": mean, "runs": runs})
                    each = ", ".join(f"{run['test_accuracy']:.4f} (best at epoch {run['best_epoch'] or 0:.1f}, "
                                     f"{run['seconds']:.0f} s)" for run in runs)
                    print(f"  {setting} = {value!s:<6} mean test accuracy {mean:.4f}: {each}", flush=True)
    save_results(args, results)


if __name__ == "__main__":
    main()
