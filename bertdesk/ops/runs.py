"""The life of a training run after it ends: becoming the current model, being deleted."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import Optional

from bertdesk.core.errors import UserInputError
from bertdesk.core.owner import check_not_running
from bertdesk.core.types import RunId, RunKind, RunStatus
from bertdesk.ops.changes import OpChanges
from bertdesk.store import Project

CURRENT_RUN_SETTING = "current_run"  # the run whose model the Evaluate and Predict tabs use


def current_run(project: Project) -> Optional[RunId]:
    value = project.get_setting(CURRENT_RUN_SETTING)
    return RunId(int(value)) if value else None


def make_current(project: Project, run_id: Optional[RunId]) -> OpChanges:
    """Use this run's model from now on (None: no run)."""
    if run_id is not None and project.run(run_id).kind is RunKind.CROSS_VALIDATION:
        raise UserInputError(
            "Run {run_id} is a cross-validation: it keeps no model to predict with.",
            "Pick a training run.", run_id=run_id,
        )
    project.set_setting(CURRENT_RUN_SETTING, "" if run_id is None else str(int(run_id)))
    return OpChanges(current_run=True)


def run_ended(project: Project, run_id: RunId) -> OpChanges:
    """A run stopped: one that trained to the end becomes the current one."""
    if project.run(run_id).status is RunStatus.FINISHED:
        return make_current(project, run_id) | OpChanges(runs=True)
    return OpChanges(runs=True)


def check_deletable(project: Project, run_ids: Sequence[RunId], force: bool = False) -> None:
    """Refuse, before anything is deleted, a run that is unknown or still training
    (``force``: see ``check_not_running``)."""
    for run_id in run_ids:
        run = project.run(run_id)
        check_not_running(run.job, run.status, run.owner, force)


def delete_runs(project: Project, run_ids: Sequence[RunId], force: bool = False) -> OpChanges:
    """Forget the runs and their predictions and remove their model folders.

    The current run among them leaves no current run behind.
    """
    check_deletable(project, run_ids, force)
    for run_id in run_ids:
        folder = project.runs_dir / str(run_id)
        project.delete_run(run_id)
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
    changes = OpChanges(runs=True)
    if current_run(project) in run_ids:
        changes |= make_current(project, None)
    return changes
