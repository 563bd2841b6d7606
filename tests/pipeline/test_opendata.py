"""The open-data downloads and the citations' downloads as outputs of the
build: one record per article, made again only when an article changed,
and a removed article's files gone with it."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from quzhou_archive.site.citations import download_paths
from quzhou_archive.site.model import article_url
from tests.conftest import ROOT
from tests.pipeline.test_build import snapshot


@pytest.fixture
def built(tmp_path, capsys):
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    assert build(articles, tmp_path / "site", tmp_path / "index", base_url="/arc/", jobs=1) == 0
    capsys.readouterr()
    return articles, tmp_path / "site", tmp_path / "index"


def jsonl(site):
    return [json.loads(line) for line in (site / "data" / "articles.jsonl").read_text(encoding="utf-8").splitlines()]


def test_one_record_per_article_with_its_frontmatter_and_text(built):
    articles, site, _ = built
    records = jsonl(site)
    files = {store.id_for_path(articles, p): store.read_article(articles, p) for p in store.article_paths(articles)}
    assert [r["id"] for r in records] == sorted(files)
    for rec in records:
        article = files[rec["id"]]
        assert rec["url"] == "/arc/" + article_url(rec["id"])
        assert (site / article_url(rec["id"])).is_file()
        assert {k: v for k, v in rec.items() if k not in ("id", "url", "text")} == \
               {k: v for k, v in json.loads(json.dumps(article.meta, default=str)).items() if k != "ingest_digest"}
        assert rec["text"] == article.body.strip()
    rows = list(csv.DictReader(io.StringIO((site / "data" / "articles.csv").read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    assert [r["title"] for r in rows] == [r["title"] for r in records]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="data/articles.jsonl"' in home and 'href="data/articles.csv"' in home and 'href="data/index.html"' in home
    assert "<code>source_lines</code>" in (site / "data" / "index.html").read_text(encoding="utf-8")


def test_every_article_page_has_its_citations_beside_it(built):
    articles, site, _ = built
    for path in store.article_paths(articles):
        page = article_url(store.id_for_path(articles, path))
        for download in download_paths(page).values():
            assert (site / download).stat().st_size > 0
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert ".ris<" not in sitemap and ".bib<" not in sitemap


def test_an_edited_article_flows_into_the_data_and_a_removed_one_goes(built, tmp_path, capsys):
    articles, site, index = built
    before = snapshot(site)
    path = sorted(store.article_paths(articles))[0]
    aid = store.id_for_path(articles, path)
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1), encoding="utf-8")
    assert build(articles, site, index, base_url="/arc/", jobs=1) == 0
    after = snapshot(site)
    assert next(r for r in jsonl(site) if r["id"] == aid)["title"].startswith("改过的")
    assert "改过的" in after[download_paths(article_url(aid))[".ris"]].decode("utf-8")
    assert after["data/index.html"] == before["data/index.html"]        # the same count: not made again
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", base_url="/arc/", jobs=1) == 0
    assert snapshot(fresh / "site") == after
    path.unlink()
    assert build(articles, site, index, base_url="/arc/", jobs=1) == 0
    assert aid not in [r["id"] for r in jsonl(site)]
    assert not any((site / p).exists() for p in download_paths(article_url(aid)).values())


def test_raw_pages_are_published_and_linked_only_when_there(built, capsys):
    articles, site, index = built
    page = next(p for p in store.article_paths(articles) if store.read_article(articles, p).meta.get("source"))
    article = store.read_article(articles, page)
    name, first = article.meta["source"]["file"], article.meta["source"]["lines"][0]
    html = site / article_url(article.id)
    assert "raw/" not in html.read_text(encoding="utf-8")          # no raw folder beside the articles: no link
    (articles.parent / "raw").mkdir()
    shutil.copy(ROOT / "raw" / name, articles.parent / "raw" / name)
    assert build(articles, site, index, base_url="/arc/", jobs=1) == 0
    assert (site / "raw" / name).read_bytes() == (ROOT / "raw" / name).read_bytes()
    view = (site / "raw" / f"{name}.html").read_text(encoding="utf-8")
    assert f'id="L{first}"' in view
    assert f'raw/{name}.html?lines={first}-{article.meta["source"]["lines"][1]}#L{first}"' in html.read_text(encoding="utf-8")
    (articles.parent / "raw" / name).unlink()
    assert build(articles, site, index, base_url="/arc/", jobs=1) == 0
    assert not (site / "raw").exists() and "raw/" not in html.read_text(encoding="utf-8")
