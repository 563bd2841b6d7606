"""Where a figure belongs: the places a paragraph names (`gazetteer`), the
one nearest before a figure in its sentence, else the last one named
earlier in its paragraph, else the article's counties."""
from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=1)
def _gazetteer():
    from quzhou_archive import gazetteer

    return gazetteer.load()


@functools.lru_cache(maxsize=1)
def _places():
    """The gazetteer's pattern, scanned from the first two characters of its
    names (`scanning.Scanner`); the pattern itself if a name is one character."""
    from quzhou_archive.analyse.scanning import Scanner

    g = _gazetteer()
    forms = list(g.surface_forms)
    if min(map(len, forms)) < 2:
        return None
    return Scanner(g.pattern, re.escape("".join({f[0] for f in forms})), re.escape("".join({f[1] for f in forms})))


def place_at(text: str, pos: int) -> re.Match | None:
    return _gazetteer().pattern.match(text, pos)


def place_matches(text: str, firm_name: re.Pattern) -> list[tuple[int, int, object]]:
    """The places the paragraph names, with their divisions; 衢州 inside a
    firm's name (衢州元森光电技术股份有限公司) says nothing of the place."""
    g = _gazetteer()
    scanner = _places()
    found = []
    for m in (scanner.finditer(text) if scanner else g.pattern.finditer(text)):
        name, start = m.group(1) if scanner else m.group(0), m.start()
        end = start + len(name)
        division = g.surface_forms.get(name)
        if division is None:
            continue
        firm = firm_name.match(text, start) if division is g.city else None
        if firm and firm.end() - end < 16:
            continue
        found.append((start, end, division))
    return found


def county_of(draft, sentence, places, context, paragraph) -> tuple[str | None, str | None, bool]:
    """(county, subject, whether it was a guess between several counties)."""
    s_start, s_end = sentence
    at = draft.spot.start
    city = _gazetteer().city.name
    # of the places named in the sentence, the nearest before the figure that
    # is not the city (else the nearest before), else the first after it that
    # is not (else the first after); a sentence that names no place goes on
    # about the last its paragraph named (2023年,辉埠镇经济发展稳中有进。全年实现规上工业产值110.2亿元)
    before = before_not_city = after = after_not_city = earlier = None
    for place in places:            # in the order of the text
        start = place[0]
        if start >= s_end:
            break
        not_city = place[2].name != city
        if start < s_start:
            if not_city:
                earlier = place
        elif start < at:
            before = place
            if not_city:
                before_not_city = place
        else:
            after = after or place
            if not_city and after_not_city is None:
                after_not_city = place
    if before:
        chosen = before_not_city or before
    elif after:
        chosen = after_not_city or after
    else:
        chosen = earlier
    if chosen:
        return chosen[2].name, official(draft.subject or paragraph[chosen[0]:chosen[1]]), False
    county, several = _article_county(tuple(context.counties))
    if county is None:
        return None, official(draft.subject), False
    return county, official(draft.subject) or county, several


@functools.lru_cache(maxsize=256)
def _article_county(counties: tuple[str, ...]) -> tuple[str | None, bool]:
    """The county a figure that names none belongs to: the article's first
    in 衢州 (else its first), and whether the article has several."""
    if not counties:
        return None, False
    g = _gazetteer()
    inside = [c for c in counties if (g.by_name(c) is None or g.by_name(c).in_quzhou)] or list(counties)
    return inside[0], len(set(counties)) > 1


def official(subject: str | None) -> str | None:
    """常山 and 常山县 are one subject: a county-level division named short is
    named in full; a town, a park or a firm keeps its own name."""
    division = _gazetteer().surface_forms.get(subject) if subject else None
    if division is not None and subject in division.short:
        return division.name
    return subject
