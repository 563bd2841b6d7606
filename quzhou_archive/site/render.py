"""Render: a `Page` -> HTML, by the Jinja2 templates in `templates/` (plain
CSS and scripts in `static/`); an article's page by `article_html.py`,
which writes in Python what the templates render.

Links between pages are relative, so the site works under any base path
and from any static host; `--base-url` only makes canonical URLs, feeds and
the sitemap absolute. `404.html` is the exception: a host serves it at any
depth, so its links carry the base path.
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from types import FunctionType
from urllib.parse import urlsplit

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.compiler import CodeGenerator
from jinja2.runtime import Context
from markupsafe import escape

try:
    from markupsafe import _escape_inner as _escaped   # MarkupSafe 3: the C function `escape` wraps in Markup
except ImportError:                                     # another MarkupSafe: the same text, more slowly
    def _escaped(text: str) -> str:
        return str(escape(text))

from quzhou_archive.typography import typeset
from quzhou_archive.site import article_html, layout
from quzhou_archive.site import model as site_model
from quzhou_archive.site.model import Page, SITE_DESCRIPTION, SITE_NAME, cn_date


class PlainCallContext(Context):
    """Jinja2's context, calling a plain function (`url`) without first
    asking it whether it wants the context passed: a function marked with
    `pass_context` and its kin carries the mark in its `__dict__`, and goes
    Jinja2's own way. Pages call `url` some forty times each."""

    def call(__self, __obj, *args, **kwargs):   # (Jinja2's own names: a template's keyword may be `self` or `obj`)
        if type(__obj) is FunctionType and "jinja_pass_arg" not in __obj.__dict__:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined("value was undefined because a callable raised a"
                                                    " StopIteration exception")
        return super().call(__obj, *args, **kwargs)


def escaped_text(value) -> str:
    """What `escape(value)` holds, as a plain str when `value` is one: a
    page's text needs no Markup object made around each of its values."""
    if type(value) is str:
        return _escaped(value)
    return escape(value)


class TextOutput(CodeGenerator):
    """Jinja2's code generator, but for what `{{ value }}` writes on an
    autoescaped page: `escaped_text(value)` where Jinja2 writes
    `escape(value)`. The two are the same text, and a template's output is
    only ever joined into text (and made Markup again where a macro or a
    block gives it back), so every page is the same; the pages hold some
    hundred values each, and making a Markup object of each took a
    quarter of the time of rendering them. Jinja2's hook for it,
    `_output_child_pre`, is the method that writes what comes before each
    value; were it gone, Jinja2's own code would be written."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            return super()._output_child_pre(node, frame, finalize)
        self.write("environment.escaped_text(")
        if finalize.src is not None:
            self.write(finalize.src)
        return None


_DICT_ATTRIBUTES = frozenset(dir(dict))


class PageEnvironment(Environment):
    """Jinja2's environment, made cheaper where a site of ten thousand pages
    spends its time, each change giving the text Jinja2's own gives (tests
    render whole archives both ways): plain functions called at once
    (`PlainCallContext`), values written as escaped text (`TextOutput`),
    globals as one dict, a dict's keys looked up at once (`getattr`)."""

    context_class = PlainCallContext
    code_generator_class = TextOutput
    escaped_text = staticmethod(escaped_text)

    def make_globals(self, d):
        """A template's globals as one dict, not Jinja2's ChainMap over the
        environment's: every page's context is made from them, and going
        through a ChainMap's maps cost more than the copy. (Jinja2 asks
        that globals not be changed once a template is loaded; nothing
        here changes them.)"""
        return {**self.globals, **(d or {})}

    def getattr(self, obj, attribute):
        """`x.name` of a plain dict: its key at once. Jinja2 tries the
        attribute first (a dict's `items` is its method, not its key
        "items"), and for every other name pays for the AttributeError it
        catches; the pages' data is dicts, looked up hundreds of times a
        page. A name a dict has as an attribute still goes Jinja2's way."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class CompiledTemplates(FileSystemBytecodeCache):
    """The templates as an earlier build compiled them, kept in a folder of
    the build's state: compiling the site's templates took a build with
    one changed article longer than rendering its pages. Jinja2 uses a
    compiled template only while the template's text is as it was
    compiled from; the files are named by the code that compiled them
    (`compiler_digest`), and those of other code are removed."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        compiler = compiler_digest()
        for name in os.listdir(folder):
            if not name.startswith(compiler):
                (folder / name).unlink(missing_ok=True)
        super().__init__(str(folder), f"{compiler}-%s.cache")


@functools.cache
def compiler_digest() -> str:
    """What turns a template into code: Jinja2 (its version) and this
    module, whose environment changes the code Jinja2 writes (`TextOutput`)."""
    return hashlib.sha1(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()[:12]


def environment(kind: type[Environment] = PageEnvironment, compiled: Path | None = None) -> Environment:
    """The pages' environment (`kind`: Jinja2's own, for the tests that
    compare the two; `compiled`: a folder to keep the compiled templates in,
    for the next build)."""
    env = kind(
        loader=FileSystemLoader(str(layout.TEMPLATES)),   # read when used: a test may point it elsewhere
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,      # a renderer lives for one build, in which the templates do not change
        bytecode_cache=CompiledTemplates(compiled) if compiled else None,
    )
    env.filters["cn_date"] = cn_date
    env.filters["typeset"] = typeset_text
    env.filters["card_meta"] = card_meta
    return env


@functools.lru_cache(maxsize=1 << 16)
def _typeset(text: str) -> str:
    return typeset(text)


def typeset_text(text):
    """`typeset` as the templates' filter, remembering what it set: a title
    is set on its own page, on its neighbours' and related stories', and
    in every list it is in."""
    return _typeset(text) if type(text) is str else typeset(text)


def card_meta(card: dict, date: bool = True, paper: bool = True) -> str:
    """What a list says of an article beside its title, but what its page
    already says (`date`, `paper`: whether to say them): the date, the
    paper and its printed page, the kind of story unless news (消息)."""
    printed = " 第%s版" % card["page"] if card["page"] else ""
    parts = (date and card["date_label"], paper and card["paper"] and f"{card['paper']}{printed}",
             card["kind"] != "消息" and card["kind"])
    return " · ".join(part for part in parts if part)


def relative_links(page_path: str):
    """Links from a page to a site path: up to the nearest folder the two
    share, then down — so they work under any base path and from any host,
    and a story links its neighbours in the same folder by name."""
    here = page_path.split("/")[:-1]
    # the folders the page is in, from the top ("a/", "a/b/"), each with the way up to it from the page
    folders = [("".join(f"{part}/" for part in here[:depth]), "../" * (len(here) - depth))
               for depth in range(1, len(here) + 1)]
    top = "../" * len(here) or "./"

    def url(target: str) -> str:
        if target in ("", "/"):
            return top
        shared, up = "", top if here else ""
        for folder, way_up in folders:      # down to the nearest folder the target is in too
            if not target.startswith(folder):
                break
            shared, up = folder, way_up
        return up + target[len(shared):]

    return url


ARTICLE = "article.html"


class Renderer:
    def __init__(self, base_url: str, compiled: Path | None = None):
        """(`compiled`: where to keep the templates compiled, for the next build.)"""
        self.env = environment(compiled=compiled)
        self.base_url = base_url
        self.site = {"name": SITE_NAME}
        # an article's page is written in Python while the templates are those that was written from
        self.article_in_python = article_html.templates_digest(layout.TEMPLATES) == article_html.WRITTEN_FROM
        self.links: dict[str, object] = {}      # each folder's `relative_links`

    def load(self, names) -> None:
        """Compile these templates now (before worker processes fork, which
        then share them)."""
        for name in names:
            self.env.get_template(name)

    def url_function(self, page_path: str, absolute: bool):
        """Links from a page to a site path (`relative_links`), or, for a page
        a host serves at any depth (404), from the base path."""
        if absolute:
            prefix = urlsplit(self.base_url).path or "/"
            return lambda target: prefix + target.lstrip("/")
        folder = page_path.rpartition("/")[0]
        if folder not in self.links:
            self.links[folder] = relative_links(page_path)
        return self.links[folder]

    def render(self, page: Page, body_html: str | None = None, absolute: bool = False) -> str:
        context = {
            "site": self.site,
            "url": self.url_function(page.path, absolute),
            "canonical": self.base_url + (page.path if page.path != "index.html" else ""),
            "section": "",
            "description": SITE_DESCRIPTION,
            "og_type": "website",
            "crumbs": [],
            **page.context,
            "body_html": body_html,
        }
        if page.template == ARTICLE and self.article_in_python and not absolute:
            try:
                return article_html.article_html(context, escaped_text, typeset_text, card_meta)
            except Exception:       # noqa: BLE001 — anything it is not sure of: Jinja2 renders the page, or says what is wrong
                pass
        return self.env.get_template(page.template).render(context)
