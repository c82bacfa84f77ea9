"""Texts ranked by what a trained run thinks of them: where to look first.

"Likely mislabelled" puts first the texts whose given label the model finds least likely
(the highest loss): label noise floats up. "Least confident" puts first the texts the
model is least sure about, whatever their label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Optional

from bertdesk.core import CancelToken, ProgressCallback, RunId, Split, ignore_progress, subrange
from bertdesk.store import Project

RANKED_SHOWN = 200  # the top of a ranking; enough to work through in one sitting
RANKED_SPLITS = (Split.VALIDATION, Split.TRAIN)


def rank_texts(
    project: Project, run_id: RunId, score: Callable[[dict[str, Any]], float],
    splits: Sequence[Split] = RANKED_SPLITS, limit: int = RANKED_SHOWN,
    progress: ProgressCallback = ignore_progress, cancel: Optional[CancelToken] = None,
) -> list[dict[str, Any]]:
    """The evaluated texts of ``splits``, highest ``score`` first, each with its split named."""
    from bertdesk.ml.evaluation import evaluate_run

    ranked: list[dict[str, Any]] = []
    for part, split in enumerate(splits):
        report = evaluate_run(
            project, run_id, split, subrange(progress, part / len(splits), (part + 1) / len(splits)), cancel
        )
        ranked += [dict(example, split=split.value) for example in report.examples]
    ranked.sort(key=score, reverse=True)
    return ranked[:limit]


def likely_mislabelled(
    project: Project, run_id: RunId, progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> list[dict[str, Any]]:
    """Validation and training texts by the loss of their given label, highest first."""
    return rank_texts(project, run_id, lambda example: example.get("loss") or 0.0,
                      progress=progress, cancel=cancel)


def least_confident(
    project: Project, run_id: RunId, progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> list[dict[str, Any]]:
    """Validation and training texts by the model's confidence in its own guess, lowest first."""
    return rank_texts(project, run_id, lambda example: -example["confidence"],
                      progress=progress, cancel=cancel)
