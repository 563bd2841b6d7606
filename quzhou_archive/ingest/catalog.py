"""The catalogue: what an archivist knows about a raw page that its text does not say.

A county paper's PDF often carries no masthead in its text, so nothing on the
page names its paper, date or page. A `catalog.yaml` in the folder of the raw
files (or one file given with `--catalog FILE`) states them:

    kaihua-20240305-02.txt:        # a file in this folder
      paper: 开化报
      date: 2024-03-05             # or 2024-03, or 2024: only as precise as known
      edition: 县域版
      page: 2
    "kaihua-202403*.txt":          # * and ? match any characters of a file name
      paper: 开化报

One catalogue per folder rather than a sidecar beside every page: a batch of
a hundred pages is described in one place, where a whole folder's shared
facts can be stated once by a pattern, and where a spreadsheet export can be
pasted; the folder's `*.txt` pages stay the only files ingest reads as pages.

A key names a raw file by the end of its path (`p01.txt`, or `0305/p01.txt`
in a catalogue given with --catalog for several folders; a folder's own
catalogue covers only the pages beside it), or by a pattern. For each fact the
entry that names the file without wildcards wins (the longest first), then
patterns in the order written.

Catalogue facts only fill in what the page does not state. Where the page
states a fact and the catalogue another, the page's own is kept and the
disagreement is reported. A date the page merely suggests by a year in its
text is not a statement: the catalogue's date replaces it.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import yaml

from quzhou_archive.ingest import furniture
from quzhou_archive.errors import ArchiveError
from quzhou_archive.textnorm import fold

CATALOG_NAME = "catalog.yaml"
FACTS = ("paper", "date", "edition", "page", "section")
# Date bases that are the page's own statement about itself (see page._page_facts);
# any other basis (a year inferred from the text) is a guess the catalogue corrects.
_NOT_STATED = (None, "text")
_DATE = re.compile(r"^(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?)?$")
_WILDCARD = re.compile(r"[*?\[]")
# Only the node tree is read (values stay text, each with its line), so the plain safe loader does.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Stated:
    """One fact as the catalogue states it, and where."""
    value: str | int
    where: str          # "raw/catalog.yaml:7", for messages
    cited: str          # "catalog.yaml:7", for the page record: the same wherever ingest is run from


@dataclass
class Entry:
    key: str
    line: int
    facts: dict[str, Stated]
    used: bool = False

    @property
    def pattern(self) -> bool:
        return bool(_WILDCARD.search(self.key))

    def names(self, raw: Path) -> bool:
        return PurePath(raw.resolve().as_posix()).match(self.key)


@dataclass
class Catalogue:
    path: Path
    entries: list[Entry]

    def facts_for(self, raw: Path) -> dict[str, Stated]:
        exact = sorted((e for e in self.entries if not e.pattern and e.names(raw)), key=lambda e: -len(e.key))
        patterns = [e for e in self.entries if e.pattern and e.names(raw)]
        facts: dict[str, Stated] = {}
        for entry in exact + patterns:
            entry.used = True
            for name, stated in entry.facts.items():
                facts.setdefault(name, stated)
        return facts

    def unmatched(self) -> list[Entry]:
        """Entries naming a file (no wildcards) that no raw file of the run matched."""
        return [e for e in self.entries if not e.pattern and not e.used]


# -- reading -----------------------------------------------------------------

def load(path: Path) -> Catalogue:
    """Read a catalogue; a malformed one raises an ArchiveError naming its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise ArchiveError(path, f"cannot read the catalogue: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise ArchiveError(path, "the catalogue is not UTF-8 text", err.object[:err.start].count(b"\n") + 1) from None
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ArchiveError(path, f"the catalogue is not valid YAML: {problem}",
                           mark.line + 1 if mark is not None else None) from None
    if root is None:
        return Catalogue(path, [])
    if not isinstance(root, yaml.MappingNode):
        raise ArchiveError(path, "the catalogue must map raw file names to their facts "
                                 "(`page.txt:` then indented `paper:`, `date:` …)", _line(root))
    entries, seen = [], {}
    for key_node, value_node in root.value:
        key = _scalar_text(path, key_node, "a raw file name").strip()
        if not key:
            raise ArchiveError(path, "empty raw file name", _line(key_node))
        if key in seen:
            raise ArchiveError(path, f"{key} is catalogued twice (first on line {seen[key]})", _line(key_node))
        seen[key] = _line(key_node)
        entries.append(Entry(key, _line(key_node), _entry_facts(path, key, value_node)))
    return Catalogue(path, entries)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar_text(path: Path, node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise ArchiveError(path, f"expected {what}, found a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}",
                           _line(node))
    return node.value


def _is_null(node: yaml.Node) -> bool:
    return node.tag == "tag:yaml.org,2002:null" or node.value in ("", "~", "null", "Null", "NULL")


def _entry_facts(path: Path, key: str, node: yaml.Node) -> dict[str, Stated]:
    if not isinstance(node, yaml.MappingNode):
        raise ArchiveError(path, f"{key}: give its facts as indented `paper:`, `date:`, `edition:`, `page:` "
                                 f"or `section:` lines", _line(node))
    facts: dict[str, Stated] = {}
    for fact_node, value_node in node.value:
        name = _scalar_text(path, fact_node, "a fact name")
        line = _line(fact_node)
        if name not in FACTS:
            raise ArchiveError(path, f"unknown fact `{name}` (a catalogue states {', '.join(FACTS)})", line)
        if name in facts:
            raise ArchiveError(path, f"{key}: `{name}` is given twice", line)
        if isinstance(value_node, yaml.ScalarNode) and _is_null(value_node):
            continue  # a blank cell: not known
        raw = _scalar_text(path, value_node, f"a value for `{name}`").strip()
        facts[name] = Stated(_checked(path, name, raw, line), f"{path}:{line}", f"{path.name}:{line}")
    return facts


def _checked(path: Path, name: str, raw: str, line: int) -> str | int:
    if name == "date":
        return _normal_date(path, raw, line)
    if name == "page":
        if not raw.isdigit() or int(raw) < 1:
            raise ArchiveError(path, f"page {raw!r} must be a whole number such as 2 "
                                     f"(an edition's letter or name goes in `edition`)", line)
        return int(raw)
    if name == "paper":
        return canonical_paper(raw)
    return raw


def _normal_date(path: Path, raw: str, line: int) -> str:
    m = _DATE.match(raw)
    parts = [int(m[g]) for g in ("y", "m", "d") if m[g]] if m else []
    try:
        datetime.date(*(parts + [1, 1])[:3])
    except (TypeError, ValueError):
        raise ArchiveError(path, f"date {raw!r} must be YYYY-MM-DD, YYYY-MM or YYYY", line) from None
    return "-".join(f"{p:02d}" for p in parts)


def canonical_paper(name: str) -> str:
    """The paper's name as papers.yaml spells it (衢州日報, 《衢州日报》 -> 衢州日报)."""
    return furniture.canonical_paper(name.strip().strip("《》〈〉<>").strip()) or name


# -- finding the catalogue of a raw file -------------------------------------

class Catalogues:
    """The catalogue of each raw file: the one given with --catalog, or the
    `catalog.yaml` in the raw file's folder, each read once."""

    def __init__(self, given: Path | None = None):
        self.given = load(given) if given is not None else None   # a malformed --catalog stops the run
        self.by_folder: dict[Path, Catalogue | ArchiveError | None] = {}

    def of(self, raw: Path) -> Catalogue | None:
        """Raises the folder catalogue's ArchiveError when it is malformed."""
        if self.given is not None:
            return self.given
        folder = raw.resolve().parent
        if folder not in self.by_folder:
            path = folder / CATALOG_NAME
            try:
                self.by_folder[folder] = load(Path(raw.parent, CATALOG_NAME)) if path.is_file() else None
            except ArchiveError as error:
                self.by_folder[folder] = error
        found = self.by_folder[folder]
        if isinstance(found, ArchiveError):
            raise found
        return found

    def loaded(self) -> list[Catalogue]:
        if self.given is not None:
            return [self.given]
        return [c for c in self.by_folder.values() if isinstance(c, Catalogue)]

    def notices(self) -> list[str]:
        """Entries that named a file no page of the run came from: most likely a misspelt name."""
        out = []
        for catalogue in self.loaded():
            for entry in catalogue.unmatched():
                where = f"{catalogue.path}:{entry.line}: {entry.key}"
                if self.given is not None:
                    out.append(f"{where} names no raw page of this run; its facts were not used")
                elif "/" in entry.key:
                    out.append(f"{where}: a folder's catalogue covers only the pages beside it "
                               f"(use that folder's {CATALOG_NAME}, or --catalog); its facts were not used")
                elif not (catalogue.path.parent / entry.key).is_file():
                    out.append(f"{where} names no raw page in this folder; its facts were not used")
        return out


# -- filling in --------------------------------------------------------------

@dataclass
class Filled:
    """The page's facts after the catalogue filled in what the page does not say."""
    paper: str | None
    date: str | None
    date_basis: str | None
    page: int | None
    section: str | None
    edition: str | None = None
    catalogued: list[str] = field(default_factory=list)   # facts that came from the catalogue
    where: dict[str, str] = field(default_factory=dict)    # fact -> catalogue file name:line
    notices: list[str] = field(default_factory=list)      # disagreements, one line each


def fill_in(raw: Path, facts: dict[str, Stated] | None, *, paper, date, date_basis, page, section) -> Filled:
    filled = Filled(paper, date, date_basis, page, section)
    if not facts:
        return filled
    own = {"paper": paper, "date": date if date_basis not in _NOT_STATED else None,
           "page": page, "section": section, "edition": None}
    for name in FACTS:
        stated = facts.get(name)
        if stated is None:
            continue
        if own[name] is None:
            setattr(filled, name, stated.value)
            filled.catalogued.append(name)
            filled.where[name] = stated.cited
            if name == "date":
                filled.date_basis = "catalogue"
        elif not _agree(name, own[name], stated.value):
            filled.notices.append(f"{raw}: the page says {name} {own[name]}, {stated.where} says {stated.value}; "
                                  f"kept the page's {own[name]}")
    return filled


def _agree(name: str, page_value, catalogue_value) -> bool:
    if name == "date":   # a partial date agrees with every day inside it
        a, b = str(page_value), str(catalogue_value)
        return a.startswith(b) or b.startswith(a)
    if name == "paper":
        return fold(canonical_paper(page_value)) == fold(catalogue_value)
    if name == "section":
        return fold(re.sub(r"\s+", "", page_value)) == fold(re.sub(r"\s+", "", catalogue_value))
    return page_value == catalogue_value
