"""The analyse stage: what each article file says, worked out once per
file and kept in the analysis cache (`state.AnalysisCache`) by the
file's digest. It makes, per article,

    meta      its frontmatter, checked (`articles.ArticleMeta`)
    content   its body as safe HTML, its text in parts, its summary
              (`analyse/content.py`)
    tokens    the folded streams and jieba words both indexes are made of
              (`analyse/segment.py`)
    figures   the economic figures its text reports (`analyse/figures.py`)
    figure_rows, record
              what it gives the downloads of the figures and of the
              articles (`exports/`)

and, for the build, each article's record (`state.ArticleRecord`: its
card and lengths) and the archive's vocabulary.

**Analysers.** Each is one object with a name, a version and a function
(`Analyser`), listed in ANALYSERS. A cached result is used only at its
analyser's version; an analyser that reads others' results (`needs`)
also records the digest of what it read (`inputs`), and is run again only
when that changes. So a new HTML rule that leaves the text as it was
re-renders the HTML of every article but segments none of them again, and
a new analyser — economic figures, say — is one class in one module,
added to ANALYSERS: this stage runs it once on every article that has no
result of its version, and later stages read its result by name
(`Analysis.get`). Nothing else keeps count of it.

**Work.** An article whose every result is cached at its analyser's
version costs nothing here. The others go to worker processes (with
enough of them; jieba is loaded there only when one of them needs
segmenting) in batches, a dozen or so for each worker: a worker reads
the files itself, puts the new results in the cache, counts the batch's
words and characters, and sends back only those counts and the few
facts this process keeps of each article (card, lengths): this process
never decodes what a worker read. Bad input is reported as it always
was: every fault, then the first raised, before anything is published.
"""
from __future__ import annotations

import functools
import importlib.metadata
import marshal
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np

from quzhou_archive import articles as store
from quzhou_archive.analyse.segment import DocTokens, field_length, tokenize, tokenizer_fingerprint
from quzhou_archive.articles import ArticleMeta
from quzhou_archive.errors import ArchiveError
from quzhou_archive.pipeline.state import AnalysisCache, ArticleRecord, code_digest, digest_of
from quzhou_archive.pipeline.timing import note, timed
from quzhou_archive.pipeline.analysekit import AnalyseKit, analyse_kit
from quzhou_archive.pipeline.workers import Workers
from quzhou_archive.site.model import Card

SUMMARY_CHARS = 100


# -- analysers ---------------------------------------------------------------------

class Analyser:
    """One kind of analysis of an article. Subclasses set `name` (its
    results' name in the cache and in `Analysis`) and `needs` (the analysers
    whose results it reads, listed before it in ANALYSERS), and define
    `version` and `analyse`; `encode`/`decode` turn a result into the plain
    data the cache keeps and back."""

    name = ""
    needs: tuple[str, ...] = ()
    uses_jieba = False          # a worker that will run it loads jieba first
    summarised = False          # its `summary` is kept in the article's record (`ArticleRecord.summaries`)

    def version(self) -> str:
        """What its results depend on besides the article: its code, the data
        and libraries it uses. A new version means new results."""
        raise NotImplementedError

    def inputs(self, earlier: dict) -> str:
        """The digest of what it reads of the earlier analysers' results
        ('' when it reads only the article)."""
        return ""

    def inputs_from(self, earlier: dict, plain: dict) -> str:
        """`inputs`, given the earlier results also as the cache holds them
        (`encode`d), where its digest is taken of those."""
        return self.inputs(earlier)

    def analyse(self, article: store.Article, earlier: dict):
        raise NotImplementedError

    def encode(self, result):
        return result

    def decode(self, plain):
        return plain

    def summary(self, result) -> str:
        """A digest of the result, kept in the manifest, for a stage that
        decides from every article's whether anything it shows changed
        without reading every result from the cache (`summarised`)."""
        raise NotImplementedError


class MetaAnalyser(Analyser):
    name = "meta"

    def version(self) -> str:
        return _code(store.__file__)

    def analyse(self, article, earlier) -> ArticleMeta:
        return article.metadata

    def encode(self, result: ArticleMeta):
        return result.to_plain()

    def decode(self, plain) -> ArticleMeta:
        return ArticleMeta.from_plain(plain)


@dataclass
class Content:
    """An article's body as its page shows it and as search reads it."""

    html: str
    body_parts: list[str]       # paragraphs, headings, captions, credits: each a part of its own
    summary: str                # its first characters, for lists and descriptions

    @property
    def body_text(self) -> str:
        return "\n".join(self.body_parts)


class ContentAnalyser(Analyser):
    name = "content"

    def version(self) -> str:
        from quzhou_archive.analyse import content

        return _code(store.__file__, content.__file__) + ":" + ":".join(
            importlib.metadata.version(p) for p in ("markdown", "nh3"))

    def analyse(self, article, earlier) -> Content:
        from quzhou_archive.analyse.content import render_content     # (Markdown: loaded where articles are read)

        rendered = render_content(article)
        return Content(rendered.html, rendered.blocks + rendered.captions + rendered.people,
                       "".join(rendered.blocks)[:SUMMARY_CHARS])

    def encode(self, result: Content):
        return (result.html, result.body_parts, result.summary)

    def decode(self, plain) -> Content:
        return Content(*plain)


class TokensAnalyser(Analyser):
    name = "tokens"
    needs = ("meta", "content")
    uses_jieba = True

    def version(self) -> str:
        return f"{tokenizer_fingerprint()}/{DocTokens.PLAIN_FORMAT}"

    def inputs(self, earlier) -> str:
        return digest_of(earlier["meta"].headline_parts, earlier["content"].body_parts)

    def analyse(self, article, earlier) -> DocTokens:
        return tokenize(earlier["meta"].headline_parts, earlier["content"].body_parts)

    def encode(self, result: DocTokens):
        return result.to_plain()

    def decode(self, plain) -> DocTokens:
        return DocTokens.from_plain(plain)


class FiguresAnalyser(Analyser):
    name = "figures"
    needs = ("meta",)

    def version(self) -> str:
        from quzhou_archive.analyse import figures

        return _code(*figures.version_files())

    def inputs(self, earlier) -> str:
        meta = earlier["meta"]
        return digest_of(meta.date, meta.counties, meta.headline_parts)

    def analyse(self, article, earlier) -> list:
        from quzhou_archive.analyse import figures

        return figures.extract(store.text_paragraphs(article.body), figures.context_of(earlier["meta"]))

    def encode(self, result: list):
        return [figure.to_plain() for figure in result]

    def decode(self, plain) -> list:
        from quzhou_archive.analyse.figures import Figure

        return [Figure.from_plain(p) for p in plain]


class FigureRowsAnalyser(Analyser):
    """The article's figures as the 数据 section and the downloads' rows
    show them but for its ID and URL, which are its path's
    (`exports/figures.article_rows`): so that the section is made, and
    `data/figures.json` and `.csv` joined, from the cache alone."""

    name = "figure_rows"
    needs = ("meta", "figures")
    summarised = True

    def version(self) -> str:
        from quzhou_archive import exports
        from quzhou_archive.exports import figures as export

        return _code(exports.__file__, export.__file__)

    def inputs(self, earlier) -> str:
        return self.inputs_from(earlier, {"figures": FiguresAnalyser().encode(earlier["figures"])})

    def inputs_from(self, earlier, plain) -> str:
        meta = earlier["meta"]
        return digest_of(meta.title, meta.date, meta.paper, meta.page, plain["figures"])

    def analyse(self, article, earlier) -> list:
        from quzhou_archive.exports import figures as export

        return export.article_rows(earlier["meta"], earlier["figures"])

    def encode(self, result):
        from quzhou_archive.exports import figures as export

        return export.packed(result)

    def decode(self, plain):
        from quzhou_archive.exports import figures as export

        return export.unpacked(plain)

    def summary(self, result) -> str:
        return result[0]        # the digest of all the section and the downloads show of the article


class RecordAnalyser(Analyser):
    """The article as the open-data downloads hold it (`exports/articles.py`):
    its frontmatter and text, as JSON and as CSV cells, so that those
    downloads are joined from the cache and not made from every article file."""

    name = "record"

    def version(self) -> str:
        from quzhou_archive.exports import articles

        return _code(store.__file__, articles.__file__)

    def analyse(self, article, earlier) -> tuple[str, str | None]:
        from quzhou_archive.exports import articles

        return articles.record_parts(article.meta, article.body)


ANALYSERS: tuple[Analyser, ...] = (MetaAnalyser(), ContentAnalyser(), TokensAnalyser(), FiguresAnalyser(),
                                   FigureRowsAnalyser(), RecordAnalyser())


@functools.lru_cache(maxsize=None)
def _code(*files: str) -> str:
    return code_digest(*map(Path, files))


def by_name() -> dict[str, Analyser]:
    return {a.name: a for a in ANALYSERS}


def own_versions() -> dict[str, str]:
    """Each analyser's own version: what a cached result must have been made
    by to be used (with, for an analyser that reads others, the same inputs)."""
    return {a.name: a.version() for a in ANALYSERS}


def result_versions(own: dict[str, str]) -> dict[str, str]:
    """Each analyser's version with the versions of those it reads: what its
    results, as a later stage sees them, depend on."""
    versions: dict[str, str] = {}
    for analyser in ANALYSERS:
        versions[analyser.name] = digest_of(own[analyser.name], [versions[n] for n in analyser.needs])[:16]
    return versions


class Analysis:
    """What the analysers made of one article file, decoded when asked for."""

    def __init__(self, values: dict[str, bytes]):
        self._values = values
        self._decoded: dict[str, object] = {}

    def get(self, name: str):
        if name not in self._decoded:
            self._decoded[name] = by_name()[name].decode(marshal.loads(self._values[name]))
        return self._decoded[name]

    @property
    def meta(self) -> ArticleMeta:
        return self.get("meta")

    @property
    def content(self) -> Content:
        return self.get("content")

    @property
    def tokens(self) -> DocTokens:
        return self.get("tokens")

    @property
    def figures(self) -> list:
        return self.get("figures")


def token_streams(value: bytes) -> tuple[list[str], list[str]]:
    """The folded streams of a cached `tokens` result (its headline and
    body), without making its words a dictionary (they are kept as one
    string and an array of counts: `DocTokens.to_plain`)."""
    headline, body = marshal.loads(value)[:2]
    return headline, body


def read(cache: AnalysisCache, digest: str, *names: str) -> Analysis:
    """Some analysers' results for one article file (all of them: no names)."""
    values = cache.values(digest, names or [a.name for a in ANALYSERS])
    missing = set(names) - set(values)
    if missing:
        raise ArchiveError(Path(cache.path) / "cache.db", f"holds no {', '.join(sorted(missing))} of an article "
                                                          f"({digest[:12]}): build again with --full")
    return Analysis(values)


# -- one article ----------------------------------------------------------------------

@dataclass
class Analysed:
    """What analysing one article file gave: the cache's new rows (already
    marshalled) and what the build keeps of the article."""

    id: str
    digest: str
    rows: list[tuple]           # (digest, name, version, inputs, marshalled result)
    card: Card
    lengths: tuple[int, int]
    summaries: dict[str, str]
    words: Iterable[str]        # its words, each as often as it occurs: the batch counts them
    text: str                   # its streams, whose characters the batch counts
    ran: tuple[str, ...]        # the analysers that had to run


def analyse_file(kit: AnalyseKit, task: tuple[str, str, str, bool]) -> Analysed | ArchiveError:
    """Read one article file and run the analysers whose results for it are
    not cached (in a worker); reuse the others'. `task`: the file's path,
    ID and digest, and whether the cache may hold any result for it."""
    path, article_id, digest, may_be_cached = task
    try:
        article = store.read_article(Path(kit.articles_dir), Path(path), article_id)
    except ArchiveError as error:
        return error
    cached = kit.cache.rows(digest) if may_be_cached else {}
    earlier: dict[str, object] = {}
    plain: dict[str, object] = {}       # the same results, encoded
    rows, ran = [], []
    for analyser in ANALYSERS:
        version = kit.versions[analyser.name]
        inputs = analyser.inputs_from(earlier, plain)
        if cached.get(analyser.name) == (version, inputs):
            plain[analyser.name] = marshal.loads(kit.cache.values(digest, [analyser.name])[analyser.name])
            earlier[analyser.name] = analyser.decode(plain[analyser.name])
            continue
        started = time.process_time()
        result = analyser.analyse(article, earlier)
        kit.cpu[analyser.name] += time.process_time() - started
        earlier[analyser.name] = result
        plain[analyser.name] = analyser.encode(result)
        rows.append((digest, analyser.name, version, inputs, marshal.dumps(plain[analyser.name])))
        ran.append(analyser.name)
    return facts_of(article_id, digest, earlier, rows, tuple(ran))


def facts_of(article_id: str, digest: str, results: dict, rows: list, ran: tuple) -> Analysed:
    tokens: DocTokens = results["tokens"]
    card = Card.of(results["meta"], results["content"].summary)
    summaries = {a.name: a.summary(results[a.name]) for a in ANALYSERS if a.summarised}
    return Analysed(article_id, digest, rows, card, (field_length(tokens.headline), field_length(tokens.body)),
                    summaries, tokens.occurrences, "".join(tokens.headline + tokens.body), ran)


# -- the stage -----------------------------------------------------------------------

@dataclass
class Vocabulary:
    """The archive's words and characters, counted over every article."""

    words: Counter = field(default_factory=Counter)
    chars: CharCounts = field(default_factory=lambda: CharCounts())


class CharCounts:
    """How often each character occurs, by code point: counted by numpy a
    batch of articles at a time (a Counter of a Chinese text makes an object
    of every character), and added up in one array."""

    def __init__(self):
        self.counts = np.zeros(sys.maxunicode + 1, dtype=np.int64)

    @staticmethod
    def of_text(text: str) -> tuple[np.ndarray, np.ndarray]:
        """The code points of `text` and how often each occurs."""
        return np.unique(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), return_counts=True)

    @classmethod
    def of(cls, counts: dict[str, int]) -> "CharCounts":
        made = cls()
        made.counts[[ord(ch) for ch in counts]] = list(counts.values())
        return made

    def add(self, codes: np.ndarray, counts: np.ndarray, sign: int = 1) -> None:
        self.counts[codes] += sign * counts

    def counter(self) -> Counter:
        """The characters that occur (a count above nought)."""
        codes = np.flatnonzero(self.counts > 0)
        return Counter(dict(zip(map(chr, codes.tolist()), self.counts[codes].tolist())))


def run(ctx) -> None:
    """Analyse what needs it; fill in every article's record and the vocabulary."""
    with timed("analyse"):
        stale = stale_results(ctx)
        recount = ctx.fresh or not counts_can_be_updated(ctx)
        todo = [s for s in ctx.sources if recount or s.id in ctx.plan.changed or stale.get(s.digest)]
        every = frozenset(ctx.versions.analysers)
        uncached = {s.digest for s in todo if stale.get(s.digest) == every}     # no result of theirs is cached
        vocabulary = Vocabulary() if recount else previous_vocabulary(ctx)
        ctx.last_tokens_kept = not recount
        jieba = any(stale.get(s.digest, ALL) & SEGMENTING for s in todo)
        errors = analyse_all(ctx, todo, uncached, vocabulary, jieba)
        report_errors(errors)
        ctx.words, ctx.chars = +vocabulary.words, vocabulary.chars.counter()
        ctx.collection = Collection.of(ctx.records)


@dataclass
class Collection:
    """What the archive as a whole holds, as both indexes describe it."""

    options: dict           # the values of each filter: counties, topics, papers, kinds, years
    averages: dict          # the average headline and body length

    @classmethod
    def of(cls, records: dict[str, ArticleRecord]) -> "Collection":
        from quzhou_archive.analyse import topics
        from quzhou_archive.gazetteer import load as load_gazetteer
        from quzhou_archive.search.browser_index import filter_options

        g = load_gazetteer()
        cards = [Card._make(r.card) for r in records.values()]
        options = filter_options(cards, topics.load(), [g.city.name] + [c.name for c in g.counties])
        n = len(records) or 1
        return cls(options, {"headline": sum(r.lengths[0] for r in records.values()) / n,
                             "body": sum(r.lengths[1] for r in records.values()) / n})


ALL = frozenset(a.name for a in ANALYSERS)
# the results whose change may mean segmenting again: the tokens, and what they are made from
SEGMENTING = frozenset(name for a in ANALYSERS if a.uses_jieba for name in (a.name, *a.needs))


def stale_results(ctx) -> dict[str, frozenset[str]]:
    """Per file digest of the archive, the analysers whose result is not in
    the cache at their current version (an analyser is new or changed, the
    file is new, or the cache was deleted); files with none are left out.
    While the cache is as the last build left it, only the files that
    build did not have are asked about; else the cache is read whole once."""
    versions = ctx.versions.analysers
    every = frozenset(versions)
    if cache_as_last_left(ctx):
        had = {r.digest for r in ctx.last.articles.values()}
        current = {s.digest: {name for name, (version, _) in ctx.cache.rows(s.digest).items()
                              if versions.get(name) == version}
                   for s in ctx.sources if s.digest not in had}
        sources = [s for s in ctx.sources if s.digest not in had]
    else:
        current, sources = ctx.cache.current(versions), ctx.sources
    stale = {}
    for source in sources:
        names = every.difference(current.get(source.digest, ()))
        if names:
            stale[source.digest] = names
    return stale


def cache_as_last_left(ctx) -> bool:
    """The cache holds every result the last build's articles had, at the
    analysers' versions of now: that build cleared it last, and no
    analyser changed since."""
    return not ctx.last.empty and ctx.cache.stamp() == ctx.last.stamp \
        and ctx.last.versions.get("analysers") == ctx.versions.analysers


def counts_can_be_updated(ctx) -> bool:
    """The last build's counts can be corrected for what changed when the
    tokens it counted are still in the cache."""
    if ctx.last.versions.get("results", {}).get("tokens") != ctx.versions.results["tokens"]:
        return False
    gone = {ctx.last.articles[aid].digest for aid in ctx.plan.changed | ctx.plan.removed if aid in ctx.last.articles}
    version = ctx.versions.analysers["tokens"]
    return all(ctx.cache.rows(d).get("tokens", (None,))[0] == version for d in gone)


def previous_vocabulary(ctx) -> Vocabulary:
    """The last build's counts, less the articles that changed or went."""
    words, chars = Counter(ctx.last.words), CharCounts.of(ctx.last.chars)
    for aid in ctx.plan.changed | ctx.plan.removed:
        old = ctx.last.articles.get(aid)
        if old:
            tokens = read(ctx.cache, old.digest, "tokens").tokens
            words.subtract(tokens.words)
            chars.add(*CharCounts.of_text("".join(tokens.headline + tokens.body)), sign=-1)
    return Vocabulary(words, chars)


# Article files go to the workers in batches: a worker caches a batch's
# results and counts its words itself, and this process adds up the batches'
# counts. Each worker is given about BATCHES_PER_WORKER of them: enough that
# both end nearly together, few enough that adding up the counts (a batch of
# a few hundred articles has thousands of distinct words) costs little.
BATCHES_PER_WORKER = 12
MIN_BATCH, MAX_BATCH = 16, 512


def batch_size(files: int, jobs: int) -> int:
    return max(MIN_BATCH, min(MAX_BATCH, -(-files // (jobs * BATCHES_PER_WORKER))))


@dataclass
class Batch:
    """What analysing a few article files gave: what the build keeps of
    each, their words and characters counted together, their faults."""

    analysed: list[Analysed]
    words: Counter
    chars: tuple            # `CharCounts.of_text`: code points and their counts
    errors: list[ArchiveError]
    cpu: Counter = field(default_factory=Counter)      # CPU seconds each analyser took


def analyse_batch(kit: AnalyseKit, tasks: list[tuple[str, str, str, bool]]) -> Batch:
    """Analyse a few files (in a worker), put the new results in the cache
    and count the words there: the build's process only adds up batches."""
    batch = Batch([], Counter(), (), [])
    rows, words, texts = [], [], []
    for task in tasks:
        result = analyse_file(kit, task)
        if isinstance(result, ArchiveError):
            batch.errors.append(result)
            continue
        words.append(result.words)
        texts.append(result.text)
        rows += result.rows
        result.rows, result.words, result.text = [], (), ""     # not sent back: counted and cached here
        batch.analysed.append(result)
    batch.words = Counter(chain.from_iterable(words))     # counted by C, a word at a time
    batch.chars = CharCounts.of_text("".join(texts))
    kit.cache.put_many(rows)
    batch.cpu, kit.cpu = kit.cpu, Counter()
    return batch


def analyse_all(ctx, todo: list, uncached: set[str], vocabulary: Vocabulary, jieba: bool) -> list[ArchiveError]:
    """Analyse `todo` (in workers when there are many, which load jieba
    first if some of it will be segmented), caching what is new; their
    records are filled in. The cache holds no result of the files `uncached`."""
    tasks = [(str(s.path), s.id, s.digest, s.digest not in uncached) for s in todo]
    size = batch_size(len(tasks), ctx.jobs)
    batches = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    by_id = {s.id: s for s in todo}
    if ctx.analysing is not None:       # begun early (`begin`)
        pool, ctx.analysing = ctx.analysing, None
        kit = pool.kit
    else:
        kit = analyse_kit(ctx, jieba)
        pool = Workers(ctx.jobs, kit)
    errors, cpu = [], Counter()
    with pool:
        for batch in pool.map(analyse_batch, batches, "analyse", "batch", chunksize=1, size=len(tasks)):
            errors += batch.errors
            cpu.update(batch.cpu)
            vocabulary.words.update(batch.words)
            vocabulary.chars.add(*batch.chars)
            for result in batch.analysed:
                source = by_id[result.id]
                ctx.records[result.id] = ArticleRecord(result.digest, source.size, source.mtime, tuple(result.card),
                                                       result.lengths, result.summaries)
                ctx.segmented += "tokens" in result.ran
    kit.close()
    for name in sorted(cpu):
        note(f"analyse: {name} (CPU)", cpu[name])
    return errors


def report_errors(errors: list[ArchiveError]) -> None:
    for error in errors[1:]:
        print(error, file=sys.stderr)
    if errors:
        raise errors[0]
