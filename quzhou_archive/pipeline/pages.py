"""The render stage: the pages whose content changed (by digest), and the
files besides them (feeds, sitemap, assets)."""
from __future__ import annotations

from quzhou_archive.pipeline.analyse import Segmented
from quzhou_archive.pipeline.outputs import SiteFile, StagedSite
from quzhou_archive.pipeline.sources import Plan
from quzhou_archive.pipeline.state import ContentCache, Manifest
from quzhou_archive.pipeline.workers import Workers, _worker_cache
from quzhou_archive.site import render

_RENDERER: dict = {}


def _render_one(args) -> SiteFile:
    """Render one page into the staged site (in a worker, which reads the
    article's HTML from the cache itself)."""
    site, base_url, page, cache_key = args
    if base_url not in _RENDERER:
        _RENDERER[base_url] = render.Renderer(base_url)
    html = None
    if "content" in page.context:
        html = Segmented.from_plain(_worker_cache(*cache_key).get(page.context["content"])).html
    return site.write(page.path, _RENDERER[base_url].render(page, html))


def card_key(meta: dict, summary: str) -> tuple:
    """What other pages show of an article (lists, neighbours, related, feeds)."""
    return (meta.get("title"), meta.get("kicker"), meta.get("subtitle"), meta.get("date"), meta.get("paper"),
            meta.get("page"), tuple(meta.get("counties") or ()), tuple(meta.get("topics") or ()),
            meta.get("kind"), summary)


def render_pages(plan: Plan, site: "StagedSite", base_url: str, manifest: Manifest, cache: ContentCache, fresh: bool,
                 pool: Workers) -> tuple[list[SiteFile], dict[str, str], list[str]]:
    """Write the pages whose content changed and the files besides them;
    returns (what was written, every page's digest, paths that are gone)."""
    model = render.SiteModel([plan.infos[aid] for aid in sorted(plan.infos)])
    own_pages_only = not fresh and not plan.removed and not plan.repair and all(
        aid in manifest.articles
        and card_key(manifest.articles[aid]["meta"], manifest.articles[aid]["summary"])
        == card_key(plan.infos[aid].meta, plan.infos[aid].summary)
        for aid in plan.changed)
    if own_pages_only:
        # only the text changed: no other page shows it, so only the articles' own pages change
        pages = [render.article_page(model, plan.infos[aid]) for aid in sorted(plan.changed)]
        digests = dict(manifest.pages)
    else:
        pages = render.site_pages(model)
        digests = {}
    digests.update({page.path: render.page_digest(page) for page in pages})
    tasks = [(site, base_url, page, (cache.path, cache.version)) for page in pages
             if fresh or page.path in plan.repair or manifest.pages.get(page.path) != digests[page.path]]
    written = list(pool.map(_render_one, tasks, "render", "page", chunksize=32))
    if not own_pages_only:
        fixed = render.fixed_files(model, render.Renderer(base_url), sorted(digests))
        written += [site.write(rel, data) for rel, data in fixed.items()]
    gone = sorted(set(manifest.pages) - set(digests)) if not fresh else []
    return written, digests, gone
