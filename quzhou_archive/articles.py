"""Article files: `articles/**/ID.md`, YAML frontmatter + Markdown body.

This module owns the file format both ways: ingest writes articles through
`article_file_text` and `write_protected`; build reads them with
`read_article`. IDs are ASCII, URL-safe and stable; an article a person has
edited is recognised by its `ingest_digest` and never overwritten.
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import operator
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml
from quzhou_archive.articlefiles import article_files, article_paths  # noqa: F401  (the files, beside what reads them)
from quzhou_archive.errors import ArchiveError

REQUIRED = ("title",)
KINDS = ("news", "feature", "photo", "brief", "teaser", "speech")
DIGEST_KEY = "ingest_digest"
PAGE_RECORD_SUFFIX = ".page.yaml"
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9/_-]*$")


# -- IDs ---------------------------------------------------------------------

def slugify(text: str) -> str:
    """ASCII, URL-safe slug; Chinese is spelled in pinyin (衢州日报 -> quzhouribao)."""
    from pypinyin import lazy_pinyin  # loads its dictionaries: only when a slug is needed

    ascii_text = "".join(lazy_pinyin(text, errors="ignore") if not text.isascii() else [text])
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x"


def date_path(date: str | None) -> str:
    return date.replace("-", "/") if date else "undated"


def page_key(paper_slug: str | None, date: str | None, page: int | None, digest: str) -> str:
    """The stable name of one raw page: paper, page number, and — unless paper,
    full date and page pin it down — a short hash of the page's text."""
    key = paper_slug or "page"
    if page is not None:
        key += f"-p{page:02d}"
    if not (paper_slug and date and len(date) == 10 and page is not None):
        key += f"-{digest[:6]}"
    return f"{date_path(date)}/{key}"


def article_id(page_key_: str, ordinal: int) -> str:
    return f"{page_key_}-{ordinal:02d}"


# -- writing -----------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_LINE_START_SPECIAL = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s|=+$|-+$)")


def escape_markdown(text: str) -> str:
    """Page text is data: make Markdown show it as written."""
    if _INLINE_SPECIAL.search(text):
        text = _INLINE_SPECIAL.sub(r"\\\1", text)
    if _LINE_START_SPECIAL.match(text):
        text = "\\" + text
    return text


_ESCAPED = re.compile(r"\\([\\`*_\[\]<#>+\-=.)!])")
_BLOCK_MARK = re.compile(r"^(?:#{1,6}\s+|>\s?|[-+*]\s+|\d+[.)]\s+)")
_MARK_FIRST = frozenset("#>-+*")        # what a block mark starts with, besides a digit
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_RULE = re.compile(r"[-*_=\s]+")


def text_paragraphs(body: str) -> list[str]:
    """The article's text as written, one string per paragraph or heading:
    the Markdown body without its markup (heading and quote marks, the
    escapes `escape_markdown` adds). What the text of an article *is*,
    for anything that quotes it."""
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(body):
        text = "".join(filter(None, map(_plain_line, block.splitlines())))
        if text and not _RULE.fullmatch(text):
            paragraphs.append(text)
    return paragraphs


def _plain_line(line: str) -> str:
    """A line without its block mark and escapes (most lines have neither:
    the patterns are run only on those that may)."""
    line = line.strip()
    if line and (line[0] in _MARK_FIRST or line[0].isdecimal()):
        line = _BLOCK_MARK.sub("", line)
    return _ESCAPED.sub(r"\1", line) if "\\" in line else line


class _NotPlain(Exception):
    """The data holds something `_plain_node` leaves to PyYAML's representer."""


_STR, _INT, _NULL, _BOOL = ("tag:yaml.org,2002:" + t for t in ("str", "int", "null", "bool"))
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _plain_node(data, seen: set[int]) -> yaml.Node:
    """The node PyYAML's safe representer makes of `data` (with no default
    style, keys in order, a collection in flow style when it holds only
    scalars), for the plain data ingest writes: strings, whole numbers,
    None, booleans, lists and dicts, none of them twice (that would be an
    alias)."""
    kind = type(data)
    if kind is str:
        return yaml.ScalarNode(_STR, data)
    if data is None:
        return yaml.ScalarNode(_NULL, "null")
    if kind is int:
        return yaml.ScalarNode(_INT, str(data))
    if kind is bool:
        return yaml.ScalarNode(_BOOL, "true" if data else "false")
    if kind is not list and kind is not dict or id(data) in seen:
        raise _NotPlain
    seen.add(id(data))
    if kind is list:
        items = [_plain_node(item, seen) for item in data]
        flat = all(type(n) is yaml.ScalarNode for n in items)
        return yaml.SequenceNode(_SEQ, items, flow_style=flat)
    pairs = [(_plain_node(k, seen), _plain_node(v, seen)) for k, v in data.items()]
    flat = all(type(k) is yaml.ScalarNode and type(v) is yaml.ScalarNode for k, v in pairs)
    return yaml.MappingNode(_MAP, pairs, flow_style=flat)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Safe YAML, written by libyaml when PyYAML was built with it (its wheels
    are): same output, several times faster. The plain data ingest writes
    skips the generic representer (`_plain_node` makes the same nodes), and
    how a short scalar resolves (keys, kinds, names that recur in every
    file) is remembered: the same nodes and tags, found faster."""

    _resolved: dict = {}
    _RESOLVED_MAX = 20000
    _SHORT = 24

    def represent(self, data):
        if self.default_style is None and self.default_flow_style is None and not self.sort_keys:
            try:
                node = _plain_node(data, set())
            except _NotPlain:
                pass
            else:
                self.serialize(node)
                return
        super().represent(data)

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if not implicit[0] or (value[:1] not in self.yaml_implicit_resolvers
                               and None not in self.yaml_implicit_resolvers):
            return self.DEFAULT_SCALAR_TAG   # what the resolver finds when no pattern applies (most text)
        if len(value) > self._SHORT:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            if len(self._resolved) >= self._RESOLVED_MAX:
                self._resolved.clear()
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
        return tag


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML that reads an unquoted 2024-11-30 as text: dates are checked
    by `validate`, which can say which line is wrong."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# -- the frontmatter ingest writes, read without the YAML parser ---------------
# A file's frontmatter as ingest writes it (`yaml_dump`) is keys, one a line,
# each with a scalar written plainly or in single quotes, a list of such in
# brackets, or a mapping of such, indented two spaces, below it. Read here
# it costs a tenth of what the YAML parser takes (which builds an event and
# a node with marks for every scalar); anything else — another indentation,
# a block list, a comment, a character that may begin some other YAML, a
# number that is not a plain whole one, a character YAML reads as a line
# break or refuses — is left to the parser, which also says where a fault
# is. tests/test_articles.py compares the two over whole archives, over
# what ingest writes of random metadata and over frontmatter made to trip it.

class _PlainResolver(yaml.resolver.Resolver):
    """What a plain scalar is (null, bool, int …), as `_Loader` resolves it."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


_RESOLVER = _PlainResolver()
_OUTSIDE_PLAIN_YAML = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                                 "\U00010000-\U0010ffff]")     # tabs, control characters, line breaks of YAML's own, BOM
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")   # a plain scalar starting with one is something else
_IN_FLOW = re.compile(r"[,\[\]{}#:'\"]")           # a plain item of a bracketed list holding one is left to YAML
_WHOLE_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_STR, _INT_TAG, _NULL_TAG, _BOOL_TAG = ("tag:yaml.org,2002:" + t for t in ("str", "int", "null", "bool"))


class _NotPlainYaml(Exception):
    """The frontmatter holds something `plain_frontmatter` leaves to the YAML parser."""


def plain_frontmatter(text: str) -> dict | None:
    """The frontmatter `text` as `yaml_load` reads it, when ingest could
    have written it; None otherwise."""
    meta: dict = {}
    nested: dict | None = None      # the mapping the indented lines below a bare `key:` fill
    try:
        for line in text.split("\n"):
            if line[:2] == "  " and nested is not None:
                key, value = _key_and_value(line[2:])
                if value is _BARE:
                    raise _NotPlainYaml
                nested[key] = value
                continue
            if nested is not None and not nested:
                raise _NotPlainYaml     # `key:` with nothing below it
            nested = None
            if not line:
                continue
            key, value = _key_and_value(line)
            if value is _BARE:
                value = nested = {}
            meta[key] = value
    except _NotPlainYaml:
        return None
    if (nested is not None and not nested) or not meta:
        return None
    return meta


_BARE = object()      # the value of a `key:` line: what the lines below it hold


_LINES: dict[str, tuple] = {}       # a line read -> its key and value: most recur in every file
_LINES_MAX = 20000


def _key_and_value(line: str):
    """`key: value` -> (key, value); `key:` -> (key, _BARE)."""
    known = _LINES.get(line)
    if known is None:
        known = _read_line(line)
        if len(_LINES) >= _LINES_MAX:
            _LINES.clear()
        _LINES[line] = known
    key, value = known
    return key, value.copy() if type(value) is list else value     # (a list is the file's own)


def _read_line(line: str) -> tuple:
    if _OUTSIDE_PLAIN_YAML.search(line):
        raise _NotPlainYaml
    if line.endswith(":"):
        key, value = line[:-1], _BARE
    else:
        key, colon, rest = line.partition(": ")
        if not colon:
            raise _NotPlainYaml
        value = _value(rest)
    if ":" in key or _plain(key) is not key:      # a key YAML reads as something else than this text
        raise _NotPlainYaml
    return key, value


def _value(text: str):
    """A scalar or a bracketed list of scalars, as YAML reads it."""
    if text[:1] == "[" and text[-1:] == "]":
        return _flow_items(text[1:-1])
    if text[:1] == "'":
        value, end = _single_quoted(text, 0)
        if end != len(text):
            raise _NotPlainYaml
        return value
    return _plain(text)


def _flow_items(text: str) -> list:
    items, at = [], 0
    while at < len(text):
        if text[at] == "'":
            value, at = _single_quoted(text, at)
        else:
            end = text.find(", ", at)
            end = len(text) if end < 0 else end
            item = text[at:end]
            if _IN_FLOW.search(item):
                raise _NotPlainYaml
            value, at = _plain(item), end
        items.append(value)
        if at < len(text):
            if not text.startswith(", ", at):
                raise _NotPlainYaml
            at += 2
            if at == len(text):
                raise _NotPlainYaml     # `[a, ]`
    return items


def _single_quoted(text: str, at: int) -> tuple[str, int]:
    """The single-quoted scalar at `at` (`''` is a quote) and where it ends."""
    end = at + 1
    while True:
        end = text.find("'", end)
        if end < 0:
            raise _NotPlainYaml
        if text[end + 1:end + 2] != "'":
            return text[at + 1:end].replace("''", "'"), end + 1
        end += 2


def _plain(text: str):
    """A plain scalar: text, or null, a bool or a whole number as YAML resolves it."""
    if not text or text[0] in _INDICATORS or text[0] == " " or text[-1] == " " or ": " in text or " #" in text:
        raise _NotPlainYaml
    implicit = _PlainResolver.yaml_implicit_resolvers
    if text[0] not in implicit and None not in implicit:
        return text     # (most text: no pattern applies)
    resolved = _RESOLVED.get(text, _BARE)
    if resolved is _BARE:
        if len(_RESOLVED) >= _RESOLVED_MAX:
            _RESOLVED.clear()
        resolved = _RESOLVED[text] = _resolved(text)
    if resolved is _BARE:
        raise _NotPlainYaml
    return text if resolved is _STR else resolved


_RESOLVED: dict = {}     # keys and short values recur in every file: each resolved once
_RESOLVED_MAX = 20000


def _resolved(text: str):
    """What a plain scalar is: `_STR` (itself), None, a bool, a whole
    number; `_BARE` for anything else."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR:
        return _STR
    if tag == _NULL_TAG:
        return None
    if tag == _BOOL_TAG:
        return yaml.constructor.SafeConstructor.bool_values[text.lower()]
    if tag == _INT_TAG and _WHOLE_NUMBER.fullmatch(text):
        return int(text)
    return _BARE


def yaml_dump(data) -> str:
    """YAML as the archive writes it: UTF-8 characters, keys in order, short lists inline."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=None, width=4096)


def yaml_load(text: str):
    return yaml.load(text, Loader=_Loader)


def digest_of(text_without_digest: str) -> str:
    return "sha256:" + hashlib.sha256(text_without_digest.encode("utf-8")).hexdigest()


def article_file_text(meta: dict, body: str) -> str:
    """The exact file ingest writes, with the digest of everything else in it."""
    core = f"---\n{yaml_dump(meta)}---\n\n{body}"
    digest = digest_of(core)
    return core.replace("\n---\n\n", f"\n{DIGEST_KEY}: '{digest}'\n---\n\n", 1)


def _strip_digest(text: str) -> tuple[str, str | None]:
    m = re.search(rf"^{DIGEST_KEY}: '?(sha256:[0-9a-f]+)'?\n", text, re.M)
    if not m:
        return text, None
    return text[:m.start()] + text[m.end():], m.group(1)


def is_hand_edited(text: str) -> bool:
    """True unless the file is exactly what ingest wrote."""
    core, digest = _strip_digest(text)
    return digest is None or digest_of(core) != digest


# -- reading -----------------------------------------------------------------

@dataclass(frozen=True)
class ArticleMeta:
    """An article's frontmatter as the build reads it: the keys of the
    contract, checked and with their defaults, and every other key as it
    was written (`extras`). Plain data both ways (`to_plain`), so that it
    can be cached and sent to worker processes."""

    title: str
    kicker: str | None = None
    subtitle: str | None = None
    date: str | None = None
    paper: str | None = None
    page: int | None = None
    counties: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    photographers: tuple[str, ...] = ()
    kind: str = "news"
    byline: tuple[str, ...] = ()        # the credit lines as printed
    photos: tuple[dict, ...] = ()       # {caption, credit}
    notes: tuple[str, ...] = ()
    source_file: str | None = None      # the raw page it came from, and its lines there
    source_lines: tuple[int, int] | None = None
    extras: dict = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, meta: dict) -> "ArticleMeta":
        """From a checked frontmatter mapping (`read_article` checks it)."""
        source = meta.get("source") if isinstance(meta.get("source"), dict) else {}
        lines = source.get("lines")
        return cls(
            title=meta["title"], kicker=meta.get("kicker"), subtitle=meta.get("subtitle"), date=meta.get("date"),
            paper=meta.get("paper"), page=meta.get("page"),
            counties=tuple(meta.get("counties") or ()), topics=tuple(meta.get("topics") or ()),
            authors=_texts(meta.get("authors")), photographers=_texts(meta.get("photographers")),
            kind=meta.get("kind") or "news", byline=_texts(meta.get("byline")),
            photos=tuple(p for p in _items(meta.get("photos")) if isinstance(p, dict)),
            notes=_texts(meta.get("notes")), source_file=source.get("file"),
            source_lines=tuple(lines) if isinstance(lines, list) and len(lines) == 2 else None,
            extras={k: v for k, v in meta.items() if k not in _KNOWN_KEYS})

    @property
    def headline_parts(self) -> list[str]:
        """Kicker, title, subtitle: the headline as printed, in order."""
        return [p for p in (self.kicker, self.title, self.subtitle) if p]

    def to_plain(self) -> tuple:
        return _meta_fields(self)

    @classmethod
    def from_plain(cls, plain: tuple) -> "ArticleMeta":
        return cls(*plain)


_meta_fields = operator.attrgetter(*(f.name for f in fields(ArticleMeta)))     # (a tuple of them, in order)


def _items(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []


def _texts(value) -> tuple[str, ...]:
    return tuple(str(v) for v in _items(value))


_KNOWN_KEYS = {"title", "kicker", "subtitle", "date", "paper", "page", "counties", "topics", "authors",
               "photographers", "kind", "byline", "photos", "notes", "source"}


@dataclass
class Article:
    id: str
    path: Path
    meta: dict                     # the frontmatter as written (checked, defaults filled in)
    body: str                      # Markdown
    raw: str = field(repr=False, default="")

    def __getattr__(self, key):    # article.title, article.date …
        try:
            return self.__dict__["meta"][key]
        except KeyError:
            raise AttributeError(key) from None

    @functools.cached_property
    def metadata(self) -> ArticleMeta:
        return ArticleMeta.of(self.meta)

    @property
    def headline(self) -> str:
        return " ".join(self.metadata.headline_parts)


def split_frontmatter(path: Path, text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        raise ArchiveError(path, "no YAML frontmatter (the file must start with ---)", 1)
    end = re.search(r"^---\s*$", text[3:], re.M)
    if not end:
        raise ArchiveError(path, "frontmatter is not closed by a --- line", 1)
    fm = text[3:3 + end.start()]
    body = text[3 + end.end():].lstrip("\n")
    meta = plain_frontmatter(fm)
    try:
        if meta is None:
            meta = yaml_load(fm) or {}
    except yaml.YAMLError as err:
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ArchiveError(path, f"frontmatter is not valid YAML: {problem}", _line_of_yaml_error(err)) from None
    if not isinstance(meta, dict):
        raise ArchiveError(path, "frontmatter must be a mapping of keys to values", 2)
    return meta, body


# YAML names two places: where it gave up, and the construct it was reading
# then. For a bracket or quote left open it gives up lines later, at the next
# key; the open bracket or quote is the fault.
_OPEN_CONSTRUCTS = ("while scanning a quoted", "while scanning a simple key", "while parsing a flow")


def _line_of_yaml_error(err: yaml.YAMLError) -> int | None:
    """The article file's line of a YAML fault. The frontmatter text starts
    just after the opening `---`, so its line 0 is the file's line 1."""
    mark = getattr(err, "problem_mark", None)
    context = getattr(err, "context", None) or ""
    if getattr(err, "context_mark", None) is not None and context.startswith(_OPEN_CONSTRUCTS):
        mark = err.context_mark
    return mark.line + 1 if mark is not None else None


def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def _line_of_key(text: str, key: str) -> int | None:
    """The line of `key:` in the frontmatter (a body line that starts `title:` is not it)."""
    end = re.search(r"^---\s*$", text[3:], re.M)
    frontmatter = text[:3 + end.start()] if end else text
    m = re.search(rf"^{re.escape(key)}\s*:", frontmatter, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else None


def validate(path: Path, text: str, meta: dict) -> None:
    for key in REQUIRED:
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise ArchiveError(path, f"frontmatter needs a non-empty `{key}`", _line_of_key(text, key) or 2)
    date = meta.get("date")
    if isinstance(date, datetime.date):  # an unquoted 2024-11-30 is read by YAML as a date
        date = meta["date"] = date.isoformat()
    elif isinstance(date, int) and 1000 <= date <= 9999:
        date = meta["date"] = str(date)
    if date is not None and not (isinstance(date, str) and _valid_date(date)):
        raise ArchiveError(path, f"date {date!r} must be \"YYYY-MM-DD\", \"YYYY-MM\", \"YYYY\" or null",
                           _line_of_key(text, "date"))
    for key in ("counties", "topics", "authors", "photographers"):
        value = meta.get(key, [])
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ArchiveError(path, f"`{key}` must be a list of names", _line_of_key(text, key))
    kind = meta.get("kind", "news")
    if kind not in KINDS:
        raise ArchiveError(path, f"kind {kind!r} is not one of {', '.join(KINDS)}", _line_of_key(text, "kind"))
    page = meta.get("page")
    if page is not None and not isinstance(page, int):
        raise ArchiveError(path, f"page {page!r} must be a whole number or null", _line_of_key(text, "page"))


def id_for_path(root: Path, path: Path) -> str:
    rel = path.relative_to(root).with_suffix("").as_posix()
    return rel


def read_article(root: Path, path: Path, article_id: str | None = None) -> Article:
    """The article file `path` under `root`, checked (`article_id`: its ID,
    where the caller has it from the path already)."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = err.object[:err.start].count(b"\n") + 1
        raise ArchiveError(path, "article is not UTF-8 text", line) from None
    if "\r" in text:       # line ends as a file read as text has them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.removeprefix("\ufeff")  # the byte order mark some editors add
    meta, body = split_frontmatter(path, text)
    validate(path, text, meta)
    article_id = article_id or id_for_path(root, path)
    if not _ID.match(article_id):
        raise ArchiveError(path, f"file name gives the ID {article_id!r}; IDs use a-z, 0-9, - and _ only")
    for key, default in (("counties", []), ("topics", []), ("authors", []), ("photographers", []),
                         ("kind", "news"), ("subtitle", None), ("kicker", None), ("date", None),
                         ("paper", None), ("page", None)):
        if meta.get(key) is None:
            meta[key] = default if not isinstance(default, list) else []
    return Article(article_id, path, meta, body, text)


