"""The index stage: the Whoosh index the command-line search reads
(`search_index/`), staged beside the published one.

It is written anew — from the cache, article by article, with Whoosh's
multi-process writer — when there is none, when this stage's version
changed (its code, the analysers it reads, the base URL) or when a file
of it is damaged; otherwise the changed articles are updated in a
hard-linked copy and the removed ones deleted, and when no article
changed the copy only gets its statistics anew: a template edit does not
touch the index.
"""
from __future__ import annotations

from quzhou_archive.analyse.segment import TOKENIZER_VERSION
from quzhou_archive.pipeline import analyse
from quzhou_archive.pipeline.state import digest_of
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.progress import progress
from quzhou_archive.search import whoosh_index
from quzhou_archive.site.model import article_url

NAME = "whoosh"
READS = ("meta", "content", "tokens")


def version(code: str, results: dict[str, str], base_url: str) -> str:
    return digest_of(code, [results[name] for name in READS], base_url)[:16]


def index_doc(article_id: str, found: analyse.Analysis) -> whoosh_index.IndexDoc:
    m, tokens = found.meta, found.tokens
    return whoosh_index.IndexDoc(
        id=article_id, url=article_url(article_id), title=m.title, subtitle=m.subtitle, kicker=m.kicker,
        body_text=found.content.body_text, date=m.date, counties=list(m.counties), topics=list(m.topics),
        paper=m.paper, kind=m.kind, authors=list(m.authors), headline=tokens.headline, body=tokens.body)


def collection_stats(ctx) -> dict:
    return {"tokenizer": TOKENIZER_VERSION, "docs": len(ctx.records), "base_url": ctx.base_url,
            "filters": ctx.collection.options, "average": ctx.collection.averages}


def run(ctx) -> None:
    with timed("index"):
        stats, words = collection_stats(ctx), dict(sorted(ctx.words.items()))
        if must_rebuild(ctx):
            docs = (index_doc(aid, analyse.read(ctx.cache, ctx.records[aid].digest, *READS))
                    for aid in progress([a for a in ctx.order if a is not None], desc="index", unit="article"))
            ctx.staged_index = whoosh_index.write_index(ctx.index_dir, docs, stats, words, procs=ctx.jobs)
        elif ctx.plan.changed or ctx.plan.removed:
            changed = [index_doc(aid, analyse.read(ctx.cache, ctx.records[aid].digest, *READS))
                       for aid in sorted(ctx.plan.changed)]
            ctx.staged_index = whoosh_index.update_index(ctx.index_dir, changed, sorted(ctx.plan.removed), stats,
                                                         words)
        else:
            ctx.staged_index = whoosh_index.relink(ctx.index_dir, stats, words)


def must_rebuild(ctx) -> bool:
    return (ctx.fresh or ctx.repair.index or not ctx.index_dir.exists()
            or ctx.last.versions.get("stages", {}).get(NAME) != ctx.versions.stages[NAME])
