"""`bertdesk serve` under load: requests batched together vs predicted one at a time.

32 clients at once, each keeping its connection open and sending requests of 4 texts until
400 requests are answered, against the server with its defaults (requests that arrive
together share a forward pass) and with ``--max-batch 1`` (each request alone), in one run:
the requests go in 4 rounds that alternate between the two servers, so that other work on a
shared machine slows both alike.
The server is the real ``bertdesk serve`` in its own process, serving the packaged English
model (all-MiniLM-L6-v2) fine-tuned here by bertdesk on a few dozen SST-2 train texts (or a
folder given with --model); the texts are SST-2 dev. Prints, per server: texts and requests
per second, p50 and p99 latency of a request, and the count of each status (there should be
no 5xx); then the ratios. Target: at least 2x the throughput with batching, and a lower p99.

Run: nice -n 10 python benchmarks/serve_load.py [--model FOLDER] [--clients 32] [--requests 400]
Timings are for information only; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_common import add_run_options, save_results, tiny_model, tiny_sentiment_texts

REPO = Path(__file__).resolve().parents[1]
SERVERS = {"batched (defaults)": [], "one at a time (--max-batch 1)": ["--max-batch", "1"]}
SERVING_LINE = re.compile(r"on (http://[^ ]+) ")


def start_server(model: Path, options: list[str]) -> subprocess.Popen[str]:
    """``bertdesk serve MODEL --port 0 OPTIONS`` in its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "bertdesk", "serve", str(model), "--port", "0", "--device", "cpu", *options],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def address(process: subprocess.Popen[str]) -> tuple[str, int]:
    """The host and port a started server says it listens on, once it is ready."""
    assert process.stdout is not None
    line = process.stdout.readline()
    found = SERVING_LINE.search(line)
    if found is None:
        stop_server(process)
        raise SystemExit(f"the server did not start: {line!r}")
    host, port = found.group(1).removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def stop_server(process: subprocess.Popen[str]) -> None:
    """Ctrl-C, as a user stops it; what it wrote to stderr is shown only if it failed."""
    process.send_signal(signal.SIGINT)
    try:
        _, errors = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, errors = process.communicate()
    if process.returncode not in (0, 130, -signal.SIGINT):
        print(f"the server ended with {process.returncode}:\n{errors}", file=sys.stderr)


@dataclass
class Measured:
    """What the clients saw of one server, summed over the rounds."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def summary(self, per_request: int) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        return {
            "seconds": self.seconds,
            "requests_per_second": len(ordered) / self.seconds,
            "texts_per_second": self.statuses[200] * per_request / self.seconds,
            "p50_ms": 1000 * statistics.median(ordered),
            "p99_ms": 1000 * ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))],
            "max_ms": 1000 * ordered[-1],
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
            "server_errors": sum(count for status, count in self.statuses.items() if status >= 500),
        }


def load(host: str, port: int, texts: list[str], clients: int, requests: int, per_request: int,
         into: Measured) -> None:
    """``clients`` threads, each with one keep-alive connection, send ``requests`` requests of
    ``per_request`` texts between them; every answer is checked to hold one prediction per text."""
    numbers = itertools.count()
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=300)
        try:
            while (number := next(numbers)) < requests:
                first = number * per_request % len(texts)
                batch = (texts[first:] + texts[:first])[:per_request]
                body = json.dumps({"texts": batch}).encode("utf-8")
                started = time.perf_counter()
                connection.request("POST", "/predict", body=body, headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                answer = json.loads(response.read())
                elapsed = time.perf_counter() - started
                if response.status == 200 and len(answer["predictions"]) != per_request:
                    raise AssertionError(f"{len(answer['predictions'])} predictions for {per_request} texts")
                with lock:
                    into.latencies.append(elapsed)
                    into.statuses[response.status] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, name=f"client-{index}") for index in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    into.seconds += time.perf_counter() - started


def report(name: str, row: dict[str, Any]) -> None:
    print(f"  {name:<32} {row['texts_per_second']:7.1f} texts/s {row['requests_per_second']:6.1f} req/s   "
          f"p50 {row['p50_ms']:7.0f} ms   p99 {row['p99_ms']:7.0f} ms   statuses {row['statuses']}", flush=True)


def compare(args: argparse.Namespace, model: Path, texts: list[str]) -> dict[str, Any]:
    print(f"{args.clients} clients, {args.requests} requests of {args.per_request} texts each, in {args.rounds} "
          f"rounds alternating between the servers; model {model}", flush=True)
    measured = {name: Measured() for name in SERVERS}
    # Both start at once (loading torch and the model takes seconds); an idle one only waits.
    processes = {name: start_server(model, options) for name, options in SERVERS.items()}
    try:
        addresses = {name: address(process) for name, process in processes.items()}
        for host, port in addresses.values():
            load(host, port, texts, min(4, args.clients), 8, args.per_request, Measured())  # warm-up
        # Rounds take turns, each server first in every other one, so that a burst of other
        # work on the machine falls on both servers alike.
        for round_number in range(args.rounds):
            order = list(addresses) if round_number % 2 == 0 else list(reversed(addresses))
            requests = args.requests // args.rounds + (args.requests % args.rounds if round_number == 0 else 0)
            for name in order:
                load(*addresses[name], texts, args.clients, requests, args.per_request, measured[name])
    finally:
        for process in processes.values():
            stop_server(process)
    results = {name: found.summary(args.per_request) for name, found in measured.items()}
    for name, row in results.items():
        report(name, row)
    batched, alone = (results[name] for name in SERVERS)
    speedup = batched["texts_per_second"] / alone["texts_per_second"]
    print(f"batched: {speedup:.2f}x the throughput (target >= 2x), p99 {batched['p99_ms']:.0f} ms vs "
          f"{alone['p99_ms']:.0f} ms one at a time; 5xx answers: {batched['server_errors'] + alone['server_errors']}")
    return {"settings": {"model": str(model), "clients": args.clients, "requests": args.requests,
                         "texts_per_request": args.per_request, "rounds": args.rounds},
            "servers": [{"server": name, **row} for name, row in results.items()],
            "throughput_ratio": speedup, "p99_ratio": batched["p99_ms"] / alone["p99_ms"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a trained classifier folder to serve as it is")
    parser.add_argument("--train-texts", type=int, default=48,
                        help="SST-2 train texts the packaged model is fine-tuned on (48)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--per-request", type=int, default=4, help="texts in each request (4)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="the requests are sent in this many rounds, alternating between the servers (4)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bertdesk-serve-load",
                        help="where the fine-tuned model is kept between runs")
    add_run_options(parser)
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.requests, args.rounds = 4, 16, 2
        with tempfile.TemporaryDirectory() as scratch:
            model = args.model or tiny_model(Path(scratch) / "tiny-bert")
            save_results(args, compare(args, model, [text for text, _ in tiny_sentiment_texts(32)]))
        return
    from predict_speed import read_sst2, train_default

    model = args.model or train_default(args.work, args.train_texts)
    save_results(args, compare(args, model, [text for text, _ in read_sst2("dev.tsv")]))


if __name__ == "__main__":
    main()
