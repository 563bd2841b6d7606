"""The staged site, and what of the published outputs is still as the
last build wrote it."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from quzhou_archive.fsutil import staging
from quzhou_archive.pipeline.publish import site_record, site_stamp
from quzhou_archive.pipeline.state import Manifest, file_digest


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
    def begin(cls, out_dir: Path, fresh: bool) -> "StagedSite":
        with staging(Path(out_dir), linked=not fresh) as new:
            return cls(new)

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def write(self, rel: str, data: str | bytes) -> SiteFile:
        data = data.encode("utf-8") if isinstance(data, str) else data
        target = self.root / rel
        try:
            st = target.stat()
            if st.st_size == len(data) and target.read_bytes() == data:
                return SiteFile(rel, file_digest(data), len(data), False, st.st_mtime_ns)
            target.unlink()     # a hard link to the old site's file: never write through it
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return SiteFile(rel, file_digest(data), len(data), True, target.stat().st_mtime_ns)

    def remove(self, rels: list[str]) -> None:
        for rel in rels:
            (self.root / rel).unlink(missing_ok=True)


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
    retimed: bool = False                           # files touched whose bytes are the same (their times noted)

    def __bool__(self) -> bool:
        return bool(self.site) or self.index

    def said(self) -> str:
        parts = [f"{len(self.site)} missing or changed file(s) of the site rewritten"] if self.site else []
        parts += ["the index rebuilt, a file of it was missing or changed"] if self.index else []
        return "".join(f"; {p}" for p in parts)


def unchanged(path: str, seen: list, digest: str | None) -> bool | None:
    """Is the file as it was? By size and time, and where only the time
    moved, by its bytes. None: it is not there."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if seen and [st.st_size, st.st_mtime_ns] == seen[:2]:
        return True
    if seen and st.st_size == seen[0] and digest is not None:
        with open(path, "rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() == digest:
                seen[1] = st.st_mtime_ns
                return True
    return False


def check_outputs(manifest: Manifest, out_dir: Path, index_dir: Path) -> Repair:
    """Every file the last build published, looked at: missing or changed
    ones are rewritten by this build."""
    repair = Repair()
    root = str(out_dir) + os.sep
    for rel, digest in manifest.files.items():
        seen = manifest.stats.get(rel)
        before = list(seen or [])
        if not unchanged(root + rel, seen, digest):
            repair.site.add(rel)
        repair.retimed |= bool(seen) and seen != before
    for name, seen in manifest.index_files.items():
        before = list(seen)
        if not unchanged(str(index_dir / name), seen, seen[2]):
            repair.index = True
        repair.retimed |= seen != before
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
                stats[path.name] = [st.st_size, st.st_mtime_ns, file_digest(path.read_bytes())]
    return stats
