"""The browser's search index: the same tokens as the Whoosh index, written
as small static files that `static/search.js` fetches on demand.

    search/meta.json         counts, averages, shard count, filter values
    search/docs.bin          per document: field lengths, date, filters
    search/ids.bin           per document: its article ID (front-coded)
    search/fold.bin          the character foldings queries need
    search/s/K.bin           shard K: the terms whose hash falls in it

A result's headline and snippet come from the article's own page, which the
site has anyway: the index holds no second copy of the text.

Terms are `b` + a character bigram (postings with positions per field, plus
the vocabulary words that start with it and their costs) or `c` + one
character (postings with counts per field). A term's shard is its FNV-1a
hash modulo the shard count, so a query fetches only the shards of its
terms. Numbers are unsigned LEB128 varints, document numbers and positions
delta-coded, each record's numbers grouped by kind; every .bin file is
gzip-compressed (the browser inflates it
with DecompressionStream, so no host has to be configured).
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict
from pathlib import Path

from . import rank
from .index import IndexDoc
from .render import ARTICLE_URL
from .segment import TOKENIZER_VERSION
from .textnorm import fold_char

FORMAT_VERSION = 1
TARGET_SHARD_BYTES = 12 * 1024     # compressed bytes a shard should hold on average


def varint(n: int, out: bytearray) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def gz(data: bytes) -> bytes:
    # mtime=0: the same input gives the same bytes, so unchanged files stay unchanged
    return gzip.compress(data, compresslevel=9, mtime=0)


def _field_code(headline: int, body: int, out: bytearray) -> None:
    """Counts per field as one number where, as usually, the headline has none."""
    varint(body << 1 | (1 if headline else 0), out)
    if headline:
        varint(headline, out)


def _delta_positions(positions: list[int], out: bytearray) -> None:
    previous = 0
    for p in positions:
        varint(p - previous, out)
        previous = p


def bigram_payload(postings: list[tuple[int, list[int], list[int]]], words: list[tuple[str, int]]) -> bytes:
    """df, then three streams — document deltas, per-field counts, positions —
    because like numbers next to each other compress far better."""
    docs, counts, positions = bytearray(), bytearray(), bytearray()
    previous = 0
    for docnum, headline, body in postings:
        varint(docnum - previous, docs)
        previous = docnum
        _field_code(len(headline), len(body), counts)
        _delta_positions(headline, positions)
        _delta_positions(body, positions)
    out = bytearray()
    varint(len(postings), out)
    out += docs + counts + positions
    varint(len(words), out)
    for word, cost in words:
        encoded = word.encode("utf-8")
        varint(len(encoded), out)
        out += encoded
        varint(cost, out)
    return bytes(out)


def char_payload(postings: list[tuple[int, int, int]]) -> bytes:
    docs, counts = bytearray(), bytearray()
    previous = 0
    for docnum, headline, body in postings:
        varint(docnum - previous, docs)
        previous = docnum
        _field_code(headline, body, counts)
    out = bytearray()
    varint(len(postings), out)
    return bytes(out + docs + counts)


def term_payloads(docs: list[IndexDoc], vocabulary: dict[str, int]) -> dict[str, bytes]:
    """Every term of the archive -> its encoded record."""
    bigram_postings: dict[str, list] = defaultdict(list)
    char_postings: dict[str, list] = defaultdict(list)
    for doc in sorted(docs, key=lambda d: d.docnum):
        h, b = doc.tokens.headline, doc.tokens.body
        for gram in h.bigrams.keys() | b.bigrams.keys():
            bigram_postings[gram].append((doc.docnum, h.bigrams.get(gram, []), b.bigrams.get(gram, [])))
        for ch in h.chars.keys() | b.chars.keys():
            char_postings[ch].append((doc.docnum, h.chars.get(ch, 0), b.chars.get(ch, 0)))
    total = sum(vocabulary.values())
    words_by_start: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for word, count in sorted(vocabulary.items()):
        words_by_start[word[:2]].append((word, rank.word_cost(count, total)))
    payloads = {}
    for gram, postings in bigram_postings.items():
        payloads["b" + gram] = bigram_payload(postings, words_by_start.get(gram, []))
    for ch, postings in char_postings.items():
        payloads["c" + ch] = char_payload(postings)
    return payloads


def shard_count(payloads: dict[str, bytes]) -> int:
    raw = sum(len(p) for p in payloads.values())
    wanted = max(1, raw // (2 * TARGET_SHARD_BYTES))   # gzip about halves the grouped varints
    count = 1
    while count < wanted and count < 8192:
        count *= 2
    return count


def shards(payloads: dict[str, bytes], count: int) -> dict[int, bytes]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for term in payloads:
        grouped[fnv1a(term) % count].append(term)
    out = {}
    for k in range(count):  # every shard exists, even an empty one: no 404s in the reader's console
        terms = grouped.get(k, [])
        data = bytearray()
        varint(len(terms), data)
        for term in sorted(terms):
            encoded = term.encode("utf-8")
            varint(len(encoded), data)
            data += encoded
            varint(len(payloads[term]), data)
            data += payloads[term]
        out[k] = gz(bytes(data))
    return out


def fold_table(corpus_chars: set[str]) -> bytes:
    """The Traditional -> Simplified (and other) character foldings whose result
    occurs in the archive, as pairs of characters: the browser folds queries
    with it exactly as `textnorm.fold` folds the text."""
    pairs = []
    for code in range(0x2E80, 0x10000):
        if 0xD800 <= code <= 0xDFFF or 0xFF01 <= code <= 0xFF5E or code == 0x3000:
            continue  # surrogates; full-width forms and the ideographic space fold by arithmetic
        ch = chr(code)
        target = fold_char(ch)
        if target != ch and target in corpus_chars:
            pairs.append(ch + target)
    return gz("".join(pairs).encode("utf-8"))


def filter_options(docs: list[IndexDoc], taxonomy) -> dict:
    counties = sorted({c for d in docs for c in d.counties}, key=_county_order)
    return {
        "counties": counties,
        "topics": [[t.name, t.slug] for t in taxonomy.topics],
        "papers": sorted({d.paper for d in docs if d.paper}),
        "kinds": sorted({d.kind for d in docs}),
        "years": sorted({int(d.date[:4]) for d in docs if d.date}, reverse=True),
    }


def _county_order(name: str) -> tuple:
    from .gazetteer import load

    g = load()
    order = [g.city.name] + [c.name for c in g.counties]
    return (order.index(name) if name in order else len(order), name)


def doc_table(docs: list[IndexDoc], options: dict) -> bytes:
    counties = {c: i for i, c in enumerate(options["counties"])}
    topics = {name: i for i, (name, _) in enumerate(options["topics"])}
    papers = {p: i + 1 for i, p in enumerate(options["papers"])}
    kinds = {k: i for i, k in enumerate(options["kinds"])}
    out = bytearray()
    varint(len(docs), out)
    for doc in sorted(docs, key=lambda d: d.docnum):
        varint(doc.tokens.headline.length, out)
        varint(doc.tokens.body.length, out)
        varint(rank.date_key(doc.date), out)
        varint(papers.get(doc.paper, 0), out)
        varint(kinds[doc.kind], out)
        varint(sum(1 << topics[t] for t in doc.topics if t in topics), out)
        varint(len(doc.counties), out)
        for c in doc.counties:
            varint(counties[c], out)
    return gz(bytes(out))


def id_table(docs: list[IndexDoc]) -> bytes:
    """Article IDs in document-number order, front-coded: each ID as the length
    it shares with the one before and the rest (sorted IDs share long prefixes)."""
    out = bytearray()
    varint(len(docs), out)
    previous = b""
    for doc in sorted(docs, key=lambda d: d.docnum):
        current = doc.id.encode("utf-8")
        shared = 0
        while shared < min(len(previous), len(current)) and previous[shared] == current[shared]:
            shared += 1
        varint(shared, out)
        varint(len(current) - shared, out)
        out += current[shared:]
        previous = current
    return gz(bytes(out))


def export_files(docs: list[IndexDoc], stats: dict, taxonomy) -> dict[str, bytes]:
    """Relative path under the site -> file content, for the whole browser index."""
    payloads = term_payloads(docs, stats["vocabulary"])
    count = shard_count(payloads)
    options = filter_options(docs, taxonomy)
    files = {f"search/s/{k}.bin": data for k, data in shards(payloads, count).items()}
    files["search/docs.bin"] = doc_table(docs, options)
    files["search/ids.bin"] = id_table(docs)
    files["search/fold.bin"] = fold_table({term[1:] for term in payloads if term[0] == "c"})
    total = stats["vocabulary_total"]
    meta = {
        "format": FORMAT_VERSION,
        "tokenizer": TOKENIZER_VERSION,
        "docs": stats["docs"],
        "average": stats["average"],
        "shards": count,
        "char_cost": rank.single_char_cost(total),
        "article_url": ARTICLE_URL,
        "filters": options,
    }
    # the build's fingerprint: pages add it to the URLs they fetch, so a new build is never mixed with a cached old one
    fingerprint = hashlib.sha256()
    for name in sorted(files):
        fingerprint.update(name.encode())
        fingerprint.update(files[name])
    meta["build"] = fingerprint.hexdigest()[:12]
    files["search/meta.json"] = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files
