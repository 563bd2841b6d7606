"""The segments a build from nothing writes (`search/whoosh_segment.py`)
against Whoosh's own writer: from the same documents, the same segment,
file for file, over the bundled archive, a synthetic one and documents
made to be awkward."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from whoosh.codec import base as codec_base
from whoosh.filedb.filestore import FileStorage
from whoosh.index import create_in, open_dir
from whoosh.query import Term

from quzhou_archive import articles as store
from quzhou_archive.analyse.segment import field_streams
from quzhou_archive.pipeline import analyse
from quzhou_archive.pipeline.whoosh import index_doc
from quzhou_archive.search import whoosh_index, whoosh_segment
from quzhou_archive.search.whoosh_index import INDEX_NAME, IndexDoc, make_schema
from quzhou_archive.synthetic import generate
from tests.conftest import ROOT


def docs_of(folder: Path) -> list[IndexDoc]:
    """Every article of an archive as the index stage makes it (without jieba: the index holds no words)."""
    content = analyse.by_name()["content"]
    docs = []
    for path in store.article_paths(folder):
        article = store.read_article(folder, path)
        found = content.analyse(article, {})
        docs.append(index_doc(article.id, article.metadata, found,
                              (field_streams(article.metadata.headline_parts), field_streams(found.body_parts))))
    return docs


def doc(n: int, headline: list[str], body: list[str], **fields) -> IndexDoc:
    values = dict(id=f"2024/01/01/a-{n:02d}", url=f"/articles/a-{n}.html", title="标题", subtitle=None, kicker=None,
                  body_text="\n".join(body), date="2024-01-01", counties=["常山县"], topics=["工业制造"],
                  paper="衢州日报", kind="news", authors=[], headline=headline, body=body)
    return IndexDoc(**{**values, **fields})


AWKWARD = [
    doc(0, [], []),                                             # nothing to index
    doc(1, ["的是"], ["一二三"]),                                # common characters only
    doc(2, ["珏"], ["珏珏芯", "芯"]),                             # a rare character said many times
    doc(3, ["𠀀𪚥"], ["🙂🙂", "\U0010FFFD"]),                     # beyond the basic plane
    doc(4, ["甲\t乙"], ["丙 丁\r\n戊", "\x85\u3000"]),            # what the keyword tokenizer splits on
    doc(5, ["珏"], ["芯"], counties=["常山县", "常山县"], topics=[], authors=["甲", "甲", "乙"]),   # said twice
    doc(6, ["珏"], ["芯"], date=None, paper=None, subtitle="副", kicker="引", authors=["徐颖之"]),
    doc(7, ["珏"], ["芯" * 70000]),                              # a long field
    doc(8, ["Ａ１ｂ"], ["abc", "ABC", "123"]),
]


def segment_files(folder: Path, segment) -> dict[str, bytes]:
    storage = FileStorage(str(folder))
    compound = segment.open_compound_file(storage)
    files = {name: compound.open_file(name).read() for name in compound.list()}
    compound.close()
    return files


def both(tmp_path: Path, docs: list[IndexDoc], monkeypatch) -> tuple:
    """The documents as one segment, written by Whoosh's writer and by the
    builder, under the same segment name: (its files, its facts) each."""
    monkeypatch.setattr(codec_base.Segment, "_random_id", classmethod(lambda cls, size=16: "s" * size))
    made = []
    for way in ("library", "builder"):
        folder = tmp_path / way
        folder.mkdir(parents=True)
        create_in(str(folder), make_schema(), indexname=INDEX_NAME)
        if way == "library":
            segment = whoosh_segment.library_segment(folder, INDEX_NAME, (d.whoosh_fields() for d in docs))
        else:
            segment = whoosh_index.write_segment(folder, iter(docs))
        made.append((segment_files(folder, segment), (segment.doc_count_all(), segment._fieldlengths)))
    return made


def test_the_schema_is_covered():
    assert whoosh_segment.covers(make_schema())


def test_awkward_documents(tmp_path, monkeypatch):
    library, builder = both(tmp_path, AWKWARD, monkeypatch)
    assert builder == library
    assert any(name.endswith(".pst") for name in library[0])


@pytest.mark.parametrize("count", [1, 2])
def test_each_awkward_document_alone_and_in_pairs(tmp_path, monkeypatch, count):
    for n, docs in enumerate(itertools.combinations(AWKWARD, count)):
        if count == 2 and n % 3:
            continue
        library, builder = both(tmp_path / str(n), list(docs), monkeypatch)
        assert builder == library, [d.id for d in docs]


def test_no_documents(tmp_path, monkeypatch):
    library, builder = both(tmp_path, [], monkeypatch)
    assert builder == library


def test_the_bundled_archive(tmp_path, monkeypatch):
    library, builder = both(tmp_path, docs_of(ROOT / "articles"), monkeypatch)
    assert builder == library


def test_a_synthetic_archive_across_batches(tmp_path, monkeypatch):
    generate(whoosh_segment.BATCH + 150, tmp_path / "articles", ROOT / "articles")
    library, builder = both(tmp_path, docs_of(tmp_path / "articles"), monkeypatch)
    assert builder == library


def test_an_index_of_segments_answers(tmp_path):
    """Segments written apart make one index: every document found, in order."""
    docs = AWKWARD[1:] * 3
    docs = [doc(n, d.headline, d.body) for n, d in enumerate(docs)]
    runs = [docs[:5], docs[5:9], docs[9:]]
    new = whoosh_index.write_index(tmp_path / "index", lambda folder: [whoosh_index.write_segment(folder, run)
                                                                         for run in runs],
                                   {"tokenizer": 0}, {})
    ix = open_dir(str(new))
    with ix.searcher() as searcher:
        assert [leaf.doc_count_all() for leaf, _ in searcher.leaf_searchers()] == [5, 4, len(docs) - 9]
        assert [f["id"] for f in searcher.all_stored_fields()] == [d.id for d in docs]
        assert sorted(searcher.docs_for_query(Term("chars", "珏"))) == [n for n, d in enumerate(docs)
                                                                      if "珏" in "".join(d.headline + d.body)]
    assert not (new / f"{INDEX_NAME}.tmp").exists()
