"""What a build remembers between runs, and the lock that keeps two builds apart.

Beside the index lives a hidden folder (`.search_index.build/` for
`search_index/`) with

* `lock`     — held (flock) while a build runs; the system lets go of it when
               the process ends, however it ends, so a killed build never
               leaves a lock behind;
* `cache.db` — per article content: its HTML and tokens, so that an
               unchanged article is never segmented twice (SQLite);
* `manifest.marshal` — what the last build read and wrote: every article's
               digest and metadata, every page's digest, every file's hash.
"""
from __future__ import annotations

import fcntl
import hashlib
import marshal
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from .errors import ArchiveError
from .fsutil import atomic_write

MANIFEST_FORMAT = 1
SCRATCH_PREFIX = "scratch-"   # temporary folders of a running build, in the state folder


def state_dir(index_dir: Path) -> Path:
    index_dir = Path(index_dir).resolve()
    return index_dir.parent / f".{index_dir.name}.build"


class BuildLock:
    """One build at a time per index. A second build waits (saying so) or,
    with wait=False, stops with a clear message."""

    def __init__(self, folder: Path, wait: bool = True, timeout: float = 3600):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "lock"
        self.wait = wait
        self.timeout = timeout
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._holder()
            if not self.wait:
                self.handle.close()
                raise ArchiveError(self.path, f"another build is running{holder}; try again when it is done") from None
            print(f"another build is running{holder}; waiting for it to finish …", file=sys.stderr, flush=True)
            deadline = time.monotonic() + self.timeout
            while True:
                try:
                    fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        self.handle.close()
                        raise ArchiveError(self.path, f"gave up waiting for the other build{holder}") from None
                    time.sleep(0.2)
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"{os.getpid()}\n")
        self.handle.flush()
        return self

    def _holder(self) -> str:
        try:
            pid = Path(self.path).read_text().strip()
        except OSError:
            return ""
        return f" (process {pid})" if pid else ""

    def __exit__(self, *exc):
        self.handle.seek(0)
        self.handle.truncate()
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def remove_leftovers(out_dir: Path, index_dir: Path, folder: Path) -> None:
    """What a killed build left: staging folders beside its outputs, scratch
    files in the state folder."""
    for item in folder.glob(f"{SCRATCH_PREFIX}*"):
        shutil.rmtree(item, ignore_errors=True)
    for target in (out_dir, index_dir):
        target = Path(target)
        if not target.parent.exists():
            continue
        for item in target.parent.glob(f".{target.name}.*"):
            if item.is_dir() and (".new-" in item.name or ".old-" in item.name):
                shutil.rmtree(item, ignore_errors=True)


class ContentCache:
    """Article content digest -> what segmenting it gave (HTML, text, tokens)."""

    def __init__(self, folder: Path, version: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = str(folder)
        self.db = sqlite3.connect(folder / "cache.db")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS content (key TEXT PRIMARY KEY, value BLOB)")
        self.version = version

    def key(self, digest: str) -> str:
        return f"{digest}:{self.version}"

    def has(self, digest: str) -> bool:
        return self.db.execute("SELECT 1 FROM content WHERE key=?", (self.key(digest),)).fetchone() is not None

    def get(self, digest: str):
        row = self.db.execute("SELECT value FROM content WHERE key=?", (self.key(digest),)).fetchone()
        return marshal.loads(row[0]) if row else None

    def put_many(self, items) -> None:
        self.db.executemany("INSERT OR REPLACE INTO content VALUES (?, ?)",
                            ((self.key(d), marshal.dumps(v)) for d, v in items))
        self.db.commit()

    def keep_only(self, digests: set[str]) -> None:
        """Forget content no article has any more (and content of older versions)."""
        wanted = {self.key(d) for d in digests}
        stale = [k for (k,) in self.db.execute("SELECT key FROM content") if k not in wanted]
        self.db.executemany("DELETE FROM content WHERE key=?", ((k,) for k in stale))
        self.db.commit()

    def close(self) -> None:
        self.db.close()


class Manifest:
    """What the last build read and wrote."""

    def __init__(self, data: dict | None = None):
        self.data = data or {"format": MANIFEST_FORMAT, "settings": None, "articles": {}, "pages": {},
                             "files": {}, "shards": 0}

    @property
    def settings(self):
        return self.data["settings"]

    @property
    def articles(self) -> dict[str, dict]:
        return self.data["articles"]

    @property
    def pages(self) -> dict[str, str]:
        return self.data["pages"]

    @property
    def files(self) -> dict[str, str]:
        return self.data["files"]

    @staticmethod
    def exists(folder: Path) -> bool:
        return (folder / "manifest.marshal").exists()

    # marshal: several times faster than JSON for ten thousand articles' worth;
    # a manifest another Python cannot read is simply a first build again
    @classmethod
    def load(cls, folder: Path) -> "Manifest":
        try:
            data = marshal.loads((folder / "manifest.marshal").read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return cls()
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            return cls()
        return cls(data)

    def save(self, folder: Path) -> None:
        atomic_write(folder / "manifest.marshal", marshal.dumps(self.data))


def file_digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def tree_digest(*folders: Path, suffixes: tuple[str, ...] = ()) -> str:
    """One digest of every file in some folders (code, templates, data)."""
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and (not suffixes or path.suffix in suffixes):
                h.update(path.relative_to(folder).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()
