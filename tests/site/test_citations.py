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
