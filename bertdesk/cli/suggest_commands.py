"""``bertdesk suggest``: a queue of texts to label elsewhere, in the order a model picks.

A thin layer over ``ml.suggest`` (the suggestions) and ``ops.suggestions`` (the queue).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bertdesk.store import Project

ORDER_HELP = {
    "uncertain": "unlabelled texts, the least confident suggestion (smallest margin) first",
    "entropy": "unlabelled texts, the most uncertain by entropy first (for many labels)",
    "random": "unlabelled texts in a random order (--seed)",
    "disagree": "labelled texts whose suggestion is another label, the most confident first",
}


def register(subparsers: Any) -> None:
    suggest = subparsers.add_parser(
        "suggest",
        help="write a queue of texts to label, least confident first",
        description=(
            "Compute every text's suggested label (the fast model trained on your labels "
            "outside the test split, or a run's stored predictions with --source RUN) and "
            "write a queue of texts to label to the --output file (.csv, .jsonl, .xlsx): the "
            "columns text, label (empty: fill it in), suggestion and confidence. Import it back with "
            "'bertdesk import PROJECT FILE --label-col label': the texts without a label get "
            "the ones you wrote. Suggestions are never labels until accepted."
        ),
    )
    suggest.add_argument("project", type=Path, help="the project file")
    suggest.add_argument("--order", choices=list(ORDER_HELP), default="uncertain",
                         help="; ".join(f"{name}: {text}" for name, text in ORDER_HELP.items()))
    suggest.add_argument("--limit", type=int, default=100, help="texts in the queue (100)")
    suggest.add_argument("--output", type=Path, required=True, help="the queue file to write")
    suggest.add_argument("--source", default="fast",
                         help="'fast' (default: the fast model, retrained on your labels now) "
                         "or a run id whose stored predictions suggest")
    suggest.add_argument("--seed", type=int, default=0, help="random seed of --order random (0)")
    suggest.set_defaults(func=run_suggest)


def run_suggest(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.core import UserInputError
    from bertdesk.ml.suggest import SuggestionSource, refresh_suggestions
    from bertdesk.ops.suggestions import QueueOrder, labelling_queue, write_labelling_queue

    if args.limit < 1:
        raise UserInputError("--limit must be at least 1.", "For example --limit 100.")
    source = SuggestionSource.parse(args.source)
    order = QueueOrder(args.order)
    with Project.open(args.project) as project:
        with ctx.progress_bar("Suggesting labels") as bar:
            state = refresh_suggestions(project, source, progress=bar, cancel=ctx.cancel)
        items = labelling_queue(project, order, args.limit, args.seed)
        written = write_labelling_queue(args.output, items, with_current_labels=order is QueueOrder.DISAGREE)
    learned = (f"the fast model, trained on {state.labelled:,} labelled texts" if state.run_id is None
               else f"run {state.run_id}'s stored predictions")
    print(f"Wrote {written:,} texts to {args.output} ({ORDER_HELP[order.value]}; suggestions from {learned}).")
    if written:
        print(f"Fill in the label column, then: bertdesk import {args.project} {args.output} --label-col label")
    return 0
