"""Canonical indicator names (`data/indicators.yaml`) for indicators as the
text names them."""
from __future__ import annotations

import functools
import re

from quzhou_archive.data import read_yaml
from quzhou_archive.textnorm import fold

# one spelling for the forms the papers use interchangeably
_SAME = (("规模以上", "规上"), ("地区生产总值", "gdp"), ("生产总值", "gdp"), ("（", "("), ("）", ")"))
_NOT_WORD = re.compile(r"[\s\"“”‘’《》()·]+")


def comparable(name: str) -> str:
    """A name folded for comparison: Simplified, lower case, 规上 for 规模以上,
    gdp for 地区生产总值, without spaces, quotes and brackets."""
    text = fold(name)
    for a, b in _SAME:
        text = text.replace(a, b)
    return _NOT_WORD.sub("", text)


@functools.lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, str, bool], ...]:
    """(comparable alias, canonical name, is a share), the longest alias first."""
    rows = []
    for entry in read_yaml("indicators.yaml")["indicators"]:
        share = bool(entry.get("share"))
        for alias in (entry["name"], *(entry.get("aliases") or ())):
            rows.append((comparable(str(alias)), entry["name"], share))
    return tuple(sorted(rows, key=lambda row: len(row[0]), reverse=True))


@functools.lru_cache(maxsize=4096)
def canonical(indicator: str, share: bool = False) -> str | None:
    """The canonical name of the longest known name `indicator` ends with, or
    else of the longest it holds; for a
    share, only ratios are looked for (研发经费投入占GDP比重 is not 研发经费投入)."""
    text = comparable(indicator)
    rows = [(alias, name) for alias, name, is_share in _table() if is_share == share]
    # the head of a Chinese noun phrase is its end: 规上工业企业产值 is a 产值
    for alias, name in rows:
        if text.endswith(alias):
            return name
    for alias, name in rows:
        if alias in text:
            return name
    return None


@functools.lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(alias for alias, _, _ in _table())


@functools.lru_cache(maxsize=4096)
def is_bare_name(indicator: str) -> bool:
    """The indicator is one of the table's names with nothing around it (营收,
    not 光电产业营收)."""
    return comparable(indicator) in _names()
