"""The fast model's fit: bertdesk's calibrated SVMs against scikit-learn's CalibratedClassifierCV.

Both fit the same thing: a linear SVM per label (one-vs-rest) whose scores get Platt scaling
fitted on three held-out folds, with one final SVM. scikit-learn fits each label's sigmoid by
its own scipy minimisation; bertdesk fits them all at once (``models/fast.py``,
``platt_scaling``). Both on the same TF-IDF features of the same texts, in the same run:

- CLINC150 (../shared/data/clinc150): its 18,000 training texts, 150 intents;
- waimai_10k: half of it, two labels.

Printed per data set: each fit's seconds (best of --repeats), the ratio, the largest difference
between their probabilities on the held-out texts, and how many predictions agree.

Run:  python benchmarks/fast_fit.py [--repeats 3]   (--smoke: 60 generated texts, 3 labels)
Timings are for information only; nothing here passes or fails. The table also goes to JSON
(see bench_common.py).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from bench_common import add_run_options, save_results

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def read_clinc150() -> tuple[list[str], list[str], list[str], list[str]]:
    def read(file: str) -> list[dict[str, str]]:
        with (SHARED / "clinc150" / file).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle, delimiter="\t"))

    train, test = read("train.tsv"), read("test.tsv")
    return [r["text"] for r in train], [r["label"] for r in train], [r["text"] for r in test], [r["label"] for r in test]


def read_waimai() -> tuple[list[str], list[str], list[str], list[str]]:
    with (SHARED / "waimai_10k.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return ([r["review"] for r in rows[::2]], [r["label"] for r in rows[::2]],
            [r["review"] for r in rows[1::2]], [r["label"] for r in rows[1::2]])


def smoke_texts() -> tuple[list[str], list[str], list[str], list[str]]:
    topics = {"sport": "match goal team", "food": "noodle rice soup", "travel": "train flight hotel"}
    texts = [f"{words.split()[i % 3]} and {words.split()[(i + 1) % 3]} {i}" for i in range(20) for words in topics.values()]
    labels = [name for _ in range(20) for name in topics]
    return texts[:45], labels[:45], texts[45:], labels[45:]


def best_time(fit: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The shortest of ``repeats`` fits (the others only lose time to other work) and its result."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = fit()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def compare(name: str, data: tuple[Sequence[str], Sequence[str], Sequence[str], Sequence[str]], repeats: int) -> dict[str, Any]:
    import warnings

    from scipy.sparse import hstack
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.svm import LinearSVC

    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.models import fast

    train_texts, train_labels, test_texts, test_labels = data
    classes = sorted(set(train_labels))
    targets = np.array([classes.index(label) for label in train_labels])
    vectorizers = [fast._vectorizer(analyzer, ngrams, fast.WORD_TOKENS) for _, analyzer, ngrams in fast.FEATURE_PARTS]
    train = hstack([v.fit_transform(train_texts) for v in vectorizers]).tocsr()
    test = hstack([v.transform(test_texts) for v in vectorizers]).tocsr()
    config = TrainConfig(model="fast")

    def scikit_learn() -> Any:
        calibrated = CalibratedClassifierCV(LinearSVC(C=fast.SVM_C, random_state=0), cv=fast.CALIBRATION_FOLDS,
                                            ensemble=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return calibrated.fit(train, targets)

    reference_seconds, reference = best_time(scikit_learn, repeats)
    seconds, (coef, intercept) = best_time(lambda: fast.calibrated_svm_log_odds(train, targets, config), repeats)
    probabilities = 1 / (1 + np.exp(-(test @ coef.T + intercept)))
    if len(classes) == 2:
        probabilities = np.column_stack([1 - probabilities[:, 0], probabilities[:, 0]])
    else:
        probabilities /= probabilities.sum(axis=1, keepdims=True)
    expected = reference.predict_proba(test)
    truth = np.array([classes.index(label) if label in classes else -1 for label in test_labels])
    result = {
        "texts": len(train_texts), "labels": len(classes), "features": train.shape[1],
        "scikit_learn_seconds": reference_seconds, "bertdesk_seconds": seconds,
        "speedup": reference_seconds / seconds,
        "largest_probability_difference": float(np.abs(probabilities - expected).max()),
        "same_prediction": float((probabilities.argmax(1) == expected.argmax(1)).mean()),
        "accuracy": float((probabilities.argmax(1) == truth).mean()),
    }
    print(f"{name:<9} {len(train_texts):>6,} texts {len(classes):>4} labels  CalibratedClassifierCV "
          f"{reference_seconds:6.1f} s  bertdesk {seconds:6.1f} s  ({result['speedup']:.1f}x)  largest "
          f"probability difference {result['largest_probability_difference']:.1e}, same prediction "
          f"{result['same_prediction']:.2%}, test accuracy {result['accuracy']:.4f}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=3, help="fits of each, the best one counts (3)")
    add_run_options(parser)
    args = parser.parse_args()
    data_sets = {"smoke": smoke_texts} if args.smoke else {"clinc150": read_clinc150, "waimai": read_waimai}
    repeats = 1 if args.smoke else args.repeats
    save_results(args, {name: compare(name, read(), repeats) for name, read in data_sets.items()})


if __name__ == "__main__":
    main()
