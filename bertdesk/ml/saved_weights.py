"""Model folders whose frozen word-embedding table is stored once on disk, however many runs.

A multilingual run keeps its 250k-row word-embedding table frozen: 192 of the 282 MB of
every run folder, byte for byte the same in each. The table goes into a file of its own,
named by a digest of its contents, and a folder that needs a table already saved under the
same runs folder gets a hard link to that file instead of a copy; so does its tokenizer
(17 MB) where it is the same. The folder stays a standard Hugging Face checkpoint
(``model.safetensors.index.json`` and its shards), which ``from_pretrained``, ``pipeline``
and every copy or zip read as usual; deleting a run deletes its links, and a file goes with
the last folder that uses it. Where the file system has no hard links (FAT, exFAT, another
drive), the table is copied.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bertdesk.core.files import link_or_copy

SINGLE_FILE = "model.safetensors"
INDEX_FILE = "model.safetensors.index.json"
TRAINED_FILE = "model-trained.safetensors"
FROZEN_PREFIX = "model-frozen-"
TOKENIZER_FILE = "tokenizer.json"


def _state_with_frozen_embedding(model: Any) -> tuple[dict[str, Any], list[str]]:
    """The model's weights to save, and the names among them that training left unchanged.

    A frozen word-embedding table is stored once and in half precision: it came in half
    precision from the converted model, so nothing is lost, and loading casts it back. An
    output layer tied to it (a masked-language head) is tied again when the folder loads.
    """
    state: dict[str, Any] = model.state_dict()
    embedding = model.get_input_embeddings().weight
    if embedding.requires_grad:
        return state, []
    shared = [name for name, value in state.items() if value.data_ptr() == embedding.data_ptr()]
    input_name = next((name for name in shared if "embeddings" in name), shared[0])
    for name in shared:
        del state[name]
    state[input_name] = embedding.detach().half()
    return state, [input_name]


def save_model_folder(model: Any, tokenizer: Any, folder: Path, runs_root: Path) -> None:
    """``save_pretrained`` of the model and its tokenizer into ``folder``, sharing with the
    other model folders under ``runs_root`` what is the same in them: a frozen table (found by
    its digest, so never written twice) and the tokenizer (17 MB for the multilingual model,
    compared byte for byte)."""
    tokenizer.save_pretrained(folder)
    state, frozen = _state_with_frozen_embedding(model)
    frozen_state = {name: state.pop(name) for name in frozen}
    model.save_pretrained(folder, safe_serialization=True, state_dict=state)
    if not frozen_state:
        return
    _link_if_same(folder / TOKENIZER_FILE, runs_root)
    weight_map = _trained_weight_map(folder)
    frozen_file = f"{FROZEN_PREFIX}{_digest(frozen_state)}.safetensors"
    _link_or_write(frozen_state, folder / frozen_file, runs_root)
    weight_map.update({name: frozen_file for name in frozen_state})
    total = sum((folder / name).stat().st_size for name in set(weight_map.values()))
    # Written last: a folder with an index has every file complete.
    (folder / INDEX_FILE).write_text(
        json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}, indent=2), encoding="utf-8"
    )


def load_trained_weights(folder: Path) -> dict[str, Any] | None:
    """The weights a folder saved, less a frozen table kept apart (the model in memory has
    it already); None where the folder holds no safetensors weights."""
    from safetensors.torch import load_file

    if (folder / SINGLE_FILE).is_file():
        return load_file(str(folder / SINGLE_FILE))
    if not (folder / INDEX_FILE).is_file():
        return None
    files = set(json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))["weight_map"].values())
    state: dict[str, Any] = {}
    for name in sorted(files):
        if not name.startswith(FROZEN_PREFIX):
            state.update(load_file(str(folder / name)))
    return state


def _trained_weight_map(folder: Path) -> dict[str, str]:
    """Name -> file of what ``save_pretrained`` wrote, its single file renamed to a shard."""
    if (folder / INDEX_FILE).is_file():
        return dict(json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))["weight_map"])
    from safetensors import safe_open

    with safe_open(str(folder / SINGLE_FILE), "pt") as weights:
        names = list(weights.keys())
    os.replace(folder / SINGLE_FILE, folder / TRAINED_FILE)
    return {name: TRAINED_FILE for name in names}


def _digest(state: dict[str, Any]) -> str:
    """Names, types, shapes and bytes: equal digests mean equal files."""
    import torch

    digest = hashlib.sha256()
    for name in sorted(state):
        tensor = state[name].detach().cpu().contiguous()
        digest.update(f"{name}|{tensor.dtype}|{tuple(tensor.shape)}|".encode())
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy())
    return digest.hexdigest()[:32]


def _complete_copies(name: str, besides: Path, runs_root: Path) -> Iterator[Path]:
    """Files called ``name`` in the complete folders under ``runs_root`` (those with their
    index, written last) other than ``besides``. ``os.walk`` passes over folders removed
    while it looks, as another run's old best model is."""
    for parent, _folders, files in os.walk(runs_root):
        if name in files and INDEX_FILE in files and Path(parent) != besides:
            yield Path(parent) / name


def _link_or_write(state: dict[str, Any], path: Path, runs_root: Path) -> None:
    """A link to (or a copy of) the same file where one is saved, else ``state`` written anew."""
    for existing in _complete_copies(path.name, path.parent, runs_root):
        try:
            link_or_copy(existing, path)
            return
        except FileNotFoundError:
            continue  # removed meanwhile: a run deleted, or its best model replaced
    from safetensors.torch import save_file

    save_file(state, str(path), metadata={"format": "pt"})


def _link_if_same(path: Path, runs_root: Path) -> None:
    """Replace ``path`` by a hard link to a file with the same bytes, where there is one (and
    the file system has hard links)."""
    for existing in _complete_copies(path.name, path.parent, runs_root):
        try:
            if existing.stat().st_size != path.stat().st_size or not filecmp.cmp(existing, path, shallow=False):
                continue
            linked = path.with_name(f".{path.name}.link")
            os.link(existing, linked)
            os.replace(linked, path)
            return
        except FileNotFoundError:
            continue
        except OSError:
            return  # no hard links here: the file stays as written
