"""Render: a `Page` -> HTML, by the Jinja2 templates in `templates/` (plain
CSS and scripts in `static/`).

Links between pages are relative, so the site works under any base path
and from any static host; `--base-url` only makes canonical URLs, feeds and
the sitemap absolute. `404.html` is the exception: a host serves it at any
depth, so its links carry the base path.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from quzhou_archive.analyse.content import typeset
from quzhou_archive.site import model as site_model
from quzhou_archive.site.model import Page, SITE_DESCRIPTION, SITE_NAME, cn_date


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(site_model.TEMPLATES)),   # read when used: a test may point it elsewhere
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["typeset"] = typeset
    return env


def relative_links(page_path: str):
    """Links from a page to a site path: up to the nearest folder the two
    share, then down — so they work under any base path and from any host,
    and a story links its neighbours in the same folder by name."""
    here = page_path.split("/")[:-1]

    def url(target: str) -> str:
        if target in ("", "/"):
            return "../" * len(here) or "./"
        parts = target.split("/")
        shared = 0
        while shared < min(len(here), len(parts) - 1) and here[shared] == parts[shared]:
            shared += 1
        return "../" * (len(here) - shared) + "/".join(parts[shared:])

    return url


class Renderer:
    def __init__(self, base_url: str):
        self.env = environment()
        self.base_url = base_url
        self.site = {"name": SITE_NAME}

    def url_function(self, page_path: str, absolute: bool):
        """Links from a page to a site path (`relative_links`), or, for a page
        a host serves at any depth (404), from the base path."""
        if absolute:
            prefix = urlsplit(self.base_url).path or "/"
            return lambda target: prefix + target.lstrip("/")
        return relative_links(page_path)

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
        return self.env.get_template(page.template).render(context)
