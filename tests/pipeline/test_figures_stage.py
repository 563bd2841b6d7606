"""The figures analyser and the figures stage: figures extracted once per
article file and cached under their own version (a new extractor never
segments again), the 数据 pages and downloads rebuilt only when what they
show changed, and an incremental build's figures the same as a build from
nothing's."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from quzhou_archive.analyse import figures
from quzhou_archive.analyse.figures import Figure
from quzhou_archive.pipeline import build, context
from tests.conftest import ROOT
from tests.pipeline.test_build import snapshot

AMOUNT = re.compile(r"(\d+(?:\.\d+)?)亿元")


class Extractor:
    """Every `N亿元` of the text, as an amount: enough to see what the build does with figures."""

    def __init__(self):
        self.calls = 0

    def __call__(self, paragraphs, ctx):
        self.calls += 1
        found = []
        for n, p in enumerate(paragraphs):
            for m in AMOUNT.finditer(p):
                found.append(Figure(m.group(), p, n, m.start(), None, (ctx.counties or (None,))[0], "金额", None,
                                    "amount", float(m.group(1)), "亿元", None, ctx.date[:4] if ctx.date else None,
                                    False))
        return found


@pytest.fixture
def extractor(monkeypatch):
    fake = Extractor()
    monkeypatch.setattr(figures, "extract", fake)
    return fake


@pytest.fixture
def built(tmp_path, extractor, capsys):
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "articles", articles)
    assert build(articles, tmp_path / "site", tmp_path / "index", jobs=1) == 0
    capsys.readouterr()
    return articles, tmp_path / "site", tmp_path / "index"


def figures_json(site):
    return json.loads((site / "data" / "figures.json").read_text(encoding="utf-8"))


def test_every_figure_is_downloadable_and_on_the_data_pages(built, extractor):
    _, site, _ = built
    rows = figures_json(site)
    assert rows and extractor.calls == len(list(ROOT.joinpath("articles").rglob("*.md")))
    csv_text = (site / "data" / "figures.csv").read_bytes().decode("utf-8")
    assert csv_text.startswith("\ufeffarticle,quote,") and csv_text.count("\r\n") == len(rows) + 1
    header = csv_text[1:].split("\r\n", 1)[0].split(",")
    assert "sentence" not in header and "period" in header and "sentence" in rows[0]     # the long texts: JSON only
    series_pages = [p.read_text("utf-8") for p in (site / "figures" / "counties").glob("*/*.html")]
    for r in rows:
        assert any(r["url"].split("/articles/")[1] in text for text in series_pages), r["url"]
        article = (site / r["url"].lstrip("/").split("#")[0]).read_text(encoding="utf-8")
        assert f'id="{r["url"].split("#")[1]}"' in article


def test_a_new_extractor_extracts_again_and_segments_nothing(built, extractor, monkeypatch, capsys, tmp_path):
    articles, site, index = built
    monkeypatch.setattr(context, "installed_libraries", lambda: "new code")
    extra = tmp_path / "more-indicators.yaml"
    extra.write_text("a new rule\n", encoding="utf-8")
    version_files = figures.version_files
    monkeypatch.setattr(figures, "version_files", lambda: version_files() + [str(extra)])
    calls = extractor.calls
    assert build(articles, site, index, jobs=1) == 0
    said = capsys.readouterr().out
    assert "0 segmented" in said
    assert extractor.calls == calls * 2


def test_nothing_changed_writes_nothing_and_extracts_nothing(built, extractor, capsys):
    articles, site, index = built
    calls, before = extractor.calls, snapshot(site)
    assert build(articles, site, index, jobs=1) == 0
    assert "nothing changed" in capsys.readouterr().out and extractor.calls == calls and snapshot(site) == before


def test_a_corrected_figure_flows_through_and_equals_a_build_from_nothing(built, extractor, capsys, tmp_path):
    articles, site, index = built
    path = next(p for p in sorted(articles.rglob("*.md")) if AMOUNT.search(p.read_text(encoding="utf-8").split("---", 2)[2]))
    text = path.read_text(encoding="utf-8")
    head, body = text.rsplit("---", 1)
    old = AMOUNT.search(body).group()
    path.write_text(head + "---" + body.replace(old, "987.6亿元", 1), encoding="utf-8")
    calls = extractor.calls
    assert build(articles, site, index, jobs=1) == 0
    assert extractor.calls == calls + 1                         # that article only
    assert 987.6 in [r["value"] for r in figures_json(site)]
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", jobs=1) == 0
    new, scratch = snapshot(site), snapshot(fresh / "site")
    assert {p: d for p, d in new.items() if p.startswith(("figures/", "data/"))} == \
           {p: d for p, d in scratch.items() if p.startswith(("figures/", "data/"))}


def test_a_removed_article_takes_its_figures_with_it(built, extractor, capsys):
    articles, site, index = built
    gone = next(r["article"] for r in figures_json(site))
    (articles / f"{gone}.md").unlink()
    assert build(articles, site, index, jobs=1) == 0
    assert gone not in {r["article"] for r in figures_json(site)}
    assert all(gone not in p.read_text(encoding="utf-8") for p in (site / "figures").rglob("*.html"))


def test_an_edit_that_leaves_the_figures_as_they_were_touches_none_of_the_data_files(built, extractor, capsys,
                                                                                     monkeypatch):
    from quzhou_archive.pipeline import figures as stage

    articles, site, index = built
    from quzhou_archive.pipeline.state import AnalysisCache

    reads, read = [], stage.read_rows
    monkeypatch.setattr(stage, "read_rows", lambda *args: reads.append(args) or read(*args))
    values_of, asked = AnalysisCache.values_of, []
    monkeypatch.setattr(AnalysisCache, "values_of",
                        lambda cache, name, digests: asked.append(name) or values_of(cache, name, digests))
    path = next(p for p in sorted(articles.rglob("*.md")) if AMOUNT.search(p.read_text(encoding="utf-8")))
    head, body = path.read_text(encoding="utf-8").rsplit("---\n", 1)
    # a new first paragraph: the article's summary changes, its figures and headline do not
    path.write_text(head + "---\n\n据介绍，活动现场气氛热烈。\n" + body, encoding="utf-8")
    data = {p: p.stat().st_ino for p in [*(site / "figures").rglob("*.html"), *(site / "data").glob("figures.*")]}
    assert build(articles, site, index, jobs=1) == 0
    assert "1 changed" in capsys.readouterr().out
    assert {p: p.stat().st_ino for p in data} == data        # the same files, not even written again
    assert reads == []                                       # not a figure decoded: the group stands as it was
    assert "figure_rows" not in asked                        # decided from the records' summaries, not the cache


def corrected(articles, value="987.6亿元"):
    """An article whose first amount is now `value`; its ID."""
    path = next(p for p in sorted(articles.rglob("*.md")) if AMOUNT.search(p.read_text(encoding="utf-8").split("---", 2)[2]))
    head, body = path.read_text(encoding="utf-8").rsplit("---", 1)
    path.write_text(head + "---" + body.replace(AMOUNT.search(body).group(), value, 1), encoding="utf-8")
    return path.relative_to(articles).with_suffix("").as_posix()


def figure_files(site):
    return {p: d for p, d in snapshot(site).items() if p.startswith(("figures/", "data/"))}


def test_a_corrected_figure_reads_the_rows_of_its_article_and_of_the_pages_it_changes_only(monkeypatch, tmp_path,
                                                                                          capsys):
    """(The figures as the archive's own extractor finds them, in a generated
    archive: indicators and counties enough that a figure is on a few pages.)"""
    from quzhou_archive.pipeline import figures as stage
    from quzhou_archive.synthetic import generate

    articles, site, index = tmp_path / "articles", tmp_path / "site", tmp_path / "index"
    generate(150, articles, ROOT / "articles", seed=11)
    assert build(articles, site, index, jobs=1) == 0
    with_figures = {r["article"] for r in figures_json(site)}
    read_rows, read_for_pages = stage.read_rows, stage.FiguresKit.read
    decoded, shown = [], set()
    monkeypatch.setattr(stage, "read_rows", lambda ctx, ids: decoded.extend(ids) or read_rows(ctx, ids))
    monkeypatch.setattr(stage.FiguresKit, "read", lambda kit, ids: shown.update(ids) or read_for_pages(kit, ids))
    aid = corrected(articles)
    assert build(articles, site, index, jobs=1) == 0
    assert "1 changed" in capsys.readouterr().out
    assert decoded == [aid]                                 # the placings of every other article are kept
    assert aid in shown and len(shown) < len(with_figures) / 2  # the pages made: those that show the changed figure
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", jobs=1) == 0
    assert figure_files(site) == figure_files(fresh / "site")


@pytest.mark.parametrize("kept", [b"not marshal", b"", None])
def test_placings_lost_or_damaged_are_worked_out_again(built, extractor, tmp_path, kept):
    from quzhou_archive.pipeline import figures as stage
    from quzhou_archive.pipeline.state import state_dir

    articles, site, index = built
    placings = state_dir(index) / stage.Placings.FILE
    assert placings.exists()
    if kept is None:
        placings.unlink()
    else:
        placings.write_bytes(kept)
    corrected(articles)
    assert build(articles, site, index, jobs=1) == 0
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", jobs=1) == 0
    assert figure_files(site) == figure_files(fresh / "site")


def test_a_moved_article_is_linked_where_it_now_is(built, extractor, tmp_path):
    """Its figures show the same: only their links tell the move."""
    articles, site, index = built
    moved = next(r["article"] for r in figures_json(site))
    target = articles / "moved" / "here.md"
    target.parent.mkdir()
    (articles / f"{moved}.md").rename(target)
    assert build(articles, site, index, jobs=1) == 0
    pages = "".join(p.read_text(encoding="utf-8") for p in (site / "figures").rglob("*.html"))
    assert "moved/here.html" in pages and f"{moved}.html" not in pages
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", jobs=1) == 0
    assert figure_files(site) == figure_files(fresh / "site")


def test_a_template_edit_makes_the_pages_again_from_the_placings_kept(built, extractor, monkeypatch, tmp_path):
    """The placings are worked out by the code and the results, not the
    templates: a template edit reads every row only to make the pages."""
    from quzhou_archive.pipeline import figures as stage
    from quzhou_archive.site import layout

    articles, site, index = built
    templates = tmp_path / "templates"
    shutil.copytree(layout.TEMPLATES, templates)
    monkeypatch.setattr(layout, "TEMPLATES", templates)
    series = templates / "figures_series.html"
    series.write_text(series.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<!-- edited -->"),
                      encoding="utf-8")
    read_rows, decoded = stage.read_rows, []
    monkeypatch.setattr(stage, "read_rows", lambda ctx, ids: decoded.extend(ids) or read_rows(ctx, ids))
    assert build(articles, site, index, jobs=1) == 0
    assert decoded == []
    pages = list((site / "figures" / "counties").glob("*/*.html"))
    assert pages and all("<!-- edited -->" in p.read_text(encoding="utf-8") for p in pages)
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", jobs=1) == 0
    assert figure_files(site) == figure_files(fresh / "site")
