"""Navigation as a reader of the paper finds it: the neighbouring day,
month, year and issue; an article's place in its issue; headlines with
their 引题/副题; teasers, speech collections and photos; topics by the
evidence of the text; interface text in full-width punctuation."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from quzhou_archive.analyse import topics
from quzhou_archive.pipeline import build
from quzhou_archive.site import model as site_model
from quzhou_archive.site import pages as site_pages
from quzhou_archive.site.story import speech_sections, teaser_target
from quzhou_archive.textnorm import fold
from tests.conftest import ROOT


def card(date, paper="衢州日报", page=1, kicker=None, subtitle=None, topics_=("工业制造",), terms=()):
    return site_model.Card("标题", kicker, subtitle, date, paper, page, ("常山县",), topics_, "news", "", terms)


@pytest.fixture(scope="module")
def model():
    dates = {"a": "2024-11-28", "b": "2024-11-30", "c": "2024-11-30", "d": "2024-12-02", "e": "2025-01-05",
             "f": "2024-02", "g": None}
    cards = [(aid, card(date, page=2 if aid == "c" else 1)) for aid, date in dates.items()]
    cards.append(("h", card("2024-11-29", paper="浙江日报")))
    return site_model.SiteModel(cards)


def by_path(model):
    return {p.path: p for p in site_pages.list_pages(model)}


def test_date_pages_link_the_neighbouring_dates_that_have_articles(model):
    pages = by_path(model)
    day = pages["dates/2024-11-30.html"].context["around"]
    assert day == {"prev": ("2024年11月29日", "dates/2024-11-29.html"), "next": ("2024年12月2日", "dates/2024-12-02.html")}
    assert pages["dates/2024-11-28.html"].context["around"]["prev"] is None
    month = pages["dates/2024-12.html"].context["around"]
    assert month == {"prev": ("2024年11月", "dates/2024-11.html"), "next": ("2025年1月", "dates/2025-01.html")}
    assert pages["dates/2024-11.html"].context["around"]["prev"] == ("2024年2月", "dates/2024-02.html")
    assert pages["dates/2024.html"].context["around"] == {"prev": None, "next": ("2025年", "dates/2025.html")}


def test_issue_pages_link_the_same_papers_neighbouring_issues(model):
    pages = by_path(model)
    issue = pages["papers/quzhou-ribao/2024-11-30.html"].context
    assert issue["around"] == {"prev": ("2024年11月28日", "papers/quzhou-ribao/2024-11-28.html"),
                               "next": ("2024年12月2日", "papers/quzhou-ribao/2024-12-02.html")}
    assert [p["anchor"] for p in issue["pages"]] == ["page-1", "page-2"]
    # an issue dated only by its month comes before that month's days
    assert pages["papers/quzhou-ribao/2024-02.html"].context["around"]["prev"] is None
    paper = pages["papers/quzhou-ribao.html"].context["ends"]
    assert paper == {"prev": ("2024年2月", "papers/quzhou-ribao/2024-02.html"),
                     "next": ("2025年1月5日", "papers/quzhou-ribao/2025-01-05.html")}


def test_article_breadcrumb_is_paper_issue_and_page(model):
    page = site_pages.article_page(model, model.by_id["c"], "digest")
    assert page.context["trail"] == [("衢州日报", "papers/quzhou-ribao.html"),
                                     ("2024年11月30日", "papers/quzhou-ribao/2024-11-30.html"),
                                     ("第2版", "papers/quzhou-ribao/2024-11-30.html#page-2")]
    assert page.context["issue_pages"] == [1, 2]
    undated = site_pages.article_page(model, model.by_id["g"], "digest").context["trail"]
    assert undated == [("衢州日报", "papers/quzhou-ribao.html"), ("日期不详", "dates/undated.html")]


def test_cards_carry_kicker_and_subtitle_and_on_topic_lists_the_terms():
    m = site_model.SiteModel([("a", card("2024-11-30", kicker="解“近忧”化“远虑”", subtitle="副题",
                                        terms=(("工业制造", ("工业", "产值")),)))])
    item = m.by_id["a"]
    assert (item.card()["kicker"], item.card()["subtitle"]) == ("解“近忧”化“远虑”", "副题")
    assert item.card()["terms"] == []
    assert item.card("工业制造")["terms"] == ["工业", "产值"]


def test_teaser_links_the_page_it_points_to_only_when_the_archive_holds_it():
    issue = "papers/quzhou-ribao/2024-11-30.html"
    assert teaser_target(4, issue, [1, 4]) == {"page": 4, "url": f"{issue}#page-4"}
    assert teaser_target(4, issue, [1]) == {"page": 4, "url": None}
    assert teaser_target(None, issue, [1]) is None
    assert teaser_target("四", issue, [1]) is None


def test_speech_collection_has_contents_with_each_speakers_role():
    html = ("<blockquote><p>编者按</p></blockquote>\n<h2>以实干展现新作为</h2>\n<p>市生态环境局常山分局党组书记、局长 何小建</p>\n"
            "<p>正文</p>\n<h2>勇挑重担</h2>\n<p>辉埠镇党委副书记、镇长 宋斌</p>\n<h3>一、成绩</h3>")
    marked, contents = speech_sections(html, ["何小建", "宋斌"])
    assert contents == [
        {"anchor": "speech-1", "heading": "以实干展现新作为", "name": "何小建", "role": "市生态环境局常山分局党组书记、局长"},
        {"anchor": "speech-2", "heading": "勇挑重担", "name": "宋斌", "role": "辉埠镇党委副书记、镇长"}]
    assert '<h2 id="speech-1">' in marked and '<p class="speaker">辉埠镇党委副书记、镇长 宋斌</p>' in marked
    assert speech_sections("<h2>小标题</h2>\n<p>一段正文</p>", ["某人"]) == ("<h2>小标题</h2>\n<p>一段正文</p>", [])


def test_a_story_gets_every_topic_its_text_strongly_evidences():
    from quzhou_archive import articles as store

    speech = store.read_article(ROOT / "articles", ROOT / "articles/2024/02/page-3e4105-01.md")
    headline, body = fold(" ".join(speech.metadata.headline_parts)), fold(speech.body)
    sections = [fold(s) for s in re.split(r"(?m)^## ", speech.body)[1:]]
    chosen = topics.topics_for(headline, body, sections=sections)
    assert {"生态环保", "招商引资"} <= set(chosen) and chosen[:3] == ["科技创新", "农业农村", "工业制造"]
    assert topics.topic_terms(headline, body, ["生态环保"])["生态环保"][0] == "生态环境"
    # a few general words are no evidence: 创新 and 科技 once each in a story about a meeting
    assert topics.topics_for(fold("市委常委会召开会议"), fold("会议强调，要抓好科技创新，召开座谈会，部署工作。")) == ["党政要闻"]


# -- the built archive ----------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("reading")
    assert build(ROOT / "articles", root / "site", root / "index", "https://owner.github.io/REPO/") == 0
    return root / "site"


def read(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_topic_pages_list_the_stories_the_search_finds(site):
    investment = read(site, "topics/investment.html")
    assert investment.count('<a class="title"') >= 2 and "持续推进“八大行动”" in investment
    assert "归入本主题的词：“招商”" in investment
    environment = read(site, "topics/environment.html")
    assert "page-3e4105-01.html" in environment and "“生态环境”" in environment


def test_teaser_speech_and_photo_pages(site):
    teaser = read(site, "articles/2024/11/30/quzhou-ribao-p01-01.html")
    assert '<p class="see-page">这则导读只印了标题。详见本期第4版，这一版没有收入档案。' in teaser
    speech = read(site, "articles/2024/02/page-3e4105-01.html")
    assert '<a href="#speech-1">以实干展现新作为 靠担当交出新答卷</a>' in speech
    assert "市生态环境局常山分局党组书记、局长 <strong>何小建</strong>" in speech and 'id="speech-5"' in speech
    photo = read(site, "articles/2024/11/30/quzhou-ribao-p01-07.html")
    assert photo.count("刘芸") == 1 and "图片未收入档案" in photo
    with_photos = read(site, "articles/2024/02/page-817c25-01.html")
    assert with_photos.count("许军 摄") == 2 and with_photos.count("图片未收入档案") == 2


def test_article_breadcrumb_and_issue_anchors(site):
    article = read(site, "articles/2024/11/30/quzhou-ribao-p01-02.html")
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', article).group(0)
    assert re.sub(r"<[^>]+>", "", crumbs) == "衢州日报 › 2024年11月30日 › 第1版 › 本篇"
    assert 'href="../../../../papers/quzhou-ribao/2024-11-30.html#page-1"' in crumbs
    assert '<section class="printed-page" id="page-1">' in read(site, "papers/quzhou-ribao/2024-11-30.html")
    assert '<a rel="prev" href="2024-02.html">' in read(site, "dates/2024-11.html")


class InterfaceText(HTMLParser):
    """A page's text and the labels it gives, without the articles' own
    text: their bodies, headlines, captions and citations, code, the tables
    of figures quoted from them, and <title> (an article's headline as
    printed)."""

    SKIPPED = {"script", "style", "code", "table", "title"}
    ARTICLE_TEXT = ("body", "photo-figures", "citation", "kicker", "subtitle", "card-kicker", "card-subtitle", "title",
                    "caption", "credit", "byline", "note")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        skip = (bool(self.stack) and self.stack[-1]) or tag in self.SKIPPED or tag == "h1" and self.in_story \
            or any(c in self.ARTICLE_TEXT for c in classes) or "data-text" in attrs
        if tag == "article":
            self.in_story = True
        if tag not in ("meta", "link", "br", "img", "input", "hr"):
            self.stack.append(skip)
        for name in ("aria-label", "placeholder", "alt"):
            if attrs.get(name) and not skip:
                self.texts.append(attrs[name])

    in_story = False

    def handle_endtag(self, tag):
        if tag not in ("meta", "link", "br", "img", "input", "hr") and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.texts.append(data)


ASCII_NEXT_TO_CHINESE = re.compile(r"[\u4e00-\u9fff][,;:()\"]|[,;:()\"][\u4e00-\u9fff]")


def test_interface_text_uses_full_width_punctuation(site):
    found = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("raw/"):
            continue                        # a raw page is the page as it came in, not the archive's words
        if relative.startswith("figures/counties/") and relative.count("/") == 3:
            continue                        # a series is named by its indicator as the article printed it
        parser = InterfaceText()
        parser.feed(path.read_text(encoding="utf-8"))
        for text in parser.texts:
            if ASCII_NEXT_TO_CHINESE.search(text):
                found.append((relative, text.strip()[:60]))
    assert found == []


def test_a_long_year_page_names_only_the_neighbouring_years_rel_prev_and_next():
    from quzhou_archive.site.render import Renderer

    cards = [(f"y{n:03d}", card("2023")) for n in range(3 * site_model.PER_PAGE)] + [("z", card("2024-05-01"))]
    page = by_path(site_model.SiteModel(cards))["dates/2023.html"]
    html = Renderer("/").render(page)
    assert html.count('rel="next"') == 1 and '<a rel="next" href="2024.html">' in html
    assert "下一页 ›" in html
