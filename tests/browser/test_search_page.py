"""search.html as a reader uses it, in Chromium."""
from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from quzhou_archive.search import rank
from quzhou_archive.synthetic import generate
from tests.browser.conftest import BASE, serving
from tests.conftest import ROOT

HOSTILE_TITLE = '<script>window.__pwned=1</script>工业强市'
HOSTILE_BODY = '规上工业 <img src=x onerror="window.__pwned=2"> 与 <b>加粗</b> 都只是文字。'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The bundled archive, 45 generated articles (for paging) and one hostile article."""
    root = tmp_path_factory.mktemp("searchpage")
    articles = root / "articles"
    shutil.copytree(ROOT / "articles", articles)
    generate(45, articles, ROOT / "articles", seed=3)
    meta = {"title": HOSTILE_TITLE, "date": "2024-12-01", "paper": "衢州日报", "page": 3, "counties": ["衢州市"],
            "topics": ["工业制造"], "authors": [], "photographers": [], "kind": "news",
            "source": {"file": "hostile.txt", "lines": [1, 2]}}
    (articles / "2024/12/01").mkdir(parents=True, exist_ok=True)
    (articles / "2024/12/01/hostile-01.md").write_text(store.article_file_text(meta, HOSTILE_BODY + "\n"), encoding="utf-8")
    assert build(articles, root / "site", root / "index", BASE) == 0
    with serving(root / "site") as url:
        yield url


def open_search(page, site, query: str = "", **params):
    extra = "".join(f"&{k}={quote(v)}" for k, v in params.items())
    page.goto(f"{site}search.html?q={quote(query)}{extra}")
    page.wait_for_selector("#results[data-state=done]", state="attached")


def ids(page):
    return [li.get_attribute("data-id") for li in page.query_selector_all("#results > li[data-id]")]


def test_query_from_the_address_is_searched_and_shown(page, site):
    open_search(page, site, "辉埠镇")
    assert page.input_value("#q") == "辉埠镇"
    assert "2024/02/page-3e4105-01" in ids(page)
    assert "找到" in page.inner_text("#status")
    assert page.query_selector("#results mark").inner_text() == "辉埠镇"
    assert not page.problems


def test_typing_and_enter_updates_the_shareable_address(page, site):
    open_search(page, site)
    page.fill("#q", "珏芯微电子")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#results').dataset.state === 'done' && location.search.includes('q=')")
    assert "q=%E7%8F%8F" in page.url
    assert "2024/02/page-3e4105-01" in ids(page)


def test_slash_focuses_the_search_box(page, site):
    open_search(page, site, "常山")
    page.click("h1")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


@pytest.mark.parametrize(
    "query, words",
    [("", "请输入"), ("，。！？", "标点"), ("完全不存在的词语组合啊", "没有找到")],
)
def test_friendly_messages(page, site, query, words):
    open_search(page, site, query)
    assert words in page.inner_text("#status")
    assert ids(page) == []


def test_a_10_kb_query_is_cut_and_said_so(page, site):
    open_search(page, site, "工业" * 2600)
    assert f"只用了前 {rank.MAX_QUERY_CHARS} 个字" in page.inner_text("#status")     # the limit from meta.json
    assert page.evaluate("document.querySelector('#results').dataset.state") == "done"


def test_filters_for_county_topic_and_year(page, site):
    open_search(page, site, "工业")
    everything = page.inner_text("#status")
    page.select_option("#county", "常山县")
    page.wait_for_function("location.search.includes('county=')")
    page.wait_for_selector("#results[data-state=done]", state="attached")
    assert ids(page) and page.inner_text("#status") != everything
    for li in page.query_selector_all("#results > li .meta"):
        assert "常山县" in li.inner_text()
    open_search(page, site, "工业", year="2021")
    assert all(m.inner_text().startswith("2021年") for m in page.query_selector_all("#results > li .meta"))
    open_search(page, site, "工业", topic="营商环境")
    assert ids(page)


def test_paging(page, site):
    open_search(page, site, "的")
    first = ids(page)
    assert len(first) == 10 and not page.is_hidden("#pager")
    page.click("#next")
    page.wait_for_function("location.search.includes('page=2')")
    page.wait_for_selector("#results[data-state=done]", state="attached")
    second = ids(page)
    assert second and not set(first) & set(second)
    page.go_back()
    page.wait_for_function("!location.search.includes('page=2')")
    page.wait_for_selector("#results[data-state=done]", state="attached")
    assert ids(page) == first


def test_article_text_is_shown_as_text_never_run(page, site):
    open_search(page, site, "都只是文字")
    assert ids(page) == ["2024/12/01/hostile-01"]
    assert page.inner_text("#results h2") == HOSTILE_TITLE
    assert "<img" in page.inner_text("#results .snippet") or "onerror" in page.inner_text("#results .snippet")
    assert page.evaluate("window.__pwned") is None
    assert page.query_selector("#results img") is None and page.query_selector("#results script") is None


def test_query_text_is_never_markup(page, site):
    open_search(page, site, '<img src=x onerror="window.__pwned=3">')
    assert page.evaluate("window.__pwned") is None
    assert page.input_value("#q") == '<img src=x onerror="window.__pwned=3">'
