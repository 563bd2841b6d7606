"""The browser index's shards made with array operations, for the full
export (`pipeline/export.py`): the bytes `browser_index.finish_shard` gives
from `browser_index.shard_chunks`, which stay the reference (and what an
incremental build splices with), without a Python loop per posting.

A run of documents becomes *elements*, one per bigram occurrence (term,
document, field, position) and one per character posting (term, document,
headline count, body count), in document order. A term is a number whose
order is that of the term's text: `b` + two code points as
0 << 42 | first << 21 | second, `c` + one as 1 << 42 | it << 21; above it,
from bit 44, the term's shard. Elements sorted by that number (stably,
so documents stay in order) are a shard's terms in the order the shard
file lists them, each term's postings in document order: every length,
count and delta of the file follows by differences and sums of arrays,
and every varint is written at its offset at once.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from quzhou_archive.analyse.segment import SLOT, DocTokens
from quzhou_archive.search import browser_index as reference

ELEMENT = np.dtype([("term", "<u8"), ("doc", "<u4"), ("a", "<u4"), ("b", "<u4")])
CODE_POINT = 21                 # bits of a code point in a term's number
CHAR_TERM = 1 << 42             # set for `c` terms, clear for `b` terms
SHARD_SHIFT = 44                # a term's shard sits above its number
TERM_MASK = (1 << SHARD_SHIFT) - 1
_CP_MASK = (1 << CODE_POINT) - 1
_U8 = np.uint8


# -- terms ---------------------------------------------------------------------------

def utf8(code_points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of each code point (rows of 4, left-aligned) and their count."""
    cp = code_points.astype(np.uint32)
    length = 1 + (cp >= 0x80) + (cp >= 0x800) + (cp >= 0x10000)
    out = np.zeros((len(cp), 4), _U8)
    for n, lead in ((1, 0), (2, 0xC0), (3, 0xE0), (4, 0xF0)):
        rows = length == n
        c = cp[rows]
        out[rows, 0] = lead | (c >> (6 * (n - 1)))
        for j in range(1, n):
            out[rows, j] = 0x80 | ((c >> (6 * (n - 1 - j))) & 0x3F)
    return out, length.astype(np.int64)


def term_bytes(terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each term's UTF-8 text (`b` or `c`, then its characters), rows of 9 bytes, and its length."""
    char = is_char(terms)
    first, first_length = utf8((terms >> CODE_POINT) & _CP_MASK)
    second, second_length = utf8(terms & _CP_MASK)
    second_length[char] = 0
    out = np.zeros((len(terms), 9), _U8)
    out[:, 0] = np.where(char, ord("c"), ord("b"))
    out[:, 1:5] = first
    rows = np.arange(len(terms))
    for j in range(4):
        has = j < second_length
        out[rows[has], 1 + first_length[has] + j] = second[has, j]
    return out, 1 + first_length + second_length


def _crc_table() -> np.ndarray:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return np.array(table, np.uint32)


_CRC = _crc_table()


def crc32(rows: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """zlib.crc32 of each row's first `length` bytes (`browser_index.term_hash`)."""
    crc = np.full(len(rows), 0xFFFFFFFF, np.uint32)
    for j in range(rows.shape[1]):
        has = j < lengths
        c = crc[has]
        crc[has] = _CRC[(c ^ rows[has, j]) & 0xFF] ^ (c >> 8)
    return crc ^ np.uint32(0xFFFFFFFF)


def shards_of(terms: np.ndarray, count: int) -> np.ndarray:
    """Each term's shard: its CRC-32 modulo the shard count."""
    return crc32(*term_bytes(terms)).astype(np.uint64) % np.uint64(count)


def is_char(terms: np.ndarray) -> np.ndarray:
    return (terms & np.uint64(CHAR_TERM)) != 0


def gram_term(gram: str) -> int:
    return ord(gram[0]) << CODE_POINT | ord(gram[1])


# -- varints -------------------------------------------------------------------------

def varint_lengths(values: np.ndarray) -> np.ndarray:
    values = values.astype(np.uint64, copy=False)
    length = np.ones(len(values), np.int64)
    largest = int(values.max()) if len(values) else 0
    for shift in range(7, largest.bit_length(), 7):    # as many comparisons as the largest value needs bytes
        length += values >= np.uint64(1 << shift)
    return length


def put_varints(out: np.ndarray, offsets: np.ndarray, values: np.ndarray) -> None:
    """Write each value as a varint (`browser_index.varint`) at its offset:
    the low seven bits of every value at once, then of those that need
    another byte (few: most values here are below 128), and so on."""
    values = values.astype(np.uint64, copy=False)
    offsets = offsets.astype(np.int64, copy=False)
    while len(values):
        more = values >= np.uint64(0x80)
        out[offsets] = (values & np.uint64(0x7F)).astype(np.uint8) | (more.view(np.uint8) << np.uint8(7))
        if not more.any():
            return
        values, offsets = values[more] >> np.uint64(7), offsets[more] + 1


def copy_ranges(out: np.ndarray, offsets: np.ndarray, source: np.ndarray, starts: np.ndarray,
                lengths: np.ndarray) -> None:
    """out[offsets[i]:offsets[i] + lengths[i]] = source[starts[i]:starts[i] + lengths[i]], for every i."""
    if lengths.sum():
        out[ranges(offsets, lengths)] = source[ranges(starts, lengths)]


# -- a run of documents -> elements --------------------------------------------------------

def _streams(docs: list[tuple[int, DocTokens]]):
    """Every stream of the documents, in order, with its document number and field (0 headline, 1 body)."""
    streams, numbers, fields = [], [], []
    for docnum, tokens in docs:
        for field, parts in ((0, tokens.headline), (1, tokens.body)):
            streams += parts
            numbers += [docnum] * len(parts)
            fields += [field] * len(parts)
    return streams, np.array(numbers, np.uint64), np.array(fields, np.uint32)


def _part_starts(lengths: np.ndarray, numbers: np.ndarray, fields: np.ndarray) -> np.ndarray:
    """`segment.part_starts` of every field at once: slots counted afresh in each field of each document."""
    slots = lengths // SLOT + 1
    before = np.cumsum(slots) - slots
    new_field = np.ones(len(lengths), bool)
    new_field[1:] = (numbers[1:] != numbers[:-1]) | (fields[1:] != fields[:-1])
    field_start = np.maximum.accumulate(np.where(new_field, np.arange(len(lengths)), 0))
    return (before - before[field_start]) * SLOT


def elements(docs: list[tuple[int, DocTokens]], count: int) -> np.ndarray:
    """The elements of a run of documents (in document-number order), sorted by shard and term."""
    streams, numbers, fields = _streams(docs)
    lengths = np.fromiter(map(len, streams), np.int64, len(streams))
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, ELEMENT)
    code_points = np.frombuffer("".join(streams).encode("utf-32-le"), "<u4").astype(np.uint64)
    begin = np.cumsum(lengths) - lengths
    position = np.repeat(_part_starts(lengths, numbers, fields) - begin, lengths) + np.arange(total)
    doc, field = np.repeat(numbers, lengths), np.repeat(fields, lengths)
    starts_bigram = np.ones(total, bool)
    starts_bigram[(begin + lengths)[lengths > 0] - 1] = False      # nothing runs from one part into the next
    at = np.flatnonzero(starts_bigram)
    out = np.concatenate([_bigram_elements(code_points, doc, field, position, at),
                          _char_elements(code_points, doc, field)])
    return by_shard_and_term(out, count)


def by_shard_and_term(out: np.ndarray, count: int) -> np.ndarray:
    """Elements (of term numbers without their shard) with the shard added,
    sorted by it and by term, stably. A sort of plain numbers (term and
    index packed in one) is many times faster than a stable argsort; the
    shard is computed once per distinct term."""
    bits = max(1, len(out).bit_length())
    if bits + SHARD_SHIFT > 64:
        out["term"] |= shards_of(out["term"], count) << np.uint64(SHARD_SHIFT)
        return np.take(out, np.argsort(out["term"], kind="stable"))
    packed = np.sort(out["term"] << np.uint64(bits) | np.arange(len(out), dtype=np.uint64))
    index = (packed & np.uint64((1 << bits) - 1)).astype(np.int64)
    terms = packed >> np.uint64(bits)
    starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
    lengths = np.diff(np.r_[starts, len(terms)])
    distinct = terms[starts]
    keys = shards_of(distinct, count) << np.uint64(SHARD_SHIFT) | distinct
    order = np.argsort(keys)
    out = np.take(out, index[ranges(starts[order], lengths[order])])   # (take: many times faster than [] on records)
    out["term"] = np.repeat(keys[order], lengths[order])
    return out


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices starts[0] .. starts[0] + lengths[0] - 1, then those of the next range, ..."""
    before = np.cumsum(lengths) - lengths
    return np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()))


def _bigram_elements(code_points, doc, field, position, at) -> np.ndarray:
    out = np.empty(len(at), ELEMENT)
    out["term"] = code_points[at] << np.uint64(CODE_POINT) | code_points[at + 1]
    out["doc"], out["a"], out["b"] = doc[at], field[at], position[at]
    return out


def _char_elements(code_points, doc, field) -> np.ndarray:
    """One element per (document, character): its counts in the headline and the body."""
    keys = np.sort(doc << np.uint64(22) | code_points << np.uint64(1) | field.astype(np.uint64))
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    counts = np.diff(np.r_[first, len(keys)])
    keys = keys[first]
    pair = keys >> np.uint64(1)
    new = np.ones(len(keys), bool)
    new[1:] = pair[1:] != pair[:-1]
    row = np.cumsum(new) - 1
    in_body = (keys & np.uint64(1)).astype(bool)
    out = np.zeros(int(new.sum()), ELEMENT)
    out["a"][row[~in_body]] = counts[~in_body]
    out["b"][row[in_body]] = counts[in_body]
    pair = pair[new]
    out["term"] = np.uint64(CHAR_TERM) | (pair & np.uint64(_CP_MASK)) << np.uint64(CODE_POINT)
    out["doc"] = pair >> np.uint64(CODE_POINT)
    return out


# -- digests ---------------------------------------------------------------------------------

_SEEDS = (0x9E3779B97F4A7C15, 0xD1B54A32D192ED03)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place: every bit of the result depends on every bit of x."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def shard_digests(elements: np.ndarray, count: int) -> np.ndarray:
    """Per shard, two 64-bit sums (each modulo 2**64) of a digest of each of
    its elements: a sum, so that what a document adds can be taken away.
    An element's digest is a chain of mixes over its term, document and
    values; the second lane's is the first's mixed once more."""
    sums = np.zeros((count, 2), np.uint64)
    if not len(elements):
        return sums
    term = elements["term"]
    shard = (term >> np.uint64(SHARD_SHIFT)).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, shard[1:] != shard[:-1]])
    digest = term & np.uint64(TERM_MASK)
    digest ^= np.uint64(_SEEDS[0])
    _mix(digest)
    digest ^= elements["doc"]
    _mix(digest)
    digest ^= elements["a"].astype(np.uint64) << np.uint64(32) | elements["b"]
    _mix(digest)
    sums[shard[starts], 0] = np.add.reduceat(digest, starts)
    digest ^= np.uint64(_SEEDS[1])
    _mix(digest)
    sums[shard[starts], 1] = np.add.reduceat(digest, starts)
    return sums


# -- word lists --------------------------------------------------------------------------------

@dataclass
class WordLists:
    """Every bigram's encoded list of words (`encode_words`), looked up by term number."""

    terms: np.ndarray       # sorted, then one that is no term's (so that a search always lands on one)
    starts: np.ndarray
    lengths: np.ndarray
    data: np.ndarray        # the lists, one after the other, then b"\0": the empty list

    @classmethod
    def of(cls, encoded: dict[str, bytes]) -> "WordLists":
        grams = sorted((gram_term(g), data) for g, data in encoded.items() if len(g) == 2)
        data = b"".join(d for _, d in grams)
        lengths = np.array([len(d) for _, d in grams] + [1], np.int64)
        return cls(np.array([t for t, _ in grams] + [(1 << 64) - 1], np.uint64), np.cumsum(lengths) - lengths,
                   lengths, np.frombuffer(data + reference.encode_words([]), _U8))

    def find(self, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each term's list is in `data`, and its length (a bigram without words: the empty
        list; a character: none)."""
        at = np.minimum(np.searchsorted(self.terms, terms), len(self.terms) - 1)
        found = self.terms[at] == terms
        starts = np.where(found, self.starts[at], len(self.data) - 1)
        lengths = np.where(found, self.lengths[at], 1)
        return starts, np.where(is_char(terms), 0, lengths)


# -- elements -> shard files ------------------------------------------------------------------

def _starts(*keys: np.ndarray) -> np.ndarray:
    """A flag per item: does a new group (a change in any key) begin at it?"""
    changed = np.zeros(len(keys[0]), bool)
    for key in keys:
        changed[1:] |= key[1:] != key[:-1]
    changed[:1] = True
    return changed


def _within(sizes: np.ndarray, group_start: np.ndarray, group_of: np.ndarray) -> np.ndarray:
    """Each item's offset in its group: the sizes of the items before it in the group."""
    before = np.cumsum(sizes) - sizes
    return before - before[group_start[group_of]]


def encode_shards(elements: np.ndarray, shards: list[int], words: WordLists) -> dict[int, bytes]:
    """The raw (not yet compressed) bytes `finish_shard` gives each of the
    shards, from sorted elements (of those shards and perhaps others)."""
    wanted = np.array(sorted(shards), np.int64)
    if len(elements) and not _all_wanted(elements, wanted):
        elements = np.compress(np.isin((elements["term"] >> np.uint64(SHARD_SHIFT)).astype(np.int64), wanted), elements)
    if not len(elements):
        return {int(k): b"\0" for k in wanted}
    postings = _postings(elements)
    blocks = _blocks(postings)
    terms = _terms(blocks, words)
    out, shard_offsets = _layout(postings, blocks, terms, wanted, words)
    return {int(k): out[shard_offsets[i]:shard_offsets[i + 1]].tobytes() for i, k in enumerate(wanted)}


def _all_wanted(elements: np.ndarray, wanted: np.ndarray) -> bool:
    """Are the (sorted) elements all of shards wanted, as when every shard
    of a bucket is made (a build from nothing)? Then none is left out."""
    first, last = (int(t) >> SHARD_SHIFT for t in (elements["term"][0], elements["term"][-1]))
    return len(wanted) == wanted[-1] - wanted[0] + 1 and wanted[0] <= first and last <= wanted[-1]


def _postings(e: np.ndarray) -> dict:
    term, doc, a, b = e["term"], e["doc"].astype(np.int64), e["a"].astype(np.int64), e["b"].astype(np.int64)
    char = is_char(term)
    new = _starts(term, doc)
    start = np.flatnonzero(new)
    posting_of = np.cumsum(new) - 1
    same_field = ~new
    same_field[1:] &= a[1:] == a[:-1]
    previous = np.r_[0, b[:-1]]
    delta = np.where(same_field, b - previous, b)           # positions from 0 again in each field
    delta_length = np.where(char, 0, varint_lengths(delta))
    bigram = ~char
    p_char = char[start]
    headline = np.where(p_char, a[start], np.add.reduceat((bigram & (a == 0)).astype(np.int64), start))
    body = np.where(p_char, b[start], np.add.reduceat((bigram & (a == 1)).astype(np.int64), start))
    code = body << 1 | (headline > 0)
    code_length = varint_lengths(code) + np.where(headline > 0, varint_lengths(headline), 0)
    return dict(term=term[start], doc=doc[start], headline=headline, code=code, code_length=code_length,
                positions_length=np.add.reduceat(delta_length, start), start=start, posting_of=posting_of,
                delta=delta, delta_length=delta_length, bigram=bigram)


def _blocks(p: dict) -> dict:
    block = p["doc"] // reference.BLOCK
    offset = p["doc"] % reference.BLOCK
    new = _starts(p["term"], block)
    start = np.flatnonzero(new)
    block_of = np.cumsum(new) - 1
    df = np.diff(np.r_[start, len(new)])
    doc_step = np.where(new, offset, offset - np.r_[0, offset[:-1]])
    codes = np.add.reduceat(p["code_length"], start)
    positions = np.add.reduceat(p["positions_length"], start)
    body_length = varint_lengths(df) + df + codes + positions
    term, number = p["term"][start], block[start]
    new_term = _starts(term)
    gap = number - np.where(new_term, -1, np.r_[0, number[:-1]]) - 1
    total = varint_lengths(gap) + varint_lengths(body_length) + body_length
    return dict(start=start, block_of=block_of, df=df, doc_step=doc_step, codes=codes, body_length=body_length,
                term=term, new_term=new_term, gap=gap, total=total)


def _terms(bl: dict, words: WordLists) -> dict:
    start = np.flatnonzero(bl["new_term"])
    term_of = np.cumsum(bl["new_term"]) - 1
    blocks = np.diff(np.r_[start, len(bl["new_term"])])
    key = bl["term"][start]
    number = key & np.uint64(TERM_MASK)
    word_start, word_length = words.find(number)
    record_length = varint_lengths(blocks) + np.add.reduceat(bl["total"], start) + word_length
    text, text_length = term_bytes(number)
    total = varint_lengths(text_length) + text_length + varint_lengths(record_length) + record_length
    return dict(start=start, term_of=term_of, blocks=blocks, shard=(key >> np.uint64(SHARD_SHIFT)).astype(np.int64),
                word_start=word_start, word_length=word_length, record_length=record_length, text=text,
                text_length=text_length, total=total)


def _layout(p: dict, bl: dict, t: dict, wanted: np.ndarray, words: WordLists) -> tuple[np.ndarray, np.ndarray]:
    """Every byte of the shards' files at its offset: shard by shard, term
    by term, block by block, as `encode_shard`, `encode_record` and
    `encode_block` put them one after the other."""
    first = np.searchsorted(t["shard"], wanted, "left")
    last = np.searchsorted(t["shard"], wanted, "right")
    term_count = last - first
    head = varint_lengths(term_count)
    term_bytes_before = np.r_[0, np.cumsum(t["total"])]
    shard_total = head + term_bytes_before[last] - term_bytes_before[first]
    shard_offsets = np.r_[0, np.cumsum(shard_total)]
    out = np.zeros(int(shard_offsets[-1]), _U8)
    put_varints(out, shard_offsets[:-1], term_count)

    shard_of = np.searchsorted(wanted, t["shard"])
    at = shard_offsets[shard_of] + head[shard_of] + term_bytes_before[:-1] - term_bytes_before[first[shard_of]]
    put_varints(out, at, t["text_length"])
    at += varint_lengths(t["text_length"])
    for j in range(t["text"].shape[1]):
        has = j < t["text_length"]
        out[at[has] + j] = t["text"][has, j]
    at += t["text_length"]
    put_varints(out, at, t["record_length"])
    record = at + varint_lengths(t["record_length"])
    put_varints(out, record, t["blocks"])
    copy_ranges(out, record + t["record_length"] - t["word_length"], words.data, t["word_start"], t["word_length"])

    term_of = t["term_of"]
    block = record[term_of] + varint_lengths(t["blocks"])[term_of] + _within(bl["total"], t["start"], term_of)
    put_varints(out, block, bl["gap"])
    block += varint_lengths(bl["gap"])
    put_varints(out, block, bl["body_length"])
    block += varint_lengths(bl["body_length"])
    put_varints(out, block, bl["df"])
    docs = block + varint_lengths(bl["df"])
    codes = docs + bl["df"]
    positions = codes + bl["codes"]

    block_of = bl["block_of"]
    index = np.arange(len(block_of))
    out[docs[block_of] + index - bl["start"][block_of]] = bl["doc_step"]
    code_at = codes[block_of] + _within(p["code_length"], bl["start"], block_of)
    put_varints(out, code_at, p["code"])
    has_headline = p["headline"] > 0
    put_varints(out, (code_at + varint_lengths(p["code"]))[has_headline], p["headline"][has_headline])
    posting_at = positions[block_of] + _within(p["positions_length"], bl["start"], block_of)

    posting_of, bigram = p["posting_of"], p["bigram"]
    element_at = posting_at[posting_of] + _within(p["delta_length"], p["start"], posting_of)
    put_varints(out, element_at[bigram], p["delta"][bigram])
    return out, shard_offsets
