"""``bertdesk`` alone opens the desktop app; ``bertdesk COMMAND …`` runs the headless CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and not (len(args) == 1 and args[0].endswith(".bertdesk")):
        from bertdesk.cli import main as cli_main

        return cli_main(args)
    from bertdesk.gui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # in a frozen app, the suggestion process (spawn) starts here
    sys.exit(main())
