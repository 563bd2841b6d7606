"""What the analyse stage's workers need (`AnalyseKit`), and the worker
begun as soon as the scan has found a few changed articles (`begin`).

Apart from `analyse.py`, whose libraries (numpy, Markdown, the figures'
patterns …) take this process a few tenths of a second to load: the
worker is forked first and loads jieba on the other core while this
process loads them, looks at the published files and stages the site.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from quzhou_archive.pipeline.workers import PARALLEL_FROM, CacheKit, Workers


@dataclass
class AnalyseKit(CacheKit):
    """What a worker of the analyse stage needs: where the articles and the
    cache are, and the analysers' versions."""

    articles_dir: str
    cache_folder: str
    versions: dict[str, str]
    jieba: bool = False         # load it first: some of the work is segmenting
    cpu: Counter = field(default_factory=Counter)      # CPU seconds each analyser took (in this process)

    def setup(self) -> None:
        if self.jieba:
            from quzhou_archive.analyse.segment import load_segmenter

            load_segmenter()
        # the analysers and their libraries, loaded here before the first task
        # asks for them: a worker begun early was forked before this process loaded them
        from quzhou_archive.pipeline import analyse  # noqa: F401


def begin(ctx) -> None:
    """For a few changed articles (an edit, a day's issue): a worker that
    loads jieba now, while this process goes on with the build, and then
    analyses them. (Many are analysed by a pool of workers started when
    their turn comes; with one job, everything is done in this process.)
    Called before any thread of the build is started: a fork copies only
    the thread that makes it."""
    if ctx.jobs < 2 or ctx.fresh or not 0 < len(ctx.plan.changed) < PARALLEL_FROM:
        return
    ctx.analysing = Workers(1, analyse_kit(ctx, jieba=True)).begin()


def analyse_kit(ctx, jieba: bool) -> AnalyseKit:
    if jieba:
        from quzhou_archive.analyse.segment import rjieba_available

        rjieba_available()      # asked here, so that the workers do not each say it is missing
    return AnalyseKit(str(ctx.articles_dir), ctx.cache.path, ctx.versions.analysers, jieba=jieba)
