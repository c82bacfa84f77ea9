"""`bertdesk train`, `eval` and `runs` on a tiny model: what a user types and reads."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from bertdesk.cli import main
from bertdesk.core import UserInputError
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.device import DeviceInfo, cpu_threads, physical_cores, with_precision
from bertdesk.store import Project
from tests.unit.test_ml_training import labelled_project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["-q", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_train_then_eval_then_runs(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.bertdesk"
    labelled_project(path).close()
    code, out, err = run(
        capsys, "train", str(path), "--model", str(tiny_model_dir), "--preset", "quick",
        "--epochs", "4", "--lr", "3e-3", "--batch-size", "8", "--max-length", "32",
        "--truncation", "head+tail", "--seed", "3", "--train-embeddings", "--min-steps", "0", "--precision", "bf16",
    )
    assert code == 0, err
    assert "Run 1 finished" in out and "precision  recall" in out
    assert re.search(r"step \d+: validation accuracy [01]\.\d{3}, macro-F1 [01]\.\d{3}, loss \d", err), err
    with Project.open(path) as project:
        config = project.run(1).params["config"]
    assert config["truncation"] == "head+tail" and config["seed"] == 3 and config["epochs"] == 4
    assert config["min_steps"] == 0 and config["precision"] == "bf16"

    code, out, err = run(capsys, "eval", str(path), "--run", "1", "--split", "validation")
    assert code == 0, err
    assert "confusion matrix" in out
    table = out.split("confusion matrix", 1)[1].splitlines()[2:4]
    assert [line.split()[0] for line in table] == ["good", "bad"]

    code, out, _ = run(capsys, "runs", str(path))
    assert code == 0 and "finished" in out and str(tiny_model_dir) in out


def test_resuming_an_unknown_run_is_a_one_line_error(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.bertdesk"
    labelled_project(path).close()
    code, _, err = run(capsys, "train", str(path), "--model", str(tiny_model_dir), "--resume", "9")
    assert code == 2 and err.startswith("error:") and "Traceback" not in err


def test_fp16_training_without_a_gpu_is_a_one_line_error(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.bertdesk"
    labelled_project(path).close()
    code, _, err = run(capsys, "train", str(path), "--model", str(tiny_model_dir), "--device", "cpu",
                       "--precision", "fp16")
    assert code == 2 and "NVIDIA GPU" in err and "Traceback" not in err
    with Project.open(path) as project:
        assert project.runs() == []  # refused before a run was made


def test_a_missing_model_folder_fails_the_run_in_words_without_a_logged_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """The run records why; the log keeps the traceback for --debug only, so the console shows
    the message and what to do, not a stack above them."""
    path = tmp_path / "p.bertdesk"
    labelled_project(path).close()
    with caplog.at_level(logging.DEBUG, logger="bertdesk"):
        code, _, err = run(capsys, "train", str(path), "--model", str(tmp_path / "no-such-model"))
    assert code != 0 and "no-such-model" in err
    failures = [record for record in caplog.records if "failed" in record.getMessage()]
    assert failures and all(record.levelno == logging.DEBUG and record.exc_info for record in failures)
    with Project.open(path) as project:
        [failed] = project.runs()
        assert failed.status == "failed" and "no-such-model" in (failed.error or "")


def test_a_gpu_asked_for_by_name_that_is_not_there_is_refused_before_a_run(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It used to train on the CPU instead, without a word: hours for a job meant for a GPU."""
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    path = tmp_path / "p.bertdesk"
    labelled_project(path).close()
    code, _, err = run(capsys, "train", str(path), "--model", str(tiny_model_dir), "--device", "cuda")
    assert code == 2 and "No CUDA GPU" in err and "cpu" in err
    code, _, err = run(capsys, "predict", str(tiny_model_dir), "--text", "good", "--device", "cuda")
    assert code == 2 and "No CUDA GPU" in err
    with Project.open(path) as project:
        assert project.runs() == []


def test_precision_choice() -> None:
    cpu = DeviceInfo("cpu", "x86_64", None, 2, "bf16")
    assert with_precision(cpu, "auto") is cpu
    assert with_precision(cpu, "fp32").precision == "fp32"
    with pytest.raises(UserInputError, match="NVIDIA"):
        with_precision(cpu, "fp16")
    with pytest.raises(UserInputError, match="precision"):
        TrainConfig.from_preset("quick", precision="fp8")


@pytest.mark.parametrize(("setting", "expected"), [("1", 1), ("3", 3), ("", None), ("0", None), ("many", None)])
def test_cpu_threads_follow_omp_num_threads_where_it_is_a_count(
    monkeypatch: pytest.MonkeyPatch, setting: str, expected: int | None
) -> None:
    # torchrun sets 1 for each process; two trainings side by side can each be given a share.
    monkeypatch.setenv("OMP_NUM_THREADS", setting)
    assert cpu_threads() == (physical_cores() if expected is None else expected)


def test_a_reader_that_leaves_early_does_not_fail_the_run(tmp_path: Path) -> None:
    """`bertdesk train P | head -1`: the lines printed after head exits hit a closed pipe."""
    import subprocess
    import sys

    labelled_project(tmp_path / "p.bertdesk").close()
    child = subprocess.Popen(
        [sys.executable, "-m", "bertdesk", "-q", "train", str(tmp_path / "p.bertdesk"), "--model", "fast"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert child.stdout is not None
    child.stdout.readline()
    child.stdout.close()  # the reader leaves; the run goes on printing
    assert child.wait(timeout=300) == 0  # a guard against a hang, not a timing
    with Project.open(tmp_path / "p.bertdesk") as reopened:
        assert [run.status for run in reopened.runs()] == ["finished"]


def test_a_table_of_labels_shorter_than_its_heading_keeps_its_columns_apart(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bertdesk.cli.ml_commands import _print_metrics

    scores = {"precision": 1.0, "recall": 0.5, "f1": 0.667, "support": 2}
    _print_metrics({"accuracy": 0.75, "macro_f1": 0.8, "weighted_f1": 0.8,
                    "per_class": [{"label": "0", **scores}, {"label": "好", **scores}]})
    heading, first, second = capsys.readouterr().out.splitlines()[1:4]
    assert heading.split() == ["label", "precision", "recall", "F1", "support"]
    assert first.split()[0] == "0" and second.split()[0] == "好"
    assert first.index("1.000") == second.index("1.000") + 1  # "好" is one character in two cells
