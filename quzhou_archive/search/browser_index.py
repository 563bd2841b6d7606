"""The browser's search index: the same tokens as the Whoosh index, written
as small static files that `static/search.js` fetches on demand.

    search/meta.json      counts, averages, shard count, filter values
    search/docs.bin       per document: field lengths, date, filters
    search/ids.bin        per document: its article ID (front-coded)
    search/fold.bin       the character foldings queries need
    search/s/K.bin        shard K: the terms whose hash falls in it
    search/d/K.bin        delta shard K: the same, for the articles added
                          since the numbers were last made dense

A document keeps its number for life (`pipeline/export.py`): a removed
one leaves an empty row, a new one takes the next number; a build from
nothing numbers by date, then ID. Ranking never reads the numbers. A term is `b` + a character
bigram (postings with positions per field, then the vocabulary words that
start with it and their costs) or `c` + one character (postings with counts
per field). Its postings are cut into blocks of BLOCK document numbers, so
that changing one article rewrites one block per term, not the whole list.
A term's shard is its CRC-32 modulo the shard count; a query fetches
only the shards of its terms. Numbers are unsigned LEB128 varints, document
numbers and positions delta-coded, each block's numbers grouped by kind;
every .bin file is gzip-compressed (the browser inflates it with
DecompressionStream, so no host has to be configured).

A result's headline and snippet come from the article's own page, which the
site has anyway: the index holds no second copy of the text.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass

from quzhou_archive.search import rank
from quzhou_archive.site.model import ARTICLE_URL
from quzhou_archive.analyse.segment import TOKENIZER_VERSION, DocTokens, bigram_positions
from quzhou_archive.textnorm import search_fold_char

FORMAT_VERSION = 3     # 3: the ranking's numbers in meta.json ("ranking"); removed articles' numbers left empty
BLOCK = 256                 # document numbers per posting block
DOCS_PER_SHARD = 5          # shards grow with the archive: about five articles' worth of terms each


# -- numbers -------------------------------------------------------------------

_SMALL = [bytes([n]) for n in range(128)]


def varint(n: int, out: bytearray) -> None:
    if n < 128:
        out += _SMALL[n]
        return
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def read_varint(data, i: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        byte = data[i]
        i += 1
        n |= (byte & 0x7F) << shift
        if byte < 0x80:
            return n, i
        shift += 7


def term_hash(term: str) -> int:
    """CRC-32 of the term's UTF-8 bytes (search.js computes the same)."""
    return zlib.crc32(term.encode("utf-8"))


# Level 2: on the archive's shards, files 4% larger than level 6's at half
# the time; compressing them was a third of the export's work
SHARD_COMPRESSION = 2


def gz(data: bytes) -> bytes:
    # mtime=0: the same input gives the same bytes, so unchanged files stay unchanged
    return gzip.compress(data, compresslevel=SHARD_COMPRESSION, mtime=0)


def shard_count(n_docs: int) -> int:
    count = 1
    while count * DOCS_PER_SHARD < n_docs and count < 65536:
        count *= 2
    return count


# -- one document's postings -----------------------------------------------------

@dataclass
class Posting:
    docnum: int
    headline: int           # occurrences in the headline
    body: int               # occurrences in the body
    positions: bytes = b""  # bigrams: headline then body positions, each delta-coded


def _deltas(positions: list[int], out: bytearray) -> None:
    previous = 0
    for p in positions:
        varint(p - previous, out)
        previous = p


def doc_postings(docnum: int, tokens: DocTokens) -> dict[str, Posting]:
    """Every term of one document -> its posting."""
    out: dict[str, Posting] = {}
    h, b = bigram_positions(tokens.headline), bigram_positions(tokens.body)
    for gram in h.keys() | b.keys():
        hp, bp = h.get(gram, ()), b.get(gram, ())
        data = bytearray()
        _deltas(hp, data)
        _deltas(bp, data)
        out["b" + gram] = Posting(docnum, len(hp), len(bp), bytes(data))
    hc, bc = Counter("".join(tokens.headline)), Counter("".join(tokens.body))
    for ch in hc.keys() | bc.keys():
        out["c" + ch] = Posting(docnum, hc.get(ch, 0), bc.get(ch, 0))
    return out


# -- records -------------------------------------------------------------------

def field_code(headline: int, body: int) -> bytes:
    """Counts per field as one number where, as usually, the headline has none."""
    out = bytearray()
    varint(body << 1 | (1 if headline else 0), out)
    if headline:
        varint(headline, out)
    return bytes(out)


def encode_block(postings: list[Posting], block: int) -> bytes:
    """df, then document numbers (one byte each: the step from the one before,
    the first from the block's start), per-field counts, positions."""
    docs, counts, positions = bytearray(), bytearray(), bytearray()
    previous = block * BLOCK
    for p in postings:
        docs.append(p.docnum - previous)
        previous = p.docnum
        counts += field_code(p.headline, p.body)
        positions += p.positions
    out = bytearray()
    varint(len(postings), out)
    return bytes(out + docs + counts + positions)


def decode_block(body: bytes, block: int, bigram: bool) -> list[Posting]:
    df, i = read_varint(body, 0)
    docnums = []
    doc = block * BLOCK
    for delta in body[i:i + df]:
        doc += delta
        docnums.append(doc)
    i += df
    counts = []
    for _ in range(df):
        code, i = read_varint(body, i)
        headline = 0
        if code & 1:
            headline, i = read_varint(body, i)
        counts.append((headline, code >> 1))
    out = []
    for docnum, (headline, count) in zip(docnums, counts):
        start = i
        if bigram:
            for _ in range(headline + count):
                _, i = read_varint(body, i)
        out.append(Posting(docnum, headline, count, bytes(body[start:i])))
    return out


def encode_words(words: list[tuple[str, int]]) -> bytes:
    out = bytearray()
    varint(len(words), out)
    for word, cost in words:
        encoded = word.encode("utf-8")
        varint(len(encoded), out)
        out += encoded
        varint(cost, out)
    return bytes(out)


def encode_record(blocks: list[tuple[int, bytes]], words: bytes | None) -> bytes:
    """A term's record: its posting blocks (block number, encoded body), then
    (bigrams) the words that start with it."""
    out = bytearray()
    varint(len(blocks), out)
    previous = -1
    for block, body in blocks:
        varint(block - previous - 1, out)
        varint(len(body), out)
        out += body
        previous = block
    if words is not None:
        out += words
    return bytes(out)


def split_record(record: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """A record's blocks (still encoded) and whatever follows them."""
    count, i = read_varint(record, 0)
    blocks, previous = [], -1
    for _ in range(count):
        gap, i = read_varint(record, i)
        length, i = read_varint(record, i)
        previous += gap + 1
        blocks.append((previous, record[i:i + length]))
        i += length
    return blocks, record[i:]


def record_for(term: str, postings: list[Posting], words: list[tuple[str, int]]) -> bytes:
    blocks: dict[int, list[Posting]] = defaultdict(list)
    for p in postings:
        blocks[p.docnum // BLOCK].append(p)
    encoded = [(b, encode_block(ps, b)) for b, ps in sorted(blocks.items())]
    return encode_record(encoded, encode_words(words) if term[0] == "b" else None)


def splice(record: bytes | None, term: str, docnum: int, posting: Posting | None,
           words: list[tuple[str, int]]) -> bytes | None:
    """`record` with document `docnum`'s posting replaced (or removed, or
    added) and its words list renewed; None when no posting is left."""
    blocks, _ = split_record(record) if record else ([], b"")
    target = docnum // BLOCK
    kept = dict(blocks)
    postings = decode_block(kept.pop(target), target, term[0] == "b") if target in kept else []
    postings = [p for p in postings if p.docnum != docnum]
    if posting is not None:
        postings.append(posting)
        postings.sort(key=lambda p: p.docnum)
    if postings:
        kept[target] = encode_block(postings, target)
    if not kept:
        return None
    return encode_record(sorted(kept.items()), encode_words(words) if term[0] == "b" else None)


def with_words(record: bytes, words: list[tuple[str, int]]) -> bytes:
    """A bigram's record with its list of words renewed."""
    blocks, _ = split_record(record)
    return encode_record(blocks, encode_words(words))


def encode_shard(records: dict[str, bytes]) -> bytes:
    data = bytearray()
    varint(len(records), data)
    for term in sorted(records):
        encoded = term.encode("utf-8")
        varint(len(encoded), data)
        data += encoded
        varint(len(records[term]), data)
        data += records[term]
    return gz(bytes(data))


def decode_shard(data: bytes) -> dict[str, bytes]:
    raw = gzip.decompress(data)
    count, i = read_varint(raw, 0)
    records = {}
    for _ in range(count):
        length, i = read_varint(raw, i)
        term = raw[i:i + length].decode("utf-8")
        i += length
        length, i = read_varint(raw, i)
        records[term] = raw[i:i + length]
        i += length
    return records


# -- vocabulary ------------------------------------------------------------------

class Vocabulary:
    """Word counts of the archive and, per bigram, the words that start with it."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts
        self.by_start: dict[str, list[str]] = defaultdict(list)
        for word in sorted(counts):
            self.by_start[word[:2]].append(word)

    def words_for(self, gram: str) -> list[tuple[str, int]]:
        return [(w, rank.word_cost(self.counts[w])) for w in self.by_start.get(gram, [])]


# -- a whole index ---------------------------------------------------------------

_VARINTS = []   # bytes of every varint below 2**14, built on first use
_CODES: dict[tuple[int, int], bytes] = {}


def _varints() -> list[bytes]:
    if not _VARINTS:
        for n in range(1 << 14):
            out = bytearray()
            varint(n, out)
            _VARINTS.append(bytes(out))
    return _VARINTS


def _code(headline: int, body: int) -> bytes:
    code = _CODES.get((headline, body))
    if code is None:
        code = _CODES[(headline, body)] = bytes((len(c := field_code(headline, body)),)) + c
    return code


def _encode_positions(positions, table: list[bytes]) -> bytes:
    previous, out = 0, []
    for p in positions:
        d = p - previous
        out.append(table[d] if d < 16384 else _big_varint(d))
        previous = p
    return b"".join(out)


def _length(data: bytes, table: list[bytes]) -> bytes:
    n = len(data)
    return table[n] if n < 16384 else _big_varint(n)


def _big_varint(n: int) -> bytes:
    out = bytearray()
    varint(n, out)
    return bytes(out)


_BIGRAM_HEADS: dict[int, dict[str, tuple[int, bytes]]] = {}
_CHAR_HEADS: dict[int, dict[str, tuple[int, bytes]]] = {}


def _heads(cache: dict[int, dict], prefix: str, count: int):
    heads = cache.setdefault(count, {})

    def head(token: str) -> tuple[int, bytes]:
        found = heads.get(token)
        if found is None:
            encoded = (prefix + token).encode("utf-8")
            found = heads[token] = (zlib.crc32(encoded) % count, bytes((len(encoded),)) + encoded)
        return found

    return heads, head


def shard_chunks(docnum: int, tokens: DocTokens, count: int) -> list[tuple[int, bytes]]:
    """One document's postings framed for `finish_shard`, grouped by shard:
    term length, term, block (varint), offset in block, code length, code,
    positions length (varint), positions. (The work of `doc_postings`, in
    the form of a stream of postings; with `finish_shard`, the reference
    the full export's array encoding, `search/bulk.py`, is tested against.)
    Lengths are varints, not fixed
    widths: a word said 65 536 times in one long article has more bytes of
    positions than two bytes can count, and ingest accepts such articles."""
    table = _varints()
    block, offset = divmod(docnum, BLOCK)
    where = _big_varint(block) + bytes((offset,))
    once_in_body = where + _code(0, 1)
    chunks: dict[int, list[bytes]] = {}
    bigram_heads, bigram_head = _heads(_BIGRAM_HEADS, "b", count)
    headline, body = bigram_positions(tokens.headline), bigram_positions(tokens.body)
    for gram, bp in body.items():
        k, head = bigram_heads.get(gram) or bigram_head(gram)
        hp = headline.get(gram)
        if hp is None and len(bp) == 1 and bp[0] < 16384:
            positions = table[bp[0]]
            record = head + once_in_body + bytes((len(positions),)) + positions
        else:
            hp = hp or ()
            positions = _encode_positions(hp, table) + _encode_positions(bp, table)
            record = head + where + _code(len(hp), len(bp)) + _length(positions, table) + positions
        found = chunks.get(k)
        if found is None:
            chunks[k] = [record]
        else:
            found.append(record)
    for gram, hp in headline.items():
        if gram not in body:
            k, head = bigram_head(gram)
            positions = _encode_positions(hp, table)
            record = head + where + _code(len(hp), 0) + _length(positions, table) + positions
            chunks.setdefault(k, []).append(record)
    _, char_head = _heads(_CHAR_HEADS, "c", count)
    hc, bc = Counter("".join(tokens.headline)), Counter("".join(tokens.body))
    # in an order that is the same in every process (a set's is not): the export digests these bytes
    for ch in [*bc, *(ch for ch in hc if ch not in bc)]:
        k, head = char_head(ch)
        chunks.setdefault(k, []).append(head + where + _code(hc.get(ch, 0), bc.get(ch, 0)) + b"\0")
    return [(k, b"".join(parts)) for k, parts in chunks.items()]


def finish_shard(raw: bytes, vocabulary: Vocabulary) -> bytes:
    """Collected postings of one shard (in document order) -> the shard file
    (`bulk.encode_shards` gives the same bytes from arrays)."""
    groups: dict[bytes, dict[int, list]] = {}
    i, end = 0, len(raw)
    while i < end:
        length = raw[i]
        term = raw[i + 1:i + 1 + length]
        i += 1 + length
        block = raw[i]
        if block < 0x80:
            i += 1
        else:
            block, i = read_varint(raw, i)
        offset, code_length = raw[i], raw[i + 1]
        code = raw[i + 2:i + 2 + code_length]
        i += 2 + code_length
        positions_length = raw[i]
        if positions_length < 0x80:
            i += 1
        else:
            positions_length, i = read_varint(raw, i)
        positions = raw[i:i + positions_length]
        i += positions_length
        blocks = groups.get(term)
        if blocks is None:
            blocks = groups[term] = {}
        parts = blocks.get(block)
        if parts is None:
            parts = blocks[block] = ([], [], [])
        parts[0].append(offset)
        parts[1].append(code)
        parts[2].append(positions)
    records = {}
    for encoded, blocks in groups.items():
        term = encoded.decode("utf-8")
        encoded_blocks = []
        for block, (offsets, codes, positions) in sorted(blocks.items()):
            docs = bytes(a - b for a, b in zip(offsets, [0] + offsets[:-1]))
            head = bytearray()
            varint(len(offsets), head)
            encoded_blocks.append((block, bytes(head) + docs + b"".join(codes) + b"".join(positions)))
        words = encode_words(vocabulary.words_for(term[1:])) if term[0] == "b" else None
        records[term] = encode_record(encoded_blocks, words)
    return encode_shard(records)


# -- the small files ---------------------------------------------------------------

@dataclass
class DocRow:
    """What docs.bin and ids.bin hold of one document."""

    docnum: int
    id: str
    headline: int
    body: int
    date: str | None
    paper: str | None
    kind: str
    topics: list[str]
    counties: list[str]


def doc_order(rows: list[tuple[str, str | None]]) -> list[str]:
    """Article IDs in document-number order: by date (undated first), then ID."""
    return [aid for aid, _ in sorted(rows, key=lambda r: (rank.date_key(r[1]), r[0]))]


def doc_table(rows: list[DocRow | None], options: dict) -> bytes:
    """Per document number: field lengths, date, paper, kind + 1, topics,
    counties; a removed article's number (None) is a row of zeros (kind 0:
    no document)."""
    counties = {c: i for i, c in enumerate(options["counties"])}
    topics = {name: i for i, (name, _) in enumerate(options["topics"])}
    papers = {p: i + 1 for i, p in enumerate(options["papers"])}
    kinds = {k: i for i, k in enumerate(options["kinds"])}
    out = bytearray()
    varint(len(rows), out)
    for row in rows:
        if row is None:
            out += TOMBSTONE_ROW
            continue
        varint(row.headline, out)
        varint(row.body, out)
        varint(rank.date_key(row.date), out)
        varint(papers.get(row.paper, 0), out)
        varint(kinds[row.kind] + 1, out)
        varint(sum(1 << topics[t] for t in row.topics if t in topics), out)
        varint(len(row.counties), out)
        for c in row.counties:
            varint(counties[c], out)
    return gz(bytes(out))


TOMBSTONE_ROW = bytes(7)    # lengths, date, paper, kind, topics, county count: all 0


def id_table(rows: list[DocRow | None]) -> bytes:
    """Article IDs in document-number order, front-coded: each ID as the length
    it shares with the one before and the rest (neighbouring IDs share much);
    a removed article's number has the empty ID."""
    out = bytearray()
    varint(len(rows), out)
    previous = b""
    for row in rows:
        current = row.id.encode("utf-8") if row else b""
        shared = 0
        while shared < min(len(previous), len(current)) and previous[shared] == current[shared]:
            shared += 1
        varint(shared, out)
        varint(len(current) - shared, out)
        out += current[shared:]
        previous = current
    return gz(bytes(out))


@functools.lru_cache(maxsize=1)
def foldings() -> tuple[tuple[str, str], ...]:
    """Every character that folds to another one (beyond full-width forms and
    the ideographic space, which fold by arithmetic in the browser too)."""
    pairs = []
    for code in range(0x2E80, 0x10000):
        if 0xD800 <= code <= 0xDFFF or 0xFF01 <= code <= 0xFF5E or code == 0x3000:
            continue
        ch = chr(code)
        target = search_fold_char(ch)
        if target != ch:
            pairs.append((ch, target))
    return tuple(pairs)


def fold_table(corpus_chars, pairs=None) -> bytes:
    """The Traditional -> Simplified (and other) character foldings whose result
    occurs in the archive, as pairs of characters: the browser folds queries
    with it exactly as `textnorm.search_fold` folds the text."""
    pairs = foldings() if pairs is None else pairs
    return gz("".join(ch + target for ch, target in pairs if target in corpus_chars).encode("utf-8"))


def filter_options(rows: list[DocRow], taxonomy, county_order: list[str]) -> dict:
    present = {c for r in rows for c in r.counties}
    counties = [c for c in county_order if c in present] + sorted(present - set(county_order))
    return {
        "counties": counties,
        "topics": [[t.name, t.slug] for t in taxonomy.topics],
        "papers": sorted({r.paper for r in rows if r.paper}),
        "kinds": sorted({r.kind for r in rows}),
        "years": sorted({int(r.date[:4]) for r in rows if r.date}, reverse=True),
    }


def meta_file(docs: int, averages: dict, shards: int, options: dict, hashes: dict[str, str], delta: int = 0) -> bytes:
    """meta.json; `hashes`: the hash of every other file of the index;
    `delta`: the count of delta shards (0: none)."""
    fingerprint = hashlib.sha256()
    for name, digest in sorted(hashes.items()):
        fingerprint.update(f"{name}:{digest}\n".encode())
    meta = {
        "format": FORMAT_VERSION, "tokenizer": TOKENIZER_VERSION, "docs": docs, "average": averages,
        "shards": shards, "delta": delta, "block": BLOCK, "ranking": rank.constants(), "article_url": ARTICLE_URL,
        "filters": options, "build": fingerprint.hexdigest()[:12],
    }
    return json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def shard_path(k: int) -> str:
    return f"search/s/{k}.bin"


def delta_path(k: int) -> str:
    return f"search/d/{k}.bin"
