"""transformers' first import from several threads at once: the app's workers do exactly that."""

from __future__ import annotations

import subprocess
import sys

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
