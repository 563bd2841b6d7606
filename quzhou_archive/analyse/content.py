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


# Punctuation typed (or extracted from PDF) as ASCII next to Chinese text is
# shown in its full-width form, as Chinese typesetting has it. Only the page
# shows it so: the article files keep their characters, and search folds the
# two forms together anyway.
_CJK = "\u3400-\u9fff\uf900-\ufaff“”‘’"
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_NEXT_TO_CJK = re.compile(f"(?<=[{_CJK}])[,;:?!()]|[,;:?!()](?=[{_CJK}])|(?<=[{_CJK}])[(]|[)](?=[{_CJK}])")
_TEXT_BETWEEN_TAGS = re.compile(r"(^|>)([^<]+)")


def typeset(text: str) -> str:
    return _NEXT_TO_CJK.sub(lambda m: _FULL_WIDTH[m.group()], text)


def typeset_html(fragment: str) -> str:
    return _TEXT_BETWEEN_TAGS.sub(lambda m: m.group(1) + typeset(m.group(2)), fragment)


def body_html(body: str) -> str:
    _MD.reset()
    return safe_html(typeset_html(_MD.convert(body)))


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
    fragment = body_html(article.body)
    captions = [" ".join(str(photo.get(k) or "") for k in ("caption", "credit")).strip() for photo in meta.photos]
    captions += list(meta.notes)
    people = list(meta.byline)
    named = " ".join(people)
    people += [n for n in meta.authors + meta.photographers if n not in named]
    return Rendered(fragment, html_blocks(fragment), [c for c in captions if c], people)


def headline_parts(article: Article) -> list[str]:
    return article.metadata.headline_parts


def plain(text: str) -> str:
    """Collapse whitespace; used for summaries."""
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
