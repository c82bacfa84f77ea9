"""Training in a terminal: the progress bar follows the steps, each evaluation gets a line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def console_callback(
    bar: Any, step_text: Callable[[Any], str], evaluation_text: Callable[[dict[str, Any]], str],
) -> Any:
    """A ``TrainingCallback`` (built here: its module imports torch) that drives ``bar``.

    ``step_text(event)`` leads the bar's message (the loss, as the job words it) before the
    speed and the time left; ``evaluation_text(metrics)`` follows "step N:" on a line of its own.
    The engine's other messages go to stderr; its ``TRAINING`` (the fine-tuning loop's, which the
    pretraining job's equals) starts the bar. It runs on the training thread, the main one here.
    """
    from bertdesk.ml.training import TRAINING, TrainingCallback

    class Console(TrainingCallback):
        def on_message(self, text: str) -> None:
            bar(0.0, text) if text == TRAINING else print(text, file=sys.stderr)

        def on_step(self, event: Any) -> None:
            minutes, seconds = divmod(int(event.eta_seconds), 60)
            bar(event.step / event.total_steps,
                f"{step_text(event)} · {event.samples_per_second:.0f} texts/s · {minutes}:{seconds:02d} left")

        def on_evaluate(self, event: Any) -> None:
            print(f"\n  step {event.step}: {evaluation_text(event.metrics)}", file=sys.stderr)

    return Console()
