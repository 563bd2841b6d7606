"""The topic taxonomy readers browse by, and keyword scoring of articles.

`data/topics.yaml` holds the topics (name, slug, about) and the keywords an
archivist tunes. Scores count keyword occurrences, headline words three
times; an article gets the few topics that score well against its best.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml

HEADLINE_WEIGHT = 3


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    about: str
    keywords: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    min_score: float
    relative: float
    max_topics: int

    def by_name(self, name: str) -> Topic | None:
        return next((t for t in self.topics if t.name == name), None)


@functools.lru_cache(maxsize=1)
def load() -> Taxonomy:
    text = resources.files("quzhou_archive.data").joinpath("topics.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    topics = tuple(
        Topic(t["name"], t["slug"], t.get("about", ""), tuple((k.lower(), float(w)) for k, w in (t.get("keywords") or {}).items()))
        for t in data["topics"]
    )
    return Taxonomy(topics, float(data.get("min_score", 6)), float(data.get("relative", 0.45)), int(data.get("max_topics", 3)))


def scores(headline: str, body: str, taxonomy: Taxonomy | None = None) -> dict[str, float]:
    """Topic name -> score, for folded headline and body text."""
    taxonomy = taxonomy or load()
    present = set(headline) | set(body)
    counts: dict[str, int] = {}
    result = {}
    for topic in taxonomy.topics:
        score = 0.0
        for keyword, weight in topic.keywords:
            if keyword[0] not in present:
                continue
            if keyword not in counts:
                counts[keyword] = HEADLINE_WEIGHT * headline.count(keyword) + body.count(keyword)
            score += weight * counts[keyword]
        if score:
            result[topic.name] = score
    return result


def topics_for(headline: str, body: str, taxonomy: Taxonomy | None = None) -> list[str]:
    taxonomy = taxonomy or load()
    ranked = sorted(scores(headline, body, taxonomy).items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return []
    best = ranked[0][1]
    floor = max(taxonomy.min_score, taxonomy.relative * best)
    chosen = [name for name, s in ranked if s >= floor][: taxonomy.max_topics]
    return chosen or [ranked[0][0]]
