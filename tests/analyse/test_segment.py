"""Tokens: folding, streams, characters and bigrams with positions, jieba words with the local dictionary."""
from quzhou_archive.analyse.segment import (
    SLOT, bigram_positions, field_length, field_streams, fold_query, part_starts, tokenize, user_dictionary, words,
)


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
