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


def place_at(text: str, pos: int) -> re.Match | None:
    return _gazetteer().pattern.match(text, pos)


def place_matches(text: str, firm_name: re.Pattern) -> list[tuple[int, int, object]]:
    """The places the paragraph names, with their divisions; 衢州 inside a
    firm's name (衢州元森光电技术股份有限公司) says nothing of the place."""
    g = _gazetteer()
    found = []
    for m in g.pattern.finditer(text):
        division = g.surface_forms.get(m.group(0))
        if division is None:
            continue
        firm = firm_name.match(text, m.start()) if division is g.city else None
        if firm and firm.end() - m.end() < 16:
            continue
        found.append((m.start(), m.end(), division))
    return found


def county_of(draft, sentence, places, context, paragraph) -> tuple[str | None, str | None, bool]:
    """(county, subject, whether it was a guess between several counties)."""
    s_start, s_end = sentence
    here = [p for p in places if s_start <= p[0] < s_end]
    before = [p for p in here if p[0] < draft.spot.start]
    after = [p for p in here if p[0] >= draft.spot.start]
    chosen = None
    for group in (before[::-1], after):
        chosen = next((p for p in group if p[2].name != _gazetteer().city.name), None) or (group[0] if group else None)
        if chosen:
            break
    if chosen is None:
        # a sentence that names no place goes on about the last one its paragraph
        # named (2023年,辉埠镇经济发展稳中有进。全年实现规上工业产值110.2亿元)
        earlier = [p for p in places if p[0] < s_start]
        chosen = next((p for p in earlier[::-1] if p[2].name != _gazetteer().city.name), None)
    if chosen:
        return chosen[2].name, official(draft.subject or paragraph[chosen[0]:chosen[1]]), False
    counties = list(context.counties)
    if not counties:
        return None, official(draft.subject), False
    g = _gazetteer()
    inside = [c for c in counties if (g.by_name(c) is None or g.by_name(c).in_quzhou)] or counties
    return inside[0], official(draft.subject) or inside[0], len(set(counties)) > 1


def official(subject: str | None) -> str | None:
    """常山 and 常山县 are one subject: a county-level division named short is
    named in full; a town, a park or a firm keeps its own name."""
    division = _gazetteer().surface_forms.get(subject) if subject else None
    if division is not None and subject in division.short:
        return division.name
    return subject
