"""Options that several commands share, worded once."""

from __future__ import annotations

import argparse


def add_yes_option(parser: argparse.ArgumentParser) -> None:
    """``--yes``: for a command that asks before it changes what cannot be undone."""
    parser.add_argument("--yes", action="store_true", help="do it without asking (needed where no terminal can ask)")


def add_force_option(parser: argparse.ArgumentParser, jobs: str) -> None:
    """``--force``: for a delete that would refuse ``jobs`` recorded as running elsewhere
    (bertdesk.core.owner.check_not_running)."""
    parser.add_argument(
        "--force", action="store_true",
        help=f"also delete {jobs} recorded as running that this computer cannot check (started on "
        "another computer, or by an older bertdesk): only once you know nothing runs them any more",
    )
