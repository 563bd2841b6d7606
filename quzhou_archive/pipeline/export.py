"""The export stage: the browser's search index (`search/` in the site),
every shard, or only the shards whose terms the changed articles touch,
and the small files beside them (documents, IDs, foldings, meta)."""
from __future__ import annotations

import hashlib
import marshal
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from quzhou_archive.analyse import topics as taxonomy_module
from quzhou_archive.analyse.segment import tokenizer_fingerprint
from quzhou_archive.fsutil import atomic_write
from quzhou_archive.gazetteer import load as load_gazetteer
from quzhou_archive.pipeline.analyse import Facts, Segmented
from quzhou_archive.pipeline.outputs import SiteFile, StagedSite
from quzhou_archive.pipeline.sources import Plan
from quzhou_archive.pipeline.state import SCRATCH_PREFIX, ContentCache, Manifest
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.pipeline.workers import Workers, _worker_cache
from quzhou_archive.search import browser_index as export
from quzhou_archive.search import rank

_VOCABULARY: dict = {}       # set in the parent before the finishing workers are forked
EXPORT_PARTS = 8             # the documents are cut into this many runs, each a worker task


def _export_part(args) -> list[tuple[int, int]]:
    """Postings of a run of documents, written shard by shard into one file;
    returns each shard's (offset, length) in it. Runs in a worker, reading
    the cache itself, so no postings travel between processes."""
    folder, version, items, count, path = args
    cache = _worker_cache(folder, version)
    buffers: list[list[bytes]] = [[] for _ in range(count)]
    for digest, docnum in items:
        for k, chunk in export.shard_chunks(docnum, Segmented.from_plain(cache.get(digest)).tokens, count):
            buffers[k].append(chunk)
    spans, offset = [], 0
    with open(path, "wb") as handle:
        for parts in buffers:
            data = b"".join(parts)
            handle.write(data)
            spans.append((offset, len(data)))
            offset += len(data)
    return spans


def _finish_one(args) -> SiteFile:
    site, k, pieces = args
    raw = bytearray()
    for path, offset, length in pieces:
        if length:
            with open(path, "rb") as handle:
                handle.seek(offset)
                raw += handle.read(length)
    return site.write(export.shard_path(k), export.finish_shard(bytes(raw), _VOCABULARY["current"]))


def export_shards(plan: Plan, site: "StagedSite", manifest: Manifest, cache: ContentCache, words: Counter,
                  pool: Workers) -> list[SiteFile]:
    """Write the shard files that are new or changed (all of them when
    exporting in full); returns what became of each."""
    vocabulary = export.Vocabulary(dict(words))
    docnum = plan.docnum
    if plan.full_export:
        count = export.shard_count(len(plan.order))
        items = [(plan.infos[aid].digest, n) for n, aid in enumerate(plan.order)]
        runs = [items[r * len(items) // EXPORT_PARTS:(r + 1) * len(items) // EXPORT_PARTS] for r in range(EXPORT_PARTS)]
        with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, dir=cache.path) as tmp:
            paths = [str(Path(tmp) / f"part{r}") for r in range(EXPORT_PARTS)]
            tasks = [(cache.path, cache.version, run, count, path) for run, path in zip(runs, paths)]
            with timed("export: postings"):
                spans = list(pool.map(_export_part, tasks, "export", "run", chunksize=1, size=len(items)))
            pieces = [(site, k, [(path, *spans[r][k]) for r, path in enumerate(paths)]) for k in range(count)]
            with timed("export: shards"), workers_knowing(vocabulary, pool.jobs) as finishing:
                return list(finishing.map(_finish_one, pieces, "shards", "shard"))
    count = manifest.data["shards"]
    edits: dict[int, dict[str, list[tuple[int, export.Posting | None]]]] = {}
    for aid in sorted(plan.changed | plan.removed):
        old = manifest.articles.get(aid)
        before = export.doc_postings(docnum.get(aid, -1), Segmented.from_plain(cache.get(old["digest"])).tokens) \
            if old else {}
        after = export.doc_postings(docnum[aid], Segmented.from_plain(cache.get(plan.infos[aid].digest)).tokens) \
            if aid in plan.infos else {}
        n = docnum[aid] if aid in docnum else manifest.data["order"].index(aid)
        for term in before.keys() | after.keys():
            if before.get(term) != after.get(term):    # a shard none of whose terms changed stays as it is
                edits.setdefault(export.term_hash(term) % count, {}).setdefault(term, []).append((n, after.get(term)))
    for gram in renewed_word_lists(plan, manifest, cache, words):
        term = "b" + gram
        edits.setdefault(export.term_hash(term) % count, {}).setdefault(term, [])
    tasks = [(site, export.shard_path(k), terms) for k, terms in sorted(edits.items())]
    with workers_knowing(vocabulary, pool.jobs) as splicing:
        return list(splicing.map(_splice_one, tasks, "export", "shard"))


@contextmanager
def workers_knowing(vocabulary: export.Vocabulary, jobs: int):
    """Workers forked once the vocabulary is in place, so that they have it
    without its being sent to them (it is large)."""
    _VOCABULARY["current"] = vocabulary
    try:
        with Workers(jobs) as workers:
            yield workers
    finally:
        _VOCABULARY.clear()


def renewed_word_lists(plan: Plan, manifest: Manifest, cache: ContentCache, words: Counter) -> set[str]:
    """Bigrams whose list of words (a bigram's record lists the words that
    start with it, with their costs) changed: a word came, went, or its
    count moved its cost."""
    old = manifest.data.get("vocabulary", {})
    touched: set[str] = set()
    for aid in plan.changed | plan.removed:
        if aid in manifest.articles:
            touched.update(Facts.of(cache.get(manifest.articles[aid]["digest"])).words)
        if aid in plan.infos:
            touched.update(Facts.of(cache.get(plan.infos[aid].digest)).words)
    return {w[:2] for w in touched
            if (w in old) != (w in words) or (w in words and rank.word_cost(old[w]) != rank.word_cost(words[w]))}


def _splice_one(args) -> SiteFile:
    """One shard with some documents' postings replaced (in a worker)."""
    site, rel, terms = args
    vocabulary = _VOCABULARY["current"]
    records = export.decode_shard(site.read(rel))
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
    return site.write(rel, export.encode_shard(records))


def doc_rows(plan: Plan) -> list[export.DocRow]:
    """Every article's row of the browser's document table, in document order."""
    rows = []
    for n, aid in enumerate(plan.order):
        m = plan.infos[aid].meta
        rows.append(export.DocRow(n, aid, *plan.infos[aid].lengths, m.get("date"), m.get("paper"),
                                  m.get("kind", "news"), list(m.get("topics") or []), list(m.get("counties") or [])))
    return rows


def search_small_files(plan: Plan, options: dict, stats: dict, chars: Counter, shard_hashes: dict[str, str],
                       manifest: Manifest, folder: Path):
    rows = doc_rows(plan)
    # the ID table only changes with the IDs; the foldings only with OpenCC: both kept from build to build
    order_digest = hashlib.sha256("\n".join(plan.order).encode()).hexdigest()
    kept = manifest.data.get("ids_bin")
    ids = kept[1] if kept and kept[0] == order_digest else export.id_table(rows)
    manifest.data["ids_bin"] = (order_digest, ids)
    files = export.small_files(rows, options, set(chars), stats["average"], export.shard_count(len(rows)),
                               shard_hashes, ids=ids, pairs=cached_foldings(folder))
    return files


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


def filter_values(plan: Plan) -> dict:
    g = load_gazetteer()
    return export.filter_options(doc_rows(plan), taxonomy_module.load(), [g.city.name] + [c.name for c in g.counties])
