"""The sources: every article file and its digest (scan), which of them
are new, changed or gone, and the reading of those (the plan)."""
from __future__ import annotations

import functools
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from quzhou_archive import __version__
from quzhou_archive import articles as store
from quzhou_archive.errors import ArchiveError
from quzhou_archive.pipeline.state import Manifest, tree_digest
from quzhou_archive.progress import progress
from quzhou_archive.search import browser_index as export
from quzhou_archive.site import render
from quzhou_archive.site.render import article_url
from quzhou_archive.analyse.segment import TOKENIZER_VERSION

PACKAGE = Path(__file__).resolve().parent.parent


@dataclass
class Source:
    id: str
    path: Path
    digest: str
    stat: list[int] = field(default_factory=list)   # size, modification time (ns)


@dataclass
class ArticleInfo:
    """What every stage but segment needs of an article; kept in the manifest."""

    id: str
    digest: str
    meta: dict
    summary: str
    url: str
    lengths: tuple[int, int] = (0, 0)   # headline, body characters

    stat: list[int] = field(default_factory=list)

    def plain(self) -> dict:
        return {"digest": self.digest, "meta": self.meta, "summary": self.summary, "lengths": list(self.lengths),
                "stat": self.stat}

    @classmethod
    def from_plain(cls, article_id: str, data: dict) -> "ArticleInfo":
        return cls(article_id, data["digest"], data["meta"], data["summary"], article_url(article_id),
                   tuple(data["lengths"]), data.get("stat", []))


def scan(root: Path, known: dict[str, dict] | None = None) -> list[Source]:
    """Every article file and the digest of its content. A file whose size and
    modification time are what the last build saw keeps that build's digest
    (as make does); others are read and hashed."""
    if not root.is_dir():
        raise ArchiveError(root, "no articles folder here (ingest raw pages first: build_site.py ingest PATH)")
    known = known or {}
    sources = []
    prefix = len(str(root)) + 1
    for path in store.article_paths(root):
        article_id = str(path)[prefix:-3].replace(os.sep, "/")
        stat = os.stat(path)
        seen = known.get(article_id)
        if seen and seen.get("stat") == [stat.st_size, stat.st_mtime_ns]:
            digest = seen["digest"]
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        sources.append(Source(article_id, path, digest, [stat.st_size, stat.st_mtime_ns]))
    if not sources:
        raise ArchiveError(root, "no articles to build (ingest raw pages first: build_site.py ingest PATH)")
    return sources


def load_articles(root: Path) -> list[store.Article]:
    """Read and check every article; all problems are reported, then the first raised."""
    return _read([(s.path, s.id) for s in scan(root)], root)


def _read(items, root: Path) -> list[store.Article]:
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
    infos: dict[str, ArticleInfo]              # every article, by ID
    order: list[str]                            # IDs in document-number order
    articles: dict[str, store.Article] = field(default_factory=dict)   # the ones read this time
    changed: set[str] = field(default_factory=set)   # new or changed content or metadata
    removed: set[str] = field(default_factory=set)
    full_index: bool = True
    full_export: bool = True
    fresh: bool = True                          # built from nothing
    repair: set[str] = field(default_factory=set)   # site files missing or changed since the last build

    @functools.cached_property
    def docnum(self) -> dict[str, int]:
        return {aid: n for n, aid in enumerate(self.order)}


def settings_digest(base_url: str, out_dir: Path, index_dir: Path) -> str:
    """What, besides the articles, the outputs depend on: code, templates,
    assets, data files, base URL, folders."""
    return hashlib.sha256("|".join([
        __version__, str(TOKENIZER_VERSION), str(export.FORMAT_VERSION), base_url,
        str(Path(out_dir).resolve()), str(Path(index_dir).resolve()),
        tree_digest(PACKAGE, suffixes=(".py", ".yaml", ".txt")), tree_digest(render.TEMPLATES), tree_digest(render.STATIC),
    ]).encode()).hexdigest()


def make_plan(sources: list[Source], root: Path, manifest: Manifest, fresh: bool) -> Plan:
    """Which articles are new, changed or gone; read the ones that changed."""
    old = manifest.articles
    current = {s.id: s for s in sources}
    changed_sources = [s for s in sources if fresh or s.id not in old or old[s.id]["digest"] != s.digest]
    articles = {a.id: a for a in _read([(s.path, s.id) for s in changed_sources], root)}
    infos: dict[str, ArticleInfo] = {}
    for s in sources:
        if s.id in articles:
            infos[s.id] = ArticleInfo(s.id, s.digest, articles[s.id].meta, "", article_url(s.id))  # facts follow segment
        else:
            infos[s.id] = ArticleInfo.from_plain(s.id, old[s.id])
        infos[s.id].stat = s.stat
    order = export.doc_order([(aid, info.meta.get("date")) for aid, info in infos.items()])
    plan = Plan(infos, order, articles)
    plan.changed = {s.id for s in changed_sources}
    plan.removed = set() if fresh else set(old) - set(current)
    plan.full_index = plan.fresh = fresh
    old_order = manifest.data.get("order", [])
    # the browser index is updated in place only while no unchanged article's number moves
    plan.full_export = fresh or export.shard_count(len(order)) != manifest.data.get("shards") or any(
        aid in plan.infos and plan.docnum[aid] != n for n, aid in enumerate(old_order) if aid not in plan.changed)
    return plan
