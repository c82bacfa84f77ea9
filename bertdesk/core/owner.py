"""Which process does a long job, so that a job whose process died is told from one still at work.

A run is recorded as running when it starts and as finished, stopped or failed when it ends;
a process that is killed, crashes or loses its power never writes the end. Its record then
said "running" for ever: the run could be neither deleted ("stop it first") nor resumed. The
record keeps its owner (host, process id and the process's start time, as a process id is
reused), and a reader on the same host sees whether that process still lives. A job owned
by another computer (a project on a shared drive), or recorded by a bertdesk that kept no
owners, is taken to be running: nothing here can tell. The user can, and may delete it
anyway (``check_not_running``'s ``force``).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from typing import Any

from bertdesk.core.errors import Sentence, UserInputError
from bertdesk.core.types import RunStatus

# What a job whose process ended without a word reads as: stopped, with this reason.
INTERRUPTED = Sentence("The program stopped while this ran (it was closed, killed or crashed). "
                       "Resume it if it saved a checkpoint, or delete it.")
UNSURE = "{job} is recorded as running, and this computer cannot tell whether it still is. {reason}"
# psutil rounds start times differently on some platforms; a reused pid starts seconds later.
START_TIME_TOLERANCE_S = 1.0


def this_process() -> dict[str, Any]:
    """The owner record of the calling process."""
    import psutil

    return {"host": socket.gethostname(), "pid": os.getpid(), "started": psutil.Process().create_time()}


def has_ended(owner: Mapping[str, Any] | None) -> bool:
    """Whether the owning process is known to be gone: False where it lives, or cannot be told."""
    import psutil

    if not owner or owner.get("host") != socket.gethostname():
        return False
    try:
        process = psutil.Process(int(owner["pid"]))
        if process.status() == psutil.STATUS_ZOMBIE:  # killed, not yet reaped by its parent
            return True
        return abs(process.create_time() - float(owner["started"])) > START_TIME_TOLERANCE_S
    except psutil.NoSuchProcess:
        return True
    except (psutil.Error, KeyError, TypeError, ValueError):
        return False


def status_seen_here(
    status: RunStatus, error: str | None, owner: Mapping[str, Any] | None,
) -> tuple[RunStatus, str | None]:
    """A job's recorded status and error as they read here: one recorded as running whose
    process has ended without writing how is stopped, and can be resumed or deleted."""
    if status is RunStatus.RUNNING and has_ended(owner):
        return RunStatus.CANCELLED, INTERRUPTED
    return status, error


def doubt(owner: Mapping[str, Any] | None) -> Sentence | None:
    """Why this computer cannot tell whether the owning process still lives; None where it can."""
    if not owner:
        return Sentence("It was started by an older bertdesk, which did not record the program that ran it.")
    if owner.get("host") != socket.gethostname():
        return Sentence("It was started on the computer {host}.", host=str(owner.get("host")))
    return None


def unsure(job: Sentence, status: RunStatus, owner: Mapping[str, Any] | None) -> Sentence | None:
    """That ``job`` ("Run 3") is recorded as running by a process this computer cannot check,
    and why; None where it is not running, or this computer can tell."""
    reason = doubt(owner) if status is RunStatus.RUNNING else None
    return None if reason is None else Sentence(UNSURE, job=job, reason=reason)


def check_not_running(job: Sentence, status: RunStatus, owner: Mapping[str, Any] | None, force: bool) -> None:
    """Refuse to delete a running ``job``; with ``force``, one whose process this computer
    cannot check is deleted anyway, as the user has said that nothing runs it any more."""
    question = unsure(job, status, owner)
    if status is RunStatus.RUNNING and question is None:
        raise UserInputError("{job} is still running.", "Stop it first, or wait for it to end.", job=job)
    if question is not None and not force:
        raise UserInputError(UNSURE, "If no bertdesk runs it any more (its window was closed, or its computer "
                             "restarted), delete it with --force.", **question.values)
