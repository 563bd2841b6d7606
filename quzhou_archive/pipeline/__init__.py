"""`build`: articles -> segment -> Whoosh index -> browser index -> site.

`build()` runs the stages in order:

    scan        read every article file and its digest; nothing changed -> done
    read        parse and check the new and changed articles (errors stop here,
                before anything is written)
    segment     HTML and tokens of new content, in worker processes, cached by
                content digest
    index       the Whoosh index: from nothing with Whoosh's multi-process
                writer, else article by article
    export      the browser index: every shard, or only the shards whose terms
                the changed articles touch
    render      the pages whose content changed (by digest)
    publish     index and site swapped in whole; the manifest saved

Everything is written to staging folders and swapped in only when the build
succeeded; a failed build leaves the previous index and site as they were.
A build from nothing and a later build of the same articles write the same
site, byte for byte.
"""
from __future__ import annotations

import functools
import hashlib
import json
import marshal
import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple
from pathlib import Path
from urllib.parse import urlsplit

from quzhou_archive import __version__
from quzhou_archive import articles as store
from quzhou_archive.search import rank
from quzhou_archive.search import whoosh_index
from quzhou_archive.site import render
from quzhou_archive.search import browser_index as export
from quzhou_archive.analyse import topics as taxonomy_module
from quzhou_archive.analyse.content import headline_parts, render_content
from quzhou_archive.errors import ArchiveError
from quzhou_archive.fsutil import atomic_write, remove_tree, staging
from quzhou_archive.pipeline.publish import SITE_RECORD, STAMP_FILE, Step, site_record, site_stamp, settle
from quzhou_archive.pipeline.publish import publish as put_in_place
from quzhou_archive.gazetteer import load as load_gazetteer
from quzhou_archive.progress import progress
from quzhou_archive.site.render import article_url
from quzhou_archive.analyse.segment import TOKENIZER_VERSION, DocTokens, field_length, tokenize, tokenizer_fingerprint
from quzhou_archive.pipeline.state import (SCRATCH_PREFIX, BuildLock, ContentCache, Manifest, file_digest, remove_leftovers, state_dir,
                    tree_digest)

PACKAGE = Path(__file__).resolve().parent.parent
GITHUB_PAGES_LIMIT = 10**9   # bytes a published GitHub Pages site may hold
PARALLEL_FROM = 64          # fewer items than this are done in this process


# -- articles ------------------------------------------------------------------

@dataclass
class Source:
    id: str
    path: Path
    digest: str
    stat: list[int] = field(default_factory=list)   # size, modification time (ns)


@dataclass
class ArticleInfo:
    """What every stage but segment needs of an article; kept in the manifest."""

    id: str
    digest: str
    meta: dict
    summary: str
    url: str
    lengths: tuple[int, int] = (0, 0)   # headline, body characters

    stat: list[int] = field(default_factory=list)

    def plain(self) -> dict:
        return {"digest": self.digest, "meta": self.meta, "summary": self.summary, "lengths": list(self.lengths),
                "stat": self.stat}

    @classmethod
    def from_plain(cls, article_id: str, data: dict) -> "ArticleInfo":
        return cls(article_id, data["digest"], data["meta"], data["summary"], article_url(article_id),
                   tuple(data["lengths"]), data.get("stat", []))


def scan(root: Path, known: dict[str, dict] | None = None) -> list[Source]:
    """Every article file and the digest of its content. A file whose size and
    modification time are what the last build saw keeps that build's digest
    (as make does); others are read and hashed."""
    if not root.is_dir():
        raise ArchiveError(root, "no articles folder here (ingest raw pages first: build_site.py ingest PATH)")
    known = known or {}
    sources = []
    prefix = len(str(root)) + 1
    for path in store.article_paths(root):
        article_id = str(path)[prefix:-3].replace(os.sep, "/")
        stat = os.stat(path)
        seen = known.get(article_id)
        if seen and seen.get("stat") == [stat.st_size, stat.st_mtime_ns]:
            digest = seen["digest"]
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        sources.append(Source(article_id, path, digest, [stat.st_size, stat.st_mtime_ns]))
    if not sources:
        raise ArchiveError(root, "no articles to build (ingest raw pages first: build_site.py ingest PATH)")
    return sources


def load_articles(root: Path) -> list[store.Article]:
    """Read and check every article; all problems are reported, then the first raised."""
    return _read([(s.path, s.id) for s in scan(root)], root)


def _read(items, root: Path) -> list[store.Article]:
    loaded, errors = [], []
    for path, _ in progress(items, desc="read", unit="article"):
        try:
            loaded.append(store.read_article(root, path))
        except ArchiveError as error:
            errors.append(error)
    for error in errors[1:]:
        print(error, file=sys.stderr)
    if errors:
        raise errors[0]
    return sorted(loaded, key=lambda a: a.id)


# -- segment: one article's content -> HTML, text, tokens (worker processes) ----

def segment_article(article: store.Article, digest: str) -> tuple[str, tuple]:
    """(digest, plain result) for one checked article; runs in a worker."""
    content = render_content(article)
    body_parts = content.blocks + content.captions + content.people
    tokens = tokenize(headline_parts(article), body_parts)
    summary = "".join(content.blocks)[:100]
    chars = dict(Counter("".join(tokens.headline + tokens.body)))
    return digest, (content.html, "\n".join(body_parts), summary, tokens.to_plain(), chars)


@dataclass
class Segmented:
    html: str
    body_text: str
    summary: str
    tokens: DocTokens
    chars: dict[str, int]

    @classmethod
    def from_plain(cls, plain) -> "Segmented":
        html, body_text, summary, tokens, chars = plain
        return cls(html, body_text, summary, DocTokens.from_plain(tokens), chars)


class Workers:
    """Worker processes for the stages that split their work. With `warm`, they
    load jieba at once, while this process reads the articles. When little
    work is expected (`few`: an incremental build), one warm worker is
    started, on a core of its own, and the whole set only if a stage turns
    out to have many items after all. Small jobs are done in this process."""

    def __init__(self, jobs: int, warm: bool = False, few: bool = False):
        self.jobs = jobs
        self.warm = warm
        self._pool = self._single = None
        self._used = False
        if warm and few:
            self._single = self._start(1)
        elif warm and jobs > 1:
            self._pool = self._start(jobs)

    def _start(self, n: int):
        return multiprocessing.get_context("fork").Pool(n, initializer=_warm_up if self.warm else None)

    def map(self, func, items: list, desc: str, unit: str, chunksize: int = 16, always: bool = False,
            size: int | None = None):
        """func over items, in order: in the workers when there is enough work
        (`size`, if an item is more than one article's worth), or `always`."""
        many = (len(items) if size is None else size) >= PARALLEL_FROM
        if items and always and self._single is not None and not many:
            self._used = True
            results = self._single.imap(func, items, chunksize=chunksize)
        elif self.jobs > 1 and items and (always or many):
            if self._pool is None:
                self._pool = self._start(self.jobs)
            self._used = True
            results = self._pool.imap(func, items, chunksize=chunksize)
        else:
            results = map(func, items)
        return progress(results, desc=desc, unit=unit, total=len(items))

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        for pool in (self._pool, self._single):
            if pool is not None:
                if kind is None:
                    pool.close()
                else:
                    pool.terminate()
                pool.join()
        self._pool = self._single = None

    def cool_down(self) -> None:
        """Let the workers that loaded jieba go (a hundred megabytes each): the
        stages after segmenting fork new ones when they need them. Workers
        that were never given work are stopped, not waited for (they may
        still be loading jieba)."""
        if self._used:
            self.__exit__(None, None, None)
        else:
            self.cancel()
        self.warm = False
        self._used = False

    def cancel(self) -> None:
        """Stop at once (nothing to do after all)."""
        for pool in (self._pool, self._single):
            if pool is not None:
                pool.terminate()
                pool.join()
        self._pool = self._single = None


def _warm_up() -> None:
    from quzhou_archive.analyse.segment import _jieba

    _jieba()


def _segment_one(args):
    return segment_article(*args)


@dataclass
class Facts:
    """What the later stages need to know about an article's content."""

    summary: str
    lengths: tuple[int, int]
    words: dict[str, int]
    chars: dict[str, int]

    @classmethod
    def of(cls, plain) -> "Facts":
        seg = Segmented.from_plain(plain)
        return cls(seg.summary, (field_length(seg.tokens.headline), field_length(seg.tokens.body)),
                   seg.tokens.words, seg.chars)


@dataclass
class Segmentation:
    """What segmenting a set of articles told: per content digest its summary
    and lengths; and the words and characters of them all, counted."""

    done: int = 0
    summaries: dict[str, tuple[str, tuple[int, int]]] = field(default_factory=dict)
    words: Counter = field(default_factory=Counter)
    chars: Counter = field(default_factory=Counter)

    def add(self, digest: str, facts: Facts) -> None:
        self.summaries[digest] = (facts.summary, facts.lengths)
        self.words.update(facts.words)
        self.chars.update(facts.chars)


def segment(plan: "Plan", cache: ContentCache, pool: Workers) -> Segmentation:
    """Segment every new or changed article whose content is not cached yet."""
    result = Segmentation()
    todo = []
    for aid in sorted(plan.changed):
        digest = plan.infos[aid].digest
        if cache.has(digest):
            result.add(digest, Facts.of(cache.get(digest)))
        else:
            todo.append((plan.articles[aid], digest))
    batch = []
    # the workers loaded jieba while the articles were being read: always use them
    for digest, plain in pool.map(_segment_one, todo, "segment", "article", always=True):
        batch.append((digest, plain))
        result.add(digest, Facts.of(plain))
        if len(batch) >= 500:
            cache.put_many(batch)
            batch = []
    cache.put_many(batch)
    result.done = len(todo)
    return result


# -- the plan --------------------------------------------------------------------

@dataclass
class Plan:
    infos: dict[str, ArticleInfo]              # every article, by ID
    order: list[str]                            # IDs in document-number order
    articles: dict[str, store.Article] = field(default_factory=dict)   # the ones read this time
    changed: set[str] = field(default_factory=set)   # new or changed content or metadata
    removed: set[str] = field(default_factory=set)
    full_index: bool = True
    full_export: bool = True
    fresh: bool = True                          # built from nothing
    repair: set[str] = field(default_factory=set)   # site files missing or changed since the last build

    @functools.cached_property
    def docnum(self) -> dict[str, int]:
        return {aid: n for n, aid in enumerate(self.order)}


def settings_digest(base_url: str, out_dir: Path, index_dir: Path) -> str:
    """What, besides the articles, the outputs depend on: code, templates,
    assets, data files, base URL, folders."""
    return hashlib.sha256("|".join([
        __version__, str(TOKENIZER_VERSION), str(export.FORMAT_VERSION), base_url,
        str(Path(out_dir).resolve()), str(Path(index_dir).resolve()),
        tree_digest(PACKAGE, suffixes=(".py", ".yaml", ".txt")), tree_digest(render.TEMPLATES), tree_digest(render.STATIC),
    ]).encode()).hexdigest()


def make_plan(sources: list[Source], root: Path, manifest: Manifest, fresh: bool) -> Plan:
    """Which articles are new, changed or gone; read the ones that changed."""
    old = manifest.articles
    current = {s.id: s for s in sources}
    changed_sources = [s for s in sources if fresh or s.id not in old or old[s.id]["digest"] != s.digest]
    articles = {a.id: a for a in _read([(s.path, s.id) for s in changed_sources], root)}
    infos: dict[str, ArticleInfo] = {}
    for s in sources:
        if s.id in articles:
            infos[s.id] = ArticleInfo(s.id, s.digest, articles[s.id].meta, "", article_url(s.id))  # facts follow segment
        else:
            infos[s.id] = ArticleInfo.from_plain(s.id, old[s.id])
        infos[s.id].stat = s.stat
    order = export.doc_order([(aid, info.meta.get("date")) for aid, info in infos.items()])
    plan = Plan(infos, order, articles)
    plan.changed = {s.id for s in changed_sources}
    plan.removed = set() if fresh else set(old) - set(current)
    plan.full_index = plan.fresh = fresh
    old_order = manifest.data.get("order", [])
    # the browser index is updated in place only while no unchanged article's number moves
    plan.full_export = fresh or export.shard_count(len(order)) != manifest.data.get("shards") or any(
        aid in plan.infos and plan.docnum[aid] != n for n, aid in enumerate(old_order) if aid not in plan.changed)
    return plan


def fill_facts(plan: Plan, segmentation: Segmentation) -> None:
    for aid in plan.changed:
        info = plan.infos[aid]
        info.summary, info.lengths = segmentation.summaries[info.digest]


# -- index -------------------------------------------------------------------------

def index_doc(info: ArticleInfo, seg: Segmented) -> whoosh_index.IndexDoc:
    m = info.meta
    return whoosh_index.IndexDoc(
        id=info.id, url=info.url, title=m["title"], subtitle=m.get("subtitle"), kicker=m.get("kicker"),
        body_text=seg.body_text, date=m.get("date"), counties=list(m.get("counties") or []),
        topics=list(m.get("topics") or []), paper=m.get("paper"), kind=m.get("kind", "news"),
        authors=list(m.get("authors") or []), headline=seg.tokens.headline, body=seg.tokens.body)


def collection_stats(plan: Plan, base_url: str, options: dict) -> dict:
    n = len(plan.infos) or 1
    return {
        "tokenizer": TOKENIZER_VERSION, "docs": len(plan.infos), "base_url": base_url, "filters": options,
        "average": {"headline": sum(i.lengths[0] for i in plan.infos.values()) / n,
                    "body": sum(i.lengths[1] for i in plan.infos.values()) / n},
    }


def vocabulary(plan: Plan, manifest: Manifest, cache: ContentCache, segmentation: Segmentation) -> tuple[Counter, Counter]:
    """Word and character counts of the archive: when everything was read,
    what segmenting counted; else the last build's counts, minus what changed
    or went, plus what came."""
    if plan.fresh or "vocabulary" not in manifest.data:
        return segmentation.words, segmentation.chars
    words, chars = Counter(manifest.data["vocabulary"]), Counter(manifest.data["chars"])
    for aid in plan.changed | plan.removed:
        old = manifest.articles.get(aid)
        if old:
            f = Facts.of(cache.get(old["digest"]))
            words.subtract(f.words)
            chars.subtract(f.chars)
    words.update(segmentation.words)
    chars.update(segmentation.chars)
    return +words, +chars


def write_index(plan: Plan, index_dir: Path, cache: ContentCache, stats: dict, words: Counter, jobs: int) -> Path:
    if plan.full_index or not Path(index_dir).exists():
        docs = (index_doc(plan.infos[aid], Segmented.from_plain(cache.get(plan.infos[aid].digest)))
                for aid in progress(plan.order, desc="index", unit="article"))
        return whoosh_index.write_index(index_dir, docs, stats, dict(sorted(words.items())), procs=jobs)
    changed = [index_doc(plan.infos[aid], Segmented.from_plain(cache.get(plan.infos[aid].digest)))
               for aid in sorted(plan.changed)]
    return whoosh_index.update_index(index_dir, changed, sorted(plan.removed), stats, dict(sorted(words.items())))


# -- export ----------------------------------------------------------------------

_WORKER_CACHE: dict = {}
_VOCABULARY: dict = {}       # set in the parent before the finishing workers are forked
EXPORT_PARTS = 8             # the documents are cut into this many runs, each a worker task


def _worker_cache(folder: str, version: str) -> ContentCache:
    """The content cache, opened once per worker process."""
    if (folder, version) not in _WORKER_CACHE:
        _WORKER_CACHE[(folder, version)] = ContentCache(Path(folder), version)
    return _WORKER_CACHE[(folder, version)]


def _close_worker_caches() -> None:
    """(When the work was done in this process.)"""
    for cache in _WORKER_CACHE.values():
        cache.close()
    _WORKER_CACHE.clear()


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


# -- render ----------------------------------------------------------------------

_RENDERER: dict = {}


def _render_one(args) -> SiteFile:
    """Render one page into the staged site (in a worker, which reads the
    article's HTML from the cache itself)."""
    site, base_url, page, cache_key = args
    if base_url not in _RENDERER:
        _RENDERER[base_url] = render.Renderer(base_url)
    html = None
    if "content" in page.context:
        html = Segmented.from_plain(_worker_cache(*cache_key).get(page.context["content"])).html
    return site.write(page.path, _RENDERER[base_url].render(page, html))


def card_key(meta: dict, summary: str) -> tuple:
    """What other pages show of an article (lists, neighbours, related, feeds)."""
    return (meta.get("title"), meta.get("kicker"), meta.get("subtitle"), meta.get("date"), meta.get("paper"),
            meta.get("page"), tuple(meta.get("counties") or ()), tuple(meta.get("topics") or ()),
            meta.get("kind"), summary)


def render_pages(plan: Plan, site: "StagedSite", base_url: str, manifest: Manifest, cache: ContentCache, fresh: bool,
                 pool: Workers) -> tuple[list[SiteFile], dict[str, str], list[str]]:
    """Write the pages whose content changed and the files besides them;
    returns (what was written, every page's digest, paths that are gone)."""
    model = render.SiteModel([plan.infos[aid] for aid in sorted(plan.infos)])
    own_pages_only = not fresh and not plan.removed and not plan.repair and all(
        aid in manifest.articles
        and card_key(manifest.articles[aid]["meta"], manifest.articles[aid]["summary"])
        == card_key(plan.infos[aid].meta, plan.infos[aid].summary)
        for aid in plan.changed)
    if own_pages_only:
        # only the text changed: no other page shows it, so only the articles' own pages change
        pages = [render.article_page(model, plan.infos[aid]) for aid in sorted(plan.changed)]
        digests = dict(manifest.pages)
    else:
        pages = render.site_pages(model)
        digests = {}
    digests.update({page.path: render.page_digest(page) for page in pages})
    tasks = [(site, base_url, page, (cache.path, cache.version)) for page in pages
             if fresh or page.path in plan.repair or manifest.pages.get(page.path) != digests[page.path]]
    written = list(pool.map(_render_one, tasks, "render", "page", chunksize=32))
    if not own_pages_only:
        fixed = render.fixed_files(model, render.Renderer(base_url), sorted(digests))
        written += [site.write(rel, data) for rel, data in fixed.items()]
    gone = sorted(set(manifest.pages) - set(digests)) if not fresh else []
    return written, digests, gone


# -- the staged site -----------------------------------------------------------------

class SiteFile(NamedTuple):
    path: str           # relative to the site root
    digest: str
    size: int
    written: bool       # False: the file was already there with these bytes
    mtime: int          # its modification time (ns), by which the next build sees whether it is still as written


@dataclass(frozen=True)
class StagedSite:
    """The new site's folder while it is built: to begin with, the old site's
    files as hard links (which cost no copying); a file is replaced only when
    its bytes change. Small enough to hand to the workers, which write into it."""

    root: Path

    @classmethod
    def begin(cls, out_dir: Path, fresh: bool) -> "StagedSite":
        with staging(Path(out_dir), linked=not fresh) as new:
            return cls(new)

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def write(self, rel: str, data: str | bytes) -> SiteFile:
        data = data.encode("utf-8") if isinstance(data, str) else data
        target = self.root / rel
        try:
            st = target.stat()
            if st.st_size == len(data) and target.read_bytes() == data:
                return SiteFile(rel, file_digest(data), len(data), False, st.st_mtime_ns)
            target.unlink()     # a hard link to the old site's file: never write through it
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return SiteFile(rel, file_digest(data), len(data), True, target.stat().st_mtime_ns)

    def remove(self, rels: list[str]) -> None:
        for rel in rels:
            (self.root / rel).unlink(missing_ok=True)


# -- the build -------------------------------------------------------------------

def megabytes(size: int) -> str:
    """A size for people: "0.2 MB", "37 MB"."""
    return f"{size / 1e6:.1f} MB" if size < 10**7 else f"{size / 1e6:.0f} MB"


def build(articles_dir: Path, out_dir: Path, index_dir: Path, base_url: str = "/", jobs: int | None = None,
          wait: bool = True, full: bool = False) -> int:
    articles_dir, out_dir, index_dir = Path(articles_dir), Path(out_dir), Path(index_dir)
    check_separate(articles_dir, out_dir, index_dir)
    try:
        refuse_foreign(out_dir, index_dir)      # before any lock file is made beside them
        return _build(articles_dir, out_dir, index_dir, normalise_base_url(base_url), jobs or os.cpu_count() or 1,
                      wait, full)
    except OSError as error:     # a full disk, a folder that may not be written: one line, not a traceback
        raise ArchiveError(error.filename or out_dir, f"{error.strerror or error}; the index and site are as "
                                                      f"they were") from None


def _build(articles_dir: Path, out_dir: Path, index_dir: Path, base_url: str, jobs: int, wait: bool,
           full: bool) -> int:
    started = time.perf_counter()
    folder = state_dir(index_dir)
    # the lock of every folder this build writes, and of any a stopped build's publish left half done
    with BuildLock([out_dir, index_dir, *journal_targets(folder)], wait=wait):
        settled = settle(folder)
        if settled:
            print(settled, file=sys.stderr)
        remove_leftovers(out_dir, index_dir, folder)
        with Workers(jobs, warm=True, few=not full and Manifest.exists(folder) and out_dir.exists()
                     and index_dir.exists()) as pool:
            settings = settings_digest(base_url, out_dir, index_dir)
            manifest = Manifest.load(folder)
            sources = scan(articles_dir, manifest.articles if manifest.settings == settings else None)
            fresh = full or manifest.settings != settings or not outputs_agree(manifest, out_dir, index_dir)
            repair = Repair() if fresh else check_outputs(manifest, out_dir, index_dir)
            if fresh:
                manifest = Manifest()
            elif not repair and {s.id: s.digest for s in sources} == {aid: a["digest"]
                                                                       for aid, a in manifest.articles.items()}:
                pool.cancel()
                if repair.retimed:
                    manifest.save(folder)       # files touched but not changed: their new times noted
                print(f"nothing changed: {len(sources)} articles, site {out_dir}/ and index {index_dir}/ "
                      f"are up to date")
                return 0
            cache = ContentCache(folder, f"{tokenizer_fingerprint()}:{__version__}")
            if not fresh and not cache.has_all(a["digest"] for a in manifest.articles.values()):
                fresh, manifest, repair = True, Manifest(), Repair()    # the cache was deleted: segment anew
            try:
                staged = run_stages(sources, articles_dir, out_dir, index_dir, base_url, manifest, cache, fresh,
                                    pool, repair)
                publish_staged(staged, out_dir, index_dir, manifest, settings, folder, cache)
            finally:
                cache.close()
    plan = staged.plan
    what = "from nothing" if fresh else f"{len(plan.changed)} changed, {len(plan.removed)} removed"
    size = sum(manifest.data["sizes"].values())
    print(f"built {len(sources)} articles ({what}{repair.said()}; {staged.segmented} segmented, "
          f"{sum(f.written for f in staged.files)} files written): index {index_dir}/, "
          f"site {out_dir}/ ({megabytes(size)}) in {time.perf_counter() - started:.1f} s")
    if size > GITHUB_PAGES_LIMIT:
        print(f"warning: the site is {size / 1e9:.2f} GB; GitHub Pages publishes sites of at most 1 GB",
              file=sys.stderr)
    return 0


def journal_targets(folder: Path) -> list[Path]:
    from quzhou_archive.pipeline.publish import read_journal

    journal = read_journal(folder)
    return [step.target for step in journal[1]] if journal else []


def check_separate(articles_dir: Path, out_dir: Path, index_dir: Path) -> None:
    """The site and the index are replaced whole: neither may be, hold or lie
    in the articles or each other."""
    named = [("--articles", articles_dir.resolve()), ("--out", out_dir.resolve()), ("--index", index_dir.resolve())]
    for n, (a, path_a) in enumerate(named):
        for b, path_b in named[n + 1:]:
            if path_a == path_b or path_a in path_b.parents or path_b in path_a.parents:
                raise ArchiveError(path_b, f"{b} and {a} ({path_a}) must be separate folders, neither inside the "
                                           f"other: a build replaces the site and the index whole")


def refuse_foreign(out_dir: Path, index_dir: Path) -> None:
    """Never replace a folder of someone's files that a build did not write."""
    for folder, marks, option in ((out_dir, (STAMP_FILE, "search/meta.json"), "--out"),
                                  (index_dir, (whoosh_index.STATS_FILE, SITE_RECORD), "--index")):
        if not folder.exists():
            continue
        if not folder.is_dir():
            raise ArchiveError(folder, f"is a file, not a folder; give another {option}")
        if any((folder / mark).exists() for mark in marks) or whoosh_index.only_its_readme(folder) \
                or not any(folder.iterdir()):
            continue
        raise ArchiveError(folder, f"holds files no build wrote, and a build replaces the whole folder: give "
                                   f"another {option}, or empty it")


def outputs_agree(manifest: Manifest, out_dir: Path, index_dir: Path) -> bool:
    """Are the site and the index the ones the manifest describes? (Another
    build may have written either since, or someone replaced one.)"""
    return bool(manifest.stamp) and out_dir.is_dir() and index_dir.is_dir() \
        and site_stamp(out_dir) == manifest.stamp and site_record(index_dir).get("stamp") == manifest.stamp


@dataclass
class Repair:
    """What of the published outputs is no longer as the last build wrote it."""

    site: set[str] = field(default_factory=set)     # site files missing or changed
    index: bool = False                             # a file of the index missing or changed
    retimed: bool = False                           # files touched whose bytes are the same (their times noted)

    def __bool__(self) -> bool:
        return bool(self.site) or self.index

    def said(self) -> str:
        parts = [f"{len(self.site)} missing or changed file(s) of the site rewritten"] if self.site else []
        parts += ["the index rebuilt, a file of it was missing or changed"] if self.index else []
        return "".join(f"; {p}" for p in parts)


def unchanged(path: str, seen: list, digest: str | None) -> bool | None:
    """Is the file as it was? By size and time, and where only the time
    moved, by its bytes. None: it is not there."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if seen and [st.st_size, st.st_mtime_ns] == seen[:2]:
        return True
    if seen and st.st_size == seen[0] and digest is not None:
        with open(path, "rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() == digest:
                seen[1] = st.st_mtime_ns
                return True
    return False


def check_outputs(manifest: Manifest, out_dir: Path, index_dir: Path) -> Repair:
    """Every file the last build published, looked at: missing or changed
    ones are rewritten by this build."""
    repair = Repair()
    root = str(out_dir) + os.sep
    for rel, digest in manifest.files.items():
        seen = manifest.stats.get(rel)
        before = list(seen or [])
        if not unchanged(root + rel, seen, digest):
            repair.site.add(rel)
        repair.retimed |= bool(seen) and seen != before
    for name, seen in manifest.index_files.items():
        before = list(seen)
        if not unchanged(str(index_dir / name), seen, seen[2]):
            repair.index = True
        repair.retimed |= seen != before
    return repair


def index_file_stats(folder: Path, known: dict[str, list]) -> dict[str, list]:
    """Size, time and hash of every file of the (staged) index; a file the
    last build saw with this size and time keeps its hash (Whoosh writes a
    file once and never changes it)."""
    stats = {}
    for path in sorted(folder.iterdir()):
        if path.is_file():
            st = path.stat()
            seen = known.get(path.name)
            if seen and seen[:2] == [st.st_size, st.st_mtime_ns]:
                stats[path.name] = list(seen)
            else:
                stats[path.name] = [st.st_size, st.st_mtime_ns, file_digest(path.read_bytes())]
    return stats


@dataclass
class Staged:
    """A build's outputs, staged and ready to be swapped in."""

    plan: Plan
    index: Path
    site: Path
    files: list[SiteFile]       # every file this build produced
    gone: list[str]
    pages: dict[str, str]
    words: Counter
    chars: Counter
    segmented: int


def run_stages(sources, articles_dir, out_dir, index_dir, base_url, manifest, cache, fresh, pool,
               repair: Repair) -> Staged:
    """read -> segment -> index -> export -> render -> stage; nothing is published yet."""
    with timed("read"):
        plan = make_plan(sources, articles_dir, manifest, fresh)
    # what was damaged is written again: a page rendered, the browser index exported, the Whoosh index rebuilt
    plan.repair = repair.site
    plan.full_index |= repair.index
    plan.full_export |= any(rel.startswith("search/s/") for rel in repair.site)
    with timed("segment"):
        segmentation = segment(plan, cache, pool)
        plan.articles.clear()     # their text is in the cache now; a hundred thousand of them weigh gigabytes
        pool.cool_down()
        fill_facts(plan, segmentation)
        words, chars = vocabulary(plan, manifest, cache, segmentation)
    options = filter_values(plan)
    stats = collection_stats(plan, base_url, options)
    with timed("index"):
        staged_index = write_index(plan, index_dir, cache, stats, words, pool.jobs)
    try:
        site = StagedSite.begin(out_dir, fresh)
    except BaseException:
        remove_tree(staged_index)
        raise
    try:
        with timed("export"):
            written = export_shards(plan, site, manifest, cache, words, pool)
        shard_hashes = {**({} if plan.full_export else {p: h for p, h in manifest.files.items()
                                                        if p.startswith("search/s/")}),
                        **{f.path: f.digest for f in written}}
        with timed("render"):
            rendered, pages, gone = render_pages(plan, site, base_url, manifest, cache, fresh, pool)
        written += rendered
        small = search_small_files(plan, options, stats, chars, shard_hashes, manifest, state_dir(index_dir))
        written += [site.write(rel, data) for rel, data in small.items()]
        if plan.full_export and not fresh:
            gone += [p for p in manifest.files if p.startswith("search/s/") and p not in shard_hashes]
        site.remove(gone)
    except BaseException:
        remove_tree(site.root)
        remove_tree(staged_index)
        raise
    finally:
        _close_worker_caches()
    return Staged(plan, staged_index, site.root, written, gone, pages, words, chars, segmentation.done)


def publish_staged(staged: Staged, out_dir: Path, index_dir: Path, manifest: Manifest, settings: str, folder: Path,
            cache: ContentCache) -> None:
    """Stamp the staged index and site as one pair, record what they hold,
    and put them in place together (`publish.py`)."""
    try:
        files = {p: h for p, h in manifest.files.items() if p not in staged.gone}
        files.update({f.path: f.digest for f in staged.files})
        sizes = {p: n for p, n in manifest.data.get("sizes", {}).items() if p not in staged.gone}
        sizes.update({f.path: f.size for f in staged.files})
        stats = {p: s for p, s in manifest.stats.items() if p not in staged.gone}
        stats.update({f.path: [f.size, f.mtime] for f in staged.files})
        # the stamp: every file of the site; a build from nothing and a later one of the same articles agree
        stamp = file_digest("".join(f"{p}:{h}\n" for p, h in sorted(files.items()) if p != STAMP_FILE))
        mark = StagedSite(staged.site).write(STAMP_FILE, stamp + "\n")
        files[mark.path], sizes[mark.path], stats[mark.path] = mark.digest, mark.size, [mark.size, mark.mtime]
        atomic_write(staged.index / SITE_RECORD, json.dumps({"site": str(out_dir.resolve()), "stamp": stamp},
                                                            ensure_ascii=False))
        plan = staged.plan
        manifest.data.update({
            "settings": settings, "shards": export.shard_count(len(plan.order)), "order": plan.order,
            "articles": {aid: info.plain() for aid, info in plan.infos.items()},
            "pages": staged.pages, "files": files, "sizes": sizes, "stats": stats, "stamp": stamp,
            "index_files": index_file_stats(staged.index, manifest.index_files),
            "vocabulary": dict(staged.words), "chars": dict(staged.chars),
        })
        steps = [Step.of("index", staged.index, index_dir), Step.of("site", staged.site, out_dir)]
    except BaseException:
        remove_tree(staged.site)
        remove_tree(staged.index)
        raise
    put_in_place(steps, folder, marshal.dumps(manifest.data))
    cache.keep_only({i.digest for i in plan.infos.values()})


TIMINGS: dict[str, float] = {}


@contextmanager
def timed(stage: str):
    """Stage durations, printed when QZ_TIMINGS is set (as the benchmark does)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        TIMINGS[stage] = TIMINGS.get(stage, 0.0) + time.perf_counter() - started
        if os.environ.get("QZ_TIMINGS"):
            print(f"  {stage}: {TIMINGS[stage]:.1f} s", file=sys.stderr, flush=True)


def normalise_base_url(base_url: str) -> str:
    """'/REPO' or 'REPO/' -> '/REPO/'; '' -> '/'; a full URL keeps its scheme and
    host (https://owner.github.io/REPO -> https://owner.github.io/REPO/)."""
    base = base_url.strip()
    parts = urlsplit(base)
    if parts.scheme and parts.netloc:
        path = "/" + parts.path.strip("/")
        return f"{parts.scheme}://{parts.netloc}{path if path == '/' else path + '/'}"
    base = "/" + base.strip("/")
    return base if base == "/" else base + "/"
