"""What a new user gets from ``bertdesk train`` with the defaults, beside the classical baseline.

For each data set: a project is built with the CLI (``bertdesk new``, ``import``, ``split``),
trained with ``bertdesk train PROJECT`` and nothing else (the default model choice, "auto",
and the default preset), then scored on the held-out texts. Beside it, on the same split:
TF-IDF + logistic regression (scikit-learn; word 1-2-grams, or character 1-3-grams with
balanced class weights for Chinese), bertdesk's fast family (``bertdesk train --model fast`` in the same project: the
baseline every run is shown beside and has to beat), the two runs averaged (``bertdesk
ensemble``: the tutorial's model fusion, as Combine runs… makes it), and optionally the same command with
another ``--model`` (e.g. the English built-in on Chinese texts, to show why "auto" does not
take it).

Data sets (from ../shared/data; see its README):
- waimai: waimai_10k.csv, Chinese delivery reviews, the data README's stratified 80/20 with
  seed 0 (scikit-learn's; ``--waimai-split bertdesk`` for ``bertdesk split``'s, which keeps texts
  inside other texts on one side); the run sets its validation texts aside from the 80 %, and
  is scored on the 20 %;
- sst2: SST-2 train (a seeded sample of --sst2-texts) and its dev set as the held-out texts;
- clinc150: CLINC150 train, scored on its test split (150 intents).

Run:  python benchmarks/default_quality.py [--datasets waimai,sst2,clinc150] [--also-model default] [--seed N]
Printed per data set and model: accuracy, macro-F1, the training command's wall time, the
model "auto" chose; then the differences to TF-IDF and to the fast family. Nothing here passes or fails. The table
also goes to JSON (--json PATH; see bench_common.py). --smoke: 40 generated texts, one step of a
tiny random BERT (``bertdesk train --model FOLDER``), to check that the benchmark runs.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import SENTIMENT_LABELS, add_run_options, save_results, tiny_model, tiny_sentiment_texts

FAST = "fast"  # the fast family's model spec
FUSION = "defaults + fast, averaged (ensemble)"  # bertdesk ensemble of the two runs
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def write_tsv(path: Path, rows: list[tuple[str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["text", "label", "split"])
        writer.writerows(rows)


def prepare(name: str, folder: Path, sst2_texts: int, waimai_split: str) -> tuple[Path, list[str]]:
    """A TSV (text, label, split) for the data set, and the split-making CLI arguments."""
    target = folder / f"{name}.tsv"
    if name == "smoke":  # generated texts, 32 to train on and 8 to score
        write_tsv(target, [(text, SENTIMENT_LABELS[label], "train" if index < 32 else "test")
                           for index, (text, label) in enumerate(tiny_sentiment_texts(40))])
        return target, []
    if name == "waimai":
        with (SHARED / "waimai_10k.csv").open(encoding="utf-8", newline="") as handle:
            rows = [(row["review"], ("negative", "positive")[int(row["label"])], "unassigned")
                    for row in csv.DictReader(handle)]
        if waimai_split == "bertdesk":
            write_tsv(target, rows)
            return target, ["--train", "0.8", "--validation", "0", "--test", "0.2", "--seed", "0"]
        # The data README's reference split: scikit-learn's stratified 80/20 with seed 0.
        from sklearn.model_selection import train_test_split

        _, test = train_test_split(range(len(rows)), test_size=0.2, random_state=0,
                                   stratify=[label for _, label, _ in rows])
        test_rows = set(test)
        write_tsv(target, [(text, label, "test" if index in test_rows else "train")
                           for index, (text, label, _) in enumerate(rows)])
        return target, []
    if name == "sst2":
        def read(file: str) -> list[tuple[str, str]]:
            with (SHARED / "sst2" / file).open(encoding="utf-8", newline="") as handle:
                return [(row["text"], ("negative", "positive")[int(row["label"])])
                        for row in csv.DictReader(handle, delimiter="\t")]
        train = random.Random(0).sample(read("train.tsv"), sst2_texts)
        write_tsv(target, [(t, l, "train") for t, l in train] + [(t, l, "test") for t, l in read("dev.tsv")])
        return target, []
    if name == "clinc150":
        rows = []
        for file, split in (("train.tsv", "train"), ("test.tsv", "test")):
            with (SHARED / "clinc150" / file).open(encoding="utf-8", newline="") as handle:
                rows += [(row["text"], row["label"], split) for row in csv.DictReader(handle, delimiter="\t")]
        write_tsv(target, rows)
        return target, []
    raise SystemExit(f"unknown data set {name}")


def bertdesk(*arguments: str) -> float:
    """Run one CLI command; its wall time in seconds."""
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "bertdesk", "-q", *arguments], capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"bertdesk {' '.join(arguments)} failed:\n{completed.stderr[-3000:]}")
    return time.perf_counter() - started


def build_project(path: Path, data: Path, split_arguments: list[str]) -> None:
    bertdesk("new", str(path))
    bertdesk("import", str(path), str(data), "--text-col", "text", "--label-col", "label", "--split-col", "split")
    if split_arguments:
        bertdesk("split", str(path), *split_arguments)


def score_run(path: Path) -> dict[str, Any]:
    from bertdesk.core import Split
    from bertdesk.ml.evaluation import evaluate_run
    from bertdesk.store import Project

    with Project.open(path) as project:
        run = [r for r in project.runs() if r.status == "finished"][-1]
        report = evaluate_run(project, run.id, Split.TEST)
        model = run.params["config"]["model"] if "config" in run.params else run.kind.value  # an ensemble has none
        # How sure the run is beside how often it is right (they match where it is calibrated),
        # and the temperature a fine-tuned run divided its logits by (1: none).
        return {"accuracy": report.accuracy, "macro_f1": report.macro_f1, "model": model,
                "steps": run.params.get("total_steps"), "texts": len(report.examples),
                "mean_confidence": sum(e["confidence"] for e in report.examples) / len(report.examples),
                "log_loss": sum(e["loss"] for e in report.examples) / len(report.examples),
                "temperature": run.params.get("calibration", {}).get("temperature", 1.0)}


def finished_runs(path: Path) -> list[int]:
    from bertdesk.store import Project

    with Project.open(path) as project:
        return [int(run.id) for run in project.runs() if run.status == "finished"]


def tfidf_baseline(path: Path, chinese: bool) -> dict[str, Any]:
    """TF-IDF + logistic regression trained on the project's training texts (train and
    validation: all a run may learn from), scored on its test texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    from bertdesk.core import Split
    from bertdesk.store import Project

    with Project.open(path) as project:
        names = {label.id: label.name for label in project.labels()}
        learn = project.labelled_examples([Split.TRAIN, Split.VALIDATION, Split.UNASSIGNED])
        test = project.labelled_examples([Split.TEST])
    started = time.perf_counter()
    vectorizer = (TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True) if chinese
                  else TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True))
    features = vectorizer.fit_transform([text for _, text, _, _ in learn])
    # Chinese: the data README's recipe as near as we found it (its 0.915 accuracy and 0.901
    # macro-F1 on its split; this gives 0.913 and 0.902 there, the best of C 1 or 10, with or
    # without balanced class weights, character 1-2- or 1-3-grams).
    classifier = (LogisticRegression(max_iter=2000, C=1.0, class_weight="balanced") if chinese
                  else LogisticRegression(max_iter=2000, C=10.0))
    classifier.fit(features, [names[labels[0]] for _, _, labels, _ in learn])
    predicted = classifier.predict(vectorizer.transform([text for _, text, _, _ in test]))
    truth = [names[labels[0]] for _, _, labels, _ in test]
    return {"accuracy": accuracy_score(truth, predicted), "macro_f1": f1_score(truth, predicted, average="macro"),
            "seconds": time.perf_counter() - started, "texts": len(test)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--datasets", default="waimai,sst2,clinc150")
    parser.add_argument("--also-model", action="append", default=[],
                        help="also train with this --model (e.g. default, multilingual, fast)")
    parser.add_argument("--train-option", action="append", default=[],
                        help="one more bertdesk train option for the runs beside the fast family's, to "
                        "measure a setting against the defaults (e.g. --train-option=--average-weights)")
    parser.add_argument("--sst2-texts", type=int, default=8000)
    parser.add_argument("--waimai-split", choices=("readme", "bertdesk"), default="readme",
                        help="waimai's 80/20: the data README's (scikit-learn, stratified, seed 0: its TF-IDF "
                        "reference) or bertdesk split's (texts inside other texts kept on one side)")
    parser.add_argument("--keep", type=Path, help="keep the projects in this folder")
    parser.add_argument("--seed", type=int, default=0,
                        help="the training seed (bertdesk train --seed; 0 is the default): it also picks "
                        "the validation texts set aside; the data set's own split stays")
    add_run_options(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        save_results(args, compare(args, folder))


def compare(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Train and score each data set in ``folder`` and print the table; the table as numbers."""
    datasets: dict[str, Any] = {}
    # A smoke run: one step (all 32 texts in one batch) of a tiny random BERT.
    smoke_training = (["--model", str(tiny_model(folder / "tiny-bert")), "--epochs", "1",
                       "--min-steps", "0", "--batch-size", "64"] if args.smoke else [])
    seeded = ["--seed", str(args.seed)] if args.seed else []
    names = ["smoke"] if args.smoke else [n.strip() for n in args.datasets.split(",") if n.strip()]
    for name in names:
        data, split_arguments = prepare(name, folder, args.sst2_texts, args.waimai_split)
        rows: list[tuple[str, dict[str, Any]]] = []

        def train_and_score(project: Path, title: str, *arguments: str) -> None:
            seconds = bertdesk("train", str(project), *arguments, *seeded)
            result = {**score_run(project), "seconds": seconds}
            rows.append((title, result))
            print(f"{name:<9} {title:<36} accuracy {result['accuracy']:.4f}  macro-F1 "
                  f"{result['macro_f1']:.4f}  {seconds:7.0f} s  (model: {result['model']}, "
                  f"{result['steps']} steps, {result['texts']} test texts; mean confidence "
                  f"{result['mean_confidence']:.3f}, log-loss {result['log_loss']:.3f}, temperature "
                  f"{result['temperature']:.2f})", flush=True)

        for model in [None, *args.also_model]:
            project = folder / f"{name}-{model or 'defaults'}.bertdesk"
            project.unlink(missing_ok=True)
            build_project(project, data, split_arguments)
            options = [] if model == FAST else args.train_option
            train_and_score(project, " ".join(["bertdesk train", *(["--model", model] if model else []), *options]),
                            *smoke_training, *(["--model", model] if model else []), *options)
        defaults = folder / f"{name}-defaults.bertdesk"
        if FAST not in args.also_model:  # the fast family beside every data set, on the defaults' split
            train_and_score(defaults, f"bertdesk train --model {FAST}", "--model", FAST)
            # Model fusion (the tutorial's): the two runs' probabilities averaged, as Combine runs… does.
            seconds = bertdesk("ensemble", str(defaults), *(str(run) for run in finished_runs(defaults)))
            result = {**score_run(defaults), "seconds": seconds}
            rows.append((FUSION, result))
            print(f"{name:<9} {FUSION:<36} accuracy {result['accuracy']:.4f}  macro-F1 "
                  f"{result['macro_f1']:.4f}  {seconds:7.0f} s", flush=True)
        baseline = tfidf_baseline(defaults, chinese=name == "waimai")
        print(f"{name:<9} {'TF-IDF + logistic regression':<36} accuracy {baseline['accuracy']:.4f}  "
              f"macro-F1 {baseline['macro_f1']:.4f}  {baseline['seconds']:7.1f} s", flush=True)
        fast = next(result for title, result in rows if title.endswith(f"--model {FAST}"))
        for title, result in rows:
            print(f"{name:<9} {title} minus TF-IDF: {(result['accuracy'] - baseline['accuracy']) * 100:+.1f}, "
                  f"minus the fast family: {(result['accuracy'] - fast['accuracy']) * 100:+.1f} accuracy points",
                  flush=True)
        datasets[name] = {"runs": [{"command": title, **result} for title, result in rows],
                          "tfidf_baseline": baseline}
    return datasets


if __name__ == "__main__":
    main()
