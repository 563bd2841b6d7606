"""The figures stage: the economic figures of every article as the 数据
section (`site/figures.py`) and as downloads, `data/figures.csv` and
`data/figures.json` (`exports/figures.py`), made from the `figure_rows`
analyser's results: each article's figures as their rows show them, a
digest of those rows, and the downloads' parts, cached by the file's
digest (`exports/figures.article_rows`).

Its files are made from every article's rows (the figures, and the
headline, date, paper and page they are shown with), so they are kept as
a group while no article's digest of them changed (an edit of an
article's other words changes nothing here); otherwise each file is made
again only if its own inputs changed (`Outputs.want`), the downloads
joined from the published files and the changed articles' parts (`joined.py`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

from quzhou_archive.exports import figures as export
from quzhou_archive.pipeline import joined
from quzhou_archive.pipeline.outputs import SiteFile, StagedSite
from quzhou_archive.pipeline.context import downloads_stage_version, site_stage_version
from quzhou_archive.pipeline.state import digest_of
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.pipeline.workers import Kit, Workers
from quzhou_archive.site import model as site_model
from quzhou_archive.site import render
from quzhou_archive.site.figures import figure_pages

NAME = "figures"
READS = ("figure_rows",)
GROUP = "figures"
DOWNLOADS = "figures downloads"     # their version, apart from the pages'
CSV, JSON = "data/figures.csv", "data/figures.json"


def version(code: str, results: dict[str, str], base_url: str) -> str:
    return site_stage_version(code, results, READS, base_url)


def downloads_version(code: str, results: dict[str, str], base_url: str) -> str:
    return downloads_stage_version(code, results, READS, base_url)


def run(ctx) -> None:
    with timed("figures"):
        stage, downloads = ctx.versions.stages[NAME], ctx.versions.stages[DOWNLOADS]
        # an edit that leaves what the section shows of every article as it was (most
        # corrections: words around the figures) changes nothing here: nothing is made,
        # nor read from the cache
        shown = sorted((aid, r.summaries["figure_rows"]) for aid, r in ctx.records.items())
        if ctx.outputs.keep_group(GROUP, digest_of(stage, downloads, shown)):
            return
        with timed("figures: read"):
            rows, idents = archive_rows(ctx)
        with timed("figures: downloads"):
            write_downloads(ctx, downloads, idents)
        with timed("figures: pages"):
            write_pages(ctx, stage, rows, idents)


def archive_rows(ctx) -> tuple[list[dict], list[str]]:
    """Every figure of every article, in the order of the articles' IDs (the
    rows `figure_rows` made, with the article's ID and URL put in), and for
    each a string that changes whenever what is shown of it does (what the
    article shows and the figure's place among its figures). Read from
    the cache a batch of articles at a time."""
    rows, idents = [], []
    ids = sorted(ctx.records)
    for start in range(0, len(ids), joined.BATCH):
        chunk = ids[start:start + joined.BATCH]
        cached = ctx.cache.values_of("figure_rows", {ctx.records[aid].digest for aid in chunk})
        for aid in chunk:
            shown, its_rows = export.cached_rows(cached[ctx.records[aid].digest])
            for n, row in enumerate(its_rows, 1):
                row["article"], row["url"] = aid, export.figure_url(aid, n, ctx.base_url)
                rows.append(row)
                idents.append(f"{shown}:{n - 1}")
    return rows, idents


def write_downloads(ctx, stage: str, idents: list[str]) -> None:
    """Both are made from every figure: when one changed, both are joined
    again (`joined.py`), each unchanged article's part taken from the
    published file. (`stage`: the downloads' version.)"""
    inputs = digest_of(stage, hashlib.sha1("\n".join(idents).encode()).hexdigest())
    encoded = [part.encode("utf-8") for part in (export.JSON_HEAD, export.JSON_SEPARATOR, export.JSON_TAIL,
                                                 export.JSON_EMPTY)]
    downloads = [joined.Download(JSON, *encoded), joined.Download(CSV, export.CSV_HEAD.encode("utf-8"))]
    joined.write(ctx, GROUP, stage, inputs, downloads, "figure_rows",
                 lambda aid, value: export.article_parts(aid, export.cached_parts(value), ctx.base_url))


@dataclass
class Planned:
    """A file of the section, decided: its path, the digest of its inputs,
    and how to make its text when they changed."""

    path: str
    inputs: str
    make: Callable[["FiguresKit"], str]


def pages(rows: list[dict], idents: list[str], places) -> list[Planned]:
    order = [name for _, names in places.groups for name in names]
    return [Planned(p.path, p.inputs, lambda kit, p=p: kit.renderer.render(p.make()))
            for p in figure_pages(rows, places.slugs, order, site_model.article_url, idents)]


@dataclass
class FiguresKit(Kit):
    """What a worker making the section's files needs: the site to write
    into, the files decided (inherited through the fork: a task names one
    by its number), the build's renderer."""

    site: StagedSite
    planned: list[Planned]
    renderer: render.Renderer = field(repr=False)


def _make(kit: FiguresKit, number: int) -> SiteFile:
    planned = kit.planned[number]
    return kit.site.write(planned.path, planned.make(kit))


def write_pages(ctx, stage: str, rows: list[dict], idents: list[str]) -> None:
    """The pages whose inputs changed, made in worker processes."""
    planned = pages(rows, idents, ctx.model.places)
    todo = [n for n, p in enumerate(planned) if ctx.outputs.want(GROUP, p.path, digest_of(stage, p.inputs))]
    with Workers(ctx.jobs, FiguresKit(ctx.site, planned, ctx.renderer())) as pool:
        for made in pool.map(_make, todo, "figures", "file", chunksize=1):
            ctx.outputs.made(made)
