"""Disk taken by a project's runs: the frozen word-embedding table and the tokenizer shared between
them by hard links (what bertdesk does), against every run keeping its own copy (the obvious way,
and what a drive without hard links still gets).

Both ways train the same short runs of the same model on the same texts, one project each; the
copies are made by training with hard links refused, as FAT and exFAT refuse them. Printed per
way: the size of one run's folder as a file manager adds it up, and what the project's runs
folder takes on the disk (each file counted once, however many folders link to it), with the
ratio. What the runs learn does not matter here, so they are a few steps on a few texts.

Run:  python benchmarks/run_folder_size.py [--model multilingual] [--runs 3]
(--smoke: the tiny random BERT, two runs). Nothing passes or fails; the table also goes to JSON
(see bench_common.py).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from bench_common import SENTIMENT_LABELS, add_run_options, save_results, tiny_model, tiny_sentiment_texts

MB = 1e6


def apparent_size(folder: Path) -> int:
    """What a file manager shows: every file's size, linked or not."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def disk_size(folder: Path) -> int:
    """What the disk holds: each file (inode) once."""
    seen: dict[tuple[int, int], int] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            status = path.stat()
            seen[(status.st_dev, status.st_ino)] = status.st_size
    return sum(seen.values())


def train_runs(folder: Path, model: str, runs: int) -> tuple[int, int]:
    """``runs`` short runs in a new project: (one run's folder as shown, the runs folder on disk)."""
    from bertdesk.core import Split
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.training import train
    from bertdesk.store import Project

    texts = tiny_sentiment_texts(60)
    with Project.create(folder / "sizes.bertdesk") as project:
        with project.bulk_writer() as writer:
            ids = [writer.label_id(name) for name in SENTIMENT_LABELS]
            for number, (text, label) in enumerate(texts):
                split = Split.VALIDATION if number % 5 == 0 else Split.TRAIN
                writer.add(f"{text} {number}", split, [ids[label]], {})
        config = TrainConfig.from_preset("quick", model=model, epochs=1.0, min_steps=0, device="cpu")
        shown = []
        for _ in range(runs):
            result = train(project, config)
            if result.model_dir is None:
                raise SystemExit(f"a run failed: {result.error}")
            shown.append(apparent_size(result.model_dir.parent))
        return max(shown), disk_size(project.runs_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="multilingual", help="the model the runs fine-tune (multilingual)")
    parser.add_argument("--runs", type=int, default=3, help="runs per project (3)")
    add_run_options(parser)
    args = parser.parse_args()
    runs = 2 if args.smoke else args.runs
    results: dict[str, Any] = {"model": args.model, "runs": runs}
    with tempfile.TemporaryDirectory() as scratch:
        model = str(tiny_model(Path(scratch) / "tiny")) if args.smoke else args.model

        def no_hard_links(source: Any, target: Any) -> None:
            raise OSError(1, "Operation not permitted")

        with mock.patch.object(os, "link", no_hard_links):
            (Path(scratch) / "copies").mkdir()
            copied = train_runs(Path(scratch) / "copies", model, runs)
        (Path(scratch) / "shared").mkdir()
        shared = train_runs(Path(scratch) / "shared", model, runs)
    print(f"\n{runs} runs of {'the tiny random BERT (smoke)' if args.smoke else args.model}")
    print(f"{'':<22}{'one run (MB)':>14}{'runs on disk (MB)':>20}")
    for name, (one_run, on_disk) in (("each its own copy", copied), ("shared files", shared)):
        print(f"{name:<22}{one_run / MB:>14.1f}{on_disk / MB:>20.1f}")
        results[name] = {"one_run_mb": round(one_run / MB, 1), "runs_on_disk_mb": round(on_disk / MB, 1)}
    ratio = shared[1] / copied[1]
    print(f"with shared files the runs take {ratio:.2f}× the disk of copies "
          f"({(copied[1] - shared[1]) / MB / max(runs - 1, 1):.0f} MB less for each run after the first)")
    results["ratio"] = round(ratio, 3)
    save_results(args, results)


if __name__ == "__main__":
    main()
