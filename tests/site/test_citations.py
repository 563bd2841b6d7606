"""The citation of an article in every form, read back by the parsers
reference managers and citation processors use."""
from __future__ import annotations

import json

import pytest

from quzhou_archive.site import citations
from quzhou_archive.site.citations import Reference

URL = "https://example.org/arc/articles/2024/11/30/quzhou-ribao-p01-01.html"
KNOWN = Reference("2024/11/30/quzhou-ribao-p01-01", "龙游100%绿电{试点}", "副题_一", ("张三", "李四"), "衢州日报",
                  "2024-11-30", 3, URL, "衢州区域经济新闻档案")
UNKNOWN = Reference("2021/09/page-e07b8c-01", "抓住发展", None, (), None, "2021-09", None, URL, "衢州区域经济新闻档案")


def test_ris_is_a_newspaper_article_rispy_reads():
    rispy = pytest.importorskip("rispy")
    [entry] = rispy.loads(citations.as_ris(KNOWN))
    assert entry["type_of_reference"] == "NEWS"
    assert entry["title"] == "龙游100%绿电{试点}:副题_一"
    assert entry["authors"] == ["张三", "李四"]
    assert entry["secondary_title"] == "衢州日报"
    assert entry["start_page"] == "3"
    assert entry["date"] == "2024/11/30/"
    assert entry["place_published"] == "衢州"
    assert entry["urls"] == [URL]


def test_ris_of_an_unknown_paper_names_none_and_says_so():
    rispy = pytest.importorskip("rispy")
    [entry] = rispy.loads(citations.as_ris(UNKNOWN))
    assert "secondary_title" not in entry and "place_published" not in entry
    assert entry["date"] == "2021/09//"
    assert any("报纸不详" in n for n in entry["notes"])


def test_bibtex_bibtexparser_reads_with_its_special_characters_escaped():
    bibtexparser = pytest.importorskip("bibtexparser")
    [entry] = bibtexparser.loads(citations.as_bibtex(KNOWN)).entries
    assert entry["ENTRYTYPE"] == "article" and entry["entrysubtype"] == "newspaper"
    assert entry["ID"] == "2024-11-30-quzhou-ribao-p01-01"
    assert entry["journal"] == "衢州日报" and entry["pages"] == "3" and entry["date"] == "2024-11-30"
    assert entry["author"] == "{张三} and {李四}"     # each name one, never split into given and family
    assert entry["title"] == r"龙游100\%绿电\{试点\}:副题\_一"     # TeX's specials escaped, as TeX reads them
    assert entry["url"] == URL


def test_bibtex_of_an_unknown_paper_is_misc_with_a_note():
    bibtexparser = pytest.importorskip("bibtexparser")
    [entry] = bibtexparser.loads(citations.as_bibtex(UNKNOWN)).entries
    assert entry["ENTRYTYPE"] == "misc" and "journal" not in entry
    assert "报纸不详" in entry["note"] and entry["year"] == "2021" and entry["month"] == "9"


@pytest.mark.parametrize("ref", [KNOWN, UNKNOWN])
def test_csl_json_citeproc_reads_and_formats(ref):
    citeproc = pytest.importorskip("citeproc")
    from citeproc.source.json import CiteProcJSON

    items = json.loads(citations.as_csl_json(ref))
    source = CiteProcJSON(items)
    style = citeproc.CitationStylesStyle("harvard-cite-them-right", validate=True)
    bibliography = citeproc.CitationStylesBibliography(style, source, citeproc.formatter.plain)
    bibliography.register(citeproc.Citation([citeproc.CitationItem(ref.id)]))
    [entry] = [str(e) for e in bibliography.bibliography()]
    assert ref.title in entry
    assert (ref.paper or "报纸不详") in entry or ref.paper is None
    assert items[0]["type"] == "article-newspaper"
    assert ("container-title" in items[0]) == bool(ref.paper)


def test_meta_tags_one_author_each_and_no_journal_when_unknown():
    tags = citations.meta_tags(KNOWN)
    assert [v for k, v in tags if k == "citation_author"] == ["张三", "李四"]
    assert ("citation_journal_title", "衢州日报") in tags and ("citation_firstpage", "3") in tags
    assert ("citation_publication_date", "2024/11/30") in tags and ("citation_public_url", URL) in tags
    assert not [k for k, _ in citations.meta_tags(UNKNOWN) if k in ("citation_journal_title", "citation_firstpage")]


def test_json_ld_is_a_news_article_safe_in_a_script():
    ref = Reference("x", "</script><b>", None, ("张三",), "衢州日报", "2024-11-30", 1, URL, "档案")
    text = citations.json_ld(ref)
    assert "</" not in text
    data = json.loads(text)
    assert data["@type"] == "NewsArticle" and data["headline"] == "</script><b>"
    assert data["publisher"]["name"] == data["isPartOf"]["name"] == "衢州日报"
    assert data["author"] == [{"@type": "Person", "name": "张三"}]
    assert "publisher" not in json.loads(citations.json_ld(UNKNOWN))


def test_online_line_is_the_gbt_line_as_an_online_source():
    assert citations.online_citation(KNOWN) == "张三, 李四. 龙游100%绿电{试点}:副题_一[N/OL]. 衢州日报, 2024-11-30(03)"
    assert citations.online_citation(UNKNOWN) == "抓住发展[N/OL]. 报纸不详, 2021-09"


def test_downloads_beside_the_page():
    assert citations.download_paths("articles/a/b.html") == {
        ".ris": "articles/a/b.ris", ".bib": "articles/a/b.bib", ".csl.json": "articles/a/b.csl.json"}


# -- indented JSON: the json module's text, made faster ----------------------------------------------

def archive_references(root) -> list[Reference]:
    from quzhou_archive import articles as store

    refs = []
    for path in store.article_paths(root):
        meta = store.read_article(root, path).meta
        refs.append(Reference(store.id_for_path(root, path), meta["title"], meta.get("subtitle"),
                              tuple(meta.get("authors") or ()), meta.get("paper"), meta.get("date"), meta.get("page"),
                              URL, "衢州区域经济新闻档案"))
    return refs


def test_indented_json_is_the_json_modules_for_every_reference_of_an_archive(tmp_path):
    from quzhou_archive.synthetic import generate
    from tests.conftest import ROOT

    generate(200, tmp_path / "generated", ROOT / "articles", seed=4)
    refs = archive_references(ROOT / "articles") + archive_references(tmp_path / "generated") + [KNOWN, UNKNOWN]
    assert len(refs) > 200
    for ref in refs:
        for value in (citations.news_article(ref), [citations.as_csl(ref)]):
            for indent in (1, 2):
                assert citations.indented_json(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


TRICKY = ["", "\"", "\\", "\n\r\t\b\f", "\x00\x01\x1f\x7f", "\u2028\u2029", "\ud800", "😀", "</script>", "&<>'",
          "衢州", " ", "null", "0"]


def tricky_value(rng, depth: int = 0):
    kind = rng.randrange(9 if depth < 4 else 5)
    if kind == 0:
        return "".join(rng.choice(TRICKY) for _ in range(rng.randrange(4)))
    if kind == 1:
        return rng.choice([0, -1, 7, 10**20, -10**20])
    if kind == 2:
        return rng.choice([None, True, False])
    if kind == 3:
        return rng.choice([1.5, float("inf"), float("nan"), -0.0])     # not plain: json.dumps writes them
    if kind == 4:
        return rng.choice(TRICKY)
    if kind in (5, 6):
        return [tricky_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 7:
        return tuple(tricky_value(rng, depth + 1) for _ in range(rng.randrange(3)))
    keys = [rng.choice(TRICKY + [1, None, True, 2.5]) if rng.random() < 0.1 else rng.choice(TRICKY)
            for _ in range(rng.randrange(4))]
    return {key: tricky_value(rng, depth + 1) for key in keys}


def test_indented_json_is_the_json_modules_for_any_value():
    import random

    rng = random.Random(8)
    for _ in range(3000):
        value = tricky_value(rng)
        for indent in (0, 1, 2, 4):
            assert citations.indented_json(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)
