"""The site's files, and the one rule by which each is made or kept.

**Every output has the digest of its inputs.** A stage that makes a file
names it with the digest of everything the file is made from — its
stage's version (code, templates, the analysers it reads, the base URL)
and its own data: a page's context, a shard's postings and word lists, a
feed's entries. `Outputs.want` compares that digest with the one the file
was last made from: the same, and the file is still as it was written
(size and time, else its bytes), and it is kept — a hard link in the
staged site, no work done; otherwise the stage makes it. Files the last
build made that no stage names any more are removed. So a new kind of
output has incremental builds as soon as its stage names its files
with their inputs: nothing else keeps track of it.

A stage that can tell that none of a whole group of its files can have
changed (the pages, when no article's card changed) says so with
`keep_group` and names only the files whose own inputs may have changed:
the others are kept as they are.

The site is built in a staging folder (`StagedSite`) that begins as a
copy of the published one — the standby brought up to date
(`standby.py`), or else a hard-linked copy; a file is written only when
its bytes change, and the staging folder is put in place by `publish.py`.
Every file written or removed is noted (`Outputs.touched`): the files in
which the site taken out by publishing is behind the one put in.
"""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import operator
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from quzhou_archive.fsutil import TreeLink, folder_mode, remove_tree, staging, staging_dir
from quzhou_archive.pipeline import standby
from quzhou_archive.pipeline.publish import STAMP_FILE, site_record, site_stamp
from quzhou_archive.pipeline.state import Manifest, OutputRecord, file_digest, path_digest
from quzhou_archive.pipeline.workers import Forked
from quzhou_archive.pipeline.timing import timed


class SiteFile(NamedTuple):
    path: str           # relative to the site root
    digest: str
    size: int
    written: bool       # False: the file was already there with these bytes
    mtime: int          # its modification time (ns), by which the next build sees whether it is still as written


@dataclass(frozen=True)
class StagedSite:
    """The new site's folder while it is built: to begin with, the old site's
    files as hard links (which cost no copying); a file is replaced only when
    its bytes change. Small enough to hand to the workers, which write into it."""

    root: Path

    @classmethod
    def begin(cls, out_dir: Path, fresh: bool, linking: TreeLink | None = None) -> "StagedSite":
        """The staged site: empty, a linked copy of the published one, or
        the copy `linking` has been making (`prepare`)."""
        if linking is not None:
            try:
                root = linking.wait()
                os.chmod(root, folder_mode())    # the copy took the old folder's mode
            except BaseException:
                linking.cancel()
                raise
            return cls(root)
        with staging(Path(out_dir), linked=not fresh) as new:
            return cls(new)

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def write(self, rel: str, data: str | bytes) -> SiteFile:
        """Write a file of the site, unless it is there with these bytes. A
        build writes tens of thousands of them, so each costs as few system
        calls as can be: created at once (its folder made only when the
        creation says it is missing), compared only when it is already there."""
        data = data.encode("utf-8") if isinstance(data, str) else data
        path = f"{os.fspath(self.root)}/{rel}"
        try:
            fd = os.open(path, NEW_FILE, 0o666)     # (the umask decides the mode, as for any new file)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd = os.open(path, NEW_FILE, 0o666)
        except FileExistsError:
            st = os.stat(path)
            if st.st_size == len(data) and _read(path) == data:
                return SiteFile(rel, file_digest(data), len(data), False, st.st_mtime_ns)
            os.unlink(path)     # a hard link to the old site's file: never write through it
            fd = os.open(path, NEW_FILE, 0o666)
        try:
            _write_all(fd, data)
            mtime = os.fstat(fd).st_mtime_ns
        finally:
            os.close(fd)
        return SiteFile(rel, file_digest(data), len(data), True, mtime)

    @contextlib.contextmanager
    def streaming(self, rel: str):
        """A file written piece by piece (`FileStream.write`), never held whole
        in memory: a whole-archive download is hundreds of megabytes. It is
        written beside its place and put there at the end, unless its bytes
        are those already there; `FileStream.file` is then its SiteFile."""
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.part")
        stream = FileStream(rel, open(part, "wb"))
        try:
            yield stream
            stream.handle.close()
            stream.file = self._settle(target, part, stream)
        finally:
            stream.handle.close()
            part.unlink(missing_ok=True)

    @staticmethod
    def _settle(target: Path, part: Path, stream: "FileStream") -> SiteFile:
        digest = stream.hash.hexdigest()
        with contextlib.suppress(FileNotFoundError):
            st = target.stat()
            if st.st_size == stream.size and path_digest(target) == digest:
                return SiteFile(stream.rel, digest, stream.size, False, st.st_mtime_ns)
        os.replace(part, target)        # (a hard link to the old site's file is replaced, never written through)
        return SiteFile(stream.rel, digest, stream.size, True, target.stat().st_mtime_ns)

    def remove(self, rels: list[str]) -> None:
        """Remove files, and the folders they leave empty."""
        folders = set()
        for rel in rels:
            (self.root / rel).unlink(missing_ok=True)
            folders.update((self.root / rel).parents)
        for folder in sorted((f for f in folders if self.root in f.parents), key=lambda f: -len(f.parts)):
            with contextlib.suppress(OSError):      # not empty
                folder.rmdir()


NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class FileStream:
    """A file of the site being written piece by piece (`StagedSite.streaming`)."""

    def __init__(self, rel: str, handle):
        self.rel, self.handle = rel, handle
        self.hash = hashlib.sha256()
        self.size = 0
        self.file: SiteFile | None = None

    def write(self, data: bytes | memoryview) -> None:
        self.hash.update(data)
        self.handle.write(data)
        self.size += len(data)


class Outputs:
    """Every file of the new site: kept as the last build made it, or made
    by a stage now (`want`, then `made`)."""

    def __init__(self, site: StagedSite, last: Manifest, repair: "Repair"):
        self.site = site
        self.last = last.outputs         # (read, never changed: the manifest's own, but for files touched)
        if repair.retimed:
            self.last = dict(last.outputs)
            self.last.update((path, self.last[path]._replace(mtime=mtime)) for path, mtime in repair.retimed.items()
                             if path in self.last)
        self.last_groups = last.groups
        self.damaged = repair.site
        self.damaged_groups = {self.last[path].group for path in repair.site if path in self.last}
        self.records: dict[str, OutputRecord] = {}
        self.groups: dict[str, str] = {}
        self.kept_groups: set[str] = set()
        self.pending: dict[str, tuple[str, str]] = {}
        self.dropped: set[str] = set()
        self.touched: set[str] = set()      # the files written or removed
        self.written = 0

    def want(self, group: str, path: str, inputs: str) -> bool:
        """Name a file of the site and the digest of its inputs: True when it
        must be made now (then hand what was written to `made`); False when
        the last build's file stands."""
        old = self.last.get(path)
        if old is not None and old.inputs == inputs and old.group == group and path not in self.damaged:
            self.records[path] = old
            self.pending.pop(path, None)
            return False
        self.pending[path] = (group, inputs)
        return True

    def made(self, file: "SiteFile") -> None:
        entry = self.pending.pop(file.path, None)
        if entry is None:       # two pages whose names slug alike (a county spelt two ways): the last one stands
            entry = self.records[file.path].group, self.records[file.path].inputs
        group, inputs = entry
        self.records[file.path] = OutputRecord(group, inputs, file.digest, file.size, file.mtime)
        self.written += file.written
        if file.written:
            self.touched.add(file.path)

    def write(self, group: str, path: str, inputs: str, make) -> None:
        """A file made in this process: `make()` gives its bytes, if it must be made."""
        if self.want(group, path, inputs):
            self.made(self.site.write(path, make()))

    def keep_group(self, group: str, digest: str) -> bool:
        """Were all of `group`'s files made from `digest` last time, and are
        they intact? Then they are kept, but for those named again."""
        self.groups[group] = digest
        if self.last_groups.get(group) != digest or group in self.damaged_groups:
            return False
        self.kept_groups.add(group)
        return True

    def drop(self, paths: list[str]) -> None:
        """Files of a kept group that are to go all the same (a removed article's page)."""
        self.dropped.update(paths)

    def name_group(self, group: str, digest: str) -> None:
        """All of `group`'s files are named now, made from `digest` (so that
        a later build may keep them with `keep_group`)."""
        self.groups[group] = digest

    def paths(self, group: str) -> list[str]:
        """The group's files, named or kept, sorted."""
        named = {p for p, r in self.records.items() if r.group == group}
        if group in self.kept_groups:
            named |= {p for p, r in self.last.items() if r.group == group and p not in self.dropped}
        return sorted(named)

    def digest(self, path: str) -> str:
        """The hash of a file of the new site, made or kept."""
        record = self.records.get(path) or self.last[path]
        return record.digest

    def finish(self) -> str:
        """Keep the files of kept groups that no stage named again; stamp the
        site; remove the files no stage names any more. Returns the stamp."""
        if self.pending:
            raise RuntimeError(f"named but never made: {sorted(self.pending)[:3]}")
        for path, record in self.last.items():
            if path not in self.records and record.group in self.kept_groups and path not in self.dropped:
                self.records[path] = record
        stamp = self.stamp()
        gone = sorted(p for p in self.last if p not in self.records)
        self.site.remove(gone)
        self.touched.update(gone)
        return stamp

    def stamp(self) -> str:
        """The site's stamp: a digest of every file of it but the stamp
        itself, which a build from nothing and a later build of the same
        articles agree on. Written into the site."""
        stamp = file_digest(listing(self.records))
        self.write("stamp", STAMP_FILE, stamp, lambda: stamp + "\n")
        return stamp

    def size(self) -> int:
        return sum(r.size for r in self.records.values())


def listing(records: dict[str, OutputRecord]) -> str:
    """Every file but the stamp, a line each, "path:digest", in the order of
    the paths: what the stamp is the digest of. (Made by functions that run
    in C, a pair at a time: hundreds of thousands of files.)"""
    pairs = sorted(zip(records, map(_DIGEST, records.values())))
    if STAMP_FILE in records:
        pairs.remove((STAMP_FILE, _DIGEST(records[STAMP_FILE])))
    return "\n".join(map(":".join, pairs)) + "\n" if pairs else ""


_DIGEST = operator.itemgetter(OutputRecord._fields.index("digest"))


@timed("staged site")
def prepare(ctx) -> None:
    """The staged site's copy of the published one, now (if not begun): the
    standby brought up to date, at the cost of what the last build changed;
    or, without one, a linked copy begun in the background (linking tens of
    thousands of files takes about as long as checking the published files,
    loading the stages' libraries and analysing a day's articles, which go
    on meanwhile)."""
    if ctx.linking is None and ctx.site is None and not ctx.fresh and ctx.out_dir.is_dir():
        ctx.linking = standby.take(ctx.out_dir, ctx.last.standby) or TreeLink(ctx.out_dir, staging_dir(ctx.out_dir))


def start_check(ctx) -> None:
    """Begin looking at the published outputs (`check`): with more than one
    job, forked processes look at shares of them meanwhile, while this one
    goes on with the build (and looks at its own share when the answer is
    asked for). Hundreds of thousands of stat calls, each wrapped in Python
    that holds the interpreter: threads would only take turns. Begun before
    the build starts any thread (a fork copies only the thread that makes
    it)."""
    if not ctx.fresh:
        ctx.checking = OutputsCheck(ctx.last, ctx.out_dir, ctx.index_dir, ctx.jobs)


@timed("outputs checked")
def check(ctx) -> None:
    """What of the published outputs is no longer as the last build left it."""
    if ctx.fresh:
        ctx.repair = Repair()
    else:
        if ctx.checking is None:
            start_check(ctx)
        ctx.repair = ctx.checking.result()


CHECKED_APART_FROM = 20_000     # published files from which a share of them is looked at by each further job


class OutputsCheck:
    """`check_outputs`, a share of the site's files looked at by each of
    `jobs` - 1 forked processes and the rest, with the index's files, by
    this one when the answer is asked for."""

    def __init__(self, manifest: Manifest, out_dir: Path, index_dir: Path, jobs: int):
        self.manifest, self.out_dir, self.index_dir = manifest, out_dir, index_dir
        count = len(manifest.outputs)
        shares = jobs if jobs > 1 and count >= CHECKED_APART_FROM else 1
        cuts = [count * k // shares for k in range(shares + 1)]
        self.own = (cuts[0], cuts[1])
        self.forked = [(Forked(site_share, manifest, out_dir, start, end), start, end)
                       for start, end in zip(cuts[1:-1], cuts[2:])]

    def result(self) -> Repair:
        repair = check_outputs(self.manifest, self.out_dir, self.index_dir, *self.own)
        for forked, start, end in self.forked:
            found = forked.result()
            if found is None:       # the process failed: its share is looked at here
                found = site_share(self.manifest, self.out_dir, start, end)
            repair.site.update(found[0])
            repair.retimed.update(found[1])
        self.forked = []
        return repair

    def stop(self) -> None:
        """(A build that ends before asking: the processes are stopped.)"""
        for forked, _, _ in self.forked:
            forked.stop()
        self.forked = []


def site_share(manifest: Manifest, out_dir: Path, start: int, end: int) -> tuple[list[str], dict[str, int]]:
    """What `check_outputs` finds of the site's files `start` to `end`, as plain data."""
    found = check_outputs(manifest, out_dir, None, start, end)
    return sorted(found.site), found.retimed


def begin(ctx) -> None:
    """The staged site, and the rule for its files."""
    ctx.site = StagedSite.begin(ctx.out_dir, ctx.fresh, ctx.linking)
    ctx.linking = None
    ctx.outputs = Outputs(ctx.site, ctx.last, ctx.repair)


@timed("finish")
def finish(ctx) -> None:
    ctx.stamp = ctx.outputs.finish()


def discard(ctx) -> None:
    """A build that failed: its staged folders go; the published ones stand."""
    if ctx.linking is not None:
        ctx.linking.cancel()
    for folder in (ctx.site.root if ctx.site else None, ctx.staged_index):
        if folder is not None:
            remove_tree(folder)


# -- what of the published outputs is damaged -------------------------------------------

def outputs_agree(manifest: Manifest, out_dir: Path, index_dir: Path) -> bool:
    """Are the site and the index the ones the manifest describes? (Another
    build may have written either since, or someone replaced one.)"""
    return bool(manifest.stamp) and out_dir.is_dir() and index_dir.is_dir() \
        and site_stamp(out_dir) == manifest.stamp and site_record(index_dir).get("stamp") == manifest.stamp


@dataclass
class Repair:
    """What of the published outputs is no longer as the last build wrote it."""

    site: set[str] = field(default_factory=set)     # site files missing or changed
    index: bool = False                             # a file of the index missing or changed
    retimed: dict[str, int] = field(default_factory=dict)   # site files touched, bytes the same: their times now
    index_retimed: bool = False                     # the same of the index (noted in its records)

    def __bool__(self) -> bool:
        return bool(self.site) or self.index

    def said(self) -> str:
        parts = [f"{len(self.site)} missing or changed file(s) of the site rewritten"] if self.site else []
        parts += ["the index rebuilt, a file of it was missing or changed"] if self.index else []
        return "".join(f"; {p}" for p in parts)


def intact(path: str, size: int, mtime: int, digest: str | None) -> int | None:
    """Is the file as it was written? By size and time, and where only the
    time moved, by its bytes. Its modification time if so, else None."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if st.st_size != size:
        return None
    if st.st_mtime_ns == mtime:
        return mtime
    if digest is not None and path_digest(path) == digest:
        return st.st_mtime_ns
    return None


def check_outputs(manifest: Manifest, out_dir: Path, index_dir: Path | None, start: int = 0,
                  end: int | None = None) -> Repair:
    """Every file the last build published, looked at: missing or changed
    ones are made again by this build. (Of the site, the files `start` to
    `end` in the manifest's order; of the index, every file, unless
    `index_dir` is None.)"""
    repair = Repair()
    root = str(out_dir) + os.sep
    for rel, record in itertools.islice(manifest.outputs.items(), start, end):
        mtime = intact(root + rel, record.size, record.mtime, record.digest)
        if mtime is None:
            repair.site.add(rel)
        elif mtime != record.mtime:
            repair.retimed[rel] = mtime
    for name, seen in (manifest.index_files.items() if index_dir is not None else ()):
        mtime = intact(str(index_dir / name), seen[0], seen[1], seen[2])
        if mtime is None:
            repair.index = True
        elif mtime != seen[1]:
            seen[1] = mtime
            repair.index_retimed = True
    return repair


def index_file_stats(folder: Path, known: dict[str, list]) -> dict[str, list]:
    """Size, time and hash of every file of the (staged) index; a file the
    last build saw with this size and time keeps its hash (Whoosh writes a
    file once and never changes it)."""
    stats = {}
    for path in sorted(folder.iterdir()):
        if path.is_file():
            st = path.stat()
            seen = known.get(path.name)
            if seen and seen[:2] == [st.st_size, st.st_mtime_ns]:
                stats[path.name] = list(seen)
            else:
                stats[path.name] = [st.st_size, st.st_mtime_ns, path_digest(path)]
    return stats
