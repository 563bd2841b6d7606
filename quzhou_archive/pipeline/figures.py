"""The figures stage: the economic figures of every article (the
`figures` analyser's results, cached by each file's digest) as the 数据
section (`site/figures.py`) and as downloads, `data/figures.csv` and
`data/figures.json` (`exports/figures.py`).

Its files are made from every article's figures and the headline, date,
paper and page they are shown with, so they are kept as a group while
none of those changed (an edit of an article's other words changes
nothing here); otherwise the figures are decoded and each file is made
again only if its own inputs changed (`Outputs.want`).
"""
from __future__ import annotations

import functools
import hashlib
import marshal
from dataclasses import dataclass, field
from typing import Callable

from quzhou_archive.exports import figures as export
from quzhou_archive.pipeline.outputs import SiteFile, StagedSite
from quzhou_archive.pipeline.context import site_stage_version
from quzhou_archive.pipeline.state import digest_of
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.pipeline.workers import Kit, Workers
from quzhou_archive.site import model as site_model
from quzhou_archive.site import render
from quzhou_archive.site.figures import figure_pages

NAME = "figures"
READS = ("meta", "figures", "figure_rows")
GROUP = "figures"
CSV, JSON = "data/figures.csv", "data/figures.json"


def version(code: str, results: dict[str, str], base_url: str) -> str:
    return site_stage_version(code, results, READS, base_url)


def run(ctx) -> None:
    with timed("figures"):
        stage = ctx.versions.stages[NAME]
        cached = ctx.cache.every("figures")
        plain = {aid: marshal.loads(cached[r.digest]) for aid, r in ctx.records.items()}
        shown = {aid: what_is_shown(plain[aid], r.card) for aid, r in ctx.records.items()}
        # an edit that leaves what the section shows of every article as it was (most
        # corrections: words around the figures) changes nothing here: nothing is made
        if ctx.outputs.keep_group(GROUP, digest_of(stage, sorted(shown.items()))):
            return
        with timed("figures: read"):
            rows, idents = archive_rows(ctx, plain, shown)
        with timed("figures: files"):
            write_files(ctx, stage, rows, idents)


SHOWN = slice(4, None)      # of a figure's plain tuple, what the section shows: not where in the text it stands


def what_is_shown(figures: list, card: tuple) -> str:
    """A digest of all the section shows of one article: its figures (but
    their places in the text, which an edit before them moves) and the
    headline, date, paper and page their rows carry."""
    headline = site_model.Card._make(card)
    return hashlib.sha1(marshal.dumps(([(f[0], f[1], *f[SHOWN]) for f in figures], headline.title, headline.date,
                                       headline.paper, headline.page))).hexdigest()[:20]


def archive_rows(ctx, plain: dict[str, list], shown: dict[str, str]) -> tuple[list[dict], list[str]]:
    """Every figure of every article, in the order of the articles' IDs, and
    for each a string that changes whenever what is shown of it does (the
    article's `what_is_shown` and the figure's place among its figures)."""
    from quzhou_archive.analyse.figures import Figure

    found, idents = [], []
    for aid in sorted(ctx.records):
        figures = [Figure.from_plain(p) for p in plain[aid]]
        if figures:
            found.append((aid, site_model.Card._make(ctx.records[aid].card), figures))
            idents += [f"{shown[aid]}:{n}" for n in range(len(figures))]
    return export.rows(found, ctx.base_url), idents


@dataclass
class Planned:
    """A file of the section, decided: its path, the digest of its inputs,
    and how to make its text when they changed."""

    path: str
    inputs: str
    make: Callable[["FiguresKit"], str]


def downloads(ctx, idents: list[str]) -> list[Planned]:
    """Both are made from every figure: when one changed, both are joined
    again from every article's rows (the `figure_rows` analyser's)."""
    inputs = hashlib.sha1("\n".join(idents).encode()).hexdigest()
    cached = ctx.cache.every("figure_rows")
    parts = [(aid, marshal.loads(cached[ctx.records[aid].digest])) for aid in sorted(ctx.records)]
    both = functools.cache(lambda: export.joined(parts, ctx.base_url))
    return [Planned(JSON, inputs, lambda kit: both()[0]), Planned(CSV, inputs, lambda kit: both()[1])]


def pages(rows: list[dict], idents: list[str], places) -> list[Planned]:
    order = [name for _, names in places.groups for name in names]
    return [Planned(p.path, p.inputs, lambda kit, p=p: kit.renderer.render(p.make()))
            for p in figure_pages(rows, places.slugs, order, site_model.article_url, idents)]


@dataclass
class FiguresKit(Kit):
    """What a worker making the section's files needs: the site to write
    into, the files decided (inherited through the fork: a task names one
    by its number), the renderer."""

    site: StagedSite
    base_url: str
    planned: list[Planned]
    renderer: render.Renderer | None = field(default=None, repr=False)

    def setup(self) -> None:
        self.renderer = render.Renderer(self.base_url)


def _make(kit: FiguresKit, number: int) -> SiteFile:
    planned = kit.planned[number]
    return kit.site.write(planned.path, planned.make(kit))


def write_files(ctx, stage: str, rows: list[dict], idents: list[str]) -> None:
    """The downloads and the pages whose inputs changed, made in worker
    processes (the downloads first: they are the largest)."""
    planned = downloads(ctx, idents) + pages(rows, idents, ctx.model.places)
    todo = [n for n, p in enumerate(planned) if ctx.outputs.want(GROUP, p.path, digest_of(stage, p.inputs))]
    with Workers(ctx.jobs, FiguresKit(ctx.site, ctx.base_url, planned)) as pool:
        for made in pool.map(_make, todo, "figures", "file", chunksize=1):
            ctx.outputs.made(made)
