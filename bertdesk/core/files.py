"""Results written beside their destination, then renamed onto it: a cancel, an error or a
kill never leaves half a file where the user looks."""

from __future__ import annotations

import secrets
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
