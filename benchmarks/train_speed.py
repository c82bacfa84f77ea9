"""Training speed: the tutorial loop, the transformers Trainer and bertdesk, side by side.

Same data (a fixed sample of SST-2 train, seed 0), same model (the packaged default,
all-MiniLM-L6-v2), one epoch, max length 128, batch size 16, same learning rate:

- (a) tutorial: tokenise the whole split padded to its longest text, a shuffled DataLoader,
  AdamW, linear decay, fp32 (the loop of the Hugging Face course);
- (b) trainer: ``transformers.Trainer`` with default arguments and ``DataCollatorWithPadding``
  (checkpoint saving and reporting switched off, which only helps it);
- (c) bertdesk: ``bertdesk.ml.training.train`` on a project holding the same texts, with
  SST-2 dev as its validation split (scored at the end, and once early, at 5 % of the run,
  as every run is: that pass, and the best model and checkpoint it writes to disk, fall
  inside bertdesk's timed loop; the other two neither score nor save mid-run).

Each runs in its own process, one after another. Printed per runner: training samples/s
(training loop only: tokenisation and the final scoring excluded for all three) by the
wall clock and per CPU-second the process used (steadier on a shared machine), peak
resident memory of the process, SST-2 dev accuracy; then bertdesk's speed ratios.

Run:  python benchmarks/train_speed.py [--train-texts 8000] [--runners tutorial,trainer,bertdesk]
(needs the bench extra, ``pip install -e ".[bench]"``: the Trainer needs accelerate; --smoke: 16
generated texts, one step, a tiny random BERT; the table also goes to JSON, see bench_common.py)
Extra runners: bertdesk-fp32 (no bf16 autocast), bertdesk-embeddings (word embeddings trained),
bertdesk-multilingual (the multilingual built-in, multilingual-e5-small: 12 layers, a 250k-piece
vocabulary). Chinese quality with the defaults (waimai_10k) is measured by default_quality.py.

Devices: --device auto (the default) trains on a CUDA GPU where one is present, else says the
run is CPU only; --device cuda insists on the GPU. On the GPU every runner computes in bf16
autocast where the GPU has it, as bertdesk's own "auto" precision does (fp32 otherwise; the
bertdesk-fp32 runner stays fp32), so the comparison is of the loops, not of number formats:

    python benchmarks/train_speed.py --device cuda \
        --runners tutorial,trainer,bertdesk,bertdesk-fp32,bertdesk-multilingual
Timings are for information only; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_common import add_run_options, save_results, tiny_model, tiny_sentiment_texts

SST2_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "sst2"
LABELS = ["negative", "positive"]
EVAL_BATCH = 64


def read_sst2(name: str) -> list[tuple[str, int]]:
    with (SST2_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [(row["text"], int(row["label"])) for row in csv.DictReader(handle, delimiter="\t")]


def benchmark_data(args: argparse.Namespace) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The fixed train sample and all of dev (a smoke run: generated texts for both)."""
    if args.smoke:
        return tiny_sentiment_texts(args.train_texts, args.seed), tiny_sentiment_texts(16, args.seed + 1)
    return random.Random(args.seed).sample(read_sst2("train.tsv"), args.train_texts), read_sst2("dev.tsv")


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def training_device(requested: str) -> str:
    """The device the runners train on: the GPU when asked for (or auto) and present, else the
    CPU; --device cuda without a GPU stops the run rather than measure the CPU under its name."""
    import torch

    if requested != "cpu" and torch.cuda.is_available():
        return "cuda"
    if requested == "cuda":
        raise SystemExit("--device cuda: no CUDA GPU is present here (this machine is CPU only).")
    return "cpu"


def describe_device(device: str) -> str:
    import torch

    if device == "cpu":
        return "CPU only" + ("" if torch.cuda.is_available() else " (no CUDA GPU present)")
    return f"CUDA {torch.cuda.get_device_name(0)}, {precision(device)} where a runner allows"


def precision(device: str) -> str:
    """bf16 autocast on a GPU that has it, as bertdesk's "auto" precision picks; else fp32."""
    import torch

    return "bf16" if device == "cuda" and torch.cuda.is_bf16_supported() else "fp32"


def autocast_dtype(device: str) -> Any:
    """The dtype of ``precision(device)``'s autocast; None for fp32 (no autocast)."""
    import torch

    return torch.bfloat16 if precision(device) == "bf16" else None


class LoopTimer:
    """Wall-clock and CPU seconds (all threads of this process) between start() and stop().

    On a machine shared with other work, wall-clock speed depends on what else runs; the CPU
    seconds a loop consumed per sample do much less, so both are reported.
    """

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    @staticmethod
    def _cpu_now() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def start(self) -> None:
        self.wall, self.cpu = time.perf_counter(), self._cpu_now()

    def stop(self) -> dict[str, float]:
        import torch

        if torch.cuda.is_initialized():  # the GPU runs behind the Python loop: wait for its last step
            torch.cuda.synchronize()
        return {"train_seconds": time.perf_counter() - self.wall,
                "train_cpu_seconds": self._cpu_now() - self.cpu}


def model_folder(args: argparse.Namespace) -> Path:
    """--model, or the packaged default."""
    from bertdesk.ml.sources import default_model_dir

    return args.model or default_model_dir()


def load_model(args: argparse.Namespace, num_labels: int = 2) -> tuple[Any, Any]:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    folder = model_folder(args)
    model = AutoModelForSequenceClassification.from_pretrained(folder, num_labels=num_labels)
    return model.to(args.device), AutoTokenizer.from_pretrained(folder)


def dev_accuracy(model: Any, tokenizer: Any, dev: list[tuple[str, int]], max_length: int) -> float:
    """Accuracy on dev, batches padded to their longest text (the same scoring for (a) and (b))."""
    import torch

    model.eval()
    correct = 0
    dtype = autocast_dtype(model.device.type)
    with torch.inference_mode(), torch.autocast(model.device.type, dtype=dtype, enabled=dtype is not None):
        for start in range(0, len(dev), EVAL_BATCH):
            chunk = dev[start : start + EVAL_BATCH]
            batch = tokenizer([text for text, _ in chunk], padding=True, truncation=True,
                              max_length=max_length, return_tensors="pt").to(model.device)
            predicted = model(**batch).logits.argmax(dim=-1).tolist()
            correct += sum(int(p == label) for p, (_, label) in zip(predicted, chunk))
    return correct / len(dev)


def run_tutorial(args: argparse.Namespace) -> dict[str, Any]:
    import torch
    from torch.utils.data import DataLoader, TensorDataset
    from transformers import get_scheduler

    train_rows, dev = benchmark_data(args)
    torch.manual_seed(args.seed)
    model, tokenizer = load_model(args)
    encoded = tokenizer([text for text, _ in train_rows], padding="longest", truncation=True,
                        max_length=args.max_length, return_tensors="pt")
    dataset = TensorDataset(encoded["input_ids"], encoded["attention_mask"],
                            torch.tensor([label for _, label in train_rows]))
    loader = DataLoader(dataset, batch_size=args.batch_size, shuffle=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    scheduler = get_scheduler("linear", optimizer, num_warmup_steps=0, num_training_steps=len(loader))
    model.train()
    dtype = autocast_dtype(args.device)
    timer = LoopTimer()
    timer.start()
    for batch in loader:
        input_ids, attention_mask, labels = (tensor.to(args.device) for tensor in batch)
        with torch.autocast(args.device, dtype=dtype, enabled=dtype is not None):
            loss = model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
        loss.backward()
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
    return {**timer.stop(), "dev_accuracy": dev_accuracy(model, tokenizer, dev, args.max_length),
            "device": f"{args.device} {precision(args.device)}"}


def run_trainer(args: argparse.Namespace) -> dict[str, Any]:
    from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

    train_rows, dev = benchmark_data(args)
    model, tokenizer = load_model(args)
    encoded = tokenizer([text for text, _ in train_rows], truncation=True, max_length=args.max_length)
    dataset = [
        {"input_ids": ids, "attention_mask": mask, "labels": label}
        for ids, mask, (_, label) in zip(encoded["input_ids"], encoded["attention_mask"], train_rows)
    ]
    with tempfile.TemporaryDirectory() as output:
        arguments = TrainingArguments(
            output_dir=output, per_device_train_batch_size=args.batch_size, num_train_epochs=1,
            learning_rate=args.lr, seed=args.seed, save_strategy="no", report_to="none",
            disable_tqdm=True, use_cpu=args.device == "cpu", bf16=precision(args.device) == "bf16",
        )
        trainer = Trainer(model=model, args=arguments, train_dataset=dataset,
                          data_collator=DataCollatorWithPadding(tokenizer))
        timer = LoopTimer()
        timer.start()
        trainer.train()
        timing = timer.stop()
    return {**timing, "dev_accuracy": dev_accuracy(model, tokenizer, dev, args.max_length),
            "device": f"{args.device} {precision(args.device)}"}


def run_bertdesk(args: argparse.Namespace, **overrides: Any) -> dict[str, Any]:
    from bertdesk.core import Split
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.training import TRAINING, StepEvent, TrainingCallback, train
    from bertdesk.store import Project

    train_rows, dev = benchmark_data(args)

    class Clock(TrainingCallback):
        """Times the training loop: from the "Training" message to the last step."""

        def __init__(self) -> None:
            self.timer = LoopTimer()
            self.timing: dict[str, float] = {}

        def on_message(self, text: str) -> None:
            if text == TRAINING:
                self.timer.start()

        def on_step(self, event: StepEvent) -> None:
            if event.step == event.total_steps:
                self.timing = self.timer.stop()

    with tempfile.TemporaryDirectory() as work:
        with Project.create(Path(work) / "sst2.bertdesk") as project:
            with project.bulk_writer() as writer:
                label_ids = [writer.label_id(name) for name in LABELS]
                for rows, split in ((train_rows, Split.TRAIN), (dev, Split.VALIDATION)):
                    for text, label in rows:
                        writer.add(text, split, [label_ids[label]])
            # One epoch and no more: min_steps=0, or the preset's floor of 200 steps would
            # train fewer texts (or the smoke run's one batch) for more than an epoch.
            config = TrainConfig.from_preset(
                "balanced", model=overrides.pop("model", str(model_folder(args))), epochs=1.0,
                min_steps=0, batch_size=args.batch_size, max_length=args.max_length,
                learning_rate=args.lr, seed=args.seed, evaluations_per_epoch=1,
                early_stopping_patience=None, device=args.device, **overrides,
            )
            clock = Clock()
            result = train(project, config, clock)
            if result.status != "finished":
                raise SystemExit(f"bertdesk training {result.status}: {result.error}")
            device = project.run(result.run_id).params["device"]
    return {**clock.timing, "dev_accuracy": result.metrics["accuracy"], "device": device}


RUNNERS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "tutorial": run_tutorial,
    "trainer": run_trainer,
    "bertdesk": run_bertdesk,
    "bertdesk-fp32": lambda args: run_bertdesk(args, precision="fp32"),
    "bertdesk-embeddings": lambda args: run_bertdesk(args, train_word_embeddings=True),
    "bertdesk-multilingual": lambda args: run_bertdesk(args, model="multilingual"),
}


def run_in_subprocess(name: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", name, "--train-texts", str(args.train_texts),
               "--seed", str(args.seed), "--lr", str(args.lr), "--batch-size", str(args.batch_size),
               "--max-length", str(args.max_length), "--device", args.device,
               *(["--model", str(args.model)] if args.model else []),
               *(["--smoke"] if args.smoke else [])]
    completed = subprocess.run(command, capture_output=True, text=True)
    for line in completed.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT "):]))
    raise SystemExit(f"{name} failed:\n{completed.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--train-texts", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--runners", default="tutorial,trainer,bertdesk",
                        help=f"comma-separated, from: {', '.join(RUNNERS)}")
    parser.add_argument("--model", type=Path, metavar="FOLDER",
                        help="a model folder instead of the packaged default (all-MiniLM-L6-v2)")
    parser.add_argument("--device", choices=("auto", "cuda", "cpu"), default="auto",
                        help="auto: a CUDA GPU where present, else the CPU")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    add_run_options(parser)
    args = parser.parse_args()
    if args.child:
        result = RUNNERS[args.child](args)
        result["samples_per_second"] = args.train_texts / result["train_seconds"]
        result["samples_per_cpu_second"] = args.train_texts / result["train_cpu_seconds"]
        result["peak_memory_mb"] = peak_memory_mb()
        import torch

        if torch.cuda.is_initialized():
            result["peak_gpu_memory_mb"] = torch.cuda.max_memory_allocated() / 2**20
        print("RESULT " + json.dumps(result), flush=True)
        return
    args.device = training_device(args.device)
    if not args.smoke:
        save_results(args, compare(args))
        return
    args.train_texts = 16  # one batch: one step
    with tempfile.TemporaryDirectory() as scratch:
        args.model = args.model or tiny_model(Path(scratch) / "tiny-bert")
        save_results(args, compare(args))


def compare(args: argparse.Namespace) -> dict[str, Any]:
    """Run each runner in its own process and print the table; the table as numbers."""
    names = [name.strip() for name in args.runners.split(",") if name.strip()]
    data = "generated texts (smoke run)" if args.smoke else "SST-2 train texts"
    print(f"{args.train_texts} {data} (seed {args.seed}), 1 epoch, max length "
          f"{args.max_length}, batch size {args.batch_size}, learning rate {args.lr}; "
          f"accuracy on all {len(benchmark_data(args)[1])} dev texts", flush=True)
    print(f"device: {describe_device(args.device)}", flush=True)
    results = {}
    for name in names:
        results[name] = run_in_subprocess(name, args)
        r = results[name]
        print(f"{name:<20} {r['samples_per_second']:7.1f} samples/s  {r['train_seconds']:7.0f} s  "
              f"{r['samples_per_cpu_second']:6.2f} samples/CPU-s  "
              f"peak {r['peak_memory_mb']:6.0f} MB  dev accuracy {r['dev_accuracy']:.4f}"
              + (f"  GPU peak {r['peak_gpu_memory_mb']:6.0f} MB" if "peak_gpu_memory_mb" in r else "")
              + f"  [{r['device']}]", flush=True)
    best_accuracy = max(r["dev_accuracy"] for r in results.values())
    ratios = []
    for name in (n for n in names if n.startswith("bertdesk")):
        ours = results[name]
        for baseline in ("tutorial", "trainer"):
            if baseline in results:
                theirs = results[baseline]
                ratios.append({
                    "runner": name, "baseline": baseline,
                    "wall_clock": ours["samples_per_second"] / theirs["samples_per_second"],
                    "per_cpu_second": ours["samples_per_cpu_second"] / theirs["samples_per_cpu_second"],
                })
                print(f"{name} / {baseline}: {ratios[-1]['wall_clock']:.2f}x wall-clock, "
                      f"{ratios[-1]['per_cpu_second']:.2f}x per CPU-second")
        print(f"{name} dev accuracy minus the best of all runners: "
              f"{(ours['dev_accuracy'] - best_accuracy) * 100:+.1f} points")
    settings = {key: getattr(args, key) for key in
                ("train_texts", "seed", "lr", "batch_size", "max_length")}
    return {"settings": {**settings, "model": str(model_folder(args)), "device": describe_device(args.device)},
            "runners": results, "ratios": ratios}

if __name__ == "__main__":
    main()
