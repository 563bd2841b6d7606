"""The export stage's full pass: worker runs of documents, buckets of shards
and batches of postings give the shard files the reference encoder
(`browser_index.shard_chunks` + `finish_shard`) gives, with every document
number in its place — gaps included."""
from __future__ import annotations

import gzip
import json
from collections import Counter

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from quzhou_archive.pipeline import export as export_stage
from quzhou_archive.search import browser_index as export
from quzhou_archive.synthetic import generate
from tests.conftest import ROOT
from tests.search.test_browser_index import archive_tokens, chunks_of


def ids_in_order(site) -> list[str]:
    """ids.bin: the article ID of every document number ('' for an empty one)."""
    raw = gzip.decompress((site / "search" / "ids.bin").read_bytes())
    count, i = export.read_varint(raw, 0)
    ids, previous = [], b""
    for _ in range(count):
        shared, i = export.read_varint(raw, i)
        rest, i = export.read_varint(raw, i)
        previous = previous[:shared] + raw[i:i + rest]
        i += rest
        ids.append(previous.decode("utf-8"))
    return ids


def assert_shards_are_the_references(articles, site):
    tokens = dict(zip((store.id_for_path(articles, p) for p in store.article_paths(articles)), archive_tokens(articles)))
    numbered = [(n, tokens[aid]) for n, aid in enumerate(ids_in_order(site)) if aid]
    words = Counter()
    for _, doc in numbered:
        words.update(doc.words)
    count = json.loads((site / "search" / "meta.json").read_text(encoding="utf-8"))["shards"]
    reference = chunks_of(numbered, count, export.Vocabulary(dict(words)))
    made = {k: (site / export.shard_path(k)).read_bytes() for k in range(count)}
    assert [k for k in range(count) if made[k] != reference[k]] == []


def test_the_full_pass_gives_the_reference_shards_with_gaps_in_the_numbers(tmp_path, monkeypatch):
    articles, site, index = tmp_path / "articles", tmp_path / "site", tmp_path / "index"
    generate(200, articles, ROOT / "articles", seed=5)
    monkeypatch.setattr(export_stage, "BATCH", 5000)             # many batches in each run
    monkeypatch.setattr(export_stage, "BUFFERED", 1 << 16)       # appended to the bucket files often
    monkeypatch.setattr(export_stage, "SHARDS_PER_BUCKET", 4)    # many buckets
    passes = []
    full_pass = export_stage.postings_pass
    monkeypatch.setattr(export_stage, "postings_pass", lambda *args: passes.append(args) or full_pass(*args))
    assert build(articles, site, index) == 0
    assert_shards_are_the_references(articles, site)
    # a removed article leaves its number empty; a damaged shard has every posting collected again
    store.article_paths(articles)[50].unlink()
    (site / export.shard_path(0)).unlink()
    assert build(articles, site, index) == 0
    assert len(passes) == 2 and "" in ids_in_order(site)
    assert_shards_are_the_references(articles, site)
