"""Every page of the site and the plain data each one shows (a `Page`),
decided from the model (`site/model.py`); `site/render.py` turns them into
HTML. `site_pages()` lists them all; `list_pages()` all but the articles'
own.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import hashlib
import json
from collections import defaultdict

from quzhou_archive.articles import ArticleMeta
from quzhou_archive.site.story import page_anchor, speech_sections, teaser_target
from quzhou_archive.site.model import DESCRIPTION_CHARS, Item, KIND_NAMES, LATEST, PER_PAGE, Page, SITE_NAME, SiteModel, WEEKDAYS, _neg_date, cn_date, related_items


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
        title = context["page_title"] + (f"（第{label}页）" if at else "")
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
        yield from paginate(f"topics/{t.slug}", model.card_list(members.get(t.name, []), t.name), {
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
    year_list = sorted(years)
    for year, items in sorted(years.items()):
        yield from year_pages(model, year, items, before_and_after(year_list, year, lambda y: (f"{y}年", f"dates/{y}.html")))
    yield from paginate("dates/undated", model.card_list(undated), {
        "page_title": "日期不详的报道", "heading": "日期不详", "section": "dates", "feed": None,
        "intro": "原版面上没有印出年份，无法确定日期。", "crumbs": [("日期", "dates/index.html")],
    })


def before_and_after(ordered: list, current, link) -> dict:
    """The entries just before and after `current` in `ordered` (dates with
    articles, oldest first) as {"prev", "next"}: (label, path) from `link`,
    or None at either end. Pages link them with rel=prev/next, as a paper's
    reader turns to the day, month, year or issue before and after."""
    at = ordered.index(current)
    return {"prev": link(ordered[at - 1]) if at > 0 else None,
            "next": link(ordered[at + 1]) if at + 1 < len(ordered) else None}


def month_link(year: int, month: int) -> tuple[str, str]:
    return f"{year}年{month}月", f"dates/{year}-{month:02d}.html"


def day_link(date: str) -> tuple[str, str]:
    return cn_date(date), f"dates/{date}.html"


def year_pages(model: SiteModel, year: int, items: list[Item], around: dict):
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
        "crumbs": [("日期", "dates/index.html")], "around": around, "around_label": "年",
    }, template="year.html")
    all_months = model.months_with_articles
    for month, month_items in sorted(months.items()):
        yield from month_pages(model, year, month, month_items,
                               before_and_after(all_months, (year, month), lambda ym: month_link(*ym)))


def month_pages(model: SiteModel, year: int, month: int, items: list[Item], around: dict):
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
        "days": day_list, "section": "dates", "around": around, "around_label": "月",
        "crumbs": [("日期", "dates/index.html"), (f"{year}年", f"dates/{year}.html")],
    }, template="month.html")
    for day, day_items in sorted(days.items()):
        date = f"{year}-{month:02d}-{day:02d}"
        yield day_page(model, year, month, day, day_items, before_and_after(model.days_with_articles, date, day_link))


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


def day_page(model: SiteModel, year: int, month: int, day: int, items: list[Item], around: dict) -> Page:
    date = f"{year}-{month:02d}-{day:02d}"
    weekday = WEEKDAYS[_dt.date(year, month, day).weekday()]
    return Page(f"dates/{date}.html", "day.html", {
        "page_title": f"{cn_date(date)}", "heading": f"{cn_date(date)} 星期{weekday}", "papers": _group_by_paper_page(model, items),
        "section": "dates", "count": len(items), "around": around, "around_label": "天",
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
        dates = model.issue_dates(paper)
        ends = {"prev": issue_link(model, paper, dates[0]), "next": issue_link(model, paper, dates[-1])} if len(dates) > 1 else None
        yield from paginate(f"papers/{slug}", rows, {
            "page_title": paper, "heading": paper, "section": "papers", "crumbs": [("报纸", "papers/index.html")],
            "ends": ends,
        }, template="paper.html")
        for date, its in issues.items():
            if date:
                around = before_and_after(dates, date, lambda d: issue_link(model, paper, d))
                yield issue_page(model, paper, date, its, around)
    yield from paginate("papers/unknown", model.card_list(unknown), {
        "page_title": "报纸不详的报道", "heading": "报纸不详", "section": "papers", "feed": None,
        "intro": "原版面上没有报头或出处，无法确定是哪一份报纸。", "crumbs": [("报纸", "papers/index.html")],
    })


def issue_link(model: SiteModel, paper: str, date: str) -> tuple[str, str]:
    return cn_date(date), model.issue_url(paper, date)


def issue_page(model: SiteModel, paper: str, date: str, items: list[Item], around: dict) -> Page:
    slug = model.papers[paper]
    pages = [{**pg, "anchor": page_anchor(pg["page"])} for pg in _group_by_paper_page(model, items)[0]["pages"]]
    return Page(model.issue_url(paper, date), "issue.html", {
        "page_title": f"{paper} {cn_date(date)}", "heading": paper, "date_label": cn_date(date),
        "date_url": model.date_url(date), "pages": pages, "around": around, "around_label": "期",
        "precise": len(date) == 10, "section": "papers",
        "crumbs": [("报纸", "papers/index.html"), (paper, f"papers/{slug}.html")],
    })


def issue_neighbours(model: SiteModel, item: Item) -> tuple[Item | None, Item | None, list[int]]:
    """The stories before and after an article in its issue, and the
    printed pages the archive holds of the issue."""
    neighbours = model.issues.get((item.paper, item.date), []) if item.paper and item.date else []
    at = next((n for n, other in enumerate(neighbours) if other is item), None)     # (the model's own item, as a rule)
    if at is None:
        at = neighbours.index(item) if item in neighbours else -1
    prev_item = neighbours[at - 1] if at > 0 else None
    next_item = neighbours[at + 1] if 0 <= at < len(neighbours) - 1 else None
    return prev_item, next_item, sorted({i.page for i in neighbours if i.page})


def article_page(model: SiteModel, item: Item, content: str, related: list[Item] | None = None) -> Page:
    """An article's page as the other articles make it: its place among
    them (neighbours, related stories — `related_items`, unless given —,
    lists). What its own file says besides its card (credits, photos,
    notes, source, the text) is added when it is rendered
    (`complete_article_page`), from the analysis of the file whose digest
    is `content`: that digest stands for all of it."""
    prev_item, next_item, issue_pages = issue_neighbours(model, item)
    return Page(item.url, "article.html", {
        "a": {"id": item.id, "title": item.title, "kicker": item.kicker, "subtitle": item.subtitle, "date": item.date,
              "date_label": cn_date(item.date), "paper": item.paper, "page": item.page,
              "kind": KIND_NAMES.get(item.kind, item.kind), "kind_code": item.kind},
        "content": content,
        "counties": [(c, model.county_url(c)) for c in item.counties],
        "topics": [(t, model.topic_url(t)) for t in item.topics],
        "date_url": model.date_url(item.date),
        "issue_url": model.issue_url(item.paper, item.date) if item.paper and item.date else None,
        "prev": prev_item.card() if prev_item else None,
        "next": next_item.card() if next_item else None,
        "trail": article_trail(model, item),
        "issue_pages": issue_pages,
        "related": model.cards(related_items(model, item) if related is None else related),
        "page_title": item.title, "og_type": "article", "description": (item.summary or item.title)[:DESCRIPTION_CHARS],
        "published": item.date if item.date and len(item.date) == 10 else None,
    })


def article_trail(model: SiteModel, item: Item) -> list[tuple[str, str]]:
    """Where an article sits, as its paper's reader finds it: the paper, the
    issue, the printed page on the issue's page (label, path); then 本篇.
    Without a paper or a date, the list by date it is in."""
    if item.paper and item.date:
        issue = model.issue_url(item.paper, item.date)
        page_label = f"第{item.page}版" if item.page else "版次不详"
        return [(item.paper, f"papers/{model.papers[item.paper]}.html"), (cn_date(item.date), issue),
                (page_label, f"{issue}#{page_anchor(item.page)}")]
    if item.paper:
        return [(item.paper, f"papers/{model.papers[item.paper]}.html"), ("日期不详", model.date_url(None))]
    if item.date:
        return [("报纸不详", "papers/unknown.html"), (cn_date(item.date), model.date_url(item.date))]
    return [("报纸不详", "papers/unknown.html")]


def complete_article_page(page: Page, meta: ArticleMeta, figures: list = (), marked: set[int] = frozenset(),
                          speeches: list[dict] = (), raw_files=frozenset()) -> Page:
    """An article's page with what its own file says besides its card: its
    credits, photos, notes, source (linked to its raw page's lines when that
    is published, one of `raw_files`), the figures its text reports
    (`marked`: the numbers of those whose quote in the text carries its id),
    a speech collection's contents (`speeches`, from `story.speech_sections`)
    and the page a teaser points to."""
    from quzhou_archive.site.raw import source_link

    a = page.context["a"]
    authors = list(meta.authors)
    teaser = teaser_target(meta.extras.get("see_page"), page.context.get("issue_url"),
                           page.context.get("issue_pages", [])) if meta.kind == "teaser" else None
    own = {"authors": authors, "photographers": list(meta.photographers), "byline": list(meta.byline),
           "photos": list(meta.photos), "notes": list(meta.notes), "source_file": meta.source_file,
           "source_lines": list(meta.source_lines) if meta.source_lines else None,
           "source_url": source_link(meta.source_file, meta.source_lines, raw_files)}
    return Page(page.path, page.template, {
        **page.context, "a": {**a, **own}, "figures": article_figures(figures, marked),
        "speeches": list(speeches), "teaser": teaser,
        "citation": citation(a["title"], a["subtitle"], authors, a["paper"], a["date"], a["page"])})


def article_figures(figures: list, marked: set[int]) -> list[dict]:
    """The figures as the article page lists them, each linking to its quote."""
    from quzhou_archive.exports.figures import figure_anchor
    from quzhou_archive.site.figures import MEASURE_NAMES, period_label, value_text

    return [{"anchor": figure_anchor(n), "in_text": n in marked, "indicator": f.indicator,
             "measure": MEASURE_NAMES.get(f.measure, f.measure),
             "value": value_text({"value": f.value, "unit": f.unit, "qualifier": f.qualifier}),
             "period": period_label(f.period), "where": " ".join(dict.fromkeys(p for p in (f.county, f.subject) if p)),
             "target": f.target, "unclear": list(f.unclear)}
            for n, f in enumerate(figures, 1)]


def citation(title: str, subtitle: str | None, authors: list[str], paper: str | None, date: str | None,
             page: int | None) -> str:
    """GB/T 7714-2015 for a newspaper article: 作者. 题名[N]. 报纸名, 日期(版次)."""
    names = ", ".join(authors[:3]) + (", 等" if len(authors) > 3 else "")
    heading = title + (f":{subtitle}" if subtitle else "")
    where = paper or "报纸不详"
    when = date or "日期不详"
    printed = f"({page:02d})" if page else ""
    return f"{names + '. ' if names else ''}{heading}[N]. {where}, {when}{printed}."


def page_digest(page: Page) -> str:
    """A fingerprint of everything a page shows (for rebuilding only what changed);
    an article page's text is in it as the digest of its content."""
    return hashlib.sha256(json.dumps([page.template, page.context], ensure_ascii=False, sort_keys=True,
                                     default=str).encode("utf-8")).hexdigest()
