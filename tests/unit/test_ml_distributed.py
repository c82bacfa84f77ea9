"""`bertdesk train` under torchrun: two CPU processes (gloo) train one model; only rank 0 writes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from bertdesk.store import Project
from tests.unit.test_ml_training import labelled_project, overconfident_project

RANK_SCRIPT = """
import json, os, sys, time
import torch.distributed as dist
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.models import train_model
from bertdesk.store import Project
project = Project.open(sys.argv[1])
if os.environ["RANK"] == "1":  # rank 1 reads the project late: after rank 0 set texts aside
    read = project.labelled_examples
    def late_read(*args, **kwargs):
        time.sleep(3)
        return read(*args, **kwargs)
    project.labelled_examples = late_read
config = TrainConfig.from_preset("quick", model=sys.argv[2], epochs=float(sys.argv[3]), learning_rate=3e-3,
    batch_size=4, max_length=32, evaluations_per_epoch=1, early_stopping_patience=None,
    train_word_embeddings=True, min_steps=0)
result = train_model(project, config)  # as `bertdesk train` does: the baseline after the run
rank = int(os.environ["RANK"])
# One file per rank: two processes printing to one pipe can interleave their lines.
with open(f"result-{rank}.json", "w") as out:
    json.dump({"rank": rank, "status": result.status, "loss": result.metrics.get("loss"),
               "weights": result.weights_fingerprint, "still_in_group": dist.is_initialized()}, out)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def train_on_two_ranks(project: Path, model: Path, epochs: float) -> list[dict[str, object]]:
    """RANK_SCRIPT under torchrun with two CPU processes; each rank's result, after checking
    that both finished with the very same weights, hence the same validation loss."""
    script = project.parent / "rank.py"
    script.write_text(RANK_SCRIPT)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2",
         "--master_addr=127.0.0.1", f"--master_port={free_port()}",
         str(script), str(project), str(model), str(epochs)],
        capture_output=True, text=True, timeout=900, env=env, cwd=project.parent,  # a guard against a hang, not a timing
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = [json.loads((project.parent / f"result-{rank}.json").read_text()) for rank in (0, 1)]
    assert sorted(r["rank"] for r in results) == [0, 1]
    assert all(r["status"] == "finished" for r in results)
    assert results[0]["weights"] is not None and results[0]["weights"] == results[1]["weights"]
    assert results[0]["loss"] == results[1]["loss"]
    return results


def test_two_process_ddp_ranks_agree_and_only_rank0_writes(tmp_path: Path, tiny_model_dir: Path) -> None:
    labelled_project(tmp_path / "ddp.bertdesk").close()
    results = train_on_two_ranks(tmp_path / "ddp.bertdesk", tiny_model_dir, epochs=2)
    # Each rank left the group when its run ended: one that exits still in it can abort.
    assert not any(r["still_in_group"] for r in results)
    with Project.open(tmp_path / "ddp.bertdesk") as reopened:
        runs = reopened.runs()
        assert len(runs) == 1 and runs[0].status == "finished"
        assert runs[0].params["world_size"] == 2
        assert runs[0].metrics["baseline"]["family"] == "fast"  # fitted by rank 0 alone
        assert [p.name for p in reopened.runs_dir.iterdir()] == [str(runs[0].id)]


def test_under_torchrun_both_ranks_calibrate_alike_and_rank0_keeps_the_calibrated_model(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    """Each rank fits the temperature on all validation texts and scales its own copy of the
    model: the weights stay identical across ranks, and the folder rank 0 saves predicts the
    calibrated probabilities it stored."""
    import numpy as np

    from bertdesk.core import Split
    from bertdesk.ml.models import load_predictor

    overconfident_project(tmp_path / "calibrated.bertdesk").close()
    train_on_two_ranks(tmp_path / "calibrated.bertdesk", tiny_model_dir, epochs=8)
    with Project.open(tmp_path / "calibrated.bertdesk") as reopened:
        run = reopened.runs()[0]
        calibration = run.params["calibration"]
        assert calibration["temperature"] > 1 and run.params["world_size"] == 2
        assert run.metrics["loss"] < calibration["validation_loss_before"]
        validation = reopened.labelled_examples([Split.VALIDATION])
        stored = {row.example_id: row.probs for row in reopened.predictions(run.id)}
        folder = reopened.runs_dir / str(run.id) / "best"
    probs = load_predictor(folder).predict_proba([text for _, text, _, _ in validation])
    assert np.allclose(probs, [stored[example_id] for example_id, _, _, _ in validation], atol=1e-4)


def test_the_fast_model_under_torchrun_is_fitted_once_by_rank0(tmp_path: Path) -> None:
    labelled_project(tmp_path / "fast.bertdesk").close()
    completed = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2",
         "--master_addr=127.0.0.1", f"--master_port={free_port()}",
         "-m", "bertdesk", "-q", "train", str(tmp_path / "fast.bertdesk"), "--model", "fast"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    with Project.open(tmp_path / "fast.bertdesk") as reopened:
        assert [(run.base_model, run.status) for run in reopened.runs()] == [("fast", "finished")]


def test_every_rank_gets_an_equal_disjoint_share_of_the_batches() -> None:
    from bertdesk.ml.distributed import shard_batches

    batches = [[i] for i in range(7)]
    shares = [shard_batches(batches, rank, 2) for rank in range(2)]
    assert shares == [[[0], [2], [4]], [[1], [3], [5]]]
    assert shard_batches(batches, 0, 1) == batches
