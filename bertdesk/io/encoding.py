"""Which text encoding a file uses: BOMs, UTF-16 without BOM, strict UTF-8, then a detector.

Chinese files come as UTF-8, GBK/GB2312/GB18030 or Big5; GB18030 is read for the whole GB
family because it is their superset (a GBK file decodes the same with it).
"""

from __future__ import annotations

import codecs
import re
from itertools import islice
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bertdesk.core.errors import UserInputError
from bertdesk.core.scripts import CJK_CHARACTER

SAMPLE_BYTES = 1 << 20  # UTF-8 is checked strictly on this much of the file
DETECTOR_BYTES = 256 * 1024  # charset-normalizer is slow; this much tells it enough
LINE_SCAN_BYTES = 1 << 20  # read per step when looking for the first undecodable line
UNDECODABLE_LINES_PER = 50  # lines of a file of which one may be in another encoding, and skipped
UTF8_EVIDENCE = 10  # lines of non-ASCII UTF-8 for each line that is not, to read a file as UTF-8
MOSTLY_UTF8_CONFIDENCE = 0.9  # shown beside the encoding: sure of it, but for the lines it skips

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in this order, which also settles ties: Chinese users are bertdesk's most numerous.
EAST_ASIAN_ENCODINGS = ("gb18030", "big5", "cp949", "cp932", "euc_jp")
EVERYDAY_SHARE = 0.8  # real text scores 0.9 or more; a reading in the wrong encoding far less
PLAUSIBLE_SHARE = 0.5  # taken below EVERYDAY_SHARE only where charset-normalizer sees East Asian text too
KANA_SHARE = 0.1  # Japanese prose is a third to a half kana; a Chinese text read as Japanese has next to none
SCORED_LETTERS = 20_000  # plenty to tell the languages apart; scoring each costs a codec call
_KOREAN_WORD_GAP = re.compile("[\uac00-\ud7a3] +[\uac00-\ud7a3]")
# What charset-normalizer may name for those: not taken once their readings were found implausible.
_EAST_ASIAN_FAMILY = {
    "gb2312", "gbk", "gb18030", "hz", "cp936", "big5", "big5hkscs", "cp950", "cp949", "euc_kr",
    "johab", "iso2022_kr", "cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp",
    "euc_jis_2004", "euc_jisx0213", "iso2022_jp", "iso2022_jp_1", "iso2022_jp_2",
    "iso2022_jp_2004", "iso2022_jp_3", "iso2022_jp_ext",
}
WESTERN_CONFIDENCE = 0.5
WESTERN_LANGUAGES = {
    "English", "French", "German", "Spanish", "Portuguese", "Italian", "Dutch", "Danish",
    "Swedish", "Norwegian", "Finnish", "Catalan", "Unknown",  # its name for "too short to say"
}
WESTERN_ACCENTED_SHARE = 0.3  # French runs about 4 %, Portuguese 5 %
# Typographic quotes and dashes, the euro, guillemets, degree, pound, copyright…
_WESTERN_PUNCTUATION = set(
    "\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u20ac\u00ab\u00bb\u00b0\u00a3"
    "\u00a9\u00ae\u00bf\u00a1\u00b7\u00a0\u00a7\u00bd\u00bc\u00be\u2022\u2122"
)


class UnknownEncoding(UserInputError):
    """No encoding reads the file plausibly: the user has to choose one."""


# Offered where the user chooses an encoding (the import wizard, batch prediction).
CHOOSABLE_ENCODINGS = (
    "utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "big5", "utf-16", "utf-16-le",
    "utf-16-be", "shift_jis", "euc-kr", "latin-1", "cp1252",
)
# Reads every byte as some character: a file whose encoding is unknown can still be previewed
# (as mojibake where it is not Western) while the user chooses the encoding.
PREVIEW_ENCODING = "latin-1"


@dataclass(frozen=True)
class DetectedEncoding:
    name: str
    confidence: float
    few_lines_undecodable: bool = False  # UTF-8 but for a few lines in another encoding, to skip


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
            "Choose a CSV, TSV, TXT, JSON(L), XLSX, XLS or Parquet file.",
            file_name=file_name,
        )
    if _decodes(sample, "utf-8", whole_file):
        return DetectedEncoding("utf-8", 1.0)
    if _mostly_utf8(sample, whole_file):
        return DetectedEncoding("utf-8", MOSTLY_UTF8_CONFIDENCE, few_lines_undecodable=True)
    return _detect_legacy(sample, whole_file, file_name)


def _mostly_utf8(sample: bytes, whole_file: bool) -> bool:
    """UTF-8 but for a few lines (a file put together from two sources): lines of non-ASCII
    text that read as UTF-8 far outnumber those that do not. (Plain ASCII beside a few lines
    of GBK is a GBK file: nothing there is UTF-8 but what every encoding reads alike.)"""
    lines = _whole_lines(sample, whole_file)
    readings = [(line.isascii(), _decoded(line, "utf-8", True) is not None) for line in lines]
    undecodable = sum(1 for _, decodes in readings if not decodes)
    utf8_text = sum(1 for ascii_only, decodes in readings if decodes and not ascii_only)
    return 0 < undecodable and _few(undecodable, len(lines)) and utf8_text >= UTF8_EVIDENCE * undecodable


def _utf16_without_bom(sample: bytes, whole_file: bool) -> str | None:
    """UTF-16 text has a NUL byte beside every ASCII character, so newlines read ``0A 00``."""
    for name, newline in (("utf-16-le", b"\n\x00"), ("utf-16-be", b"\x00\n")):
        position = sample.find(newline)
        text = _decoded(sample, name, whole_file) if position >= 0 and position % 2 == 0 else None
        if text is not None and not any(ch < " " and ch not in "\t\r\n" for ch in text):
            return name
    return None


def _decodes(sample: bytes, encoding: str, whole_file: bool) -> bool:
    return _decoded(sample, encoding, whole_file) is not None


def _decoded(sample: bytes, encoding: str, whole_file: bool) -> Optional[str]:
    """Strict decode (None where it fails); a multi-byte character cut at the end of a partial
    sample is allowed, and left out."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return str(decoder.decode(sample, final=whole_file))
    except UnicodeDecodeError:
        return None


def _detect_legacy(sample: bytes, whole_file: bool, file_name: str) -> DetectedEncoding:
    """Not UTF-8: an East Asian encoding whose reading looks like its language; else, where
    charset-normalizer sees East Asian text too, the likeliest East Asian reading; else its
    best guess that is not East Asian; else Windows-1252 where that reads as Western text."""
    east_asian = _east_asian_encoding(sample, whole_file)
    if east_asian is not None and east_asian.confidence >= EVERYDAY_SHARE:
        return east_asian
    from charset_normalizer import from_bytes

    detector_sample = sample[:DETECTOR_BYTES]
    if len(detector_sample) < len(sample):
        # A character cut in two at the end makes the detector reject every multi-byte encoding.
        detector_sample = detector_sample[: detector_sample.rfind(b"\n") + 1] or detector_sample
    guesses = list(from_bytes(detector_sample))
    if guesses and codecs.lookup(guesses[0].encoding).name in _EAST_ASIAN_FAMILY and east_asian is not None:
        # Both see East Asian text with many rare characters (classical Chinese, names): this
        # reading of it is the likelier one.
        return east_asian
    matches = [m for m in guesses if codecs.lookup(m.encoding).name not in _EAST_ASIAN_FAMILY]
    top = matches[0] if matches else None
    # Its picks among the Latin code pages for a short Western text are close to random
    # (French read as Central European, German as Big5): Windows-1252 is what such files use.
    if (top is None or top.language in WESTERN_LANGUAGES) and _reads_as_western(sample, whole_file):
        return DetectedEncoding("cp1252", WESTERN_CONFIDENCE)
    if top is not None:
        return DetectedEncoding(codecs.lookup(top.encoding).name, max(0.0, 1.0 - float(top.chaos)))
    raise UnknownEncoding(
        "Cannot tell which text encoding {file_name} uses.",
        "Choose the encoding yourself (for example gb18030, big5 or latin-1).",
        file_name=file_name,
    )


def _reads_as_western(sample: bytes, whole_file: bool) -> bool:
    """Windows-1252 reads it as plain letters with a few accented ones or typographic marks
    (French, German, English with curly quotes…): Cyrillic or Greek read this way would be
    nearly all accented letters."""
    text = _decoded(sample, "cp1252", whole_file)
    if text is None:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    accented = [ch for ch in letters if not ch.isascii()]
    special = [ch for ch in text if not ch.isascii()]  # accented letters, curly quotes, €…
    odd = [ch for ch in special if not ch.isalpha() and ch not in _WESTERN_PUNCTUATION]
    return bool(special) and not odd and len(accented) <= WESTERN_ACCENTED_SHARE * len(letters)


def _east_asian_encoding(sample: bytes, whole_file: bool) -> Optional[DetectedEncoding]:
    """The legacy Chinese, Korean or Japanese encoding of ``sample``, where one reads plausibly
    (its confidence is the score below).

    charset-normalizer alone guesses badly on short files: of 100 one-line GBK files drawn from
    waimai it misread 57 (48 as Korean), of two-line ones 12, and of 5- to 50-line ones it
    gave up on 2-4 %; this reads all of 200 of each size right. Each candidate that decodes
    the sample is scored by the share of its CJK letters that its language writes every day
    (its national standard's common tier; Japanese: kana with common kanji), so a reading in
    the wrong encoding, a jumble of rare characters, loses. Latin and Cyrillic files read as
    none of these and go on to the general detector.
    """
    scores, texts = {}, {}
    for encoding in EAST_ASIAN_ENCODINGS:
        text = _decoded(sample, encoding, whole_file)
        if text is None:
            continue
        letters = [match.group() for match in islice(CJK_CHARACTER.finditer(text), SCORED_LETTERS)]
        if letters:
            scores[encoding], texts[encoding] = _everyday_share(encoding, letters), text
    if not scores:
        return None
    best = max(scores, key=lambda name: scores[name])  # ties: the earlier, more common one
    if best == "gb18030" and "cp949" in scores and scores["cp949"] >= scores[best]:
        # Korean's Hangul decodes as common Chinese characters too; Korean spaces its words.
        best = "cp949" if _KOREAN_WORD_GAP.search(texts["cp949"]) else best
    if scores[best] < PLAUSIBLE_SHARE:
        return None
    return DetectedEncoding(best, scores[best])


def _everyday_share(encoding: str, letters: list[str]) -> float:
    """The share of ``letters`` that a text in ``encoding``'s language is mostly made of."""
    if encoding == "cp949":
        return sum(1 for ch in letters if _in_tier(ch, "euc_kr", 0xB0A1, 0xC8FE)) / len(letters)
    if encoding in ("cp932", "euc_jp"):
        kana = sum(1 for ch in letters if "\u3041" <= ch <= "\u30ff")
        if kana < KANA_SHARE * len(letters):  # Japanese without kana is a list of names at most
            return 0.0
        return (kana + sum(1 for ch in letters if _in_tier(ch, "euc_jp", 0xB0A1, 0xCFFE))) / len(letters)
    if encoding == "big5":
        return sum(1 for ch in letters if _in_tier(ch, "big5", 0xA440, 0xC67E)) / len(letters)
    # GBK also writes traditional characters (a Hong Kong review typed on a mainland system).
    return sum(
        1 for ch in letters if _in_tier(ch, "gb2312", 0xB0A1, 0xD7FE) or _in_tier(ch, "big5", 0xA440, 0xC67E)
    ) / len(letters)


def _in_tier(ch: str, standard: str, first: int, last: int) -> bool:
    """Whether ``ch`` is a two-byte code of ``standard`` between ``first`` and ``last``: the
    common tier (GB2312 level 1: 3,755 characters; Big5 level 1: 5,401; JIS level 1: 2,965;
    KS X 1001's 2,350 Hangul, where cp949's 8,822 more are rare and Shift-JIS reads as them)."""
    try:
        code = ch.encode(standard)
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and first <= int.from_bytes(code, "big") <= last


def few_undecodable_lines(path: Path, encoding: str) -> bool:
    """Whether at most one line in ``UNDECODABLE_LINES_PER`` of the file's start (one at least)
    is not valid ``encoding``: a file put together from two sources, where the encoding the
    user chose is right for the rest. More say the encoding is wrong."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    lines = _whole_lines(sample, whole_file=len(sample) < SAMPLE_BYTES)
    return _few(sum(1 for line in lines if _decoded(line, encoding, True) is None), len(lines))


def _whole_lines(sample: bytes, whole_file: bool) -> list[bytes]:
    """The sample's lines, less the last where the sample may have cut it off."""
    lines = sample.splitlines()
    return lines if whole_file else lines[:-1]


def _few(undecodable: int, lines: int) -> bool:
    return undecodable <= max(1, lines // UNDECODABLE_LINES_PER)


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
