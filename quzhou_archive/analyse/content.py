"""An article's Markdown body -> safe HTML and the plain text search reads.

Article text is data, not markup: raw HTML in a body (`<script>`, `<img
onerror>`) is shown as text, never passed through, whoever wrote the file.
Links and images may point only at http:, https:, mailto: or a relative
address; any other target (`javascript:`, `data:`, `vbscript:`, `file:` …)
is dropped and the link's words stay as plain text.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3

from quzhou_archive.articles import Article
from quzhou_archive.typography import typeset


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=[], output_format="html")
    # no raw HTML: block and inline HTML become escaped text
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_MD = _markdown()

# The last word on what reaches a page. Markdown writes whatever target a
# link names, and a browser reads `jav&#x61;script:`, `java\tscript:` or
# ` JAVASCRIPT:` as javascript: — so the rendered HTML is parsed again the way
# a browser parses it (ammonia, through nh3) and kept only as far as it is
# what Markdown itself makes: its tags, their few attributes, and URLs whose
# scheme is on the list (relative ones pass). A hand-written check of the
# Markdown source would have to know every way a browser decodes a URL.
# (A body of plain paragraphs and headings, `plain_blocks`, has no link and
# no tag but those: it is parsed again only where its text holds an `&`.)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_MARKDOWN_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ol", "ul", "li", "pre", "code", "hr",
                  "br", "em", "strong", "a", "img"}


def _plain_relative(url: str) -> str | None:
    """A relative URL, unless its first segment holds a colon: RFC 3986 allows
    none there (`./a:b` is how a path says it), and `java    script:` is a
    scheme in disguise, not a page of the site."""
    first_segment = re.split(r"[/?#]", url, maxsplit=1)[0]
    return None if ":" in first_segment else url


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    """An image is loaded, not followed: one from another host would load it
    on every reading, so only the site's own images keep their `src`."""
    if tag == "img" and attribute == "src" and re.match(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", value, re.I):
        return None
    return value


_CLEANER = nh3.Cleaner(tags=_MARKDOWN_TAGS, attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}},
                       url_schemes=set(SAFE_SCHEMES), url_relative=_plain_relative, link_rel=None,
                       strip_comments=True, attribute_filter=_local_images_only)


def safe_html(fragment: str) -> str:
    """`fragment` with nothing a browser would run: no script, no event
    handler, no link or image whose target has a scheme off the list."""
    return _CLEANER.clean(fragment)


_TEXT_BETWEEN_TAGS = re.compile(r"(^|>)([^<]+)")
_MAY_TYPESET = re.compile(r"[,;:?!()&>]")      # (`&` and `>` are escaped as `&amp;`, `&gt;`)


def typeset_html(fragment: str) -> str:
    return _TEXT_BETWEEN_TAGS.sub(lambda m: m.group(1) + typeset(m.group(2)), fragment)


def body_html(body: str) -> str:
    return rendered_body(body)[0]


def markdown_html(body: str) -> str:
    """The body as Python-Markdown renders it, typeset and made safe: what
    every body's HTML is (`rendered_body` foresees it for the plainest)."""
    _MD.reset()
    return safe_html(typeset_html(_MD.convert(body)))


def rendered_body(body: str) -> tuple[str, list[str]]:
    """The body's safe HTML and its text blocks (`html_blocks`)."""
    looked_at = _ANY_TO_LOOK_AT.search(body) is not None
    blocks = plain_blocks(body) if looked_at else _lines_as_blocks(body)
    if blocks is None:
        fragment = markdown_html(body)
        return fragment, html_blocks(fragment)
    texts = [_escape_text(text) for _, text in blocks] if looked_at else [text for _, text in blocks]
    if looked_at and _MAY_TYPESET.search(body):
        texts = list(map(typeset, texts))
    fragment = "\n".join([f"<{tag}>{text}</{tag}>" for (tag, _), text in zip(blocks, texts)])
    if "&" not in fragment and "\xa0" not in fragment:
        # tags without attributes around text without `<` or `&`: nothing the
        # sanitiser would take away or write otherwise (the tests compare)
        return fragment, [" ".join(text.split()) for text in texts]
    safe = safe_html(fragment)
    if safe != fragment:        # it wrote some text otherwise (`&amp；`, typeset from `&中`): read it back
        return safe, html_blocks(safe)
    return safe, [" ".join(html.unescape(text).split()) for text in texts]


# -- the plainest bodies --------------------------------------------------------------
# Ingest writes a body as paragraphs of one line between empty lines, with
# `## ` headings, and most of its text holds nothing Markdown reads as markup.
# Python-Markdown's HTML for such a body is foreseeable: each paragraph
# `<p>text</p>`, each heading `<hN>text</hN>`, one line apart, the text
# escaped as its serialiser escapes it (`&` and `>`; `<` is markup). Found
# so here, it costs a fraction of a parse; anything else — a character
# that may begin markup, a line that may begin a list, a quote, a rule or
# a code block, a paragraph of several lines, whitespace Markdown would
# strip — is left to Python-Markdown. tests/analyse/test_content.py
# compares the two over whole archives and over bodies made to trip it.
_MAY_BE_MARKUP = re.compile(r"[\x00-\x09\x0b-\x1f\\`*_\[\]<]")   # and control characters, tabs
# any character `plain_blocks` or the typesetting looks for, or that escaping changes (most bodies have none)
_ANY_TO_LOOK_AT = re.compile(r"[\x00-\x09\x0b-\x1f\\`*_\[\]<,;:?!()&>]")
_ENTITY = re.compile(r"&[#\w]+;")                         # kept by Markdown as it is written
_MAY_BEGIN_A_BLOCK = frozenset("#>+-=")                 # headings, quotes, lists, rules, setext underlines
_NUMBERED = re.compile(r"\d+[.)]")                       # an ordered list's item


def plain_blocks(body: str) -> list[tuple[str, str]] | None:
    """The body as (tag, text) blocks when Python-Markdown would render
    it as that and nothing else; None when it might not."""
    if _MAY_BE_MARKUP.search(body) or ("&" in body and _ENTITY.search(body)):
        return None
    return _lines_as_blocks(body)


def _lines_as_blocks(body: str) -> list[tuple[str, str]] | None:
    """The body's lines as blocks, if each is a paragraph or heading of its own
    that Markdown takes as it is (its characters `plain_blocks` checks)."""
    blocks, after_text = [], False
    for line in body.split("\n"):
        if not line:
            after_text = False
            continue
        if after_text or line[0].isspace() or line[-1].isspace():
            return None         # a paragraph of several lines; whitespace Markdown strips or reads
        after_text = True
        first = line[0]
        if first in _MAY_BEGIN_A_BLOCK:
            heading = _plain_heading(line)
            if heading is None:
                return None
            blocks.append(heading)
        elif first.isdigit() and _NUMBERED.match(line):
            return None
        else:
            blocks.append(("p", line))
    return blocks


def _plain_heading(line: str) -> tuple[str, str] | None:
    """`## text` as ("h2", "text"): one to six marks, one space, text without marks."""
    text = line.lstrip("#")
    level = len(line) - len(text)
    if not 1 <= level <= 6 or text[:1] != " " or "#" in text or text[1:2].isspace() or len(text) < 2:
        return None
    return f"h{level}", text[1:]


def _escape_text(text: str) -> str:
    """Text as Python-Markdown's serialiser writes it (it has no entity and no `<`: `plain_blocks`)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


class _TextBlocks(HTMLParser):
    """Block-level texts of rendered HTML, in order: paragraphs, headings, quotes."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS or tag == "br":
            self._flush()

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        self.current.append(data)

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def close(self):
        super().close()
        self._flush()


def html_blocks(fragment: str) -> list[str]:
    parser = _TextBlocks()
    parser.feed(fragment)
    parser.close()
    return parser.blocks


@dataclass
class Rendered:
    """What build needs of one article's content, computed once."""

    html: str                 # body as HTML
    blocks: list[str]         # body paragraphs and headings as plain text
    captions: list[str]       # photo captions and credits, notes
    people: list[str]         # bylines, authors, photographers


def render_content(article: Article) -> Rendered:
    meta = article.metadata
    fragment, blocks = rendered_body(article.body)
    captions = [" ".join(str(photo.get(k) or "") for k in ("caption", "credit")).strip() for photo in meta.photos]
    captions += list(meta.notes)
    people = list(meta.byline)
    named = " ".join(people)
    people += [n for n in meta.authors + meta.photographers if n not in named]
    return Rendered(fragment, blocks, [c for c in captions if c], people)


def headline_parts(article: Article) -> list[str]:
    return article.metadata.headline_parts


def plain(text: str) -> str:
    """Collapse whitespace; used for summaries."""
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
