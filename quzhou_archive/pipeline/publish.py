"""Putting a build's outputs in place: the new index and the new site, or
the old ones, never a mixture and never nothing.

A build stages a complete index and a complete site beside the old ones;
then:

    1. the new manifest is written beside the old one (`manifest.next.marshal`,
       and a new base of it if one is due: `state.Written`)
    2. the journal (`publish.json`) names each staged folder, its target, and
       the staged folder's identity (device and inode, which renaming keeps)
    3. the index, then the site, are exchanged with their targets, each in
       one step (`fsutil.exchange`): whoever reads either folder finds all
       of the old one or all of the new one
    4. the new manifest replaces the old; the journal goes; the old index,
       now where the staged one was, is deleted; the old site is kept
       hidden beside the new one, as the standby from which the next build
       stages its site (`standby.py`).

The index and the site carry one stamp, a digest of every file of the site
(the site in `.build-stamp`, the index in `site.json` with the site's path),
so that anyone can tell whether they belong together.

Between the two exchanges — microseconds, or for as long as a build stopped
there stays stopped — the index is new and the site old. A reader of the
index asks `index_to_read` first: while a build is publishing it waits for
it; a journal left by a stopped build points it to the index on the other
side of the exchange, the one that matches the site.

If an exchange fails (a folder that may not be renamed: `chattr +i`, a
read-only parent), what was exchanged is exchanged back and the build stops
with one line: the old index and the old site stand. A build that finds a
journal (its predecessor was stopped while publishing) finishes the publish
when everything the journal names is there, else undoes it.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from quzhou_archive.errors import ArchiveError
from quzhou_archive.fsutil import atomic_write, exchange, remove_tree, remove_tree_soon, side_path, sync_folder
from quzhou_archive.pipeline.timing import timed

JOURNAL = "publish.json"
NEXT_MANIFEST = "manifest.next.marshal"
MANIFEST = "manifest.marshal"
STAMP_FILE = ".build-stamp"     # in the site: the stamp of the build that wrote it
SITE_RECORD = "site.json"       # in the index: the site it goes with, and that site's stamp

# Called with the name of each step of publishing as it is reached; tests
# set it to stop a build (os._exit) or make a step fail at a named point.
STEP_HOOK = None


def reached(step: str) -> None:
    if STEP_HOOK is not None:
        STEP_HOOK(step)


def identity(path: Path) -> list[int] | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return [st.st_dev, st.st_ino]


@dataclass
class Step:
    """One folder to put in place: `staged` is to become `target`."""

    name: str           # "index" or "site"
    staged: Path
    target: Path
    side: Path          # where the fallback parks the target for a moment
    new: list[int]      # the staged folder's identity: where it is, there is the new one
    keep: Path | None = None    # where the old folder is kept once replaced (None: it is deleted)

    @classmethod
    def of(cls, name: str, staged: Path, target: Path, keep: Path | None = None) -> "Step":
        return cls(name, Path(staged).resolve(), Path(target).resolve(), side_path(Path(target).resolve()),
                   identity(staged), keep)

    def done(self) -> bool:
        return identity(self.target) == self.new

    def plain(self) -> dict:
        return {"name": self.name, "staged": str(self.staged), "target": str(self.target), "side": str(self.side),
                "new": self.new, "keep": self.keep and str(self.keep)}

    @classmethod
    def from_plain(cls, data: dict) -> "Step":
        return cls(data["name"], Path(data["staged"]), Path(data["target"]), Path(data["side"]), list(data["new"]),
                   data.get("keep") and Path(data["keep"]))

    def put_away_old(self) -> None:
        """The old folder, now where the staged one was: kept where `keep`
        says (replacing what was there), or deleted."""
        if identity(self.staged) == self.new or not os.path.lexists(self.staged):
            return      # (never the new folder itself; nothing, where the target did not exist)
        if self.keep is None:
            remove_tree_soon(self.staged)
            return
        if os.path.lexists(self.keep):
            remove_tree_soon(self.keep)
        os.rename(self.staged, self.keep)

    def swap(self) -> None:
        exchange(self.staged, self.target, self.side)

    def unpark(self) -> None:
        """Where the fallback's three renames were cut short, finish or undo
        the one step so that the target is whole again."""
        if not os.path.lexists(self.side):
            return
        if not os.path.lexists(self.target):
            os.rename(self.side, self.target)       # cut after the first rename: as before
        elif self.done() and not os.path.lexists(self.staged):
            os.rename(self.side, self.staged)       # cut after the second: as after


# -- the journal -------------------------------------------------------------------

def write_journal(folder: Path, steps: list[Step]) -> None:
    atomic_write(folder / JOURNAL, json.dumps({"pid": os.getpid(), "steps": [s.plain() for s in steps]}),
                 durable=True)


def read_journal(folder: Path) -> tuple[int, list[Step]] | None:
    try:
        data = json.loads((folder / JOURNAL).read_text(encoding="utf-8"))
        return int(data["pid"]), [Step.from_plain(s) for s in data["steps"]]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return 0, []        # unreadable: nothing can be finished; the stamps decide what the next build does


def _forget(folder: Path) -> None:
    (folder / NEXT_MANIFEST).unlink(missing_ok=True)
    (folder / JOURNAL).unlink(missing_ok=True)
    sync_folder(folder)


# -- publishing ----------------------------------------------------------------------

def publish(steps: list[Step], folder: Path, manifest) -> None:
    """Put every staged folder in place, with the manifest that describes
    them (`state.Written`: its new base, if any, is written first)."""
    try:
        manifest.save(folder, NEXT_MANIFEST, durable=True)
        reached("manifest staged")
        write_journal(folder, steps)
        reached("journal written")
    except OSError as error:
        _forget(folder)
        for step in steps:
            remove_tree(step.staged)
        raise ArchiveError(error.filename or folder, f"{error.strerror or error}; the old index and site are "
                                                     f"as they were") from None
    done: list[Step] = []
    for step in steps:
        try:
            reached(f"exchanging {step.name}")
            step.swap()
        except OSError as error:
            _put_back(done, steps, folder, step, error)
        done.append(step)
        reached(f"{step.name} exchanged")
    _commit(steps, folder)


def _put_back(done: list[Step], steps: list[Step], folder: Path, failed: Step, error: OSError) -> None:
    """An exchange failed: exchange back the ones done, and say so in one line (always raises)."""
    reason = error.strerror or str(error)
    try:
        for step in reversed(done):
            step.swap()
    except OSError as again:
        raise ArchiveError(failed.target, f"could not be replaced ({reason}), and the {step.name} could not be put "
                                          f"back ({again.strerror or again}); the next build will put it back") from None
    _forget(folder)
    for step in steps:
        remove_tree(step.staged)
    raise ArchiveError(failed.target, f"could not be replaced ({reason}); the old index and site are as they were")


def _commit(steps: list[Step], folder: Path) -> None:
    os.replace(folder / NEXT_MANIFEST, folder / MANIFEST)
    sync_folder(folder)
    reached("manifest saved")
    (folder / JOURNAL).unlink()
    reached("journal removed")
    for step in steps:
        step.put_away_old()
    reached("old folders removed")


def settle(folder: Path) -> str | None:
    """Finish or undo a publish a stopped build left half done (under the
    build lock); says which, or None when there was none."""
    journal = read_journal(folder)
    if journal is None:
        (folder / NEXT_MANIFEST).unlink(missing_ok=True)      # stopped before its journal: nothing was published
        return None
    _, steps = journal
    for step in steps:
        step.unpark()
    pending = [s for s in steps if not s.done()]
    if not (folder / NEXT_MANIFEST).exists() and not pending:
        (folder / JOURNAL).unlink()      # stopped after the manifest was saved: done but for tidying
        return None
    if steps and (folder / NEXT_MANIFEST).exists() and all(identity(s.staged) == s.new for s in pending):
        for step in pending:
            step.swap()
        _commit(steps, folder)
        return "a build stopped while publishing; its index and site are now in place"
    for step in steps:
        if step.done() and os.path.lexists(step.staged):
            step.swap()
    _forget(folder)
    return "a build stopped while publishing; the index and site before it are back in place"


@timed("publish")
def run(ctx) -> None:
    """A build's last stage: its staged index and site stamped as one pair,
    the manifest that describes them staged, and both put in place."""
    from quzhou_archive.pipeline import standby
    from quzhou_archive.pipeline.outputs import index_file_stats

    atomic_write(ctx.staged_index / SITE_RECORD, json.dumps({"site": str(ctx.out_dir.resolve()), "stamp": ctx.stamp},
                                                            ensure_ascii=False))
    ctx.index_files = index_file_stats(ctx.staged_index, ctx.last.index_files)
    if ctx.fresh:       # the site taken out (if any) is not the new one's predecessor: a copy of the new is kept
        ctx.standby, keep = standby.keep_copy(ctx.site.root, ctx.out_dir), None
    else:
        ctx.standby, keep = standby.after_publishing(ctx.out_dir, ctx.outputs.touched), standby.standby_path(ctx.out_dir)
    steps = [Step.of("index", ctx.staged_index, ctx.index_dir), Step.of("site", ctx.site.root, ctx.out_dir, keep)]
    manifest = ctx.manifest().written_after(ctx.last)
    ctx.publishing = True       # from here on, what becomes of the staged folders is this module's business
    publish(steps, ctx.state, manifest)


# -- reading -------------------------------------------------------------------------

def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid > 0


def index_to_read(index_dir: Path, state: Path, patience: float = 2.0) -> Path:
    """The folder holding the index that goes with the site: `index_dir`,
    unless a publish is under way (then wait for it, a moment) or was
    stopped between its exchanges (then the index beside it, which still
    matches the site)."""
    deadline = time.monotonic() + patience
    while True:
        journal = read_journal(state)
        if journal is None:
            return index_dir
        pid, steps = journal
        if not _running(pid) or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    by_name = {s.name: s for s in steps}
    index, site = by_name.get("index"), by_name.get("site")
    if index and not os.path.lexists(index_dir) and (index.side / SITE_RECORD).exists():
        return index.side       # the fallback's renames were cut short: the index is parked beside
    if index and site and index.done() != site.done() and (index.staged / SITE_RECORD).exists():
        return index.staged
    return index_dir


def site_record(index_dir: Path) -> dict:
    try:
        record = json.loads((Path(index_dir) / SITE_RECORD).read_text(encoding="utf-8"))
        return record if isinstance(record, dict) else {}
    except (OSError, ValueError):
        return {}


def site_stamp(site: Path) -> str | None:
    try:
        return (Path(site) / STAMP_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def mismatch(index_dir: Path) -> str | None:
    """Why the index does not go with the site it was built with (None: it does, or that site is gone)."""
    record = site_record(index_dir)
    site = record.get("site")
    if not site or not Path(site).is_dir():
        return None
    if site_stamp(Path(site)) == record.get("stamp"):
        return None
    return (f"this index was built with another version of the site {site}/ (another build has written it "
            f"since); results may link to pages it does not have: build again to bring them together")
