"""One table of ranking cases, answered by rank.py and checked against both
engines: pytest runs the Python functions on it, node runs the same rows
through static/search.js (tests/search/ranking_cases.mjs), so the browser's
mirror of the ranking is checked without a browser.

The inputs are below; the expected values are rank.py's own answers. When
the ranking changes on purpose, rewrite the table:

    python -m tests.search.test_rank_cases
"""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from quzhou_archive.search import browser_index, rank
from quzhou_archive.search.cli import window_start

HERE = Path(__file__).parent
TABLE = HERE / "ranking_cases.json"
NODE_SCRIPT = HERE / "ranking_cases.mjs"
SEARCH_JS = HERE.parents[1] / "static" / "search.js"

AVERAGES = {"headline": 18.5, "body": 812.25}

CLAUSE_SCORES = [
    # (tf, lengths, averages, df, n)
    ({"headline": 1}, {"headline": 20, "body": 900}, AVERAGES, 5, 100),
    ({"body": 1}, {"headline": 20, "body": 900}, AVERAGES, 5, 100),
    ({"headline": 2, "body": 7}, {"headline": 11, "body": 3100}, AVERAGES, 37, 5000),
    ({"body": 40}, {"headline": 9, "body": 120}, AVERAGES, 1, 1),
    ({"headline": 1, "body": 1}, {"headline": 30, "body": 1}, AVERAGES, 999, 1000),
    ({"body": 3}, {"headline": 0, "body": 450}, {"headline": 0.0, "body": 0.0}, 2, 3),   # empty archive averages
    ({"headline": 0, "body": 5}, {"headline": 14, "body": 777}, AVERAGES, 12000, 12000),
    ({"headline": 3}, {"headline": 3, "body": 0}, {"headline": 1.0, "body": 1.0}, 1, 250000),
]

QUANTIZE = [0.0, 1.0, 0.1234565, 0.1234575, 2.0000004999, 2.0000005, 7.9999995, 13.37, 1e-7, 4.9e-7, 5e-7, 123456.789]

# Each list sorted as rank.sort_key orders it; every entry {tier, score, date, id}.
SORTS = [
    [  # tier first, then score, then the newer article
        {"tier": 2, "score": 9.0, "date": 20240101, "id": "a"},
        {"tier": 1, "score": 1.0, "date": 0, "id": "b"},
        {"tier": 1, "score": 1.0, "date": 20240101, "id": "c"},
        {"tier": 1, "score": 1.5, "date": 20230101, "id": "d"},
    ],
    [  # scores equal once quantized: the date decides, then the ID
        {"tier": 1, "score": 2.00000001, "date": 20240301, "id": "x"},
        {"tier": 1, "score": 2.00000002, "date": 20240302, "id": "y"},
        {"tier": 1, "score": 2.0, "date": 20240302, "id": "w"},
    ],
    [  # equal tier, score and date: by article ID, not by document number
        {"tier": 1, "score": 3.25, "date": 20241130, "id": "2024-11-30-qzrb-10"},
        {"tier": 1, "score": 3.25, "date": 20241130, "id": "2024-11-30-qzrb-9"},
        {"tier": 1, "score": 3.25, "date": 20241130, "id": "2024-11-30-qzrb-1"},
        {"tier": 1, "score": 3.25, "date": 20241130, "id": "2024-11-30-qzrb"},
        {"tier": 1, "score": 3.25, "date": 20241130, "id": "2024-11-30-QZRB-2"},
    ],
    [  # IDs by code point: U+E000 before U+1F600 (UTF-16 units would say otherwise)
        {"tier": 1, "score": 1.0, "date": 20240000, "id": "id-\U0001F600"},
        {"tier": 1, "score": 1.0, "date": 20240000, "id": "id-\uE000"},
        {"tier": 1, "score": 1.0, "date": 20240000, "id": "id-\uFFFD"},
        {"tier": 1, "score": 1.0, "date": 20240000, "id": "id-衢州"},
        {"tier": 1, "score": 1.0, "date": 20240000, "id": "id-\U00020000"},
    ],
    [  # words-only ties as well; undated articles last
        {"tier": 2, "score": 0.5, "date": 0, "id": "b"},
        {"tier": 2, "score": 0.5, "date": 0, "id": "a"},
        {"tier": 2, "score": 0.5, "date": 20200200, "id": "c"},
        {"tier": 2, "score": 0.4999996, "date": 20250000, "id": "d"},
    ],
]

# Orders by date (filters alone; "newest"/"oldest"): each list as given, sorted both ways.
DATE_ORDERS = [
    [{"date": 20241130, "id": "b"}, {"date": 20241130, "id": "a"}, {"date": 0, "id": "0"},
     {"date": 20240200, "id": "c"}, {"date": 20250101, "id": "d"}, {"date": 0, "id": "-"}],
    [{"date": 20240000, "id": "id-\U0001F600"}, {"date": 20240000, "id": "id-\uE000"},
     {"date": 20231231, "id": "z"}],
]

# Snippet windows: (hits as (start, end, term), text length, width); hits sorted by start.
WINDOWS = [
    ([], 50, 90),
    ([(10, 12, 0)], 500, 90),
    ([(0, 2, 0), (200, 202, 0), (230, 232, 1)], 500, 90),       # both terms together, not the first hit
    ([(5, 7, 0), (150, 152, 1), (400, 402, 1)], 420, 90),       # no window holds both: the earliest
    ([(100, 104, 0), (100, 102, 1), (102, 104, 2)], 110, 90),   # a clause and its words, near the end
    ([(0, 2, 0), (80, 95, 1), (85, 87, 2)], 300, 90),           # a hit cut by the window does not count
    ([(300, 302, 0), (370, 372, 1), (385, 387, 2)], 1000, 90),  # no room for the lead-in
]

SPLITS = [
    # (clause, {start: [(word, cost)]}, char_cost or None for rank.CHAR_COST)
    ("规上工业增加", {0: [("规上", 500)], 2: [("工业", 300), ("工业增加", 900)]}, 3000),
    ("规上", {}, 3000),
    ("规上", {}, None),
    ("高质量发展", {0: [("高质量", 7000), ("高质", 9000)], 1: [("质量", 6000)], 3: [("发展", 5000)]}, None),
    ("abcd", {0: [("ab", 10), ("abc", 15)], 2: [("cd", 5)], 3: []}, 10),       # equal cost: the longer word
    ("𠀀𠀁衢州", {0: [("𠀀𠀁", 100)], 2: [("衢州", 100)]}, 5000),                 # characters beyond the BMP
    ("共同富裕示范区", {0: [("共同", rank.word_cost(5000)), ("共同富裕", rank.word_cost(900))],
                        2: [("富裕", rank.word_cost(3000))], 4: [("示范", rank.word_cost(2500)),
                                                               ("示范区", rank.word_cost(800))]}, None),
]

TIER2 = [["规", "上"], ["规上", "工业"], ["规上"], [], ["规", "上工", "业"], ["a", "b", "c"]]

DATE_RANGES = ["2024", "2024-03", "2024-03-15", "2024-01..2024-06", "2024-11-01..", "..2024-06", "..", "",
               " 2024 ", "2024..2025-02", "24", "2024-1a", "2024-01-02-03", "2024-", "２０２４", "٢٠٢٤", "abcd",
               "2024-13", "20240..", "..x"]

WORD_COSTS = [1, 2, 10, 999, 123456, 10 ** 8, 10 ** 9]


def date_answer(value):
    try:
        return {"value": value, "range": list(rank.date_range(value))}
    except ValueError:
        return {"value": value, "error": True}


def split_case(clause, candidates, char_cost):
    char_cost = rank.CHAR_COST if char_cost is None else char_cost
    return {"clause": clause, "candidates": {str(i): [list(wc) for wc in ws] for i, ws in candidates.items()},
            "char_cost": char_cost, "split": rank.split_words(clause, candidates, char_cost)}


def sorted_ids(entries):
    order = sorted(entries, key=lambda e: rank.sort_key(e["tier"], e["score"], e["date"], e["id"]))
    return [e["id"] for e in order]


def ranking_cases() -> dict:
    """The table: every input above with rank.py's answer."""
    return {
        "format": browser_index.FORMAT_VERSION,
        "ranking": rank.constants(),
        "clause_score": [{"tf": tf, "lengths": lengths, "averages": averages, "df": df, "n": n,
                          "score": rank.clause_score(tf, lengths, averages, df, n),
                          "q": rank.quantize(rank.clause_score(tf, lengths, averages, df, n))}
                         for tf, lengths, averages, df, n in CLAUSE_SCORES],
        "quantize": [{"score": x, "q": rank.quantize(x)} for x in QUANTIZE],
        "sort": [{"entries": entries, "order": sorted_ids(entries)} for entries in SORTS],
        "split_words": [split_case(*case) for case in SPLITS],
        "tier2_words": [{"split": s, "words": rank.tier2_words(s)} for s in TIER2],
        "date_range": [date_answer(v) for v in DATE_RANGES],
        "word_cost": [{"count": c, "cost": rank.word_cost(c)} for c in WORD_COSTS],
        "date_order": [{"entries": entries, "newest": date_ordered(entries, True), "oldest": date_ordered(entries, False)}
                       for entries in DATE_ORDERS],
        "window_start": [{"hits": [list(h) for h in hits], "length": length, "width": width,
                          "start": window_start([h[:2] for h in hits], [h[2] for h in hits], length, width)}
                         for hits, length, width in WINDOWS],
    }


def date_ordered(entries, newest):
    order = sorted(entries, key=lambda e: rank.date_order_key(e["date"], e["id"], newest))
    return [e["id"] for e in order]


def render(cases: dict) -> str:
    return json.dumps(cases, ensure_ascii=False, indent=1) + "\n"


def load_table() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def test_table_is_current():
    assert TABLE.read_text(encoding="utf-8") == render(ranking_cases()), \
        "rank.py answers differently: rewrite the table with `python -m tests.search.test_rank_cases`"


def test_python_answers_the_table():
    table = load_table()
    assert table["ranking"] == rank.constants()
    for c in table["clause_score"]:
        score = rank.clause_score(c["tf"], c["lengths"], c["averages"], c["df"], c["n"])
        assert (score, rank.quantize(score)) == (c["score"], c["q"])
    for c in table["quantize"]:
        assert rank.quantize(c["score"]) == c["q"]
    for c in table["sort"]:
        assert sorted_ids(c["entries"]) == c["order"]
    for c in table["split_words"]:
        candidates = {int(i): [tuple(wc) for wc in ws] for i, ws in c["candidates"].items()}
        assert rank.split_words(c["clause"], candidates, c["char_cost"]) == c["split"]
    for c in table["tier2_words"]:
        assert rank.tier2_words(c["split"]) == c["words"]
    for c in table["date_range"]:
        assert date_answer(c["value"]) == c
    for c in table["word_cost"]:
        assert rank.word_cost(c["count"]) == c["cost"]
        assert c["cost"] < rank.CHAR_COST
    for c in table["date_order"]:
        assert (date_ordered(c["entries"], True), date_ordered(c["entries"], False)) == (c["newest"], c["oldest"])
    for c in table["window_start"]:
        hits = c["hits"]
        assert window_start([tuple(h[:2]) for h in hits], [h[2] for h in hits], c["length"], c["width"]) == c["start"]


def test_ties_are_broken_by_article_id():
    """The table really holds ties that only the ID decides, in both orders
    a document number could give."""
    tie = next(c for c in ranking_cases()["sort"] if len({(e["tier"], e["score"], e["date"]) for e in c["entries"]}) == 1)
    assert tie["order"] == sorted(e["id"] for e in tie["entries"]) != [e["id"] for e in tie["entries"]]


def test_browser_answers_the_table():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the browser's mirror of rank.py is checked only by tests/browser")
    done = subprocess.run([node, "--no-warnings", str(NODE_SCRIPT), str(TABLE)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_meta_json_ships_the_ranking():
    meta = json.loads(browser_index.meta_file(3, AVERAGES, 8, {}, {}))
    assert meta["ranking"] == rank.constants()
    assert meta["format"] == browser_index.FORMAT_VERSION


def test_search_js_keeps_no_copy_of_the_numbers():
    code = SEARCH_JS.read_text(encoding="utf-8")
    c = rank.constants()
    numbers = {c["k1"], *c["b"].values(), *c["weight"].values(), c["tier2_factor"], c["char_cost"],
               c["score_scale"], c["max_query_chars"]} - {0.5, 1.0}    # 0.5 and 1 are also in formulas
    for number in numbers:
        spelling = repr(number)       # 1.2, 3.0, 200: as a literal would be written
        assert not re.search(rf"(?<![\w.]){re.escape(spelling)}(?![\w.])", code), spelling
    assert not re.search(r"\b1e6\b", code)


if __name__ == "__main__":
    TABLE.write_text(render(ranking_cases()), encoding="utf-8")
    print(f"wrote {TABLE}")
