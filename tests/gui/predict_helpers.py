"""Shared set-up of the prediction tests: a project whose finished run is the tiny model."""

from __future__ import annotations

import shutil
from pathlib import Path

from bertdesk.core import RunId
from bertdesk.store import Project


def project_with_run(project: Project, model_dir: Path) -> RunId:
    """Give ``project`` the labels of the tiny labelled model and a finished run holding it."""
    for name in ("negative", "positive"):
        project.add_label(name)
    run_id = project.create_run("tiny", "tiny", {})
    shutil.copytree(model_dir, project.runs_dir / str(run_id) / "best")
    project.update_run(run_id, status="finished", finished=True)
    return run_id
