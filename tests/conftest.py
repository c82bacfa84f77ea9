"""Shared fixtures: an isolated config folder per test, temporary projects, a tiny BERT, no leaked threads."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
WAIMAI_CSV = SHARED_DATA / "waimai_10k.csv"
SST2_DIR = SHARED_DATA / "sst2"

TINY_VOCAB_WORDS = (
    "good great fine love excellent bad awful terrible hate poor the a movie film food "
    "is was it this not very and but plot acting service price fast slow"
).split()
TINY_VOCAB_CHARS = list("好吃不错很差慢快喜欢服务味道一般推荐难太了的是")


def needs_file(path: Path) -> pytest.MarkDecorator:
    """Skip a test with a reason where the shared data set is absent (a user's fresh clone)."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent (../shared/data)")


@contextmanager
def plain_sqlite(path: Path | str, **options: object) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to a project file (to write what an older bertdesk, or
    another program, would), committed and closed on leaving: sqlite3's own ``with`` only
    commits, and Python 3.13 warns of every connection left open."""
    with closing(sqlite3.connect(path, **options)) as conn, conn:  # type: ignore[arg-type]
        yield conn


@pytest.fixture(autouse=True)
def isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own settings, log and data folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BERTDESK_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("BERTDESK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    return home


@pytest.fixture
def umask_027() -> Iterator[int]:
    """A umask that tells the user's permissions apart from tempfile's owner-only ones."""
    previous = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(previous)


@pytest.fixture(scope="session")
def ended_process_owner() -> dict[str, object]:
    """The owner record (bertdesk.core.owner) of a process of this host that was killed."""
    import socket
    import subprocess
    import sys

    import psutil

    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    started = psutil.Process(process.pid).create_time()
    process.kill()
    process.wait()
    return {"host": socket.gethostname(), "pid": process.pid, "started": started}


def file_modes(folder: Path) -> set[int]:
    """The permission bits of the files under ``folder``."""
    return {path.stat().st_mode & 0o777 for path in folder.rglob("*") if path.is_file()}


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail any test that leaves a thread of its own running."""
    before = set(threading.enumerate())
    yield
    deadline_threads = [
        t for t in threading.enumerate()
        if t not in before and t.is_alive() and not t.daemon
    ]
    for thread in deadline_threads:
        thread.join(timeout=5)
    leaked = [t.name for t in deadline_threads if t.is_alive()]
    assert not leaked, f"test left threads running: {leaked}"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "test.bertdesk"


@pytest.fixture
def project(project_path: Path) -> Iterator["object"]:
    from bertdesk.store import Project

    with Project.create(project_path) as opened:
        yield opened


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised 2-layer, 32-wide BERT with a small English+Chinese vocabulary.

    Saved as a standard Hugging Face folder (safetensors + tokenizer) so every model source
    that takes a folder can load it; training on it takes seconds.
    """
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *TINY_VOCAB_WORDS, *TINY_VOCAB_CHARS]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    # transformers 5 reads the vocabulary from ``vocab=``; ``vocab_file=`` is ignored there and
    # leaves a tokenizer that knows only the special tokens (every word becomes [UNK]).
    tokenizer = BertTokenizerFast(vocab=str(folder / "vocab.txt"), do_lower_case=True)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=128, num_labels=2,
    )
    import torch

    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def labelled_model_dir(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny BERT laid out as a trained run's ``best`` folder: named labels, a max length."""
    import shutil

    from transformers import AutoConfig

    folder = tmp_path_factory.mktemp("labelled-bert")
    shutil.copytree(tiny_model_dir, folder, dirs_exist_ok=True)
    config = AutoConfig.from_pretrained(folder)
    config.id2label = {0: "negative", 1: "positive"}
    config.label2id = {"negative": 0, "positive": 1}
    config.save_pretrained(folder)
    return folder


@pytest.fixture
def sentiment_project(project: "object") -> "object":
    """A split two-label project (positive/negative) in the tiny model's words: 80 texts."""
    import random

    from bertdesk.core import Split
    from bertdesk.store import assign_splits

    rng = random.Random(0)
    words = {
        "positive": "good great fine love excellent".split(),
        "negative": "bad awful terrible hate poor".split(),
    }
    subjects = "the movie film food plot acting service price".split()
    with project.bulk_writer() as writer:
        for index in range(80):
            name = "positive" if index % 2 else "negative"
            text = " ".join([rng.choice(subjects), "was", *rng.choices(words[name], k=3)])
            writer.add(text, Split.UNASSIGNED, [writer.label_id(name)])
    assign_splits(project, 0.7, 0.2, 0.1, seed=0)
    return project
