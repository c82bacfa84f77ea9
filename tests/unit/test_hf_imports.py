"""transformers' first import from several threads at once: the app's workers do exactly that."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Three workers start together in a fresh process, as the Train tab's device check, coverage
# check and a run's model load do. Without one import at a time, 5 of 6 such processes failed
# with "cannot import name 'AutoTokenizer' from 'transformers'".
RACING_THREADS = """
import threading
from bertdesk.ml.hf_imports import load_transformers

errors = []
start = threading.Barrier(3)

def model():
    start.wait()
    load_transformers()
    from transformers import AutoModelForSequenceClassification

def tokenizer():
    start.wait()
    load_transformers()
    from transformers import AutoConfig, AutoTokenizer

def torch():
    start.wait()
    import torch

def run(work):
    try:
        work()
    except Exception as error:
        errors.append(repr(error))

threads = [threading.Thread(target=run, args=(work,)) for work in (model, tokenizer, torch)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(errors or "ok")
"""


def test_threads_that_import_transformers_at_once_all_get_its_classes() -> None:
    """Four such processes at once: without the lock, about half of them fail each time."""
    processes = [subprocess.Popen([sys.executable, "-c", RACING_THREADS], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        assert out.strip() == "ok", out


def test_a_model_loads_without_a_thread_pool_of_its_own(
    tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """bertdesk loads on worker threads already: transformers' pool for loading weights stays off."""
    from concurrent.futures import ThreadPoolExecutor

    from bertdesk.ml.hf_imports import load_transformers

    monkeypatch.delenv("HF_DEACTIVATE_ASYNC_LOAD", raising=False)  # as on a user's machine
    monkeypatch.setattr("bertdesk.ml.hf_imports._module", None)  # the first load of the process
    load_transformers()
    from transformers import AutoModelForSequenceClassification, core_model_loading

    pools: list[int] = []

    class CountedPool(ThreadPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            pools.append(1)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(core_model_loading, "ThreadPoolExecutor", CountedPool)
    AutoModelForSequenceClassification.from_pretrained(tiny_model_dir, num_labels=2)
    assert pools == []
