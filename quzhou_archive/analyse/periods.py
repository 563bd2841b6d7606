"""The time expressions of a text (2023年, 今年一季度, 去年, 1月至4月, 11月29日
…) and the period each names, only as precise as the text and the
article's date allow: 2023, 2023-Q1, 2023-H1, 2023-05, 2023-01/2023-04, or
None when the article's date is needed and not known.

Patterns work on folded text (`textnorm.fold`).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from quzhou_archive.analyse.scanning import DIGITS, Scanner

_M = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_Q = r"[一二三四1-4]"
# what may follow a year: a quarter, a half, the first n quarters, a month
# range, a month (with its day), or the year's end, start or "since"
_PART = (rf"(?:第?(?P<q>{_Q})季度|(?P<h>上|下)半年|前(?P<qn>[一二三1-3])(?:个)?季度"
         rf"|(?P<m1>{_M})(?:月份?)?[-~—至到](?P<m2>{_M})月份?|(?P<m>{_M})月份?(?:\d{{1,2}}[日号])?"
         rf"|(?P<edge>底|末|初|以来))?")
# (the lookahead of the characters an expression can start with, and of
# those its second character can be, lets the regex engine pass over the
# rest of the text several times faster: 上, 一 and 第 mostly start other words)
PERIOD = re.compile(
    r"(?=[\d今去上前明本当全昨第一二三四五六七八九十下][\d年一二三四季半月\-~—至到日天])(?:"
    rf"(?:(?<!\d)(?P<y>(?:19|20)\d\d)\s*年(?:度)?|(?P<rel>今年|去年|上年|前年|明年|本年|当年|上一年)(?:度)?"
    rf"|(?<![\d年个第])(?=第?{_Q}季度|[上下]半年|前[一二三1-3]个?季度|(?:{_M})(?:月份?)?[-~—至到]|(?:{_M})月))"
    + _PART +
    r"|(?P<whole>全年)|(?P<today>昨日|昨天|今天|今日|当天|当日|本月|上月))"
)
PERIODS = Scanner(PERIOD, DIGITS + "今去上前明本当全昨第一二三四五六七八九十下", DIGITS + "年一二三四季半月\\-~—至到日天")
# 比去年 / 较上年度 / 同比去年 / 去年同期: the base of a comparison, not the period
_COMPARED_BEFORE = re.compile(r"(?:比|较|与|同|相比|对比)$")
_COMPARED_AFTER = re.compile(r"同期|相比|水平")

_RELATIVE = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "上一年": -1, "前年": -2, "明年": 1}
_CN_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    period: str | None      # what it names, None when the article's date was needed and is not known
    explicit: bool          # names its year (2023年) rather than leaning on the article's date
    weak: bool = False      # 全年: the year the text is already about
    since: bool = False     # 2023年以来: from then until the article


@dataclass(frozen=True)
class ArticleDate:
    year: int | None
    month: int | None

    @classmethod
    @functools.lru_cache(maxsize=1024)
    def of(cls, date: str | None) -> "ArticleDate":
        m = re.match(r"(\d{4})(?:-(\d{2}))?", date or "")
        return cls(int(m[1]) if m else None, int(m[2]) if m and m[2] else None)


def mentions(text: str, date: ArticleDate, anchor: Mention | None = None) -> list[Mention]:
    """The time expressions of `text` in order, comparison bases left out.
    `anchor` is the last one before the text (its year is that of a month
    named without one)."""
    return mentions_found(PERIODS.finditer(text), text, 0, date, anchor)


def mentions_found(matches, text: str, base: int, date: ArticleDate, anchor: Mention | None) -> list[Mention]:
    """`mentions` of a paragraph that starts at `base` in `text` (an article's
    paragraphs scanned as one string), from PERIOD's matches in it
    (`PERIODS.finditer`'s: the whole of each is group 1): the same, with
    positions in the paragraph."""
    found = []
    for m in matches:
        start, end = m.start(), m.end(1)
        if end == start or _compared(text, start, end, base):
            continue
        mention = _mention(m, start - base, end - base, date, anchor)
        if mention is not None:
            found.append(mention)
            anchor = mention
    return found


def _compared(text: str, start: int, end: int, base: int) -> bool:
    return bool(_COMPARED_BEFORE.search(text, max(base, start - 2), start) or _COMPARED_AFTER.match(text, end))


def _mention(m: re.Match, start: int, end: int, date: ArticleDate, anchor: Mention | None) -> Mention | None:
    if m["whole"]:
        return Mention(start, end, _whole_year(date, anchor), False, weak=True)
    if m["today"]:
        month = date.month
        if m["today"] == "上月" and month:
            month = month - 1 or 12
        period = f"{date.year}-{month:02d}" if date.year and month else None
        return Mention(start, end, period, False)
    if m["y"]:
        return Mention(start, end, _with_part(int(m["y"]), m), True, since=m["edge"] == "以来")
    if m["rel"]:
        year = _anchor_year(anchor) if m["rel"] == "当年" else (
            date.year + _RELATIVE[m["rel"]] if date.year else None)
        return Mention(start, end, _with_part(year, m) if year else None, False)
    # a quarter, half or month without a year: the year the text is about,
    # else the article's (a month after the article's own is last year's)
    year = _anchor_year(anchor) or date.year
    if year and anchor is None and date.month and m["m"] and _month(m["m"]) > date.month:
        year -= 1
    return Mention(start, end, _with_part(year, m) if year else None, False)


def _anchor_year(anchor: Mention | None) -> int | None:
    return int(anchor.period[:4]) if anchor and anchor.period and anchor.explicit else None


def _whole_year(date: ArticleDate, anchor: Mention | None) -> str | None:
    """全年: the year already named; else, early in a year, the year just
    ended (a January–March article sums up the year before)."""
    if anchor and anchor.period:
        return anchor.period[:4]
    if date.year is None:
        return None
    return str(date.year - 1 if date.month and date.month <= 3 else date.year)


def _with_part(year: int, m: re.Match) -> str:
    if m["q"]:
        return f"{year}-Q{_month(m['q'])}"
    if m["h"]:
        return f"{year}-H{1 if m['h'] == '上' else 2}"
    if m["qn"]:
        return f"{year}-01/{year}-{3 * _month(m['qn']):02d}"
    if m["m1"]:
        return f"{year}-{_month(m['m1']):02d}/{year}-{_month(m['m2']):02d}"
    if m["m"]:
        return f"{year}-{_month(m['m']):02d}"
    return str(year)


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _CN_NUMBER[text]
