"""The Whoosh index (`search_index/`): what the command-line search reads.

Fields: id, title/subtitle/kicker/body/url (stored for display and
snippets), date, year, counties, topics, paper, kind, authors (filters),
field lengths, and the tokens of `segment.py`: the folded streams of the
headline and the body (stored) and `chars`, the article's less common
characters (those not among the 800 most frequent, `data/common_chars.txt`).

A query picks candidates with `chars` (an article holding 珏芯 must hold 珏)
and counts each clause in the candidates' streams, occurrences overlapping
as positions would; the browser index holds the same streams as positioned
bigrams, so both count alike. A clause of common characters only reads
every article's streams — about half a second for ten thousand articles,
in exchange for an index Whoosh builds in seconds.

A build from nothing writes a new index of segments, each one a run of
articles written by the process that read them (`write_segment`, through
Whoosh's codec: `whoosh_segment.py`), and lists them in its table of
contents unmerged (`write_index`); later builds update, add and delete
single articles with Whoosh's writer, or, when none of them changed, only
link its files into the copy (`relink`). Either way the work
happens in a copy that replaces the index only when complete.

`Searcher` answers queries with the ranking of `rank.py`.
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, LockError, clean_files, create_in, exists_in, open_dir
from whoosh.query import And, Every, NumericRange, Term

from quzhou_archive.search import rank, whoosh_segment
from quzhou_archive.errors import ArchiveError
from quzhou_archive.fsutil import atomic_write, file_mode, staging
from quzhou_archive.pipeline.publish import index_to_read, mismatch
from quzhou_archive.pipeline.state import state_dir
from quzhou_archive.analyse.segment import TOKENIZER_VERSION
from quzhou_archive.textnorm import search_fold

STATS_FILE = "archive_stats.json"
INDEX_NAME = "MAIN"         # Whoosh's default: what open_dir reads
INDEX_README = """# search_index/

The Whoosh index of the archive, written by `python build_site.py build` and
read by `python build_site.py search`. It is rebuilt from `articles/`, so
only this note is kept in the repository.
"""


def only_its_readme(folder: Path) -> bool:
    """A folder holding nothing but this note (as the repository keeps `search_index/`)."""
    items = list(Path(folder).iterdir())
    return len(items) == 1 and items[0].name == "README.md" and items[0].read_text(encoding="utf-8") == INDEX_README


@functools.lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    text = resources.files("quzhou_archive.data").joinpath("common_chars.txt").read_text(encoding="utf-8")
    # as the streams hold them: folded for search
    return frozenset(search_fold("".join(line for line in text.splitlines() if not line.startswith("#"))))


def rare_chars(streams: list[str]) -> list[str]:
    return sorted(set("".join(streams)) - common_chars() - {" "})


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        title=STORED, subtitle=STORED, kicker=STORED, body=STORED, url=STORED,
        date=ID(stored=True),
        datekey=NUMERIC(stored=True, sortable=True, bits=32),
        year=NUMERIC(stored=True),
        counties=KEYWORD(stored=True, commas=True),
        topics=KEYWORD(stored=True, commas=True),
        paper=ID(stored=True),
        kind=ID(stored=True),
        authors=KEYWORD(stored=True, commas=True),
        hlen=NUMERIC(stored=True, sortable=True),
        blen=NUMERIC(stored=True, sortable=True),
        streams=STORED,
        chars=KEYWORD(lowercase=False, scorable=False),
    )


@dataclass
class IndexDoc:
    """One article as the Whoosh index receives it."""

    id: str
    url: str
    title: str
    subtitle: str | None
    kicker: str | None
    body_text: str
    date: str | None
    counties: list[str]
    topics: list[str]
    paper: str | None
    kind: str
    authors: list[str]
    headline: list[str]     # folded streams (segment.DocTokens)
    body: list[str]

    def whoosh_fields(self) -> dict:
        """Every field, as Whoosh's writer takes them."""
        return {**self.fields_but_chars(), "chars": " ".join(rare_chars(self.headline + self.body))}

    def fields_but_chars(self) -> dict:
        return {
            "id": self.id, "url": self.url,
            "title": self.title, "subtitle": self.subtitle or "", "kicker": self.kicker or "",
            "body": self.body_text,
            "date": self.date or "", "datekey": rank.date_key(self.date),
            "year": int(self.date[:4]) if self.date else 0,
            "counties": ",".join(self.counties), "topics": ",".join(self.topics),
            "paper": self.paper or "", "kind": self.kind, "authors": ",".join(self.authors),
            "hlen": sum(map(len, self.headline)), "blen": sum(map(len, self.body)),
            # parts joined by a line break, which no clause holds: nothing matches across parts
            "streams": ("\n".join(self.headline), "\n".join(self.body)),
        }


def _finish(folder: Path, stats: dict, vocabulary: dict[str, int]) -> None:
    # replaced, not written into: in a hard-linked copy that would write into the published index
    atomic_write(folder / STATS_FILE, json.dumps({**stats, "vocabulary": vocabulary}, ensure_ascii=False,
                                                 separators=(",", ":")))
    atomic_write(folder / "README.md", INDEX_README)
    for path in folder.iterdir():       # Whoosh makes its lock file 0777 less the umask, as if a program
        if path.is_file() and path.stat().st_mode & 0o7777 != file_mode():
            path.chmod(file_mode())


def write_index(index_dir: Path, write_segments, stats: dict, vocabulary: dict[str, int]) -> Path:
    """A new index, in a staging folder; returns it. `write_segments(folder)`
    writes its segments into the folder (`write_segment`, in worker processes
    or not) and returns them in document order: the index is those segments,
    none merged."""
    with staging(Path(index_dir)) as new:
        ix = create_in(str(new), make_schema(), indexname=INDEX_NAME)
        lock = ix.lock("WRITELOCK")
        if not lock.acquire():
            raise LockError(f"{new}: the index being written is locked")
        try:
            segments = write_segments(new)
            # what Whoosh's writer does when it commits: the new table of contents, and what it no longer names removed
            generation = ix.latest_generation() + 1
            TOC(ix.schema, segments, generation).write(ix.storage, INDEX_NAME)
            clean_files(ix.storage, INDEX_NAME, generation, segments)
        finally:
            ix.storage.temp_storage(f"{INDEX_NAME}.tmp").destroy()     # the segment writers' scratch files
            lock.release()
        _finish(new, stats, vocabulary)
        return new


def write_segment(folder: Path, docs) -> object:
    """One segment of `docs` (IndexDocs) in the index `write_index` is
    writing at `folder`; returns it (`whoosh_segment.py`)."""
    schema = make_schema()
    if not whoosh_segment.covers(schema):
        return whoosh_segment.library_segment(folder, INDEX_NAME, (doc.whoosh_fields() for doc in docs))
    builder = whoosh_segment.SegmentBuilder(FileStorage(str(folder)), schema, INDEX_NAME, common_chars())
    for doc in docs:
        builder.add(doc.fields_but_chars(), doc.headline + doc.body)
    return builder.finish()


def update_index(index_dir: Path, changed, removed: list[str], stats: dict, vocabulary: dict[str, int]) -> Path:
    """A copy of the index with `changed` IndexDocs (re)written and `removed`
    IDs deleted, in a staging folder; returns it. Whoosh never rewrites a
    segment file, so the copy is made of hard links."""
    with staging(Path(index_dir), linked=True) as new:
        ix = open_dir(str(new))
        writer = ix.writer(limitmb=64)
        for article_id in removed:
            writer.delete_by_term("id", article_id)
        for doc in changed:
            writer.update_document(**doc.whoosh_fields())
        writer.commit()
        _finish(new, stats, vocabulary)
        return new


def relink(index_dir: Path, stats: dict, vocabulary: dict[str, int]) -> Path:
    """A copy of the index (hard links: nothing is copied) with its
    statistics written anew, for a build that changed none of its documents."""
    with staging(Path(index_dir), linked=True) as new:
        _finish(new, stats, vocabulary)
        return new


# -- searching -----------------------------------------------------------------

def _identity(folder: Path):
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return st.st_dev, st.st_ino


@dataclass
class Hit:
    id: str
    title: str
    url: str
    date: str | None
    counties: list[str]
    score: float
    tier: int
    fields: dict


REBUILD = "rebuild it: python build_site.py build --full"


@contextlib.contextmanager
def reading(index_dir: Path):
    """Whoosh raises whatever its decoders meet in a damaged file (zlib.error,
    struct.error, KeyError, its own IndexError …); to the reader they are one
    thing, an index that cannot be read, said in one line naming the folder.
    The kind of error stays in the message, for whoever looks further."""
    try:
        yield
    except ArchiveError:
        raise
    except Exception as error:
        kind = type(error).__name__ if type(error).__module__ == "builtins" else \
            f"{type(error).__module__}.{type(error).__name__}"
        detail = f"{kind}: {error}".splitlines()[0][:200]
        raise ArchiveError(index_dir, f"the search index is damaged ({detail}); {REBUILD}") from error


def _read_stats(index_dir: Path) -> dict:
    try:
        stats = json.loads((index_dir / STATS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ArchiveError(index_dir / STATS_FILE, f"index statistics missing or damaged; {REBUILD}") from None
    if not isinstance(stats, dict) or stats.get("tokenizer") != TOKENIZER_VERSION:
        raise ArchiveError(index_dir, f"index was built by another version of the archive; {REBUILD}")
    if not (isinstance(stats.get("vocabulary"), dict) and isinstance(stats.get("docs"), int)
            and isinstance(stats.get("average"), dict)):
        raise ArchiveError(index_dir / STATS_FILE, f"index statistics incomplete; {REBUILD}")
    return stats


class Searcher:
    """Ranked search over a Whoosh index built by `write_index`."""

    def __init__(self, index_dir: Path, state: Path | None = None):
        index_dir = self.index_dir = Path(index_dir)
        for attempt in range(3):
            # the index that goes with the site (a build may be putting a new one in place)
            folder = index_to_read(index_dir, state or state_dir(index_dir))
            before = _identity(folder)
            try:
                self._open(folder, index_dir)
            except ArchiveError:
                if attempt < 2 and _identity(folder) != before:
                    continue
                raise
            if _identity(folder) == before or attempt == 2:
                break
            self.searcher.close()       # opened while it was being replaced: open the new one
        self.warning = mismatch(folder)
        if self.warning:
            print(f"warning: {index_dir}: {self.warning}", file=sys.stderr)
        self.vocabulary = self.stats["vocabulary"]
        self._stored: dict[int, dict] = {}

    def _open(self, folder: Path, shown: Path) -> None:
        with reading(shown):
            try:
                present = exists_in(str(folder))
            except OSError:          # a file, or a folder this user cannot read
                present = False
        if not present:
            raise ArchiveError(shown, "no search index here (run `python build_site.py build` first)")
        self.stats = _read_stats(folder)
        with reading(shown):
            self.ix = open_dir(str(folder))
            self.searcher = self.ix.searcher()
            self.reader = self.searcher.reader()
            self.columns = {name: self.reader.column_reader(name) for name in ("datekey", "hlen", "blen")}

    def close(self) -> None:
        self.searcher.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def occurrences(self, clause: str) -> dict[int, dict[str, int]]:
        """Whoosh docnum -> {field: times the clause occurs there (overlapping)}."""
        rare = [ch for ch in set(clause) if ch not in common_chars()]
        query = And([Term("chars", ch) for ch in sorted(rare)]) if rare else Every()
        overlapping = re.compile(f"(?={re.escape(clause)})")
        found: dict[int, dict[str, int]] = {}
        for doc in self.searcher.docs_for_query(query):
            headline, body = self.stored(doc)["streams"]
            counts = {name: len(overlapping.findall(text))
                      for name, text in zip(rank.FIELDS, (headline, body)) if clause in text}
            if counts:
                found[doc] = counts
        return found

    def stored(self, doc: int) -> dict:
        if doc not in self._stored:
            self._stored[doc] = self.searcher.stored_fields(doc)
        return self._stored[doc]

    def split(self, clause: str) -> list[str]:
        candidates: dict[int, list[tuple[str, int]]] = {}
        for i in range(len(clause) - 1):
            for j in range(i + 2, len(clause) + 1):
                count = self.vocabulary.get(clause[i:j])
                if count:
                    candidates.setdefault(i, []).append((clause[i:j], rank.word_cost(count)))
        return rank.split_words(clause, candidates, rank.CHAR_COST)

    def _allowed(self, filters: dict[str, str]) -> set[int] | None:
        if not filters:
            return None
        fields = {"county": "counties", "topic": "topics", "paper": "paper", "kind": "kind"}
        parts = []
        for key, value in filters.items():
            if key in fields:
                parts.append(Term(fields[key], value))
            else:  # year, date
                low, high = rank.date_range(value)
                parts.append(NumericRange("datekey", low, high))
        return set(self.searcher.docs_for_query(And(parts)))

    def search(self, text: str, limit: int | None = 10, sort: str = "relevance") -> tuple[rank.Query, list[Hit], int]:
        """(parsed query, the best `limit` hits, how many articles matched).
        `sort` is one of rank.SORTS: by relevance, or by date either way."""
        with reading(self.index_dir):
            return self._search(text, limit, sort)

    def _search(self, text: str, limit: int | None, sort: str = "relevance") -> tuple[rank.Query, list[Hit], int]:
        query = rank.parse_query(text)
        if query.empty and not query.filters:
            return query, [], 0
        filters = rank.resolve_filters(query.filters, self.stats.get("filters", {}))
        if filters is None:
            return query, [], 0
        allowed = self._allowed(filters)
        if query.empty:
            scored = self._browse(allowed, self._excluded(query))
            return query, self._hits(scored, limit, "newest" if sort == "relevance" else sort), len(scored)
        n_docs = self.stats["docs"]
        averages = self.stats["average"]
        exact = [self.occurrences(c) for c in query.clauses]
        words = [rank.tier2_words(self.split(c)) for c in query.clauses]
        word_hits = {w: self.occurrences(w) for ws in words for w in ws}
        excluded = self._excluded(query)
        candidates = set(exact[0])
        if words[0]:
            candidates |= set.intersection(*(set(word_hits[w]) for w in words[0]))
        scored = []
        for doc in candidates:
            if doc in excluded or (allowed is not None and doc not in allowed):
                continue
            lengths = {"headline": self.columns["hlen"][doc], "body": self.columns["blen"][doc]}
            tier, score = 1, 0.0
            for clause_hits, clause_words in zip(exact, words):
                if doc in clause_hits:
                    score += rank.clause_score(clause_hits[doc], lengths, averages, len(clause_hits), n_docs)
                elif clause_words and all(doc in word_hits[w] for w in clause_words):
                    tier = 2
                    score += rank.TIER2_FACTOR * sum(
                        rank.clause_score(word_hits[w][doc], lengths, averages, len(word_hits[w]), n_docs)
                        for w in clause_words)
                else:
                    break
            else:
                scored.append([tier, score, self.columns["datekey"][doc], doc])
        return query, self._hits(scored, limit, sort), len(scored)

    def _excluded(self, query: rank.Query) -> set[int]:
        excluded: set[int] = set()
        for clause in query.exclude:
            excluded.update(self.occurrences(clause))
        return excluded

    def _browse(self, allowed: set[int], excluded: set[int]) -> list[list]:
        """Every article the filters select, as [tier, score, date key, doc]:
        a query of filters alone has nothing to rank by but the date."""
        return [[1, 0.0, self.columns["datekey"][doc], doc] for doc in sorted(allowed - excluded)]

    def _hits(self, scored: list[list], limit: int | None, sort: str) -> list[Hit]:
        ids = {doc: self.stored(doc)["id"] for _, _, _, doc in scored}
        if sort == "relevance":
            scored.sort(key=lambda s: rank.sort_key(s[0], s[1], s[2], ids[s[3]]))
        else:
            scored.sort(key=lambda s: rank.date_order_key(s[2], ids[s[3]], newest=sort == "newest"))
        chosen = scored if limit is None else scored[:limit]
        hits = []
        for tier, score, _, doc in chosen:
            stored = self.stored(doc)
            hits.append(Hit(id=stored["id"], title=stored["title"], url=stored["url"], date=stored["date"] or None,
                            counties=[c for c in stored["counties"].split(",") if c],
                            score=rank.quantize(score) / rank.SCORE_SCALE, tier=tier, fields=stored))
        return hits
