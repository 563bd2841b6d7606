"""What the stages of one build share: `BuildContext`, and the versions
of everything the outputs are made by (`Versions`)."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from quzhou_archive.pipeline.state import AnalysisCache, ArticleRecord, Manifest, digest_of, tree_digest

PACKAGE = Path(__file__).resolve().parent.parent
COMPILED_TEMPLATES = "templates"    # the state folder's folder of compiled templates


@dataclass(frozen=True)
class Versions:
    """What the outputs are made by, besides the articles. An analyser's
    version decides whether its cached results can be used; a stage's
    whether its outputs of the last build can be kept (each output also
    has the digest of its own inputs: `outputs.py`)."""

    analysers: dict[str, str]       # each analyser's own: what the cache is keyed by
    results: dict[str, str]         # each analyser's, with those of the results it reads
    stages: dict[str, str]          # each output stage's: its code, what it reads, the base URL where it shows
    key: str = ""                   # the digest of everything the versions are worked out from

    @classmethod
    def now(cls, base_url: str, last: dict | None = None, raw_pages: list = ()) -> "Versions":
        """The versions of now: the last build's (`last`, as `plain()` gave
        them) when what they are worked out from is as it was — the code
        and data of the package, the templates and assets, the libraries
        installed, the base URL, and the raw pages published beside the
        articles (`raw_pages`: their names, sizes and times, so that a build
        whose articles are as they were still publishes a changed raw page)
        — which costs no import of the stages' libraries; else worked out anew."""
        code = tree_digest(PACKAGE, suffixes=(".py", ".yaml", ".txt"))
        key = digest_of(code, base_url, site_files_digest(), installed_libraries(), list(raw_pages))
        if last and last.get("key") == key:
            return cls(last["analysers"], last["results"], last["stages"], key)
        from quzhou_archive.pipeline import analyse, export, figures, opendata, pages, rawpages, whoosh

        own = analyse.own_versions()
        results = analyse.result_versions(own)
        stages = {stage.NAME: stage.version(code, results, base_url) for stage in (whoosh, export, pages, figures, opendata,
                                                                              rawpages)}
        stages.update({stage.DOWNLOADS: stage.downloads_version(code, results, base_url)
                       for stage in (pages, figures, opendata)})
        return cls(own, results, stages, key)

    def plain(self) -> dict:
        return {"analysers": self.analysers, "results": self.results, "stages": self.stages, "key": self.key}


def site_files_digest() -> str:
    from quzhou_archive.site import layout

    return digest_of(tree_digest(layout.TEMPLATES), tree_digest(layout.STATIC))


def site_stage_version(code: str, results: dict[str, str], reads: tuple[str, ...], base_url: str) -> str:
    """The version of a stage that writes site files: its code, the analysers'
    results it reads, the templates and assets, the base URL."""
    return digest_of(code, [results[name] for name in reads], site_files_digest(), base_url)[:16]


def downloads_stage_version(code: str, results: dict[str, str], reads: tuple[str, ...], base_url: str) -> str:
    """The version of a stage's downloads: its code, the analysers' results it
    reads, the base URL (in their links) — not the templates and assets,
    which no download is made from, so that a template edit, which renders
    every page again, copies no download."""
    return digest_of(code, [results[name] for name in reads], base_url)[:16]


def installed_libraries() -> list:
    """Every distribution installed where this Python finds its modules (the
    names of their metadata folders carry their versions), and jieba's
    dictionary file's size and time: what the analysers' versions take from
    outside the package, listed without importing anything."""
    names = []
    for folder in sys.path:
        try:
            names += sorted(n for n in os.listdir(folder or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    spec = importlib.util.find_spec("jieba")
    dictionary = os.stat(os.path.join(spec.submodule_search_locations[0], "dict.txt")) if spec else None
    return [names, dictionary and (dictionary.st_size, dictionary.st_mtime_ns)]


def settings_digest(articles_dir: Path, out_dir: Path, index_dir: Path) -> str:
    """The folders a manifest describes: another one is another site."""
    return digest_of(*(str(Path(p).resolve()) for p in (articles_dir, out_dir, index_dir)))


@dataclass
class BuildContext:
    """One build: its options, what the last build left (`last`), and what
    each stage hands the next."""

    articles_dir: Path
    out_dir: Path
    index_dir: Path
    base_url: str
    jobs: int
    full: bool
    state: Path                             # the build state folder, beside the index
    settings: str
    versions: Versions
    last: Manifest                          # what the last build read and wrote (empty: build from nothing)
    known: dict[str, ArticleRecord] = field(default_factory=dict)  # the last build's records, for their files' times
    cache: AnalysisCache | None = None
    listing: object = None                  # workers.Forked: the article files being listed (`sources.list_meanwhile`)
    checking: object = None                 # outputs.OutputsCheck: the published outputs being looked at
    analysing: object = None                # workers.Workers begun early for a few changed articles (analysekit.begin)
    repair: object = None                   # outputs.Repair: what of the published outputs is damaged
    sources: list = field(default_factory=list)         # sources.Source: every article file
    plan: object = None                     # sources.Plan: what changed
    records: dict[str, ArticleRecord] = field(default_factory=dict)     # every article, by ID
    last_tokens_kept: bool = False          # the cache holds the tokens the last build counted and exported
    words: Counter = field(default_factory=Counter)     # the archive's vocabulary
    chars: Counter = field(default_factory=Counter)
    collection: object = None               # whoosh.Collection: filter values, average lengths
    order: list[str | None] = field(default_factory=list)   # the browser index's documents, by number (None: removed)
    delta_from: int = 0                     # the first number whose postings are in the delta shards
    staged_index: Path | None = None        # the new Whoosh index, staged
    linking: object = None                  # the staged site's copy of the old: fsutil.TreeLink under way, or standby.Taken
    site: object = None                     # outputs.StagedSite: the new site, staged
    outputs: object = None                  # outputs.Outputs: every file of the new site, made or kept
    raw_files: frozenset = frozenset()      # the raw pages published (their names), which article pages link
    places: object = None                   # site.model.Places: the site's places, by the articles' counties
    page_renderer: object = None            # site.render.Renderer: made by `renderer()`
    index_files: dict[str, list] = field(default_factory=dict)
    stamp: str | None = None
    standby: tuple | None = None            # standby.Standby: what the site taken out by publishing is kept as
    segmented: int = 0
    publishing: bool = False                # the staged folders are publish.py's from here on

    @property
    def fresh(self) -> bool:
        """Built from nothing: no earlier output is kept."""
        return self.last.empty

    def renderer(self):
        """The pages' renderer, one for the whole build: each template is
        compiled once, or read as the last build compiled it (kept in the
        state folder)."""
        if self.page_renderer is None:
            from quzhou_archive.site import render

            self.page_renderer = render.Renderer(self.base_url, compiled=self.state / COMPILED_TEMPLATES)
        return self.page_renderer

    def manifest(self) -> Manifest:
        """What this build read and wrote, for the next one."""
        return Manifest(
            settings=self.settings, versions=self.versions.plain(), stamp=self.stamp, articles=self.records,
            outputs=self.outputs.records, groups=self.outputs.groups, index_files=self.index_files,
            order=self.order, delta_from=self.delta_from, words=dict(self.words), chars=dict(self.chars),
            standby=self.standby)


def megabytes(size: int) -> str:
    """A size for people: "0.2 MB", "37 MB"."""
    return f"{size / 1e6:.1f} MB" if size < 10**7 else f"{size / 1e6:.0f} MB"


def short_digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
