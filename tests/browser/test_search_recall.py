"""Search finds everything Ctrl+F finds, exact matches first, and the browser
and the command line give the same ranking.

Queries are a few hundred random 2-4 character substrings of the bundled
articles (seeded), plus their Traditional-character forms. Ctrl+F's answer
for a substring is every article whose headline, text or captions contain
it (after folding, so a Traditional query expects what its Simplified form
finds). Substrings that the query syntax would read differently (a leading
-, quotes, field:value) are not plain-text queries and are left out.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from quzhou_archive.pipeline import export as export_stage
from quzhou_archive.synthetic import sample_queries, searchable_parts
from tests.browser.conftest import BASE, run_search, serving
from tests.conftest import ROOT
from tests.pipeline.test_build import decode_ids

SEED = 20241130
SAMPLES = 300


@pytest.fixture(scope="module")
def corpus():
    return searchable_parts(ROOT / "articles")


@pytest.fixture(scope="module")
def queries(corpus):
    return sample_queries(corpus, SAMPLES, SEED)


def test_sample_has_traditional_forms(queries):
    assert len(queries) >= SAMPLES + 100


def test_recall_and_r_precision_in_chromium(page, server, queries):
    texts = list(queries)
    found = run_search(page, server, texts, limit=1000)
    missed, precision = [], []
    for text, ids in zip(texts, found):
        truth = queries[text]
        if truth - set(ids):
            missed.append((text, sorted(truth - set(ids))))
        top = ids[: len(truth)]
        precision.append(len(truth & set(top)) / len(truth))
    assert not missed, f"Ctrl+F finds what search does not: {missed[:5]}"
    r_precision = sum(precision) / len(precision)
    print(f"\n{len(texts)} queries: recall 100%, mean R-precision {r_precision:.4f}")
    assert r_precision >= 0.99
    assert not page.problems


# Queries of filters alone: every article they select, newest first, then by ID.
FILTERS_ALONE = ["paper:衢州日报", "county:常山县", "kind:news", "date:2024-01..2024-12", "year:2021 -的", "topic:工业制造"]


def test_browser_and_command_line_rank_alike(page, server, built, queries, tmp_path):
    assert_ranked_alike(page, server, built[1], FILTERS_ALONE + list(queries), tmp_path)


@pytest.fixture(scope="module")
def renumbered(tmp_path_factory):
    """The bundled archive built, then one article removed and a copy of the
    oldest one (same date, an ID that sorts before it) added, and built
    again: a removed article's number is empty and the copy's number is
    last, though it ranks level with the oldest article and comes before
    it by ID."""
    root = tmp_path_factory.mktemp("renumbered")
    articles = root / "articles"
    shutil.copytree(ROOT / "articles", articles)
    paths = sorted(store.article_paths(articles))
    assert build(articles, root / "site", root / "index", BASE) == 0
    old = store.read_article(articles, paths[0])
    meta = {k: v for k, v in old.meta.items() if k != store.DIGEST_KEY}
    backfill = paths[0].with_name("0-" + paths[0].name)
    backfill.write_text(store.article_file_text(meta, old.body), encoding="utf-8")
    paths[len(paths) // 2].unlink()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export_stage, "TOMBSTONE_SHARE", 0.5)     # one of 17 is past the share a large archive keeps
        assert build(articles, root / "site", root / "index", BASE) == 0
    ids = decode_ids(root / "site")
    assert "" in ids and ids[-1] == store.id_for_path(articles, backfill) < old.id
    return root / "site", root / "index", old.title


def test_browser_and_command_line_rank_alike_after_a_removal_and_a_backfill(page, renumbered, queries, tmp_path):
    site, index, tied = renumbered
    with serving(site) as url:
        assert_ranked_alike(page, url, index, [tied] + FILTERS_ALONE + list(queries), tmp_path)


def assert_ranked_alike(page, server, index, texts, tmp_path):
    browser = run_search(page, server, texts, limit=10)
    listing = tmp_path / "queries.txt"
    listing.write_text("\n".join(texts) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "build_site.py"), "search", "--queries", str(listing), "--json",
                             "--limit", "10", "--index", str(index)], capture_output=True, text=True, cwd=ROOT,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    command_line = [[hit["id"] for hit in json.loads(line)] for line in result.stdout.splitlines()]
    assert len(command_line) == len(texts)
    differing = [(t, b, c) for t, b, c in zip(texts, browser, command_line) if b != c]
    assert not differing, f"{len(differing)} queries rank differently, e.g. {differing[:3]}"


def test_traditional_query_finds_simplified_text(page, server):
    (ids,) = run_search(page, server, ["常山縣"], limit=50)
    (simplified,) = run_search(page, server, ["常山县"], limit=50)
    assert ids and ids == simplified
