"""Where bertdesk keeps the models it prepares itself (apart from the Hugging Face cache)."""

from __future__ import annotations

from pathlib import Path


def model_cache_dir() -> Path:
    """Where bertdesk keeps models it prepares itself (not the Hugging Face cache): the user's
    cache folder, or ``$BERTDESK_CACHE_DIR`` (tests, portable use). Made if missing."""
    import os
    import sys

    override = os.environ.get("BERTDESK_CACHE_DIR")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "bertdesk" / "Cache"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "bertdesk"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bertdesk"
    base.mkdir(parents=True, exist_ok=True)
    return base
