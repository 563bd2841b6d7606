"""The standby: the site as it was before the published one, kept hidden
beside it (`.NAME.standby` for `NAME/`), from which the next build stages
its site.

A build stages a complete site and exchanges it with the published one
in one step (`publish.py`), so the staged site must begin as a copy of
the published one. Linking every file of a site of tens of thousands of
files costs about a second, whatever the change. The site an exchange
takes out is kept instead: it differs from the one put in only by the
files that build wrote or removed, which the manifest lists
(`Standby.behind`). The next build takes it, puts the published file in
place of each of those (a hard link) or removes it, and has its copy at
the cost of the change. The two share every file no build has rewritten
since, as hard links; a build never writes through a link (it replaces a
file), so neither can change the other.

A build from nothing has no site to keep: it links its own new site
into the standby before publishing it. A build that stops while it holds
the standby leaves it under a staging folder's name, which the next
build clears away; that build then links a copy of the published site
as before (`fsutil.TreeLink`).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from quzhou_archive.fsutil import folder_mode, link_tree, remove_tree, remove_tree_soon, staging_dir
from quzhou_archive.pipeline.publish import STAMP_FILE, identity, site_stamp

SUFFIX = ".standby"


class Standby(NamedTuple):
    """What the manifest says of the standby: which folder it is, the stamp
    of the site it holds, and the files in which it is behind the published
    site (written or removed since)."""

    identity: list[int]     # device and inode: renaming keeps them
    stamp: str | None
    behind: list[str]


def standby_path(out_dir: Path) -> Path:
    out_dir = Path(out_dir).resolve()
    return out_dir.parent / f".{out_dir.name}{SUFFIX}"


class Taken:
    """The standby, taken as this build's staged site (it answers as the
    `fsutil.TreeLink` it stands in for does)."""

    def __init__(self, root: Path):
        self.root = root

    def wait(self) -> Path:
        return self.root

    def cancel(self) -> None:
        remove_tree(self.root)


def take(out_dir: Path, recorded: tuple | None) -> Taken | None:
    """The standby, brought up to date with the published site, under a
    staging folder's name (so that a build stopped from here on leaves it to
    be cleared away); None when there is no standby this build can trust.
    `recorded`: the manifest's `Standby`, as plain data."""
    folder = standby_path(out_dir)
    standby = Standby._make(recorded) if recorded else None
    if standby is None or identity(folder) != standby.identity or site_stamp(folder) != standby.stamp:
        if os.path.lexists(folder):
            remove_tree_soon(folder)
        return None
    staged = staging_dir(out_dir)
    os.rename(folder, staged)       # (onto the empty folder staging_dir made)
    catch_up(staged, Path(out_dir), standby.behind)
    os.chmod(staged, folder_mode())
    return Taken(staged)


def catch_up(staged: Path, published: Path, behind: list[str]) -> None:
    """Make each file the standby is behind in the published one's (a hard
    link to it), or remove it where the published site has none."""
    emptied: set[Path] = set()
    for rel in behind:
        target = staged / rel
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        source = published / rel
        try:
            os.link(source, target)
        except FileNotFoundError:
            if not os.path.lexists(source):
                emptied.add(target.parent)      # gone from the published site too
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)
    remove_empty_folders(staged, emptied)


def remove_empty_folders(root: Path, folders: set[Path]) -> None:
    """Folders (and their parents, up to `root`) that removals left empty."""
    candidates = {f for folder in folders for f in (folder, *folder.parents) if root in f.parents}
    for folder in sorted(candidates, key=lambda f: -len(f.parts)):
        try:
            folder.rmdir()
        except OSError:     # not empty, or already gone
            pass


def keep_copy(staged: Path, out_dir: Path) -> Standby:
    """For a site staged from nothing: a linked copy of it as the standby,
    made before it is published (there is no old site to keep)."""
    folder = standby_path(out_dir)
    if os.path.lexists(folder):
        remove_tree_soon(folder)
    copy = staging_dir(out_dir)
    link_tree(staged, copy)
    os.rename(copy, folder)
    return Standby(identity(folder), site_stamp(folder), [])


def after_publishing(out_dir: Path, touched: set[str]) -> Standby | None:
    """What the standby will be once the staged site is published: the
    site published now, behind by the files this build wrote or removed
    (None: there is no published site to keep)."""
    here = identity(out_dir)
    if here is None or not (Path(out_dir) / STAMP_FILE).exists():
        return None
    return Standby(here, site_stamp(out_dir), sorted(touched))
