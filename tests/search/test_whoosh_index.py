"""The Whoosh index and the command-line search, on a small archive written for the cases."""
import json

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from quzhou_archive.search.cli import snippet
from quzhou_archive.search.whoosh_index import Searcher, make_schema
from tests.conftest import run_cli

ARTICLES = {
    "2024/01/02/a-01": ("规上工业增加值增长", "常山县规上工业增加值同比增长8%。", ["常山县"], "2024-01-02", ["工业制造"]),
    "2024/01/03/a-02": ("工业经济稳中有进", "全县规上工业产值增长,增加值稳步提升。", ["开化县"], "2024-01-03", ["工业制造"]),
    "2023/05/06/a-03": ("胡柚丰收", "常山胡柚今年丰收,果农增收。規上工業的说法也在乡镇流行。", ["常山县"], "2023-05-06", ["农业农村"]),
    "2022/07/08/a-04": ("辉埠镇招商", "常山县辉埠镇签约项目3个,总投资12亿元。", ["常山县"], "2022-07-08", ["招商引资"]),
    "2024/03/04/a-05": ("开化龙顶茶", "开化龙顶茶叶开采,茶农忙。", ["开化县"], "2024-03-04", ["农业农村"]),
}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("idx")
    for aid, (title, body, counties, date, topics) in ARTICLES.items():
        meta = {"title": title, "date": date, "paper": "衢州日报", "page": 1, "counties": counties, "topics": topics,
                "authors": ["徐颖之"], "photographers": [], "kind": "news", "source": {"file": "t.txt", "lines": [1, 2]}}
        path = root / "articles" / f"{aid}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(store.article_file_text(meta, body + "\n"), encoding="utf-8")
    assert build(root / "articles", root / "site", root / "index", "/") == 0
    return root / "index"


def ids(index_dir, query, limit=10):
    with Searcher(index_dir) as s:
        return [h.id for h in s.search(query, limit=limit)[1]]


def test_schema_has_the_fields_readers_filter_and_see():
    names = set(make_schema().names())
    assert {"id", "title", "subtitle", "kicker", "body", "date", "counties", "topics", "paper", "kind", "authors"} <= names


def test_contiguous_string_first_then_all_its_words(index_dir):
    got = ids(index_dir, "规上工业增加值")
    assert got[0] == "2024/01/02/a-01"          # holds the string itself
    assert "2024/01/03/a-02" in got[1:]          # holds 规上, 工业, 增加值 apart
    with Searcher(index_dir) as s:
        tiers = [h.tier for h in s.search("规上工业增加值")[1]]
    assert tiers == sorted(tiers) and tiers[0] == 1 and 2 in tiers


def test_traditional_and_fullwidth_queries(index_dir):
    assert ids(index_dir, "規上工業增加值")[0] == "2024/01/02/a-01"
    assert "2023/05/06/a-03" in ids(index_dir, "规上工业")  # the page wrote 規上工業
    assert ids(index_dir, "１２億元") == ["2022/07/08/a-04"]


def test_and_phrases_exclusion_and_filters(index_dir):
    assert ids(index_dir, "常山 胡柚") == ["2023/05/06/a-03"]
    assert ids(index_dir, '"常山 胡柚"') == ["2023/05/06/a-03"]
    assert "2023/05/06/a-03" not in ids(index_dir, "常山 -胡柚")
    assert set(ids(index_dir, "茶 county:开化县")) == {"2024/03/04/a-05"}
    assert ids(index_dir, "工业 year:2023") == ["2023/05/06/a-03"]
    assert set(ids(index_dir, "增长 date:2024-01..2024-02")) == {"2024/01/02/a-01", "2024/01/03/a-02"}
    assert ids(index_dir, "招商 topic:investment") == ["2022/07/08/a-04"]
    assert ids(index_dir, "工业 county:杭州") == []


def test_filters_alone_list_every_article_they_select_newest_first(index_dir):
    assert ids(index_dir, "county:常山县") == ["2024/01/02/a-01", "2023/05/06/a-03", "2022/07/08/a-04"]
    assert ids(index_dir, "county:常山县 -胡柚") == ["2024/01/02/a-01", "2022/07/08/a-04"]
    assert ids(index_dir, "date:2024-01..2024-02 county:常山县") == ["2024/01/02/a-01"]
    assert ids(index_dir, "county:杭州") == []
    with Searcher(index_dir) as searcher:
        assert [h.id for h in searcher.search("county:常山县", sort="oldest")[1]] == [
            "2022/07/08/a-04", "2023/05/06/a-03", "2024/01/02/a-01"]
    result = run_cli("search", "county:常山县", "--index", str(index_dir))
    assert result.returncode == 0 and "3 article(s) match" in result.stdout


def test_sort_by_date(index_dir):
    with Searcher(index_dir) as searcher:
        by_relevance = [h.id for h in searcher.search("常山")[1]]
        newest = [h.id for h in searcher.search("常山", sort="newest")[1]]
        oldest = [h.id for h in searcher.search("常山", sort="oldest")[1]]
    assert sorted(newest) == sorted(by_relevance) and newest == sorted(newest, reverse=True) == oldest[::-1]


def test_snippet_shows_the_passage_with_the_most_terms():
    text = "常山" + "。" * 100 + "常山的胡柚" + "。" * 100
    shown, marks = snippet(text, ["常山", "胡柚"], width=60)
    assert [shown[a:b] for a, b in marks] == ["常山", "胡柚"]
    shown, marks = snippet("甲乙", [], width=60)
    assert (shown, marks) == ("甲乙", [])


def test_headline_weighs_more_than_body(index_dir):
    got = ids(index_dir, "工业")
    assert got.index("2024/01/03/a-02") < got.index("2023/05/06/a-03")


def test_single_character_queries(index_dir):
    assert set(ids(index_dir, "茶")) == {"2024/03/04/a-05"}


def test_command_line_json(index_dir):
    result = run_cli("search", "常山縣", "--json", "--limit", "2", "--index", str(index_dir))
    assert result.returncode == 0
    hits = json.loads(result.stdout)
    assert len(hits) == 2
    assert set(hits[0]) == {"id", "title", "url", "date", "counties", "score"}
    assert hits[0]["score"] >= hits[1]["score"]
    assert all("常山县" in h["counties"] for h in hits)
    assert hits[0]["url"].startswith("/articles/") and hits[0]["url"].endswith(".html")


def test_command_line_text_with_highlighted_snippets(index_dir):
    result = run_cli("search", "胡柚", "--index", str(index_dir))
    assert result.returncode == 0
    assert "【胡柚】" in result.stdout and "1 article(s) match" in result.stdout


def test_command_line_errors(tmp_path, index_dir):
    result = run_cli("search", "工业", "--index", str(tmp_path / "none"))
    assert result.returncode == 1 and "no search index here" in result.stderr
    result = run_cli("search", "，。", "--index", str(index_dir))
    assert result.returncode == 1 and "nothing to search for" in result.stderr
