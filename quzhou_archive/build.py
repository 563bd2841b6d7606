"""`build`: articles -> segment -> Whoosh index -> browser index -> site.

`build()` lists the stages in the order they run. Each stage is a function
of plain data; a bad article is reported as `file:line: message` and the
build stops before anything is written. The index and the site are each
written to a temporary folder and swapped in whole, so a failed build leaves
the previous ones in place.
"""
from __future__ import annotations

import sys
import time
from urllib.parse import urlsplit
from dataclasses import dataclass
from pathlib import Path

from . import articles as store
from . import topics as taxonomy_module
from .content import Rendered, headline_parts, render_content
from .errors import ArchiveError
from .index import IndexDoc, collection_stats, write_index
from .progress import progress
from .render import article_url, render_site, write_site
from .search_export import export_files, filter_options
from .segment import DocTokens, tokenize


@dataclass
class Entry:
    """An article with everything the later stages compute from it."""

    article: store.Article
    rendered: Rendered
    tokens: DocTokens
    docnum: int
    url: str


def load_articles(root: Path) -> list[store.Article]:
    """Read and validate every article; all problems are reported, then the first raised."""
    if not root.is_dir():
        raise ArchiveError(root, "no articles folder here (ingest raw pages first: build_site.py ingest PATH)")
    loaded, errors = [], []
    for path in progress(store.article_paths(root), desc="read", unit="article"):
        try:
            loaded.append(store.read_article(root, path))
        except ArchiveError as error:
            errors.append(error)
    for error in errors[1:]:
        print(error, file=sys.stderr)
    if errors:
        raise errors[0]
    if not loaded:
        raise ArchiveError(root, "no articles to build (ingest raw pages first: build_site.py ingest PATH)")
    return sorted(loaded, key=lambda a: a.id)


def segment(articles: list[store.Article]) -> list[Entry]:
    entries = []
    for docnum, article in enumerate(progress(articles, desc="segment", unit="article")):
        rendered = render_content(article)
        tokens = tokenize(headline_parts(article), rendered.blocks + rendered.captions + rendered.people)
        entries.append(Entry(article, rendered, tokens, docnum, article_url(article.id)))
    return entries


def index_docs(entries: list[Entry]) -> list[IndexDoc]:
    return [
        IndexDoc(
            docnum=e.docnum, id=e.article.id, url=e.url,
            title=e.article.title, subtitle=e.article.subtitle, kicker=e.article.kicker,
            body_text="\n".join(e.rendered.blocks + e.rendered.captions + e.rendered.people),
            date=e.article.date, counties=e.article.counties, topics=e.article.topics,
            paper=e.article.paper, kind=e.article.kind, authors=e.article.authors, tokens=e.tokens,
        )
        for e in entries
    ]


def vocabulary(entries: list[Entry]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for e in entries:
        for word, n in e.tokens.words.items():
            counts[word] = counts.get(word, 0) + n
    return dict(sorted(counts.items()))


def build(articles_dir: Path, out_dir: Path, index_dir: Path, base_url: str = "/") -> int:
    started = time.perf_counter()
    base_url = normalise_base_url(base_url)
    articles = load_articles(articles_dir)
    entries = segment(articles)
    docs = index_docs(entries)
    stats = collection_stats(docs, vocabulary(entries), base_url)
    stats["filters"] = filter_options(docs, taxonomy_module.load())
    write_index(index_dir, docs, stats)
    search_files = export_files(docs, stats, taxonomy_module.load())
    site_files = render_site(entries, base_url, search_files)
    write_site(out_dir, site_files)
    print(f"built {len(entries)} articles: index {index_dir}/, site {out_dir}/ "
          f"({len(site_files)} files) in {time.perf_counter() - started:.1f} s")
    return 0


def normalise_base_url(base_url: str) -> str:
    """'/REPO' or 'REPO/' -> '/REPO/'; '' -> '/'; a full URL keeps its scheme and
    host (https://owner.github.io/REPO -> https://owner.github.io/REPO/)."""
    base = base_url.strip()
    parts = urlsplit(base)
    if parts.scheme and parts.netloc:
        path = "/" + parts.path.strip("/")
        return f"{parts.scheme}://{parts.netloc}{path if path == '/' else path + '/'}"
    base = "/" + base.strip("/")
    return base if base == "/" else base + "/"
