"""The index stage: the Whoosh index the command-line search reads, from
nothing with Whoosh's multi-process writer, else article by article."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from quzhou_archive.analyse.segment import TOKENIZER_VERSION
from quzhou_archive.pipeline.analyse import Segmented
from quzhou_archive.pipeline.sources import ArticleInfo, Plan
from quzhou_archive.pipeline.state import ContentCache
from quzhou_archive.progress import progress
from quzhou_archive.search import whoosh_index


def index_doc(info: ArticleInfo, seg: Segmented) -> whoosh_index.IndexDoc:
    m = info.meta
    return whoosh_index.IndexDoc(
        id=info.id, url=info.url, title=m["title"], subtitle=m.get("subtitle"), kicker=m.get("kicker"),
        body_text=seg.body_text, date=m.get("date"), counties=list(m.get("counties") or []),
        topics=list(m.get("topics") or []), paper=m.get("paper"), kind=m.get("kind", "news"),
        authors=list(m.get("authors") or []), headline=seg.tokens.headline, body=seg.tokens.body)


def collection_stats(plan: Plan, base_url: str, options: dict) -> dict:
    n = len(plan.infos) or 1
    return {
        "tokenizer": TOKENIZER_VERSION, "docs": len(plan.infos), "base_url": base_url, "filters": options,
        "average": {"headline": sum(i.lengths[0] for i in plan.infos.values()) / n,
                    "body": sum(i.lengths[1] for i in plan.infos.values()) / n},
    }


def write_index(plan: Plan, index_dir: Path, cache: ContentCache, stats: dict, words: Counter, jobs: int) -> Path:
    if plan.full_index or not Path(index_dir).exists():
        docs = (index_doc(plan.infos[aid], Segmented.from_plain(cache.get(plan.infos[aid].digest)))
                for aid in progress(plan.order, desc="index", unit="article"))
        return whoosh_index.write_index(index_dir, docs, stats, dict(sorted(words.items())), procs=jobs)
    changed = [index_doc(plan.infos[aid], Segmented.from_plain(cache.get(plan.infos[aid].digest)))
               for aid in sorted(plan.changed)]
    return whoosh_index.update_index(index_dir, changed, sorted(plan.removed), stats, dict(sorted(words.items())))
