"""The browser index's encoding: the fast writer of a build from nothing and
the in-place splice of an incremental build both give what the plain
reference encoding gives."""
from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pytest

from quzhou_archive.search import browser_index as export
from quzhou_archive.search import bulk
from quzhou_archive.analyse.segment import tokenize

TEXTS = [
    (["常山胡柚丰收"], ["常山县胡柚今年丰收，果农增收。", "辉埠镇签约项目3个，总投资12亿元。"]),
    (["规上工业增加值增长"], ["全市规上工业增加值同比增长8%，增速居全省前列。"]),
    (["開化龍頂茶"], ["开化龙顶茶叶开采，茶农忙。" * 3]),
    (["数字经济"], ["衢州市数字经济核心产业增加值增长。", "常山县新增省级示范项目三个。"]),
]


def tokens_of(texts):
    return [tokenize(headline, body) for headline, body in texts]


def vocabulary_of(docs) -> export.Vocabulary:
    counts = Counter()
    for doc in docs:
        counts.update(doc.words)
    return export.Vocabulary(dict(counts))


def reference_shards(docs, count: int, vocabulary: export.Vocabulary) -> dict[int, bytes]:
    by_term = defaultdict(list)
    for n, doc in enumerate(docs):
        for term, posting in export.doc_postings(n, doc).items():
            by_term[term].append(posting)
    shards = defaultdict(dict)
    for term, postings in by_term.items():
        shards[export.term_hash(term) % count][term] = export.record_for(term, postings, vocabulary.words_for(term[1:]))
    return {k: export.encode_shard(shards[k]) for k in range(count)}


def fast_shards(docs, count: int, vocabulary: export.Vocabulary) -> dict[int, bytes]:
    raw = defaultdict(bytes)
    for n, doc in enumerate(docs):
        for k, chunk in export.shard_chunks(n, doc, count):
            raw[k] += chunk
    return {k: export.finish_shard(raw[k], vocabulary) for k in range(count)}


@pytest.mark.parametrize("count", [1, 4])
def test_fast_writer_matches_the_reference_encoding(count):
    docs = tokens_of(TEXTS)
    vocabulary = vocabulary_of(docs)
    assert fast_shards(docs, count, vocabulary) == reference_shards(docs, count, vocabulary)


def test_documents_in_several_blocks_round_trip():
    docs = tokens_of(TEXTS) * 150      # 600 documents: three blocks of document numbers
    vocabulary = vocabulary_of(docs)
    shards = fast_shards(docs, 2, vocabulary)
    assert shards == reference_shards(docs, 2, vocabulary)
    record = next(r for shard in shards.values() for t, r in export.decode_shard(shard).items() if t == "b胡柚")
    blocks, _ = export.split_record(record)
    assert [b for b, _ in blocks] == [0, 1, 2]
    found = [p.docnum for b, body in blocks for p in export.decode_block(body, b, True)]
    assert found == [n for n in range(600) if n % 4 == 0]


def test_splicing_one_document_gives_what_encoding_afresh_gives():
    before = tokens_of(TEXTS)
    after = before[:1] + tokens_of([(["开化龙顶茶"], ["龙顶茶园新增示范项目。"])]) + before[2:]
    old_vocabulary, new_vocabulary = vocabulary_of(before), vocabulary_of(after)
    records = {}
    for shard in reference_shards(before, 1, old_vocabulary).values():
        records.update(export.decode_shard(shard))
    old_postings, new_postings = export.doc_postings(1, before[1]), export.doc_postings(1, after[1])
    for term in old_postings.keys() | new_postings.keys():
        record = export.splice(records.get(term), term, 1, new_postings.get(term),
                               new_vocabulary.words_for(term[1:]))
        if record is None:
            records.pop(term)
        else:
            records[term] = record
    for term, record in records.items():      # the words lists of the terms the splice did not touch
        if term[0] == "b" and term not in old_postings.keys() | new_postings.keys():
            records[term] = export.with_words(record, new_vocabulary.words_for(term[1:]))
    assert export.encode_shard(records) == reference_shards(after, 1, new_vocabulary)[0]


def test_shards_grow_with_the_archive():
    assert export.shard_count(1) == 1
    assert export.shard_count(10_000) == 2048
    assert export.shard_count(100_000) == 32768
    counts = [export.shard_count(n) for n in range(1, 5000, 37)]
    assert counts == sorted(counts)


def chunks_of(numbered_docs, count: int, vocabulary: export.Vocabulary) -> dict[int, bytes]:
    raw = defaultdict(bytes)
    for n, doc in numbered_docs:
        for k, chunk in export.shard_chunks(n, doc, count):
            raw[k] += chunk
    return {k: export.finish_shard(raw[k], vocabulary) for k in range(count)}


def reference_of(numbered_docs, count: int, vocabulary: export.Vocabulary) -> dict[int, bytes]:
    by_term = defaultdict(list)
    for n, doc in numbered_docs:
        for term, posting in export.doc_postings(n, doc).items():
            by_term[term].append(posting)
    shards = defaultdict(dict)
    for term, postings in by_term.items():
        shards[export.term_hash(term) % count][term] = export.record_for(term, postings, vocabulary.words_for(term[1:]))
    return {k: export.encode_shard(shards[k]) for k in range(count)}


def test_browser_index_holds_a_long_article():
    """A word said 70 000 times (more position bytes than two bytes count, as
    in a long article ingest accepts), in a document whose block number needs
    more than one byte, encodes as the reference encoding does and decodes
    back to every occurrence."""
    long_doc = tokenize(["胡柚"], ["胡柚" * 70_000])
    numbered = [(0, tokens_of(TEXTS)[0]), (256 * 300 + 7, long_doc)]
    vocabulary = vocabulary_of([d for _, d in numbered])
    shards = chunks_of(numbered, 2, vocabulary)
    assert shards == reference_of(numbered, 2, vocabulary)
    record = next(r for shard in shards.values() for t, r in export.decode_shard(shard).items() if t == "b胡柚")
    blocks, _ = export.split_record(record)
    assert [b for b, _ in blocks] == [0, 300]
    (posting,) = export.decode_block(blocks[1][1], 300, True)
    assert (posting.docnum, posting.headline) == (256 * 300 + 7, 1)
    assert posting.body == 70_000 >= 65_536


# -- the bulk export (search/bulk.py) gives the reference encoder's bytes -----------------------

def archive_tokens(folder) -> list:
    """Every article's tokens, as the analysers make them."""
    from quzhou_archive import articles as store
    from quzhou_archive.pipeline import analyse

    docs = []
    for path in store.article_paths(folder):
        article, earlier = store.read_article(folder, path), {}
        for analyser in analyse.ANALYSERS:
            earlier[analyser.name] = analyser.analyse(article, earlier)
        docs.append(earlier["tokens"])
    return docs


def bulk_of(numbered_docs, count: int, vocabulary: export.Vocabulary, batch: int = 7,
            buckets: int = 1) -> dict[int, bytes]:
    """As the export stage does it: elements a batch of documents at a time,
    concatenated in document order and sorted stably, finished a bucket of
    shards at a time."""
    parts = [bulk.elements(numbered_docs[i:i + batch], count) for i in range(0, len(numbered_docs), batch)]
    elements = np.concatenate(parts)
    elements = np.take(elements, np.argsort(elements["term"], kind="stable"))
    words = bulk.WordLists.of({g: export.encode_words(vocabulary.words_for(g)) for g in vocabulary.by_start})
    per = count // buckets
    raw = {}
    for first in range(0, count, per):
        raw.update(bulk.encode_shards(elements, list(range(first, first + per)), words))
    return {k: export.gz(data) for k, data in raw.items()}


def assert_bulk_matches_reference(numbered_docs, count: int, **options):
    vocabulary = vocabulary_of([d for _, d in numbered_docs])
    reference = chunks_of(numbered_docs, count, vocabulary)
    made = bulk_of(numbered_docs, count, vocabulary, **options)
    assert sorted(made) == list(range(count))
    assert [k for k in range(count) if made[k] != reference[k]] == []


@pytest.fixture(scope="module")
def synthetic_docs(tmp_path_factory):
    from quzhou_archive.synthetic import generate
    from tests.conftest import ROOT

    folder = tmp_path_factory.mktemp("synthetic") / "articles"
    generate(300, folder, ROOT / "articles", seed=11)
    return archive_tokens(folder)


def test_bulk_export_of_the_bundled_archive_gives_the_reference_bytes():
    from tests.conftest import ROOT

    docs = archive_tokens(ROOT / "articles")
    for count in (1, export.shard_count(len(docs)), 64):
        assert_bulk_matches_reference(list(enumerate(docs)), count, batch=3)


@pytest.mark.parametrize("count, buckets", [(1, 1), (8, 2), (1024, 16)])
def test_bulk_export_of_a_synthetic_archive_gives_the_reference_bytes(synthetic_docs, count, buckets):
    # numbers with gaps (removed articles' numbers stay empty), across blocks of BLOCK
    numbered = [(n + n // 40 * 40, doc) for n, doc in enumerate(synthetic_docs)]
    assert numbered[-1][0] > 2 * export.BLOCK
    assert_bulk_matches_reference(numbered, count, batch=23, buckets=buckets)


def test_bulk_export_of_the_edge_cases_gives_the_reference_bytes():
    """A term in the headline only and in both fields, a part longer than a
    slot, a gap before a number, a block number of two bytes, a word said
    70 000 times (positions and lengths of several bytes), characters beyond
    the BMP and plain ASCII, a document with no text."""
    docs = [
        tokenize(["胡柚丰收"], ["常山胡柚"]),                        # 胡柚 in both fields, 丰收 in the headline only
        tokenize(["长文"], ["衢" * 1500 + "州", "江山" * 700]),        # parts past 1024 characters
        tokenize([], []),
        tokenize(["𠀀𠀁 abc"], ["𠀀𠀁𠀂 x1 x1"]),
        tokenize(["胡柚"], ["胡柚" * 70_000]),
    ]
    numbered = [(0, docs[0]), (1, docs[1]), (5, docs[2]), (6, docs[3]), (256 * 300 + 7, docs[4]), (256 * 300 + 9, docs[0])]
    for count in (1, 2, 16):
        assert_bulk_matches_reference(numbered, count, batch=2)
        assert_bulk_matches_reference(numbered, count, batch=100)


def test_bulk_term_hashes_and_text_are_those_of_the_reference():
    grams = ["胡柚", "ab", "x1", "𠀀𠀁", "é中", "\x7f\x80"]
    terms = np.array([bulk.gram_term(g) for g in grams] + [bulk.CHAR_TERM | ord(c) << bulk.CODE_POINT for c in "衢a𠀀"],
                     np.uint64)
    texts = ["b" + g for g in grams] + ["c" + c for c in "衢a𠀀"]
    rows, lengths = bulk.term_bytes(terms)
    assert [bytes(rows[i, :lengths[i]]).decode("utf-8") for i in range(len(texts))] == texts
    assert list(bulk.shards_of(terms, 1 << 16)) == [export.term_hash(t) % (1 << 16) for t in texts]


def test_a_documents_digests_add_up_to_those_of_the_run():
    """What the export sums per shard is additive: the run's sums are the
    sums of its documents' (so that an incremental build can take one
    document's away and add its new one)."""
    numbered = list(enumerate(tokens_of(TEXTS)))
    count = 4
    run = bulk.shard_digests(bulk.elements(numbered, count), count)
    total = np.zeros((count, 2), np.uint64)
    for doc in numbered:
        total += bulk.shard_digests(bulk.elements([doc], count), count)
    assert (run == total).all() and run.any()
    moved = bulk.shard_digests(bulk.elements([(n + 1, d) for n, d in numbered], count), count)
    assert (moved != run).any()
