"""`build`: articles -> (segment -> Whoosh index -> static search index -> site).

`build()` names the stages in the order they run. Each stage is a function
of plain data; a bad article is reported as `file:line: message` and the
build stops before anything is written.
"""
from __future__ import annotations

import sys
from pathlib import Path

from . import articles as store
from .errors import ArchiveError
from .progress import progress


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
    return loaded


def build(articles_dir: Path, out_dir: Path, index_dir: Path, base_url: str = "/") -> int:
    articles = load_articles(articles_dir)
    print(f"{len(articles)} articles read from {articles_dir}")
    return 0
