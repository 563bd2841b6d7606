"""The sources: every article file and its digest, listed (with more than
one job) by a forked process while the build reads what the last one left."""
from __future__ import annotations

import os

from quzhou_archive.pipeline import sources
from quzhou_archive.pipeline.sources import list_meanwhile, scan
from quzhou_archive.synthetic import generate
from tests.conftest import ROOT


def test_files_listed_meanwhile_are_the_files_listed_here(tmp_path):
    articles = tmp_path / "articles"
    generate(30, articles, ROOT / "articles", seed=3)
    (articles / ".hidden.md").write_text("not an article", encoding="utf-8")
    here = scan(articles)
    listing = list_meanwhile(articles, jobs=2)
    assert listing is not None
    assert scan(articles, listing=listing) == here
    assert len(here) == 30 and [s.id for s in here] == sorted(s.id for s in here)


def test_one_job_lists_here():
    assert list_meanwhile(ROOT / "articles", jobs=1) is None


def test_a_listing_whose_process_failed_is_made_here(tmp_path, monkeypatch):
    articles = tmp_path / "articles"
    generate(5, articles, ROOT / "articles", seed=4)
    here, real = os.getpid(), sources.article_file_stats

    def failing_when_forked(root):
        if os.getpid() != here:
            raise OSError("the disk went away")
        return real(root)

    monkeypatch.setattr(sources, "article_file_stats", failing_when_forked)
    assert scan(articles, listing=list_meanwhile(articles, jobs=2)) == scan(articles)
    assert len(scan(articles)) == 5
