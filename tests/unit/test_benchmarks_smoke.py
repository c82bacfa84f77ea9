"""Every benchmark runs on a fresh install: each script under benchmarks/ is started with
``--smoke`` (a tiny input, one step, a tiny random model) and must exit 0 and write its JSON
record. A benchmark added without ``--smoke``, or one that needs a package no extra installs,
fails here instead of for a reader of the README. Its figures are not looked at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

BENCHMARKS = REPO_ROOT / "benchmarks"
SHARED_MODULE = "bench_common.py"  # imported by the scripts, not one itself
SCRIPTS = sorted(path.name for path in BENCHMARKS.glob("*.py") if path.name != SHARED_MODULE)
SMOKE_SECONDS = 300


@dataclass
class SmokeRun:
    process: subprocess.Popen[bytes]
    output: Path  # stdout and stderr
    record: Path  # the JSON the run writes


@pytest.fixture(scope="module")
def smoke_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SmokeRun]]:
    """Every smoke run, all started at once: each is mostly the start-up of Python and torch,
    so on two cores together they take about half as long as one after another."""
    folder = tmp_path_factory.mktemp("benchmarks")
    home = folder / "home"  # the runs' own settings and data folders, as isolated_config gives a test
    environment = {**os.environ, "BERTDESK_CONFIG_DIR": str(home / "config"),
                   "BERTDESK_DATA_DIR": str(home / "data"), "XDG_CONFIG_HOME": str(home / "xdg-config"),
                   "XDG_DATA_HOME": str(home / "xdg-data"),
                   # one thread each: several runs share the cores, and busy-waiting threads of
                   # one run would take them from the others
                   "OMP_NUM_THREADS": "1"}
    runs = {}
    for script in SCRIPTS:
        output, record = folder / f"{script}.log", folder / f"{script}.json"
        with output.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, str(BENCHMARKS / script), "--smoke", "--json", str(record)],
                cwd=folder, env=environment, stdout=log, stderr=subprocess.STDOUT,
            )
        runs[script] = SmokeRun(process, output, record)
    yield runs
    for run in runs.values():
        if run.process.poll() is None:  # a test failed before its run ended
            run.process.kill()
            run.process.wait()


def test_every_benchmark_is_found() -> None:
    assert {"train_speed.py", "predict_speed.py", "import_speed.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_smoke_run(script: str, smoke_runs: dict[str, SmokeRun]) -> None:
    run = smoke_runs[script]
    returncode = run.process.wait(timeout=SMOKE_SECONDS)
    output = run.output.read_text(encoding="utf-8", errors="replace")
    assert returncode == 0, f"{script} --smoke failed:\n{output[-5000:]}"
    written = json.loads(run.record.read_text(encoding="utf-8"))
    assert written["benchmark"] == script.removesuffix(".py")
    assert written["smoke"] is True
    assert written["results"]
