"""Dates: as precise as the page supports, never guessed.

A date the page states about itself comes first: a masthead or trailer
date, or a web page's own stamp (`2024-06-16 18:32:45`, `发布时间:…`,
`21.06.2017 03:12`, `头条2018/3/16 19:32:07`, a date after the headline).
Only a page that states none is dated from its text: a year the text
reports on (not a target such as 到2025年, not a year mentioned in passing
such as 从2020年开始) together with the 月日 of the events it reports gives
the month; a year alone gives the year; a page that states no year has no
date.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from quzhou_archive.textnorm import chinese_number

# Patterns that scan whole pages look behind only after their first
# character: 1(?<!\d1)9 is a 19 with no digit before it, \d(?<![\d.]\d) a
# digit with neither a digit nor a point before it. Written so, the search
# skips to the characters a match can start with instead of trying every
# place in the text.
FULL_DATE = re.compile(
    r"(?P<y>(?:1(?<!\d1)9|2(?<!\d2)0)\d{2})\s*(?:年|-|/|\.)\s*(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
)
# 21.06.2017 (day first, as European sites print it); 06/21/2017 when the
# second number cannot be a month.
DAY_FIRST_DATE = re.compile(r"(?P<a>\d(?<![\d.]\d)\d?)(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})(?![\d.])")
CN_FULL_DATE = re.compile(r"(?P<y>[〇○零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日")
# The same dates found from their 年, which is rarer than the numerals before
# it: a match starts at 年, the date at the start of group y.
_CN_FULL_DATE_AT_YEAR = re.compile(r"(?<=(?P<y>[〇○零一二三四五六七八九]{4}))年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日")
CLOCK = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:：][0-5]\d(?:[:：][0-5]\d)?(?!\d)")
# A month and day without a year, as a date field may give it (日期:01-08).
MONTH_DAY_FIELD = re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*(?P<d>\d{1,2})(?!\d)\s*日?")
YEAR = re.compile(r"(?P<y>(?:1(?<![\d.]1)9|2(?<![\d.]2)0)\d{2})\s*年(?!代)")
MONTH_DAY = re.compile(r"(?P<m>\d(?<![\d年.]\d)\d?)月(?P<d>\d{1,2})日")
_DIGIT = re.compile(r"\d")
WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]|礼拜[一二三四五六日天]")
# A year introduced or followed by these words is a target, not the present.
_PROSPECTIVE_BEFORE = re.compile(r"(?:到|至|争取在?|力争在?|预计|计划|有望|目标|规划|前瞻)\s*$")
_PROSPECTIVE_AFTER = re.compile(r"^(?:年)?(?:底|末|春节|年底|上半年|年中)?(?:以)?前(?![一二三四五六七八九十\d])")
# A year introduced or followed by these words is mentioned in passing: a
# starting point or a baseline (从2020年开始, 自2021年落户以来, 比2022年,
# 2020年的358.4亿元, 1979年就…), or one of a list or span of years
# (2018、2019年, 2016—2020年). The present lies after it.
_PASSING_BEFORE = re.compile(
    r"(?:从|自|早在|始于|成立于|创办于|建于|起于|于|截至|截止|比|较|同比|相比|对比|回顾|上世纪|"
    r"\d{4}\s*年?\s*[、和与及至到~～—–-]+)\s*$"
)
_PASSING_AFTER = re.compile(r"^年?\s*(?:以来|开始|起|就|至今|到现在|的|同期|相比|相较|前后|左右|[、和与及至到~～—–-]+\s*\d{4})")


def valid(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _dated_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) of every complete date written in `text` (folded)."""
    if "年" not in text and not _DIGIT.search(text):
        return []   # every pattern below needs a digit or 年
    found = []
    for m in FULL_DATE.finditer(text):
        iso = valid(int(m["y"]), int(m["m"]), int(m["d"]))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in DAY_FIRST_DATE.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        day, month = (b, a) if a <= 12 < b else (a, b)
        iso = valid(int(m["y"]), month, day)
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in _CN_FULL_DATE_AT_YEAR.finditer(text):
        iso = valid(chinese_number(m["y"]) or 0, chinese_number(m["m"]) or 0, chinese_number(m["d"]) or 0)
        if iso:
            found.append((m.start("y"), m.end(), iso))
    return sorted(found)


def full_dates(text: str) -> list[str]:
    """Every complete date written in `text` (folded), in order."""
    return [iso for _, _, iso in _dated_spans(text)]


# -- the date a page states about itself ------------------------------------

@functools.lru_cache(maxsize=1)
def date_labels() -> re.Pattern:
    """data/date_labels.txt as one pattern: a label, then an optional colon."""
    text = resources.files("quzhou_archive.data").joinpath("date_labels.txt").read_text(encoding="utf-8")
    words = sorted({w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}, key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(map(re.escape, words)) + r")\s*[:：]?\s*")


@dataclass
class Stamp:
    """A date printed on a line of page furniture."""

    iso: str | None                        # the full date, or None when the line gives no year
    month_day: tuple[int, int] | None      # (month, day) as printed
    labelled: bool = False                 # printed after 发布时间:, 日期: …
    clock: bool = False                    # printed with a time of day
    rest: int = 0                          # characters of the line that are not part of the stamp


_STAMP_FILLER = re.compile(r"[\s\-|｜/·•()（）\[\]【】:：,，]+")


def read_stamp(folded: str) -> Stamp | None:
    """The date a furniture line states, with how it is stated; None if it states none.

    A date right after a label (发布时间:) is labelled; failing a full date,
    a labelled month and day (日期:01-08) is kept too, because it still
    tells which day the page is of.
    """
    labels = date_labels()
    spans = _dated_spans(folded)
    if spans:
        start, end, iso = next(((s, e, i) for s, e, i in spans if _label_before(labels, folded, s)), spans[0])
        labelled = _label_before(labels, folded, start)
        month_day = (int(iso[5:7]), int(iso[8:10]))
    else:
        partial = _labelled_month_day(labels, folded)
        if partial is None:
            return None
        start, end, month_day = partial
        iso, labelled = None, True
    clock = CLOCK.match(folded[end:].lstrip(" \t\u00a0t"))  # 2024-06-16 18:32, 2024-06-16t18:32 (ISO 8601)
    return Stamp(iso, month_day, labelled, bool(clock), _leftover(labels, folded))


def _label_before(labels: re.Pattern, folded: str, start: int) -> bool:
    head = folded[max(0, start - 12):start]
    return any(m.end() == len(head) for m in labels.finditer(head))


def _labelled_month_day(labels: re.Pattern, folded: str):
    for label in labels.finditer(folded):
        m = MONTH_DAY_FIELD.match(folded, label.end())
        if m and 1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31 and label.group().rstrip().endswith((":", "：")):
            return m.start(), m.end(), (int(m["m"]), int(m["d"]))
    return None


def _leftover(labels: re.Pattern, folded: str) -> int:
    """How much of the line is neither a date, a time, a weekday nor a date label."""
    rest = DAY_FIRST_DATE.sub(" ", FULL_DATE.sub(" ", folded))
    rest = CN_FULL_DATE.sub(" ", rest)
    rest = MONTH_DAY_FIELD.sub(" ", rest) if labels.search(rest) else rest
    rest = labels.sub(" ", WEEKDAY.sub(" ", CLOCK.sub(" ", rest)))
    return len(_STAMP_FILLER.sub("", rest))


# Besides its date, a stamp line may hold a short word: the site's category
# (头条2018/3/16 19:32:07) or, beside a time of day, the site's name.
STAMP_LINE_REST = 4
STAMP_LINE_REST_WITH_CLOCK = 12


def is_stamp_line(folded: str, stamp: Stamp | None = None) -> bool:
    """A line that only stamps the page: a date, perhaps a time, a label, a
    weekday, a category word. `stamp` is `read_stamp(folded)` if known."""
    stamp = read_stamp(folded) if stamp is None else stamp
    if stamp is None or (stamp.iso is None and not stamp.labelled):
        return False
    return stamp.rest <= (STAMP_LINE_REST_WITH_CLOCK if stamp.clock else STAMP_LINE_REST)


@dataclass
class DateClaim:
    """A date the page states about itself, and where it says it."""

    stamp: Stamp
    basis: str              # "masthead", "trailer" or "web"
    order: int              # line number: the earlier of two equal claims wins
    names_paper: bool = False   # the line also names the paper, its page or its issue

    @property
    def strength(self) -> int:
        if self.basis == "trailer" or (self.basis == "masthead" and self.names_paper):
            return 4   # the paper's own date line
        if self.stamp.labelled:
            return 3
        # a bare date (2024年6月16日 星期日) may be a site's or a reader's "today"
        return 2 if self.stamp.clock else 1


def page_date(claims: list[DateClaim]) -> tuple[str | None, str | None]:
    """The page's own date and its basis, from every date it states about itself.

    A paper's dated masthead or trailer comes first; then a labelled date;
    then a stamp with a time of day; a bare date (which a site's header or a
    reader app prints for today) comes last. A labelled day without a year
    (日期:01-08) rules out a stamp of another day.
    """
    days = {c.stamp.month_day for c in claims if c.stamp.labelled and c.stamp.iso is None}
    usable = [c for c in claims if c.stamp.iso and not (days and c.basis != "trailer" and c.stamp.month_day not in days)]
    if not usable:
        return None, None
    best = max(usable, key=lambda c: (c.strength, -c.order))
    return best.stamp.iso, best.basis


# -- a date inferred from the text -----------------------------------------

_DOCUMENT_TITLE = re.compile(r"《[^》]{0,60}》")


def _year_mentions(text: str, this_year: int) -> tuple[list[int], list[int]]:
    """(years the text reports on, years it mentions in passing).

    Targets (到2025年, 2025年底前), years in a document's title (《2023年度…
    报告》 appears in 2024) and years after this one are neither.
    """
    text = _DOCUMENT_TITLE.sub(lambda m: "□" * len(m.group()), text)
    present, passing = [], []
    for m in YEAR.finditer(text):
        y = int(m["y"])
        if y > this_year:
            continue
        before, after = text[max(0, m.start() - 8):m.start()], text[m.end() - 1:m.end() + 6]
        if _PROSPECTIVE_BEFORE.search(before[-5:]) or _PROSPECTIVE_AFTER.match(after):
            continue
        if _PASSING_BEFORE.search(before) or _PASSING_AFTER.match(after):
            passing.append(y)
        else:
            present.append(y)
    return present, passing


def stated_years(text: str, this_year: int) -> list[int]:
    """Years the text reports on: `2024年` but not `到2025年`, `2025年底前`,
    `从2020年开始` or the year in a document's title."""
    return _year_mentions(text, this_year)[0]


def event_months(text: str) -> list[int]:
    """Months of the 月日 dates that carry no year of their own."""
    return [int(m["m"]) for m in MONTH_DAY.finditer(text) if 1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31]


def infer_date(text: str, today: _dt.date | None = None) -> str | None:
    """Date of a page that states none about itself, from the years and 月日 its text states.

    The latest year reported on is the present, unless a later year is
    mentioned in passing: a text that says 从1981年开始 was written after
    1981, but how long after it does not say.
    """
    today = today or _dt.date.today()
    present, passing = _year_mentions(text, today.year)
    if not present or max(passing, default=0) > max(present):
        return None
    year = max(present)
    months = event_months(text)
    months += [int(iso[5:7]) for iso in full_dates(text) if int(iso[:4]) == year]
    if not months:
        return f"{year:04d}"
    counts = Counter(months)
    month = max(counts, key=lambda mo: (counts[mo], mo))
    return f"{year:04d}-{month:02d}"
