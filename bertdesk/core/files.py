"""Results written beside their destination, then renamed onto it: a cancel, an error or a
kill never leaves half a file where the user looks."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path


def staging_path(destination: Path, folder: bool = False) -> Path:
    """Create an empty file (or folder) with a hidden, unused name beside ``destination``.

    It is made as any new file is, with the permissions the user's umask gives. tempfile's
    owner-only 0600 / 0700 would go along with the rename, and an export in a shared folder
    could then not be read by anybody else (or by a server running as another user).
    """
    staged = destination.with_name(
        f".{destination.stem}.{secrets.token_hex(6)}{'' if folder else destination.suffix}"
    )
    if folder:
        staged.mkdir()
    else:
        staged.open("xb").close()
    return staged


def readable_as_new_files(folder: Path) -> None:
    """Give each file under ``folder`` the permissions a new file gets there by the user's umask.

    safetensors (0.8) writes its files owner-only (0600) whatever the umask: a model folder
    then looked readable, but a server running as another user, a teammate, or a container
    could not load its weights. Every other file of the folder was already made this way. The
    mode is read off a file made for the purpose (reading the umask means setting it, which
    another thread's new file could catch).
    """
    probe = staging_path(folder / "permissions")
    mode = probe.stat().st_mode & 0o777
    probe.unlink()
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(mode)


def link_or_copy(source: str | Path, destination: str | Path) -> None:
    """A hard link where the file system allows one, else a copy: for files bertdesk never
    writes again once saved (a model's weights), so two folders can share them."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
