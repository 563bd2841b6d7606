"""An article's citation in the forms reference managers read, all made
from the one `Reference` its page's GB/T 7714 line is made from: the
`citation_*` meta tags and the schema.org `NewsArticle` JSON-LD of the
page (which Zotero's connector and Google Scholar read), and the
downloads beside the page, `.ris`, `.bib` and `.csl.json`.

A paper, date or page the printed page does not give is left out of
every form, never guessed; where a form has a note, it says what is
unknown.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from json.encoder import encode_basestring

from quzhou_archive.data import read_yaml

UNKNOWN_PAPER = "报纸不详（原版面上没有报头或出处）"
FORMATS = (".ris", ".bib", ".csl.json")
LANGUAGE = "zh-CN"


@dataclass(frozen=True)
class Reference:
    """What a citation of an article says."""

    id: str
    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    paper: str | None
    date: str | None        # YYYY-MM-DD, YYYY-MM or YYYY
    page: int | None
    url: str                # the page's canonical URL
    archive: str            # the site's name

    @property
    def heading(self) -> str:
        """Title and subtitle, as the GB/T 7714 line joins them."""
        return self.title + (f":{self.subtitle}" if self.subtitle else "")

    @property
    def place(self) -> str | None:
        """Where the paper is published, when the archive knows the paper."""
        return paper_places().get(self.paper) if self.paper else None

    @property
    def date_parts(self) -> list[int]:
        return [int(p) for p in self.date.split("-")] if self.date else []

    @property
    def notes(self) -> list[str]:
        return [] if self.paper else [UNKNOWN_PAPER]


@functools.cache
def paper_places() -> dict[str, str]:
    return {p["name"]: p["place"] for p in read_yaml("papers.yaml") if p.get("place")}


def download_paths(page_path: str) -> dict[str, str]:
    """The downloads beside an article's page, by format: articles/ID.ris …"""
    stem = page_path.removesuffix(".html")
    return {suffix: stem + suffix for suffix in FORMATS}


def reference_of(context: dict, url: str, archive: str) -> Reference:
    """The reference of a completed article page's context (`a`)."""
    a = context["a"]
    return Reference(a["id"], a["title"], a["subtitle"], tuple(a.get("authors") or ()), a["paper"], a["date"],
                     a["page"], url, archive)


# -- in the page -------------------------------------------------------------------------

def meta_tags(ref: Reference) -> list[tuple[str, str]]:
    """Highwire Press tags (name, content), in the order Google Scholar documents them."""
    tags = [("citation_title", ref.heading)]
    tags += [("citation_author", name) for name in ref.authors]
    if ref.date:
        tags.append(("citation_publication_date", ref.date.replace("-", "/")))
    if ref.paper:
        tags.append(("citation_journal_title", ref.paper))
    if ref.page:
        tags.append(("citation_firstpage", str(ref.page)))
    tags += [("citation_language", LANGUAGE), ("citation_public_url", ref.url)]
    return tags


def json_ld(ref: Reference) -> str:
    """schema.org NewsArticle, safe inside a <script> element."""
    text = indented_json(news_article(ref), 1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def news_article(ref: Reference) -> dict:
    """The page's schema.org NewsArticle."""
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": ref.title}
    if ref.subtitle:
        data["alternativeHeadline"] = ref.subtitle
    if ref.date:
        data["datePublished"] = ref.date
    if ref.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in ref.authors]
    if ref.paper:
        paper = {"@type": "Organization", "name": ref.paper}
        data["publisher"] = paper
        data["isPartOf"] = {"@type": "Periodical", "name": ref.paper}
    if ref.page:
        data["pageStart"] = str(ref.page)
    data.update({"inLanguage": LANGUAGE, "url": ref.url, "mainEntityOfPage": ref.url})
    return data


# -- the downloads -----------------------------------------------------------------------

def as_ris(ref: Reference) -> str:
    """RIS, newspaper article (TY NEWS): T2 the paper, SP the page, DA the date, CY the place."""
    lines = [("TY", "NEWS"), ("TI", ref.heading)]
    lines += [("AU", name) for name in ref.authors]
    if ref.paper:
        lines.append(("T2", ref.paper))
    if ref.page:
        lines.append(("SP", str(ref.page)))
    if ref.date:
        parts = ref.date.split("-")
        lines += [("PY", parts[0]), ("DA", "/".join(parts + [""] * (3 - len(parts))) + "/")]
    if ref.place:
        lines.append(("CY", ref.place))
    lines += [("N1", note) for note in ref.notes]
    lines += [("LA", LANGUAGE), ("DB", ref.archive), ("UR", ref.url), ("ID", ref.id), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)     # the RIS spec's line ends


_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
                   "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}
_BIBTEX_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def bibtex_escape(text: str) -> str:
    """Text as a BibTeX field value: the file is UTF-8 (biber and XeLaTeX
    read the Chinese as it is), so only TeX's special characters are escaped."""
    return _BIBTEX_SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group()], text)


def bibtex_key(ref: Reference) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", ref.id).strip("-")


def as_bibtex(ref: Reference) -> str:
    """biblatex's newspaper article (@article, entrysubtype newspaper); an
    article whose paper is unknown is @misc, with a note saying so. Each
    Chinese name is braced, so that it is one name and not split."""
    fields = [("title", bibtex_escape(ref.heading))]
    if ref.authors:
        fields.append(("author", " and ".join("{" + bibtex_escape(n) + "}" for n in ref.authors)))
    if ref.paper:
        fields += [("journaltitle", bibtex_escape(ref.paper)), ("journal", bibtex_escape(ref.paper)),
                   ("entrysubtype", "newspaper")]
    if ref.date:
        parts = ref.date.split("-")
        fields += [("date", ref.date), ("year", parts[0])] + ([("month", str(int(parts[1])))] if len(parts) > 1 else [])
    if ref.page:
        fields.append(("pages", str(ref.page)))
    if ref.place:
        fields.append(("location", bibtex_escape(ref.place)))
    fields += [("note", bibtex_escape(note)) for note in ref.notes]
    fields += [("langid", "chinese"), ("url", ref.url)]
    kind = "article" if ref.paper else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{bibtex_key(ref)},\n{body}\n}}\n"


def as_csl(ref: Reference) -> dict:
    """CSL-JSON item of type article-newspaper."""
    item = {"id": ref.id, "type": "article-newspaper", "title": ref.heading}
    if ref.authors:
        item["author"] = [{"literal": name} for name in ref.authors]
    if ref.paper:
        item["container-title"] = ref.paper
    if ref.page:
        item["page"] = str(ref.page)
    if ref.date:
        item["issued"] = {"date-parts": [ref.date_parts]}
    if ref.place:
        item["publisher-place"] = ref.place
    if ref.notes:
        item["note"] = "；".join(ref.notes)
    item.update({"language": LANGUAGE, "source": ref.archive, "URL": ref.url})
    return item


def as_csl_json(ref: Reference) -> str:
    """A CSL-JSON file: an array of items (here, one)."""
    return indented_json([as_csl(ref)], 2) + "\n"


def indented_json(value, indent: int) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=indent)`, the same text
    made faster: the json module writes indented JSON in pure Python (only
    the unindented form has its C encoder), and every article has two such
    files. Strings are escaped by the json module's own C function;
    anything but strings, whole numbers, True, False, None, lists, tuples
    and dicts with string keys goes to `json.dumps`."""
    try:
        return _indented(value, " " * indent, "\n")
    except (_NotPlain, TypeError):      # (TypeError: a key that is not a string)
        return json.dumps(value, ensure_ascii=False, indent=indent)


class _NotPlain(Exception):
    pass


def _indented(value, indent: str, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    inner = newline + indent
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join([encode_basestring(item) if type(item) is str else
                                                 _indented(item, indent, inner) for item in value]) + newline + "]"
    if kind is dict:
        if not value:
            return "{}"
        return "{" + inner + ("," + inner).join([encode_basestring(key) + ": " + (
            encode_basestring(item) if type(item) is str else _indented(item, indent, inner))
            for key, item in value.items()]) + newline + "}"
    raise _NotPlain


def downloads(ref: Reference, page_path: str) -> dict[str, str]:
    """Each download's path beside the page, and its text."""
    paths = download_paths(page_path)
    return {paths[".ris"]: as_ris(ref), paths[".bib"]: as_bibtex(ref), paths[".csl.json"]: as_csl_json(ref)}


def page_context(ref: Reference, page_path: str) -> dict:
    """What the article template shows of the citation: the tags, the
    JSON-LD, the downloads' paths."""
    return {"meta": meta_tags(ref), "json_ld": json_ld(ref), "downloads": download_paths(page_path),
            "online": online_citation(ref)}


def online_citation(ref: Reference) -> str:
    """The GB/T 7714-2015 line of the page as an online newspaper article
    ([N/OL]), up to its access date, which the page adds: 作者. 题名[N/OL].
    报纸名, 日期(版次)"""
    from quzhou_archive.site.pages import citation

    line = citation(ref.title, ref.subtitle, list(ref.authors), ref.paper, ref.date, ref.page)
    return line.removesuffix(".").replace("[N].", "[N/OL].", 1)
