"""The archive's gazetteer: 衢州's county-level divisions, their towns and
landmarks, and the county-level divisions outside 衢州 that its news names.

Loaded from `data/gazetteer.yaml`, which archivists tune. Ingest uses it to
tag articles with counties; the site uses it to group places; search loads
its names into jieba's dictionary.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from quzhou_archive.data import read_yaml
from quzhou_archive.textnorm import longest_word_pattern


@dataclass(frozen=True)
class Division:
    name: str                 # official full name: 常山县
    slug: str
    city: str                 # the prefecture it belongs to: 衢州市, 丽水市 …
    in_quzhou: bool
    short: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    city: Division
    counties: list[Division]          # 衢州's six, in the gazetteer's order
    outside: list[Division]
    ambiguous: dict[str, list[str]] = field(default_factory=dict)

    @property
    def divisions(self) -> list[Division]:
        return [self.city, *self.counties, *self.outside]

    def by_name(self, name: str) -> Division | None:
        return self._index().get(name)

    @functools.lru_cache(maxsize=1)
    def _index(self) -> dict[str, Division]:
        return {d.name: d for d in self.divisions}

    @functools.cached_property
    def surface_forms(self) -> dict[str, Division]:
        """Every string that names a division: full names, short forms, places."""
        forms: dict[str, Division] = {}
        for d in self.divisions:
            for form in (d.name, *d.short, *d.places):
                forms.setdefault(form, d)
        return forms

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        """Any surface form; the longest where several start at one place."""
        return re.compile(longest_word_pattern(self.surface_forms))

    def __hash__(self) -> int:  # lru_cache on methods needs it; there is one gazetteer
        return id(self)


def _division(entry: dict, city: str, in_quzhou: bool) -> Division:
    return Division(
        name=entry["name"],
        slug=entry.get("slug") or "",
        city=city,
        in_quzhou=in_quzhou,
        short=tuple(entry.get("short") or ()),
        places=tuple(entry.get("places") or ()),
    )


@functools.lru_cache(maxsize=1)
def load() -> Gazetteer:
    data = read_yaml("gazetteer.yaml")
    city_name = data["city"]["name"]
    city = _division(data["city"], city_name, True)
    counties = [_division(c, city_name, True) for c in data["counties"]]
    outside = [_division(o, o["city"], False) for o in data.get("outside") or ()]
    return Gazetteer(city, counties, outside, data.get("ambiguous_short") or {})
