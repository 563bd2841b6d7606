"""Dates: as precise as the page supports, never guessed.

A masthead, trailer or web-copy date gives the day. Otherwise a year stated
on the page (not a target year such as 到2025年) together with the 月日 of
the events it reports gives the month; a year alone gives the year; a page
that states no year has no date.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections import Counter

from ..textnorm import chinese_number

FULL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
)
CN_FULL_DATE = re.compile(r"(?P<y>[〇○零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日")
YEAR = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*年(?!代)")
MONTH_DAY = re.compile(r"(?<![\d年.])(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
# A year introduced or followed by these words is a target, not the present.
_PROSPECTIVE_BEFORE = re.compile(r"(?:到|至|争取在?|力争在?|预计|计划|有望|目标|规划|前瞻)\s*$")
_PROSPECTIVE_AFTER = re.compile(r"^(?:年)?(?:底|末|春节|年底|上半年|年中)?(?:以)?前(?![一二三四五六七八九十\d])")


def valid(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def full_dates(text: str) -> list[str]:
    """Every complete date written in `text` (folded), in order."""
    found = []
    for m in FULL_DATE.finditer(text):
        iso = valid(int(m["y"]), int(m["m"]), int(m["d"]))
        if iso:
            found.append((m.start(), iso))
    for m in CN_FULL_DATE.finditer(text):
        iso = valid(chinese_number(m["y"]) or 0, chinese_number(m["m"]) or 0, chinese_number(m["d"]) or 0)
        if iso:
            found.append((m.start(), iso))
    return [iso for _, iso in sorted(found)]


_DOCUMENT_TITLE = re.compile(r"《[^》]{0,60}》")


def stated_years(text: str, this_year: int) -> list[int]:
    """Years the text reports on: `2024年` but not `到2025年`, `2025年底前`
    or the year in a document's title (《2023年度…报告》 appears in 2024)."""
    text = _DOCUMENT_TITLE.sub(lambda m: "□" * len(m.group()), text)
    years = []
    for m in YEAR.finditer(text):
        y = int(m["y"])
        if y > this_year:
            continue
        if _PROSPECTIVE_BEFORE.search(text[max(0, m.start() - 5):m.start()]):
            continue
        if _PROSPECTIVE_AFTER.match(text[m.end() - 1:m.end() + 6]):
            continue
        years.append(y)
    return years


def event_months(text: str) -> list[int]:
    """Months of the 月日 dates that carry no year of their own."""
    return [int(m["m"]) for m in MONTH_DAY.finditer(text) if 1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31]


def infer_date(text: str, today: _dt.date | None = None) -> str | None:
    """Date of a page without a masthead date, from the years and 月日 it states."""
    today = today or _dt.date.today()
    years = stated_years(text, today.year)
    if not years:
        return None
    year = max(years)
    months = event_months(text)
    months += [int(iso[5:7]) for iso in full_dates(text) if int(iso[:4]) == year]
    if not months:
        return f"{year:04d}"
    counts = Counter(months)
    month = max(counts, key=lambda mo: (counts[mo], mo))
    return f"{year:04d}-{month:02d}"
