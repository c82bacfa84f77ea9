"""The live run beside the Train tab's and the pretraining dialog's settings: its bar and speed
line as a person reads them, in both interface languages."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from bertdesk.gui.common.settings import install_translator
from bertdesk.gui.training.live_view import LiveRunView

STEP = {"step": 30, "total_steps": 120, "eta_seconds": 95.0}


@pytest.mark.parametrize(("language", "not_started", "bar", "left", "done"), [
    ("en", "Not started", "Step %v of %m (%p%)", "about 1 min 35 s left", "Done at step 30 of 120"),
    ("zh_CN", "未开始", "第 %v / %m 步（%p%）", "约剩 1 分 35 秒", "在第 30 步完成（最多 120 步）"),
])
def test_the_bar_and_the_time_left_in_each_language(
    qapp: Any, qtbot: Any, language: str, not_started: str, bar: str, left: str, done: str,
) -> None:
    install_translator(qapp, language)
    try:
        view = LiveRunView(QWidget(), log_height=80)
        qtbot.addWidget(view)
        assert view.progress.format() == not_started and view.progress.value() == 0

        view.show_step(STEP, "12.0 texts/s", time_left=True)
        assert (view.progress.minimum(), view.progress.maximum(), view.progress.value()) == (0, 120, 30)
        assert view.progress.format() == bar
        assert view.speed_label.text() == f"12.0 texts/s · {left}"
        view.show_step(STEP, "12.0 texts/s", time_left=False)  # stopping or ended: no time left
        assert view.speed_label.text() == "12.0 texts/s"

        # Patience ended the run at step 30 of its budget of 120: full, and says where it ended.
        view.show_finished()
        assert (view.progress.maximum(), view.progress.value(), view.progress.format()) == (120, 120, done)
        view.show_step({**STEP, "step": 120}, "", time_left=False)  # the whole budget: as it was
        view.show_finished()
        assert (view.progress.value(), view.progress.format()) == (120, bar)

        view.show_not_started()  # a run that ended before its first step
        assert view.progress.format() == not_started and view.progress.value() == 0
    finally:
        install_translator(qapp, "en")
