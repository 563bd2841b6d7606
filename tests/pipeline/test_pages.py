"""The render stage decides again only the pages a change can show on: after
any change, the pages are those a build from nothing makes."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from quzhou_archive.pipeline.publish import STAMP_FILE
from quzhou_archive.site import model as site_model
from quzhou_archive.synthetic import generate
from tests.conftest import ROOT
from tests.pipeline.test_build import retitle, snapshot

ROUNDS = 12


def pages(site: Path) -> dict[str, bytes]:
    return {p: data for p, data in snapshot(site).items() if not p.startswith("search/") and p != STAMP_FILE}


def some_change(articles: Path, rng: random.Random, n: int) -> str:
    """One change an archivist makes: a story removed, one found later (a
    copy of another, with its own ID, dated near it), a new title, date,
    county or topic."""
    paths = sorted(store.article_paths(articles))
    path = rng.choice(paths)
    article = store.read_article(articles, path)
    meta = {k: v for k, v in article.meta.items() if k != store.DIGEST_KEY}
    kind = rng.choice(["remove", "add", "title", "date", "county", "topic"])
    if kind == "remove":
        path.unlink()
    elif kind == "add":
        copy = path.with_name(f"found-{n}-{path.name}")
        copy.write_text(store.article_file_text({**meta, "title": f"补录{n}:{meta['title']}"}, article.body),
                        encoding="utf-8")
    elif kind == "title":
        retitle(path, f"新标题{n}")
    elif kind == "date":
        retitle(path, meta["title"], date=rng.choice(["2024-11-30", "2021-09", "2015-05-26", None]))
    elif kind == "county":
        retitle(path, meta["title"], counties=[rng.choice(["常山县", "开化县", "江山市", "衢州市"])])
    else:
        retitle(path, meta["title"], topics=[rng.choice(["工业制造", "数字经济", "农业农村", "招商引资"])])
    return kind


@pytest.mark.parametrize("seed", [1, 2])
def test_after_any_change_the_pages_are_those_of_a_build_from_nothing(tmp_path, seed):
    articles = tmp_path / "articles"
    generate(60, articles, ROOT / "articles", seed=seed)
    site, index = tmp_path / "site", tmp_path / "index"
    assert build(articles, site, index) == 0
    rng = random.Random(seed)
    for n in range(ROUNDS):
        kind = some_change(articles, rng, n)
        assert build(articles, site, index) == 0
        fresh = tmp_path / f"fresh{n}"
        assert build(articles, fresh / "site", fresh / "index", full=True) == 0
        got, want = pages(site), pages(fresh / "site")
        assert set(got) == set(want), kind
        assert [p for p in got if got[p] != want[p]] == [], kind


def test_related_stories_are_the_nearest_in_time():
    dates = [("a", "2024-11-30"), ("b", "2024-11-20"), ("c", "2024-10-01"), ("d", "2020-01-01"), ("e", None)]
    model = site_model.SiteModel((aid, site_model.Card("标题", None, None, date, f"报{aid}", 1, ("常山县",), ("工业制造",),
                                               "news", "")) for aid, date in dates)
    assert [i.id for i in site_model.related_items(model, model.by_id["b"])] == ["a", "c", "d"]
    assert site_model.days_apart("2024-11", "2024-11-05") == 4
    assert site_model.days_apart(None, None) == 0
    assert site_model.days_apart(None, "2024") == site_model.UNDATED_APART
