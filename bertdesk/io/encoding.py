"""Which text encoding a file uses: BOMs, UTF-16 without BOM, strict UTF-8, then a detector.

Chinese files come as UTF-8, GBK/GB2312/GB18030 or Big5; GB18030 is read for the whole GB
family because it is their superset (a GBK file decodes the same with it).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bertdesk.core.errors import UserInputError

SAMPLE_BYTES = 1 << 20  # UTF-8 is checked strictly on this much of the file
DETECTOR_BYTES = 256 * 1024  # charset-normalizer is slow; this much tells it enough
LINE_SCAN_BYTES = 1 << 20  # read per step when looking for the first undecodable line

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
_BIG5_FAMILY = {"big5", "big5hkscs", "cp950"}


@dataclass(frozen=True)
class DetectedEncoding:
    name: str
    confidence: float


def detect_encoding(sample: bytes, whole_file: bool, file_name: str) -> DetectedEncoding:
    """Guess the encoding of ``sample``, the first bytes of a file (all of it if ``whole_file``).

    Raises UserInputError for binary data (NUL bytes that are not UTF-16).
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return DetectedEncoding(name, 1.0)
    utf16 = _utf16_without_bom(sample, whole_file)
    if utf16 is not None:
        return DetectedEncoding(utf16, 0.9)
    if b"\x00" in sample:
        raise UserInputError(
            "{file_name} is not a text file (it holds binary data).",
            "Choose a CSV, TSV, TXT, JSON(L), XLSX or Parquet file.",
            file_name=file_name,
        )
    if _decodes(sample, "utf-8", whole_file):
        return DetectedEncoding("utf-8", 1.0)
    return _detect_legacy(sample, whole_file, file_name)


def _utf16_without_bom(sample: bytes, whole_file: bool) -> str | None:
    """UTF-16 text has a NUL byte beside every ASCII character, so newlines read ``0A 00``."""
    for name, newline in (("utf-16-le", b"\n\x00"), ("utf-16-be", b"\x00\n")):
        position = sample.find(newline)
        if position >= 0 and position % 2 == 0 and _decodes(sample, name, whole_file):
            text = codecs.decode(sample[: len(sample) // 2 * 2], name, errors="replace")
            if not any(ch < " " and ch not in "\t\r\n" for ch in text):
                return name
    return None


def _decodes(sample: bytes, encoding: str, whole_file: bool) -> bool:
    """Strict decode; a multi-byte character cut at the end of a partial sample is allowed."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(sample, final=whole_file)
    except UnicodeDecodeError:
        return False
    return True


def _detect_legacy(sample: bytes, whole_file: bool, file_name: str) -> DetectedEncoding:
    """Not UTF-8: ask charset-normalizer, then settle GB against Big5 by which decodes cleanly."""
    from charset_normalizer import from_bytes

    detector_sample = sample[:DETECTOR_BYTES]
    if len(detector_sample) < len(sample):
        # A character cut in two at the end makes the detector reject every multi-byte encoding.
        detector_sample = detector_sample[: detector_sample.rfind(b"\n") + 1] or detector_sample
    best = from_bytes(detector_sample).best()
    if best is None:
        raise UserInputError(
            "Cannot tell which text encoding {file_name} uses.",
            "Choose the encoding yourself (for example gb18030, big5 or latin-1).",
            file_name=file_name,
        )
    name = codecs.lookup(best.encoding).name
    confidence = max(0.0, 1.0 - float(best.chaos))
    if name in _GB_FAMILY or name in _BIG5_FAMILY:
        gb_ok = _decodes(sample, "gb18030", whole_file)
        big5_ok = _decodes(sample, "big5", whole_file)
        if gb_ok and (name in _GB_FAMILY or not big5_ok):
            return DetectedEncoding("gb18030", confidence)
        if big5_ok:
            return DetectedEncoding("big5", confidence)
    return DetectedEncoding(name, confidence)


def first_undecodable_line(path: Path, encoding: str) -> Optional[int]:
    """The number of the first line of ``path`` that is not valid ``encoding``; None if all is.

    A text reader decodes a whole buffer at once, so the line it was on when decoding failed
    can be lines before the bad bytes (often the header): the error must name the right one.
    Line ends are counted as the readers split lines: LF, CRLF and a lone CR.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line_ends = 0
    after_cr = False  # the text so far ends in CR: an LF next is part of the same line end
    with path.open("rb") as handle:
        while chunk := handle.read(LINE_SCAN_BYTES):
            state = decoder.getstate()
            try:
                decoder.decode(chunk)
                pieces = [chunk]
            except UnicodeDecodeError:
                pieces = chunk.splitlines(keepends=True)  # again a line at a time: which one fails
            decoder.setstate(state)
            for piece in pieces:
                try:
                    text = decoder.decode(piece)
                except UnicodeDecodeError:
                    return line_ends + 1
                line_ends += _line_ends(text, after_cr)
                after_cr = text.endswith("\r") or (after_cr and not text)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return line_ends + 1  # the file ends in the middle of a character
    return None


def _line_ends(text: str, after_cr: bool) -> int:
    crlf = text.count("\r\n") + (after_cr and text.startswith("\n"))
    return text.count("\n") + text.count("\r") - crlf
