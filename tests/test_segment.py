"""Tokens: folding, bigrams with positions, characters, jieba words with the local dictionary."""
from quzhou_archive.segment import field_tokens, fold_query, tokenize, user_dictionary, words


def test_folding_traditional_fullwidth_and_case():
    assert fold_query("常山縣 ＡＢＣ　Ｒ＆Ｄ") == "常山县abcr&d"


def test_bigrams_carry_positions_and_never_cross_parts():
    tokens = field_tokens(["规上工业", "工业强市"])
    assert tokens.bigrams["规上"] == [0]
    assert tokens.bigrams["工业"] == [2, 5]      # part two starts after one empty position
    assert "业工" not in tokens.bigrams
    assert tokens.length == 8
    assert tokens.chars["工"] == 2


def test_spaces_are_not_positions():
    assert field_tokens(["组团挂联 一帮到底"]).bigrams["联一"] == [3]


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
