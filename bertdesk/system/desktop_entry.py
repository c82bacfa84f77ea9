"""bertdesk in a Linux desktop's menu, with its icon, and projects that open on a double-click.

``install_desktop_entry`` puts three files where freedesktop.org desktops look, under
``$XDG_DATA_HOME`` (by default ~/.local/share):

- ``applications/bertdesk.desktop``: the launcher, its ``Exec`` line naming this very
  installation's bertdesk (a virtual environment's is rarely on the desktop's PATH);
- ``icons/hicolor/scalable/apps/bertdesk.svg``: the icon;
- ``mime/packages/bertdesk.xml``: the file type ``application/x-bertdesk-project`` for
  ``*.bertdesk``, which the launcher says it opens;

then refreshes the caches the desktop reads (``update-desktop-database``,
``update-mime-database``) where those tools are installed. ``uninstall_desktop_entry``
removes the files and refreshes again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Optional

from bertdesk.core import UserInputError
from bertdesk.core.files import staging_path

MIME_TYPE = "application/x-bertdesk-project"
DESKTOP_FILE = Path("applications") / "bertdesk.desktop"
ICON_FILE = Path("icons") / "hicolor" / "scalable" / "apps" / "bertdesk.svg"
MIME_FILE = Path("mime") / "packages" / "bertdesk.xml"
# Characters that make the Desktop Entry spec quote an argument of Exec, and those escaped inside.
EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
EXEC_ESCAPED = set('"`$\\')


@dataclass
class DesktopChanges:
    """What an install or uninstall did: the files written or removed and the caches refreshed."""

    files: list[Path] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)  # the tools that ran
    tools_missing: list[str] = field(default_factory=list)  # not installed: the desktop reads the files later


def data_home() -> Path:
    """``$XDG_DATA_HOME`` (used only when absolute, as the spec says), else ~/.local/share."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    return Path(configured) if os.path.isabs(configured) else Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The command that starts this installation of bertdesk: the bundled executable, the
    ``bertdesk`` script beside this Python (a virtual environment's), the one on PATH, or
    this Python running the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    beside = Path(sys.executable).with_name("bertdesk")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    on_path = shutil.which("bertdesk")
    if on_path is not None:
        return [str(Path(on_path).resolve())]
    return [sys.executable, "-m", "bertdesk"]


def desktop_entry_text(command: Sequence[str]) -> str:
    """The shipped launcher with its Exec line starting ``command`` on the opened file."""
    template = files("bertdesk.resources").joinpath("desktop/bertdesk.desktop").read_text(encoding="utf-8")
    exec_line = "Exec=" + " ".join(_exec_argument(argument) for argument in command) + " %f"
    lines = [exec_line if line.startswith("Exec=") else line for line in template.splitlines()]
    return "\n".join(lines) + "\n"


def _exec_argument(argument: str) -> str:
    """One argument as the Desktop Entry spec writes it in Exec: quoted where it holds a reserved
    character, ``%`` doubled, and backslashes doubled again as every value's escapes need."""
    argument = argument.replace("%", "%%")
    if any(char in EXEC_RESERVED for char in argument):
        argument = '"' + "".join("\\" + char if char in EXEC_ESCAPED else char for char in argument) + '"'
    return argument.replace("\\", "\\\\")


def install_desktop_entry(
    folder: Optional[Path] = None, command: Optional[Sequence[str]] = None
) -> DesktopChanges:
    """Install the launcher, icon and project file type under ``folder`` (default: ``data_home()``)
    for ``command`` (default: ``launcher_command()``), replacing an earlier install's files."""
    _require_linux()
    folder = folder or data_home()
    resources = files("bertdesk.resources")
    contents = {
        DESKTOP_FILE: desktop_entry_text(command or launcher_command()).encode("utf-8"),
        ICON_FILE: resources.joinpath("icons/bertdesk.svg").read_bytes(),
        MIME_FILE: resources.joinpath("desktop/bertdesk.xml").read_bytes(),
    }
    changes = DesktopChanges()
    for relative, content in contents.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = staging_path(target)
        try:
            staged.write_bytes(content)
            staged.replace(target)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        changes.files.append(target)
    _refresh_caches(folder, changes)
    return changes


def uninstall_desktop_entry(folder: Optional[Path] = None) -> DesktopChanges:
    """Remove what ``install_desktop_entry`` put under ``folder`` (default: ``data_home()``)."""
    _require_linux()
    folder = folder or data_home()
    changes = DesktopChanges()
    for relative in (DESKTOP_FILE, ICON_FILE, MIME_FILE):
        target = folder / relative
        if target.exists():
            target.unlink()
            changes.files.append(target)
    _refresh_caches(folder, changes)
    return changes


def _require_linux() -> None:
    if not sys.platform.startswith("linux"):
        raise UserInputError(
            "The desktop integration is for Linux desktops (freedesktop.org); this is {system}.",
            "On Windows and macOS, start bertdesk from the folder of the bundled app or with the bertdesk command.",
            system=sys.platform,
        )


def _refresh_caches(folder: Path, changes: DesktopChanges) -> None:
    """Rebuild the caches that desktops read instead of the files themselves; a desktop
    without the tools reads the files directly. An icon cache is rebuilt only where one
    already exists (a stale one would hide the new icon)."""
    icon_theme = folder / "icons" / "hicolor"
    commands = [
        (folder / DESKTOP_FILE.parent, ["update-desktop-database", "-q", str(folder / DESKTOP_FILE.parent)]),
        (folder / "mime", ["update-mime-database", str(folder / "mime")]),
        (icon_theme / "icon-theme.cache", ["gtk-update-icon-cache", "-q", "-t", "-f", str(icon_theme)]),
    ]
    for needed, (name, *arguments) in commands:
        if not needed.exists():
            continue
        tool = shutil.which(name)
        if tool is None:
            changes.tools_missing.append(name)
            continue
        done = subprocess.run([tool, *arguments], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise UserInputError(
                "{tool} failed: {reason}",
                "The files are in place; run {tool} again by hand, or log out and in so the desktop reads them.",
                tool=name, reason=done.stderr.strip() or f"exit status {done.returncode}",
            )
        changes.refreshed.append(name)
