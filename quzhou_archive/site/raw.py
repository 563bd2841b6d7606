"""The raw newspaper pages the articles came from, published with the
site: each as it was given (`raw/NAME`, its own bytes and encoding) and as
a page with numbered lines (`raw/NAME.html`, a line N at `#LN`), to which
an article's source lines link.

The lines are numbered as ingest numbers them (`source.lines` in an
article's frontmatter): the text decoded, CRLF and CR read as line ends.
"""
from __future__ import annotations

import re
from pathlib import Path

from quzhou_archive.errors import ArchiveError

FOLDER = "raw"
# names that are safe as a URL path segment on any host, as ingest's own raw files are
PUBLISHABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def raw_folder(articles_dir: Path) -> Path:
    """Raw pages live beside the articles folder."""
    return Path(articles_dir).resolve().parent / FOLDER


def publishable(folder: Path) -> dict[str, Path]:
    """The raw files that can be published, by name."""
    if not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.iterdir())
            if p.is_file() and PUBLISHABLE.fullmatch(p.name) and not p.name.endswith(".html")}


def folder_state(folder: Path) -> list:
    """What the published raw pages are made from, as cheaply as it is seen:
    each file's name, size and modification time."""
    return [(name, p.stat().st_size, p.stat().st_mtime_ns) for name, p in publishable(folder).items()]


def file_path(name: str) -> str:
    return f"{FOLDER}/{name}"


def view_path(name: str) -> str:
    return f"{FOLDER}/{name}.html"


def line_anchor(number: int) -> str:
    return f"L{number}"


def source_link(name: str | None, lines, published) -> str | None:
    """Where an article's source lines are shown, if its raw file is published:
    at its first line, the range in the query (which `static/raw.js` marks)."""
    if not name or name not in published:
        return None
    return view_path(name) + (f"?lines={lines[0]}-{lines[1]}#{line_anchor(lines[0])}" if lines else "")


def decoded(path: Path, data: bytes) -> tuple[list[str], str]:
    """The file's lines as ingest reads them, and its encoding; a file
    ingest could not read is shown as UTF-8 with its bad bytes replaced."""
    from quzhou_archive.ingest.decode import decode_page

    try:
        text, encoding = decode_page(path, data)
    except ArchiveError:
        text, encoding = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n"), "?"
    return text.split("\n"), encoding


def view_page(name: str, lines: list[str], encoding: str):
    from quzhou_archive.site.model import Page    # (the build looks at the raw folder before it loads the site's model)

    return Page(view_path(name), "raw.html", {
        "page_title": f"原始版面 {name}", "name": name, "file": file_path(name),
        "encoding": ENCODING_NAMES.get(encoding, encoding.replace("_", "-").upper()),
        "lines": [(line_anchor(n), n, text) for n, text in enumerate(lines, 1)],
    })


ENCODING_NAMES = {"utf_8": "UTF-8", "gb18030": "GB18030", "gbk": "GBK", "gb2312": "GB2312", "big5": "Big5",
                  "utf_16": "UTF-16", "utf_32": "UTF-32", "?": "无法识别"}
