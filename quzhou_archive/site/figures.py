"""The 数据 section: the economic figures of every article, as pages.

    figures/index.html              what is there: by county, by indicator; the downloads and their fields
    figures/counties/SLUG.html      one county: each indicator it reports, its values by period
    figures/indicators/SLUG.html    one indicator: every county's values side by side

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

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from quzhou_archive.articles import slugify
from quzhou_archive.site.charts import line_chart
from quzhou_archive.site.model import Page, cn_date

MEASURE_NAMES = {"amount": "金额", "growth": "增速", "output": "产量", "count": "数量", "share": "占比"}
UNKNOWN_COUNTY = "地区不详"
UNKNOWN_SLUG = "unknown"
SECTION = "figures"
_QUARTERS = "一二三四"


# -- periods -----------------------------------------------------------------------------

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

def number_text(value) -> str:
    """12.0 -> 12; 20.235 -> 20.235; 48251 -> 48251 (as printed: no thousands separators)."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.6g}"


def value_text(row: dict) -> str:
    """近75亿元, 超6亿元, 160余家: the value as the paper qualified it."""
    qualifier = row.get("qualifier") or ""
    number = number_text(row["value"])
    if qualifier in ("以上", "余", "多"):
        return f"{number}{qualifier}{row['unit']}" if qualifier != "以上" else f"{number}{row['unit']}以上"
    return f"{qualifier}{number}{row['unit']}"


@dataclass
class Value:
    """One figure as the 数据 pages show it."""

    row: dict
    link: str               # the article page, at the figure's sentence
    text: str               # 近75亿元
    period: str             # 2023年, 时期不详
    source: str             # the article: headline, paper and date

    @classmethod
    def of(cls, row: dict, article_path: str) -> "Value":
        where = " ".join(p for p in (row.get("paper"), cn_date(row.get("article_date")) if row.get("article_date")
                                     else None) if p)
        return cls(row, f"{article_path}#{row['url'].rsplit('#', 1)[1]}", value_text(row), period_label(row["period"]),
                   f"{row['headline']}" + (f"（{where}）" if where else ""))


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
        for v in sorted(self.outcomes, key=lambda v: (v.row["article_date"] or "", v.row["article"])):
            kind = period_kind(v.row["period"])
            if kind:
                by_kind[kind][v.row["period"]] = v      # a later article's value of the same period stands
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
    from quzhou_archive.analyse.indicators import is_bare_name

    if row["measure"] != "output" and row.get("indicator_canonical") and is_bare_name(row["indicator"]):
        return row["indicator_canonical"]
    return row["indicator"]


def series_of(values: list[Value]) -> list[Series]:
    """Values grouped into series, in the order of their first value."""
    found: dict[tuple, Series] = {}
    for v in values:
        r = v.row
        key = (r["county"] or UNKNOWN_COUNTY, r["subject"] or r["county"] or UNKNOWN_COUNTY, indicator_key(r),
               r["measure"], r["unit"])
        series = found.setdefault(key, Series(*key))
        (series.targets if r["target"] else series.outcomes).append(v)
    for s in found.values():
        s.outcomes.sort(key=lambda v: (period_order(v.row["period"]), v.row["article"]))
        s.targets.sort(key=lambda v: (v.row["article_date"] or "", v.row["article"]))
    return list(found.values())


# -- pages ----------------------------------------------------------------------------------

def slugs_for(names: list[str]) -> dict[str, str]:
    """URL-safe names for indicators: pinyin, and where two come out alike,
    a short hash of each, so that a page keeps its address as others come."""
    plain = {n: slugify(n)[:48].strip("-") or "x" for n in names}
    taken = defaultdict(list)
    for name, slug in plain.items():
        taken[slug].append(name)
    return {n: (s if len(taken[s]) == 1 else f"{s}-{hashlib.sha1(n.encode()).hexdigest()[:6]}") for n, s in plain.items()}


def figure_pages(rows: list[dict], county_slugs: dict[str, str], county_order: list[str],
                 article_path) -> list[Page]:
    """Every page of the 数据 section. `rows`: every figure (as
    `exports/figures.row` makes them); `county_slugs`: the site's county
    slugs; `county_order`: 衢州 and its counties first, as the site lists
    them; `article_path(article_id)`: an article page's path."""
    values = [Value.of(r, article_path(r["article"])) for r in rows]
    by_county: dict[str, list[Value]] = defaultdict(list)
    by_indicator: dict[str, list[Value]] = defaultdict(list)
    for v in values:
        by_county[v.row["county"] or UNKNOWN_COUNTY].append(v)
        by_indicator[indicator_key(v.row)].append(v)
    rank = {name: n for n, name in enumerate(county_order)}
    counties = sorted(by_county, key=lambda c: (c == UNKNOWN_COUNTY, rank.get(c, len(rank)), slugify(c)))
    slug = {c: UNKNOWN_SLUG if c == UNKNOWN_COUNTY else county_slugs.get(c) or slugify(c) for c in counties}
    indicators = sorted(by_indicator, key=lambda i: (-len({v.row["county"] for v in by_indicator[i]}),
                                                      -len(by_indicator[i]), i))
    islug = slugs_for(indicators)
    pages = [index_page(rows, counties, slug, by_county, indicators, islug, by_indicator)]
    for county in counties:
        pages.append(county_page(county, slug[county], by_county[county], islug))
    for indicator in indicators:
        pages.append(indicator_page(indicator, islug[indicator], by_indicator[indicator], slug, rank))
    return pages


def _crumbs() -> list[tuple[str, str]]:
    return [("数据", "figures/index.html")]


def index_page(rows, counties, slug, by_county, indicators, islug, by_indicator) -> Page:
    return Page("figures/index.html", "figures.html", {
        "page_title": "数据:报道中的经济数字", "section": SECTION,
        "total": len(rows), "articles": len({r["article"] for r in rows}),
        "targets": sum(1 for r in rows if r["target"]),
        "unclear_periods": sum(1 for r in rows if not r["period"]),
        "counties": [{"name": c, "url": f"figures/counties/{slug[c]}.html", "count": len(by_county[c]),
                      "indicators": len({indicator_key(v.row) for v in by_county[c]})} for c in counties],
        "indicators": [{"name": i, "url": f"figures/indicators/{islug[i]}.html", "count": len(by_indicator[i]),
                        "counties": len({v.row["county"] for v in by_indicator[i]})} for i in indicators],
    })


def county_page(county: str, slug: str, values: list[Value], islug: dict[str, str]) -> Page:
    groups: dict[str, list[Series]] = defaultdict(list)
    for s in series_of(values):
        groups[s.indicator].append(s)
    sections = [{"indicator": name, "url": f"figures/indicators/{islug[name]}.html", "anchor": f"i-{islug[name]}",
                 "series": [series_view(s) for s in group]}
                for name, group in sorted(groups.items(), key=lambda kv: (-sum(len(s.outcomes) + len(s.targets)
                                                                                 for s in kv[1]), kv[0]))]
    return Page(f"figures/counties/{slug}.html", "figures_county.html", {
        "page_title": f"{county}的经济数据", "heading": county, "section": SECTION, "crumbs": _crumbs(),
        "count": len(values), "sections": sections, "unknown": county == UNKNOWN_COUNTY,
    })


def indicator_page(indicator: str, slug: str, values: list[Value], county_slug: dict[str, str],
                   rank: dict[str, int]) -> Page:
    """Every county's series of one indicator, side by side: one row per
    series, one column per period (outcomes), then its targets."""
    series = sorted(series_of(values), key=lambda s: (s.county == UNKNOWN_COUNTY, rank.get(s.county, len(rank)),
                                                      slugify(s.county), s.subject, s.measure, s.unit))
    periods = sorted({v.row["period"] for s in series for v in s.outcomes}, key=period_order)
    table = []
    for s in series:
        cells = {p: [v for v in s.outcomes if v.row["period"] == p] for p in periods}
        table.append({"county": s.county, "county_url": f"figures/counties/{county_slug.get(s.county, UNKNOWN_SLUG)}.html",
                      "subject": s.subject if s.subject != s.county else "", "measure": MEASURE_NAMES.get(s.measure, s.measure),
                      "unit": s.unit, "cells": [[_cell(v) for v in cells[p]] for p in periods],
                      "targets": [_cell(v) for v in s.targets]})
    return Page(f"figures/indicators/{slug}.html", "figures_indicator.html", {
        "page_title": f"{indicator}:各地数据", "heading": indicator, "section": SECTION, "crumbs": _crumbs(),
        "periods": [period_label(p) for p in periods], "rows": table, "count": len(values),
        "names": sorted({v.row["indicator"] for v in values} - {indicator}),
    })


def _cell(v: Value) -> dict:
    return {"text": v.text, "link": v.link, "source": v.source, "period": v.period,
            "unclear": v.row.get("unclear") or []}


def series_view(s: Series) -> dict:
    return {"title": s.title, "subject": s.subject, "measure": MEASURE_NAMES.get(s.measure, s.measure), "unit": s.unit,
            "outcomes": [_cell(v) for v in s.outcomes], "targets": [_cell(v) for v in s.targets],
            "chart": s.chart()}
