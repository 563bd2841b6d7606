"""Real Chromium (Debian's package) driven by Playwright, against the bundled
archive built under the base path /REPO/ and served over HTTP."""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
from pathlib import Path

import pytest

from quzhou_archive.pipeline import build
from quzhou_archive.site.serve import make_server
from tests.conftest import ROOT

BASE = "/REPO/"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Chromium as a quiet, offline test browser: no sandbox as root, no background calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """(site folder, index folder) of the bundled archive."""
    root = tmp_path_factory.mktemp("built")
    site, index = root / "site", root / "index"
    assert build(ROOT / "articles", site, index, BASE) == 0
    return site, index


@contextlib.contextmanager
def serving(site: Path):
    """The site over HTTP under BASE, as GitHub Pages serves a project site."""
    httpd, _ = make_server(site, 0, BASE, quiet=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{BASE}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(built):
    with serving(built[0]) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (sh setup.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def run_search(page, server: str, queries: list[str], limit: int) -> list[list[str]]:
    """search() of static/search.js for each query, in one page: result IDs."""
    page.goto(server + "search.html")
    return page.evaluate(
        """async ([queries, limit]) => {
            const m = await import(new URL('static/search.js', document.baseURI.replace(/search\\.html.*$/, '')).href);
            const out = [];
            for (const q of queries) out.push((await m.search(q, {limit})).map(r => r.id));
            return out;
        }""",
        [queries, limit],
    )


def serious_problems(page) -> list[tuple]:
    """What axe-core finds serious or critical on the page as it is now: (rule, impact, first element)."""
    assert AXE.exists(), "axe-core missing: run `npm ci` (sh setup.sh does)"
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]
