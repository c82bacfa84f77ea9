"""Import speed: bertdesk's import beside a plain ``pandas.read_csv`` + ``DataFrame.to_sql``.

Writes a CSV of mixed Chinese and English texts with two label columns (a topic and a
sentiment, some left empty so that unlabeled texts exist) to /tmp, then runs each path in its
own child process so that each one's peak memory (ru_maxrss) is its own. bertdesk's time is
until every text is committed (searchable by a scan); the time until its FTS5 search index
has caught up, as `bertdesk import` and the app do right after, is printed beside it. Then, over the
imported project, it times a page of 200 rows filtered by a label and by "unlabeled", and one
committed label change. Prints the figures and the ratios; nothing here is pass/fail.

    python benchmarks/import_speed.py            # 1,000,000 rows (2-3 minutes on 2 cores)
    python benchmarks/import_speed.py --rows 200000 --without-fts   # also: what FTS5 costs
    python benchmarks/import_speed.py --row-reader --store-floor    # also: row by row, and
        # bertdesk's SQLite writes alone (the floor of any importer into this schema)
    python benchmarks/import_speed.py --parquet --row-reader   # also: from Parquet, both ways
    python benchmarks/import_speed.py --smoke   # every path over 200 rows, in a temporary folder

The table also goes to JSON (--json PATH; see bench_common.py).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import add_run_options, save_results

WORK = Path("/tmp/bertdesk-import-speed")
ENGLISH = (
    "the food was great and the delivery fast but the soup arrived cold so I am not sure "
    "whether I will order again service staff friendly price too high portion small tasty "
    "fresh salty bland spicy noodles rice chicken pizza burger coffee late early packaging "
    "broken perfect recommend never always quite really very good bad awful lovely okay"
).split()
CHINESE = (
    "很快好吃味道不错送餐速度服务态度一般太慢了价格贵便宜分量足少新鲜咸淡辣米饭面条鸡肉"
    "外卖小哥辛苦包装破了完美推荐下次还会再点差评好评满意失望凉了热乎及时准时"
)
TOPICS = ("food", "delivery", "price", "service", "")
SENTIMENTS = ("positive", "negative", "")


def write_csv(path: Path, rows: int, seed: int = 0) -> None:
    """Reviews of realistic lengths: English 5-60 words, Chinese 8-120 characters."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "topic", "sentiment"])
        for index in range(rows):
            if rng.random() < 0.5:
                text = " ".join(rng.choices(ENGLISH, k=int(rng.triangular(5, 60, 14))))
            else:
                text = "".join(rng.choices(CHINESE, k=int(rng.triangular(8, 120, 25))))
            unlabeled = rng.random() < 0.3
            topic = "" if unlabeled else rng.choice(TOPICS)
            sentiment = "" if unlabeled else rng.choice(SENTIMENTS)
            writer.writerow([f"{text} #{index}" if index % 2 else text, topic, sentiment])


def write_parquet(csv_path: Path, parquet_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    names = ["text", "topic", "sentiment"]
    table = pcsv.read_csv(csv_path, convert_options=pcsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
    ))
    pq.write_table(table, parquet_path)


def child_plain(csv_path: Path, db_path: Path) -> dict[str, float]:
    import sqlite3

    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_csv(csv_path)
    connection = sqlite3.connect(db_path)
    frame.to_sql("examples", connection, index=False)
    connection.commit()
    connection.close()
    return {"seconds": time.perf_counter() - start, "rows": float(len(frame))}


def child_bertdesk(
    csv_path: Path, db_path: Path, search_index: bool = True, by_rows: bool = False
) -> dict[str, float]:
    import sqlite3

    from bertdesk.io import ImportOptions, columnar, import_file
    from bertdesk.store import Project

    if by_rows:  # the row reader, which files the columnar path cannot be sure of take
        columnar.COLUMNAR_MIN_BYTES = 1 << 62
    start = time.perf_counter()
    Project.create(db_path, multi_label=True).close()
    if not search_index:  # what the FTS5 trigram index costs: the project searches by LIKE then
        with sqlite3.connect(db_path) as connection:
            connection.execute("DROP TABLE examples_fts")
    with Project.open(db_path) as project:
        report = import_file(
            project, csv_path, ImportOptions(label_columns=["topic", "sentiment"])
        )
        saved = time.perf_counter() - start  # every text committed, browsable and searchable
        usage = resource.getrusage(resource.RUSAGE_SELF)
        saved_cpu = usage.ru_utime + usage.ru_stime
        project.update_search_index()  # what `bertdesk import` and the app do next
    return {
        "seconds": saved, "saved_cpu_seconds": saved_cpu, "rows": float(report.added),
        "indexed_seconds": time.perf_counter() - start,
        "skipped_duplicates": float(report.skipped_duplicates),
    }


def child_store_floor(csv_path: Path, db_path: Path) -> dict[str, float]:
    """bertdesk's SQLite writes alone: the same rows and labels from ready-made columns.

    Nothing is read, parsed or hashed while the clock runs: this is what any importer into
    this schema (WAL, the indexes the labeling view needs, annotations in their own table)
    pays at least.
    """
    import pandas as pd

    from bertdesk.store import Project
    from bertdesk.store.text_hash import normalized_text_hashes

    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    texts = frame["text"].str.strip().tolist()
    hashes = normalized_text_hashes(texts)
    with Project.create(db_path, multi_label=True) as project:
        names = sorted((set(frame["topic"]) | set(frame["sentiment"])) - {""})
        ids = {name: project.add_label(name).id for name in names}
        labelled, label_ids = [], []
        for position, cells in enumerate(zip(frame["topic"], frame["sentiment"])):
            for name in cells:
                if name:
                    labelled.append(position)
                    label_ids.append(ids[name])
        start, cpu_start = time.perf_counter(), time.process_time()
        with project.bulk_writer() as writer:
            writer.expect(len(texts))
            writer.add_block(texts, hashes, "unassigned", None, labelled, label_ids)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return {"seconds": seconds, "saved_cpu_seconds": cpu, "rows": float(len(texts))}


def child_queries(db_path: Path) -> dict[str, float]:
    from bertdesk.core import ExampleId
    from bertdesk.store import ExampleFilter, Project

    def best_ms(call, repeats: int = 7) -> float:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        return min(times)

    with Project.open(db_path) as project:
        label = project.require_label("delivery")
        by_label, unlabeled = ExampleFilter(label_id=label.id), ExampleFilter(unlabeled=True)
        total = project.count()
        middle = total // 2
        figures = {
            "page_label_first_ms": best_ms(lambda: project.page(by_label, 0, 200)),
            "page_label_middle_ms": best_ms(lambda: project.page_after(by_label, middle, 200)),
            "page_unlabeled_first_ms": best_ms(lambda: project.page(unlabeled, 0, 200)),
            "page_unlabeled_middle_ms": best_ms(lambda: project.page_after(unlabeled, middle, 200)),
            "count_label_ms": best_ms(lambda: project.count(by_label), 3),
            "count_unlabeled_ms": best_ms(lambda: project.count(unlabeled), 3),
        }
        positive = project.require_label("positive").id
        set_times = []
        for step in range(50):
            example_id = ExampleId(1 + step * 997 % total)
            start = time.perf_counter()
            project.set_labels(example_id, [positive])
            set_times.append((time.perf_counter() - start) * 1000)
        figures["set_label_median_ms"] = statistics.median(set_times)
        figures["set_label_max_ms"] = max(set_times)
    return figures


CHILDREN = {
    "plain": child_plain,
    "bertdesk": child_bertdesk,
    "bertdesk-without-fts": lambda csv_path, db_path: child_bertdesk(csv_path, db_path, False),
    "bertdesk-rows": lambda csv_path, db_path: child_bertdesk(csv_path, db_path, by_rows=True),
    "store-floor": child_store_floor,
    "queries": child_queries,
}


def run_child(name: str, *paths: Path) -> dict[str, float]:
    """Run one measurement in a fresh interpreter; its peak RSS is its own."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", name, *map(str, paths)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--without-fts", action="store_true",
                        help="also import into a project without the FTS5 search index")
    parser.add_argument("--store-floor", action="store_true",
                        help="also time bertdesk's SQLite writes alone, from ready-made columns")
    parser.add_argument("--row-reader", action="store_true",
                        help="also import row by row (what files the columnar path refuses take)")
    parser.add_argument("--parquet", action="store_true",
                        help="also import the same rows from a Parquet file")
    parser.add_argument("--work", type=Path, default=WORK,
                        help=f"folder for the CSV and the databases ({WORK})")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    add_run_options(parser)
    args = parser.parse_args()
    if args.child:
        name, *paths = args.child
        figures = CHILDREN[name](*map(Path, paths))
        usage = resource.getrusage(resource.RUSAGE_SELF)
        figures["peak_mb"] = usage.ru_maxrss / 1024
        # CPU seconds compare fairly on a machine whose cores other work shares.
        figures["cpu_seconds"] = usage.ru_utime + usage.ru_stime
        print(json.dumps(figures))
        return
    if not args.smoke:
        save_results(args, compare(args))
        return
    args.rows = 200
    args.without_fts = args.store_floor = args.row_reader = args.parquet = True  # every path
    with tempfile.TemporaryDirectory() as scratch:
        args.work = Path(scratch)
        save_results(args, compare(args))


def compare(args: argparse.Namespace) -> dict[str, Any]:
    """Run each import path in its own process and print the table; the table as numbers."""
    work = args.work
    work.mkdir(exist_ok=True)
    csv_path = work / f"reviews_{args.rows}.csv"
    if not csv_path.exists():
        start = time.perf_counter()
        write_csv(csv_path, args.rows)
        print(f"wrote {csv_path} ({csv_path.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - start:.0f} s")

    def fresh(name: str) -> Path:
        """A database path in ``work`` with no file left from an earlier run."""
        for stale in work.glob(f"{name}*"):
            stale.unlink()
        return work / name

    project_db = fresh("bench.bertdesk")
    plain = run_child("plain", csv_path, fresh("plain.sqlite"))
    ours = run_child("bertdesk", csv_path, project_db)
    results = [("pandas read_csv + to_sql", plain), ("bertdesk import_file", ours)]
    extra = (
        (args.without_fts, "bertdesk, no FTS5 index", "bertdesk-without-fts", "bare.bertdesk"),
        (args.row_reader, "bertdesk, row by row", "bertdesk-rows", "rows.bertdesk"),
        (args.store_floor, "bertdesk's SQLite writes only", "store-floor", "floor.bertdesk"),
    )
    for wanted, title, child, database in extra:
        if wanted:
            results.append((title, run_child(child, csv_path, fresh(database))))
    if args.parquet:  # the same rows as Parquet (every column a string)
        parquet_path = csv_path.with_suffix(".parquet")
        if not parquet_path.exists():
            write_parquet(csv_path, parquet_path)
        results.append(("bertdesk, from Parquet", run_child("bertdesk", parquet_path, fresh("pq.bertdesk"))))
        if args.row_reader:
            results.append(("bertdesk, Parquet row by row",
                            run_child("bertdesk-rows", parquet_path, fresh("pq-rows.bertdesk"))))
    queries = run_child("queries", project_db)
    print(f"\n{args.rows:,} rows, {csv_path.stat().st_size / 1e6:.0f} MB CSV")
    print(f"{'path':<30}{'wall s':>9}{'CPU s':>9}{'rows/s':>10}{'rows/CPU s':>12}{'peak MB':>9}")
    for name, figures in results:
        cpu = figures.get("saved_cpu_seconds", figures["cpu_seconds"])  # until the texts are saved
        print(f"{name:<30}{figures['seconds']:>9.1f}{cpu:>9.1f}"
              f"{figures['rows'] / figures['seconds']:>10,.0f}"
              f"{figures['rows'] / cpu:>12,.0f}{figures['peak_mb']:>9.0f}")
    print(f"bertdesk with its search index built after the import: "
          f"{ours['indexed_seconds']:.1f} s wall, {ours['cpu_seconds']:.1f} CPU s, "
          f"{ours['indexed_seconds'] / plain['seconds']:.2f}x the plain path's wall time")
    print(f"bertdesk (texts saved) / plain: wall {ours['seconds'] / plain['seconds']:.2f}x, "
          f"CPU {ours['saved_cpu_seconds'] / plain['cpu_seconds']:.2f}x (target <= 1.5x); "
          f"bertdesk peak memory {ours['peak_mb']:.0f} MB (target < 1024 MB); "
          f"duplicates skipped {ours['skipped_duplicates']:.0f}")
    for name, figures in results[2:]:
        print(f"{name} / plain: wall {figures['seconds'] / plain['seconds']:.2f}x")
    project_megabytes = sum(p.stat().st_size for p in work.glob('bench.bertdesk*')) / 1e6
    print(f"project file: {project_megabytes:.0f} MB")
    for key, value in queries.items():
        if key not in ("peak_mb", "cpu_seconds"):
            print(f"{key:<28}{value:>10.2f}")
    print("targets: a 200-row page < 50 ms; a committed label change < 5 ms")
    return {"rows": args.rows, "csv_megabytes": csv_path.stat().st_size / 1e6,
            "paths": {name: figures for name, figures in results},
            "project_megabytes": project_megabytes, "queries": queries}


if __name__ == "__main__":
    main()
