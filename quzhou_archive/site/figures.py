"""The 数据 section: the economic figures of every article, as pages.

    figures/index.html              what is there: by county, by indicator; the downloads and their fields
    figures/counties/C.html         one county: each indicator it reports, its latest value
    figures/counties/C/I.html       one county's one indicator: its values by period, tables and charts
    figures/indicators/I.html       one indicator reported in two or more counties: side by side

A *series* is one subject's one indicator in one measure and unit (辉埠镇's
规上工业产值 in 亿元): values are compared only within a series, never
summed or converted across units. Targets are listed apart from outcomes
and never drawn as one; a value whose period the text leaves unclear is
listed as such and drawn nowhere. A series gets a chart (`site/charts.py`)
where it has outcomes for two or more periods of one kind (years, say).

Every value links to the sentence of its article, marked there
(`site/marks.py`). Plain data only: `site/render.py` makes the HTML.
"""
from __future__ import annotations

import functools
import hashlib
import marshal
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from quzhou_archive.articles import slugify
from quzhou_archive.gazetteer import load as load_gazetteer
from quzhou_archive.site.charts import line_chart, number_text
from quzhou_archive.site.model import Page, cn_date
from quzhou_archive.site.render import relative_links

MEASURE_NAMES = {"amount": "金额", "growth": "增速", "output": "产量", "count": "数量", "share": "占比"}
UNKNOWN_COUNTY = "地区不详"
UNKNOWN_SLUG = "unknown"
SECTION = "figures"
_QUARTERS = "一二三四"


# -- periods -----------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def period_kind(period: str | None) -> str | None:
    """year, half, quarter, month or months (a range of months): what a chart may put side by side."""
    if not period:
        return None
    if "/" in period:
        return "months"
    if re.fullmatch(r"\d{4}", period):
        return "year"
    if re.fullmatch(r"\d{4}-H[12]", period):
        return "half"
    if re.fullmatch(r"\d{4}-Q[1-4]", period):
        return "quarter"
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", period):
        return "month"
    return "other"


@functools.lru_cache(maxsize=4096)
def period_label(period: str | None) -> str:
    """2023 -> 2023年; 2023-Q1 -> 2023年一季度; 2023-H1 -> 2023年上半年;
    2024-11 -> 2024年11月; 2024-01/2024-04 -> 2024年1—4月."""
    if not period:
        return "时期不详"
    kind = period_kind(period)
    if kind == "half":
        return f"{period[:4]}年{'上' if period.endswith('1') else '下'}半年"
    if kind == "quarter":
        return f"{period[:4]}年{_QUARTERS[int(period[-1]) - 1]}季度"
    if kind == "months":
        start, end = period.split("/")
        if start[:4] == end[:4]:
            return f"{start[:4]}年{int(start[5:7])}—{int(end[5:7])}月"
        return f"{cn_date(start)}—{cn_date(end)}"
    if kind in ("year", "month"):
        return cn_date(period)
    return period


@functools.lru_cache(maxsize=4096)
def period_order(period: str | None) -> tuple:
    """Earlier periods first; a year before its parts; unclear ones last."""
    if not period:
        return (10**4,)
    kind = period_kind(period)
    year = int(period[:4]) if period[:4].isdigit() else 10**4 - 1
    if kind == "half":
        start, end = (1, 6) if period.endswith("1") else (7, 12)
    elif kind == "quarter":
        q = int(period[-1])
        start, end = 3 * q - 2, 3 * q
    elif kind == "months":
        start, end = int(period[5:7]), int(period.split("/")[1][5:7])
    elif kind == "month":
        start = end = int(period[5:7])
    else:
        start, end = 0, 13
    return (year, start, -end, period)


# -- values --------------------------------------------------------------------------------

def value_text(row: dict) -> str:
    """近75亿元, 超6亿元, 160余家: the value as the paper qualified it."""
    qualifier = row.get("qualifier") or ""
    number = number_text(row["value"])
    if qualifier in ("以上", "余", "多"):
        return f"{number}{qualifier}{row['unit']}" if qualifier != "以上" else f"{number}{row['unit']}以上"
    return f"{qualifier}{number}{row['unit']}"


class Value:
    """One figure as the 数据 pages show it. What grouping, ordering and the
    pages' digests need of it is held for every figure (its `placing`);
    its row, all a page shows of it, only once a page showing it is made
    (`row`: given, or filled in from a reader by `with_rows`) — in a build
    after a few articles changed, most pages are not made, and their
    figures' rows are never read. (What a page shows of it is worked out
    when the page asks: kept on the value, it would be kept for every
    figure by every worker process that made a page of it.)"""

    __slots__ = ("article", "number", "county", "key", "target", "period", "date", "ident", "order", "path_of",
                 "row")

    def __init__(self, article: str, number: int, placing: tuple, ident: str, path_of: Callable[[str], str],
                 row: dict | None = None):
        self.article, self.number = article, number           # its article, and its place there (from 1)
        county, self.key, self.target, self.period, self.date = placing
        self.county = county or UNKNOWN_COUNTY
        self.ident = ident                          # stands for everything shown of it
        self.order = period_order(self.period)      # its period's place in time
        self.path_of = path_of                      # an article's page
        self.row = row

    @classmethod
    def of(cls, row: dict, number: int, path_of: Callable[[str], str], ident: str | None = None) -> "Value":
        """From a row (as `exports/figures.row` makes them)."""
        ident = ident or hashlib.sha1(marshal.dumps(tuple(row.values()))).hexdigest()
        return cls(row["article"], number, placing(row), ident, path_of, row)

    @property
    def link(self) -> str:
        """The article page, at the figure's sentence."""
        return f"{self.path_of(self.article)}#figure-{self.number}"

    @property
    def text(self) -> str:
        return value_text(self.row)         # 近75亿元

    @property
    def period_label(self) -> str:
        return period_label(self.period)     # 2023年, 时期不详

    @property
    def source(self) -> str:
        """The article: its headline, paper and date."""
        row = self.row
        where = " ".join(p for p in (row.get("paper"), _date(row.get("article_date"))) if p)
        return f"{row['headline']}" + (f"（{where}）" if where else "")


def placing(row: dict) -> tuple:
    """What the section needs of a figure to place it, besides its article:
    its county (as the row has it), the indicator it is grouped under,
    whether it is a target, its period, its article's date. Kept for every
    figure of the archive between builds (`pipeline/figures.py`), so it is
    small: its names interned, so that each is held once, in memory and
    in the file."""
    return tuple(sys.intern(v) if type(v) is str else v
                 for v in (row["county"], indicator_key(row), row["target"], row["period"], row["article_date"]))


def with_rows(values: list[Value], read: Callable[[set[str]], dict[str, list[dict]]]) -> list[Value]:
    """The values, each with its row: those not yet filled in read by
    `read(article IDs)`, which gives each article's rows in order."""
    missing = {v.article for v in values if v.row is None}
    if missing:
        rows = read(missing)
        for v in values:
            if v.row is None:
                v.row = rows[v.article][v.number - 1]
    return values


@dataclass
class Series:
    """One subject's one indicator in one measure and unit."""

    county: str
    subject: str
    indicator: str
    measure: str
    unit: str
    outcomes: list[Value] = field(default_factory=list)
    targets: list[Value] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.subject} {self.indicator}（{MEASURE_NAMES.get(self.measure, self.measure)}，{self.unit}）"

    def chart(self) -> str | None:
        """An SVG line chart of its outcomes where it has two or more periods
        of one kind (the kind with most); None otherwise."""
        by_kind: dict[str, dict[str, Value]] = defaultdict(dict)
        for v in sorted(self.outcomes, key=lambda v: (v.date or "", v.article)):
            kind = period_kind(v.period)
            if kind:
                by_kind[kind][v.period] = v      # a later article's value of the same period stands
        kinds = [k for k, periods in by_kind.items() if len(periods) >= 2]
        if not kinds:
            return None
        kind = max(kinds, key=lambda k: (len(by_kind[k]), k))
        points = [(period_label(p), by_kind[kind][p].row["value"]) for p in sorted(by_kind[kind], key=period_order)]
        return line_chart(points, unit=self.unit, title=self.title, from_zero=self.measure not in ("growth", "share"))


def indicator_key(row: dict) -> str:
    """The indicator a figure is grouped under: its canonical name where the
    text names it by one of that indicator's names (规上工业产值 and 规模以上工业
    总产值 are one), else its name as written — 光电产业产值 is a 产值 but not
    the same one as 规上工业企业产值, and physical output keeps the product it
    names (年产锂电超级电容 and 年产手机金属结构件 are not one series)."""
    if row["measure"] != "output" and row.get("indicator_canonical") and _bare(row["indicator"]):
        return row["indicator_canonical"]
    return row["indicator"]


@functools.lru_cache(maxsize=16384)
def _bare(indicator: str) -> bool:
    from quzhou_archive.analyse.indicators import is_bare_name

    return is_bare_name(indicator)


def series_of(values: list[Value]) -> list[Series]:
    """Values grouped into series, in the order of their first value."""
    found: dict[tuple, Series] = {}
    for v in values:
        r = v.row
        key = (v.county, r["subject"] or r["county"] or UNKNOWN_COUNTY, v.key, r["measure"], r["unit"])
        series = found.setdefault(key, Series(*key))
        (series.targets if v.target else series.outcomes).append(v)
    for s in found.values():
        s.outcomes.sort(key=lambda v: (v.order, v.article))
        s.targets.sort(key=lambda v: (v.date or "", v.article))
    return list(found.values())


# -- pages ----------------------------------------------------------------------------------

@dataclass
class Planned:
    """A page of the section, decided but not yet worked out: `inputs` is the
    digest of all it shows, `make()` gives the page when it must be written,
    once the rows of its `values` are filled in (`with_rows`): an archive's
    worth of charts and tables is made only where they changed."""

    path: str
    inputs: str
    make: Callable[[], Page]
    values: list[Value] = field(default_factory=list)


@functools.lru_cache(maxsize=256)
def _slug(name: str) -> str:
    """A place's page name: the gazetteer's slug (a place outside the site's
    lists, such as a neighbouring county a figure is about), else pinyin."""
    division = load_gazetteer().by_name(name)
    return division.slug if division and division.slug else (slugify(name)[:48].strip("-") or "x")


@functools.lru_cache(maxsize=4096)
def _date(date: str | None) -> str | None:
    return cn_date(date) if date else None


def indicator_slug(name: str) -> str:
    """An indicator page's name: a short digest of the indicator's name. It
    never changes as other indicators come and go, and costs no
    transliteration of thousands of names (pinyin of a long indicator name
    reads no better than a digest)."""
    return "i" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def _digest(template: str, heading: str, values: list[Value]) -> str:
    return hashlib.sha1("\n".join([template, heading, *(v.ident for v in values)]).encode()).hexdigest()


def figure_pages(rows: list[dict], county_slugs: dict[str, str], county_order: list[str],
                 article_path: Callable[[str], str]) -> list[Planned]:
    """Every page of the 数据 section, from every figure's row (as
    `exports/figures.row` makes them, an article's in their order)."""
    numbers: dict[str, int] = defaultdict(int)
    values = []
    for r in rows:
        numbers[r["article"]] += 1
        values.append(Value.of(r, numbers[r["article"]], article_path))
    return section_pages(values, county_slugs, county_order)


def section_pages(values: list[Value], county_slugs: dict[str, str], county_order: list[str]) -> list[Planned]:
    """Every page of the 数据 section, from every figure (`Value`s, in the
    order of their articles' IDs and of their text). `county_slugs`: the
    site's county slugs; `county_order`: 衢州 and its counties first, as
    the site lists them. Each page's inputs are worked out from what
    every figure's placing and ident say; no row is read.

        figures/index.html                    the counties, the indicators reported in more than one
        figures/counties/C.html               one county: its indicators, their latest values
        figures/counties/C/I.html             one county's one indicator: its series, tables and charts
        figures/indicators/I.html             an indicator reported in two or more counties, side by side
    """
    by_county: dict[str, dict[str, list[Value]]] = defaultdict(lambda: defaultdict(list))
    by_indicator: dict[str, list[Value]] = defaultdict(list)
    for v in values:
        by_county[v.county][v.key].append(v)
        by_indicator[v.key].append(v)
    rank = {name: n for n, name in enumerate(county_order)}
    # the site's slugs where it has them: spelling a name in pinyin loads pypinyin's dictionaries
    slug = {c: UNKNOWN_SLUG if c == UNKNOWN_COUNTY else county_slugs.get(c) or _slug(c) for c in by_county}
    counties = sorted(by_county, key=lambda c: (c == UNKNOWN_COUNTY, rank.get(c, len(rank)), slug[c]))
    shared = {i for i, vs in by_indicator.items() if len({v.county for v in vs}) > 1}
    islug = {name: indicator_slug(name) for name in by_indicator}
    planned = [_eager(index_page(values, counties, slug, by_county, by_indicator, shared, islug))]
    for county in counties:
        planned.append(county_planned(county, slug[county], by_county[county], islug, shared))
        for indicator, its in by_county[county].items():
            if not has_own_page(its):
                continue
            path = f"figures/counties/{slug[county]}/{islug[indicator]}.html"
            # besides its own values, the page shows whether other counties report the indicator too
            compared = "compared" if indicator in shared else ""
            planned.append(Planned(path, _digest("county-indicator", county + indicator + compared, its),
                                   functools.partial(county_indicator_page, path, county, slug[county], indicator,
                                                     its, islug, shared), its))
    for indicator in sorted(shared):
        path = f"figures/indicators/{islug[indicator]}.html"
        planned.append(Planned(path, _digest("indicator", indicator, by_indicator[indicator]),
                               functools.partial(indicator_page, path, indicator, by_indicator[indicator], slug, rank),
                               by_indicator[indicator]))
    return planned


def _eager(page: Page) -> Planned:
    from quzhou_archive.site.pages import page_digest

    return Planned(page.path, page_digest(page), lambda: page)


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("数据", "figures/index.html"), *more]


def index_page(values, counties, slug, by_county, by_indicator, shared, islug) -> Page:
    ordered = sorted(shared, key=lambda i: (-len({v.county for v in by_indicator[i]}), -len(by_indicator[i]), i))
    return Page("figures/index.html", "figures.html", {
        "page_title": "数据：报道中的经济数字", "section": SECTION,
        "total": len(values), "articles": len({v.article for v in values}),
        "targets": sum(1 for v in values if v.target),
        "unclear_periods": sum(1 for v in values if not v.period),
        "counties": [{"name": c, "url": f"figures/counties/{slug[c]}.html",
                      "count": sum(len(vs) for vs in by_county[c].values()), "indicators": len(by_county[c])}
                     for c in counties],
        "indicators": [{"name": i, "url": f"figures/indicators/{islug[i]}.html", "count": len(by_indicator[i]),
                        "counties": len({v.county for v in by_indicator[i]})} for i in ordered],
        "single": len(by_indicator) - len(shared),
    })


def has_own_page(values: list[Value]) -> bool:
    """A county's indicator gets a page of its own when there is more than one
    value of it to put side by side; a single value is shown, and linked to
    its sentence, on the county's page (most indicators are named once)."""
    return len(values) > 1


def latest(values: list[Value]) -> Value | None:
    """The outcome of the latest period (of the latest article, where several say it)."""
    outcomes = [v for v in values if not v.target and v.period]
    return max(outcomes, key=lambda v: (v.order[:3], v.date or "", v.article), default=None)


def county_planned(county: str, slug: str, by_indicator: dict[str, list[Value]], islug: dict[str, str],
                   shared: set[str]) -> Planned:
    """A county's page, decided by what it shows of each indicator: how many
    values, how many targets, the first and the latest value, whether
    other counties report it too."""
    entries = sorted(by_indicator.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    shown, parts = [], ["county", county, slug]
    for name, its in entries:
        last = latest(its)
        shown += [its[0], *([last] if last else [])]
        parts += [name, str(len(its)), str(sum(1 for v in its if v.target)), its[0].ident,
                  last.ident if last else "", "compared" if name in shared else ""]
    path = f"figures/counties/{slug}.html"
    return Planned(path, hashlib.sha1("\n".join(parts).encode()).hexdigest(),
                   functools.partial(county_page, county, slug, entries, islug, shared), shown)


def county_page(county: str, slug: str, entries: list[tuple[str, list[Value]]], islug: dict[str, str],
                shared: set[str]) -> Page:
    """One county: every indicator it reports, the most often reported first,
    each with its count and its latest outcome."""
    indicators, href = [], relative_links(f"figures/counties/{slug}.html")
    for name, its in entries:
        last = latest(its)
        own = has_own_page(its)
        indicators.append({"indicator": name, "count": len(its),
                           "url": f"figures/counties/{slug}/{islug[name]}.html" if own else None,
                           "only": None if own else _cell(its[0], href),
                           "targets": sum(1 for v in its if v.target),
                           "latest": _cell(last, href) if last else None,
                           "latest_subject": ((last or its[0]).row["subject"] or ""),
                           "compare": f"figures/indicators/{islug[name]}.html" if name in shared else None})
    return Page(f"figures/counties/{slug}.html", "figures_county.html", {
        "page_title": f"{county}的经济数据", "heading": county, "section": SECTION, "crumbs": _crumbs(),
        "count": sum(len(its) for _, its in entries), "indicators": indicators,
        "unknown": county == UNKNOWN_COUNTY,
    })


def county_indicator_page(path: str, county: str, slug: str, indicator: str, values: list[Value],
                          islug: dict[str, str], shared: set[str]) -> Page:
    """One county's one indicator: each subject's series, a table of its
    values by period and a chart where it has two periods or more."""
    return Page(path, "figures_series.html", {
        "page_title": f"{county} {indicator}", "heading": indicator, "county": county, "section": SECTION,
        "crumbs": _crumbs((county, f"figures/counties/{slug}.html")), "count": len(values),
        "series": [series_view(s, relative_links(path)) for s in series_of(values)],
        "compare": f"figures/indicators/{islug[indicator]}.html" if indicator in shared else None,
        "names": sorted({v.row["indicator"] for v in values} - {indicator}),
    })


def indicator_page(path: str, indicator: str, values: list[Value], county_slug: dict[str, str],
                   rank: dict[str, int]) -> Page:
    """Every county's series of one indicator, side by side: one row per
    series, one column per period (outcomes), then its targets."""
    series = sorted(series_of(values), key=lambda s: (s.county == UNKNOWN_COUNTY, rank.get(s.county, len(rank)),
                                                      _slug(s.county), s.subject, s.measure, s.unit))
    periods = sorted({v.period for s in series for v in s.outcomes}, key=period_order)
    table, href = [], relative_links(path)
    for s in series:
        cells = defaultdict(list)
        for v in s.outcomes:
            cells[v.period].append(_cell(v, href))
        table.append({"county": s.county, "county_url": f"figures/counties/{county_slug.get(s.county, UNKNOWN_SLUG)}.html",
                      "subject": s.subject if s.subject != s.county else "", "measure": MEASURE_NAMES.get(s.measure, s.measure),
                      "unit": s.unit, "cells": [cells.get(p, []) for p in periods],
                      "targets": [_cell(v, href) for v in s.targets]})
    return Page(path, "figures_indicator.html", {
        "page_title": f"{indicator}：各地数据", "heading": indicator, "section": SECTION, "crumbs": _crumbs(),
        "periods": [period_label(p) for p in periods], "rows": table, "count": len(values),
        "names": sorted({v.row["indicator"] for v in values} - {indicator}),
    })


def _cell(v: Value, href) -> dict:
    """A value as a page shows it; `href(target)`: the page's link to a site path
    (worked out here: thousands of values are too many for the template to ask)."""
    link = v.link
    return {"text": v.text, "link": link, "href": href(link), "source": v.source, "period": v.period_label,
            "unclear_period": "period" in (v.row.get("unclear") or ())}


def series_view(s: Series, href) -> dict:
    return {"title": s.title, "subject": s.subject, "measure": MEASURE_NAMES.get(s.measure, s.measure), "unit": s.unit,
            "outcomes": [_cell(v, href) for v in s.outcomes], "targets": [_cell(v, href) for v in s.targets],
            "chart": s.chart()}
