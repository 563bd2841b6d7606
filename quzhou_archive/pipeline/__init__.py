"""`build`: the articles -> the Whoosh index and the static site, stage by stage.

    sources.py    every article file and its digest; what changed
    analysekit.py the analyse stage's workers' kit, and the worker begun
                  early for a few changed articles
    analyse.py    what each new file says (metadata, HTML and text, tokens),
                  worked out in worker processes and cached by its digest
    outputs.py    the new site staged, and the rule by which each of its
                  files is made or kept: the digest of its inputs
    export.py     the browser's search index (`search/`)
    whoosh.py     the Whoosh index, staged
    rawpages.py   the raw newspaper pages beside the articles (raw/), as
                  they are and with numbered lines, for the pages to link
    pages.py      the pages, feeds, sitemap, assets
    figures.py    the 数据 section and the figures' downloads (data/)
    opendata.py   every article as data: data/articles.jsonl, .csv, and
                  the page that documents their fields
    joined.py     (for both) whole-archive downloads streamed to disk, each
                  unchanged article's part copied from the published file
    publish.py    the index and the site swapped in together, with the manifest

`BuildContext` (context.py) carries what the stages share; `state.py`
keeps what a build remembers for the next (the manifest, the analysis
cache) and the locks; `workers.py` the worker processes; `folders.py`
the checks of the folders given.

Everything is written to staging folders and swapped in only when the
build succeeded; a failed build leaves the previous index and site as
they were. A build from nothing and a later build of the same articles
write the same site, byte for byte.
"""
from __future__ import annotations

import dataclasses
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from quzhou_archive.errors import ArchiveError
from quzhou_archive.pipeline import analysekit, outputs, publish, sources
from quzhou_archive.pipeline.context import BuildContext, Versions, megabytes, settings_digest
from quzhou_archive.pipeline.folders import check_separate, journal_targets, normalise_base_url, refuse_foreign
from quzhou_archive.pipeline.outputs import outputs_agree
from quzhou_archive.pipeline.sources import load_articles, scan
from quzhou_archive.pipeline.state import AnalysisCache, BuildLock, Manifest, remove_leftovers, state_dir
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.pipeline.workers import PARALLEL_FROM

GITHUB_PAGES_LIMIT = 10**9   # bytes a published GitHub Pages site may hold

__all__ = ["build", "load_articles", "scan", "normalise_base_url", "GITHUB_PAGES_LIMIT", "PARALLEL_FROM"]


def build(articles_dir: Path, out_dir: Path, index_dir: Path, base_url: str = "/", jobs: int | None = None,
          wait: bool = True, full: bool = False) -> int:
    """Build the index and the site from the articles; of what the last
    build made, only what changed is made again (`full`: everything)."""
    started = time.perf_counter()
    articles_dir, out_dir, index_dir = Path(articles_dir), Path(out_dir), Path(index_dir)
    check_separate(articles_dir, out_dir, index_dir)
    try:
        refuse_foreign(out_dir, index_dir)      # before any lock file is made beside them
        with building(articles_dir, out_dir, index_dir, normalise_base_url(base_url),
                      jobs or os.cpu_count() or 1, wait, full) as ctx:
            sources.run(ctx)            # every article file and its digest; what changed
            # (both fork: the check first, as the worker's pool starts threads and a fork copies only its own)
            outputs.start_check(ctx)    # what of the published outputs is damaged, looked at meanwhile
            analysekit.begin(ctx)       # for a few changed articles, a worker loading jieba meanwhile
            if something_changed(ctx):
                outputs.prepare(ctx)    # the staged site: the standby brought up to date (or a linked copy begun)
            outputs.check(ctx)          # (the answer)
            if nothing_to_do(ctx):
                return said_nothing_changed(ctx)
            outputs.prepare(ctx)        # (begun here when only damaged outputs call for a build)
            from quzhou_archive.pipeline import analyse, export, figures, opendata, pages, rawpages, whoosh   # their libraries take a while to load
            analyse.run(ctx)            # what the new files say, cached; every article's record; the vocabulary
            outputs.begin(ctx)          # the new site staged: the last one's files, linked
            export.run(ctx)             # search/: the browser index
            whoosh.run(ctx)             # the Whoosh index, staged
            rawpages.run(ctx)           # raw/: the raw pages the articles came from
            pages.run(ctx)              # the pages, feeds, sitemap, assets
            figures.run(ctx)            # the 数据 section; data/figures.csv and .json
            opendata.run(ctx)           # data/articles.jsonl and .csv: every article, its frontmatter and text
            outputs.finish(ctx)         # what no stage makes any more removed; the site stamped
            publish.run(ctx)            # the index and the site swapped in, with the manifest
    except OSError as error:     # a full disk, a folder that may not be written: one line, not a traceback
        raise ArchiveError(error.filename or out_dir, f"{error.strerror or error}; the index and site are as "
                                                      f"they were") from None
    said_built(ctx, time.perf_counter() - started)
    return 0


@contextmanager
def building(articles_dir: Path, out_dir: Path, index_dir: Path, base_url: str, jobs: int, wait: bool, full: bool):
    """The build's context, under the lock of every folder it writes. If the
    build fails, its staged folders go."""
    state = state_dir(index_dir)
    # the lock of every folder this build writes, and of any a stopped build's publish left half done
    with BuildLock([out_dir, index_dir, *journal_targets(state)], wait=wait):
        listing = sources.list_meanwhile(articles_dir, jobs)    # the article files, listed while the manifest loads
        try:
            ctx = context_of(articles_dir, out_dir, index_dir, base_url, jobs, full, state)
        except BaseException:
            if listing is not None:
                listing.stop()
            raise
        ctx.listing = listing
        try:
            yield ctx
            if ctx.publishing:
                forget_stale_results(ctx)
        except BaseException:
            if not ctx.publishing:
                outputs.discard(ctx)
            raise
        finally:
            if ctx.analysing is not None:       # begun, and not used: the build failed before
                ctx.analysing.stop()
            if ctx.checking is not None:
                ctx.checking.stop()
            if ctx.listing is not None:
                ctx.listing.stop()
            ctx.cache.close()


@timed("start")
def context_of(articles_dir: Path, out_dir: Path, index_dir: Path, base_url: str, jobs: int, full: bool,
               state: Path) -> BuildContext:
    """What the last build left (its manifest, unless it no longer describes
    the outputs, or `full`), once a publish it left half done is settled and
    its leftovers are cleared; the versions of now; the analysis cache."""
    settled = publish.settle(state)
    if settled:
        print(settled, file=sys.stderr)
    remove_leftovers(out_dir, index_dir, state)
    settings = settings_digest(articles_dir, out_dir, index_dir)
    last = Manifest.load(state)
    known = last.articles if last.settings == settings else {}
    if full or last.settings != settings or not outputs_agree(last, out_dir, index_dir):
        last = Manifest()
    ctx = BuildContext(articles_dir, out_dir, index_dir, base_url, jobs, full, state, settings,
                       Versions.now(base_url, last.versions, raw_pages(articles_dir)), last, known=known)
    ctx.cache = AnalysisCache(state)
    return ctx


@timed("cache")
def forget_stale_results(ctx: BuildContext) -> None:
    """The analysis cache keeps only what the published articles' files
    have, at the analysers' versions of now: while it is as the last build
    left it, only the files of the articles that changed or went can have
    results to forget; else every result is looked at."""
    from quzhou_archive.pipeline.analyse import cache_as_last_left

    current = {r.digest for r in ctx.records.values()}
    if cache_as_last_left(ctx):
        left = ctx.plan.changed | ctx.plan.removed
        ctx.cache.forget({ctx.last.articles[aid].digest for aid in left if aid in ctx.last.articles} - current,
                         ctx.stamp)
    else:
        ctx.cache.keep_only(current, ctx.versions.analysers, ctx.stamp)


def raw_pages(articles_dir: Path) -> list:
    from quzhou_archive.site.raw import folder_state, raw_folder

    return folder_state(raw_folder(articles_dir))


def something_changed(ctx: BuildContext) -> bool:
    """Articles or versions are not those of the last build (what of its
    outputs is damaged is not known yet)."""
    return ctx.fresh or not sources.unchanged(ctx) or ctx.last.versions != ctx.versions.plain()


def nothing_to_do(ctx: BuildContext) -> bool:
    """The same articles, built by the same versions of everything, into
    outputs that are as the last build left them."""
    return not ctx.fresh and not ctx.repair and sources.unchanged(ctx) \
        and ctx.last.versions == ctx.versions.plain()


def said_nothing_changed(ctx: BuildContext) -> int:
    retimed = ctx.repair.retimed or ctx.repair.index_retimed or any(
        ctx.records[s.id] != ctx.last.articles[s.id] for s in ctx.sources)
    if retimed:     # files touched but not changed: their new times noted, so that they are not read again
        outputs = {p: r._replace(mtime=ctx.repair.retimed[p]) if p in ctx.repair.retimed else r
                   for p, r in ctx.last.outputs.items()}
        dataclasses.replace(ctx.last, articles=ctx.records, outputs=outputs).save(ctx.state, ctx.last)
    print(f"nothing changed: {len(ctx.sources)} articles, site {ctx.out_dir}/ and index {ctx.index_dir}/ "
          f"are up to date")
    return 0


def said_built(ctx: BuildContext, seconds: float) -> None:
    plan = ctx.plan
    what = "from nothing" if ctx.fresh else f"{len(plan.changed)} changed, {len(plan.removed)} removed"
    size = ctx.outputs.size()
    print(f"built {len(ctx.sources)} articles ({what}{ctx.repair.said()}; {ctx.segmented} segmented, "
          f"{ctx.outputs.written} files written): index {ctx.index_dir}/, "
          f"site {ctx.out_dir}/ ({megabytes(size)}) in {seconds:.1f} s")
    if size > GITHUB_PAGES_LIMIT:
        print(f"warning: the site is {size / 1e9:.2f} GB; GitHub Pages publishes sites of at most 1 GB",
              file=sys.stderr)
