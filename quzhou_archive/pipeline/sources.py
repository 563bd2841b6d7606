"""The sources: every article file and the digest of its bytes (`scan`),
and which of them are new, changed or gone since the last build (`plan`).
Nothing is read here but the files whose size or time moved; reading and
checking articles is the analyse stage's work."""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from quzhou_archive.articlefiles import article_file_stats
from quzhou_archive.errors import ArchiveError
from quzhou_archive.progress import progress
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.pipeline.workers import Forked


@dataclass
class Source:
    """An article file as the build found it."""

    id: str
    path: str
    digest: str     # of its bytes
    size: int
    mtime: int      # ns


def scan(root: Path, known: dict | None = None, listing=None) -> list[Source]:
    """Every article file and the digest of its content. A file whose size and
    modification time are what the last build saw keeps that build's digest
    (as make does); others are read and hashed. `known`: the last build's
    `ArticleRecord`s, by ID; `listing`: the files as `list_meanwhile` is
    listing them."""
    if not root.is_dir():
        raise ArchiveError(root, "no articles folder here (ingest raw pages first: build_site.py ingest PATH)")
    known = known or {}
    sources = []
    prefix = len(str(root)) + 1
    listed = listing.result() if listing is not None else None
    for path, size, mtime in article_file_stats(str(root)) if listed is None else listed:
        article_id = path[prefix:-3].replace(os.sep, "/")
        seen = known.get(article_id)
        if seen and seen.size == size and seen.mtime == mtime:
            digest = seen.digest
        else:
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        sources.append(Source(article_id, path, digest, size, mtime))
    if not sources:
        raise ArchiveError(root, "no articles to build (ingest raw pages first: build_site.py ingest PATH)")
    return sources


def list_meanwhile(root: Path, jobs: int):
    """With more than one job, the article files listed with their sizes and
    times (`article_file_stats`: a stat call each) by a forked process,
    while this one reads what the last build left; None otherwise."""
    if jobs < 2 or not root.is_dir():
        return None
    return Forked(article_file_stats, str(root))


def load_articles(root: Path) -> list:
    """Read and check every article; all problems are reported, then the first raised."""
    return read_articles([(Path(s.path), s.id) for s in scan(root)], root)


def read_articles(items, root: Path) -> list:
    """`articles.Article`s, sorted by ID."""
    from quzhou_archive import articles as store

    loaded, errors = [], []
    for path, _ in progress(items, desc="read", unit="article"):
        try:
            loaded.append(store.read_article(root, path))
        except ArchiveError as error:
            errors.append(error)
    for error in errors[1:]:
        print(error, file=sys.stderr)
    if errors:
        raise errors[0]
    return sorted(loaded, key=lambda a: a.id)


@dataclass
class Plan:
    """What changed since the last build."""

    changed: set[str] = field(default_factory=set)      # new files, and files whose bytes changed
    removed: set[str] = field(default_factory=set)      # files that are gone


@timed("sources")
def run(ctx) -> None:
    """Scan the articles; say what changed; keep the last build's record of
    every article whose file did not (with its file's new time, if only
    that moved)."""
    ctx.sources = scan(ctx.articles_dir, ctx.known, ctx.listing)
    ctx.listing = None
    ctx.plan = make_plan(ctx.sources, ctx.last.articles if not ctx.fresh else {})
    for source in ctx.sources:
        if source.id not in ctx.plan.changed:
            record = ctx.last.articles[source.id]
            if record.size != source.size or record.mtime != source.mtime:
                record = record._replace(size=source.size, mtime=source.mtime)
            ctx.records[source.id] = record


def make_plan(sources: list[Source], last: dict) -> Plan:
    current = {s.id for s in sources}
    return Plan(changed={s.id for s in sources if s.id not in last or last[s.id].digest != s.digest},
                removed=set(last) - current)


def unchanged(ctx) -> bool:
    """Are the articles exactly those of the last build?"""
    return len(ctx.sources) == len(ctx.last.articles) and all(
        (old := ctx.last.articles.get(s.id)) is not None and old.digest == s.digest for s in ctx.sources)
