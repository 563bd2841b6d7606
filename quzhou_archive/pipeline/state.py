"""What a build remembers between runs, and the lock that keeps two builds apart.

Beside each output folder lies its lock (`.search_index.lock`, `._site.lock`),
held (flock) while a build writes it; the system lets go of it when the
process ends, however it ends, so a killed build never leaves a lock behind.

Beside the index lives a hidden folder (`.search_index.build/` for
`search_index/`) with

* `cache.db` — what each analyser made of each article file (its
               metadata, HTML and text, tokens …), so that an unchanged
               article is never analysed twice (SQLite);
* `manifest.marshal` — what the last build read and wrote: every article's
               digest and what lists show of it, every output file with
               the digest of its inputs and its hash, size and time, the
               stamp of the site and index; written as the records changed
               since its base, `manifest-base-….marshal` (see `Written`);
* `publish.json`, `manifest.next.marshal` — only while a build publishes
               (see `publish.py`).
"""
from __future__ import annotations

import fcntl
import functools
import gc
import hashlib
import marshal
import os
import secrets
import shutil
import sqlite3
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from quzhou_archive.errors import ArchiveError
from quzhou_archive.fsutil import TRASH_MARK, atomic_write, remove_in_background

MANIFEST_FORMAT = 8     # 8: a base and the changes since; 7: the standby site; 6: article records carry their analysers' summaries; 5: cards carry the keywords that put an article in each topic; 4: the delta of the browser index; 3: every output with the digest of its inputs; compact article records
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
    files in the state folder; and old folders whose removal in the
    background was cut short (or is still going on: removed in the
    background again, not waited for)."""
    for item in folder.glob(f"{SCRATCH_PREFIX}*"):
        shutil.rmtree(item, ignore_errors=True)
    for target in (out_dir, index_dir):
        target = Path(target)
        if not target.parent.exists():
            continue
        for item in target.parent.glob(f".{target.name}.*"):
            if not item.is_dir():
                continue
            if TRASH_MARK in item.name:
                remove_in_background(item)
            elif ".new-" in item.name or ".old-" in item.name:
                shutil.rmtree(item, ignore_errors=True)


class AnalysisCache:
    """What the analysers made of each article file (`analyse.py`), by the
    file's digest and the analyser's name: one row each, with the version
    of the analyser that wrote it and the digest of what it read of the
    other analysers' results. A row of another version, or made from other
    inputs, is not used. Values are marshalled plain data; decoding them
    is the reader's business."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = str(folder)
        self.db = sqlite3.connect(folder / "cache.db")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=600000")     # the workers of a stage write in turn
        self.db.execute("DROP TABLE IF EXISTS content")        # the cache of before analysers had versions of their own
        if "WITHOUT ROWID" in self._schema():       # the cache of before its rows were kept by rowid
            self.db.execute("DROP TABLE analysis")
        # by rowid, not in the key's own tree: rows of kilobytes, written in the
        # order of the files' digests, which is no order, cost half as much
        self.db.execute("CREATE TABLE IF NOT EXISTS analysis (digest TEXT, name TEXT, version TEXT, inputs TEXT, "
                        "value BLOB, PRIMARY KEY (digest, name))")
        self.db.execute("CREATE TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY, value TEXT)")

    def _schema(self) -> str:
        row = self.db.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name='analysis'").fetchone()
        return row[0] if row else ""

    def stamp(self) -> str | None:
        """The stamp of the build whose `keep_only` last cleared the cache:
        while it is the published site's, the cache holds every result of
        that build's articles and nothing else."""
        row = self.db.execute("SELECT value FROM kept WHERE key='stamp'").fetchone()
        return row[0] if row else None

    def rows(self, digest: str) -> dict[str, tuple[str, str]]:
        """Analyser name -> (version, inputs) of what is cached of one file."""
        return {name: (version, inputs) for name, version, inputs in self.db.execute(
            "SELECT name, version, inputs FROM analysis WHERE digest=?", (digest,))}

    def current(self, versions: dict[str, str]) -> dict[str, set[str]]:
        """File digest -> the analysers whose result for it is cached at
        their version in `versions` (the whole cache read once)."""
        found: dict[str, set[str]] = {}
        for digest, name, version in self.db.execute("SELECT digest, name, version FROM analysis"):
            if versions.get(name) == version:
                found.setdefault(digest, set()).add(name)
        return found

    def values(self, digest: str, names) -> dict[str, bytes]:
        """The marshalled results of some analysers for one file."""
        names = tuple(names)
        marks = ",".join("?" * len(names))
        return dict(self.db.execute(f"SELECT name, value FROM analysis WHERE digest=? AND name IN ({marks})",
                                    (digest, *names)))

    def values_of(self, name: str, digests) -> dict[str, bytes]:
        """File digest -> the marshalled result of analyser `name`, for some files."""
        digests = list(digests)
        found: dict[str, bytes] = {}
        for start in range(0, len(digests), 500):       # (SQLite takes so many parameters at once)
            some = digests[start:start + 500]
            found.update(self.db.execute(f"SELECT digest, value FROM analysis WHERE name=? AND digest IN "
                                         f"({','.join('?' * len(some))})", (name, *some)))
        return found

    def results_of(self, names, digests) -> dict[str, dict[str, bytes]]:
        """Analyser name -> file digest -> the marshalled result, for some
        analysers and files (one query per few hundred files)."""
        names, digests = tuple(names), list(digests)
        found: dict[str, dict[str, bytes]] = {name: {} for name in names}
        for start in range(0, len(digests), 500):
            some = digests[start:start + 500]
            for digest, name, value in self.db.execute(
                    f"SELECT digest, name, value FROM analysis WHERE name IN ({','.join('?' * len(names))}) "
                    f"AND digest IN ({','.join('?' * len(some))})", (*names, *some)):
                found[name][digest] = value
        return found

    def put_many(self, rows) -> None:
        """(digest, name, version, inputs, marshalled value) rows."""
        self.db.executemany("INSERT OR REPLACE INTO analysis VALUES (?, ?, ?, ?, ?)", rows)
        self.db.commit()

    def keep_only(self, digests: set[str], versions: dict[str, str], stamp: str | None = None) -> None:
        """Forget what no article has any more, and what analysers of other
        versions (or analysers no longer run) made; note the build's stamp."""
        stale = [(d, n) for d, n, v in self.db.execute("SELECT digest, name, version FROM analysis")
                 if d not in digests or versions.get(n) != v]
        self.db.executemany("DELETE FROM analysis WHERE digest=? AND name=?", stale)
        self.db.execute("INSERT OR REPLACE INTO kept VALUES ('stamp', ?)", (stamp,))
        self.db.commit()

    def forget(self, digests, stamp: str | None) -> None:
        """Forget what some files' analysers made (files no article has any
        more); note the build's stamp."""
        self.db.executemany("DELETE FROM analysis WHERE digest=?", [(d,) for d in digests])
        self.db.execute("INSERT OR REPLACE INTO kept VALUES ('stamp', ?)", (stamp,))
        self.db.commit()

    def close(self) -> None:
        self.db.close()


class ArticleRecord(NamedTuple):
    """What a build keeps of an article between builds: enough to know
    whether its file changed, and what the pages listing it and the
    indexes' document tables show, without reading it again."""

    digest: str                 # of the file's bytes
    size: int                   # the file's size and modification time (ns) when it was hashed
    mtime: int
    card: tuple                 # site.model.Card: what lists show of it
    lengths: tuple[int, int]    # headline and body characters, as the indexes count them
    summaries: dict = {}        # analyser -> a digest of what it made of the file (those that summarise)


class OutputRecord(NamedTuple):
    """One file of the site as a build wrote it."""

    group: str                  # the stage's name for the kind of file (pages, shards, …)
    inputs: str                 # the digest of everything it was made from
    digest: str                 # of its bytes
    size: int                   # its size and modification time (ns) when published
    mtime: int


@dataclass
class Manifest:
    """What the last build read and wrote (`manifest.marshal`, with its base: see `Written`)."""

    settings: str | None = None             # the folders and base URL these outputs are for
    versions: dict[str, str] = field(default_factory=dict)      # of each analyser and stage, when last run
    stamp: str | None = None                # the stamp the site and the index carry (`publish.py`)
    articles: dict[str, ArticleRecord] = field(default_factory=dict)
    outputs: dict[str, OutputRecord] = field(default_factory=dict)      # every file of the site, by path
    groups: dict[str, str] = field(default_factory=dict)    # a group of outputs -> the digest all of it was made from
    index_files: dict[str, list] = field(default_factory=dict)      # every file of the index: size, time, hash
    order: list[str | None] = field(default_factory=list)   # the browser index's documents, by number (None: removed)
    delta_from: int = 0                     # the first number whose postings are in the delta shards
    words: dict[str, int] = field(default_factory=dict)     # the vocabulary: word -> occurrences in the archive
    chars: dict[str, int] = field(default_factory=dict)     # character -> occurrences
    standby: tuple | None = None            # standby.Standby: the site before the published one, kept
    stored: "Stored | None" = field(default=None, repr=False, compare=False)   # how it was written, when loaded

    @property
    def empty(self) -> bool:
        return self.stamp is None

    def digests(self) -> dict[str, str]:
        return {aid: record.digest for aid, record in self.articles.items()}

    @staticmethod
    def exists(folder: Path) -> bool:
        return (folder / MANIFEST_FILE).exists()

    # marshal: several times faster than JSON for a hundred thousand articles'
    # worth; a manifest another Python cannot read is simply a first build again
    @classmethod
    def load(cls, folder: Path) -> "Manifest":
        with collector_paused():
            try:
                changes = marshal.loads((folder / MANIFEST_FILE).read_bytes())
                if not isinstance(changes, dict) or changes.get("format") != MANIFEST_FORMAT:
                    return cls()
                base = marshal.loads((folder / changes["base"]).read_bytes())
                if not isinstance(base, dict) or base.get("name") != changes["base"]:
                    return cls()
            except (OSError, ValueError, EOFError, TypeError, KeyError):
                return cls()
            manifest = cls.from_stored(base, changes)
        forget_other_bases(folder, changes["base"])
        return manifest

    @classmethod
    def from_stored(cls, base: dict, changes: dict) -> "Manifest":
        # tuple.__new__ made each record, not `_make`: a call in C, not one in Python, per record
        record, output = functools.partial(tuple.__new__, ArticleRecord), functools.partial(tuple.__new__, OutputRecord)
        articles = dict(zip(base["articles"][0], map(record, zip(*base["articles"][1:]))))
        outputs = dict(zip(base["outputs"][0], map(output, zip(*base["outputs"][1:]))))
        words, chars = base["words"], base["chars"]
        for whole, changed, make in ((articles, changes["articles"], record), (outputs, changes["outputs"], output),
                                     (words, changes["words"], None), (chars, changes["chars"], None)):
            for key, value in changed.items():
                if value is None:
                    whole.pop(key, None)
                else:
                    whole[key] = make(value) if make else value
        order = base["order"] if changes["order"] is None else changes["order"]
        return cls(changes["settings"], changes["versions"], changes["stamp"], articles, outputs, changes["groups"],
                   changes["index_files"], order, changes["delta_from"], words, chars, changes["standby"],
                   Stored(changes["base"], changes, len(articles) + len(outputs)))

    def written_after(self, last: "Manifest") -> "Written":
        """This manifest as it is written, `last` being the one loaded at the
        start of the build: its changes since last's base, added to those
        that base already had; or, when they have grown past a share of
        the base (or there is none), a new base holding everything."""
        with collector_paused():
            stored = last.stored
            if stored is not None:
                changes = {name: dict(stored.changes[name]) for name in CHANGEABLE}
                for name in CHANGEABLE:
                    changes[name].update(differences(getattr(last, name), getattr(self, name)))
                if sum(len(changes[name]) for name in ("articles", "outputs")) <= stored.size * REBASE_SHARE:
                    order = None if self.order == last.order and stored.changes["order"] is None else self.order
                    return Written(self._changes(stored.base, changes, order), stored.base, None)
            name = f"{BASE_PREFIX}{secrets.token_hex(8)}.marshal"
            return Written(self._changes(name, {n: {} for n in CHANGEABLE}, None), name, self._base(name))

    def _changes(self, base: str, changes: dict, order: list | None) -> bytes:
        return marshal.dumps({
            "format": MANIFEST_FORMAT, "base": base, "settings": self.settings, "versions": self.versions,
            "stamp": self.stamp, "groups": self.groups, "index_files": self.index_files, "order": order,
            "delta_from": self.delta_from, "standby": tuple(self.standby) if self.standby else None, **changes})

    def _base(self, name: str) -> bytes:
        """Everything, a column a field: a hundred thousand records load as a
        few long lists rather than as as many small objects."""
        return marshal.dumps({
            "name": name,
            "articles": [list(self.articles), *map(list, zip(*self.articles.values()))] if self.articles
            else [[]] + [[] for _ in ArticleRecord._fields],
            "outputs": [list(self.outputs), *map(list, zip(*self.outputs.values()))] if self.outputs
            else [[]] + [[] for _ in OutputRecord._fields],
            "words": self.words, "chars": self.chars, "order": self.order})

    def save(self, folder: Path, last: "Manifest") -> None:
        self.written_after(last).save(folder)


MANIFEST_FILE = "manifest.marshal"
BASE_PREFIX = "manifest-base-"
CHANGEABLE = ("articles", "outputs", "words", "chars")     # what the changes since the base are kept for, key by key
REBASE_SHARE = 0.25     # a new base once the changes reach this share of the base's records


class Stored(NamedTuple):
    """How a loaded manifest was written: the name of its base, the changes
    since that base, and the base's size in records."""

    base: str
    changes: dict
    size: int


class Written(NamedTuple):
    """A manifest as it is written: `manifest.marshal` holds what is small
    (versions, stamp …) and every record changed since its base, a file of
    its own (`manifest-base-….marshal`) that a build writes only once in a
    while, when the changes have grown past a share of it. So a build that
    changed one article writes a few records, not every record of a
    hundred thousand articles and their files again."""

    changes: bytes
    base_name: str
    base: bytes | None      # a new base, to be written first

    def save(self, folder: Path, name: str = MANIFEST_FILE, durable: bool = False) -> None:
        if self.base is not None:
            atomic_write(folder / self.base_name, self.base, durable=durable)
        atomic_write(folder / name, self.changes, durable=durable)


def differences(old: dict, new: dict) -> dict:
    """Key -> new value of what changed from `old` to `new` (None: gone)."""
    changed = {key: (tuple(value) if isinstance(value, tuple) else value)
               for key, value in new.items() if old.get(key) != value}
    changed.update((key, None) for key in old.keys() - new.keys())
    return changed


def forget_other_bases(folder: Path, keep: str) -> None:
    """Bases no manifest names any more (a build stopped between writing a
    new base and publishing the manifest naming it leaves one behind)."""
    for path in folder.glob(f"{BASE_PREFIX}*"):
        if path.name != keep:
            path.unlink(missing_ok=True)


@contextmanager
def collector_paused():
    """The cyclic garbage collector off while a manifest's hundreds of
    thousands of small objects are made or read: none of them can be part
    of a cycle, and each pass of the collector would look at all of them."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def file_digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def path_digest(path: Path | str) -> str:
    """`file_digest` of a file's bytes, read a block at a time (a download is hundreds of megabytes)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def tree_digest(*folders: Path, suffixes: tuple[str, ...] = ()) -> str:
    """One digest of every file in some folders (code, templates, data)."""
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and (not suffixes or path.suffix in suffixes):
                h.update(path.relative_to(folder).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def code_digest(*paths: Path) -> str:
    """One digest of some source files or folders (what a stage's or an analyser's results are made by)."""
    h = hashlib.sha256()
    for path in paths:
        path = Path(path)
        for item in ([path] if path.is_file() else sorted(path.rglob("*"))):
            if item.is_file() and "__pycache__" not in item.parts:
                h.update(item.name.encode())
                h.update(item.read_bytes())
    return h.hexdigest()[:16]


def digest_of(*parts) -> str:
    """The digest of some plain data (strings, numbers, tuples, lists, dicts).
    Marshal's format 0: later formats mark an object met twice by a
    reference, so equal data held in shared or separate objects would give
    other bytes."""
    return hashlib.sha256(marshal.dumps(parts, 0)).hexdigest()
