"""What a build remembers between runs, and the lock that keeps two builds apart.

Beside each output folder lies its lock (`.search_index.lock`, `._site.lock`),
held (flock) while a build writes it; the system lets go of it when the
process ends, however it ends, so a killed build never leaves a lock behind.

Beside the index lives a hidden folder (`.search_index.build/` for
`search_index/`) with

* `cache.db` — per article content: its HTML and tokens, so that an
               unchanged article is never segmented twice (SQLite);
* `manifest.marshal` — what the last build read and wrote: every article's
               digest and metadata, every page's digest, every file's hash,
               size and time, the stamp of the site and index;
* `publish.json`, `manifest.next.marshal` — only while a build publishes
               (see `publish.py`).
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

from quzhou_archive.errors import ArchiveError
from quzhou_archive.fsutil import atomic_write

MANIFEST_FORMAT = 2     # 2: the outputs' stamp and their files' sizes and times
SCRATCH_PREFIX = "scratch-"   # temporary folders of a running build, in the state folder


def state_dir(index_dir: Path) -> Path:
    index_dir = Path(index_dir).resolve()
    return index_dir.parent / f".{index_dir.name}.build"


def lock_path(target: Path) -> Path:
    """The lock of an output folder: a file beside it. The same for a folder
    whichever role a build gives it (site or index), so that no two builds
    ever write into one folder."""
    target = Path(target).resolve()
    return target.parent / f".{target.name}.lock"


class BuildLock:
    """One build at a time per output folder: a build holds the lock of every
    folder it writes (its site and its index, and with the index its state
    folder). A second build that wants any of them waits (saying so) or,
    with wait=False, stops with a clear message. Locks are taken in one
    order, so two waiting builds never wait for each other."""

    def __init__(self, targets, wait: bool = True, timeout: float = 3600):
        targets = [targets] if isinstance(targets, (str, os.PathLike)) else targets
        self.paths = sorted({lock_path(t) for t in targets})
        self.wait = wait
        self.timeout = timeout
        self.handles: list = []

    def __enter__(self):
        try:
            for path in self.paths:
                self.handles.append(self._take(path))
        except BaseException:
            self._release()
            raise
        return self

    def _take(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
        try:
            if not self._try(handle):
                holder = self._holder(path)
                if not self.wait:
                    raise ArchiveError(path, f"another build is running{holder}; try again when it is done")
                print(f"another build is running{holder}; waiting for it to finish …", file=sys.stderr, flush=True)
                deadline = time.monotonic() + self.timeout
                while not self._try(handle):
                    if time.monotonic() > deadline:
                        raise ArchiveError(path, f"gave up waiting for the other build{holder}")
                    time.sleep(0.2)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        return handle

    @staticmethod
    def _try(handle) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    @staticmethod
    def _holder(path: Path) -> str:
        try:
            pid = path.read_text().strip()
        except OSError:
            return ""
        return f" (process {pid})" if pid else ""

    def _release(self) -> None:
        for handle in reversed(self.handles):
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        self.handles = []

    def __exit__(self, *exc):
        self._release()


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

    def has_all(self, digests) -> bool:
        """Does the cache hold all this content? (Someone may have deleted it.)"""
        known = {k for (k,) in self.db.execute("SELECT key FROM content")}
        return all(self.key(d) in known for d in digests)

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
                             "files": {}, "shards": 0, "stamp": None, "stats": {}, "index_files": {}}

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
        """Every file of the site: its hash."""
        return self.data["files"]

    @property
    def stats(self) -> dict[str, list[int]]:
        """Every file of the site: its size and modification time (ns) when published."""
        return self.data["stats"]

    @property
    def index_files(self) -> dict[str, list[int]]:
        """Every file of the index: its size and modification time."""
        return self.data["index_files"]

    @property
    def stamp(self) -> str | None:
        """The stamp the site and the index carry (`publish.py`)."""
        return self.data["stamp"]

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
