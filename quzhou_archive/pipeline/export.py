"""The export stage: the browser's search index, `search/` in the site
(`search/browser_index.py` says what each file holds):

    search/s/K.bin    the shards: every term's postings and word lists
    search/docs.bin   per document: lengths, date, filters
    search/ids.bin    per document: its article ID
    search/fold.bin   the character foldings queries need
    search/meta.json  counts, averages, filters, and a fingerprint of them all

**A shard's inputs** are stated without making it: the digest of a shard
is a sum of the digests of what each document contributes to it — each
of its postings of the shard's terms, an element of `search/bulk.py` at
a time (two 64-bit lanes, each modulo 2**64) — and of the word lists of
the shard's bigrams. A sum can be corrected: taking
away what a changed article contributed before and adding what it
contributes now gives the digest a full pass would give, so an
incremental build knows which shards changed from the changed articles
alone, and a shard whose digest is the same is not touched.

While no unchanged document's number moves, the changed shards are
spliced in place (the old file, with the changed documents' postings
replaced); otherwise (a build from nothing, the document numbers moved,
a damaged shard) every document's postings are collected again — with
array operations, in worker processes that read the cache themselves, so
no postings travel between processes — and the shards whose digest
changed are finished.
"""
from __future__ import annotations

import hashlib
import marshal
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from quzhou_archive.analyse.segment import DocTokens, tokenizer_fingerprint
from quzhou_archive.fsutil import atomic_write
from quzhou_archive.pipeline import analyse
from quzhou_archive.pipeline.outputs import SiteFile, StagedSite
from quzhou_archive.pipeline.state import SCRATCH_PREFIX, AnalysisCache, digest_of, file_digest
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.pipeline.workers import CacheKit, Workers, keep_freed_memory
from quzhou_archive.search import browser_index as export
from quzhou_archive.search import bulk
from quzhou_archive.search import rank
from quzhou_archive.site.model import Card

NAME = "export"
READS = ("meta", "tokens")
EXPORT_PARTS = 8             # the documents are cut into this many runs, each a worker task
SHARDS, DELTA, SEARCH = "shards", "delta", "search"     # the groups of outputs this stage makes


def version(code: str, results: dict[str, str], base_url: str) -> str:
    return digest_of(code, [results[name] for name in READS])[:16]


# -- what a shard is made from ---------------------------------------------------------

# A shard's digest is two 64-bit lanes, each summed modulo 2**64 (numpy's
# arithmetic on uint64 arrays): a row of a (shards, 2) array of them.
LANE = (1 << 64) - 1


def contribution(data: bytes) -> np.ndarray:
    value = int.from_bytes(hashlib.blake2b(data, digest_size=16).digest(), "little")
    return np.array([value & LANE, value >> 64], np.uint64)


def doc_contributions(docnum: int, tokens, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The shards the document has postings in, and the digest of what it contributes to each."""
    elements = bulk.elements([(docnum, tokens)], count)
    shards = np.unique((elements["term"] >> np.uint64(bulk.SHARD_SHIFT)).astype(np.int64))
    return shards, bulk.shard_digests(elements, count)[shards]


def word_list_contribution(gram: str, encoded_words: bytes) -> np.ndarray:
    return contribution(b"w" + gram.encode("utf-8") + encoded_words)


def shard_of_gram(gram: str, count: int) -> int:
    return export.term_hash("b" + gram) % count


def encoded_word_lists(vocabulary: export.Vocabulary) -> dict[str, bytes]:
    """Every bigram's list of words, encoded as its record ends."""
    return {gram: export.encode_words(vocabulary.words_for(gram)) for gram in vocabulary.by_start}


def word_list_sums(encoded: dict[str, bytes], count: int) -> np.ndarray:
    sums = np.zeros((count, 2), np.uint64)
    for gram, words in encoded.items():
        sums[shard_of_gram(gram, count)] += word_list_contribution(gram, words)
    return sums


def shard_inputs(stage: str, count: int, lanes) -> str:
    return f"{stage}:{count}:{int(lanes[1]):016x}{int(lanes[0]):016x}"


def previous_sums(ctx, count: int) -> np.ndarray | None:
    """Each shard's sum as the last build stated it (None: not of this version and count)."""
    prefix = shard_inputs(ctx.versions.stages[NAME], count, (0, 0))[:-32]
    sums = np.zeros((count, 2), np.uint64)
    for k in range(count):
        record = ctx.last.outputs.get(export.shard_path(k))
        if record is None or not record.inputs.startswith(prefix):
            return None
        value = int(record.inputs[len(prefix):], 16)
        sums[k] = (value & LANE, value >> 64)
    return sums


# -- kits of the workers -------------------------------------------------------------------

@dataclass
class ExportKit(CacheKit):
    """The staged site, the vocabulary and its encoded word lists (large:
    the workers get them by the fork), and the analysis cache, opened once
    per worker when a task first reads it."""

    site: StagedSite
    vocabulary: export.Vocabulary
    words: bulk.WordLists | None = None
    cache_folder: str | None = None

    def setup(self) -> None:
        keep_freed_memory()


# -- the shards ------------------------------------------------------------------------------

SHARDS_PER_BUCKET = 64       # the postings of this many shards are finished together, by one task
BATCH = 1 << 18              # characters of a run's documents turned into elements at once
BUFFERED = 16 << 20          # bytes of elements a task holds before it appends them to its files


def buckets_of(count: int) -> int:
    return max(1, count // SHARDS_PER_BUCKET)


def bucket_path(folder: str, run: int, bucket: int) -> str:
    return f"{folder}/run{run}-bucket{bucket}"


def _export_part(kit: ExportKit, args) -> bytes:
    """Postings of a run of documents, as elements (`search/bulk.py`),
    appended to one file per bucket of shards every few megabytes (a task
    holds no more, however large the archive), sorted by shard and term in
    each batch; returns each shard's digest sums over the run's elements
    (16 bytes each). Runs in a worker, reading the cache itself, so no
    postings travel between processes."""
    items, count, folder, run = args
    sums = np.zeros((count, 2), np.uint64)
    held: dict[int, list[np.ndarray]] = {}
    buffered = 0
    for batch in _batches(kit.cache, items):
        elements = bulk.elements(batch, count)
        sums += bulk.shard_digests(elements, count)
        buffered += _hold(elements, count, held)
        if buffered > BUFFERED:
            _append(held, folder, run)
            buffered = 0
    _append(held, folder, run)
    return sums.tobytes()


def _batches(cache: AnalysisCache, items):
    """The run's documents (number, tokens), some BATCH characters at a time."""
    batch, characters = [], 0
    for docnum, tokens in _streams_of(cache, items):
        batch.append((docnum, tokens))
        characters += sum(map(len, tokens.headline)) + sum(map(len, tokens.body))
        if characters >= BATCH:
            yield batch
            batch, characters = [], 0
    if batch:
        yield batch


def _streams_of(cache: AnalysisCache, items, at_once: int = 256):
    """(number, tokens) of each document, read from the cache some at a time:
    the streams only, the words left encoded (the shards hold no words of an article)."""
    for start in range(0, len(items), at_once):
        some = items[start:start + at_once]
        found = cache.results_of(["tokens"], sorted({digest for digest, _ in some}))["tokens"]
        for digest, docnum in some:
            if digest not in found:
                analyse.read(cache, digest, "tokens")       # says that the cache lacks it
            yield docnum, DocTokens(*analyse.token_streams(found[digest]), {})


def _hold(elements: np.ndarray, count: int, held: dict[int, list[np.ndarray]]) -> int:
    """Sorted elements cut by bucket (their shard is their term's high bits)."""
    per = count // buckets_of(count)
    bounds = np.arange(0, count + 1, per, dtype=np.uint64) << np.uint64(bulk.SHARD_SHIFT)
    cuts = np.searchsorted(elements["term"], bounds)
    for bucket in range(len(bounds) - 1):
        if cuts[bucket] < cuts[bucket + 1]:
            held.setdefault(bucket, []).append(elements[cuts[bucket]:cuts[bucket + 1]])
    return elements.nbytes


def _append(held: dict[int, list[np.ndarray]], folder: str, run: int) -> None:
    for bucket, parts in held.items():
        with open(bucket_path(folder, run, bucket), "ab") as handle:
            for part in parts:
                handle.write(part.tobytes())
    held.clear()


def _finish_bucket(kit: ExportKit, args) -> list[SiteFile]:
    """The stale shards of one bucket, finished from every run's elements
    (in document order: the runs are, one after the other, and the sort is stable)."""
    folder, runs, bucket, stale = args
    parts = []
    for run in range(runs):
        try:
            parts.append(np.fromfile(bucket_path(folder, run, bucket), bulk.ELEMENT))
        except FileNotFoundError:       # no document of the run has a term in the bucket
            continue
    elements = np.concatenate(parts) if parts else np.zeros(0, bulk.ELEMENT)
    elements = np.take(elements, np.argsort(elements["term"], kind="stable"))   # sorted runs, merged
    raw = bulk.encode_shards(elements, stale, kit.words)
    return [kit.site.write(export.shard_path(k), export.gz(raw[k])) for k in stale]


def postings_pass(ctx, count: int, vocabulary: export.Vocabulary) -> None:
    """Every document's postings collected again, all into the main shards;
    the shards whose inputs changed (all of them, from nothing) finished."""
    ctx.delta_from = len(ctx.order)
    items = [(ctx.records[aid].digest, n) for n, aid in enumerate(ctx.order) if aid is not None]
    runs = [items[r * len(items) // EXPORT_PARTS:(r + 1) * len(items) // EXPORT_PARTS] for r in range(EXPORT_PARTS)]
    encoded = encoded_word_lists(vocabulary)
    kit = ExportKit(ctx.site, vocabulary, bulk.WordLists.of(encoded), ctx.cache.path)
    # one pool for both steps: the runs of documents, then the buckets of shards
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, dir=ctx.cache.path) as tmp, Workers(ctx.jobs, kit) as pool:
        tasks = [(run, count, tmp, r) for r, run in enumerate(runs)]
        with timed("export: postings"):
            sums = word_list_sums(encoded, count)
            for part in pool.map(_export_part, tasks, "export", "run", chunksize=1, size=len(items)):
                sums += np.frombuffer(part, np.uint64).reshape(count, 2)
        stage = ctx.versions.stages[NAME]
        stale = [k for k in range(count) if ctx.outputs.want(SHARDS, export.shard_path(k),
                                                             shard_inputs(stage, count, sums[k]))]
        per = count // buckets_of(count)
        by_bucket: dict[int, list[int]] = {}
        for k in stale:
            by_bucket.setdefault(k // per, []).append(k)
        tasks = [(tmp, len(runs), bucket, ks) for bucket, ks in sorted(by_bucket.items())]
        with timed("export: shards"):
            for made in pool.map(_finish_bucket, tasks, "shards", "bucket", chunksize=1, size=len(stale)):
                for file in made:
                    ctx.outputs.made(file)


def in_place(ctx, count: int) -> bool:
    """Can the shards be spliced: the last build's are of this version and
    count, intact, the tokens they were made from still cached, no
    document's number moved and the delta begins where it did (a delta
    made part of the main shards means a full pass)?"""
    if ctx.fresh or not ctx.last_tokens_kept or count != export.shard_count(live(ctx.last.order)):
        return False
    if any(rel.startswith("search/s/") for rel in ctx.repair.site):
        return False
    docnum = numbers(ctx.order)
    return ctx.delta_from == last_delta_from(ctx.last) and all(
        docnum.get(aid, n) == n for n, aid in enumerate(ctx.last.order) if aid is not None)


def numbers(order: list[str | None]) -> dict[str, int]:
    return {aid: n for n, aid in enumerate(order) if aid is not None}


def update_shards(ctx, count: int, vocabulary: export.Vocabulary, delta_grams: set[str], left: set[str]) -> bool:
    """Splice the main shards whose inputs changed — the postings of edited
    articles, the word lists whose words came, went or changed their cost;
    False if that cannot be done (the last build's shards are of another
    version). A removed article's postings stay where they are: its number's
    empty row tells the browser to pass over them. The word lists of
    bigrams the delta holds are left: the browser reads the delta's."""
    sums = previous_sums(ctx, count)
    if sums is None:
        return False
    docnum = numbers(ctx.order)
    edits: dict[int, dict[str, list[tuple[int, export.Posting | None]]]] = {}
    for aid in sorted(ctx.plan.changed):
        n = docnum[aid]
        if n >= ctx.delta_from:         # a new article: its postings are the delta's
            continue
        # an edited article of the main shards (a removed one's postings stay there, under its tombstone)
        old_tokens = analyse.read(ctx.cache, ctx.last.articles[aid].digest, "tokens").tokens
        new_tokens = analyse.read(ctx.cache, ctx.records[aid].digest, "tokens").tokens
        before, after = export.doc_postings(n, old_tokens), export.doc_postings(n, new_tokens)
        for term in before.keys() | after.keys():
            if before.get(term) != after.get(term):    # a shard none of whose terms changed stays as it is
                edits.setdefault(export.term_hash(term) % count, {}).setdefault(term, []).append((n, after.get(term)))
        shards, digests = doc_contributions(n, old_tokens, count)
        sums[shards] -= digests
        shards, digests = doc_contributions(n, new_tokens, count)
        sums[shards] += digests
    renewed = (renewed_word_lists(ctx, vocabulary) - delta_grams) | left    # the delta's lists are the ones read
    before_lists = export.Vocabulary({w: c for w, c in ctx.last.words.items() if w[:2] in renewed})
    for gram in renewed:
        term = "b" + gram
        k = export.term_hash(term) % count
        edits.setdefault(k, {}).setdefault(term, [])
        sums[k] -= word_list_contribution(gram, export.encode_words(before_lists.words_for(gram)))
        sums[k] += word_list_contribution(gram, export.encode_words(vocabulary.words_for(gram)))
    stage = ctx.versions.stages[NAME]
    forced = {export.term_hash("b" + gram) % count for gram in left}    # renewed whatever their sums say
    stale = [k for k in range(count) if ctx.outputs.want(SHARDS, export.shard_path(k),
                                                         shard_inputs(stage, count, sums[k])) or k in forced]
    if any(k not in edits for k in stale):
        return False
    tasks = [(export.shard_path(k), edits[k]) for k in stale]
    with Workers(ctx.jobs, ExportKit(ctx.site, vocabulary)) as splicing:
        for made in splicing.map(_splice_one, tasks, "export", "shard"):
            ctx.outputs.made(made)
    return True


def renewed_word_lists(ctx, vocabulary: export.Vocabulary) -> set[str]:
    """Bigrams whose list of words (a bigram's record lists the words that
    start with it, with their costs) changed: a word came, went, or its
    count moved its cost."""
    old, words = ctx.last.words, vocabulary.counts
    touched: set[str] = set()
    for aid in ctx.plan.changed | ctx.plan.removed:
        if aid in ctx.last.articles:
            touched.update(analyse.read(ctx.cache, ctx.last.articles[aid].digest, "tokens").tokens.words)
        if aid in ctx.records:
            touched.update(analyse.read(ctx.cache, ctx.records[aid].digest, "tokens").tokens.words)
    return {w[:2] for w in touched
            if (w in old) != (w in words) or (w in words and rank.word_cost(old[w]) != rank.word_cost(words[w]))}


def _splice_one(kit: ExportKit, args) -> SiteFile:
    """One shard with some documents' postings replaced (in a worker)."""
    rel, terms = args
    vocabulary = kit.vocabulary
    records = export.decode_shard(kit.site.read(rel))
    for term, changes in terms.items():
        record = records.get(term)
        for n, posting in changes:
            record = export.splice(record, term, n, posting, vocabulary.words_for(term[1:]))
        if not changes and record is not None:
            record = export.with_words(record, vocabulary.words_for(term[1:]))
        if record is None:
            records.pop(term, None)
        else:
            records[term] = record
    return kit.site.write(rel, export.encode_shard(records))


# -- the delta -------------------------------------------------------------------------------

@dataclass
class Delta:
    """The articles numbered from `ctx.delta_from` on, whose postings are in
    the delta shards (`search/d/K.bin`), with their bigrams' word lists: a
    few dozen articles, at most a percent of the archive. A bigram's word
    list in the delta is the one the browser reads, so the main shards'
    lists need not be renewed for words of new articles."""

    items: list[tuple[str, int]]        # (file digest, number)
    count: int                          # delta shards (0: no delta)
    tokens: list | None                 # the items' tokens, when something changed
    grams: set[str]                     # the bigrams the delta holds (when something changed)

    @classmethod
    def of(cls, ctx) -> "Delta":
        items = [(ctx.records[aid].digest, n) for n, aid in enumerate(ctx.order)
                 if n >= ctx.delta_from and aid is not None]
        count = export.shard_count(len(items)) if items else 0
        if not (ctx.fresh or ctx.plan.changed or ctx.plan.removed):
            return cls(items, count, None, set())
        tokens = [analyse.read(ctx.cache, digest, "tokens").tokens for digest, _ in items]
        return cls(items, count, tokens, grams_of(tokens))


def grams_of(tokens: list) -> set[str]:
    return {s[i:i + 2] for t in tokens for s in t.headline + t.body for i in range(len(s) - 1)}


def left_the_delta(ctx, delta: Delta) -> set[str]:
    """Bigrams the last build's delta held and this one's does not: their
    lists in the main shards were not kept current meanwhile, so they are
    renewed whatever changed. Only the files that left the delta (removed,
    edited, or all of it made part of the main shards) can take bigrams away."""
    if not ctx.plan.changed and not ctx.plan.removed:
        return set()
    staying = {digest for digest, _ in delta.items}
    start = last_delta_from(ctx.last)
    gone = {ctx.last.articles[aid].digest for aid in ctx.last.order[start:] if aid is not None} - staying
    return grams_of([analyse.read(ctx.cache, digest, "tokens").tokens for digest in sorted(gone)]) - delta.grams


def write_delta(ctx, delta: Delta, vocabulary: export.Vocabulary) -> None:
    """The delta shards, made again whenever any article changed (a new word
    changes word lists), written only where their bytes change."""
    digest = digest_of(ctx.versions.stages[NAME], delta.count, delta.items)
    if delta.tokens is None and ctx.outputs.keep_group(DELTA, digest):
        return
    ctx.outputs.name_group(DELTA, digest)
    with timed("export: delta"):
        tokens = delta.tokens or [analyse.read(ctx.cache, d, "tokens").tokens for d, _ in delta.items]
        parts: dict[int, list[bytes]] = {}
        for (_, n), doc_tokens in zip(delta.items, tokens):
            for k, chunk in export.shard_chunks(n, doc_tokens, delta.count):
                parts.setdefault(k, []).append(chunk)
        for k, chunks in sorted(parts.items()):
            data = export.finish_shard(b"".join(chunks), vocabulary)
            ctx.outputs.write(DELTA, export.delta_path(k), file_digest(data), lambda: data)


# -- the small files ----------------------------------------------------------------------------

def doc_rows(ctx) -> list[export.DocRow | None]:
    """Every article's row of the browser's document table, in document
    order (a removed article's number: None)."""
    rows = []
    for n, aid in enumerate(ctx.order):
        if aid is None:
            rows.append(None)
            continue
        record = ctx.records[aid]
        card = Card._make(record.card)
        rows.append(export.DocRow(n, aid, *record.lengths, card.date, card.paper, card.kind, list(card.topics),
                                  list(card.counties)))
    return rows


def small_files(ctx, count: int, delta: int) -> None:
    """docs.bin, ids.bin, fold.bin, each made when what it holds changed;
    meta.json, with the fingerprint of every file of the browser index."""
    stage, outputs, options = ctx.versions.stages[NAME], ctx.outputs, ctx.collection.options
    rows = doc_rows(ctx)
    outputs.write(SEARCH, "search/docs.bin", digest_of(stage, options, [r and tuple(vars(r).values()) for r in rows]),
                  lambda: export.doc_table(rows, options))
    outputs.write(SEARCH, "search/ids.bin", digest_of(stage, ctx.order), lambda: export.id_table(rows))
    chars = sorted(ctx.chars)
    pairs = cached_foldings(ctx.state)
    outputs.write(SEARCH, "search/fold.bin", digest_of(stage, pairs, chars), lambda: export.fold_table(set(chars), pairs))
    hashes = {rel: outputs.digest(rel) for rel in [export.shard_path(k) for k in range(count)]
              + outputs.paths(DELTA) + ["search/docs.bin", "search/ids.bin", "search/fold.bin"]}
    meta = export.meta_file(len(ctx.records), ctx.collection.averages, count, options, hashes, delta)
    outputs.write(SEARCH, "search/meta.json", digest_of(stage, meta), lambda: meta)


def cached_foldings(folder: Path):
    """The foldings of every character, computed once per OpenCC version and tokenizer."""
    import opencc

    key = f"{getattr(opencc, '__version__', '?')}:{tokenizer_fingerprint()}"
    path = folder / "foldings.marshal"
    try:
        stored_key, pairs = marshal.loads(path.read_bytes())
        if stored_key == key:
            return pairs
    except (OSError, ValueError, EOFError, TypeError):
        pass
    pairs = export.foldings()
    atomic_write(path, marshal.dumps((key, pairs)))
    return pairs


# -- the stage ---------------------------------------------------------------------------------

TOMBSTONE_SHARE = 0.03     # past this share of numbers held by removed articles, the numbers are made dense again
DELTA_SHARE, DELTA_AT_LEAST = 0.01, 64     # the delta holds at most this share of the articles (or this many)


def number_documents(ctx) -> None:
    """Each document's number in the browser index, kept for life: a removed
    article leaves its number empty (a tombstone), a new one gets the next
    number wherever its date falls, and its postings go to the delta shards
    (numbers from `ctx.delta_from` on). So removing or adding an article
    rewrites no main shard, and editing one only the shards of the terms it
    changed. Ranking never reads the numbers (ties go by date, then ID).
    A build from nothing — or one whose tombstones pass TOMBSTONE_SHARE,
    whose delta passes DELTA_SHARE, or that needs another shard count
    anyway — numbers the documents densely by date, then ID, and puts them
    all in the main shards: the same bytes as a build from nothing."""
    if same_articles(ctx):      # only edits: every number stays (nothing above can have changed)
        ctx.order, ctx.delta_from = list(ctx.last.order), last_delta_from(ctx.last)
        return
    dense = export.doc_order([(aid, Card._make(record.card).date) for aid, record in ctx.records.items()])
    order = None if ctx.fresh else stable_order(ctx.last.order, dense)
    delta_from = last_delta_from(ctx.last)
    if order is None or live(order[delta_from:]) > max(DELTA_AT_LEAST, DELTA_SHARE * len(dense)):
        ctx.order, ctx.delta_from = dense, len(dense)
    else:
        ctx.order, ctx.delta_from = order, delta_from


def same_articles(ctx) -> bool:
    """The articles of the last build, none come or gone (some perhaps edited)."""
    return not ctx.fresh and not ctx.plan.removed and live(ctx.last.order) == len(ctx.records) \
        and all(aid in ctx.last.articles for aid in ctx.plan.changed)


def last_delta_from(last) -> int:
    return min(last.delta_from, len(last.order))


def stable_order(last: list[str | None], dense: list[str]) -> list[str | None] | None:
    """The last build's numbers for the articles that stayed, tombstones for
    those that went, new numbers for new articles (in date, ID order among
    themselves); None when the numbers should be made dense again."""
    present = set(dense)
    kept = [aid if aid in present else None for aid in last]
    known = set(last)
    order = kept + [aid for aid in dense if aid not in known]
    tombstones = len(order) - len(dense)
    if tombstones > TOMBSTONE_SHARE * len(order) or export.shard_count(len(dense)) != export.shard_count(live(last)):
        return None
    return order


def live(order: list[str | None]) -> int:
    return sum(aid is not None for aid in order)


def run(ctx) -> None:
    with timed("export"):
        number_documents(ctx)
        count = export.shard_count(len(ctx.records))
        vocabulary = export.Vocabulary(dict(ctx.words))
        delta = Delta.of(ctx)
        if not (in_place(ctx, count) and update_shards(ctx, count, vocabulary, delta.grams, left_the_delta(ctx, delta))):
            postings_pass(ctx, count, vocabulary)
            delta = Delta.of(ctx)       # none: every article is in the main shards now
        write_delta(ctx, delta, vocabulary)
        small_files(ctx, count, delta.count)
