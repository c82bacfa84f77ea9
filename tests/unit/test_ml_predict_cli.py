"""The predict, export-model and serve commands, run as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bertdesk.cli import main
from bertdesk.core import Split
from bertdesk.ml.predict import Predictor
from bertdesk.store import Project

TEXTS = {"good food": "positive", "great film": "positive", "awful service": "negative",
         "太难吃了": "negative", "很好吃": "positive", "bad plot": "negative"}


@pytest.fixture
def trained_project(project_path: Path, labelled_model_dir: Path) -> Path:
    """A project whose run 1 finished with the tiny model as its best folder."""
    with Project.create(project_path) as project:
        with project.bulk_writer() as writer:
            for text, label in TEXTS.items():
                writer.add(text, Split.VALIDATION, [writer.label_id(label)])
            writer.add("an unlabeled text")
        run_id = project.create_run("tiny", "tiny", {})
        shutil.copytree(labelled_model_dir, project.runs_dir / str(run_id) / "best")
        project.update_run(run_id, status="finished", finished=True)
    return project_path


def test_predict_texts_from_a_folder(labelled_model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.enable_progress_bar()  # as in a fresh process: loading must switch it off itself
    assert main(["-q", "predict", str(labelled_model_dir), "--text", "good", "--text", "很差",
                 "--device", "cpu"]) == 0
    printed = capsys.readouterr()
    assert printed.err == ""  # -q: no "Loading weights" bar from transformers either
    lines = printed.out.splitlines()
    expected = Predictor.load(labelled_model_dir, device="cpu").predict_many(["good", "很差"])
    headers = [line for line in lines if not line.startswith(" ")]
    assert headers == [p.label for p in expected]
    assert sum("%" in line for line in lines) == 4


def test_predict_store_for_a_project(trained_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "predict", str(trained_project), "--store", "--unlabeled"]) == 0
    assert "1 texts predicted with run 1" in capsys.readouterr().out
    assert main(["-q", "predict", str(trained_project), "--store"]) == 0
    with Project.open(trained_project) as project:
        assert len(project.predictions(project.runs()[0].id)) == len(TEXTS) + 1


def test_bad_sources_are_one_line_errors(
    trained_project: Path, labelled_model_dir: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cases = [
        (["predict", str(trained_project), "--run", "7", "--text", "x"], "No run 7"),
        (["predict", str(labelled_model_dir), "--run", "1", "--text", "x"], "--run needs a project"),
        (["predict", str(tmp_path / "missing"), "--text", "x"], "No project or model folder"),
        (["predict", str(labelled_model_dir), "--store"], "--store needs a project"),
        (["predict", str(labelled_model_dir), "--input", "in.csv"], "--input needs --output"),
        (["predict", str(labelled_model_dir), "--text", "good", "--text", "  "], "--text number 2 is empty"),
        (["export-model", str(trained_project), "--format", "hf", "--output",
          str(labelled_model_dir)], "not an empty folder"),
    ]
    for argv, message in cases:
        assert main(["-q", *argv]) == 2
        error = capsys.readouterr().err.strip()
        assert error.startswith("error: ") and message in error and "\n" not in error


def test_export_onnx_from_a_project(
    trained_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "exported"
    assert main(["-q", "export-model", str(trained_project), "--format", "onnx",
                 "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert "largest probability difference from PyTorch" in printed
    assert f"accuracy on {len(TEXTS)} validation texts" in printed
    assert (output / "model.onnx").is_file() and Predictor.load(output).is_onnx


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_command_answers_and_stops_on_ctrl_c(labelled_model_dir: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "bertdesk", "-q", "serve", str(labelled_model_dir),
         "--port", str(port), "--device", "cpu"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as reply:
                    assert json.load(reply)["status"] == "ok"  # with the queue's depth and bounds
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/predict", data=json.dumps({"text": "好吃"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            assert json.load(reply)["label"] in ("negative", "positive")
        server.send_signal(signal.SIGINT)
        out, _ = server.communicate(timeout=30)
        assert server.returncode == 0
        assert f"http://127.0.0.1:{port}" in out and "Stopped." in out
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()


def test_serve_on_a_port_in_use_says_so(labelled_model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bertdesk.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["-q", "serve", str(labelled_model_dir), "--port", str(port), "--device", "cpu"]) == 2
    assert f"Cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
    # An address of no network this computer is on (TEST-NET-1): the host is what to change.
    assert main(["-q", "serve", str(labelled_model_dir), "--host", "192.0.2.1", "--port", "0"]) == 2
    assert "Check --host" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["serve", str(labelled_model_dir), "--port", "99999"])
    assert "is not a port number (0 to 65535)" in capsys.readouterr().err


def test_a_prediction_over_many_labels_prints_the_likeliest_and_counts_the_rest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from types import SimpleNamespace

    from bertdesk.cli.predict_commands import SHOWN_PROBABILITIES, _print_prediction

    probabilities = {f"intent_{i:03d}": (i + 1) / 11_325 for i in range(150)}  # they add up to 1
    chosen = ["intent_149", "intent_002"]  # multi-label: a chosen label far down still shows
    _print_prediction(SimpleNamespace(probabilities=probabilities, predicted_labels=chosen, windows=1,
                                      truncated=False))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "intent_149, intent_002"
    bars = [line.split()[0] for line in lines[1:-1]]
    assert bars == [f"intent_{i:03d}" for i in range(149, 149 - SHOWN_PROBABILITIES, -1)] + ["intent_002"]
    assert lines[-1] == f"  … and 139 more labels, none above {139 / 11_325:.1%}"
