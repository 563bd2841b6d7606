"""An article's page written in Python is what Jinja2 renders from the
templates: for every article of the bundled archive and of a generated
one, and for pages made to be awkward."""
from __future__ import annotations

import copy
import random
import shutil

import pytest
from markupsafe import Markup

from quzhou_archive.pipeline import build
from quzhou_archive.site import article_html, layout, render
from quzhou_archive.site import model as site_model
from quzhou_archive.synthetic import generate
from tests.conftest import ROOT

BASE = "https://owner.github.io/REPO/"


def test_it_is_written_from_the_templates_as_they_are():
    """When this fails, the templates changed: change `article_html` with
    them (the tests below say where the two differ), then its `WRITTEN_FROM`."""
    assert article_html.templates_digest(layout.TEMPLATES) == article_html.WRITTEN_FROM
    assert render.Renderer("/").article_in_python


@pytest.fixture(scope="module")
def contexts(tmp_path_factory):
    """Every article page's context of the bundled archive and a generated
    one, as the renderer gives it to the page, with the page Python wrote."""
    root = tmp_path_factory.mktemp("article_html")
    articles = root / "articles"
    shutil.copytree(ROOT / "articles", articles)
    generate(150, articles / "generated", ROOT / "articles", seed=9)
    seen = []
    written = article_html.article_html

    def keep(context, *args):
        page = written(context, *args)
        seen.append((context, page))
        return page

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(article_html, "article_html", keep)
        assert build(articles, root / "site", root / "index", BASE, jobs=1) == 0
    return root / "site", seen


def test_every_article_page_of_an_archive_is_jinja2s(contexts):
    site, seen = contexts
    assert len(seen) == len(list((site / "articles").rglob("*.html"))) > 150
    jinja = jinja2_renderer()
    for context, page in seen:
        assert page == jinja.env.get_template("article.html").render(context)
        assert (site / context["cite"]["downloads"][".ris"].replace(".ris", ".html")).read_text(encoding="utf-8") == page


def jinja2_renderer() -> render.Renderer:
    renderer = render.Renderer(BASE)
    renderer.article_in_python = False
    return renderer


AWKWARD = ["<b>&\"'</b>", "", "  ", None, 0, 7, True, False, "衢州 <市>", Markup("<i>safe</i>"), [], ["a", "<b>"],
           ("x",), {"k": "v"}]


def awkward(rng: random.Random, value):
    """Something a context could hold in place of `value`."""
    if isinstance(value, list) and value and isinstance(value[0], dict) and rng.random() < 0.5:
        return [awkward_dict(rng, item) for item in value] * rng.randint(1, 2)
    if isinstance(value, dict) and rng.random() < 0.7:
        return awkward_dict(rng, value)
    return rng.choice(AWKWARD)


def awkward_dict(rng: random.Random, value: dict) -> dict:
    value = dict(value)
    for key in rng.sample(sorted(value), k=min(len(value), rng.randint(1, 3))):
        value[key] = awkward(rng, value[key])
    return value


SHAPES = {   # values the renderer's context may hold that a real page rarely shows
    "speeches": [[{"anchor": "speech-1", "heading": "<h>发言", "name": "张<三>", "role": "县长 & 书记"},
                  {"anchor": "speech-2", "heading": "二", "name": "李四", "role": ""}], []],
    "teaser": [{"page": 3, "url": "papers/x/2024-01-01.html#page-3"}, {"page": 5, "url": None}, None],
    "section": ["counties", "search", "figures", ""],
    "page_title": [site_model.SITE_NAME, "<题>"],
    "body_html": ["", "  \n ", "<p>正文</p>"],
    "published": [None, "2024-01-01"],
    "topics": [[("<主题>", None), ("工业 & 制造", "topics/industry.html")], []],
    "counties": [[("常山县", "counties/changshan.html"), ("<县>", "counties/x.html")], []],
    "trail": [[("<报>", "papers/x.html"), ("日期不详", "dates/undated.html")], []],
    "prev": [None, {"url": "articles/p.html", "page": None, "title": "<上> (一)"}],
    "next": [None, {"url": "articles/n.html", "page": 2, "title": "下一篇:题"}],
    "related": [[], [{"url": "articles/r.html", "title": "<相关>", "kicker": "<引>", "subtitle": "副(题)",
                      "date_label": "2024年1月1日", "paper": "报", "page": 2, "kind": "通讯", "counties": ["<县>"],
                      "terms": ["<词>", "二"]}]],
    "figures": [[], [{"anchor": "figure-1", "in_text": True, "indicator": "<GDP>", "measure": "总量", "value": "1 & 2",
                      "period": "2023年", "where": "", "target": True, "unclear": ["county"]},
                     {"anchor": "figure-2", "in_text": False, "indicator": "x", "measure": "y", "value": "3",
                      "period": "", "where": "<常山>", "target": False, "unclear": []}]],
    "issue_url": [None, "papers/x/2024-01-01.html"],
}
A_SHAPES = {
    "photos": [[{"caption": "图 <说明>", "credit": "某 摄"}, {"caption": "", "credit": "x"}]],
    "photographers": [["甲", "乙"], []],
    "byline": [["记者 甲"], []],
    "notes": [["（本报讯）", "<注>"]],
    "kind_code": ["photo", "speech", "teaser"],
    "source_url": [None, "raw/x.html#L1"],
    "source_lines": [None, [3, 9]],
    "authors": [[], ["甲", "乙"]],
    "kicker": ["<引题>", None],
    "subtitle": ["副题", None],
    "paper": [None, "衢州日报"],
    "page": [None, 0, 4],
}


@pytest.mark.parametrize("seed", range(6))
def test_pages_made_to_be_awkward_are_jinja2s_or_left_to_it(contexts, seed):
    """A context changed here and there: Python writes Jinja2's page, or
    says it is not sure and leaves the page to Jinja2 (which then renders
    it, or fails as it always did)."""
    _, seen = contexts
    rng = random.Random(seed)
    jinja, python = jinja2_renderer(), render.Renderer(BASE)
    written = 0
    for context, _ in rng.sample(seen, k=min(60, len(seen))):
        for _ in range(6):
            changed = copy.copy(context)
            changed["a"] = dict(context["a"])
            for key in rng.sample(sorted(SHAPES), k=4):
                changed[key] = rng.choice(SHAPES[key])
            for key in rng.sample(sorted(A_SHAPES), k=3):
                changed["a"][key] = rng.choice(A_SHAPES[key])
            key = rng.choice(sorted(k for k in changed if k not in ("url", "site")))
            changed[key] = awkward(rng, changed[key])
            if rng.random() < 0.5 and isinstance(changed["a"], dict) and changed["a"]:
                key = rng.choice(sorted(changed["a"]))
                changed["a"][key] = awkward(rng, changed["a"][key])
            try:
                want = jinja.env.get_template("article.html").render(changed)
            except Exception as error:      # noqa: BLE001
                want = type(error)
            try:
                got = article_html.article_html(changed, render.escaped_text, render.typeset_text, render.card_meta)
            except Exception:   # noqa: BLE001 — not sure: the renderer leaves it to Jinja2
                continue
            written += 1
            assert got == want, (key, changed.get(key), changed["a"].get(key))
    assert written > 100


def test_a_page_python_is_not_sure_of_is_rendered_by_jinja2(contexts):
    _, seen = contexts
    context, page = seen[0]
    changed = dict(context, body_html=Markup(context["body_html"]))     # not a plain str: left to Jinja2
    with pytest.raises(article_html.NotSure):
        article_html.article_html(changed, render.escaped_text, render.typeset_text, render.card_meta)
    renderer = render.Renderer(BASE)
    assert renderer.env.get_template("article.html").render(changed) == page


def test_other_templates_leave_the_pages_to_jinja2(tmp_path, monkeypatch):
    shutil.copytree(layout.TEMPLATES, tmp_path / "templates")
    with open(tmp_path / "templates" / "article.html", "a", encoding="utf-8") as template:
        template.write("{# changed #}\n")
    monkeypatch.setattr(layout, "TEMPLATES", tmp_path / "templates")
    assert not render.Renderer("/").article_in_python
