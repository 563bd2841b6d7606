"""The figures stage: the economic figures of every article (the
`figures` analyser's results, cached by each file's digest) as the 数据
section (`site/figures.py`) and as downloads, `data/figures.csv` and
`data/figures.json` (`exports/figures.py`).

Its files are made from every article's figures and card, so they are
kept as a group while no article file changed, came or went; otherwise
the figures are read from the cache (one query) and each file is made
again only if its own inputs changed (`Outputs.want`).
"""
from __future__ import annotations

import hashlib
import marshal

from quzhou_archive.exports import figures as export
from quzhou_archive.pipeline.state import digest_of, tree_digest
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.site import model as site_model
from quzhou_archive.site import render
from quzhou_archive.site.figures import figure_pages
from quzhou_archive.site.pages import page_digest

NAME = "figures"
READS = ("meta", "figures")
GROUP = "figures"
CSV, JSON = "data/figures.csv", "data/figures.json"


def version(code: str, results: dict[str, str], base_url: str) -> str:
    return digest_of(code, [results[name] for name in READS], tree_digest(site_model.TEMPLATES),
                     tree_digest(site_model.STATIC), base_url)[:16]


def run(ctx) -> None:
    with timed("figures"):
        stage = ctx.versions.stages[NAME]
        articles = sorted((aid, r.digest) for aid, r in ctx.records.items())
        if ctx.outputs.keep_group(GROUP, digest_of(stage, articles)):
            return
        rows = archive_rows(ctx)
        write_downloads(ctx, stage, rows)
        write_pages(ctx, stage, rows)


def archive_rows(ctx) -> list[dict]:
    """Every figure of every article, in the order of the articles' IDs."""
    from quzhou_archive.analyse.figures import Figure

    cached = ctx.cache.every("figures")
    found = []
    for aid in sorted(ctx.records):
        record = ctx.records[aid]
        figures = [Figure.from_plain(p) for p in marshal.loads(cached[record.digest])]
        if figures:
            found.append((aid, site_model.Card._make(record.card), figures))
    return export.rows(found, ctx.base_url)


def write_downloads(ctx, stage: str, rows: list[dict]) -> None:
    inputs = digest_of(stage, hashlib.sha256(export.as_json(rows).encode()).hexdigest())
    ctx.outputs.write(GROUP, JSON, inputs, lambda: export.as_json(rows))
    ctx.outputs.write(GROUP, CSV, inputs, lambda: "\ufeff" + export.as_csv(rows))


def write_pages(ctx, stage: str, rows: list[dict]) -> None:
    places = ctx.model.places
    order = [name for _, names in places.groups for name in names]
    renderer = render.Renderer(ctx.base_url)
    for page in figure_pages(rows, places.slugs, order, site_model.article_url):
        ctx.outputs.write(GROUP, page.path, digest_of(stage, page_digest(page)), lambda page=page: renderer.render(page))
