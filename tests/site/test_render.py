"""The built site as files: every page the reader browses by, feeds, sitemap,
safety of article text, and a failed build leaving the old site in place."""
import shutil
import xml.etree.ElementTree as ET

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from quzhou_archive.errors import ArchiveError
from quzhou_archive.synthetic import generate
from quzhou_archive.site.model import PER_PAGE
from tests.conftest import ROOT

BASE = "https://owner.github.io/REPO/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("render")
    assert build(ROOT / "articles", root / "site", root / "index", BASE) == 0
    return root / "site"


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    """800 generated articles: lists long enough to be paginated."""
    root = tmp_path_factory.mktemp("big")
    generate(800, root / "articles", ROOT / "articles", seed=5)
    assert build(root / "articles", root / "site", root / "index", "/") == 0
    return root / "site"


def read(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_browse_pages_exist(site):
    for path in ("index.html", "search.html", "404.html", "counties/index.html", "counties/changshan.html",
                 "counties/suichangxian.html", "topics/index.html", "topics/industry.html", "dates/index.html",
                 "dates/2024.html", "dates/2024-11.html", "dates/2024-11-30.html", "dates/2024-02.html",
                 "dates/undated.html", "papers/index.html", "papers/quzhou-ribao.html",
                 "papers/quzhou-ribao/2024-11-30.html", "papers/unknown.html", "feed.xml", "counties/changshan.xml",
                 "sitemap.xml", "robots.txt", ".nojekyll", "static/style.css", "static/search.js"):
        assert (site / path).exists(), path


def test_every_article_page_carries_its_id(site):
    for path in store.article_paths(ROOT / "articles"):
        aid = store.id_for_path(ROOT / "articles", path)
        assert f'<article data-id="{aid}"' in read(site, f"articles/{aid}.html")


def test_home_lists_latest_counties_topics_and_search(site):
    home = read(site, "index.html")
    assert 'action="search.html"' in home and "最新报道" in home
    assert 'href="counties/changshan.html">常山县 <span class="count">6' in home
    assert 'href="topics/industry.html">工业制造' in home


def test_counties_grouped_with_outside_places_by_city(site):
    page = read(site, "counties/index.html")
    assert page.index("衢州市") < page.index("柯城区") < page.index("丽水市") < page.index("遂昌县")
    assert "杭州市" in page and "拱墅区" in page


def test_dates_are_listed_honestly(site):
    month = read(site, "dates/2024-02.html")
    assert "只知道月份的报道" in month and "柯城" in month
    assert "日期不详" in read(site, "dates/undated.html") and "遂昌建设三大平台" in read(site, "dates/undated.html")
    calendar = read(site, "dates/2024-11.html")
    assert 'href="2024-11-30.html"' in calendar and "星期六" in calendar


def test_an_issue_shows_its_pages_and_stories_in_order(site):
    issue = read(site, "papers/quzhou-ribao/2024-11-30.html")
    assert "第1版" in issue
    assert issue.index("高屹率团赴韩国") < issue.index("第七届世界浙商大会") < issue.index("市八届人大常委会")


def test_article_page_has_what_a_researcher_needs(site):
    page = read(site, "articles/2024/11/30/quzhou-ribao-p01-03.html")
    for text in ("第七届世界浙商大会衢州专题活动举行", "徐张艳蔡晓春致辞", "2024年11月30日", "衢州日报 第1版",
                 "胡灵萍 余黎红 李若莹", "001_3b0daec07d260e75.txt", "第 43–51 行",
                 "胡灵萍, 余黎红, 李若莹. 第七届世界浙商大会衢州专题活动举行:徐张艳蔡晓春致辞 杜兴林主持[N/OL]. 衢州日报, 2024-11-30(01)[<span class=\"cited\" data-cited>引用日期</span>].",
                 'rel="prev"', 'rel="next"', "相关报道", 'href="../../../../counties/quzhou.html"',
                 f'<link rel="canonical" href="{BASE}articles/2024/11/30/quzhou-ribao-p01-03.html">',
                 '<meta property="og:type" content="article">'):
        assert text in page, text


def test_photo_credits_and_notes(site):
    page = read(site, "articles/2024/02/page-817c25-02.html")
    assert "生态功能区建设稳步推进" in page and "余志明 摄" in page and "由开化传媒集团提供" in page


def test_long_lists_are_paginated(big_site):
    pages = sorted(p.name for p in (big_site / "topics").glob("*.html"))
    assert any(name.endswith("-1.html") for name in pages)
    oldest = next(p for p in (big_site / "topics").glob("*-1.html"))
    first = read(big_site, f"topics/{oldest.name.replace('-1.html', '.html')}")
    assert PER_PAGE < first.count('<a class="title" href=') <= 2 * PER_PAGE
    assert 'rel="next"' in first and "共 " in first
    page = read(big_site, f"topics/{oldest.name}")
    assert page.count('<a class="title" href=') == PER_PAGE
    assert 'rel="prev"' in page and 'rel="next"' not in page and "共 " not in page


def test_a_new_article_changes_the_first_page_of_a_list_not_the_older_ones():
    from quzhou_archive.site.pages import paginate

    def pages(n):
        return {p.path: p.context for p in paginate("topics/x", [f"a{i}" for i in range(n, 0, -1)],
                                                    {"page_title": "x"})}

    before, after = pages(437), pages(438)
    assert sorted(before) == sorted(after) == ["topics/x-1.html", "topics/x-2.html", "topics/x-3.html",
                                               "topics/x-4.html", "topics/x-5.html", "topics/x-6.html",
                                               "topics/x-7.html", "topics/x.html"]
    changed = [path for path in before if before[path] != after[path]]
    assert changed == ["topics/x.html"]
    assert len(after["topics/x.html"]["items"]) == 88 and after["topics/x-7.html"]["items"][0] == "a350"
    grown = pages(451)     # fifty more: one page more, and the pagers near the first page change
    assert "topics/x-8.html" in grown
    assert [p for p in before if p in grown and before[p]["items"] != grown[p]["items"]] == ["topics/x.html"]


def test_feeds_and_sitemap_are_valid_and_absolute(site):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(read(site, "feed.xml"))
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 17
    assert entries[0].find("a:link", ns).get("href").startswith(BASE + "articles/")
    county = ET.fromstring(read(site, "counties/kaihua.xml"))
    assert all("开化" in (e.find("a:title", ns).text + "".join(c.get("term") for c in e.findall("a:category", ns)))
               for e in county.findall("a:entry", ns))
    locs = [u.text for u in ET.fromstring(read(site, "sitemap.xml")).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert BASE in locs and all(loc.startswith(BASE) for loc in locs)
    assert f"Sitemap: {BASE}sitemap.xml" in read(site, "robots.txt")


def test_404_links_carry_the_base_path(site):
    page = read(site, "404.html")
    assert 'href="/REPO/static/style.css"' in page and 'href="/REPO/search.html"' in page


def test_nothing_loads_from_another_host(site):
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for attr in ('src="http', "src='http", 'href="//', "@import"):
            assert attr not in text, path
        assert 'rel="stylesheet" href="http' not in text


HOSTILE_TITLE = '<script>alert("title")</script>标题'
HOSTILE_BODY = '<img src=x onerror="alert(1)"> 正文 <script>alert("body")</script>\n\n<iframe src="http://evil.example"></iframe>\n'


def test_article_text_is_data_not_markup(tmp_path):
    articles = tmp_path / "articles"
    meta = {"title": HOSTILE_TITLE, "subtitle": '"><b>副题</b>', "kicker": None, "date": "2024-01-01", "paper": None,
            "page": None, "counties": ["衢州市"], "topics": [], "authors": ["<i>某</i>"], "photographers": [],
            "kind": "news", "photos": [{"caption": "<svg onload=alert(2)>", "credit": "x 摄"}],
            "source": {"file": "<b>.txt", "lines": [1, 2]}}
    (articles / "2024/01/01").mkdir(parents=True)
    (articles / "2024/01/01/x-01.md").write_text(store.article_file_text(meta, HOSTILE_BODY), encoding="utf-8")
    assert build(articles, tmp_path / "site", tmp_path / "index", "/") == 0
    page = (tmp_path / "site/articles/2024/01/01/x-01.html").read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x", "<iframe", "<svg onload", "<b>副题", "<i>某"):
        assert raw not in page, raw
    assert "&lt;script&gt;alert" in page and "&lt;img src=x onerror" in page
    for listing in ("index.html", "counties/quzhou.html", "feed.xml"):
        assert "<script>alert" not in (tmp_path / "site" / listing).read_text(encoding="utf-8")


def test_failed_build_leaves_the_previous_site_and_index(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    site, index = tmp_path / "site", tmp_path / "index"
    assert build(articles, site, index, "/") == 0
    before = {p: p.read_bytes() for p in list(site.rglob("*")) + list(index.rglob("*")) if p.is_file()}
    bad = articles / "2024/11/30/quzhou-ribao-p01-02.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("date: '2024-11-30'", "date: 2024-13-45"), encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        build(articles, site, index, "/")
    assert "quzhou-ribao-p01-02.md:" in str(caught.value)
    after = {p: p.read_bytes() for p in list(site.rglob("*")) + list(index.rglob("*")) if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if ".new-" in p.name or ".old-" in p.name]


def test_pager_shows_the_ends_and_the_neighbourhood():
    from quzhou_archive.site.pages import pager_links

    pages = [("最新", "x.html")] + [(str(k), f"x-{k}.html") for k in range(334, 0, -1)]
    links = pager_links(pages, 100)
    assert [link[0] if link else None for link in links] == ["最新", None, "237", "236", "235", "234", "233", None, "1"]
    assert [link[0] for link in pager_links(pages[:4], 2)] == ["最新", "334", "333", "332"]


# -- the renderer's environment renders what Jinja2's own does ---------------------------------------

def both(source: str, **context) -> tuple:
    """A template rendered by the pages' environment and by Jinja2's own with
    the same options: what each gave, or the kind of error each raised."""
    from jinja2 import Environment, DictLoader

    from quzhou_archive.site import render

    results = []
    for kind in (render.PageEnvironment, Environment):
        env = render.environment(kind)
        env.loader = DictLoader({"t.html": source})
        try:
            results.append(env.get_template("t.html").render(context))
        except Exception as error:      # noqa: BLE001 — the same error, or the same text
            results.append(type(error))
    return tuple(results)


@pytest.mark.parametrize("source, context", [
    ("{{ d.title }}", {"d": {"title": "<标题>"}}),
    ("{{ d.items }}|{{ d.keys }}|{{ d.get }}", {"d": {"items": "key", "keys": "k", "get": "g"}}),     # a dict's methods win
    ("{{ d.missing }}", {"d": {"title": "x"}}),
    ("{{ d.title.upper() }}", {"d": {"title": "x"}}),
    ("{{ d.title }}", {"d": __import__("collections").OrderedDict(title="subclass")}),
    ("{{ t.real }}|{{ t.count }}", {"t": 3}),
    ("{{ ns.title }}", {"ns": __import__("types").SimpleNamespace(title="attr")}),
    ("{{ d[1] }}", {"d": {1: "one"}}),
    ("{{ f('a', b=2) }}", {"f": lambda a, b=0: f"{a}{b}"}),
    ("{{ f() }}", {"f": __import__("jinja2").pass_context(lambda ctx: ctx["x"]), "x": "from the context"}),
    ("{{ f() }}", {"f": __import__("jinja2").pass_environment(lambda env: env.trim_blocks)}),
    ("{{ f() }}", {"f": lambda: next(iter(()))}),       # StopIteration: undefined
    ("{% for x in xs %}{{ f(x) }}{% endfor %}", {"xs": [1, 2], "f": str}),
    ("{% macro m(a) %}{{ url(a) }}{% endmacro %}{{ m('x') }}", {"url": lambda t: "../" + t}),
    # what `{{ value }}` writes, escaped
    ("{{ s }}|{{ s|safe }}|{{ s|e }}|{{ s ~ '<b>' }}", {"s": "<a href=\"x\">'&'</a>"}),
    ("{{ m }}|{{ m ~ '<b>' }}|{{ m|upper }}", {"m": __import__("markupsafe").Markup("<i>safe</i> & ")}),
    ("{{ h }}", {"h": type("Html", (), {"__html__": lambda self: "<u>as it says</u>"})()}),
    ("{{ n }} {{ f }} {{ none }} {{ t }} {{ xs }} {{ d }}", {"n": 3, "f": 2.5, "none": None, "t": True, "xs": ["<", 1],
                                                            "d": {"k": "<v>"}}),
    ("{{ u }}", {"u": type("Odd", (str,), {"__str__": lambda self: "<str>"})("<value>")}),
    ("{{ missing }}", {}),
    ("{% autoescape false %}{{ s }}{% endautoescape %}{{ s }}", {"s": "<&>"}),
    ("{% autoescape on %}{{ s }}{% endautoescape %}", {"s": "<&>", "on": False}),
    ("{% filter upper %}{{ s }}<b>{% endfilter %}", {"s": "<&x>"}),
    ("{% set block %}{{ s }}{% endset %}{{ block }}|{{ block|length }}", {"s": "<&>"}),
    ("{% macro m(x) %}<i>{{ x }}</i>{{ caller() if caller }}{% endmacro %}{{ m(s) }}"
     "{% call m(s) %}{{ s }}{% endcall %}{{ m(s)|length }}", {"s": "<&>"}),
    ("{% for x in xs %}{{ loop.index }}{{ x }}{% else %}{{ s }}{% endfor %}", {"xs": ["<", ">"], "s": "&"}),
    ("{{ s|join(', ') }}|{{ s|map('upper')|join }}", {"s": ["<a>", "b&"]}),
])
def test_the_pages_environment_renders_as_jinja2s_own(source, context):
    mine, theirs = both(source, **context)
    assert mine == theirs


def test_every_page_is_what_jinja2s_own_environment_renders(tmp_path, monkeypatch):
    """The whole bundled archive and a generated one, built with the pages'
    environment (and the article pages written in Python) and with Jinja2's
    own: the same site, byte for byte."""
    from jinja2 import Environment

    from quzhou_archive.site import article_html, render

    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    generate(150, articles / "generated", ROOT / "articles", seed=3)
    assert build(articles, tmp_path / "mine", tmp_path / "i1", BASE, jobs=1) == 0
    pages_environment = render.environment
    monkeypatch.setattr(render, "environment", lambda compiled=None: pages_environment(Environment))
    monkeypatch.setattr(article_html, "WRITTEN_FROM", "")      # every page rendered by Jinja2
    assert build(articles, tmp_path / "theirs", tmp_path / "i2", BASE, jobs=1) == 0
    mine = {p.relative_to(tmp_path / "mine"): p.read_bytes() for p in (tmp_path / "mine").rglob("*") if p.is_file()}
    theirs = {p.relative_to(tmp_path / "theirs"): p.read_bytes() for p in (tmp_path / "theirs").rglob("*") if p.is_file()}
    assert len(mine) > 800 and mine.keys() == theirs.keys()
    assert [p for p in mine if mine[p] != theirs[p]] == []


def test_templates_compiled_by_one_build_serve_the_next_until_one_is_edited(tmp_path, monkeypatch):
    """A renderer keeps the templates it compiled in the folder it is given;
    the next one reads them instead of compiling, and renders the same
    pages; a template edited is compiled again, and what it now says is
    rendered; compiled files of other code are removed."""
    from jinja2 import Environment

    from quzhou_archive.site import layout, render
    from quzhou_archive.site.model import Page

    templates, compiled = tmp_path / "templates", tmp_path / "compiled"
    shutil.copytree(layout.TEMPLATES, templates)
    monkeypatch.setattr(layout, "TEMPLATES", templates)
    compiled.mkdir()
    (compiled / "0123456789ab-stale.cache").write_bytes(b"compiled by other code")
    compiles = []
    jinja_compile = Environment.compile
    monkeypatch.setattr(Environment, "compile", lambda self, *a, **k: compiles.append(a[1]) or jinja_compile(self, *a, **k))
    page = Page("data.html", "data.html", {"page_title": "开放数据", "section": "", "count": 3,
                                           "csv_fields": ["id"], "separator": "|"})

    first = render.Renderer(BASE, compiled).render(page)
    assert set(compiles) >= {"data.html", "base.html"}
    assert not (compiled / "0123456789ab-stale.cache").exists()
    assert len(list(compiled.glob(f"{render.compiler_digest()}-*.cache"))) == len(set(compiles))

    compiles.clear()
    assert render.Renderer(BASE, compiled).render(page) == first
    assert compiles == []

    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<p>edited</p></body>"), encoding="utf-8")
    edited = render.Renderer(BASE, compiled).render(page)
    assert compiles == ["base.html"]
    assert "<p>edited</p>" in edited and "<p>edited</p>" not in first


def jinja_card_meta(card: dict, date: bool, paper: bool) -> str:
    """The cards' line as the template wrote it before `card_meta` said it."""
    from jinja2 import Environment

    from quzhou_archive.site import render

    source = ("{{ [date and it.date_label, paper and it.paper and it.paper ~ (' 第%s版' % it.page if it.page else ''),"
              " it.kind != '消息' and it.kind]|select|join(' · ') }}")
    return render.environment(Environment).from_string(source).render(it=card, date=date, paper=paper)


def test_a_cards_line_is_what_the_template_wrote():
    import itertools

    from markupsafe import escape

    from quzhou_archive.site.render import card_meta

    for date_label, paper, page, kind in itertools.product(["2024年11月30日", "日期不详", ""], ["衢州日报", "<报>&", None, ""],
                                                          [3, None, 0], ["消息", "通讯", "", "<图片>"]):
        card = {"date_label": date_label, "paper": paper, "page": page, "kind": kind}
        for date, paper_shown in itertools.product([True, False], repeat=2):
            assert str(escape(card_meta(card, date, paper_shown))) == jinja_card_meta(card, date, paper_shown)


def links_as_they_were(page_path: str):
    """`relative_links` as it was first written: the reference for the one that looks folders up."""
    here = page_path.split("/")[:-1]

    def url(target: str) -> str:
        if target in ("", "/"):
            return "../" * len(here) or "./"
        parts = target.split("/")
        shared = 0
        while shared < min(len(here), len(parts) - 1) and here[shared] == parts[shared]:
            shared += 1
        return "../" * (len(here) - shared) + "/".join(parts[shared:])

    return url


def test_relative_links_are_those_of_the_first_way_of_working_them_out():
    import random

    from quzhou_archive.site.render import relative_links

    rng = random.Random(6)
    parts = ["a", "b", "ab", "articles", "2024", "11", "", "x.html", "a.b", "."]
    paths = ["index.html", "articles/2024/11/30/x.html", "a/b/x.html", "a/x.html", "ab/a/b", "a//x.html", "/x.html"]
    paths += ["/".join(rng.choice(parts) for _ in range(rng.randrange(1, 6))) for _ in range(300)]
    targets = paths + ["", "/", "a/", "a/b/", "articles/2024/", "a", "ab", "a/b"]
    for page in paths:
        mine, theirs = relative_links(page), links_as_they_were(page)
        for target in targets:
            assert mine(target) == theirs(target), (page, target)
