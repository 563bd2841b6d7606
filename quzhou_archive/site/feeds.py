"""The files beside the pages: feeds, the sitemap, robots.txt, 404, the
assets of `static/`.
"""
from __future__ import annotations

from collections import defaultdict

from quzhou_archive.site import layout
from quzhou_archive.site import model as site_model
from quzhou_archive.site.model import FEED_SIZE, Item, Page, SITE_NAME, SiteModel
from quzhou_archive.site.render import Renderer


def feed(model: SiteModel, items: list[Item], title: str, path: str, base: str) -> str:
    from xml.sax.saxutils import escape

    def stamp(item: Item) -> str:
        date = item.date or "1970"
        return (date + "-01-01"[len(date) - 4:]) + "T00:00:00+08:00"   # 2024 -> 2024-01-01, 2024-02 -> 2024-02-01

    updated = stamp(items[0]) if items else "1970-01-01T00:00:00+08:00"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{escape(title)}</title>", f'<link href="{escape(base)}"/>',
           f'<link rel="self" href="{escape(base + path)}"/>', f"<id>{escape(base + path)}</id>",
           f"<updated>{updated}</updated>", f"<author><name>{escape(SITE_NAME)}</name></author>"]
    for item in items:
        url = base + item.url
        out += ["<entry>", f"<title>{escape(item.title)}</title>", f'<link href="{escape(url)}"/>',
                f"<id>{escape(url)}</id>", f"<updated>{stamp(item)}</updated>",
                f"<summary>{escape(item.summary)}</summary>"]
        out += [f'<category term="{escape(c)}"/>' for c in item.counties + item.topics]
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def feeds(model: SiteModel, base: str) -> dict[str, str]:
    files = {"feed.xml": feed(model, model.items[:FEED_SIZE], SITE_NAME, "feed.xml", base)}
    members: dict[str, list[Item]] = defaultdict(list)
    for item in model.items:
        for c in item.counties:
            members[c].append(item)
    for name in model.places.slugs:          # every county page links its feed, even an empty one
        items = members.get(name, [])
        path = f"counties/{model.places.slugs[name]}.xml"
        files[path] = feed(model, items[:FEED_SIZE], f"{SITE_NAME} · {name}", path, base)
    return files


def sitemap(paths: list[str], base: str) -> str:
    from xml.sax.saxutils import escape

    urls = "".join(f"<url><loc>{escape(base + (p if p != 'index.html' else ''))}</loc></url>\n" for p in sorted(paths))
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")


def robots(base: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"


def static_files() -> dict[str, bytes]:
    return {f"static/{p.relative_to(layout.STATIC).as_posix()}": p.read_bytes()
            for p in sorted(layout.STATIC.rglob("*")) if p.is_file()}


def fixed_files(model: SiteModel, renderer: Renderer, page_paths: list[str]) -> dict[str, str | bytes]:
    """Everything besides the pages: 404, feeds, sitemap, robots, assets, .nojekyll."""
    files: dict[str, str | bytes] = {
        "404.html": renderer.render(Page("404.html", "404.html", {"page_title": "找不到这一页"}), absolute=True),
        "sitemap.xml": sitemap(page_paths, renderer.base_url),
        "robots.txt": robots(renderer.base_url),
        ".nojekyll": "",
    }
    files.update(feeds(model, renderer.base_url))
    files.update(static_files())
    return files
