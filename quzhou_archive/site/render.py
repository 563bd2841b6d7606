"""Render: articles -> the static site (Jinja2 templates in `templates/`,
plain CSS and scripts in `static/`).

`site_pages()` decides every page of the site and the plain data each one
shows (a `Page`); `Renderer` turns them into HTML. Links between pages
are relative, so the site works under any base path and from any static
host; `--base-url` only makes canonical URLs, feeds and the sitemap
absolute. `404.html` is the exception: a host serves it at any depth, so its
links carry the base path.
"""
from __future__ import annotations

import bisect
import calendar
import functools
import datetime as _dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from quzhou_archive.articles import ArticleMeta, slugify
from quzhou_archive.analyse.content import typeset
from quzhou_archive.gazetteer import load as load_gazetteer
from quzhou_archive.analyse.topics import load as load_taxonomy

def _project_root() -> Path:
    """The folder holding templates/ and static/: the working folder when the
    archive is run from its repository, else the checkout the package sits in."""
    here = Path.cwd()
    return here if (here / "templates").is_dir() else Path(__file__).resolve().parents[2]


ROOT = _project_root()
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
SITE_NAME = "衢州区域经济新闻档案"
SITE_DESCRIPTION = "衢州及柯城、衢江、龙游、江山、常山、开化的区域经济新闻档案:按地区、主题、日期、报纸版面浏览,全文搜索。"
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


def cn_date(date: str | None) -> str:
    """2024-11-30 -> 2024年11月30日; 2024-02 -> 2024年2月; 2024 -> 2024年."""
    if not date:
        return "日期不详"
    parts = [int(p) for p in date.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日"))


# -- what the pages list -------------------------------------------------------

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

    @classmethod
    def of(cls, meta: ArticleMeta, summary: str) -> "Card":
        return cls(meta.title, meta.kicker, meta.subtitle, meta.date, meta.paper, meta.page, tuple(meta.counties),
                   tuple(meta.topics), meta.kind, summary)


@dataclass
class Item:
    """An article as lists, feeds and neighbours show it."""

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

    def card(self) -> dict:
        """The plain data a list shows for this article."""
        return {"url": self.url, "title": self.title, "date": self.date, "date_label": cn_date(self.date),
                "paper": self.paper, "page": self.page, "counties": self.counties, "kind": KIND_NAMES.get(self.kind, "")}


def newest_first_key(item: Item) -> tuple:
    # undated articles go last; within a date, the printed order (paper, page, story)
    return (item.date is None, _neg_date(item.date), item.paper or "", item.page or 0, item.id)


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
    from quzhou_archive.ingest.furniture import known_papers
    from quzhou_archive.textnorm import fold

    known = known_papers()
    return {p: (known[fold(p)].slug if fold(p) in known else slugify(fold(p))) for p in papers}


# -- pages ---------------------------------------------------------------------

def paginate(path_stem: str, items, context: dict, template: str = "list.html"):
    """A list, newest first, as pages (made one at a time): STEM.html holds
    the newest articles (all of a list of up to 2 × PER_PAGE, else between
    PER_PAGE + 1 and 2 × PER_PAGE of them), STEM-K.html the older ones
    PER_PAGE at a time, K counted from the oldest page. So a page keeps its
    articles as new ones come: a day's new articles change the first page
    of each list they are in (and, every PER_PAGE of them, add one), not
    every page after it."""
    total = len(items)
    older = max(0, -(-total // PER_PAGE) - 2)       # pages besides the first
    first_holds = total - older * PER_PAGE
    pages = [(FIRST_PAGE, f"{path_stem}.html")] + [(str(k), f"{path_stem}-{k}.html") for k in range(older, 0, -1)]
    for at, (label, path) in enumerate(pages):
        if at == 0:
            chunk = items[:first_holds]
        else:
            start = total - int(label) * PER_PAGE
            chunk = items[start:start + PER_PAGE]
        pager = {"first": at == 0, "current": label, "links": pager_links(pages, at) if older else [],
                 "prev": pages[at - 1][1] if at else None, "next": pages[at + 1][1] if at + 1 < len(pages) else None}
        title = context["page_title"] + (f"(第{label}页)" if at else "")
        # the count only on the first page: on the others it would change them all with every new article
        yield Page(path, template, {**context, "items": chunk, "pager": pager, "page_title": title,
                                    "total": total if at == 0 else None})


FIRST_PAGE = "最新"


def pager_links(pages: list[tuple[str, str]], at: int, around: int = 2) -> list[tuple[str, str] | None]:
    """The pages a pager names (label, path), in reading order: the first,
    the last and a few around the current one, None for a gap (a list of
    thousands of pages must not put thousands of links on each of them)."""
    shown = sorted({0, len(pages) - 1, *range(max(0, at - around), min(len(pages) - 1, at + around) + 1)})
    links: list[tuple[str, str] | None] = []
    previous = None
    for n in shown:
        if previous is not None and n > previous + 1:
            links.append(None)
        links.append(pages[n])
        previous = n
    return links


class SiteModel:
    """Everything the pages show, derived once from the articles' cards: no
    page needs another article's text."""

    def __init__(self, cards):
        """`cards`: (article ID, Card) for every article."""
        self.items = sorted((self.item_of(aid, card) for aid, card in cards), key=newest_first_key)
        self.by_id = {i.id: i for i in self.items}
        self.places = places_for({c for i in self.items for c in i.counties})
        self.taxonomy = load_taxonomy()
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

    @staticmethod
    def item_of(article_id: str, card: Card) -> Item:
        return Item(article_id, article_url(article_id), card.title, card.kicker, card.subtitle, card.date, card.paper,
                    card.page, list(card.counties), list(card.topics), card.kind, card.summary)

    # urls
    def county_url(self, name: str) -> str:
        return f"counties/{self.places.slugs[name]}.html"

    def topic_url(self, name: str) -> str | None:
        topic = self.taxonomy.by_name(name)
        return f"topics/{topic.slug}.html" if topic else None

    def issue_url(self, paper: str, date: str) -> str:
        return f"papers/{self.papers[paper]}/{date}.html"

    def date_url(self, date: str | None) -> str:
        if not date:
            return "dates/undated.html"
        return f"dates/{date}.html"

    def cards(self, items: list[Item]) -> list[dict]:
        return [i.card() for i in items]

    def card_list(self, items: list[Item]) -> "Cards":
        return Cards(items)


class Cards:
    """A list's cards, made a page's worth at a time (`paginate` slices it):
    a list of fifty thousand articles is not held as fifty thousand cards."""

    def __init__(self, items: list[Item]):
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, at: slice) -> list[dict]:
        return [i.card() for i in self.items[at]]


def site_pages(model: SiteModel, contents: dict[str, str]):
    """Every page of the site, one after the other (a hundred thousand
    articles' pages are not held at once). `contents`: each article's
    content digest, by which its page's own part is found when it is
    rendered (`complete_article_page`)."""
    yield from list_pages(model)
    for item in model.items:
        yield article_page(model, item, contents[item.id])


def list_pages(model: SiteModel):
    """Every page but the articles' own: home, search, the lists by county,
    topic, date and paper."""
    yield home_page(model)
    yield Page("search.html", "search.html", {"page_title": "全文搜索", "section": "search"})
    yield from county_pages(model)
    yield from topic_pages(model)
    yield from date_pages(model)
    yield from paper_pages(model)


def home_page(model: SiteModel) -> Page:
    counts = defaultdict(int)
    for item in model.items:
        for c in item.counties:
            counts[c] += 1
    topic_counts = defaultdict(int)
    for item in model.items:
        for t in item.topics:
            topic_counts[t] += 1
    quzhou = [(name, model.county_url(name), counts.get(name, 0)) for name in model.places.groups[0][1]]
    topics = [(t.name, f"topics/{t.slug}.html", topic_counts.get(t.name, 0)) for t in model.taxonomy.topics]
    dated = [i.date for i in model.items if i.date]
    span = (cn_date(min(dated)), cn_date(max(dated))) if dated else None
    return Page("index.html", "home.html", {
        "latest": model.cards(model.items[:LATEST]), "quzhou": quzhou, "topics": topics, "span": span,
        "article_count": len(model.items),
        "page_title": SITE_NAME, "section": "home",
    })


def county_pages(model: SiteModel):
    members: dict[str, list[Item]] = defaultdict(list)
    for item in model.items:
        for c in item.counties:
            members[c].append(item)
    groups = [{"city": city, "places": [{"name": n, "url": model.county_url(n), "count": len(members.get(n, []))}
                                        for n in names]}
              for city, names in model.places.groups]
    yield Page("counties/index.html", "counties.html", {"groups": groups, "page_title": "按地区浏览",
                                                            "section": "counties"})
    for city, names in model.places.groups:
        for name in names:
            slug = model.places.slugs[name]
            items = members.get(name, [])
            intro = f"{city}" if city != name and city != model.places.groups[0][0] else ""
            yield from paginate(f"counties/{slug}", model.card_list(items), {
                "page_title": name, "heading": name, "intro": intro, "section": "counties",
                "feed": f"counties/{slug}.xml", "crumbs": [("地区", "counties/index.html")],
            })


def topic_pages(model: SiteModel):
    members: dict[str, list[Item]] = defaultdict(list)
    for item in model.items:
        for t in item.topics:
            members[t].append(item)
    topics = [{"name": t.name, "url": f"topics/{t.slug}.html", "count": len(members.get(t.name, [])), "about": t.about}
              for t in model.taxonomy.topics]
    yield Page("topics/index.html", "topics.html", {"topics": topics, "page_title": "按主题浏览", "section": "topics"})
    for t in model.taxonomy.topics:
        yield from paginate(f"topics/{t.slug}", model.card_list(members.get(t.name, [])), {
            "page_title": t.name, "heading": t.name, "intro": "", "section": "topics", "feed": None,
            "crumbs": [("主题", "topics/index.html")],
        })


def date_pages(model: SiteModel):
    years: dict[int, list[Item]] = defaultdict(list)
    undated = []
    for item in model.items:
        if item.date:
            years[int(item.date[:4])].append(item)
        else:
            undated.append(item)
    index = [{"year": y, "url": f"dates/{y}.html", "count": len(items)} for y, items in sorted(years.items(), reverse=True)]
    yield Page("dates/index.html", "dates.html", {"years": index, "undated": len(undated),
                                                     "page_title": "按日期浏览", "section": "dates"})
    for year, items in sorted(years.items()):
        yield from year_pages(model, year, items)
    yield from paginate("dates/undated", model.card_list(undated), {
        "page_title": "日期不详的报道", "heading": "日期不详", "section": "dates", "feed": None,
        "intro": "原版面上没有印出年份,无法确定日期。", "crumbs": [("日期", "dates/index.html")],
    })


def year_pages(model: SiteModel, year: int, items: list[Item]):
    months: dict[int, list[Item]] = defaultdict(list)
    year_only = []
    for item in items:
        if len(item.date) >= 7:
            months[int(item.date[5:7])].append(item)
        else:
            year_only.append(item)
    grid = [{"month": m, "url": f"dates/{year}-{m:02d}.html" if m in months else None, "count": len(months.get(m, []))}
            for m in range(1, 13)]
    yield from paginate(f"dates/{year}", model.card_list(year_only), {
        "page_title": f"{year}年", "heading": f"{year}年", "year": year, "months": grid, "section": "dates",
        "crumbs": [("日期", "dates/index.html")],
    }, template="year.html")
    for month, month_items in sorted(months.items()):
        yield from month_pages(model, year, month, month_items)


def month_pages(model: SiteModel, year: int, month: int, items: list[Item]):
    days: dict[int, list[Item]] = defaultdict(list)
    month_only = []
    for item in items:
        if len(item.date) == 10:
            days[int(item.date[8:])].append(item)
        else:
            month_only.append(item)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdayscalendar(year, month):
        weeks.append([{"day": d, "url": f"dates/{year}-{month:02d}-{d:02d}.html" if d in days else None,
                       "count": len(days.get(d, []))} if d else None for d in week])
    day_list = [{"label": f"{month}月{d}日 星期{WEEKDAYS[_dt.date(year, month, d).weekday()]}",
                 "url": f"dates/{year}-{month:02d}-{d:02d}.html", "count": len(its)}
                for d, its in sorted(days.items())]
    stem = f"dates/{year}-{month:02d}"
    yield from paginate(stem, model.card_list(month_only), {
        "page_title": f"{year}年{month}月", "heading": f"{year}年{month}月", "weeks": weeks, "weekdays": WEEKDAYS,
        "days": day_list, "section": "dates",
        "crumbs": [("日期", "dates/index.html"), (f"{year}年", f"dates/{year}.html")],
    }, template="month.html")
    for day, day_items in sorted(days.items()):
        yield day_page(model, year, month, day, day_items)


def _group_by_paper_page(model: SiteModel, items: list[Item]) -> list[dict]:
    papers: dict[str, dict[int | None, list[Item]]] = defaultdict(lambda: defaultdict(list))
    for item in sorted(items, key=lambda i: (i.paper or "~", i.page or 0, i.id)):
        papers[item.paper or ""][item.page].append(item)
    out = []
    for paper, pages in papers.items():
        out.append({"paper": paper or "报纸不详",
                    "url": model.issue_url(paper, items[0].date) if paper and items[0].date else None,
                    "pages": [{"page": p, "label": f"第{p}版" if p else "版次不详", "stories": model.cards(its)}
                              for p, its in sorted(pages.items(), key=lambda kv: kv[0] or 0)]})
    return out


def day_page(model: SiteModel, year: int, month: int, day: int, items: list[Item]) -> Page:
    date = f"{year}-{month:02d}-{day:02d}"
    weekday = WEEKDAYS[_dt.date(year, month, day).weekday()]
    return Page(f"dates/{date}.html", "day.html", {
        "page_title": f"{cn_date(date)}", "heading": f"{cn_date(date)} 星期{weekday}", "papers": _group_by_paper_page(model, items),
        "section": "dates", "count": len(items),
        "crumbs": [("日期", "dates/index.html"), (f"{year}年", f"dates/{year}.html"),
                   (f"{month}月", f"dates/{year}-{month:02d}.html")],
    })


def paper_pages(model: SiteModel):
    by_paper: dict[str, list[Item]] = defaultdict(list)
    unknown = []
    for item in model.items:
        (by_paper[item.paper] if item.paper else unknown).append(item)
    listing = []
    for paper, items in sorted(by_paper.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        dated = sorted(i.date for i in items if i.date)
        listing.append({"name": paper, "url": f"papers/{model.papers[paper]}.html", "count": len(items),
                        "span": f"{cn_date(dated[0])} — {cn_date(dated[-1])}" if dated else "日期不详"})
    yield Page("papers/index.html", "papers.html", {"papers": listing, "unknown": len(unknown),
                                                       "page_title": "按报纸版面浏览", "section": "papers"})
    for paper, items in by_paper.items():
        slug = model.papers[paper]
        issues: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            issues[item.date or ""].append(item)
        rows = [{"date": d, "label": cn_date(d) if d else "日期不详", "url": model.issue_url(paper, d) if d else None,
                 "pages": len({i.page for i in its}), "count": len(its)}
                for d, its in sorted(issues.items(), key=lambda kv: _neg_date(kv[0] or None))]
        yield from paginate(f"papers/{slug}", rows, {
            "page_title": paper, "heading": paper, "section": "papers", "crumbs": [("报纸", "papers/index.html")],
        }, template="paper.html")
        for date, its in issues.items():
            if date:
                yield issue_page(model, paper, date, its)
    yield from paginate("papers/unknown", model.card_list(unknown), {
        "page_title": "报纸不详的报道", "heading": "报纸不详", "section": "papers", "feed": None,
        "intro": "原版面上没有报头或出处,无法确定是哪一份报纸。", "crumbs": [("报纸", "papers/index.html")],
    })


def issue_page(model: SiteModel, paper: str, date: str, items: list[Item]) -> Page:
    slug = model.papers[paper]
    return Page(model.issue_url(paper, date), "issue.html", {
        "page_title": f"{paper} {cn_date(date)}", "heading": paper, "date_label": cn_date(date),
        "date_url": model.date_url(date), "pages": _group_by_paper_page(model, items)[0]["pages"],
        "precise": len(date) == 10, "section": "papers",
        "crumbs": [("报纸", "papers/index.html"), (paper, f"papers/{slug}.html")],
    })


def related_items(model: SiteModel, item: Item) -> list[Item]:
    """Up to RELATED articles sharing a topic, nearest in time: those about the
    same place first, then others; never one from the same issue. (Nearness
    is by date, not by place in the archive's order, so that an article
    added or removed changes the related stories only of articles near it
    in one of its topics: `showing`.)"""
    near: dict[str, tuple[int, Item]] = {}
    for topic in item.topics:
        group = model.topic_members[topic]          # newest first, like model.items
        at = model.topic_position[(topic, item.id)]
        for index in range(max(0, at - TOPIC_WINDOW), min(len(group), at + TOPIC_WINDOW + 1)):
            other = group[index]
            same_issue = other.paper and other.paper == item.paper and other.date == item.date
            if other.id != item.id and not same_issue:
                distance = days_apart(other.date, item.date)
                if other.id not in near or distance < near[other.id][0]:
                    near[other.id] = (distance, other)
    ranked = sorted(near.values(), key=lambda pair: (not set(pair[1].counties) & set(item.counties), pair[0], pair[1].id))
    return [other for _, other in ranked[:RELATED]]


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


def article_page(model: SiteModel, item: Item, content: str) -> Page:
    """An article's page as the other articles make it: its place among
    them (neighbours, related stories, lists). What its own file says
    besides its card (credits, photos, notes, source, the text) is added
    when it is rendered (`complete_article_page`), from the analysis of the
    file whose digest is `content`: that digest stands for all of it."""
    neighbours = model.issues.get((item.paper, item.date), []) if item.paper and item.date else []
    at = neighbours.index(item) if item in neighbours else -1
    prev_item = neighbours[at - 1] if at > 0 else None
    next_item = neighbours[at + 1] if 0 <= at < len(neighbours) - 1 else None
    return Page(item.url, "article.html", {
        "a": {"id": item.id, "title": item.title, "kicker": item.kicker, "subtitle": item.subtitle, "date": item.date,
              "date_label": cn_date(item.date), "paper": item.paper, "page": item.page,
              "kind": KIND_NAMES.get(item.kind, item.kind)},
        "content": content,
        "counties": [(c, model.county_url(c)) for c in item.counties],
        "topics": [(t, model.topic_url(t)) for t in item.topics],
        "date_url": model.date_url(item.date),
        "issue_url": model.issue_url(item.paper, item.date) if item.paper and item.date else None,
        "prev": prev_item.card() if prev_item else None,
        "next": next_item.card() if next_item else None,
        "related": model.cards(related_items(model, item)),
        "page_title": item.title, "og_type": "article", "description": (item.summary or item.title)[:DESCRIPTION_CHARS],
        "published": item.date if item.date and len(item.date) == 10 else None,
    })


def complete_article_page(page: Page, meta: ArticleMeta) -> Page:
    """An article's page with what its own file says besides its card."""
    a = page.context["a"]
    authors = list(meta.authors)
    own = {"authors": authors, "photographers": list(meta.photographers), "byline": list(meta.byline),
           "photos": list(meta.photos), "notes": list(meta.notes), "source_file": meta.source_file,
           "source_lines": list(meta.source_lines) if meta.source_lines else None}
    return Page(page.path, page.template, {
        **page.context, "a": {**a, **own},
        "citation": citation(a["title"], a["subtitle"], authors, a["paper"], a["date"], a["page"])})


def citation(title: str, subtitle: str | None, authors: list[str], paper: str | None, date: str | None,
             page: int | None) -> str:
    """GB/T 7714-2015 for a newspaper article: 作者. 题名[N]. 报纸名, 日期(版次)."""
    names = ", ".join(authors[:3]) + (", 等" if len(authors) > 3 else "")
    heading = title + (f":{subtitle}" if subtitle else "")
    where = paper or "报纸不详"
    when = date or "日期不详"
    printed = f"({page:02d})" if page else ""
    return f"{names + '. ' if names else ''}{heading}[N]. {where}, {when}{printed}."


# -- feeds, sitemap ------------------------------------------------------------

def feed(model: SiteModel, items: list[Item], title: str, path: str, base: str) -> str:
    from xml.sax.saxutils import escape

    def stamp(item: Item) -> str:
        date = item.date or "1970"
        return (date + "-01-01"[len(date) - 4:]) + "T00:00:00+08:00"   # 2024 -> 2024-01-01, 2024-02 -> 2024-02-01

    updated = stamp(items[0]) if items else "1970-01-01T00:00:00+08:00"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{escape(title)}</title>", f'<link href="{escape(base)}"/>',
           f'<link rel="self" href="{escape(base + path)}"/>', f"<id>{escape(base + path)}</id>",
           f"<updated>{updated}</updated>", f"<author><name>{escape(SITE_NAME)}</name></author>"]
    for item in items:
        url = base + item.url
        out += ["<entry>", f"<title>{escape(item.title)}</title>", f'<link href="{escape(url)}"/>',
                f"<id>{escape(url)}</id>", f"<updated>{stamp(item)}</updated>",
                f"<summary>{escape(item.summary)}</summary>"]
        out += [f'<category term="{escape(c)}"/>' for c in item.counties + item.topics]
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def feeds(model: SiteModel, base: str) -> dict[str, str]:
    files = {"feed.xml": feed(model, model.items[:FEED_SIZE], SITE_NAME, "feed.xml", base)}
    members: dict[str, list[Item]] = defaultdict(list)
    for item in model.items:
        for c in item.counties:
            members[c].append(item)
    for name in model.places.slugs:          # every county page links its feed, even an empty one
        items = members.get(name, [])
        path = f"counties/{model.places.slugs[name]}.xml"
        files[path] = feed(model, items[:FEED_SIZE], f"{SITE_NAME} · {name}", path, base)
    return files


def sitemap(paths: list[str], base: str) -> str:
    from xml.sax.saxutils import escape

    urls = "".join(f"<url><loc>{escape(base + (p if p != 'index.html' else ''))}</loc></url>\n" for p in sorted(paths))
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")


def robots(base: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"


# -- rendering -----------------------------------------------------------------

def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["typeset"] = typeset
    return env


class Renderer:
    def __init__(self, base_url: str):
        self.env = environment()
        self.base_url = base_url
        self.site = {"name": SITE_NAME}

    def url_function(self, page_path: str, absolute: bool):
        """Links from a page to a site path: up to the nearest folder the two
        share, then down — so they work under any base path and from any
        host, and a story links its neighbours in the same folder by name."""
        if absolute:
            prefix = urlsplit(self.base_url).path or "/"
            return lambda target: prefix + target.lstrip("/")
        here = page_path.split("/")[:-1]

        def url(target: str) -> str:
            if target in ("", "/"):
                return "../" * len(here) or "./"
            parts = target.split("/")
            shared = 0
            while shared < min(len(here), len(parts) - 1) and here[shared] == parts[shared]:
                shared += 1
            return "../" * (len(here) - shared) + "/".join(parts[shared:])

        return url

    def render(self, page: Page, body_html: str | None = None, absolute: bool = False) -> str:
        context = {
            "site": self.site,
            "url": self.url_function(page.path, absolute),
            "canonical": self.base_url + (page.path if page.path != "index.html" else ""),
            "section": "",
            "description": SITE_DESCRIPTION,
            "og_type": "website",
            "crumbs": [],
            **page.context,
            "body_html": body_html,
        }
        return self.env.get_template(page.template).render(context)


def static_files() -> dict[str, bytes]:
    return {f"static/{p.relative_to(STATIC).as_posix()}": p.read_bytes()
            for p in sorted(STATIC.rglob("*")) if p.is_file()}


def fixed_files(model: SiteModel, renderer: Renderer, page_paths: list[str]) -> dict[str, str | bytes]:
    """Everything besides the pages: 404, feeds, sitemap, robots, assets, .nojekyll."""
    files: dict[str, str | bytes] = {
        "404.html": renderer.render(Page("404.html", "404.html", {"page_title": "找不到这一页"}), absolute=True),
        "sitemap.xml": sitemap(page_paths, renderer.base_url),
        "robots.txt": robots(renderer.base_url),
        ".nojekyll": "",
    }
    files.update(feeds(model, renderer.base_url))
    files.update(static_files())
    return files


def page_digest(page: Page) -> str:
    """A fingerprint of everything a page shows (for rebuilding only what changed);
    an article page's text is in it as the digest of its content."""
    return hashlib.sha256(json.dumps([page.template, page.context], ensure_ascii=False, sort_keys=True,
                                     default=str).encode("utf-8")).hexdigest()
