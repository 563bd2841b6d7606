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
import subprocess
import sys

import pytest

from quzhou_archive.synthetic import sample_queries, searchable_parts
from tests.browser.conftest import run_search
from tests.conftest import ROOT

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


def test_browser_and_command_line_rank_alike(page, server, built, queries, tmp_path):
    texts = list(queries)
    browser = run_search(page, server, texts, limit=10)
    listing = tmp_path / "queries.txt"
    listing.write_text("\n".join(texts) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "build_site.py"), "search", "--queries", str(listing), "--json",
                             "--limit", "10", "--index", str(built[1])], capture_output=True, text=True, cwd=ROOT,
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
