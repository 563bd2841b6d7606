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
again only if its own inputs changed (`Outputs.want`). Those inputs are
worked out from what the section keeps of every figure between builds,
its placing (`Placings`), so that only the changed articles' rows are
read to decide, and only the rows a page shows to make it; the
downloads are joined from the published files and the changed articles'
parts (`joined.py`).
"""
from __future__ import annotations

import marshal
from dataclasses import dataclass, field
from typing import Iterator

from quzhou_archive.exports import figures as export
from quzhou_archive.fsutil import atomic_write
from quzhou_archive.pipeline import joined
from quzhou_archive.pipeline.outputs import SiteFile, StagedSite
from quzhou_archive.pipeline.context import downloads_stage_version, site_stage_version
from quzhou_archive.pipeline.state import digest_of
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.pipeline.workers import CacheKit, Workers
from quzhou_archive.site import figures as site_figures
from quzhou_archive.site import model as site_model
from quzhou_archive.site import render

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
            # (worked out by the code and the results it reads, as the downloads are: not the templates)
            placings = Placings.updated(ctx, downloads, shown)
        with timed("figures: downloads"):
            write_downloads(ctx, downloads, shown)
        with timed("figures: pages"):
            write_pages(ctx, stage, placings)


@dataclass
class Placings:
    """What the section keeps of every article's figures from one build to
    the next (`FILE`, in the build's state folder): by article ID, the
    digest of all it shows of them (`figure_rows`' summary) and each
    figure's placing (`site.figures.placing`). From these alone the build
    decides which pages of the section changed, and reads the rows only
    of the figures those pages show: with one article changed, its own."""

    version: str                                # what they are worked out by: placings of another are worked out again
    articles: dict[str, tuple[str, list[tuple]]]

    FILE = "figures-placings.marshal"

    @classmethod
    def updated(cls, ctx, version: str, shown: list[tuple[str, str]]) -> "Placings":
        """The placings of every article now: those of the articles whose
        figures changed (all, in a build from nothing) from their rows,
        read a batch at a time and let go; kept for the next build."""
        placings = cls(version, {}) if ctx.fresh else cls.load(ctx.state, version)
        kept = placings.articles
        stale = [aid for aid, digest in shown if aid not in kept or kept[aid][0] != digest]
        placed = {aid: [site_figures.placing(row) for row in rows] for aid, rows in read_rows(ctx, stale)}
        placings.articles = {aid: (digest, placed[aid]) if aid in placed else kept[aid] for aid, digest in shown}
        if stale or len(kept) != len(placings.articles):
            atomic_write(ctx.state / cls.FILE, marshal.dumps((placings.version, placings.articles)))
        return placings

    @classmethod
    def load(cls, folder, version: str) -> "Placings":
        try:
            kept_version, articles = marshal.loads((folder / cls.FILE).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return cls(version, {})
        return cls(version, articles if kept_version == version and isinstance(articles, dict) else {})

    def values(self, path_of) -> list[site_figures.Value]:
        """Every figure, as the section's pages are decided from (no row read)."""
        return [site_figures.Value(aid, n, placing, ident(aid, digest, n), path_of)
                for aid, (digest, placed) in sorted(self.articles.items()) for n, placing in enumerate(placed, 1)]


def ident(aid: str, digest: str, number: int) -> str:
    """A string that changes whenever anything shown of a figure does: its
    article, the digest of all the article shows of its figures, its
    place among them."""
    return f"{aid}:{digest}:{number}"


def read_rows(ctx, ids) -> Iterator[tuple[str, list[dict]]]:
    return rows_of(ctx.cache, ctx.records, ids, ctx.base_url)


def rows_of(cache, records, ids, base_url: str) -> Iterator[tuple[str, list[dict]]]:
    """Each of these articles with its figures' rows (as `figure_rows` made
    them, with the article's ID and each figure's URL put in), read from
    the cache a batch of articles at a time."""
    ids = sorted(ids)
    for start in range(0, len(ids), joined.BATCH):
        chunk = ids[start:start + joined.BATCH]
        cached = cache.values_of("figure_rows", {records[aid].digest for aid in chunk})
        for aid in chunk:
            yield aid, with_place(aid, export.cached_rows(cached[records[aid].digest])[1], base_url)


def with_place(aid: str, rows: list[dict], base_url: str) -> list[dict]:
    for n, row in enumerate(rows, 1):
        row["article"], row["url"] = aid, export.figure_url(aid, n, base_url)
    return rows


def write_downloads(ctx, stage: str, shown: list[tuple[str, str]]) -> None:
    """Both are made from every figure: when one changed, both are joined
    again (`joined.py`), each unchanged article's part taken from the
    published file. (`stage`: the downloads' version; `shown`: each
    article's ID and the digest of its figures' rows, all they are made of.)"""
    inputs = digest_of(stage, shown)
    encoded = [part.encode("utf-8") for part in (export.JSON_HEAD, export.JSON_SEPARATOR, export.JSON_TAIL,
                                                 export.JSON_EMPTY)]
    downloads = [joined.Download(JSON, *encoded), joined.Download(CSV, export.CSV_HEAD.encode("utf-8"))]
    joined.write(ctx, GROUP, stage, inputs, downloads, "figure_rows",
                 lambda aid, value: export.article_parts(aid, export.cached_parts(value), ctx.base_url))


@dataclass
class FiguresKit(CacheKit):
    """What a worker making the section's pages needs: the site to write
    into, the pages decided (inherited through the fork: a task names one
    by its number), the build's renderer, and the analysis cache with
    every article's file digest, to read the rows of the figures a page
    shows. The rows read are kept for the next pages (which show many of
    the same articles), up to ROWS_KEPT articles' worth."""

    site: StagedSite
    planned: list[site_figures.Planned]
    renderer: render.Renderer = field(repr=False)
    cache_folder: str
    records: dict = field(repr=False)
    base_url: str
    rows: dict[str, list[dict]] = field(default_factory=dict, repr=False)

    def read(self, ids: set[str]) -> dict[str, list[dict]]:
        if len(self.rows) + len(ids) > ROWS_KEPT:
            self.rows = {aid: self.rows[aid] for aid in ids if aid in self.rows}
        self.rows.update(rows_of(self.cache, self.records, ids - self.rows.keys(), self.base_url))
        return self.rows


ROWS_KEPT = 5_000       # articles whose rows a worker keeps between pages: some 25 MB


def _make(kit: FiguresKit, number: int) -> SiteFile:
    planned = kit.planned[number]
    site_figures.with_rows(planned.values, kit.read)
    try:
        return kit.site.write(planned.path, kit.renderer.render(planned.make()))
    finally:
        for value in planned.values:      # its rows let go with the kit's, not held by the values
            value.row = None


def write_pages(ctx, stage: str, placings: Placings) -> None:
    """The pages whose inputs changed, made in worker processes, each
    reading the rows of the figures it shows."""
    places = ctx.places
    order = [name for _, names in places.groups for name in names]
    planned = site_figures.section_pages(placings.values(site_model.article_url), places.slugs, order)
    todo = [n for n, p in enumerate(planned) if ctx.outputs.want(GROUP, p.path, digest_of(stage, p.inputs))]
    kit = FiguresKit(ctx.site, planned, ctx.renderer(), ctx.cache.path, ctx.records, ctx.base_url)
    with Workers(ctx.jobs, kit) as pool:
        for made in pool.map(_make, todo, "figures", "file", chunksize=1):
            ctx.outputs.made(made)
