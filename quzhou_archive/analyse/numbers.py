"""Numbers as the papers print them: Arabic (48251, 20.235, 1,200) and
Chinese (三, 十二, 百, 二十五点五, 百分之十二点五), and the units that make a
number an economic figure.

All patterns work on folded text (`textnorm.fold`: Simplified, half-width,
lower case), which has the same length as the text it came from, so a match
in the folded text is a quote of the original.
"""
from __future__ import annotations

import re

CN_DIGIT = "零〇一二两三四五六七八九"
_CN_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
_CN_SCALE = {"十": 10, "百": 100, "千": 1000}

ARABIC = r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|(?<![\d.])\d+(?:\.\d+)?"
# 万 and 亿 are left out of a Chinese number: in 百万只 or 十亿元 they belong to
# the unit, which is kept as written (100 万只, 10 亿元)
CHINESE = rf"(?<![{CN_DIGIT}十百千万亿])[{CN_DIGIT}十百千]+(?:点[{CN_DIGIT}]+)?"

# Units, longest first where one is the start of another. Folded text is
# lower case, hence gwh.
MONEY_UNITS = [f"{scale}{currency}" for scale in ("万亿", "千亿", "百亿", "亿", "千万", "百万", "十万", "万", "千", "")
               for currency in ("美元", "欧元", "港元", "日元", "元")]
PERCENT_UNITS = ["个百分点", "百分点", "%", "‰"]
OUTPUT_UNITS = ["亿千瓦时", "万千瓦时", "千瓦时", "万千瓦", "千瓦", "万兆瓦", "兆瓦", "万度", "twh", "gwh", "mwh", "kwh", "gw",
                "mw", "万吨", "吨", "万公斤", "公斤", "万只", "只", "万套", "套", "万件", "件", "万台", "台", "万辆", "辆",
                "万头", "头", "万片", "片", "万颗", "颗", "万支", "支", "万箱", "箱", "万瓶", "瓶", "万双", "万米", "万羽"]
COUNT_UNITS = ["家", "个", "项"]

UNIT_DISPLAY = {"twh": "TWh", "gwh": "GWh", "mwh": "MWh", "kwh": "kWh", "gw": "GW", "mw": "MW", "‰": "‰"}


def unit_kind(unit: str) -> str:
    """'money', 'percent', 'output' or 'count'."""
    if unit in _KIND:
        return _KIND[unit]
    raise KeyError(unit)


_KIND = {**{u: "money" for u in MONEY_UNITS}, **{u: "percent" for u in PERCENT_UNITS},
         **{u: "output" for u in OUTPUT_UNITS}, **{u: "count" for u in COUNT_UNITS}}


UNIT_STARTS = "".join(sorted({u[0] for u in _KIND}))     # the characters a unit can start with


def units_pattern() -> str:
    """Every unit, the longest alternative first (a regex alternation takes
    the first that fits: 个百分点 before 个, 万吨 before 吨)."""
    units = sorted(_KIND, key=len, reverse=True)
    alternatives = "|".join(re.escape(u) for u in units)
    # the characters a unit can start with, looked at first: most numbers
    # (一 of 一些, 统一) are followed by none, and the engine then tries no alternative
    first = re.escape(UNIT_STARTS)
    # 元 of 元旦/元宵 and the letters of a longer Latin word are not units
    return rf"(?=[{first}])(?:{alternatives})(?![旦宵a-z])"


def parse_number(text: str) -> float | None:
    """'48,251' -> 48251, '20.235' -> 20.235, '二十五点五' -> 25.5, '百' -> 100."""
    if not text:
        return None
    if text[0].isdigit():
        return float(text.replace(",", ""))
    whole, _, fraction = text.partition("点")
    value = _chinese_integer(whole)
    if value is None:
        return None
    if fraction:
        digits = "".join(str(_CN_VALUE[ch]) for ch in fraction if ch in _CN_VALUE)
        if len(digits) != len(fraction):
            return None
        value += float("0." + digits)
    return float(value)


def _chinese_integer(text: str) -> int | None:
    """'三' -> 3, '十二' -> 12, '二百零五' -> 205, '二〇二四' -> 2024, '百' -> 100."""
    if not text:
        return None
    if all(ch in _CN_VALUE for ch in text):           # digit by digit: 二〇二四
        return int("".join(str(_CN_VALUE[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in "零〇":
            continue                                   # a place holder: 二百零五
        if ch in _CN_VALUE:
            if digit is not None:
                return None                            # two digits in a row: 三五千
            digit = _CN_VALUE[ch]
        elif ch in _CN_SCALE:
            total += (1 if digit is None else digit) * _CN_SCALE[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)
