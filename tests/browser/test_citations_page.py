"""An article page's citation as a reference manager and a reader meet it,
in Chromium: the meta tags and JSON-LD are there and parse, the access date
is today's, the copy button copies the line, the downloads and the raw page
load; axe-core finds nothing serious on the raw page either."""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urljoin

import pytest

from tests.browser.conftest import serious_problems

ARTICLE = "articles/2024/11/30/quzhou-ribao-p01-02.html"


@pytest.fixture
def page(browser, server):
    context = browser.new_context(locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.split("/REPO/")[0])
    page = context.new_page()
    page.goto(server + ARTICLE)
    yield page
    context.close()


def test_meta_tags_and_json_ld_describe_a_newspaper_article(page):
    tags = page.eval_on_selector_all("meta[name^=citation_]", "els => els.map(e => [e.name, e.content])")
    names = [n for n, _ in tags]
    assert {"citation_title", "citation_publication_date", "citation_journal_title", "citation_public_url"} <= set(names)
    values = dict(tags)
    assert values["citation_journal_title"] == "衢州日报"
    assert values["citation_publication_date"] == "2024/11/30"
    # the canonical URL as the build knows it (a path here: built with --base-url /REPO/)
    assert urljoin(page.url, values["citation_public_url"]) == page.url
    [raw] = page.eval_on_selector_all('script[type="application/ld+json"]', "els => els.map(e => e.textContent)")
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle" and data["datePublished"] == "2024-11-30"
    assert data["publisher"]["name"] == "衢州日报" and urljoin(page.url, data["url"]) == page.url
    assert data["headline"]


def test_the_access_date_is_today_and_the_button_copies_the_line(page):
    today = dt.date.today().isoformat()
    line = page.inner_text("#citation")
    assert f"[N/OL]" in line and f"[{today}]" in line and "衢州日报, 2024-11-30(01)" in line
    page.click("button[data-copy]")
    page.wait_for_function("document.querySelector('.cite-tools .copied').textContent !== ''")
    assert page.inner_text(".cite-tools .copied") == "已复制。"
    assert page.evaluate("navigator.clipboard.readText()") == " ".join(line.split())


def test_the_downloads_load_and_say_the_same(page):
    links = page.eval_on_selector_all(".cite-tools a[download]", "els => els.map(e => e.href)")
    assert [link.removeprefix(page.url.removesuffix("html")) for link in links] == ["ris", "bib", "csl.json"]
    texts = {}
    for link in links:
        response = page.request.get(link)
        assert response.status == 200
        texts[link.rsplit("/", 1)[1]] = response.text()
    ris, bib, csl = texts.values()
    assert "TY  - NEWS" in ris and "T2  - 衢州日报" in ris and "UR  - /REPO/" + ARTICLE in ris
    assert "@article{" in bib and "journal = {衢州日报}" in bib
    assert json.loads(csl)[0]["container-title"] == "衢州日报"


def test_the_source_line_opens_the_raw_page_at_its_line(page):
    first, last = page.get_attribute(".facts a[href*='raw/']", "href").split("?lines=")[1].split("#")[0].split("-")
    page.click(".facts a[href*='raw/']")
    assert page.url.endswith(f"#L{first}")
    page.wait_for_selector(f"#L{last}.cited")
    assert page.eval_on_selector_all(".line.cited", "els => els.map(e => e.id)") == \
           [f"L{n}" for n in range(int(first), int(last) + 1)]
    assert page.eval_on_selector(f"#L{first}", "el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    original = page.get_attribute("a[download]", "href")
    assert page.request.get(page.url.rsplit("/", 1)[0] + "/" + original).status == 200


def test_without_javascript_the_access_date_is_a_placeholder_and_no_dead_button(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + ARTICLE)
    assert "[引用日期]" in page.inner_text("#citation")
    assert not page.is_visible("button[data-copy]")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [ARTICLE, "raw/001_3b0daec07d260e75.txt.html#L17", "data/index.html"])
def test_axe_finds_no_serious_problem(browser, server, path, scheme):
    context = browser.new_context(locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    bad = serious_problems(page)
    context.close()
    assert not bad, bad
