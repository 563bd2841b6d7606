"""The ranking's definition (mirrored by static/search.js)."""
import pytest

from quzhou_archive.search import rank


def test_query_syntax():
    q = rank.parse_query('规上工业 -常山 "高质量 发展" county:常山 年份:2024 ，。')
    assert q.clauses == ["规上工业", "高质量发展"]
    assert q.exclude == ["常山"]
    assert q.filters == {"county": "常山", "year": "2024"}


@pytest.mark.parametrize("text", ["", "   ", "，。！", "“”", "- -"])
def test_empty_and_punctuation_only_queries(text):
    assert rank.parse_query(text).empty


def test_long_query_is_cut():
    q = rank.parse_query("工业" * 6000)
    assert q.truncated and len(q.clauses[0]) == rank.MAX_QUERY_CHARS


def test_headline_outweighs_body():
    avg = {"headline": 20.0, "body": 900.0}
    lengths = {"headline": 20, "body": 900}
    in_headline = rank.clause_score({"headline": 1}, lengths, avg, 5, 100)
    in_body = rank.clause_score({"body": 1}, lengths, avg, 5, 100)
    assert in_headline > in_body


def test_rarer_clauses_weigh_more():
    assert rank.idf(1, 1000) > rank.idf(500, 1000)


def test_split_prefers_cheaper_words_and_longer_on_ties():
    candidates = {0: [("规上", 500)], 2: [("工业", 300), ("工业增加", 900)]}
    assert rank.split_words("规上工业增加", candidates, 3000) == ["规上", "工业增加"]
    assert rank.split_words("规上", {}, 3000) == ["规", "上"]
    assert rank.tier2_words(["规", "上"]) == []
    assert rank.tier2_words(["规上", "工业"]) == ["规上", "工业"]


def test_date_ranges_and_filters():
    assert rank.date_range("2024") == (20240000, 20249999)
    assert rank.date_range("2024-01..2024-06") == (20240100, 20240699)
    options = {"counties": ["衢州市", "常山县"], "topics": [["工业制造", "industry"]], "papers": ["衢州日报"], "kinds": ["news"]}
    assert rank.resolve_filters({"county": "常山", "topic": "industry"}, options) == {"county": "常山县", "topic": "工业制造"}
    assert rank.resolve_filters({"county": "杭州"}, options) is None
    assert rank.resolve_filters({"year": "24"}, options) is None


def test_sort_order():
    keys = [rank.sort_key(2, 9.0, 20240101, 0), rank.sort_key(1, 1.0, 0, 5), rank.sort_key(1, 1.0, 20240101, 7)]
    assert sorted(keys) == [keys[2], keys[1], keys[0]]
