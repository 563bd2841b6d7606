"""The topic taxonomy readers browse by, and keyword scoring of articles.

`data/topics.yaml` holds the topics (name, slug, about) and the keywords an
archivist tunes. Scores count keyword occurrences, headline words three
times. An article gets the few topics that score well against its best,
and besides them every topic its text gives strong evidence for: enough
of the topic's specific keywords (not its general ones), of several kinds,
dense enough in the text or in one of its sections (one speech of a
collection, one part of a long report), so that a story is found under
each topic it is plainly about, not only under its main one.
"""
from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from quzhou_archive.data import read_yaml


HEADLINE_WEIGHT = 3


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    about: str
    keywords: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Evidence:
    """What makes a text's evidence for a topic strong: keywords of at least
    `weight` (the topic's specific ones) adding up to `score`, `terms` of
    them different, and at least `per_1000` of that score for every
    thousand characters of a text longer than a thousand."""

    weight: float = 2
    score: float = 12
    terms: int = 3
    per_1000: float = 10
    max_topics: int = 5


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    min_score: float
    relative: float
    max_topics: int
    evidence: Evidence = Evidence()

    def by_name(self, name: str) -> Topic | None:
        return next((t for t in self.topics if t.name == name), None)

    @functools.cached_property
    def keywords(self) -> "KeywordIndex":
        return KeywordIndex(self.topics)


@functools.lru_cache(maxsize=1)
def load() -> Taxonomy:
    data = read_yaml("topics.yaml")
    topics = tuple(
        Topic(t["name"], t["slug"], t.get("about", ""), tuple((k.lower(), float(w)) for k, w in (t.get("keywords") or {}).items()))
        for t in data["topics"]
    )
    evidence = Evidence(**{k: type(getattr(Evidence, k))(v) for k, v in (data.get("evidence") or {}).items()})
    return Taxonomy(topics, float(data.get("min_score", 6)), float(data.get("relative", 0.45)), int(data.get("max_topics", 3)),
                    evidence)


class KeywordIndex:
    """The taxonomy's keywords by their first two characters. One pass over a
    text finds the pairs of characters in it that may begin a keyword; only
    the keywords so begun (and those of one character) need counting. And
    where each keyword stands: (topic, place among the topic's keywords,
    weight)."""

    def __init__(self, topics: tuple[Topic, ...]):
        self.entries: dict[str, list[tuple[int, int, float]]] = {}
        for t, topic in enumerate(topics):
            for k, (keyword, weight) in enumerate(topic.keywords):
                self.entries.setdefault(keyword, []).append((t, k, weight))
        words = sorted(self.entries)
        self.single = [w for w in words if len(w) == 1]
        self.by_pair: dict[str, list[str]] = {}
        for word in words:
            if len(word) > 1:
                self.by_pair.setdefault(word[:2], []).append(word)
        firsts = "".join(sorted({pair[0] for pair in self.by_pair}))
        # a lookahead, so that pairs overlapping each other are all found
        self.pairs = re.compile(f"(?=([{re.escape(firsts)}].))", re.S) if firsts else None

    def counts(self, text: str) -> dict[str, int]:
        """Keyword -> how often `text` holds it (as `str.count` counts), for
        the keywords it holds. A keyword of two different characters is
        counted among the pairs found; longer ones, and those that could
        overlap themselves (哈哈), by `str.count`."""
        if self.pairs is None:
            pairs: Counter = Counter()
        else:
            pairs = Counter(self.pairs.findall(text))
        found = {}
        for pair in pairs.keys() & self.by_pair.keys():
            for word in self.by_pair[pair]:
                n = pairs[pair] if len(word) == 2 and word[0] != word[1] else text.count(word)
                if n:
                    found[word] = n
        for word in self.single:
            n = text.count(word)
            if n:
                found[word] = n
        return found


def scores(headline: str, body: str, taxonomy: Taxonomy | None = None) -> dict[str, float]:
    """Topic name -> score, for folded headline and body text."""
    taxonomy = taxonomy or load()
    index = taxonomy.keywords
    in_headline, in_body = index.counts(headline), index.counts(body)
    terms = []   # (topic, place of the keyword in the topic, weight, count)
    for keyword in in_headline.keys() | in_body.keys():
        n = HEADLINE_WEIGHT * in_headline.get(keyword, 0) + in_body.get(keyword, 0)
        terms += [(t, k, weight, n) for t, k, weight in index.entries[keyword]]
    terms.sort(key=lambda term: term[:2])
    result = {}
    # each topic's score sums its keywords in the topic's order, as a float sum must
    for t, group in itertools.groupby(terms, key=lambda term: term[0]):
        score = 0.0
        for _, _, weight, n in group:
            score += weight * n
        if score:
            result[taxonomy.topics[t].name] = score
    return result


def term_weights(headline: str, body: str, taxonomy: Taxonomy) -> dict[str, list[tuple[str, float]]]:
    """Topic name -> its keywords in the text with what each adds to the
    topic's score (headline words three times), most first."""
    index = taxonomy.keywords
    in_headline, in_body = index.counts(headline), index.counts(body)
    found: dict[str, list[tuple[str, float]]] = {}
    for keyword in in_headline.keys() | in_body.keys():
        n = HEADLINE_WEIGHT * in_headline.get(keyword, 0) + in_body.get(keyword, 0)
        for t, _, weight in index.entries[keyword]:
            found.setdefault(taxonomy.topics[t].name, []).append((keyword, weight * n))
    for terms in found.values():
        terms.sort(key=lambda kv: (-kv[1], kv[0]))
    return found


def strongly_evidenced(headline: str, text: str, taxonomy: Taxonomy) -> set[str]:
    """The topics `text` gives strong evidence for (`Evidence`)."""
    rule = taxonomy.evidence
    weights = {t.name: dict(t.keywords) for t in taxonomy.topics}
    strong = set()
    for name, terms in term_weights(headline, text, taxonomy).items():
        specific = [(k, v) for k, v in terms if weights[name].get(k, 0) >= rule.weight]
        score = sum(v for _, v in specific)
        if (score >= rule.score and len(specific) >= rule.terms
                and score * 1000 / max(len(text), 1000) >= rule.per_1000):
            strong.add(name)
    return strong


def topics_for(headline: str, body: str, taxonomy: Taxonomy | None = None, sections: list[str] = ()) -> list[str]:
    """The article's topics, best first: those scoring well against its
    best, and those its text, or one of its `sections`, strongly evidences."""
    taxonomy = taxonomy or load()
    ranked = sorted(scores(headline, body, taxonomy).items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return []
    best = ranked[0][1]
    floor = max(taxonomy.min_score, taxonomy.relative * best)
    chosen = [name for name, s in ranked if s >= floor][: taxonomy.max_topics] or [ranked[0][0]]
    strong = strongly_evidenced(headline, body, taxonomy)
    for section in sections:
        strong |= strongly_evidenced("", section, taxonomy)
    extra = [name for name, _ in ranked if name in strong and name not in chosen]
    return chosen + extra[: max(0, taxonomy.evidence.max_topics - len(chosen))]


TERMS_SHOWN = 3


def topic_terms(headline: str, body: str, topics: list[str], taxonomy: Taxonomy | None = None) -> dict[str, list[str]]:
    """For each of `topics`, the keywords that did most to put the article
    there (what a topic's page shows beside it)."""
    taxonomy = taxonomy or load()
    found = term_weights(headline, body, taxonomy)
    return {name: [k for k, _ in found.get(name, [])[:TERMS_SHOWN]] for name in topics if found.get(name)}
