"""Commands about this computer rather than a project: ``doctor``, ``install-desktop`` and
``uninstall-desktop``."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bertdesk.cli.text_columns import ljust
from bertdesk.core import UserInputError
from bertdesk.core.text_width import display_width

EXIT_PROBLEMS = 1  # doctor: at least one check found a problem


def register(subparsers: Any) -> None:
    doctor = subparsers.add_parser(
        "doctor",
        help="check what this computer can do for bertdesk, and what to fix",
        description=(
            "Check Python, PyTorch and its build (CPU, CUDA, MPS), the GPU (memory, bf16), the CPU's "
            "threads and instruction sets (AVX-512, AMX), Qt's platform plugin, a font with Chinese "
            "characters, the built-in models, the Hugging Face cache and free disk space; each "
            "problem with what to do. Exits with 1 when a check finds a problem."
        ),
    )
    doctor.add_argument("project", type=Path, nargs="?",
                        help="a project file: its disk's free space is checked (default: this folder's)")
    doctor.add_argument("--json", action="store_true", help="print the checks and the facts as JSON")
    doctor.set_defaults(func=run_doctor)

    install = subparsers.add_parser(
        "install-desktop",
        help="add bertdesk to the Linux desktop's menu, and open .bertdesk files with it",
        description=(
            "Install the launcher (.desktop file), the icon and the file type of projects "
            "(application/x-bertdesk-project for *.bertdesk) into $XDG_DATA_HOME "
            "(default ~/.local/share), for this user, so that a double-click on a project opens it."
        ),
    )
    install.set_defaults(func=run_install_desktop)
    uninstall = subparsers.add_parser(
        "uninstall-desktop", help="remove what install-desktop added",
        description="Remove the launcher, the icon and the file type that install-desktop added.",
    )
    uninstall.set_defaults(func=run_uninstall_desktop)


def run_doctor(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.system.doctor import Status, diagnose, probe_machine

    folder = None
    if args.project is not None:
        if not args.project.exists():
            raise UserInputError("{path} does not exist.", "Give a project file, or no argument.", path=args.project)
        folder = args.project if args.project.is_dir() else args.project.parent
    facts = probe_machine(folder)
    checks = diagnose(facts)
    if args.json:
        print(json.dumps({"checks": [{"topic": check.topic, "status": check.status.value, "found": check.found,
                                      "what_to_do": check.what_to_do} for check in checks],
                          "facts": asdict(facts)}, indent=2, ensure_ascii=False, default=_json_value))
    else:
        width = max(display_width(check.topic) for check in checks)
        for check in checks:
            print(f"{check.status.value:<8} {ljust(check.topic, width)}  {check.found}")
            if check.what_to_do:
                print(f"{'':<8} {ljust('', width)}  -> {check.what_to_do}")
    problems = sum(check.status is Status.PROBLEM for check in checks)
    if not args.json:
        print(f"\n{problems} problem(s)." if problems else "\nNo problems found.")
    return EXIT_PROBLEMS if problems else 0


def run_install_desktop(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.system.desktop_entry import install_desktop_entry

    changes = install_desktop_entry()
    for path in changes.files:
        print(f"wrote {path}")
    _print_caches(changes.refreshed, changes.tools_missing)
    print("bertdesk is in the applications menu; a double-click on a .bertdesk file opens it.")
    return 0


def run_uninstall_desktop(args: argparse.Namespace, ctx: Any) -> int:
    from bertdesk.system.desktop_entry import uninstall_desktop_entry

    changes = uninstall_desktop_entry()
    for path in changes.files:
        print(f"removed {path}")
    if not changes.files:
        print("Nothing to remove: the desktop integration was not installed here.")
    _print_caches(changes.refreshed, changes.tools_missing)
    return 0


def _json_value(value: Any) -> Any:
    """What JSON lacks: sets as sorted lists; paths and errors as their text."""
    return sorted(value) if isinstance(value, (set, frozenset)) else str(value)


def _print_caches(refreshed: list[str], missing: list[str]) -> None:
    if refreshed:
        print(f"refreshed the desktop's caches with {', '.join(refreshed)}")
    if missing:
        print(f"not installed: {', '.join(missing)} (the desktop reads the files at the next login)")
