"""Tokens: folding, streams, characters and bigrams with positions, jieba words with the local dictionary."""
import sys
from collections import Counter
from pathlib import Path

from quzhou_archive.analyse.segment import (
    SLOT, bigram_positions, count_words, field_length, field_streams, fold_query, part_starts, python_jieba_cut,
    rjieba_cut, tokenize, user_dictionary, words,
)
from quzhou_archive.synthetic import generate

ROOT = Path(__file__).resolve().parents[2]


def test_folding_traditional_fullwidth_and_case():
    assert fold_query("常山縣 ＡＢＣ　Ｒ＆Ｄ") == "常山县abcr&d"


def test_positions_never_cross_parts():
    streams = field_streams(["规上工业", "工业强市"])
    bigrams = bigram_positions(streams)
    assert bigrams["规上"] == [0]
    assert bigrams["工业"] == [2, SLOT]   # each part starts a slot of its own
    assert "业工" not in bigrams
    assert field_length(streams) == 8


def test_a_long_part_takes_more_slots_and_leaves_a_gap():
    assert part_starts(["a" * (SLOT - 1), "b", "c" * SLOT, "d"]) == [0, SLOT, 2 * SLOT, 4 * SLOT]


def test_spaces_are_not_positions():
    assert bigram_positions(field_streams(["组团挂联 一帮到底"]))["联一"] == [3]


def test_user_dictionary_keeps_local_names_whole():
    found = words("浙江珏芯微电子有限公司在辉埠镇投资,种植胡柚,规上工业增加值")
    for name in ("珏芯微电子", "辉埠镇", "胡柚", "规上工业"):
        assert name in found
    names = dict(user_dictionary())
    assert "华埠镇" in names and "胡柚" in names


def test_traditional_text_gives_the_same_tokens():
    simple = tokenize(["常山县规上工业"], ["辉埠镇的企业。"])
    traditional = tokenize(["常山縣規上工業"], ["輝埠鎮的企業。"])
    assert simple == traditional


def test_tokenizer_fingerprint_follows_the_user_dictionary(monkeypatch):
    from quzhou_archive.analyse import segment

    before = segment.tokenizer_fingerprint()
    segment.tokenizer_fingerprint.cache_clear()
    real = segment.user_dictionary
    monkeypatch.setattr(segment, "user_dictionary", lambda: real() + [("柚香谷", 20000)])
    try:
        after = segment.tokenizer_fingerprint()
    finally:
        segment.tokenizer_fingerprint.cache_clear()
    assert after != before and after.startswith(f"{segment.TOKENIZER_VERSION}-")


def test_tokenizer_fingerprint_is_the_same_whichever_implementation_cuts(monkeypatch):
    from quzhou_archive.analyse import segment

    compiled = segment.tokenizer_fingerprint()
    segment.tokenizer_fingerprint.cache_clear()
    monkeypatch.setitem(sys.modules, "rjieba", None)
    try:
        assert segment.tokenizer_fingerprint() == compiled
    finally:
        segment.tokenizer_fingerprint.cache_clear()


# rjieba and Python jieba: the same words, on every text the archive has and makes.

TRICKY = ("常山縣 ＡＢＣ　Ｒ＆Ｄ 4S店 AT&T C++ c# 3.5% 1,200万元 2021-06-01 a_b x.y "
          "㐀中文 鿐鿿字 兀字 𠀀衢州 \r\n\t 衢州市\n\n柯城区。“双十一”——开化龙顶 B超 B 超 "
          "abc123def 一二三 ＡＢＣ１２３ e-mail IPv6 ① Ⅻ")


def both_words(text: str) -> tuple[Counter, Counter]:
    return (count_words(rjieba_cut(), text), count_words(python_jieba_cut(), text))


def test_rjieba_and_python_jieba_agree_on_odd_characters():
    compiled, python = both_words(TRICKY)
    assert compiled == python and python


def test_rjieba_and_python_jieba_agree_on_the_whole_bundled_archive():
    paths = sorted((ROOT / "articles").glob("**/*.md"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")       # front matter and body, as written
        compiled, python = both_words(text)
        assert compiled == python, path


def test_rjieba_and_python_jieba_agree_on_a_synthetic_archive(tmp_path):
    paths = generate(300, tmp_path, ROOT / "articles", seed=11)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        compiled, python = both_words(text)
        assert compiled == python, path


def test_without_rjieba_python_jieba_cuts_and_says_so_once(monkeypatch, capsys):
    from quzhou_archive.analyse import segment

    text = "浙江珏芯微电子有限公司在辉埠镇投资,种植胡柚"
    expected = count_words(python_jieba_cut(), text)
    monkeypatch.setitem(sys.modules, "rjieba", None)     # import rjieba now fails
    segment._cut.cache_clear()
    segment.rjieba_available.cache_clear()
    try:
        assert not segment.rjieba_available()
        assert words(text) == expected
        assert words(text + "。") == expected
        segment.load_segmenter()
        notices = capsys.readouterr().err.splitlines()
        assert notices == ["segmentation: rjieba not installed; using Python jieba (slower)"]
    finally:
        segment._cut.cache_clear()
        segment.rjieba_available.cache_clear()


def test_rjieba_is_used_where_installed(capsys):
    from quzhou_archive.analyse import segment

    segment._cut.cache_clear()
    try:
        assert segment._cut() is rjieba_cut()
        assert capsys.readouterr().err == ""
    finally:
        segment._cut.cache_clear()


def test_the_words_are_folded_for_search_together(monkeypatch):
    from quzhou_archive.analyse import segment

    folded = []
    real = segment.search_fold
    monkeypatch.setattr(segment, "search_fold", lambda w: folded.append(w) or real(w))
    assert words("衢州衢州衢州開化開化，瞭望") == Counter({"衢州": 3, "开化": 2, "了望": 1})
    assert len(folded) == 1                             # one folding of every word, not one per word
    assert "開" not in folded[0] and "瞭" in folded[0]    # jieba reads plainly folded text


def test_counted_words_are_those_a_token_at_a_time_gives():
    """Tokens told apart a line at a time: what testing each token gives,
    for tokens of every kind jieba yields (whitespace, `\\r\\n`, punctuation,
    letters, digits, mixed; never a line break with anything else)."""
    import random
    import re

    from quzhou_archive.analyse import segment
    from quzhou_archive.textnorm import fold, search_fold

    word = re.compile(r"^[\u3400-\u9fff\uf900-\ufaffa-z0-9]+$")
    rnd = random.Random(5)
    pieces = ["衢州", "開化", "瞭解", "c++", "at&t", "3.5", "%", "abc", "x", "\r\n", "\n", " ", "\t", "。", "a1",
              "", "\u3000", "ＡＢ", "Ab", "．", "é", "\U00020000\U00020001"]
    for _ in range(500):
        tokens = [rnd.choice(pieces) for _ in range(rnd.randrange(0, 12))]
        expected = Counter()
        for token in tokens:
            if len(token) >= 2 and word.match(token):
                expected[search_fold(token)] += 1
        found = segment.count_words(lambda text: iter(tokens), "")
        assert found == expected and list(found) == list(expected), tokens


def test_a_user_word_of_frequency_zero_splits_as_python_jieba_splits_it(monkeypatch):
    from quzhou_archive.analyse import segment

    real = segment.user_dictionary
    monkeypatch.setattr(segment, "user_dictionary", lambda: real() + [("种植胡柚", 0), ("有限公司", 0)])
    segment.rjieba_cut.cache_clear()
    segment.python_jieba_cut.cache_clear()
    try:
        text = "种植胡柚的有限公司"
        assert count_words(segment.rjieba_cut(), text) == count_words(segment.python_jieba_cut(), text)
        assert "有限公司" not in count_words(segment.rjieba_cut(), text)
    finally:
        segment.rjieba_cut.cache_clear()
        segment.python_jieba_cut.cache_clear()


def test_a_field_is_its_parts_streams_whether_folded_together_or_each_by_itself():
    from quzhou_archive.analyse.segment import stream

    headline, body = ["衢州日報", "開化　ＡＢＣ"], ["第一段，瞭望。", "", "  ", "第二段 (R&D)"]
    for parts in ((headline, body), (headline, body + ["两行\n的说明"]), ([], []), (["只有标题"], [])):
        tokens = tokenize(*parts)
        assert tokens.headline == [s for s in map(stream, parts[0]) if s]
        assert tokens.body == [s for s in map(stream, parts[1]) if s]
        assert tokens.words == words("\n".join(parts[0] + parts[1]))
