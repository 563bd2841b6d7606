"""Raw page bytes -> text, or an error that names the file and line.

A byte order mark decides the encoding; without one, bytes that are UTF-8
are UTF-8, bytes that decode as GB18030 and read as simplified Chinese are
GB18030, and charset-normalizer tells the rest (Big5, GBK Traditional,
UTF-16 ...). Line ends become LF.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import charset_normalizer

from quzhou_archive.errors import ArchiveError

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
    marked = _bom_encoding(data)
    if b"\x00" in data and marked not in ("utf_16", "utf_32"):
        raise ArchiveError(path, "binary file (NUL bytes), not page text", line_of(data, data.index(b"\x00")))
    encoding = marked or _detect_encoding(data)
    if encoding is None:
        raise ArchiveError(path, *_damage(data))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ArchiveError(path, f"undecodable bytes for {encoding}", line_of(data, err.start)) from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _reject_control_characters(path, text)
    return text, encoding


# A byte order mark says what the file is; it is honoured before any guess.
# Encodings are named as charset-normalizer names them (utf_8, gb18030 ...).
# UTF-32 marks come first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf_32"),
    (b"\x00\x00\xfe\xff", "utf_32"),
    (b"\xef\xbb\xbf", "utf_8"),
    (b"\xff\xfe", "utf_16"),
    (b"\xfe\xff", "utf_16"),
    (b"\x84\x31\x95\x33", "gb18030"),
)


def _bom_encoding(data: bytes) -> str | None:
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _detect_encoding(data: bytes) -> str | None:
    """UTF-8 if the bytes are UTF-8; GB18030 if they decode as GB18030 and read
    as simplified Chinese; else what charset-normalizer finds (Big5, UTF-16 ...),
    and when it finds nothing (its measure of mess counts runs of emoji, private-use
    or other-script characters against a page) any Chinese encoding the bytes
    decode in and read as Chinese."""
    if _strict(data, "utf_8") is not None:
        return "utf_8"
    gb = _strict(data, "gb18030")
    if gb is not None and _chinese_share(gb) >= 0.6 and _simplified_share(gb) >= 0.8:
        return "gb18030"
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        guess = _SUPERSETS.get(best.encoding.replace("_", "").lower(), best.encoding)
        text = _strict(data, guess)
        if text is not None and not (gb is not None and _chinese_share(gb) > max(0.5, _chinese_share(text))):
            return guess
    readings = [(_chinese_share(text), name) for name in ("gb18030", "big5hkscs") if (text := _strict(data, name))]
    share, name = max(readings, default=(0.0, None))
    return name if share >= 0.5 else None


_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_NON_ASCII = re.compile(r"[^\x00-\x7f\s]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _chinese_share(text: str) -> float:
    """Share of the non-ASCII characters that are Chinese characters or
    punctuation: high for Chinese read right, low for Big5 read as GB (kana,
    Greek, box drawing) or for bytes read in a single-byte code page."""
    return len(_CHINESE.findall(text)) / max(1, len(_NON_ASCII.findall(text)))


def _simplified_share(text: str) -> float:
    """Share of the Han characters in GB2312: nearly all of a simplified page,
    about a third of a Big5 page misread as GB18030."""
    han = "".join(_HAN.findall(text))
    return len(han.encode("gb2312", errors="ignore")) / 2 / max(1, len(han))


def _damage(data: bytes) -> tuple[str, int]:
    """The message and line for bytes no encoding reads: the damage is where the
    encoding that reads furthest stops (a GB18030 page fails UTF-8 at its first
    Chinese character, but GB18030 only where a byte is lost or cut)."""
    stops = []
    for name in ("utf-8", "gb18030", "big5hkscs"):
        try:
            data.decode(name)
        except UnicodeDecodeError as err:
            stops.append((err.start, name))
    start, name = max(stops)
    shown = data[start:start + 4].hex(" ")
    if start >= len(data.rstrip()) - 3:
        return f"the file ends inside a character (bytes {shown}); it was cut short", line_of(data, start)
    return (
        f"undecodable bytes {shown} (the page reads as {name.upper()} up to here; "
        f"a byte is lost or damaged)",
        line_of(data, start),
    )


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
