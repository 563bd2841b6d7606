"""Whole-archive downloads joined from one part per article, streamed to
disk, and made again from the last build's bytes wherever they can be.

A download such as `data/articles.jsonl` is a head followed by every
article's part, in the order of the articles' IDs; each part is made from
one analyser's cached result for the article's file. Written, the
download's *layout* — the IDs in its order and where each part ends — is
kept in the state folder (`parts/`), under the digest of the bytes it
describes. The next build that must make the download again takes each
unchanged article's part from the published file, as it is, and asks the
cache only for the parts of the articles that changed: correcting one
article of a hundred thousand copies the rest of the file rather than
reading and joining every article again, and neither build holds the whole
download in memory.

A layout is used only when it describes the published file exactly (its
digest, the stage's version); otherwise every part is made from the cache,
which gives the same bytes.
"""
from __future__ import annotations

import marshal
import os
from array import array
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from quzhou_archive.fsutil import atomic_write

BATCH = 512         # articles whose cached results are asked for in one query

LAYOUTS = "parts"   # the folder of layouts, in the build's state folder


@dataclass
class Download:
    """One file of a download. Each article's part is its items, each
    followed by `separator`; the file is `head`, the parts but for the last
    separator, and `tail` — or `empty` when no article has an item (a JSON
    array: "[\n", ",\n", "\n]\n", "[]\n"; lines and rows: a header, and
    nothing else)."""

    path: str
    head: bytes
    separator: bytes = b""
    tail: bytes = b""
    empty: bytes | None = None      # (None: the head alone)


@dataclass
class Layout:
    """Where each article's part lies in a download as published: `ends`
    counts the parts' bytes with every separator; the file holds `body` of
    them after its head (all but the last separator)."""

    stage: str              # the version of the stage that wrote it
    ids: list[str]          # the articles, in the file's order
    ends: array             # where each one's part ends, from the end of the head
    head: int               # the head's length
    body: int               # the parts' bytes in the file

    def spans(self) -> dict[str, tuple[int, int]]:
        starts = [0, *self.ends[:-1]]
        return {aid: (start, end) for aid, start, end in zip(self.ids, starts, self.ends)}


class Body:
    """The parts of one download, written to its stream: the head before
    the first part that has anything, every separator but the last, then
    the tail (or the empty form). Parts copied from the published file
    that follow one another there are copied as one run, read a few
    megabytes at a time."""

    CHUNK = 4 << 20

    def __init__(self, stream, download: Download, old=None, layout: Layout | None = None):
        self.stream, self.download = stream, download
        self.old, self.layout = old, layout     # the published file (open) and its layout, to copy from
        self.size = 0           # the parts' bytes written, with every separator
        self.held = False       # a separator is owed, unless nothing follows
        self.run: list[int] | None = None       # parts to copy, [start, end) in the layout's terms

    @property
    def end(self) -> int:
        """The parts' bytes so far, with every separator (the layout's terms)."""
        return self.size + (self.run[1] - self.run[0] if self.run else 0)

    def write(self, part: bytes) -> None:
        self._flush()
        self._put([part], len(part))

    def copy(self, start: int, end: int) -> None:
        """An article's part as the published file holds it (its span in the layout's terms)."""
        if end == start:
            return
        if self.run and self.run[1] == start:
            self.run[1] = end
            return
        self._flush()
        self.run = [start, end]

    def close(self) -> int:
        """Ends the file; the bytes of the parts it holds."""
        self._flush()
        if self.size == 0:
            empty = self.download.empty
            self.stream.write(self.download.head if empty is None else empty)
            return 0
        self.stream.write(self.download.tail)
        return self.size - len(self.download.separator)

    def _flush(self) -> None:
        if not self.run:
            return
        (start, end), self.run = self.run, None
        # the file's last part lacks its separator, which `_put` would leave out anyway
        first, last = self.layout.head + start, self.layout.head + min(end, self.layout.body)
        self._put(self._read(first, last), end - start)

    def _read(self, first: int, last: int):
        while first < last:
            piece = os.pread(self.old.fileno(), min(self.CHUNK, last - first), first)
            if not piece:
                raise OSError(f"{self.old.name}: shorter than its layout says")
            first += len(piece)
            yield piece

    def _put(self, pieces, length: int) -> None:
        """Whole parts (`length` bytes with their separators, given as pieces):
        all but their last separator written, which is owed to what follows."""
        if not length:
            return
        separator = self.download.separator
        if self.size == 0:
            self.stream.write(self.download.head)
        if self.held:
            self.stream.write(separator)
        self.size += length
        remaining = length - len(separator)
        for piece in pieces:
            take = min(len(piece), remaining)
            if take > 0:
                self.stream.write(piece if take == len(piece) else piece[:take])
                remaining -= take
        self.held = bool(separator)


def write(ctx, group: str, stage: str, inputs: str, downloads: list[Download], analyser: str,
          parts_of: Callable[[str, bytes], tuple[str, ...]]) -> None:
    """Make the downloads of `group` whose inputs changed, in one pass over
    the articles in the order of their IDs. `parts_of(article_id, value)`
    gives an article's part of each download (in the order of
    `downloads`) from its cached `analyser` result; `stage`: the version
    of the stage, which a layout must have been written by to be used.
    Unchanged articles whose parts lie one after another in the published
    files are copied as one run, their places worked out from the layout
    a run at a time: an edit costs the copy, not a step per article."""
    wanted = [n for n, d in enumerate(downloads) if ctx.outputs.want(group, d.path, inputs)]
    if not wanted:
        return
    ids = sorted(ctx.records)
    with ExitStack() as stack:
        olds = [stack.enter_context(published(ctx, downloads[n].path, stage)) for n in wanted]
        # the published files are copied from only if every one of them can be (one pass, one order)
        usable = all(old is not None and old[1].ids == olds[0][1].ids for old in olds)
        streams = [stack.enter_context(ctx.site.streaming(downloads[n].path)) for n in wanted]
        bodies = [Body(stream, downloads[n], *(old if usable else ())) for stream, n, old in zip(streams, wanted, olds)]
        ends = [array("q") for _ in wanted]
        for first, last, at in runs(ids, unchanged_articles(ctx), olds[0][1].ids if usable else []):
            if at is None:
                for parts in made_parts(ctx, ids[first:last], analyser, parts_of):
                    for body, n, its_ends in zip(bodies, wanted, ends):
                        body.write(parts[n])
                        its_ends.append(body.end)
                continue
            for body, (_, layout), its_ends in zip(bodies, olds, ends):
                start = layout.ends[at - 1] if at else 0
                shift = body.end - start
                body.copy(start, layout.ends[at + last - first - 1])
                its_ends.extend(end + shift for end in layout.ends[at:at + last - first])
        in_file = [body.close() for body in bodies]
    for stream, n, its_ends, length in zip(streams, wanted, ends, in_file):
        path = downloads[n].path
        ctx.outputs.made(stream.file)
        before = ctx.outputs.last.get(path)
        keep_layout(ctx.state, path, Layout(stage, ids, its_ends, len(downloads[n].head), length),
                    stream.file.digest, before.digest if before else None)


def runs(ids: list[str], unchanged: set[str], published: list[str]) -> list[tuple[int, int, int | None]]:
    """The articles `ids` as runs (first, last, at): ids[first:last] are
    unchanged articles whose parts lie one after another in the published
    files, from the at-th part on (`published`: the articles there, in
    order); or, with `at` None, articles whose parts are made anew (new,
    changed, or not in the published files)."""
    place = {aid: n for n, aid in enumerate(published)}
    found, first, count = [], 0, len(ids)
    while first < count:
        at = place.get(ids[first]) if ids[first] in unchanged else None
        last = first + 1
        if at is None:
            while last < count and (ids[last] not in unchanged or ids[last] not in place):
                last += 1
        else:
            while last < count and place.get(ids[last]) == at + last - first and ids[last] in unchanged:
                last += 1
        found.append((first, last, at))
        first = last
    return found


def made_parts(ctx, ids: list[str], analyser: str, parts_of) -> Iterator[list[bytes]]:
    """Each article's parts, encoded, made from its cached result, read a batch at a time."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        values = ctx.cache.values_of(analyser, {ctx.records[aid].digest for aid in chunk})
        for aid in chunk:
            yield [part.encode("utf-8") for part in parts_of(aid, values[ctx.records[aid].digest])]


def unchanged_articles(ctx) -> set[str]:
    """The articles whose files are those the last build joined."""
    last = ctx.last.articles
    return {aid for aid, record in ctx.records.items() if aid in last and last[aid].digest == record.digest}


@contextmanager
def published(ctx, path: str, stage: str):
    """The published file (open) and its layout, if the layout kept for it
    describes it; else None."""
    record = ctx.outputs.last.get(path)
    layout = None if record is None or path in ctx.outputs.damaged else load_layout(ctx.state, path, record.digest)
    if layout is None or layout.stage != stage or not layout.ids:
        yield None
        return
    try:
        handle = open(ctx.out_dir / path, "rb")
    except OSError:
        yield None
        return
    with handle:
        if os.fstat(handle.fileno()).st_size != record.size or record.size == 0:
            yield None
            return
        yield handle, layout


def layout_path(state: Path, path: str, digest: str) -> Path:
    return state / LAYOUTS / f"{path.replace('/', '_')}.{digest}.marshal"


def load_layout(state: Path, path: str, digest: str) -> Layout | None:
    try:
        data = marshal.loads(layout_path(state, path, digest).read_bytes())
        ends = array("q")
        ends.frombytes(data["ends"])
        return Layout(data["stage"], data["ids"], ends, data["head"], data["body"])
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None


def keep_layout(state: Path, path: str, layout: Layout, digest: str, published: str | None) -> None:
    """Keep the new file's layout, and the published file's (a build that
    fails leaves that file in place), but none older."""
    new = layout_path(state, path, digest)
    atomic_write(new, marshal.dumps({"stage": layout.stage, "ids": layout.ids, "ends": layout.ends.tobytes(),
                                     "head": layout.head, "body": layout.body}))
    keep = {new.name, layout_path(state, path, published).name if published else None}
    for item in new.parent.glob(f"{path.replace('/', '_')}.*.marshal"):
        if item.name not in keep:
            item.unlink(missing_ok=True)
