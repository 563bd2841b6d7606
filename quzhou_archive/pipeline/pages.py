"""The render stage: every page of the site (`site/pages.py` decides them:
home, lists by county, topic, date and paper, one page per article), and
the files beside them (404, feeds, sitemap, robots, assets).

A page's inputs are this stage's version (templates, assets, code, the
base URL, the analysers whose results pages show) and everything the page
shows: a list's context; for an article's own page, its file (as its
digest) and card and the cards of the stories it shows (`article_task`);
for the citation's downloads beside it, its file and URL alone (their
version leaves out the templates).
The pages are made from the articles' cards (`ArticleRecord.card`), so when
no card changed — no article came or went, only texts changed — no page
but the changed articles' own can have changed: the others are kept
without being looked at (`Outputs.keep_group`). Otherwise every page is
decided again, one at a time, and only those whose inputs changed are
rendered, in worker processes, thirty-two at a time: a list page is sent
whole; an article's page is named (`ArticleTask`), and the worker makes it
from the site's model it shares and the article's HTML and metadata, which
it reads from the cache itself.
"""
from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from typing import NamedTuple

from quzhou_archive.pipeline import analyse
from quzhou_archive.pipeline.outputs import SiteFile, StagedSite
from quzhou_archive.pipeline.context import downloads_stage_version, site_stage_version
from quzhou_archive.pipeline.state import digest_of
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.pipeline.workers import PARALLEL_FROM, CacheKit, Workers
from quzhou_archive.progress import progress
from quzhou_archive.site import citations, feeds, render
from quzhou_archive.site import model as site_model
from quzhou_archive.site import pages as site_pages
from quzhou_archive.site.marks import mark_figures
from quzhou_archive.site.story import speech_sections

NAME = "pages"
READS = ("meta", "content", "figures")
DOWNLOADS = "citations"     # the version of the citations' downloads, apart from the pages'
LISTS, ARTICLES, FILES = "lists", "articles", "files"     # the groups of outputs this stage makes
PAGES_PER_ARTICLE = 1.4             # about: the article's own, and its share of the lists
GROUP = 32      # pages a worker is handed at once: their articles' results are read from the cache together
PAGE_TEMPLATES = ("article.html", "base.html", "_macros.html", "home.html", "counties.html", "topics.html", "dates.html",
                  "year.html", "month.html", "day.html", "papers.html", "paper.html", "issue.html", "list.html")


def version(code: str, results: dict[str, str], base_url: str) -> str:
    return site_stage_version(code, results, READS, base_url)


def downloads_version(code: str, results: dict[str, str], base_url: str) -> str:
    """The citations' downloads are made from the article's own file and its
    URL alone: not from the templates, nor from other articles' cards."""
    return downloads_stage_version(code, results, ("meta",), base_url)


@dataclass
class RenderKit(CacheKit):
    """What a rendering worker needs: the site to write into, the renderer
    (the build's, inherited by the workers with the templates it compiled),
    the analysis cache for the articles' own parts."""

    site: StagedSite
    base_url: str
    cache_folder: str
    raw_files: frozenset
    model: site_model.SiteModel = field(repr=False)     # (inherited by the workers, never sent)
    renderer: render.Renderer = field(repr=False)

    def analyses(self, digests: list[str]) -> dict[str, analyse.Analysis]:
        """What this stage reads of some article files, asked of the cache
        in one query per result rather than one per article."""
        values: dict[str, dict[str, bytes]] = {digest: {} for digest in digests}
        for name in READS:
            for digest, value in self.cache.values_of(name, digests).items():
                values[digest][name] = value
        return {digest: analyse.Analysis(found) if len(found) == len(READS) else analyse.read(self.cache, digest, *READS)
                for digest, found in values.items()}     # (`read` says which result the cache lacks)


class ArticleTask(NamedTuple):
    """An article's page as a worker is asked for it: the worker makes the
    page from the site's model it shares (`site_pages.article_page`), so
    that only this is sent; and the citation's downloads beside it, which
    have inputs of their own (a template edit, or a neighbour's new title,
    leaves them as they are)."""

    id: str
    path: str
    content: str                # the digest of its file, by which the cache holds what it says
    related: tuple[str, ...]    # its related stories (`site_model.related_items`), worked out for its inputs
    inputs: str                 # the digest of everything the page is made from (`article_task`)
    cite_inputs: str            # the digest of everything its citation's downloads are made from
    page: bool = True           # whether the page itself is to be made
    citations: bool = True      # whether the downloads are


def article_task(ctx, stage: str, model: site_model.SiteModel, item: site_model.Item, raw: str,
                 cite_stage: str) -> ArticleTask:
    """An article's page named by what it is made from: besides the stage's
    version and the raw pages published (`raw_digest`), its own file and
    card, and the cards of the stories its page shows (its neighbours in
    its issue, and the printed pages of the issue; its related stories).
    Nothing else of the model shows on it: a county's, a topic's or a
    paper's address is its name's."""
    related = site_model.related_items(model, item)
    prev_item, next_item, issue_pages = site_pages.issue_neighbours(model, item)

    def shown(story: site_model.Item | None) -> tuple | None:
        return (story.id, ctx.records[story.id].card) if story is not None else None

    content = ctx.records[item.id].digest
    inputs = digest_of(stage, render.ARTICLE, raw, content, shown(item), shown(prev_item), shown(next_item),
                       issue_pages, [shown(other) for other in related])
    return ArticleTask(item.id, item.url, content, tuple(other.id for other in related), inputs,
                       digest_of(cite_stage, item.url, content))


def _render_group(kit: RenderKit, pages: list) -> list[list[SiteFile]]:
    """Render some pages (list pages, `ArticleTask`s) into the staged site
    (in a worker); the files each was made as."""
    found = kit.analyses([page.content for page in pages if is_article(page)])
    return [_render_article(kit, page, found[page.content]) if is_article(page)
            else [kit.site.write(page.path, kit.renderer.render(page))] for page in pages]


def _render_article(kit: RenderKit, task: ArticleTask, found: analyse.Analysis) -> list[SiteFile]:
    """An article's page, completed with what its own file says (read from
    the cache by the worker), and its citation's downloads beside it, made
    from the same reference."""
    model = kit.model
    page = site_pages.article_page(model, model.by_id[task.id], task.content, [model.by_id[aid] for aid in task.related])
    html, marked = mark_figures(found.content.html, found.figures)
    speeches: list = []
    if found.meta.kind == "speech":
        html, speeches = speech_sections(html, list(found.meta.authors))
    page = site_pages.complete_article_page(page, found.meta, found.figures, marked, speeches, kit.raw_files)
    ref = citations.reference_of(page.context, kit.base_url + page.path, site_model.SITE_NAME)
    made = []
    if task.page:
        page.context["cite"] = citations.page_context(ref, page.path)
        made.append(kit.site.write(page.path, kit.renderer.render(page, html)))
    if task.citations:
        made += [kit.site.write(path, text) for path, text in citations.downloads(ref, page.path).items()]
    return made


def is_article(page) -> bool:
    return type(page) is ArticleTask


def page_inputs(stage: str, page) -> str:
    """The digest of everything the page shows (a list page: its context),
    with the stage's version."""
    return page.inputs if is_article(page) else digest_of(stage, page.template, page.context)


def run(ctx) -> None:
    with timed("render"):
        stage = ctx.versions.stages[NAME]
        cards = [(aid, ctx.records[aid].card) for aid in sorted(ctx.records)]
        model = site_model.SiteModel((aid, site_model.Card._make(card)) for aid, card in cards)
        ctx.places = model.places   # (the model itself goes with this stage: the next hold memory while it is gone)
        same_cards = digest_of(stage, cards)
        lists_kept = ctx.outputs.keep_group(LISTS, same_cards)
        # an article page links its raw page if that is published: when the raw pages published change, all are decided again
        articles_kept = ctx.outputs.keep_group(ARTICLES, digest_of(stage, sorted(ctx.raw_files)))
        cite_stage = ctx.versions.stages[DOWNLOADS]
        pages = itertools.chain(() if lists_kept else site_pages.list_pages(model),
                                article_pages(ctx, stage, model, cite_stage) if articles_kept
                                else every_article_page(ctx, stage, model, cite_stage))
        todo = filter(None, (to_make(ctx, stage, page) for page in pages))
        expected = len(ctx.plan.changed) if lists_kept and articles_kept else int(len(ctx.records) * PAGES_PER_ARTICLE)
        kit = RenderKit(ctx.site, ctx.base_url, ctx.cache.path, ctx.raw_files, model, ctx.renderer())
        if ctx.jobs > 1 and expected >= PARALLEL_FROM:     # the workers will fork from here: loaded once, for all
            kit.renderer.load(PAGE_TEMPLATES)
        with Workers(ctx.jobs, kit) as pool:
            for made in progress(rendered(pool, todo, expected), desc="render", unit="page"):
                for file in made:
                    ctx.outputs.made(file)
        fixed_files(ctx, model, stage, same_cards, kit.renderer)


def to_make(ctx, stage: str, page):
    """The page as it must be made now, or None when its files stand. An
    article's page and its citation's downloads are named apart, each
    with its inputs: the task says which of them to make."""
    if not is_article(page):
        return page if ctx.outputs.want(LISTS, page.path, page_inputs(stage, page)) else None
    own = ctx.outputs.want(ARTICLES, page.path, page.inputs)
    # (every download named, so that all three are made together when any one is)
    cited = any([ctx.outputs.want(ARTICLES, path, page.cite_inputs)
                 for path in citations.download_paths(page.path).values()])
    return page._replace(page=own, citations=cited) if own or cited else None


def every_article_page(ctx, stage: str, model: site_model.SiteModel, cite_stage: str):
    raw = raw_digest(ctx)
    for item in model.items:
        yield article_task(ctx, stage, model, item, raw, cite_stage)


def raw_digest(ctx) -> str:
    """The raw pages published, which an article's page may link."""
    return digest_of(sorted(ctx.raw_files))


def article_pages(ctx, stage: str, model: site_model.SiteModel, cite_stage: str):
    """The articles' own pages that may have changed (the others are kept,
    and a removed article's goes): those of the changed articles, and of the
    articles whose page shows one whose card changed, came or went — its
    neighbours in its issue and those it may be a related story of
    (`site_model.showing`), where it was and where it is."""
    ctx.outputs.drop([path for aid in ctx.plan.removed
                      for path in [site_model.article_url(aid), *citations.download_paths(site_model.article_url(aid)).values()]])
    affected = set(ctx.plan.changed)
    for aid in ctx.plan.changed | ctx.plan.removed:
        old = ctx.last.articles[aid].card if aid in ctx.last.articles else None
        new = ctx.records[aid].card if aid in ctx.records else None
        if old != new:
            for card in filter(None, (old, new)):
                affected |= site_model.showing(model, site_model.SiteModel.item_of(aid, site_model.Card._make(card)))
    raw = raw_digest(ctx)
    for aid in sorted(affected & model.by_id.keys()):
        yield article_task(ctx, stage, model, model.by_id[aid], raw, cite_stage)


def rendered(pool: Workers, pages, expected: int, batch: int = 2048):
    """The files of each page rendered, a batch of pages at a time: the
    pages of a hundred thousand articles are decided as they are rendered,
    never held at once."""
    while True:
        some = list(itertools.islice(pages, batch))
        if not some:
            return
        groups = [some[at:at + GROUP] for at in range(0, len(some), GROUP)]
        for made in pool.map(_render_group, groups, None, "page", chunksize=1, size=max(expected, len(some))):
            yield from made


def fixed_files(ctx, model: site_model.SiteModel, stage: str, same_cards: str, renderer: render.Renderer) -> None:
    """404, feeds, sitemap, robots, assets: made from the cards and the page
    paths, so kept as a group with the pages."""
    if ctx.outputs.keep_group(FILES, same_cards):
        return
    pages = [p for p in ctx.outputs.paths(LISTS) + ctx.outputs.paths(ARTICLES) if p.endswith(".html")]
    for rel, data in feeds.fixed_files(model, renderer, pages).items():
        data = data.encode("utf-8") if isinstance(data, str) else data
        ctx.outputs.write(FILES, rel, digest_of(stage, hashlib.sha256(data).hexdigest()), lambda: data)
