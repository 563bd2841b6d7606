"""A hostile archive in real Chromium: script tags, event handlers and
`javascript:` (and `data:`, `vbscript:`, entity- and whitespace-disguised)
links in every frontmatter field, in the body, the captions and the notes.
Every rendered page is loaded, every link inside an article is clicked, and
the test fails on any dialog, any script the archive did not ship, any URL a
page holds or reaches whose scheme is not http(s) (mailto: aside, which is a
link the reader may follow out of the browser), and any attempt to navigate
to one. The archive also holds one very long article (a word said 70 000
times), which the browser index must answer for as the command line does."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from tests.browser.conftest import BASE, run_search, serving
from tests.conftest import ROOT

ALERT = 'alert("F")'
# what a field might carry to get a script run: markup, handlers, links
FIELD_PAYLOADS = [
    f"<script>{ALERT}</script>",
    f'<img src=x onerror="{ALERT}">',
    f"<svg onload={ALERT}>",
    f'"><a href="javascript:{ALERT}">a</a>',
    f"' autofocus onfocus='{ALERT}' x='",
    f"javascript:{ALERT}",
    f"[x](javascript:{ALERT})",
]
# the ways a Markdown body can name a link target
BODY_TARGETS = [
    f"javascript:{ALERT}", f"JAVASCRIPT:{ALERT}", f" javascript:{ALERT}", f"jav&#x61;script:{ALERT}",
    f"&#106;avascript:{ALERT}", f"javascript&colon;{ALERT}", f"java\tscript:{ALERT}", f"java&#9;script:{ALERT}",
    f"\x01javascript:{ALERT}", f"data:text/html,<script>{ALERT}</script>", "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
RAW_HTML = [
    f'<a href="javascript:{ALERT}">raw link</a>', f"<img src=x onerror={ALERT}>", f"<svg onload={ALERT}>",
    f"<script>{ALERT}</script>", f'<p onclick="{ALERT}">raw p</p>', f"<iframe src=javascript:{ALERT}></iframe>",
    f"<details open ontoggle={ALERT}>", f'<form action="javascript:{ALERT}"><button>go</button></form>',
]
SAFE_LINKS = ["[外站](http://example.org/a)", "[安全](https://example.org/b)", "[来信](mailto:desk@example.org)",
              "[本站](../../../../index.html)"]
LONG_WORD, LONG_TIMES = "胡柚", 70_000


def hostile(n: int) -> str:
    """Every payload, in one field: each meets the context the others make."""
    return " ".join(FIELD_PAYLOADS) + f" 衢州{n}"


def hostile_body() -> str:
    paragraphs = ["常山县招商引资签约项目。" + " ".join(SAFE_LINKS)]
    for n, target in enumerate(BODY_TARGETS):
        paragraphs.append(f"第{n}段 [点此{n}]({target}) ![图{n}]({target}) [参考{n}][r{n}]")
        paragraphs.append(f"[r{n}]: {target}")
        paragraphs.append(f"<{target}>")
    paragraphs += [f"正文 {raw} 正文" for raw in RAW_HTML] + RAW_HTML
    return "\n\n".join(paragraphs) + "\n"


def hostile_meta() -> dict:
    field = iter(range(100))
    return {"title": hostile(next(field)), "subtitle": hostile(next(field)), "kicker": hostile(next(field)),
            "date": "2024-03-01", "paper": hostile(next(field)), "page": 1,
            "counties": [hostile(next(field)), "常山县"], "topics": [hostile(next(field)), "招商引资"],
            "authors": [hostile(next(field))], "photographers": [hostile(next(field))],
            "byline": [hostile(next(field))], "kind": "news",
            "photos": [{"caption": hostile(next(field)), "credit": hostile(next(field))},
                       {"caption": f"[图注](javascript:{ALERT})", "credit": f"<b onmouseover={ALERT}>摄</b>"}],
            "notes": [hostile(next(field)), f"<a href='javascript:{ALERT}'>注</a>"],
            "source": {"file": hostile(next(field)), "lines": [1, 2]}}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    articles = root / "articles"
    path = articles / "2024/03/01/hostile-01.md"
    path.parent.mkdir(parents=True)
    path.write_text(store.article_file_text(hostile_meta(), hostile_body()), encoding="utf-8")
    long_meta = {"title": "长篇报道", "date": "2024-03-05", "counties": ["衢州市"], "kind": "feature",
                 "source": {"file": "long.txt", "lines": [1, 2]}}
    (articles / "2024/03/05").mkdir(parents=True)
    (articles / "2024/03/05/long-01.md").write_text(
        store.article_file_text(long_meta, LONG_WORD * LONG_TIMES + "\n"), encoding="utf-8")
    site, index = root / "site", root / "index"
    assert build(articles, site, index, BASE) == 0
    with serving(site) as url:
        yield site, index, url


def scheme(url: str) -> str:
    return urlsplit(url).scheme.lower()


@pytest.fixture
def watched(browser, hostile_site):
    """A page that records dialogs, navigations and requests to non-http(s)
    URLs, and answers any request to another host with a blank page (so a
    link to http://example.org is followed without the network)."""
    origin = urlsplit(hostile_site[2]).netloc
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.dialogs, page.bad_urls, page.blocked = [], [], []

    def on_dialog(dialog):
        page.dialogs.append(f"{page.url}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("framenavigated", lambda f: page.bad_urls.append(f.url) if scheme(f.url) not in ("http", "https", "about") else None)
    page.on("request", lambda r: page.bad_urls.append(r.url) if scheme(r.url) not in ("http", "https") else None)
    page.on("console", lambda m: page.blocked.append(f"{page.url}: {m.text}") if "Not allowed to" in m.text else None)
    context.route(lambda url: urlsplit(url).netloc != origin,
                  lambda route: route.fulfill(status=200, content_type="text/html", body="<p>outside</p>"))
    yield page
    context.close()


SHIPPED_SCRIPTS = ["static/search-ui.js", "static/highlight.js", "static/cite.js", "static/raw.js"]

# every element a page holds that could run script or lead elsewhere, as the browser resolved it
PAGE_AUDIT = """(shipped) => {
    const problems = [];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            if (attr.name.startsWith('on')) problems.push(`${el.tagName} ${attr.name}=${attr.value}`);
        }
        for (const name of ['href', 'src', 'action', 'formaction', 'data', 'xlink:href']) {
            const value = el.getAttribute(name);
            if (value === null || el.tagName === 'LINK' && el.rel === 'canonical') continue;
            const scheme = new URL(value, document.baseURI).protocol;
            if (!['http:', 'https:'].includes(scheme) && !(el.tagName === 'A' && scheme === 'mailto:'))
                problems.push(`${el.tagName} ${name}=${value}`);
        }
    }
    for (const s of document.querySelectorAll('script, iframe, object, embed, form, svg, details')) {
        // an article's JSON-LD is data, never run: it is ours if it is one JSON value and nothing else
        const data = s.tagName === 'SCRIPT' && s.type === 'application/ld+json' && !s.src && (() => {
            try { JSON.parse(s.textContent); return true; } catch (e) { return false; } })();
        const ours = s.tagName === 'SCRIPT' && shipped.some((name) => s.src.endsWith(name)) || data
            || s.tagName === 'FORM' && s.role === 'search';
        if (!ours) problems.push(`<${s.tagName.toLowerCase()}>`);
    }
    return problems;
}"""


def rendered_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def load(page, url: str) -> None:
    page.goto(url)
    if "search.html" in url:
        page.wait_for_selector("#results[data-state=done]", state="attached")


def test_hostile_archive_runs_no_script_in_chromium(watched, hostile_site):
    site, _, url = hostile_site
    page = watched
    pages = rendered_pages(site)
    assert len(pages) > 20 and sum(p.startswith("articles/") for p in pages) == 2
    audit, clicked = {}, 0
    for path in pages + ['search.html?q=<script>alert("F")</script>', "search.html?q=衢州", "search.html?q=招商引资"]:
        load(page, url + path)
        if found := page.evaluate(PAGE_AUDIT, SHIPPED_SCRIPTS):
            audit[path] = found
        links = page.locator("article a, #results a")
        here = page.url
        for n in range(links.count()):
            if page.url != here:
                load(page, url + path)
            link = links.nth(n)
            if not link.is_visible():
                continue
            href = link.get_attribute("href")
            if href and href.startswith("mailto:"):
                continue            # would hand the address to a mail program, not navigate
            link.click(timeout=5000)
            page.wait_for_load_state()
            clicked += 1
            assert scheme(page.url) in ("http", "https"), (path, href, page.url)
    assert clicked >= len(SAFE_LINKS) + len(BODY_TARGETS)
    assert not page.dialogs, page.dialogs[:5]
    assert not audit, list(audit.items())[:3]
    assert not page.bad_urls, page.bad_urls[:5]
    assert not page.blocked, page.blocked[:5]


def test_hostile_archive_shows_the_words_as_text(watched, hostile_site):
    """What was refused is still there to read: the markup as text, a refused
    link's words without the link."""
    page = watched
    page.goto(hostile_site[2] + "articles/2024/03/01/hostile-01.html")
    text = page.inner_text("article")
    assert "<script>alert" in text and "点此0" in text and "raw link" in text
    hrefs = page.eval_on_selector_all(".body a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert sorted(hrefs) == sorted(["http://example.org/a", "https://example.org/b", "mailto:desk@example.org",
                                    "../../../../index.html"])


def test_browser_index_holds_a_long_article(watched, hostile_site):
    """The long article is found in Chromium, ranked as the command line ranks it."""
    _, index, url = hostile_site
    (browser_ids,) = run_search(watched, url, [LONG_WORD], limit=10)
    assert browser_ids[0] == "2024/03/05/long-01"
    result = subprocess.run([sys.executable, str(ROOT / "build_site.py"), "search", LONG_WORD, "--json", "--limit", "10",
                             "--index", str(index)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [h["id"] for h in json.loads(result.stdout)] == browser_ids
