"""The site as the articles' cards make it: every article as lists show it
(`Item`), the archive's lists by place, topic, issue and date
(`SiteModel`), and which articles' pages show one another (neighbours in an
issue, related stories: `related_items`, `showing`). No page needs
another article's text: cards are all the model holds.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from quzhou_archive.articles import ArticleMeta, slugify
from quzhou_archive.gazetteer import load as load_gazetteer
from quzhou_archive.analyse.topics import load as load_taxonomy

SITE_NAME = "衢州区域经济新闻档案"


SITE_DESCRIPTION = "衢州及柯城、衢江、龙游、江山、常山、开化的区域经济新闻档案：按地区、主题、日期、报纸版面浏览，全文搜索。"


PER_PAGE = 50


LATEST = 20


FEED_SIZE = 50


RELATED = 3


DESCRIPTION_CHARS = 60   # what search engines show of a page's description


KIND_NAMES = {"news": "消息", "feature": "通讯", "photo": "图片", "brief": "简讯", "teaser": "导读", "speech": "发言"}


WEEKDAYS = "一二三四五六日"


ARTICLE_URL = "articles/{id}.html"   # the browser index builds result URLs from it too


def article_url(article_id: str) -> str:
    """Site-relative URL of an article page."""
    return ARTICLE_URL.format(id=article_id)


@functools.lru_cache(maxsize=65536)
def cn_date(date: str | None) -> str:
    """2024-11-30 -> 2024年11月30日; 2024-02 -> 2024年2月; 2024 -> 2024年."""
    if not date:
        return "日期不详"
    parts = [int(p) for p in date.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日"))


class Card(NamedTuple):
    """What the site shows of an article outside its own page: in lists,
    feeds, as a neighbour or a related story. Kept from build to build
    (`pipeline.state.ArticleRecord`), so that other pages can be made
    without reading the article again."""

    title: str
    kicker: str | None
    subtitle: str | None
    date: str | None
    paper: str | None
    page: int | None
    counties: tuple[str, ...]
    topics: tuple[str, ...]
    kind: str
    summary: str
    topic_terms: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (topic, the keywords that put it there)

    @classmethod
    def of(cls, meta: ArticleMeta, summary: str) -> "Card":
        return cls(meta.title, meta.kicker, meta.subtitle, meta.date, meta.paper, meta.page, tuple(meta.counties),
                   tuple(meta.topics), meta.kind, summary, topic_terms_of(meta))


def topic_terms_of(meta: ArticleMeta) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The keywords ingest found for each of the article's topics
    (`topic_terms` in its frontmatter), for its topics only: a topic given
    by hand has none, a topic taken away by hand keeps none."""
    found = meta.extras.get("topic_terms")
    if not isinstance(found, dict):
        return ()
    return tuple((t, tuple(str(k) for k in found[t])) for t in meta.topics
                 if isinstance(found.get(t), list) and found[t])


@dataclass(slots=True)
class Item:
    """An article as lists, feeds and neighbours show it. (Slotted: a site's
    model holds one for every article of the archive.)"""

    id: str
    url: str
    title: str
    kicker: str | None
    subtitle: str | None
    date: str | None
    paper: str | None
    page: int | None
    counties: list[str]
    topics: list[str]
    kind: str
    summary: str
    topic_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def card(self, topic: str | None = None) -> dict:
        """The plain data a list shows for this article (on a topic's list,
        with the keywords that put it there)."""
        return {"url": self.url, "title": self.title, "kicker": self.kicker, "subtitle": self.subtitle, "date": self.date, "date_label": cn_date(self.date),
                "paper": self.paper, "page": self.page, "counties": self.counties, "kind": KIND_NAMES.get(self.kind, ""),
                "terms": list(self.topic_terms.get(topic, ())) if topic else []}


def newest_first_key(item: Item) -> tuple:
    # undated articles go last; within a date, the printed order (paper, page, story)
    return (item.date is None, _neg_date(item.date), item.paper or "", item.page or 0, item.id)


def date_order(date: str) -> tuple[int, int, int]:
    """2024-11-30 -> (2024, 11, 30); 2024-02 -> (2024, 2, 0): oldest first when sorted."""
    return tuple(int(p) for p in (date.split("-") + ["0", "0"])[:3])


@functools.lru_cache(maxsize=65536)
def _neg_date(date: str | None) -> tuple:
    if not date:
        return (0, 0, 0)
    parts = [int(p) for p in date.split("-")] + [0, 0]
    return (-parts[0], -parts[1], -parts[2])


@dataclass
class Page:
    path: str               # where it is written, relative to the site root
    template: str
    context: dict


@dataclass
class Places:
    """Slugs and grouping of the counties articles name."""

    slugs: dict[str, str] = field(default_factory=dict)
    groups: list[tuple[str, list[str]]] = field(default_factory=list)   # (city, [division names])


def places_for(names: set[str]) -> Places:
    gazetteer = load_gazetteer()
    quzhou = [gazetteer.city] + gazetteer.counties
    places = Places()
    for d in quzhou:
        places.slugs[d.name] = d.slug
    places.groups.append((gazetteer.city.name, [d.name for d in quzhou]))
    outside: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names - set(places.slugs)):
        division = gazetteer.by_name(name)
        outside[division.city if division else "其他"].append(name)
        places.slugs[name] = (division.slug if division and division.slug else None) or slugify(name)
    for city in sorted(outside, key=slugify):
        places.groups.append((city, outside[city]))
    return places


def paper_slugs(papers: set[str]) -> dict[str, str]:
    from quzhou_archive.papers import known_papers
    from quzhou_archive.textnorm import fold

    known = known_papers()
    return {p: (known[fold(p)].slug if fold(p) in known else slugify(fold(p))) for p in papers}


class SiteModel:
    """Everything the pages show, derived once from the articles' cards: no
    page needs another article's text."""

    def __init__(self, cards):
        """`cards`: (article ID, Card) for every article."""
        self.items = sorted((self.item_of(aid, card) for aid, card in cards), key=newest_first_key)
        self.by_id = {i.id: i for i in self.items}
        self.places = places_for({c for i in self.items for c in i.counties})
        self.taxonomy = load_taxonomy()
        self.topic_slugs: dict[str, str] = {}
        for topic in self.taxonomy.topics:
            self.topic_slugs.setdefault(topic.name, topic.slug)     # (as `Taxonomy.by_name`: the first of a name)
        self.papers = paper_slugs({i.paper for i in self.items if i.paper})
        self.issues: dict[tuple[str, str], list[Item]] = defaultdict(list)
        for item in self.items:
            if item.paper and item.date:
                self.issues[(item.paper, item.date)].append(item)
        for stories in self.issues.values():
            stories.sort(key=lambda i: (i.page or 0, i.id))
        self.topic_members: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            for t in item.topics:
                self.topic_members[t].append(item)
        self.topic_position = {(t, i.id): n for t, members in self.topic_members.items() for n, i in enumerate(members)}

    @functools.cached_property
    def days_with_articles(self) -> list[str]:
        """Every full date (2024-11-30) that has an article, oldest first."""
        return sorted({i.date for i in self.items if i.date and len(i.date) == 10})

    @functools.cached_property
    def months_with_articles(self) -> list[tuple[int, int]]:
        """Every (year, month) an article is dated in, oldest first."""
        return sorted({(int(i.date[:4]), int(i.date[5:7])) for i in self.items if i.date and len(i.date) >= 7})

    def issue_dates(self, paper: str) -> list[str]:
        """The dates of a paper's issues, oldest first (an issue dated only by
        its month before the issues of that month's days)."""
        return sorted({date for p, date in self.issues if p == paper}, key=date_order)

    @staticmethod
    def item_of(article_id: str, card: Card) -> Item:
        title, kicker, subtitle, date, paper, page, counties, topics, kind, summary, terms = card
        return Item(article_id, article_url(article_id), title, kicker, subtitle, date, paper, page,
                    list(counties), list(topics), kind, summary, dict(terms))

    # urls
    def county_url(self, name: str) -> str:
        return f"counties/{self.places.slugs[name]}.html"

    def topic_url(self, name: str) -> str | None:
        slug = self.topic_slugs.get(name)
        return f"topics/{slug}.html" if slug is not None else None

    def issue_url(self, paper: str, date: str) -> str:
        return f"papers/{self.papers[paper]}/{date}.html"

    def date_url(self, date: str | None) -> str:
        if not date:
            return "dates/undated.html"
        return f"dates/{date}.html"

    def cards(self, items: list[Item]) -> list[dict]:
        return [i.card() for i in items]

    def card_list(self, items: list[Item], topic: str | None = None) -> "Cards":
        return Cards(items, topic)


class Cards:
    """A list's cards, made a page's worth at a time (`paginate` slices it):
    a list of fifty thousand articles is not held as fifty thousand cards.
    A topic's list shows with each card the keywords that put it there."""

    def __init__(self, items: list[Item], topic: str | None = None):
        self.items = items
        self.topic = topic

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, at: slice) -> list[dict]:
        return [i.card(self.topic) for i in self.items[at]]


def related_items(model: SiteModel, item: Item) -> list[Item]:
    """Up to RELATED articles sharing a topic, nearest in time: those about the
    same place first, then others; never one from the same issue. (Nearness
    is by date, not by place in the archive's order, so that an article
    added or removed changes the related stories only of articles near it
    in one of its topics: `showing`.)"""
    near: dict[str, tuple] = {}      # ID -> (shares no county, days apart, ID, the story): ranked as they sort
    counties, date = set(item.counties), item.date
    day = day_number(date) if date else None
    for topic in item.topics:
        group = model.topic_members[topic]          # newest first, like model.items
        at = model.topic_position[(topic, item.id)]
        for other in group[max(0, at - TOPIC_WINDOW):at + TOPIC_WINDOW + 1]:
            if other.id in near or other.id == item.id or (other.paper and other.paper == item.paper and
                                                           other.date == date):     # never the same issue
                continue
            # (`days_apart`, written out: it is asked of some thirty stories for every article)
            apart = abs(day_number(other.date) - day) if other.date and date else 0 if other.date == date else UNDATED_APART
            near[other.id] = (counties.isdisjoint(other.counties), apart, other.id, other)
    return [ranked[-1] for ranked in sorted(near.values())[:RELATED]]


TOPIC_WINDOW = 3 * RELATED      # the articles either side in a topic's list among which related stories are chosen


UNDATED_APART = 10 ** 7         # days between a dated and an undated article: farther than any two dates


def days_apart(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 0 if a == b else UNDATED_APART
    return abs(day_number(a) - day_number(b))


@functools.lru_cache(maxsize=65536)
def day_number(date: str) -> int:
    """2024-11-30 -> its day number; a month or a year alone -> its first day."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return _dt.date(parts[0], parts[1] or 1, parts[2] or 1).toordinal()


def showing(model: SiteModel, item: Item) -> set[str]:
    """The articles whose own page may show `item` (as a neighbour in its
    issue or a related story), whether `item` is in the model or was just
    removed from it: its issue's articles, and those near its place in each
    of its topics' lists."""
    ids = {i.id for i in model.issues.get((item.paper, item.date), [])} if item.paper and item.date else set()
    key = newest_first_key(item)
    for topic in item.topics:
        group = model.topic_members.get(topic, [])
        at = bisect.bisect_left(group, key, key=newest_first_key)
        ids.update(i.id for i in group[max(0, at - TOPIC_WINDOW - 1):at + TOPIC_WINDOW + 2])
    return ids
