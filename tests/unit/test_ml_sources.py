"""Model sources: the built-in model, folders, the Hugging Face cache, and a real download
from a Hub imitation on 127.0.0.1 (HF_ENDPOINT), plus the offline error."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bertdesk.core import UserInputError
from bertdesk.ml.sources import default_model_dir, resolve_model

COMMIT = "0123456789abcdef0123456789abcdef01234567"
REPO = "bertdesk-test/tiny-bert"


def hub_handler(files: dict[str, bytes], requests: list[str]) -> type[BaseHTTPRequestHandler]:
    """The endpoints huggingface_hub's snapshot_download uses: revision info, tree, resolve."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            requests.append(f"{self.command} {self.path}")

        def reply(self, body: bytes, content_type: str, headers: dict[str, str] = {}) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path.startswith(f"/api/models/{REPO}/tree/"):
                tree = [{"type": "file", "path": name, "size": len(data),
                         "oid": hashlib.sha1(data).hexdigest()} for name, data in files.items()]
                return self.reply(json.dumps(tree).encode(), "application/json")
            if path.startswith(f"/api/models/{REPO}/revision/"):
                info = {"id": REPO, "sha": COMMIT, "siblings": [{"rfilename": n} for n in files]}
                return self.reply(json.dumps(info).encode(), "application/json")
            if path.startswith(f"/{REPO}/resolve/"):
                name = path.rsplit("/", 1)[1]
                if name in files:
                    etag = hashlib.sha1(files[name]).hexdigest()
                    return self.reply(files[name], "application/octet-stream",
                                      {"X-Repo-Commit": COMMIT, "ETag": f'"{etag}"'})
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = do_GET

    return Handler


@pytest.fixture
def hub(tiny_model_dir: Path) -> Iterator[tuple[str, list[str]]]:
    files = {p.name: p.read_bytes() for p in tiny_model_dir.iterdir() if p.is_file()}
    requests: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), hub_handler(files, requests))
    thread = threading.Thread(target=server.serve_forever, name="fake-hub")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def resolve_in_child(spec: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """huggingface_hub reads HF_ENDPOINT/HF_HOME/offline mode once at import: use a fresh process."""
    script = (
        "import json, sys\n"
        "from bertdesk.core import UserInputError\n"
        "from bertdesk.ml.sources import resolve_model, cached_models\n"
        "events = []\n"
        "try:\n"
        f"    folder = resolve_model({spec!r}, progress=lambda f, m: events.append(f))\n"
        "except UserInputError as error:\n"
        "    print(json.dumps({'error': str(error)})); sys.exit(0)\n"
        "from transformers import AutoModelForSequenceClassification\n"
        "AutoModelForSequenceClassification.from_pretrained(folder)\n"
        "print(json.dumps({'folder': str(folder), 'events': events,\n"
        "                  'cached': [(m.repo_id, m.size_bytes) for m in cached_models()]}))\n"
    )
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_download_from_hub_endpoint_then_cached(hub: tuple[str, list[str]], tmp_path: Path) -> None:
    endpoint, requests = hub
    env = {"HF_ENDPOINT": endpoint, "HF_HUB_OFFLINE": "0", "HF_HOME": str(tmp_path / "hf")}
    result = resolve_in_child(REPO, env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert "error" not in answer, answer
    assert Path(answer["folder"], "model.safetensors").exists()
    assert answer["events"] and answer["events"][-1] == 1.0
    assert answer["cached"][0][0] == REPO and answer["cached"][0][1] > 0
    assert any("/resolve/" in r and "model.safetensors" in r for r in requests)
    # Offline now: the cached copy is used without asking the server.
    before = len(requests)
    again = resolve_in_child(REPO, {**env, "HF_HUB_OFFLINE": "1"})
    assert "folder" in json.loads(again.stdout.strip().splitlines()[-1])
    assert len(requests) == before


def test_offline_download_says_what_to_do(tmp_path: Path) -> None:
    env = {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    answer = json.loads(resolve_in_child("bert-base-chinese", env).stdout.strip().splitlines()[-1])
    assert "offline" in answer["error"] and "folder" in answer["error"].lower()
    unreachable = {"HF_HUB_OFFLINE": "0", "HF_HOME": str(tmp_path / "hf2"),
                   "HF_ENDPOINT": "http://127.0.0.1:9"}  # nothing listens on the discard port
    answer = json.loads(resolve_in_child("bert-base-chinese", unreachable).stdout.strip().splitlines()[-1])
    assert "offline" in answer["error"]


def test_folders_and_the_default(tiny_model_dir: Path, tmp_path: Path) -> None:
    assert (default_model_dir() / "model.safetensors").exists()
    assert resolve_model("default") == default_model_dir()
    assert resolve_model(str(tiny_model_dir)) == tiny_model_dir
    with pytest.raises(UserInputError, match="No model folder"):
        resolve_model(str(tmp_path / "nothing-here"))
    pickled = tmp_path / "pickled"
    shutil.copytree(tiny_model_dir, pickled)
    (pickled / "model.safetensors").rename(pickled / "pytorch_model.bin")
    with pytest.raises(UserInputError, match="pickle"):
        resolve_model(str(pickled))
    assert resolve_model(str(pickled), allow_unsafe_weights=True) == pickled
    # Without its tokenizer, a model would read every text as unknown pieces and learn nothing.
    untokenized = tmp_path / "untokenized"
    shutil.copytree(tiny_model_dir, untokenized, ignore=shutil.ignore_patterns("tokenizer*", "vocab*", "special*"))
    with pytest.raises(UserInputError, match="no tokenizer files"):
        resolve_model(str(untokenized))
    exported = tmp_path / "exported"  # what export-model --format onnx writes: no torch weights
    shutil.copytree(tiny_model_dir, exported, ignore=shutil.ignore_patterns("model.safetensors"))
    (exported / "model.onnx").write_bytes(b"onnx")
    with pytest.raises(UserInputError, match="ONNX export"):
        resolve_model(str(exported))
    (exported / "config.json").write_text("{ half", encoding="utf-8")
    with pytest.raises(UserInputError, match="config.json in .* cannot be read"):
        resolve_model(str(exported))


def test_loads_in_two_threads_stay_quiet_until_the_last_one_ends() -> None:
    """The app loads on two threads at once: the first to finish must not turn transformers'
    warnings (its load report) back on while the other still loads."""
    from transformers.utils import logging as hf_logging

    from bertdesk.ml.sources import quiet_loading

    before = hf_logging.get_verbosity()
    hf_logging.set_verbosity(logging.WARNING)  # warnings on, as for a user
    try:
        run_two_loads_that_overlap(quiet_loading)
    finally:
        hf_logging.set_verbosity(before)


def run_two_loads_that_overlap(quiet_loading: Any) -> None:
    """The first load ends while the second is under way; the second checks the verbosity then."""
    from transformers.utils import logging as hf_logging

    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, int] = {}

    def first() -> None:
        with quiet_loading():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with quiet_loading():
            second_in.set()
            first_out.wait(10)
            seen["second, after the first ended"] = hf_logging.get_verbosity()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"second, after the first ended": logging.ERROR}
    assert hf_logging.get_verbosity() == logging.WARNING
