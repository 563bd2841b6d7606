"""The index stage: how a build from nothing cuts the articles into runs,
and what a worker reads of each from the cache."""
from __future__ import annotations

import pytest

from quzhou_archive.pipeline import whoosh
from quzhou_archive.pipeline.state import AnalysisCache, Manifest, state_dir


@pytest.mark.parametrize("count, jobs", [(1, 1), (5, 2), (100, 3), (40_000, 2), (70_000, 4), (16_384, 1)])
def test_runs_cover_every_article_in_order_as_a_multiple_of_the_workers(count, jobs):
    items = list(range(count))
    runs = whoosh.runs_of(items, jobs)
    assert [i for run in runs for i in run] == items
    assert all(0 < len(run) <= whoosh.RUN for run in runs)
    assert len(runs) % jobs == 0 or len(runs) == count
    assert max(map(len, runs)) - min(map(len, runs)) <= 1


def test_no_articles_no_runs():
    assert whoosh.runs_of([], 2) == []


def test_a_run_reads_what_reading_each_article_gives(built, monkeypatch):
    """The runs' batched reading (several analysers per query, the tokens' streams
    without their words) gives every article as reading it alone does."""
    _, _, index = built
    state = state_dir(index)
    manifest = Manifest.load(state)
    items = sorted((aid, record.digest) for aid, record in manifest.articles.items())
    cache = AnalysisCache(state)
    try:
        monkeypatch.setattr(whoosh, "READ_BATCH", 4)      # several batches, the last a short one
        assert len(items) % 4
        assert list(whoosh.read_run(cache, items)) == [whoosh.cached_doc(cache, aid, digest) for aid, digest in items]
    finally:
        cache.close()
