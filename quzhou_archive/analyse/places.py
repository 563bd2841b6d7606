"""Where a figure belongs: the places a paragraph names (`gazetteer`), the
one nearest before a figure in its sentence, else the article's counties."""
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
    if chosen:
        name = chosen[2].name
        return name, draft.subject or paragraph[chosen[0]:chosen[1]], False
    counties = list(context.counties)
    if not counties:
        return None, draft.subject, False
    g = _gazetteer()
    inside = [c for c in counties if (g.by_name(c) is None or g.by_name(c).in_quzhou)] or counties
    return inside[0], draft.subject or inside[0], len(set(counties)) > 1
