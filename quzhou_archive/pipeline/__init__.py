"""`build`: articles -> segment -> Whoosh index -> browser index -> site.

`build()` runs the stages in order:

    scan        read every article file and its digest; nothing changed -> done
    read        parse and check the new and changed articles (errors stop here,
                before anything is written)
    segment     HTML and tokens of new content, in worker processes, cached by
                content digest
    index       the Whoosh index: from nothing with Whoosh's multi-process
                writer, else article by article
    export      the browser index: every shard, or only the shards whose terms
                the changed articles touch
    render      the pages whose content changed (by digest)
    publish     index and site swapped in whole; the manifest saved

Everything is written to staging folders and swapped in only when the build
succeeded; a failed build leaves the previous index and site as they were.
A build from nothing and a later build of the same articles write the same
site, byte for byte.
"""
from __future__ import annotations

import json
import marshal
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from quzhou_archive.errors import ArchiveError
from quzhou_archive.fsutil import atomic_write, remove_tree
from quzhou_archive.pipeline.analyse import segment, fill_facts, vocabulary
from quzhou_archive.pipeline.export import export_shards, filter_values, search_small_files
from quzhou_archive.pipeline.outputs import (Repair, SiteFile, StagedSite, check_outputs, index_file_stats,
                                             outputs_agree)
from quzhou_archive.pipeline.pages import render_pages
from quzhou_archive.pipeline.publish import SITE_RECORD, STAMP_FILE, Step, settle
from quzhou_archive.pipeline.publish import publish as put_in_place
from quzhou_archive.pipeline.sources import Plan, load_articles, make_plan, scan, settings_digest
from quzhou_archive.pipeline.state import BuildLock, ContentCache, Manifest, file_digest, remove_leftovers, state_dir
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.pipeline.whoosh import collection_stats, write_index
from quzhou_archive.pipeline.workers import PARALLEL_FROM, Workers, _close_worker_caches
from quzhou_archive.search import browser_index as export_format
from quzhou_archive.search import whoosh_index
from quzhou_archive.analyse.segment import tokenizer_fingerprint
from quzhou_archive import __version__

GITHUB_PAGES_LIMIT = 10**9   # bytes a published GitHub Pages site may hold

__all__ = ["build", "load_articles", "scan", "GITHUB_PAGES_LIMIT", "PARALLEL_FROM", "normalise_base_url"]


def megabytes(size: int) -> str:
    """A size for people: "0.2 MB", "37 MB"."""
    return f"{size / 1e6:.1f} MB" if size < 10**7 else f"{size / 1e6:.0f} MB"


def build(articles_dir: Path, out_dir: Path, index_dir: Path, base_url: str = "/", jobs: int | None = None,
          wait: bool = True, full: bool = False) -> int:
    articles_dir, out_dir, index_dir = Path(articles_dir), Path(out_dir), Path(index_dir)
    check_separate(articles_dir, out_dir, index_dir)
    try:
        refuse_foreign(out_dir, index_dir)      # before any lock file is made beside them
        return _build(articles_dir, out_dir, index_dir, normalise_base_url(base_url), jobs or os.cpu_count() or 1,
                      wait, full)
    except OSError as error:     # a full disk, a folder that may not be written: one line, not a traceback
        raise ArchiveError(error.filename or out_dir, f"{error.strerror or error}; the index and site are as "
                                                      f"they were") from None


def _build(articles_dir: Path, out_dir: Path, index_dir: Path, base_url: str, jobs: int, wait: bool,
           full: bool) -> int:
    started = time.perf_counter()
    folder = state_dir(index_dir)
    # the lock of every folder this build writes, and of any a stopped build's publish left half done
    with BuildLock([out_dir, index_dir, *journal_targets(folder)], wait=wait):
        settled = settle(folder)
        if settled:
            print(settled, file=sys.stderr)
        remove_leftovers(out_dir, index_dir, folder)
        with Workers(jobs, warm=True, few=not full and Manifest.exists(folder) and out_dir.exists()
                     and index_dir.exists()) as pool:
            settings = settings_digest(base_url, out_dir, index_dir)
            manifest = Manifest.load(folder)
            sources = scan(articles_dir, manifest.articles if manifest.settings == settings else None)
            fresh = full or manifest.settings != settings or not outputs_agree(manifest, out_dir, index_dir)
            repair = Repair() if fresh else check_outputs(manifest, out_dir, index_dir)
            if fresh:
                manifest = Manifest()
            elif not repair and {s.id: s.digest for s in sources} == {aid: a["digest"]
                                                                       for aid, a in manifest.articles.items()}:
                pool.cancel()
                if repair.retimed:
                    manifest.save(folder)       # files touched but not changed: their new times noted
                print(f"nothing changed: {len(sources)} articles, site {out_dir}/ and index {index_dir}/ "
                      f"are up to date")
                return 0
            cache = ContentCache(folder, f"{tokenizer_fingerprint()}:{__version__}")
            if not fresh and not cache.has_all(a["digest"] for a in manifest.articles.values()):
                fresh, manifest, repair = True, Manifest(), Repair()    # the cache was deleted: segment anew
            try:
                staged = run_stages(sources, articles_dir, out_dir, index_dir, base_url, manifest, cache, fresh,
                                    pool, repair)
                publish_staged(staged, out_dir, index_dir, manifest, settings, folder, cache)
            finally:
                cache.close()
    plan = staged.plan
    what = "from nothing" if fresh else f"{len(plan.changed)} changed, {len(plan.removed)} removed"
    size = sum(manifest.data["sizes"].values())
    print(f"built {len(sources)} articles ({what}{repair.said()}; {staged.segmented} segmented, "
          f"{sum(f.written for f in staged.files)} files written): index {index_dir}/, "
          f"site {out_dir}/ ({megabytes(size)}) in {time.perf_counter() - started:.1f} s")
    if size > GITHUB_PAGES_LIMIT:
        print(f"warning: the site is {size / 1e9:.2f} GB; GitHub Pages publishes sites of at most 1 GB",
              file=sys.stderr)
    return 0


def journal_targets(folder: Path) -> list[Path]:
    from quzhou_archive.pipeline.publish import read_journal

    journal = read_journal(folder)
    return [step.target for step in journal[1]] if journal else []


def check_separate(articles_dir: Path, out_dir: Path, index_dir: Path) -> None:
    """The site and the index are replaced whole: neither may be, hold or lie
    in the articles or each other."""
    named = [("--articles", articles_dir.resolve()), ("--out", out_dir.resolve()), ("--index", index_dir.resolve())]
    for n, (a, path_a) in enumerate(named):
        for b, path_b in named[n + 1:]:
            if path_a == path_b or path_a in path_b.parents or path_b in path_a.parents:
                raise ArchiveError(path_b, f"{b} and {a} ({path_a}) must be separate folders, neither inside the "
                                           f"other: a build replaces the site and the index whole")


def refuse_foreign(out_dir: Path, index_dir: Path) -> None:
    """Never replace a folder of someone's files that a build did not write."""
    for folder, marks, option in ((out_dir, (STAMP_FILE, "search/meta.json"), "--out"),
                                  (index_dir, (whoosh_index.STATS_FILE, SITE_RECORD), "--index")):
        if not folder.exists():
            continue
        if not folder.is_dir():
            raise ArchiveError(folder, f"is a file, not a folder; give another {option}")
        if any((folder / mark).exists() for mark in marks) or whoosh_index.only_its_readme(folder) \
                or not any(folder.iterdir()):
            continue
        raise ArchiveError(folder, f"holds files no build wrote, and a build replaces the whole folder: give "
                                   f"another {option}, or empty it")


@dataclass
class Staged:
    """A build's outputs, staged and ready to be swapped in."""

    plan: Plan
    index: Path
    site: Path
    files: list[SiteFile]       # every file this build produced
    gone: list[str]
    pages: dict[str, str]
    words: Counter
    chars: Counter
    segmented: int


def run_stages(sources, articles_dir, out_dir, index_dir, base_url, manifest, cache, fresh, pool,
               repair: Repair) -> Staged:
    """read -> segment -> index -> export -> render -> stage; nothing is published yet."""
    with timed("read"):
        plan = make_plan(sources, articles_dir, manifest, fresh)
    # what was damaged is written again: a page rendered, the browser index exported, the Whoosh index rebuilt
    plan.repair = repair.site
    plan.full_index |= repair.index
    plan.full_export |= any(rel.startswith("search/s/") for rel in repair.site)
    with timed("segment"):
        segmentation = segment(plan, cache, pool)
        plan.articles.clear()     # their text is in the cache now; a hundred thousand of them weigh gigabytes
        pool.cool_down()
        fill_facts(plan, segmentation)
        words, chars = vocabulary(plan, manifest, cache, segmentation)
    options = filter_values(plan)
    stats = collection_stats(plan, base_url, options)
    with timed("index"):
        staged_index = write_index(plan, index_dir, cache, stats, words, pool.jobs)
    try:
        site = StagedSite.begin(out_dir, fresh)
    except BaseException:
        remove_tree(staged_index)
        raise
    try:
        with timed("export"):
            written = export_shards(plan, site, manifest, cache, words, pool)
        shard_hashes = {**({} if plan.full_export else {p: h for p, h in manifest.files.items()
                                                        if p.startswith("search/s/")}),
                        **{f.path: f.digest for f in written}}
        with timed("render"):
            rendered, pages, gone = render_pages(plan, site, base_url, manifest, cache, fresh, pool)
        written += rendered
        small = search_small_files(plan, options, stats, chars, shard_hashes, manifest, state_dir(index_dir))
        written += [site.write(rel, data) for rel, data in small.items()]
        if plan.full_export and not fresh:
            gone += [p for p in manifest.files if p.startswith("search/s/") and p not in shard_hashes]
        site.remove(gone)
    except BaseException:
        remove_tree(site.root)
        remove_tree(staged_index)
        raise
    finally:
        _close_worker_caches()
    return Staged(plan, staged_index, site.root, written, gone, pages, words, chars, segmentation.done)


def publish_staged(staged: Staged, out_dir: Path, index_dir: Path, manifest: Manifest, settings: str, folder: Path,
            cache: ContentCache) -> None:
    """Stamp the staged index and site as one pair, record what they hold,
    and put them in place together (`publish.py`)."""
    try:
        files = {p: h for p, h in manifest.files.items() if p not in staged.gone}
        files.update({f.path: f.digest for f in staged.files})
        sizes = {p: n for p, n in manifest.data.get("sizes", {}).items() if p not in staged.gone}
        sizes.update({f.path: f.size for f in staged.files})
        stats = {p: s for p, s in manifest.stats.items() if p not in staged.gone}
        stats.update({f.path: [f.size, f.mtime] for f in staged.files})
        # the stamp: every file of the site; a build from nothing and a later one of the same articles agree
        stamp = file_digest("".join(f"{p}:{h}\n" for p, h in sorted(files.items()) if p != STAMP_FILE))
        mark = StagedSite(staged.site).write(STAMP_FILE, stamp + "\n")
        files[mark.path], sizes[mark.path], stats[mark.path] = mark.digest, mark.size, [mark.size, mark.mtime]
        atomic_write(staged.index / SITE_RECORD, json.dumps({"site": str(out_dir.resolve()), "stamp": stamp},
                                                            ensure_ascii=False))
        plan = staged.plan
        manifest.data.update({
            "settings": settings, "shards": export_format.shard_count(len(plan.order)), "order": plan.order,
            "articles": {aid: info.plain() for aid, info in plan.infos.items()},
            "pages": staged.pages, "files": files, "sizes": sizes, "stats": stats, "stamp": stamp,
            "index_files": index_file_stats(staged.index, manifest.index_files),
            "vocabulary": dict(staged.words), "chars": dict(staged.chars),
        })
        steps = [Step.of("index", staged.index, index_dir), Step.of("site", staged.site, out_dir)]
    except BaseException:
        remove_tree(staged.site)
        remove_tree(staged.index)
        raise
    put_in_place(steps, folder, marshal.dumps(manifest.data))
    cache.keep_only({i.digest for i in plan.infos.values()})


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
