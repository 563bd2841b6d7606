"""The analysers: each result cached by the article file's digest and its
analyser's own version, so that a new analyser runs once on every article
and a changed one runs again alone; nothing is segmented again unless the
text segmenting reads changed."""
from __future__ import annotations

import hashlib

import pytest

from quzhou_archive.pipeline import analyse, build, context
from quzhou_archive.pipeline.sources import scan
from quzhou_archive.pipeline.state import AnalysisCache, digest_of, state_dir
from tests.conftest import ROOT
from tests.pipeline.test_build import snapshot


class Letters(analyse.Analyser):
    """A new analyser, as the next one (economic figures) will be: one class."""

    name = "letters"
    needs = ("content",)

    def __init__(self):
        self.ran: list[str] = []

    def version(self) -> str:
        return "1"

    def inputs(self, earlier) -> str:
        return digest_of(earlier["content"].body_parts)

    def analyse(self, article, earlier) -> int:
        self.ran.append(article.id)
        return len(earlier["content"].body_text)


@pytest.fixture
def new_code(monkeypatch):
    """What these tests change in the analysers stands for new code, which
    makes a build work the versions out anew (`context.Versions.now`)."""
    monkeypatch.setattr(context, "installed_libraries", lambda: "new code")


def test_a_new_analyser_runs_once_on_every_article_and_nothing_else_runs_again(built, new_code, monkeypatch, capsys):
    articles, site, index = built
    before = snapshot(site)
    letters = Letters()
    monkeypatch.setattr(analyse, "ANALYSERS", analyse.ANALYSERS + (letters,))
    assert build(articles, site, index, jobs=1) == 0
    assert "0 changed, 0 removed; 0 segmented, 0 files written" in capsys.readouterr().out
    ids = sorted(s.id for s in analyse_sources(articles))
    assert sorted(letters.ran) == ids
    assert snapshot(site) == before
    cache = AnalysisCache(state_dir(index))
    try:
        digest = store_digest(articles, ids[0])
        found = analyse.read(cache, digest, "letters", "content")
        assert found.get("letters") == len(found.content.body_text) > 0
    finally:
        cache.close()
    assert build(articles, site, index, jobs=1) == 0
    assert capsys.readouterr().out.startswith("nothing changed")
    assert len(letters.ran) == len(ids)


def test_a_new_version_of_the_html_that_leaves_the_text_segments_nothing_again(built, new_code, monkeypatch, capsys):
    articles, site, index = built
    before = snapshot(site)
    monkeypatch.setattr(analyse.ContentAnalyser, "version", lambda self: "a new rule")
    assert build(articles, site, index, jobs=1) == 0
    assert "; 0 segmented, 0 files written" in capsys.readouterr().out
    assert snapshot(site) == before


def test_a_new_version_of_the_html_that_changes_the_text_segments_those_articles_again(built, new_code, monkeypatch, capsys):
    articles, site, index = built
    real = analyse.ContentAnalyser.analyse

    def with_a_note(self, article, earlier):
        content = real(self, article, earlier)
        if article.id.startswith("2024/"):
            content.body_parts.append("编者按")
        return content

    monkeypatch.setattr(analyse.ContentAnalyser, "version", lambda self: "a new rule")
    monkeypatch.setattr(analyse.ContentAnalyser, "analyse", with_a_note)
    assert build(articles, site, index, jobs=1) == 0
    changed = sum(s.id.startswith("2024/") for s in analyse_sources(articles))
    assert 0 < changed < len(analyse_sources(articles))
    assert f"; {changed} segmented" in capsys.readouterr().out


def analyse_sources(articles):
    return scan(articles)


def store_digest(articles, article_id: str) -> str:
    return hashlib.sha256((articles / f"{article_id}.md").read_bytes()).hexdigest()


def test_without_rjieba_a_build_with_workers_says_so_once_and_gives_the_same_site(tmp_path, monkeypatch, capfd):
    import sys

    from quzhou_archive.analyse import segment
    from quzhou_archive.pipeline.workers import PARALLEL_FROM
    from quzhou_archive.synthetic import generate

    articles = tmp_path / "articles"
    generate(PARALLEL_FROM + 6, articles, ROOT / "articles", seed=9)
    assert build(articles, tmp_path / "compiled" / "site", tmp_path / "compiled" / "index", jobs=2) == 0
    capfd.readouterr()
    monkeypatch.setitem(sys.modules, "rjieba", None)     # import rjieba now fails, in the workers too
    segment._cut.cache_clear()
    segment.rjieba_available.cache_clear()
    try:
        assert build(articles, tmp_path / "python" / "site", tmp_path / "python" / "index", jobs=2) == 0
        out, err = capfd.readouterr()                     # workers' output included
    finally:
        segment._cut.cache_clear()
        segment.rjieba_available.cache_clear()
    assert f"{PARALLEL_FROM + 6} segmented" in out and err.count("rjieba not installed") == 1
    assert snapshot(tmp_path / "python" / "site") == snapshot(tmp_path / "compiled" / "site")


def test_a_cache_the_last_build_did_not_leave_is_checked_for_every_article(built, capsys):
    """A build asks the cache only about the files the last build did not
    have while the cache is as that build left it (its stamp); a cache
    someone else changed since is read whole, and what it lost is made again."""
    import sqlite3

    from quzhou_archive.pipeline.state import Manifest

    articles, site, index = built
    state = state_dir(index)
    cache = AnalysisCache(state)
    assert cache.stamp() == Manifest.load(state).stamp is not None
    cache.close()
    other = sorted(articles.rglob("*.md"))[1]
    with sqlite3.connect(state / "cache.db") as db:
        db.execute("DELETE FROM analysis WHERE digest=? AND name='tokens'", (scan(articles)[0].digest,))
        db.execute("UPDATE kept SET value='another' WHERE key='stamp'")
    other.write_text(other.read_text(encoding="utf-8") + "\n补记一句。\n", encoding="utf-8")
    assert build(articles, site, index, jobs=1) == 0
    assert "1 changed, 0 removed; 2 segmented" in capsys.readouterr().out
    assert build(articles, site, index, jobs=1) == 0
    assert capsys.readouterr().out.startswith("nothing changed")


def test_token_streams_read_as_the_whole_result_reads_them():
    """The streams of a cached tokens result, read without its words, are the ones decoding it all gives."""
    import marshal

    from quzhou_archive.analyse.segment import DocTokens, tokenize

    tokens = [tokenize(["常山胡柚丰收"], ["全县规上工业产值增长。", "第二段𠀀🙂"]), DocTokens([], [], {}),
              DocTokens(["甲"], [], {"甲乙": 1}), DocTokens(["同"], ["同"], {"同": 2})]
    analyser = analyse.by_name()["tokens"]
    for t in tokens:
        value = marshal.dumps(analyser.encode(t))
        decoded = analyser.decode(marshal.loads(value))
        assert analyse.token_streams(value) == (decoded.headline, decoded.body) == (t.headline, t.body)


def test_results_of_many_files_and_analysers(tmp_path):
    cache = AnalysisCache(tmp_path)
    digests = [f"{n:04d}" for n in range(1203)]
    cache.put_many([(d, name, "1", "", f"{name}{d}".encode()) for d in digests for name in ("meta", "tokens")]
                   + [("other", "meta", "1", "", b"x")])
    found = cache.results_of(["meta", "tokens", "content"], digests + ["missing"])
    assert found["meta"] == {d: f"meta{d}".encode() for d in digests}
    assert found["tokens"] == {d: f"tokens{d}".encode() for d in digests}
    assert found["content"] == {}
    cache.close()


def cached_digests(index) -> set[str]:
    cache = AnalysisCache(state_dir(index))
    try:
        return {d for (d,) in cache.db.execute("SELECT DISTINCT digest FROM analysis")}
    finally:
        cache.close()


def test_the_cache_forgets_the_files_of_articles_changed_or_removed_and_keeps_the_others(built):
    from quzhou_archive import articles as store
    from tests.pipeline.test_build import INSERTED, insert_mid_paragraph

    articles, site, index = built
    paths = sorted(store.article_paths(articles))
    before = {s.id: s.digest for s in scan(articles)}
    assert cached_digests(index) == set(before.values())
    insert_mid_paragraph(paths[3], INSERTED)
    paths[5].unlink()
    assert build(articles, site, index, jobs=1) == 0
    after = {s.id: s.digest for s in scan(articles)}
    assert cached_digests(index) == set(after.values())
    assert before[next(iter(set(before) - set(after)))] not in cached_digests(index)


def test_results_of_an_analyser_of_another_version_are_forgotten(built, new_code, monkeypatch):
    articles, site, index = built
    cache = AnalysisCache(state_dir(index))
    cache.put_many([(next(iter(cached_digests(index))), "meta", "an old version", "", b"x")])
    cache.close()
    monkeypatch.setattr(analyse.MetaAnalyser, "version", lambda self: "a new version")
    assert build(articles, site, index, jobs=1) == 0
    cache = AnalysisCache(state_dir(index))
    assert {v for (v,) in cache.db.execute("SELECT DISTINCT version FROM analysis WHERE name='meta'")} \
        == {"a new version"}
    cache.close()
