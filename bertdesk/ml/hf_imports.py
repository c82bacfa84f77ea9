"""transformers imported once, one thread at a time, before any thread uses its classes.

transformers loads its classes lazily. When two threads make that first import at once (the
app's workers do: the Train tab's device check, the coverage check and a run's model load),
CPython's import-deadlock avoidance can hand one of them a half-initialised module, and it
fails with "cannot import name 'AutoTokenizer' from 'transformers'". Every place that imports
transformers calls ``load_transformers()`` first.
"""

from __future__ import annotations

import threading
from types import ModuleType

_lock = threading.Lock()
_module: ModuleType | None = None


def load_transformers() -> ModuleType:
    """The transformers package with the auto classes bertdesk uses fully imported."""
    global _module
    with _lock:
        if _module is None:
            import transformers

            for name in ("AutoConfig", "AutoTokenizer", "AutoModelForSequenceClassification"):
                getattr(transformers, name)  # the lazy import of each, here, under the lock
            _module = transformers
        return _module
