"""Plain types shared by every layer: ids, splits, cancel tokens, progress and errors.

Imports nothing else of bertdesk and nothing heavy, so every layer may use it.
"""

from bertdesk.core.cancel import CancelToken, Cancelled
from bertdesk.core.errors import BertdeskError, ProjectBusyError, Sentence, UserInputError, log_failure
from bertdesk.core.progress import ProgressCallback, ignore_progress, subrange
from bertdesk.core.types import ExampleId, LabelId, RunId, RunKind, RunStatus, Split

__all__ = [
    "BertdeskError",
    "CancelToken",
    "Cancelled",
    "ExampleId",
    "LabelId",
    "ProgressCallback",
    "ProjectBusyError",
    "RunId",
    "RunKind",
    "RunStatus",
    "Sentence",
    "Split",
    "UserInputError",
    "ignore_progress",
    "log_failure",
    "subrange",
]
