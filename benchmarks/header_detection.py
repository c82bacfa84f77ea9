"""Telling a header line from a first row of data: bertdesk's check against csv.Sniffer.has_header.

For each data set its rows are shuffled N times (--trials). Each time both checks see the
file's first line and the 200 rows after it, twice: without the header (the right answer is
"data") and under a header of names bertdesk does not know (the right answer is "header").
Printed per data set: how often each check is right in either case. Then bertdesk's skipping
of title rows (``table_start``), which csv.Sniffer does not do: how often two rows of one cell
above that header (a report's title and date) are skipped, and how often a file without a header
whose first two texts have no label yet keeps them (nothing skipped).

- SST-2 train (../shared/data/sst2): English sentences, 0/1 labels;
- CLINC150 train (../shared/data/clinc150): short English requests, 150 intents;
- waimai_10k: Chinese reviews, 0/1 labels (its label column first).

Run:  python benchmarks/header_detection.py [--trials 200]   (--smoke: generated rows)
Nothing here passes or fails. The table also goes to JSON (see bench_common.py).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from collections.abc import Callable
from pathlib import Path

from bench_common import add_run_options, save_results

from bertdesk.io.tables import HEADER_SAMPLE_ROWS, first_row_is_header, table_start

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
# Names none of bertdesk's known column names match, one per column of each data set.
UNKNOWN_NAMES = {"sst2": ["sentence_a", "mood"], "clinc150": ["request", "goal"], "waimai": ["评分", "评论正文"]}
Rows = list[list[str]]


def read_tsv(path: Path) -> Rows:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))[1:]


def read_waimai() -> Rows:
    with (DATA / "waimai_10k.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


def smoke_rows() -> Rows:
    rng = random.Random(0)
    return [[f"review {i} of the {rng.choice(['soup', 'rice', 'tea'])}", rng.choice(["pos", "neg"])] for i in range(300)]


def sniffer_says_header(first: list[str], rest: Rows) -> bool:
    """csv.Sniffer's own check, on the same lines written out as CSV."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([first, *rest])
    return csv.Sniffer().has_header(buffer.getvalue())


def score(rows: Rows, names: list[str], trials: int) -> dict[str, float]:
    checks: dict[str, Callable[[list[str], Rows], bool]] = {
        "bertdesk": first_row_is_header, "csv.Sniffer": sniffer_says_header,
    }
    right = {f"{check} {case}": 0 for check in checks for case in ("data", "header")}
    right |= {"titles skipped": 0, "unlabelled kept": 0}
    label = min(range(len(names)), key=lambda column: len({row[column] for row in rows}))
    rng = random.Random(0)
    for _ in range(trials):
        rng.shuffle(rows)
        sample = rows[1:HEADER_SAMPLE_ROWS + 1]
        for check, says_header in checks.items():
            right[f"{check} data"] += not says_header(rows[0], sample)
            right[f"{check} header"] += says_header(names, rows[:HEADER_SAMPLE_ROWS])
        titles = [["外卖评论导出" if column == 0 else "" for column in range(len(names))],
                  ["2024-03-01" if column == 0 else "" for column in range(len(names))]]
        right["titles skipped"] += table_start([*titles, names, *rows[:HEADER_SAMPLE_ROWS]], None) == (2, True)
        unlabelled = [["" if column == label else cell for column, cell in enumerate(row)] for row in rows[:2]]
        right["unlabelled kept"] += table_start([*unlabelled, *rows[2:HEADER_SAMPLE_ROWS + 2]], None)[0] == 0
    return {case: count / trials for case, count in right.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    add_run_options(parser)
    args = parser.parse_args()
    readers: dict[str, Callable[[], Rows]] = (
        {"smoke": smoke_rows} if args.smoke else
        {"sst2": lambda: read_tsv(DATA / "sst2" / "train.tsv"),
         "clinc150": lambda: read_tsv(DATA / "clinc150" / "train.tsv"), "waimai": read_waimai}
    )
    trials = 5 if args.smoke else args.trials
    results = {}
    print(f"{'data set':10} {'check':12} {'no header: read as data':>24} {'unknown names: read as header':>30}")
    for name, read in readers.items():
        scores = score(read(), UNKNOWN_NAMES.get(name, ["phrase", "mood"]), trials)
        for check in ("bertdesk", "csv.Sniffer"):
            print(f"{name:10} {check:12} {scores[f'{check} data']:>24.1%} {scores[f'{check} header']:>30.1%}")
        results[name] = scores
    print(f"\n{'data set':10} {'title rows above the header: skipped':>38} {'no header, 2 unlabelled: none skipped':>40}")
    for name, scores in results.items():
        print(f"{name:10} {scores['titles skipped']:>38.1%} {scores['unlabelled kept']:>40.1%}")
    save_results(args, results)


if __name__ == "__main__":
    main()
