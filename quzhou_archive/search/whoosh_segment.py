"""One segment of the Whoosh index, written through Whoosh's codec by the
process that reads its articles: how a build from nothing writes the index
(`whoosh_index.write_index`), a run of articles per worker, each its own
segment, so that no document travels between processes.

Whoosh's writer (`SegmentWriter.add_document`) analyses every field of every
document and puts each posting into a pool that it sorts, spilling runs to
disk and merging them, before its codec writes them out. For this schema
most of that work has a shortcut:

* `chars`, the article's less common characters, is four fifths of the
  postings. Each character is one token of the field, so its postings are
  the distinct (character, document) pairs of the batch's streams, found
  with numpy and already in the order the codec wants them.
* the other indexed fields take few distinct values (a year, a date, a
  county, a length): Whoosh's own `field.index` is asked once per value and
  its terms remembered.
* the postings are grouped by term in memory as they come (a few bytes
  each), never sorted on disk.

The per-document values (stored fields, columns) go through the codec's
per-document writer exactly as `add_document` puts them, and the postings
through its field writer in the order `add_postings` takes them, so the
segment is the one Whoosh's writer makes of the same documents, file for
file (`tests/search/test_whoosh_segment.py`). A schema with what this does
not do (scorable fields, vectors, spelling words) is written by Whoosh's
writer instead.
"""
from __future__ import annotations

import functools
from array import array
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from whoosh.codec import default_codec
from whoosh.filedb.filestore import FileStorage
from whoosh.index import open_dir
from whoosh.writing import SegmentWriter

CHARS = "chars"                 # the field of each article's less common characters
BATCH = 512                     # documents whose characters are collected at once
# characters Whoosh's keyword tokenizer splits on: never a term, whatever the stream holds
KEYWORD_SEPARATORS = " \t\r\n"


def covers(schema) -> bool:
    """Does this write every field of `schema` as Whoosh's writer does? Not
    fields with lengths (scorable), vectors or separate spelling words."""
    for _, field in schema.items():
        if field.vector or field.separate_spelling() or (field.indexed and field.scorable):
            return False
    return CHARS in schema.names() and schema[CHARS].indexed and not schema[CHARS].stored \
        and schema[CHARS].column_type is None


@functools.lru_cache(maxsize=4)
def _excluded(common: frozenset[str]) -> np.ndarray:
    """A flag per code point: never a term of `chars` (common, or a separator)."""
    flags = np.zeros(0x110000, bool)
    flags[[ord(ch) for ch in common | set(KEYWORD_SEPARATORS)]] = True
    return flags


class SegmentBuilder:
    """Documents in, one Whoosh segment out (`finish`)."""

    def __init__(self, storage: FileStorage, schema, indexname: str, common: frozenset[str]):
        self.storage, self.schema = storage, schema
        self.codec = default_codec()
        self.segment = self.codec.new_segment(storage, indexname)
        self.perdoc = self.codec.per_document_writer(storage, self.segment)
        self.excluded = _excluded(common)
        self.postings: dict[str, dict[bytes, dict[tuple, array]]] = {}   # field -> term -> (weight, value) -> docs
        self.lists_of: dict[tuple, list[array]] = {}    # (field, type, value) -> the lists of documents it joins
        self.char_keys: list[np.ndarray] = []       # per batch: code point << 32 | document, sorted
        self.batch: list[tuple[int, list[str]]] = []
        # what Whoosh's analysis gives a character said once: its posting's weight and value bytes
        _, _, weight, value = next(iter(schema[CHARS].index("x")))
        self.char_posting = (weight, value)
        self.docnum = 0

    def add(self, fields: dict, streams: list[str]) -> None:
        """One document: its fields but `chars` (as `add_document` takes
        them), and the streams whose less common characters `chars` holds."""
        docnum, perdoc, schema = self.docnum, self.perdoc, self.schema
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            if field.indexed:
                for docs in self._postings_of(name, field, value):
                    docs.append(docnum)
            perdoc.add_field(name, field, value if field.stored else None, 0)
            if field.column_type is not None:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self.batch.append((docnum, streams))
        if len(self.batch) >= BATCH:
            self._collect_chars()
        self.docnum += 1

    def _postings_of(self, name: str, field, value) -> list[array]:
        """The lists of documents a document with this value of the field
        joins: one per term (and weight and value bytes) `field.index` gives it."""
        key = (name, type(value), value)
        lists = self.lists_of.get(key)
        if lists is None:
            # (field boosts are 1: the documents carry none)
            terms = list(field.index(value))
            by_term = self.postings.setdefault(name, {}) if terms else {}    # (a field of no terms is not written)
            lists = self.lists_of[key] = [by_term.setdefault(term, {}).setdefault((weight, vbytes), array("I"))
                                          for term, _, weight, vbytes in terms]
        return lists

    def _collect_chars(self) -> None:
        """The batch's (character, document) pairs of less common characters."""
        if not self.batch:
            return
        texts = ["".join(streams) for _, streams in self.batch]
        code_points = np.frombuffer("".join(texts).encode("utf-32-le"), "<u4")
        lengths = np.fromiter(map(len, texts), np.int64, len(texts))
        docs = np.repeat(np.array([n for n, _ in self.batch], np.uint64), lengths)
        kept = ~self.excluded[code_points]
        keys = np.sort(code_points[kept].astype(np.uint64) << np.uint64(32) | docs[kept])
        first = np.ones(len(keys), bool)        # each pair once (np.unique takes four times as long)
        first[1:] = keys[1:] != keys[:-1]
        self.char_keys.append(keys[first])
        self.batch = []

    def finish(self):
        """Write the postings; the segment, closed and assembled, as Whoosh's writer leaves it."""
        self._collect_chars()
        self.perdoc.close()
        writer = self.codec.field_writer(self.storage, self.segment)
        names = set(self.postings) | ({CHARS} if any(len(k) for k in self.char_keys) else set())
        for name in sorted(names):
            writer.start_field(name, self.schema[name])
            if name == CHARS:
                self._write_chars(writer)
            else:
                self._write_terms(writer, self.postings[name])
            writer.finish_field()
        writer.close()
        self.segment.set_doc_count(self.docnum)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
        return self.segment

    @staticmethod
    def _write_terms(writer, terms: dict[bytes, dict[tuple, array]]) -> None:
        add = writer.add
        for term in sorted(terms):
            writer.start_term(term)
            by_posting = terms[term]
            if len(by_posting) == 1:
                (weight, value), docs = next(iter(by_posting.items()))
                for docnum in docs:
                    add(docnum, weight, value, 0)
            else:       # (a value said twice in a keyword field: another frequency)
                for docnum, weight, value in sorted((d, w, v) for (w, v), docs in by_posting.items() for d in docs):
                    add(docnum, weight, value, 0)
            writer.finish_term()

    def _write_chars(self, writer) -> None:
        keys = np.sort(np.concatenate(self.char_keys))      # each batch's are sorted, the batches in document order
        code_points = keys >> np.uint64(32)
        docs = (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        starts = np.flatnonzero(np.r_[True, code_points[1:] != code_points[:-1]]).tolist() + [len(docs)]
        weight, value = self.char_posting
        add = writer.add
        for start, end in zip(starts, starts[1:]):
            writer.start_term(chr(code_points[start]).encode("utf-8"))
            for docnum in docs[start:end].tolist():
                add(docnum, weight, value, 0)
            writer.finish_term()


def library_segment(folder: Path, indexname: str, docs: Iterable[dict]) -> object:
    """The same segment written by Whoosh's writer (as the sub-writers of its
    multi-process writer do: unlocked, the segment finished but not committed)."""
    writer = SegmentWriter(open_dir(str(folder), indexname=indexname), _lk=False)
    for fields in docs:
        writer.add_document(**fields)
    return writer._finalize_segment()
