"""The headless command line: every command is a thin layer over the core library.

Command groups live in their own modules, each with ``register(subparsers)`` that adds its
sub-commands and sets ``func`` on them; ``func(args, ctx)`` returns an exit code.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, Optional

from bertdesk import __version__
from bertdesk.cli import (
    analysis_commands,
    ensemble_commands,
    ml_commands,
    predict_commands,
    pretrain_commands,
    project_commands,
    suggest_commands,
    system_commands,
)
from bertdesk.core import BertdeskError, CancelToken, Cancelled, UserInputError

EXIT_ERROR = 2
EXIT_CANCELLED = 130
COMMAND_MODULES = (  # in the order --help lists them
    project_commands, suggest_commands, ml_commands, pretrain_commands, analysis_commands, ensemble_commands,
    predict_commands, system_commands,
)


class CommandContext:
    """What every command gets: a cancel token that Ctrl-C sets, and a progress-bar factory."""

    def __init__(self, quiet: bool = False) -> None:
        self.cancel = CancelToken()
        self.quiet = quiet

    def confirm(self, change: str, assume_yes: bool) -> bool:
        """Whether to make ``change``, which takes labels off texts: --yes, or "y" typed at
        the terminal. A script has no terminal to ask at, so there it needs --yes."""
        if assume_yes:
            return True
        if not sys.stdin.isatty():
            raise UserInputError(
                f"{change} Nothing was changed.", "Add --yes to go ahead (there is no terminal here to ask at)."
            )
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C: no
        try:
            answer = input(f"{change} Go on? [y/N] ")
        except EOFError:
            answer = ""
        finally:
            signal.signal(signal.SIGINT, previous)
        return answer.strip().lower() in ("y", "yes")

    @contextmanager
    def progress_bar(self, description: str, unit: str = "%") -> Iterator["ProgressBar"]:
        bar = ProgressBar(description, disabled=self.quiet)
        try:
            yield bar
        finally:
            bar.close()


class ProgressBar:
    """A tqdm bar driven by the core's (fraction, message) progress callbacks.

    It is drawn at the first progress report, so that a command refused before its work
    starts (a wrong file type, say) prints its error without an empty bar above it.
    """

    def __init__(self, description: str, disabled: bool = False) -> None:
        self._description = description
        self._disabled = disabled
        self._bar: Any = None
        self._done = 0

    def __call__(self, fraction: float, message: str = "") -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=1000, desc=self._description, disable=self._disabled, file=sys.stderr,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining} {postfix}",
            )
        if message:  # before the update, which draws the line: it shows this message
            self._bar.set_postfix_str(message, refresh=False)
        target = int(min(max(fraction, 0.0), 1.0) * 1000)
        if target > self._done:
            self._bar.update(target - self._done)
            self._done = target

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bertdesk",
        description=(
            "Label texts, fine-tune a BERT classifier and test it. Run without a command to "
            "open the desktop app; the commands below do the same work headless."
        ),
    )
    parser.add_argument("--version", action="version", version=f"bertdesk {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


class _ReaderMayLeave:
    """stdout or stderr that outlives its reader: with ``bertdesk train P | head`` the pipe
    closes after a few lines, and the next line printed raised BrokenPipeError inside the run,
    which then failed. Once the reader is gone, what is printed goes to /dev/null."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            self._to_devnull()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._to_devnull()

    def _to_devnull(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())  # what is still buffered is flushed there too
        os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: Optional[list[str]] = None) -> int:
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _ReaderMayLeave(sys.stdout), _ReaderMayLeave(sys.stderr)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv: Optional[list[str]]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_ERROR
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING)
    ctx = CommandContext(quiet=args.quiet)

    def on_interrupt(_signum: int, _frame: Optional[FrameType]) -> None:
        if ctx.cancel.cancelled:
            raise KeyboardInterrupt
        print("\nCancelling… (press Ctrl-C again to stop at once)", file=sys.stderr)
        ctx.cancel.cancel()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        return int(args.func(args, ctx) or 0)
    except (Cancelled, KeyboardInterrupt):
        print("Cancelled: nothing was changed by the interrupted step.", file=sys.stderr)
        return EXIT_CANCELLED
    except BertdeskError as error:
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        signal.signal(signal.SIGINT, previous)
