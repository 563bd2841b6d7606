"""Which county-level divisions an article is about.

Every mention of a division, one of its towns or landmarks counts; 我县/本县
and bare 县委/县领导 count for the paper's home county, 我市/全市/市委 for
衢州市 (or for 江山市 in 江山's own paper). Headline mentions weigh three
times. The divisions that carry a fair share of the mentions are kept;
衢州市 is kept for city-wide news: several of its counties named, or none
standing out.
"""
from __future__ import annotations

import re
from collections import Counter

from quzhou_archive.gazetteer import Gazetteer, load

HEADLINE_WEIGHT = 3
SHARE = 0.35          # a division needs this share of the leader's score
MIN_SCORE = 2
# (县(?<![\u4e00-\u9fff]县) is 县 after no Chinese character, written so that
# every alternative starts with a character the search can skip to)
_HOME_COUNTY = re.compile(r"我县|本县|全县|县(?<![\u4e00-\u9fff]县)(?=委|政府|领导|人大|政协|长|里|级|域)")
_HOME_CITY = re.compile(r"我市|本市|全市|市(?<![\u4e00-\u9fff]市)(?=委|政府|领导|人大|政协|长)")


def _mask_ambiguous(text: str, gazetteer: Gazetteer) -> str:
    for phrases in gazetteer.ambiguous.values():
        for phrase in phrases:
            if phrase in text and not any(d.name == phrase for d in gazetteer.divisions):
                text = text.replace(phrase, "□" * len(phrase))
    return text


def mentions(folded: str, gazetteer: Gazetteer | None = None) -> Counter:
    """Division name -> number of explicit mentions in folded text.

    The city named right before one of its counties (衢州市柯城区, 衢州常山)
    only says where the county is: that mention counts for the county alone,
    so that a story about one county is not also filed under the city."""
    gazetteer = gazetteer or load()
    forms = gazetteer.surface_forms
    text = _mask_ambiguous(folded, gazetteer)
    found = [(m.start(), m.end(), forms[m.group()]) for m in gazetteer.pattern.finditer(text)]
    counts: Counter = Counter()
    for (start, end, division), after in zip(found, found[1:] + [None]):
        if (division is gazetteer.city and after is not None and after[0] == end
                and after[2].in_quzhou and after[2] is not gazetteer.city):
            continue
        counts[division.name] += 1
    return counts


def separates(separator: str, gazetteer: Gazetteer | None = None) -> bool:
    """Does `separator` keep the mentions of the texts it joins apart (so that
    the mentions of the whole are the texts' added up): does no name, and no
    phrase masked as ambiguous, hold it?"""
    gazetteer = gazetteer or load()
    key = (id(gazetteer), separator)
    if key not in _SEPARATES:
        words = [*gazetteer.surface_forms, *(p for phrases in gazetteer.ambiguous.values() for p in phrases)]
        _SEPARATES[key] = not any(separator in w for w in words)
    return _SEPARATES[key]


_SEPARATES: dict[tuple[int, str], bool] = {}


def home_of(paper: str | None, page_mentions: Counter, gazetteer: Gazetteer | None = None,
            known_home: str | None = None) -> str | None:
    """The division a paper speaks for: from the paper list, its name, or the page."""
    gazetteer = gazetteer or load()
    if known_home is not None:
        return known_home
    if paper:
        named = mentions(paper, gazetteer)
        if named:
            return named.most_common(1)[0][0]
        return None  # a paper we cannot place (a provincial paper): no 我县 resolution
    counties = {d.name for d in gazetteer.counties}
    ranked = [(n, c) for n, c in page_mentions.most_common() if n in counties]
    if ranked and ranked[0][1] >= 2:
        return ranked[0][0]
    return None


CITY_WIDE_COUNTIES = 3   # a story naming this many of the city's counties is news of the whole city


def _city_wide(scores: Counter, chosen: list[str], floor: float, best: float, gazetteer: Gazetteer) -> bool:
    """Is the story about the city, not (only) about the counties it names?

    Yes when it names several of the city's counties, or no county of the
    city stands out; when one county does, the city must outweigh it."""
    city = gazetteer.city.name
    if scores.get(city, 0) < floor:
        return False
    county_names = {d.name for d in gazetteer.counties}
    if len(county_names & set(scores)) >= CITY_WIDE_COUNTIES:
        return True
    ours = county_names & set(chosen)
    return not ours or scores[city] > max(scores[n] for n in ours)


def counties_for(headline: str, body: str, home: str | None, gazetteer: Gazetteer | None = None,
                 headline_mentions: Counter | None = None, body_mentions: Counter | None = None) -> list[str]:
    """Ranked divisions an article is about (folded headline and body;
    their `mentions` when the caller has them already)."""
    gazetteer = gazetteer or load()
    scores: Counter = Counter()
    if headline_mentions is None:
        headline_mentions = mentions(headline, gazetteer)
    if body_mentions is None:
        body_mentions = mentions(body, gazetteer)
    for name, n in headline_mentions.items():
        scores[name] += HEADLINE_WEIGHT * n
    for name, n in body_mentions.items():
        scores[name] += n
    city = gazetteer.city.name
    home_division = gazetteer.by_name(home) if home else None
    if home_division is not None and home_division.name != city and not home_division.name.endswith("市"):
        scores[home_division.name] += len(_HOME_COUNTY.findall(headline + body))
    city_words = len(_HOME_CITY.findall(headline + body))
    if home_division is not None and home_division.name.endswith("市") and home_division.name != city:
        scores[home_division.name] += city_words          # 江山's paper: 我市 is 江山市
    elif home_division is None or home_division.in_quzhou:
        scores[city] += city_words / 2                    # 市委/全市 said in 衢州 is 衢州市
    scores = +scores  # drop divisions that scored nothing
    if not scores:
        return []
    best = max(scores.values())
    floor = max(MIN_SCORE, SHARE * best)
    chosen = [n for n, s in scores.most_common() if s >= floor and n != city]
    if _city_wide(scores, chosen, floor, best, gazetteer):
        chosen.append(city)
    if not chosen:
        chosen = [max(scores, key=scores.get)]
    return sorted(chosen, key=lambda n: -scores[n])
