"""Render: articles -> the static site (Jinja2 templates in `templates/`,
assets in `static/`).

Links between pages are relative, so the site works under any base path
and from any static host; `--base-url` only makes the canonical URLs, the
feeds and the sitemap absolute. `404.html` is the exception: a host serves
it at any depth, so its links carry the base path.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .fsutil import write_tree

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
SITE_NAME = "衢州区域经济新闻档案"
SITE_DESCRIPTION = "衢州及柯城、衢江、龙游、江山、常山、开化区域经济新闻的档案:按地区、主题、日期、报纸版面浏览,全文搜索。"


ARTICLE_URL = "articles/{id}.html"   # the browser index builds result URLs from it too


def article_url(article_id: str) -> str:
    """Site-relative URL of an article page."""
    return ARTICLE_URL.format(id=article_id)


def cn_date(date: str | None) -> str:
    """2024-11-30 -> 2024年11月30日; 2024-02 -> 2024年2月; 2024 -> 2024年."""
    if not date:
        return "日期不详"
    parts = [int(p) for p in date.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日"))


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = cn_date
    return env


@dataclass
class Page:
    path: str               # where it is written, relative to the site root
    template: str
    context: dict


class Renderer:
    def __init__(self, base_url: str, site: dict):
        self.env = environment()
        self.base_url = base_url
        self.site = site

    def url_function(self, page_path: str, absolute: bool):
        here = posixpath.dirname(page_path)

        def url(target: str) -> str:
            if absolute:
                return self.base_url + target
            if target in ("", "/"):
                rel = posixpath.relpath(".", here or ".")
                return "./" if rel == "." else rel + "/"
            return posixpath.relpath(target, here or ".")

        return url

    def render(self, page: Page, absolute: bool = False) -> str:
        context = {
            "site": self.site,
            "url": self.url_function(page.path, absolute),
            "canonical": self.base_url + (page.path if page.path != "index.html" else ""),
            "section": "",
            "description": SITE_DESCRIPTION,
            "page_title": SITE_NAME,
            **page.context,
        }
        return self.env.get_template(page.template).render(context)


def static_files() -> dict[str, bytes]:
    return {f"static/{p.relative_to(STATIC).as_posix()}": p.read_bytes()
            for p in sorted(STATIC.rglob("*")) if p.is_file()}


def article_context(entry) -> dict:
    a = entry.article
    return {
        "a": a, "body_html": entry.rendered.html, "page_title": a.title, "og_type": "article",
        "description": _summary(entry),
    }


def _summary(entry, chars: int = 110) -> str:
    text = "".join(entry.rendered.blocks)[:chars]
    return text or entry.article.title


def render_site(entries, base_url: str, search_files: dict[str, bytes]) -> dict[str, str | bytes]:
    site = {"name": SITE_NAME, "article_count": len(entries)}
    renderer = Renderer(base_url, site)
    files: dict[str, str | bytes] = {}
    pages = [Page(entry.url, "article.html", article_context(entry)) for entry in entries]
    latest = sorted(entries, key=lambda e: (e.article.date or "", e.article.id), reverse=True)[:20]
    pages.append(Page("index.html", "home.html", {"latest": [_listing(e) for e in latest]}))
    pages.append(Page("search.html", "search.html", {"page_title": "全文搜索", "section": "search"}))
    for page in pages:
        files[page.path] = renderer.render(page)
    files["404.html"] = renderer.render(Page("404.html", "404.html", {"page_title": "找不到这一页"}), absolute=True)
    files.update(static_files())
    files.update(search_files)
    files[".nojekyll"] = ""
    return files


def _listing(entry) -> dict:
    a = entry.article
    return {"url": entry.url, "title": a.title, "date": a.date, "counties": a.counties, "id": a.id}


def write_site(out_dir: Path, files: dict[str, str | bytes]) -> None:
    write_tree(Path(out_dir), files)
