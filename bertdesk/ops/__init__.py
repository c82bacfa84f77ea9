"""User operations over a project, the same for the app and the command line.

Each is a plain function of the project that makes one change and returns what changed
(``OpChanges``, or ``OpResult`` with an answer besides), so every front end refreshes the
same way: the GUI's session refreshes the views it names, the CLI prints. No Qt here.
"""

from bertdesk.ops.changes import NOTHING_CHANGED, OpChanges, OpResult, changes_of
from bertdesk.ops.labeling import (
    HISTORY_LENGTH,
    LABEL_SET_CHANGED,
    LabelAction,
    LabelHistory,
    add_label,
    clear_labels,
    delete_label,
    label_texts,
    merge_labels,
    relabel,
    reorder_labels,
    set_labels,
    update_label,
)
from bertdesk.ops.ranking import least_confident, likely_mislabelled, rank_texts
from bertdesk.ops.review import (
    LabelErrorReport,
    LikelyLabelError,
    fix_label,
    keep_label,
    likely_label_errors,
)
from bertdesk.ops.runs import (
    CURRENT_RUN_SETTING,
    check_deletable,
    current_run,
    delete_runs,
    make_current,
    run_ended,
)
from bertdesk.ops.splits import make_splits, move_to_split
from bertdesk.ops.suggestions import (
    QueueItem,
    QueueOrder,
    accept_suggestions,
    clear_suggestions,
    labelling_queue,
)
from bertdesk.store.history import HistoryStep

__all__ = [
    "CURRENT_RUN_SETTING",
    "HISTORY_LENGTH",
    "LABEL_SET_CHANGED",
    "HistoryStep",
    "LabelAction",
    "LabelErrorReport",
    "LabelHistory",
    "LikelyLabelError",
    "NOTHING_CHANGED",
    "OpChanges",
    "OpResult",
    "QueueItem",
    "QueueOrder",
    "accept_suggestions",
    "add_label",
    "changes_of",
    "check_deletable",
    "clear_labels",
    "clear_suggestions",
    "current_run",
    "delete_label",
    "delete_runs",
    "fix_label",
    "keep_label",
    "label_texts",
    "labelling_queue",
    "least_confident",
    "likely_label_errors",
    "likely_mislabelled",
    "make_current",
    "make_splits",
    "move_to_split",
    "merge_labels",
    "rank_texts",
    "relabel",
    "reorder_labels",
    "run_ended",
    "set_labels",
    "update_label",
]
