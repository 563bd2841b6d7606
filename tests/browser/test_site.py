"""The site as a reader meets it, in Chromium, served under /REPO/: every
internal link works and stays under the base path, nothing loads from another
host, no console errors, readable at phone and desktop widths, and axe-core
finds no serious or critical accessibility problem."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.browser.conftest import serious_problems

SCREENSHOTS = Path(os.environ.get("SCREENSHOTS", Path(tempfile.gettempdir()) / "archive-screenshots"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def guarded(browser, server):
    """A page that records console problems and any request to another host."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.problems, page.foreign = [], []
    origin = urlsplit(server).netloc
    page.on("console", lambda m: page.problems.append(f"{page.url}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(f"{page.url}: {e}"))
    page.on("request", lambda r: page.foreign.append(r.url) if urlsplit(r.url).netloc not in (origin, "") and not r.url.startswith("data:") else None)
    yield page
    context.close()


def test_crawl_every_internal_link_from_home(guarded, server):
    page = guarded
    origin, base = urlsplit(server).netloc, urlsplit(server).path
    seen, checked, queue, broken, escaped = set(), set(), [server], [], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        if response is None or response.status != 200:
            broken.append((url, response.status if response else None))
            continue
        links = page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => [e.tagName, e.getAttribute('href')])")
        for tag, href in links:
            target = urldefrag(urljoin(url, href))[0].split("?")[0]
            parts = urlsplit(target)
            if parts.netloc != origin:
                continue  # canonical and og:url name the public host, they are not fetched
            if not parts.path.startswith(base):
                escaped.append((url, href))
            elif tag == "A" and parts.path.endswith((".html", "/")):
                queue.append(target)
            elif target not in checked:  # stylesheets, icons, feeds: fetched, not visited
                checked.add(target)
                status = page.request.get(target).status
                if status != 200:
                    broken.append((target, status))
    assert len(seen) > 50 and len(checked) >= 5
    assert not broken, broken[:5]
    assert not escaped, escaped[:5]
    assert not page.foreign, page.foreign[:5]
    assert not page.problems, page.problems[:5]


def test_missing_page_gets_the_404_page_with_working_links(guarded, server):
    response = guarded.goto(server + "no/such/page.html")
    assert response.status == 404
    assert "找不到这一页" in guarded.inner_text("h1")
    css = guarded.evaluate("getComputedStyle(document.querySelector('header.site')).borderBottomStyle")
    assert css == "solid"  # the stylesheet loaded from the base path
    others = [p for p in guarded.problems if "404" not in p or not p.startswith(server + "no/such/page.html")]
    assert not others and not guarded.foreign


@pytest.mark.parametrize("name, path", [
    ("home", ""), ("county", "counties/changshan.html"), ("article", "articles/2024/02/page-817c25-02.html"),
    ("search", "search.html?q=规上工业"), ("month", "dates/2024-11.html"), ("issue", "papers/quzhou-ribao/2024-11-30.html"),
])
def test_screenshots_at_phone_and_desktop_widths(browser, server, name, path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        # nothing wider than the screen: no sideways scrolling on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        shot = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5000
        context.close()


@pytest.mark.parametrize("path", ["", "counties/changshan.html", "articles/2024/11/30/quzhou-ribao-p01-02.html",
                                  "search.html?q=辉埠镇", "dates/2024-11.html", "papers/quzhou-ribao/2024-11-30.html"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problem(browser, server, path, scheme):
    context = browser.new_context(locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("search"):
        page.wait_for_selector("#results[data-state=done]", state="attached")
    bad = serious_problems(page)
    context.close()
    assert not bad, bad


def test_browse_pages_work_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server)
    page.click("text=常山县")
    assert page.url.endswith("counties/changshan.html")
    page.click(".cards li > a >> nth=0")
    assert page.query_selector("article[data-id]") is not None
    page.goto(server + "search.html")
    assert "JavaScript" in page.inner_text("noscript") or page.is_visible("noscript")
    context.close()


def test_print_stylesheet_shows_only_the_article(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "articles/2024/11/30/quzhou-ribao-p01-02.html")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('header.site')).display") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('article')).display") != "none"
    context.close()
