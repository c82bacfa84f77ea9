"""transformers imported once, one thread at a time, before any thread uses its classes.

transformers loads its classes lazily. When two threads make that first import at once (the
app's workers do: the Train tab's device check, the coverage check and a run's model load),
CPython's import-deadlock avoidance can hand one of them a half-initialised module, and it
fails with "cannot import name 'AutoTokenizer' from 'transformers'". Every place that imports
transformers calls ``load_transformers()`` first.

It also turns off transformers' thread pool for loading weights (``HF_DEACTIVATE_ASYNC_LOAD``,
unless the user set it): bertdesk already loads on worker threads beside the GUI thread, and a
pool started inside each load added threads for no gain (warm, all-MiniLM-L6-v2 loads in 0.02 s
either way, multilingual-e5-small in 0.3-0.9 s with the pool and 0.3-0.5 s without). The
crashes once blamed on the pool came from Python's garbage collector running on a loading
worker: the app now collects on its GUI thread (``gui.common.jobs.garbage_collected_on_gui_thread``).
"""

from __future__ import annotations

import os
import threading
from types import ModuleType

_lock = threading.Lock()
_module: ModuleType | None = None


def load_transformers() -> ModuleType:
    """The transformers package with the auto classes bertdesk uses fully imported."""
    global _module
    with _lock:
        if _module is None:
            os.environ.setdefault("HF_DEACTIVATE_ASYNC_LOAD", "1")
            import transformers

            for name in ("AutoConfig", "AutoTokenizer", "AutoModelForSequenceClassification"):
                getattr(transformers, name)  # the lazy import of each, here, under the lock
            _module = transformers
        return _module
