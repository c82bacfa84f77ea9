"""What every benchmark shares: the ``--smoke`` and ``--json`` options, the tiny stand-ins a smoke
run uses, and the JSON record of a run.

A smoke run (``--smoke``) checks that a benchmark still starts and finishes on a fresh install:
a handful of generated texts, one training step, a tiny random BERT where a model is needed. It
measures nothing; the test suite runs every benchmark this way (tests/unit/test_benchmarks_smoke.py),
so a missing dependency or a broken runner fails CI instead of a reader.

Every run also writes what it printed as JSON, with what it ran on (commit, versions, machine),
so a figure quoted in a note or the README can be traced to its run. Scripts import this module
by name (``from bench_common import ...``): ``python benchmarks/x.py`` puts benchmarks/ on the path.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
RESULTS = BENCHMARKS / "results"  # ignored by git: a run's JSON is a record, not a source
STARTED = datetime.now(timezone.utc)
PACKAGES = ("bertdesk", "torch", "transformers", "tokenizers", "accelerate", "onnxruntime",
            "scikit-learn", "PySide6-Essentials")
SENTIMENT_LABELS = ("negative", "positive")
# Words of the tiny model's vocabulary, so that its tokenizer sees no [UNK].
_SUBJECTS = "the movie film food plot acting service price".split()
_SENTIMENT_WORDS = ("bad awful terrible hate poor".split(), "good great fine love excellent".split())
_TINY_VOCABULARY = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "was", "is", "it", "this", "not",
                    "very", "and", "but", *_SUBJECTS, *_SENTIMENT_WORDS[0], *_SENTIMENT_WORDS[1]]


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """``--smoke`` and ``--json``, the same in every benchmark."""
    parser.add_argument("--smoke", action="store_true",
                        help="a tiny input, one step, a tiny random model: checks that the "
                        "benchmark runs (the test suite does this); its figures mean nothing")
    parser.add_argument("--json", type=Path, metavar="PATH",
                        help="write the results here (default: benchmarks/results/"
                        "<benchmark>-<UTC time>.json)")


def save_results(args: argparse.Namespace, results: Mapping[str, Any]) -> Path:
    """Write ``results`` (what the run printed, as numbers) beside what the run ran on."""
    name = Path(sys.argv[0]).stem
    path: Path = args.json or RESULTS / f"{name}-{STARTED:%Y%m%dT%H%M%SZ}.json"
    record = {
        "benchmark": name,
        "command": [Path(sys.argv[0]).name, *sys.argv[1:]],
        "smoke": args.smoke,
        "started": STARTED.isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **_source_state(),
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpu_count": os.cpu_count(), "cpu": platform.processor() or platform.machine()},
        "packages": _package_versions(),
        "results": results,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results written to {path}", flush=True)
    return path


def _source_state() -> dict[str, Any]:
    """The commit the benchmarks ran from, and whether the working tree differed from it."""
    def git(*arguments: str) -> str | None:
        try:
            done = subprocess.run(["git", *arguments], cwd=BENCHMARKS, capture_output=True, text=True)
        except OSError:  # no git on this machine
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    changes = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"git_commit": commit, "git_uncommitted_changes": bool(changes) if commit else None}


def _package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def tiny_sentiment_texts(count: int, seed: int = 0) -> list[tuple[str, int]]:
    """``count`` short texts with a label index into SENTIMENT_LABELS, alternating, in the tiny
    model's words: the stand-in for SST-2 in a smoke run."""
    rng = random.Random(seed)
    return [(" ".join([rng.choice(_SUBJECTS), "was", *rng.choices(_SENTIMENT_WORDS[index % 2], k=3)]),
             index % 2) for index in range(count)]


def tiny_model(folder: Path, labels: Sequence[str] = SENTIMENT_LABELS) -> Path:
    """A randomly initialised 2-layer, 32-wide BERT classifier saved in ``folder`` as a
    Hugging Face folder (safetensors, tokenizer, named labels): what a smoke run trains and
    predicts with, in seconds and without a download."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a bar per save and load, for a model of 41 tensors
    folder.mkdir(parents=True, exist_ok=True)
    vocabulary = folder / "vocab.txt"
    vocabulary.write_text("\n".join(_TINY_VOCABULARY) + "\n", encoding="utf-8")
    config = BertConfig(
        vocab_size=len(_TINY_VOCABULARY), hidden_size=32, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128,
        num_labels=len(labels), id2label=dict(enumerate(labels)),
        label2id={name: index for index, name in enumerate(labels)},
    )
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(folder, safe_serialization=True)
    # transformers 5 reads the vocabulary from ``vocab=`` (``vocab_file=`` is ignored there).
    BertTokenizerFast(vocab=str(vocabulary), do_lower_case=True).save_pretrained(folder)
    return folder
