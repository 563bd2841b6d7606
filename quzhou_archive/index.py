"""The Whoosh index (`search_index/`): what the command-line search reads.

Fields: id, docnum (the number the browser index uses for the same
article), title/subtitle/kicker/body (stored for display and snippets), date,
year, counties, topics, paper, kind, authors (filters), and the tokens of
`segment.py`: `headline_bi`/`body_bi` (character bigrams with positions) and
`headline_chars`/`body_chars` (single characters with counts).

Tokens reach Whoosh already grouped by term (`Grouped`), so Whoosh encodes
one posting per term and document instead of re-analysing the text; the
same grouped tokens feed the browser index (`search_export.py`).

`Searcher` answers queries with the ranking of `rank.py` from the postings
Whoosh stores.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from whoosh import formats
from whoosh.analysis import IDAnalyzer
from whoosh.system import pack_uint
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, FieldType, Schema
from whoosh.index import EmptyIndexError, create_in, exists_in, open_dir
from whoosh.query import And, NumericRange, Term

from . import rank
from .errors import ArchiveError
from .fsutil import staging_dir, swap_in
from .segment import TOKENIZER_VERSION, bigrams

STATS_FILE = "archive_stats.json"
INDEX_README = """# search_index/

The Whoosh index of the archive, written by `python build_site.py build` and
read by `python build_site.py search`. It is rebuilt from `articles/`, so
only this note is kept in the repository.
"""


class Grouped(tuple):
    """A field value that is already tokens grouped by term: ((term, payload), …).

    The payload is the term's sorted positions (positional fields) or its count.
    """


class GroupedPositions(formats.Positions):
    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, Grouped):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        for term, positions in value:
            yield term, len(positions), len(positions) * self.field_boost, self.encode(positions)


class GroupedFrequency(formats.Frequency):
    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, Grouped):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        for term, count in value:
            yield term, count, count * self.field_boost, pack_uint(count)


def _token_field(fmt) -> FieldType:
    # values arrive as Grouped tokens; the analyzer only serves a plain string
    return FieldType(format=fmt, analyzer=IDAnalyzer(), scorable=False, stored=False)


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        docnum=NUMERIC(stored=True, sortable=True),
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
        headline_bi=_token_field(GroupedPositions()),
        headline_chars=_token_field(GroupedFrequency()),
        body_bi=_token_field(GroupedPositions()),
        body_chars=_token_field(GroupedFrequency()),
    )


@dataclass
class IndexDoc:
    """One article as both indexes receive it."""

    docnum: int
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
    tokens: object          # segment.DocTokens

    def whoosh_fields(self) -> dict:
        t = self.tokens
        return {
            "id": self.id, "docnum": self.docnum, "url": self.url,
            "title": self.title, "subtitle": self.subtitle or "", "kicker": self.kicker or "",
            "body": self.body_text,
            "date": self.date or "", "datekey": rank.date_key(self.date),
            "year": int(self.date[:4]) if self.date else 0,
            "counties": ",".join(self.counties), "topics": ",".join(self.topics),
            "paper": self.paper or "", "kind": self.kind, "authors": ",".join(self.authors),
            "hlen": t.headline.length, "blen": t.body.length,
            "headline_bi": Grouped(sorted(t.headline.bigrams.items())),
            "headline_chars": Grouped(sorted(t.headline.chars.items())),
            "body_bi": Grouped(sorted(t.body.bigrams.items())),
            "body_chars": Grouped(sorted(t.body.chars.items())),
        }


def collection_stats(docs: list[IndexDoc], vocabulary: dict[str, int], base_url: str) -> dict:
    n = len(docs) or 1
    return {
        "tokenizer": TOKENIZER_VERSION,
        "docs": len(docs),
        "average": {"headline": sum(d.tokens.headline.length for d in docs) / n,
                    "body": sum(d.tokens.body.length for d in docs) / n},
        "vocabulary_total": sum(vocabulary.values()),
        "vocabulary": vocabulary,
        "base_url": base_url,
    }


def write_index(index_dir: Path, docs: list[IndexDoc], stats: dict, procs: int = 1) -> None:
    """Build the whole index in a new folder and swap it in only when complete."""
    index_dir = Path(index_dir)
    new = staging_dir(index_dir)
    try:
        ix = create_in(str(new), make_schema())
        writer = ix.writer(procs=procs, multisegment=procs > 1, limitmb=256)
        for doc in docs:
            writer.add_document(**doc.whoosh_fields())
        writer.commit()
        (new / STATS_FILE).write_text(json.dumps(stats, ensure_ascii=False), encoding="utf-8")
        (new / "README.md").write_text(INDEX_README, encoding="utf-8")
        swap_in(new, index_dir)
    finally:
        if new.exists():
            shutil.rmtree(new, ignore_errors=True)


# -- searching -----------------------------------------------------------------

@dataclass
class Hit:
    id: str
    docnum: int
    title: str
    url: str
    date: str | None
    counties: list[str]
    score: float
    tier: int
    fields: dict


class Searcher:
    """Ranked search over a Whoosh index built by `write_index`."""

    def __init__(self, index_dir: Path):
        index_dir = Path(index_dir)
        try:
            if not exists_in(str(index_dir)):
                raise EmptyIndexError
            self.ix = open_dir(str(index_dir))
        except (EmptyIndexError, OSError):
            raise ArchiveError(index_dir, "no search index here (run `python build_site.py build` first)") from None
        try:
            self.stats = json.loads((index_dir / STATS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ArchiveError(index_dir / STATS_FILE, "index statistics missing or damaged; rebuild") from None
        if self.stats.get("tokenizer") != TOKENIZER_VERSION:
            raise ArchiveError(index_dir, "index was built by another version of the tokenizer; rebuild")
        self.searcher = self.ix.searcher()
        self.reader = self.searcher.reader()
        self.vocabulary = self.stats["vocabulary"]
        self.columns = {name: self.reader.column_reader(name) for name in ("docnum", "datekey", "hlen", "blen")}

    def close(self) -> None:
        self.searcher.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # postings --------------------------------------------------------------
    def _postings(self, field: str, term: str, value: str) -> dict:
        """Whoosh docnum -> the posting's value ("positions" or "frequency")."""
        if (field, term) not in self.reader:
            return {}
        m = self.reader.postings(field, term)
        out = {}
        while m.is_active():
            out[m.id()] = m.value_as(value)
            m.next()
        return out

    def occurrences(self, clause: str) -> dict[int, dict[str, int]]:
        """Whoosh docnum -> {field: times the clause occurs there}."""
        found: dict[int, dict[str, int]] = {}
        for name in rank.FIELDS:
            if len(clause) == 1:
                counts = self._postings(f"{name}_chars", clause, "frequency")
            else:
                counts = phrase_counts([self._postings(f"{name}_bi", g, "positions") for g in bigrams(clause)])
            for doc, count in counts.items():
                found.setdefault(doc, {})[name] = count
        return found

    # the query -------------------------------------------------------------
    def split(self, clause: str) -> list[str]:
        total = self.stats["vocabulary_total"]
        candidates: dict[int, list[tuple[str, int]]] = {}
        for i in range(len(clause) - 1):
            for j in range(i + 2, len(clause) + 1):
                word = clause[i:j]
                count = self.vocabulary.get(word)
                if count:
                    candidates.setdefault(i, []).append((word, rank.word_cost(count, total)))
        return rank.split_words(clause, candidates, rank.single_char_cost(total))

    def _allowed(self, filters: dict[str, str]) -> set[int] | None:
        if not filters:
            return None
        parts = []
        for key, value in filters.items():
            if key == "county":
                parts.append(Term("counties", value))
            elif key == "topic":
                parts.append(Term("topics", value))
            elif key == "paper":
                parts.append(Term("paper", value))
            elif key == "kind":
                parts.append(Term("kind", value))
            elif key in ("year", "date"):
                low, high = rank.date_range(value)
                parts.append(NumericRange("datekey", low, high))
        return set(self.searcher.docs_for_query(And(parts)))

    def search(self, text: str, limit: int | None = 10) -> tuple[rank.Query, list[Hit], int]:
        """(parsed query, the best `limit` hits, how many documents matched)."""
        query = rank.parse_query(text)
        if query.empty:
            return query, [], 0
        filters = rank.resolve_filters(query.filters, self.filter_options())
        allowed = self._allowed(filters) if filters is not None else set()
        n_docs = self.stats["docs"]
        averages = self.stats["average"]
        exact = [self.occurrences(c) for c in query.clauses]
        words = [rank.tier2_words(self.split(c)) for c in query.clauses]
        word_hits = {w: self.occurrences(w) for ws in words for w in ws}
        excluded = set()
        for clause in query.exclude:
            excluded.update(self.occurrences(clause))
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
                key = rank.sort_key(tier, score, self.columns["datekey"][doc], self.columns["docnum"][doc])
                scored.append((key, doc, tier, score))
        scored.sort()
        chosen = scored if limit is None else scored[:limit]
        hits = []
        for _, doc, tier, score in chosen:
            stored = self.searcher.stored_fields(doc)
            hits.append(Hit(
                id=stored["id"], docnum=stored["docnum"], title=stored["title"], url=stored["url"],
                date=stored["date"] or None, counties=[c for c in stored["counties"].split(",") if c],
                score=rank.quantize(score) / 1e6, tier=tier, fields=stored,
            ))
        return query, hits, len(scored)

    def filter_options(self) -> dict[str, list[str]]:
        return self.stats.get("filters", {})


def phrase_counts(postings: list[dict[int, list[int]]]) -> dict[int, int]:
    """Documents where the bigrams occur at consecutive positions, and how often."""
    if not postings or not all(postings):
        return {}
    docs = set(postings[0]).intersection(*postings[1:])
    out = {}
    for doc in docs:
        follow = [set(p[doc]) for p in postings[1:]]
        count = sum(1 for start in postings[0][doc] if all(start + i + 1 in s for i, s in enumerate(follow)))
        if count:
            out[doc] = count
    return out
