"""Reading the archive like the paper, in Chromium at phone and desktop
widths: turning to the neighbouring month and issue, the year's months
that have stories standing out, an article's place in its issue, the
headline with its 引题/副题 in lists, teasers, speeches and missing photos."""
from __future__ import annotations

import pytest

from tests.browser.conftest import serious_problems
from tests.browser.test_site import DESKTOP, PHONE, SCREENSHOTS

PAGES = {
    "year": "dates/2024.html",
    "day": "dates/2024-11-30.html",
    "issue-page": "papers/quzhou-ribao/2024-11-30.html",
    "speech": "articles/2024/02/page-3e4105-01.html",
    "teaser": "articles/2024/11/30/quzhou-ribao-p01-01.html",
    "photo": "articles/2024/11/30/quzhou-ribao-p01-07.html",
    "photos": "articles/2024/02/page-817c25-01.html",
    "topic": "topics/investment.html",
}


@pytest.fixture(params=[("phone", PHONE), ("desktop", DESKTOP)], ids=["phone", "desktop"])
def screen(request, browser):
    label, viewport = request.param
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.label, page.width = label, viewport["width"]
    yield page
    context.close()


def shoot(page, server, name):
    page.goto(server + PAGES[name])
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"reading-{name}-{page.label}.png"), full_page=True)


def test_month_and_issue_pages_turn_to_their_neighbours(screen, server):
    screen.goto(server + "dates/2024-11.html")
    link = screen.locator("nav.around a[rel=prev]")
    assert link.is_visible() and link.inner_text().split() == ["‹", "上个月", "2024年2月"]
    link.click()
    assert screen.url.endswith("dates/2024-02.html")
    assert screen.locator("nav.around a[rel=next]").inner_text().endswith("2024年11月")


def test_year_grid_months_with_stories_look_like_links(screen, server):
    shoot(screen, server, "year")
    styles = screen.evaluate("""() => [...document.querySelectorAll('.months li > *')].map(e => {
        const s = getComputedStyle(e);
        return [e.tagName, s.backgroundColor, s.borderTopColor, s.fontWeight, e.tabIndex]; })""")
    filled = [s for s in styles if s[0] == "A"]
    empty = [s for s in styles if s[0] == "SPAN"]
    assert len(filled) == 2 and len(empty) == 10        # 2024: stories in February and November
    assert all(bg not in ("rgba(0, 0, 0, 0)", "transparent") and int(weight) >= 700 for _, bg, _, weight, _ in filled)
    assert all(bg == "rgba(0, 0, 0, 0)" and border == "rgba(0, 0, 0, 0)" and tab < 0 for _, bg, border, _, tab in empty)
    assert screen.locator(".months a").last.inner_text().split() == ["11月", "8", "篇"]


def test_article_breadcrumb_leads_to_its_page_on_the_issue(screen, server):
    screen.goto(server + "articles/2024/11/30/quzhou-ribao-p01-02.html")
    crumbs = screen.locator("nav.crumbs")
    assert " ".join(crumbs.inner_text().split()) == "衢州日报 › 2024年11月30日 › 第1版 › 本篇"
    crumbs.locator("text=第1版").click()
    assert screen.url.endswith("papers/quzhou-ribao/2024-11-30.html#page-1")
    assert screen.evaluate("document.querySelector(':target').id") == "page-1"
    shoot(screen, server, "issue-page")


def test_lists_show_kicker_and_subtitle(screen, server):
    shoot(screen, server, "day")
    first = screen.locator(".cards li").first
    assert first.locator(".card-kicker").inner_text().startswith("习近平对新时代")
    assert first.locator(".card-subtitle").inner_text() == "为推进马克思主义中国化时代化作出更大贡献"
    boxes = [first.locator(sel).bounding_box() for sel in (".card-kicker", ".title", ".card-subtitle")]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]          # kicker above the headline, subtitle below
    shoot(screen, server, "topic")
    assert screen.locator(".card-terms").first.inner_text().startswith("归入本主题的词：")


def test_speech_collection_contents_lead_to_each_speech(screen, server):
    shoot(screen, server, "speech")
    contents = screen.locator("nav.speeches li")
    assert contents.count() == 5
    assert "市生态环境局常山分局党组书记、局长" in contents.first.inner_text()
    contents.nth(3).locator("a").click()
    assert screen.evaluate("document.querySelector(':target').textContent").startswith("“筑巢引凤”")


def test_teaser_points_to_its_page_and_photos_say_they_are_missing(screen, server):
    shoot(screen, server, "teaser")
    see = screen.locator(".see-page")
    assert "详见本期第4版" in see.inner_text()
    see.locator("a").click()
    assert screen.url.endswith("papers/quzhou-ribao/2024-11-30.html")
    shoot(screen, server, "photo")
    assert screen.locator(".photo-box").inner_text() == "图片未收入档案"
    assert screen.locator("main").inner_text().count("刘芸") == 1
    box = screen.locator(".photo-box").bounding_box()
    assert box["height"] > 80 and box["width"] <= screen.width
    shoot(screen, server, "photos")
    assert screen.locator(".photo-missing figcaption").count() == 2


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problem_on_reading_pages(browser, server, name, scheme):
    context = browser.new_context(locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    page.goto(server + PAGES[name])
    bad = serious_problems(page)
    context.close()
    assert not bad, bad
