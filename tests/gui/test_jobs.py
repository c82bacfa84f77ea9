"""Background jobs: what a failure leaves in the log."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bertdesk.core import UserInputError
from bertdesk.gui.common.jobs import BackgroundJob


@pytest.mark.parametrize("error, level", [
    (UserInputError("Line {line} has two labels.", "Choose one.", line=3), logging.DEBUG),  # the user's to fix
    (RuntimeError("a bug"), logging.ERROR),
])
def test_a_failed_job_logs_a_traceback_only_for_a_bug(qtbot: Any, caplog: Any, error: Exception, level: int) -> None:
    def fail(_progress: Any, _cancel: Any) -> None:
        raise error

    caplog.set_level(logging.DEBUG, logger="bertdesk.gui.common.jobs")
    job = BackgroundJob("check", fail)
    with qtbot.waitSignal(job.failed, timeout=10_000) as failed:
        job.start()
    assert failed.args == [error]
    assert [(record.levelno, record.exc_info is not None) for record in caplog.records] == [(level, True)]
