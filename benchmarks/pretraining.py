"""Does pretraining on the project's own texts help the classifier fine-tuned after it?

On waimai_10k (Chinese delivery reviews), stratified 80/20 with seed 0 as in default_quality.py
(a run sets its validation texts aside from the 80 %), scored on the 20 % test texts. For each
number of labelled texts in --labels ("500": a seeded sample of the 80 % keeps its labels, the
rest of it stays in the project unlabelled; "all": every text of the 80 %), the same fine-tuning
(--preset, seed 0) of:

- fast: TF-IDF + linear (bertdesk's fast family), the baseline;
- multilingual: the built-in multilingual-e5-small as it is;
- adapted: the same model after masked-language-model training on every text but the test
  split's (9,590 texts, labelled or not), --adapt-steps steps (`bertdesk pretrain --from multilingual`);
- scratch: a small BERT (--layers, --width) with a vocabulary of the texts, pretrained from random
  weights on the same texts for --scratch-steps steps (`bertdesk pretrain --from scratch`);
- scratch-nsp: the same with next-sentence prediction (texts of two sentences or more).

Labels play no part in pretraining, so each pretrained model is made once and fine-tuned for
every --labels setting. Printed: per setting and model the test accuracy and macro-F1, the
fine-tuning time, and for a pretrained model its steps, time and held-out perplexity; then each
model's accuracy minus the plain multilingual model's. The table also goes to JSON (--json).

Run:  python benchmarks/pretraining.py [--labels 500,all] [--models fast,multilingual,adapted,scratch]
      [--adapt-steps 300] [--scratch-steps 19000] [--preset quick]
--smoke: 40 generated texts, a tiny random BERT as the "multilingual" model, one pretraining step
and one fine-tuning step each, to check that the benchmark runs.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import SENTIMENT_LABELS, add_run_options, save_results, tiny_model, tiny_sentiment_texts

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PRETRAINED = ("adapted", "scratch", "scratch-nsp")
FAST = "fast"  # the fast family's model spec (TF-IDF + linear)


def waimai_texts() -> list[tuple[str, int]]:
    with (SHARED / "waimai_10k.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["review"], int(row["label"])) for row in csv.DictReader(handle)]


def build_project(path: Path, texts: list[tuple[str, int]], labelled: int | None) -> dict[str, int]:
    """Every text, split 80/20 with seed 0; of the 80 % only ``labelled`` (a seeded sample) keep
    their label when given. Returns the counts."""
    from bertdesk.core import ExampleId, Split
    from bertdesk.store import ExampleFilter, Project, assign_splits

    with Project.create(path) as project:
        with project.bulk_writer() as writer:
            for text, label in texts:
                writer.add(text, Split.UNASSIGNED, [writer.label_id(SENTIMENT_LABELS[label])])
        assign_splits(project, 0.8, 0.0, 0.2, seed=0)
        train = [ExampleId(i) for i, _ in project.texts(ExampleFilter(split=Split.TRAIN))]
        if labelled is not None and labelled < len(train):
            kept = set(random.Random(0).sample(train, labelled))
            project.clear_labels([i for i in train if i not in kept])
        stats = project.stats()
        return {"texts": stats.total, "labelled_for_training": len(project.labelled_examples([Split.TRAIN])),
                "test": len(project.labelled_examples([Split.TEST]))}


def pretrain_model(path: Path, name: str, args: argparse.Namespace, base: str) -> dict[str, Any]:
    """Pretrain one model in the project at ``path``; its folder, steps, time and perplexity."""
    from bertdesk.ml.pretraining import PretrainConfig, pretrain
    from bertdesk.store import Project

    if name == "adapted":
        config = PretrainConfig(base=base, steps=args.adapt_steps, max_length=args.max_length, seed=args.seed)
    else:
        config = PretrainConfig(base="scratch", steps=args.scratch_steps, max_length=args.max_length,
                                seed=args.seed, next_sentence=name == "scratch-nsp", layers=args.layers,
                                width=args.width, vocabulary_size=args.vocabulary_size)
    started = time.perf_counter()
    with Project.open(path) as project:
        result = pretrain(project, config)
    if result.error:
        raise SystemExit(f"pretraining {name} failed: {result.error}")
    seconds = time.perf_counter() - started
    metrics = result.model.metrics
    print(f"pretrained {name:<12} {result.model.steps:6d} steps {seconds:8.0f} s  held-out perplexity "
          f"{metrics['perplexity']:.2f}  masked accuracy {metrics['accuracy']:.3f}"
          + (f"  next-sentence accuracy {metrics['next_sentence_accuracy']:.3f}"
             if "next_sentence_accuracy" in metrics else "")
          + f"  ({result.model.texts} texts)", flush=True)
    return {"folder": str(result.model.model_dir), "steps": result.model.steps, "seconds": seconds,
            "texts": result.model.texts, **{key: metrics[key] for key in
                                             ("loss", "perplexity", "accuracy", "next_sentence_accuracy")
                                             if key in metrics}}


def fine_tune(path: Path, model: str, preset: str, args: argparse.Namespace) -> dict[str, Any]:
    """Train the classifier from ``model`` with ``preset`` and score it on the test texts."""
    from bertdesk.core import Split
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.evaluation import evaluate_run
    from bertdesk.ml.models import train_model
    from bertdesk.store import Project

    overrides: dict[str, Any] = {"min_steps": 0, "batch_size": 64, "epochs": 1.0} if args.smoke else {}
    config = TrainConfig.from_preset(preset, model=model, seed=args.seed, max_length=args.max_length,
                                     **overrides)
    started = time.perf_counter()
    with Project.open(path) as project:
        result = train_model(project, config)
        if result.error:
            raise SystemExit(f"fine-tuning {model} failed: {result.error}")
        seconds = time.perf_counter() - started
        report = evaluate_run(project, result.run_id, Split.TEST)
        steps = None if model == FAST else project.run(result.run_id).params.get("total_steps")
    return {"accuracy": report.accuracy, "macro_f1": report.macro_f1, "seconds": seconds, "steps": steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--labels", default="500,all", help="labelled training texts per setting, in order")
    parser.add_argument("--models", default="fast,multilingual,adapted,scratch,scratch-nsp")
    parser.add_argument("--adapt-steps", type=int, default=300,
                        help="pretraining steps of the multilingual model (300 of 32 texts: one pass over waimai)")
    parser.add_argument("--scratch-steps", type=int, default=19000,
                        help="pretraining steps from scratch (19,000 of 32 texts: about an hour of 2 idle cores)")
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--vocabulary-size", type=int, default=8000)
    parser.add_argument("--preset", default="quick",
                        help="the fine-tuning preset of every model; a list (quick,balanced) gives each --labels setting its own")
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="keep the projects (and pretrained models) in this folder")
    add_run_options(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        save_results(args, compare(args, folder))


def compare(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    models = [name.strip() for name in args.models.split(",") if name.strip()]
    settings = [name.strip() for name in args.labels.split(",") if name.strip()]
    presets = [name.strip() for name in args.preset.split(",") if name.strip()]
    if len(presets) not in (1, len(settings)):
        raise SystemExit(f"--preset gives {len(presets)} presets for {len(settings)} --labels settings")
    base = "multilingual"
    if args.smoke:  # 40 texts, the tiny BERT, one step of everything
        texts = tiny_sentiment_texts(40)
        base = str(tiny_model(folder / "tiny-bert"))
        args.adapt_steps = args.scratch_steps = 1
        args.layers, args.width, args.vocabulary_size = 1, 16, 100
        settings = ["8"]
    else:
        texts = waimai_texts()
    pretrained: dict[str, dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    for setting, preset in zip(settings, presets * len(settings) if len(presets) == 1 else presets):
        path = folder / f"waimai-{setting}.bertdesk"
        path.unlink(missing_ok=True)
        counts = build_project(path, texts, None if setting == "all" else int(setting))
        print(f"labels {setting}: {counts}", flush=True)
        for name in models:
            if name in PRETRAINED and name not in pretrained:
                pretrained[name] = pretrain_model(path, name, args, base)
            spec = pretrained[name]["folder"] if name in PRETRAINED else base if name == "multilingual" else name
            result = fine_tune(path, spec, preset, args)
            rows.append({"labels": setting, "model": name, "preset": preset, **counts, **result})
            print(f"labels {setting:>5} {name:<13} ({preset}) accuracy {result['accuracy']:.4f}  macro-F1 "
                  f"{result['macro_f1']:.4f}  fine-tuning {result['seconds']:6.0f} s"
                  + (f" ({result['steps']} steps)" if result["steps"] else ""),
                  flush=True)
    for row in rows:
        plain = next((r for r in rows if r["labels"] == row["labels"] and r["model"] == "multilingual"), None)
        if plain is not None and row is not plain:
            row["minus_multilingual_points"] = (row["accuracy"] - plain["accuracy"]) * 100
            print(f"labels {row['labels']:>5} {row['model']:<13} minus multilingual: "
                  f"{row['minus_multilingual_points']:+.2f} accuracy points", flush=True)
    return {"settings": {"preset": args.preset, "seed": args.seed, "max_length": args.max_length,
                         "adapt_steps": args.adapt_steps, "scratch_steps": args.scratch_steps,
                         "layers": args.layers, "width": args.width},
            "pretrained": pretrained, "fine_tuned": rows}


if __name__ == "__main__":
    main()
