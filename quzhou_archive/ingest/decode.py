"""Raw page bytes -> text, or an error that names the file and line.

The encoding is detected by charset-normalizer (UTF-8 with or without BOM,
GB18030/GBK, Big5, UTF-16 ...). Line ends become LF.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import charset_normalizer

from ..errors import ArchiveError

MAX_PAGE_BYTES = 4 * 1024 * 1024  # a printed page is ~20 KB; 4 MB is not a page

# GBK and GB2312 are subsets of GB18030: decoding with the superset loses
# nothing and accepts the characters a GBK guess would reject.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_page(path: Path, data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises ArchiveError on bad input."""
    if not data.strip():
        raise ArchiveError(path, "empty file: no text to ingest")
    if len(data) > MAX_PAGE_BYTES:
        raise ArchiveError(
            path,
            f"{len(data) / 1048576:.1f} MB is too large for one newspaper page "
            f"(limit {MAX_PAGE_BYTES // 1048576} MB); split it into pages",
        )
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if b"\x00" in data and not utf16:
        raise ArchiveError(path, "binary file (NUL bytes), not page text", line_of(data, data.index(b"\x00")))
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ArchiveError(path, _undecodable(data), _first_bad_line(data))
    encoding = _SUPERSETS.get(best.encoding.replace("_", "").lower(), best.encoding)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ArchiveError(path, f"undecodable bytes for {encoding}", line_of(data, err.start)) from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _reject_control_characters(path, text)
    return text, encoding


def _undecodable(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"undecodable bytes {data[err.start:err.start + 4].hex(' ')} (not UTF-8, GB18030 or another known encoding)"
    return "text encoding not recognised"


def _first_bad_line(data: bytes) -> int | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return line_of(data, err.start)
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _reject_control_characters(path: Path, text: str) -> None:
    """Text with many control characters is a binary file that happened to decode."""
    controls = _CONTROL.findall(text)
    if len(controls) > max(8, len(text) // 200):
        first = _CONTROL.search(text).start()
        raise ArchiveError(path, "binary file (control characters), not page text", text.count("\n", 0, first) + 1)


def text_fingerprint(text: str) -> str:
    """What makes two raw files the same page: their decoded text, whatever the
    encoding, BOM or line ends, with Unicode composed (NFC) and the spaces a
    re-download adds or drops at line ends and at the end of the file ignored."""
    lines = unicodedata.normalize("NFC", text).split("\n")
    normal = "\n".join(line.rstrip() for line in lines).strip("\n")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()
