"""The 数据 section in Chromium, as an economist uses it: at phone and
desktop widths, light and dark, in print; every value opens its article
at the marked sentence; the downloads load and parse; axe-core finds no
serious problem."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import urljoin

import shutil

import pytest

from quzhou_archive.pipeline import build
from tests.browser.conftest import BASE, serious_problems, serving
from tests.browser.test_site import DESKTOP, PHONE, SCREENSHOTS
from tests.conftest import ROOT

def data_pages(built):
    """The index, the county with the most figures, its largest indicator, one indicator compared across
    counties, an article with figures."""
    site = built[0]
    counties = sorted((site / "figures" / "counties").glob("*.html"), key=lambda p: -p.stat().st_size)
    series = sorted((site / "figures" / "counties" / counties[0].stem).glob("*.html"), key=lambda p: -p.stat().st_size)
    indicators = sorted((site / "figures" / "indicators").glob("*.html"), key=lambda p: -p.stat().st_size)
    rows = json.loads((site / "data" / "figures.json").read_text(encoding="utf-8"))
    article = max({r["article"] for r in rows}, key=lambda a: sum(r["article"] == a for r in rows))
    return {"index": "figures/index.html", "county": f"figures/counties/{counties[0].name}",
            "series": f"figures/counties/{counties[0].stem}/{series[0].name}",
            "indicator": f"figures/indicators/{indicators[0].name}", "article": f"articles/{article}.html"}


SERIES = ROOT / "tests" / "data" / "figures" / "a_series_over_two_years.md"


@pytest.fixture(scope="module")
def series_server(tmp_path_factory):
    """The bundled archive and one more article, which gives 辉埠镇's 规上工业产值 a second year: a chart."""
    root = tmp_path_factory.mktemp("series")
    shutil.copytree(ROOT / "articles", root / "articles")
    (root / "articles" / "2023").mkdir()
    shutil.copy(SERIES, root / "articles" / "2023" / "huibu-2022.md")
    assert build(root / "articles", root / "site", root / "index", BASE) == 0
    with serving(root / "site") as url:
        yield url, root / "site"


def test_the_bundled_archive_has_figures_but_no_series_long_enough_for_a_chart(built):
    site = built[0]
    rows = json.loads((site / "data" / "figures.json").read_text(encoding="utf-8"))
    assert len(rows) >= 40
    assert not any("<svg" in p.read_text(encoding="utf-8") for p in (site / "figures" / "counties").rglob("*.html"))


def test_two_years_of_one_series_make_a_chart_beside_its_table(browser, series_server):
    url, site = series_server
    page = browser.new_page(viewport=DESKTOP)
    page.goto(url + "figures/counties/changshan.html")
    page.click("th a >> text=规模以上工业总产值")      # the county's indicators, each to its own page
    labels = page.eval_on_selector_all("figure.chart svg", "els => els.map(e => e.getAttribute('aria-label'))")
    output = [label for label in labels if "98.5亿元" in label]
    assert len(output) == 1 and "2022年 98.5亿元;2023年 110.2亿元" in output[0]
    growth = [label for label in labels if "6.2%" in label]
    assert len(growth) == 1 and "2023年 4.16%" in growth[0]      # rates on a chart of their own
    heading = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')]
        .find(s => s.getAttribute('aria-label').includes('98.5')).closest('.series').querySelector('h2').textContent""")
    assert "辉埠镇" in heading
    page.screenshot(path=str(SCREENSHOTS / "figures-chart-desktop.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("which", ["index", "county", "series", "indicator", "article"])
def test_screenshots_phone_and_desktop_light_and_dark(browser, server, built, which):
    path = data_pages(built)[which]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport=viewport, locale="zh-CN", color_scheme=scheme)
            page = context.new_page()
            page.goto(server + path)
            # wide tables scroll in their own box: the page itself never scrolls sideways
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (path, label)
            shot = SCREENSHOTS / f"figures-{which}-{label}-{scheme}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 5000
            context.close()


def test_charts_take_the_text_colour_in_dark_mode_and_print_black(browser, series_server):
    server, site = series_server
    county = next(p for p in (site / "figures" / "counties").rglob("*.html") if "<svg" in p.read_text(encoding="utf-8"))
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(server + county.relative_to(site).as_posix())
        colours[scheme] = page.evaluate("""() => {
            const svg = document.querySelector('figure.chart svg');
            return [getComputedStyle(svg.querySelector('path')).stroke, getComputedStyle(document.body).color,
                    getComputedStyle(document.body).backgroundColor];
        }""")
        if scheme == "light":
            page.emulate_media(media="print")
            assert page.evaluate("getComputedStyle(document.querySelector('figure.chart')).color") == "rgb(0, 0, 0)"
        context.close()
    for stroke, text, background in colours.values():
        assert stroke == text != background
    assert colours["light"][0] != colours["dark"][0]


def test_every_value_opens_its_article_at_the_marked_sentence(browser, server, built):
    context = browser.new_context()
    page = context.new_page()
    pages = data_pages(built)
    checked = 0
    for which in ("county", "series", "indicator"):
        page.goto(server + pages[which])
        links = page.eval_on_selector_all("td.value a", "els => els.map(e => e.href)")
        assert links
        for link in links[:12]:
            page.goto(link)
            anchor = link.split("#", 1)[1]
            found = page.evaluate("""(id) => { const el = document.getElementById(id);
                return el && [el.closest('mark.figure') !== null || el.tagName === 'TR', el.matches(':target')]; }""",
                                  anchor)
            assert found == [True, True], link
            checked += 1
    assert checked >= 4
    context.close()


def test_an_article_lists_its_figures_and_each_jumps_to_its_quote(browser, server, built):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + data_pages(built)["article"])
    rows = page.query_selector_all(".article-figures tbody tr")
    assert len(rows) >= 3
    page.click(".article-figures td.value a >> nth=0")
    target = page.evaluate("document.querySelector(':target')?.className")
    assert target == "figure-quote"
    assert page.evaluate("document.querySelector(':target').closest('mark.figure') !== null")
    context.close()


def test_downloads_load_and_parse(browser, server, built):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "figures/index.html")
    hrefs = page.eval_on_selector_all("#downloads ~ p a[download]", "els => els.map(e => e.href)")
    assert len(hrefs) == 2
    by_name = {h.rsplit("/", 1)[1]: page.request.get(h) for h in hrefs}
    assert all(r.status == 200 for r in by_name.values())
    rows = json.loads(by_name["figures.json"].text())
    table = list(csv.DictReader(io.StringIO(by_name["figures.csv"].body().decode("utf-8-sig"))))
    assert len(rows) == len(table) > 0 and [r["quote"] for r in rows] == [r["quote"] for r in table]
    context.close()


@pytest.mark.parametrize("which", ["index", "county", "series", "indicator", "article"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problem_on_the_data_pages(browser, server, built, which, scheme):
    context = browser.new_context(locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    page.goto(server + data_pages(built)[which])
    bad = serious_problems(page)
    context.close()
    assert not bad, bad


def test_the_data_section_is_in_the_navigation_of_every_page(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server)
    page.click("header.site nav >> text=数据")
    assert page.url.endswith("figures/index.html")
    assert page.inner_text("header.site nav a[aria-current=page]") == "数据"
    context.close()
