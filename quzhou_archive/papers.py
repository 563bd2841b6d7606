"""The papers the archive knows by name (data/papers.yaml): each one's
slug and home page. The build's pages and the ingest's page reading both
ask it, so it lives apart from either."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from quzhou_archive.data import read_yaml


@dataclass
class Paper:
    name: str
    slug: str
    home: str | None


@functools.lru_cache(maxsize=1)
def known_papers() -> dict[str, Paper]:
    """By name (folded, as papers.yaml writes it)."""
    return {p["name"]: Paper(p["name"], p["slug"], p.get("home")) for p in read_yaml("papers.yaml")}
