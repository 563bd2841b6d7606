"""The index stage: the Whoosh index the command-line search reads
(`search_index/`), staged beside the published one.

It is written anew when there is none, when this stage's version changed
(its code, the analysers it reads, the base URL) or when a file of it is
damaged: the articles, in document order, are cut into runs, and each
worker process reads its run from the cache and writes it as a segment of
its own (`whoosh_index.write_segment`); this process only lists the
segments in the index's table of contents, so no document travels between
processes and none is merged. Otherwise the changed articles are updated
in a hard-linked copy and the removed ones deleted, and when no article
changed the copy only gets its statistics anew: a template edit does not
touch the index.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from quzhou_archive.analyse.segment import TOKENIZER_VERSION
from quzhou_archive.pipeline import analyse
from quzhou_archive.pipeline.state import AnalysisCache, digest_of
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.pipeline.workers import CacheKit, Workers
from quzhou_archive.search import whoosh_index
from quzhou_archive.site.model import article_url

NAME = "whoosh"
READS = ("meta", "content", "tokens")
RUN = 16384         # articles a segment holds at most: what a worker holds the postings of
READ_BATCH = 256    # articles read from the cache at once


def version(code: str, results: dict[str, str], base_url: str) -> str:
    return digest_of(code, [results[name] for name in READS], base_url)[:16]


def index_doc(article_id: str, meta, content, streams: tuple[list[str], list[str]]) -> whoosh_index.IndexDoc:
    headline, body = streams
    return whoosh_index.IndexDoc(
        id=article_id, url=article_url(article_id), title=meta.title, subtitle=meta.subtitle, kicker=meta.kicker,
        body_text=content.body_text, date=meta.date, counties=list(meta.counties), topics=list(meta.topics),
        paper=meta.paper, kind=meta.kind, authors=list(meta.authors), headline=headline, body=body)


def cached_doc(cache: AnalysisCache, article_id: str, digest: str) -> whoosh_index.IndexDoc:
    found = analyse.read(cache, digest, *READS)
    return index_doc(article_id, found.meta, found.content, (found.tokens.headline, found.tokens.body))


def collection_stats(ctx) -> dict:
    return {"tokenizer": TOKENIZER_VERSION, "docs": len(ctx.records), "base_url": ctx.base_url,
            "filters": ctx.collection.options, "average": ctx.collection.averages}


# -- a build from nothing: a segment per run of articles, each written by a worker -------------------

@dataclass
class IndexKit(CacheKit):
    """The analysis cache, opened once per worker when a task first reads it."""

    cache_folder: str


def runs_of(items: list, jobs: int) -> list[list]:
    """The articles cut into runs of at most RUN, as many as a multiple of
    the workers (so that they finish together), in document order."""
    if not items:
        return []
    count = max(1, jobs) * math.ceil(len(items) / (max(1, jobs) * RUN))
    count = min(count, len(items))
    return [items[r * len(items) // count:(r + 1) * len(items) // count] for r in range(count)]


def _write_run(kit: IndexKit, task: tuple[str, list[tuple[str, str]]]):
    """One run of (article ID, file digest), read from the cache and written
    as a segment of the index at `folder` (in a worker); returns the segment."""
    folder, items = task
    return whoosh_index.write_segment(Path(folder), read_run(kit.cache, items))


def read_run(cache: AnalysisCache, items: list[tuple[str, str]]):
    """The run's IndexDocs, read from the cache some at a time (the tokens'
    words, which the index does not hold, left encoded)."""
    for start in range(0, len(items), READ_BATCH):
        batch = items[start:start + READ_BATCH]
        digests = sorted({digest for _, digest in batch})
        found = cache.results_of(READS, digests)
        for article_id, digest in batch:
            if any(digest not in found[name] for name in READS):
                analyse.read(cache, digest, *READS)      # says which result the cache lacks
            analysis = analyse.Analysis({name: found[name][digest] for name in ("meta", "content")})
            yield index_doc(article_id, analysis.meta, analysis.content, analyse.token_streams(found["tokens"][digest]))


def write_all(ctx, stats: dict, words: dict[str, int]):
    items = [(aid, ctx.records[aid].digest) for aid in ctx.order if aid is not None]
    with Workers(ctx.jobs, IndexKit(ctx.cache.path)) as pool:
        def write_segments(folder: Path) -> list:
            tasks = [(str(folder), run) for run in runs_of(items, ctx.jobs)]
            return list(pool.map(_write_run, tasks, "index", "run", chunksize=1, size=len(items)))

        return whoosh_index.write_index(ctx.index_dir, write_segments, stats, words)


def run(ctx) -> None:
    with timed("index"):
        stats, words = collection_stats(ctx), dict(sorted(ctx.words.items()))
        if must_rebuild(ctx):
            ctx.staged_index = write_all(ctx, stats, words)
        elif ctx.plan.changed or ctx.plan.removed:
            changed = [cached_doc(ctx.cache, aid, ctx.records[aid].digest) for aid in sorted(ctx.plan.changed)]
            ctx.staged_index = whoosh_index.update_index(ctx.index_dir, changed, sorted(ctx.plan.removed), stats,
                                                         words)
        else:
            ctx.staged_index = whoosh_index.relink(ctx.index_dir, stats, words)


def must_rebuild(ctx) -> bool:
    return (ctx.fresh or ctx.repair.index or not ctx.index_dir.exists()
            or ctx.last.versions.get("stages", {}).get(NAME) != ctx.versions.stages[NAME])
