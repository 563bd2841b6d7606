"""search.html as a reader uses it, in Chromium."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from urllib.parse import quote

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from quzhou_archive.search import rank
from quzhou_archive.synthetic import generate
from tests.browser.conftest import BASE, serious_problems, serving
from tests.conftest import ROOT

HOSTILE_TITLE = '<script>window.__pwned=1</script>工业强市'
HOSTILE_BODY = '规上工业 <img src=x onerror="window.__pwned=2"> 与 <b>加粗</b> 都只是文字。'
# 常山 early on, 常山 and 胡柚 together only far after it
POMELO_BODY = "常山县召开会议。\n\n" + "会议听取了各部门的工作汇报。" * 12 + "\n\n今年常山的胡柚喜获丰收，胡柚深加工产品远销海外。\n"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def add_article(articles, path, title, body, **meta):
    fields = {"title": title, "date": "2024-12-01", "paper": "衢州日报", "page": 3, "counties": ["衢州市"],
              "topics": ["工业制造"], "authors": [], "photographers": [], "kind": "news",
              "source": {"file": "extra.txt", "lines": [1, 2]}, **meta}
    (articles / path).parent.mkdir(parents=True, exist_ok=True)
    (articles / path).write_text(store.article_file_text(fields, body), encoding="utf-8")


@pytest.fixture(scope="module")
def searchable(tmp_path_factory):
    """(address, index folder) of the bundled archive, 45 generated articles
    (for paging), one hostile article and one with two terms far apart."""
    root = tmp_path_factory.mktemp("searchpage")
    articles = root / "articles"
    shutil.copytree(ROOT / "articles", articles)
    generate(45, articles, ROOT / "articles", seed=3)
    meta = {"title": HOSTILE_TITLE, "date": "2024-12-01", "paper": "衢州日报", "page": 3, "counties": ["衢州市"],
            "topics": ["工业制造"], "authors": [], "photographers": [], "kind": "news",
            "source": {"file": "hostile.txt", "lines": [1, 2]}}
    (articles / "2024/12/01").mkdir(parents=True, exist_ok=True)
    (articles / "2024/12/01/hostile-01.md").write_text(store.article_file_text(meta, HOSTILE_BODY + "\n"), encoding="utf-8")
    add_article(articles, "2024/12/02/pomelo-01.md", "丰收时节", POMELO_BODY, date="2024-12-02", counties=["常山县"])
    assert build(articles, root / "site", root / "index", BASE) == 0
    with serving(root / "site") as url:
        yield url, root / "index"


@pytest.fixture(scope="module")
def site(searchable):
    return searchable[0]


@pytest.fixture
def sized(browser, request):
    """A page of the given viewport (a phone's has touch and no mouse)."""
    def make(viewport, **options):
        phone = viewport["width"] < 600
        context = browser.new_context(viewport=viewport, locale="zh-CN", has_touch=phone, is_mobile=phone, **options)
        request.addfinalizer(context.close)
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        return page
    return make


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


def wait_done(page):
    page.wait_for_selector("#results[data-state=done]", state="attached")


def command_line(index, query, *options):
    done = subprocess.run([sys.executable, str(ROOT / "build_site.py"), "search", query, "--json", "--limit", "1000",
                           "--index", str(index), *options], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def browser_search(page, site, query, **options):
    page.goto(site + "search.html")
    return page.evaluate(
        """async ([query, options]) => {
            const m = await import(new URL('static/search.js', document.baseURI.replace(/search\\.html.*$/, '')).href);
            return (await m.search(query, {limit: 1000, ...options})).map((r) => [r.id, r.date]);
        }""", [query, options])


def date_key(date):
    return rank.date_key(date)


def cn_date_key(label):
    """2024年11月30日 -> 20241130, 2024年2月 -> 20240200"""
    parts = [int(n) for n in re.findall(r"\d+", label)] + [0, 0]
    return parts[0] * 10000 + parts[1] * 100 + parts[2]


@WIDTHS
def test_one_page_of_results_shows_no_pager(sized, site, viewport):
    page = sized(viewport)
    for query in ("都只是文字", "完全不存在的词语组合啊", "，。"):
        open_search(page, site, query)
        assert page.is_hidden("#pager"), query
        assert page.evaluate("getComputedStyle(document.getElementById('pager')).display") == "none"


@WIDTHS
def test_paging_changes_results_and_address_and_back_restores(sized, site, viewport):
    page = sized(viewport)
    open_search(page, site, "的")
    first = ids(page)
    assert len(first) == 10 and page.is_visible("#pager") and page.is_disabled("#prev")
    assert page.inner_text("#page-info").startswith("1 / ")
    page.click("#next")
    page.wait_for_function("location.search.includes('page=2')")
    wait_done(page)
    second = ids(page)
    assert second and not set(first) & set(second) and page.inner_text("#page-info").startswith("2 / ")
    page.click("#prev")
    page.wait_for_function("!location.search.includes('page=')")
    wait_done(page)
    assert ids(page) == first
    page.go_back()
    page.wait_for_function("location.search.includes('page=2')")
    wait_done(page)
    assert ids(page) == second
    assert not page.problems


@pytest.mark.parametrize("query", ["paper:衢州日报", "county:常山县", "kind:photo", "date:2024-11..2024-12", "县区:江山市",
                                   "topic:工业制造 -的"])
def test_filters_alone_list_every_article_newest_first_as_the_command_line_does(page, searchable, query):
    site, index = searchable
    found = browser_search(page, site, query)
    assert [hit["id"] for hit in command_line(index, query)] == [i for i, _ in found]
    keys = [date_key(d) for _, d in found]
    assert keys == sorted(keys, reverse=True)
    if not query.startswith("县区"):
        assert found, query


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_by_date_as_the_command_line_does(page, searchable, sort):
    site, index = searchable
    found = browser_search(page, site, "工业", sort=sort)
    assert [hit["id"] for hit in command_line(index, "工业", "--sort", sort)] == [i for i, _ in found]
    keys = [date_key(d) or 99999999 for _, d in found]
    assert keys == sorted(keys, reverse=sort == "newest") or sort == "newest"
    assert len(found) > 10


@WIDTHS
def test_a_filter_chosen_with_no_query_lists_its_articles(sized, site, viewport):
    page = sized(viewport)
    open_search(page, site)
    page.select_option("#paper", "衢州日报")
    page.wait_for_function("location.search.includes('paper=')")
    wait_done(page)
    assert "标点" not in page.inner_text("#status") and "找到" in page.inner_text("#status")
    assert len(ids(page)) == 10
    assert all("衢州日报 第" in m.inner_text() for m in page.query_selector_all("#results > li .meta"))
    open_search(page, site, "kind:photo")
    assert ids(page) and all(m.inner_text().endswith(" · 图片") for m in page.query_selector_all("#results > li .meta"))


@WIDTHS
def test_form_sorts_by_date_and_narrows_by_paper_kind_and_dates(sized, site, viewport):
    page = sized(viewport)
    open_search(page, site, "工业")
    for control in ("#county", "#topic", "#year", "#paper", "#kind", "#from", "#to", "#sort"):
        assert page.is_visible(control), control
    page.select_option("#sort", "oldest")
    page.wait_for_function("location.search.includes('sort=oldest')")
    wait_done(page)
    dates = [cn_date_key(m.inner_text().split(" · ")[0]) for m in page.query_selector_all("#results > li .meta")]
    assert len(dates) == 10 and dates == sorted(dates)
    page.fill("#from", "2024-11")
    page.dispatch_event("#from", "change")
    page.wait_for_function("location.search.includes('from=2024-11')")
    wait_done(page)
    assert ids(page) and all(m.inner_text().startswith("2024年1") for m in page.query_selector_all("#results > li .meta"))
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("query", ["常山 胡柚", "常山胡柚"])
def test_snippet_shows_the_passage_with_every_term_marked(page, site, query):
    open_search(page, site, query)
    item = page.query_selector('#results > li[data-id="2024/12/02/pomelo-01"]')
    assert item, ids(page)
    marked = {m.inner_text() for m in item.query_selector_all(".snippet mark")}
    assert {"常山", "胡柚"} <= marked or {"常山的胡柚"} == marked, marked
    assert "常山的胡柚" in item.inner_text()


def test_snippet_takes_each_text_once(page, site):
    open_search(page, site, "以飨读者")
    snippet = page.inner_text('#results > li[data-id="2024/02/page-3e4105-01"] .snippet')
    assert snippet.count("以飨读者") == 1 and snippet.count("编者按") <= 1


@WIDTHS
def test_an_opened_result_marks_the_terms_and_scrolls_to_them(sized, site, viewport):
    page = sized(viewport)
    open_search(page, site, "胡柚")
    link = page.query_selector('#results > li[data-id="2024/12/02/pomelo-01"] h2 a')
    assert "#hl=" in link.get_attribute("href")
    link.click()
    page.wait_for_selector("article mark.search-hit")
    marks = page.query_selector_all("article mark.search-hit")
    assert len(marks) == 2 and {m.inner_text() for m in marks} == {"胡柚"}
    assert page.evaluate("""() => { const r = document.querySelector('mark.search-hit').getBoundingClientRect();
                                    return r.top >= 0 && r.bottom <= innerHeight; }""")
    assert page.evaluate("scrollY") > 0 or viewport["height"] > 800


def test_an_article_with_terms_reads_the_same_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(site + "articles/2024/12/02/pomelo-01.html#hl=" + quote("胡柚"))
    assert page.inner_text("article h1") == "丰收时节"
    assert "常山的胡柚" in page.inner_text("article") and page.query_selector("mark.search-hit") is None
    context.close()


@WIDTHS
def test_box_is_focused_only_for_a_fresh_search_on_a_desktop(sized, site, viewport):
    page = sized(viewport)
    open_search(page, site, "常山")
    assert page.evaluate("document.activeElement.id") != "q"
    open_search(page, site)
    focused = page.evaluate("document.activeElement.id") == "q"
    assert focused == (viewport is DESKTOP)
    assert page.get_attribute("#q", "autofocus") is None


@WIDTHS
def test_placeholder_fits_the_box(sized, site, viewport):
    page = sized(viewport)
    open_search(page, site)
    fits = page.evaluate("""() => {
        const input = document.getElementById('q'), style = getComputedStyle(input);
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = `${style.fontSize} ${style.fontFamily}`;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return ctx.measureText(input.placeholder).width <= room;
    }""")
    assert fits


@WIDTHS
def test_empty_page_offers_examples_and_ways_to_browse(sized, site, viewport):
    page = sized(viewport)
    open_search(page, site)
    assert page.is_visible("#start")
    examples = page.query_selector_all("#start .examples a")
    assert len(examples) >= 4
    browse = page.inner_text("#start p")
    for name in ("地区", "主题", "日期", "报纸", "数据"):
        assert page.query_selector(f"#start p a:text-is('{name}')"), name
    examples[0].click()
    page.wait_for_url("**q=*")
    wait_done(page)
    assert ids(page) and page.is_hidden("#start")
    from tests.browser.test_site import SCREENSHOTS as shot
    shot.mkdir(parents=True, exist_ok=True)
    page.goto(site + "search.html")
    wait_done(page)
    page.screenshot(path=str(shot / f"search-start-{viewport['width']}.png"), full_page=True)
    open_search(page, site, "常山 胡柚")
    page.screenshot(path=str(shot / f"search-results-{viewport['width']}.png"), full_page=True)
    assert browse


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("query", ["", "常山 胡柚", "paper:衢州日报"])
def test_axe_finds_no_serious_problem_on_the_search_page(browser, site, scheme, query):
    context = browser.new_context(locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    open_search(page, site, query)
    bad = serious_problems(page)
    context.close()
    assert not bad, bad


def test_a_page_past_the_last_shows_the_last(page, site):
    page.goto(f"{site}search.html?q={quote('都只是文字')}&page=7")
    page.wait_for_function("document.querySelector('#results').dataset.state === 'done' && !location.search.includes('page=')")
    assert ids(page) == ["2024/12/01/hostile-01"] and "page=" not in page.url
    assert page.is_hidden("#pager")
