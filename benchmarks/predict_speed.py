"""Prediction speed: bertdesk's Predictor vs transformers.pipeline; PyTorch vs ONNX vs int8.

Same model, same texts, one run. The model is the packaged default (all-MiniLM-L6-v2)
fine-tuned here by bertdesk's training engine on a sample of SST-2 train (so the int8 accuracy
change means something), or a trained folder given with --model. Prints:

- single-text latency (median over dev texts, one text per call, as the app predicts while the
  user types) for bertdesk and for the pipeline;
- batch throughput over all of SST-2 dev for bertdesk (sorted-length batches, dynamic padding)
  and for the pipeline (its default batch size 1, and batch_size=64);
- the same two figures for ONNX Runtime (fp32) and the int8-quantised ONNX model, with SST-2 dev
  accuracy of PyTorch, ONNX and int8.

Run: python benchmarks/predict_speed.py [--train-texts 2000] [--model FOLDER] [--work DIR]
(--smoke: a tiny random BERT over 32 generated texts; the table also goes to JSON, see
bench_common.py)
Timings are for information only; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench_common import add_run_options, save_results, tiny_model, tiny_sentiment_texts

SST2_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sst2"
LABELS = ["negative", "positive"]


def read_sst2(name: str) -> list[tuple[str, int]]:
    with (SST2_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [(row["text"], int(row["label"])) for row in csv.DictReader(handle, delimiter="\t")]


def train_default(work: Path, count: int, seed: int = 0) -> Path:
    """Fine-tune the default model with bertdesk's own engine (quick preset, 1 epoch, max
    length 64) on ``count`` SST-2 train texts, 10 % of them held out for validation; returns
    the run's best folder. Reuses a run finished by an earlier call."""
    from bertdesk.core import Split
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.predict import run_model_folder
    from bertdesk.ml.training import train
    from bertdesk.store import Project, assign_splits

    path = work / f"sst2-{count}.bertdesk"
    if path.exists():
        with Project.open(path) as project:
            if any(run.status == "finished" for run in project.runs()):
                print(f"reusing the run trained earlier in {path}")
                return run_model_folder(project)[1]
        path.unlink()
        shutil.rmtree(path.with_name(path.name + ".runs"), ignore_errors=True)
    examples = random.Random(seed).sample(read_sst2("train.tsv"), count)
    work.mkdir(parents=True, exist_ok=True)
    with Project.create(path) as project:
        with project.bulk_writer() as writer:
            label_ids = [writer.label_id(name) for name in LABELS]
            for text, label in examples:
                writer.add(text, Split.UNASSIGNED, [label_ids[label]])
        assign_splits(project, 0.9, 0.1, 0.0, seed=seed)
        started = time.perf_counter()
        result = train(project, TrainConfig.from_preset("quick", epochs=1.0, max_length=64))
        if result.model_dir is None:
            raise SystemExit(f"training failed: {result.error}")
        print(f"trained the default model with bertdesk on {count} SST-2 train texts in "
              f"{time.perf_counter() - started:.0f} s (quick preset, 1 epoch, max length 64); "
              f"validation accuracy {result.metrics['accuracy']:.3f}")
        return result.model_dir


def median_ms(function: Callable[[str], object], texts: Sequence[str]) -> float:
    for text in texts[:5]:
        function(text)  # warm-up
    timings = []
    for text in texts:
        started = time.perf_counter()
        function(text)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def throughput(function: Callable[[list[str]], object], texts: list[str]) -> float:
    function(texts[:64])  # warm-up
    started = time.perf_counter()
    function(texts)
    return len(texts) / (time.perf_counter() - started)


def accuracy(predictor: object, dev: list[tuple[str, int]]) -> float:
    probs = predictor.predict_proba([t for t, _ in dev])  # type: ignore[attr-defined]
    return float((probs.argmax(axis=1) == [label for _, label in dev]).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a trained classifier folder to use as it is")
    parser.add_argument("--train-texts", type=int, default=2000)
    parser.add_argument("--single-texts", type=int, default=300,
                        help="dev texts timed one by one")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bertdesk-predict-speed"))
    add_run_options(parser)
    args = parser.parse_args()
    if not args.smoke:
        save_results(args, compare(args, read_sst2("dev.tsv")))
        return
    args.single_texts = 5
    with tempfile.TemporaryDirectory() as scratch:
        args.work = Path(scratch)
        args.model = args.model or tiny_model(args.work / "tiny-bert")
        save_results(args, compare(args, tiny_sentiment_texts(32)))


def compare(args: argparse.Namespace, dev: list[tuple[str, int]]) -> dict[str, Any]:
    """Time each predictor on ``dev`` and print the table; the table as numbers."""
    import torch
    from transformers import pipeline

    from bertdesk.ml.export import export_model
    from bertdesk.ml.predict import Predictor

    texts = [t for t, _ in dev]
    single = texts[: args.single_texts]
    model_dir = args.model or train_default(args.work, args.train_texts)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"{len(texts)} {'generated (smoke run)' if args.smoke else 'SST-2 dev'} texts; "
          f"single-text median over {len(single)}")

    predictor = Predictor.load(model_dir, device="cpu")
    classifier = pipeline("text-classification", model=str(model_dir), device="cpu")
    rows = []

    def measure(name: str, single_call: Callable[[str], object],
                batch_call: Callable[[list[str]], object]) -> tuple[float, float]:
        latency = median_ms(single_call, single)
        speed = throughput(batch_call, texts)
        rows.append((name, latency, speed))
        print(f"  {name:<36} {latency:7.2f} ms/text   {speed:8.1f} texts/s", flush=True)
        return latency, speed

    print("\nPyTorch, same model:")
    ours = measure("bertdesk Predictor (batch 64)", lambda t: predictor.predict_proba([t]),
                   lambda ts: predictor.predict_proba(ts, batch_size=64))
    pipe_default = measure("transformers.pipeline (defaults)", classifier,
                           lambda ts: classifier(ts))
    pipe_batched = measure("transformers.pipeline (batch_size=64)", classifier,
                           lambda ts: classifier(ts, batch_size=64))
    bf16 = Predictor.load(model_dir, device="cpu", precision="bf16")
    measure("bertdesk Predictor, bf16 autocast", lambda t: bf16.predict_proba([t]),
            lambda ts: bf16.predict_proba(ts, batch_size=64))

    args.work.mkdir(parents=True, exist_ok=True)
    exported, exports = {}, {}
    for fmt in ("onnx", "onnx-int8"):
        target = args.work / f"export-{fmt}"
        shutil.rmtree(target, ignore_errors=True)
        started = time.perf_counter()
        report = export_model(model_dir, target, fmt, single[:32],
                              [(t, LABELS[label]) for t, label in dev[:64]])
        print(f"\nexported {fmt} in {time.perf_counter() - started:.0f} s: "
              f"{report.size_bytes / 1e6:.1f} MB, largest probability difference from PyTorch "
              f"{report.parity_max_abs_diff:.2g}")
        exported[fmt] = Predictor.load(target)
        exports[fmt] = {"seconds": time.perf_counter() - started, "megabytes": report.size_bytes / 1e6,
                        "largest_probability_difference": report.parity_max_abs_diff}

    print("\nPyTorch vs ONNX Runtime vs int8 (all through the Predictor, batch 64):")
    for fmt, onnx_predictor in exported.items():
        measure(f"ONNX Runtime {'int8' if fmt == 'onnx-int8' else 'fp32'}",
                lambda t, p=onnx_predictor: p.predict_proba([t]),
                lambda ts, p=onnx_predictor: p.predict_proba(ts, batch_size=64))

    torch_accuracy = accuracy(predictor, dev)
    bf16_accuracy = accuracy(bf16, dev)
    onnx_accuracy = accuracy(exported["onnx"], dev)
    int8_accuracy = accuracy(exported["onnx-int8"], dev)
    print(f"\naccuracy on the dev texts: PyTorch {torch_accuracy:.4f}, bf16 {bf16_accuracy:.4f}, "
          f"ONNX fp32 {onnx_accuracy:.4f}, int8 {int8_accuracy:.4f} "
          f"(int8 change {100 * (int8_accuracy - torch_accuracy):+.2f} points)")
    print("\nratios:")
    print(f"  single text: bertdesk {ours[0]:.2f} ms (target < 15 ms); pipeline "
          f"{pipe_default[0]:.2f} ms -> {pipe_default[0] / ours[0]:.2f}x faster")
    print(f"  batch: bertdesk {ours[1] / pipe_default[1]:.2f}x the pipeline's defaults, "
          f"{ours[1] / pipe_batched[1]:.2f}x the pipeline with batch_size=64 (target >= 1.5x)")
    base = rows[0]
    for name, latency, speed in rows[4:]:
        print(f"  {name}: {base[1] / latency:.2f}x PyTorch single-text speed, "
              f"{speed / base[2]:.2f}x its throughput")
    return {
        "settings": {"model": str(model_dir), "texts": len(texts), "single_texts": len(single),
                     "torch_threads": torch.get_num_threads()},
        "predictors": [{"name": name, "single_text_ms": latency, "texts_per_second": speed}
                       for name, latency, speed in rows],
        "exports": exports,
        "accuracy": {"pytorch": torch_accuracy, "bf16": bf16_accuracy, "onnx": onnx_accuracy,
                     "onnx_int8": int8_accuracy},
    }


if __name__ == "__main__":
    main()
