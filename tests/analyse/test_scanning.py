"""The scanners find what their patterns' own `finditer` finds: the same
matches, with the same groups, over real, generated and awkward text."""
from __future__ import annotations

import random
import re

import pytest

from quzhou_archive.analyse.periods import PERIOD, PERIODS
from quzhou_archive.analyse.reading import CANDIDATE, CANDIDATES
from quzhou_archive.analyse.scanning import DIGITS, Scanner
from quzhou_archive.articles import article_paths, read_article, text_paragraphs
from quzhou_archive.textnorm import fold
from tests.conftest import ROOT

AWKWARD = ["2023年", "二〇二三年", "1-4月", "一至四月", "前三季度", "上半年", "今年一季度", "全年", "昨日", "1,200.5亿元",
           "1,20万元", "12.5%", "百分之十二点五", "翻两番", "万亿元以上", "近亿元", "三五千家", "二十五点五万吨", "３２亿元",
           "٣٢亿元", "𝟑𝟐亿元", "12kwh", "12kwha", "元旦", "5个百分点", "10余家", "1-5", "12月", "十一月", "第1季度",
           "\x00", "\n", " ", "。", "年", "第", "一", "1", ""]


def texts() -> list[str]:
    found = [fold("\x00".join(text_paragraphs(read_article(ROOT / "articles", p).body)))
             for p in article_paths(ROOT / "articles")]
    rng = random.Random(3)
    pieces = AWKWARD + [t[i:i + 6] for t in found for i in range(0, len(t), 97)]
    found += ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 40))) for _ in range(3000)]
    return found


def groups(matches, whole_is_group_one: bool):
    if whole_is_group_one:
        return [(m.start(), m.end(1), m.groups()[1:]) for m in matches]
    return [(m.start(), m.end(), m.groups()) for m in matches]


@pytest.mark.parametrize("pattern, scanner", [(PERIOD, PERIODS), (CANDIDATE, CANDIDATES)], ids=["period", "candidate"])
def test_a_scanner_finds_what_its_pattern_finds(pattern, scanner):
    every = texts()
    assert sum(1 for t in every for _ in pattern.finditer(t)) > 500
    for text in every:
        assert groups(scanner.finditer(text), True) == groups(pattern.finditer(text), False), text
        end = len(text) // 2
        assert groups(scanner.finditer(text, 0, end), True) == groups(pattern.finditer(text, 0, end), False), text


def test_matches_inside_an_earlier_one_and_empty_ones_are_left_out_as_finditer_does():
    pattern = re.compile(r"(?=[ab])(?:ab+|b|(?P<none>))")
    scanner = Scanner(pattern, "ab", "ab\\x00-\\uffff")
    for text in ["abbb", "ba", "aab", "xbx", "abab", "a", "b"]:
        assert groups(scanner.finditer(text + "."), True) == groups(pattern.finditer(text + "."), False)


def test_digits_are_more_than_what_backslash_d_matches():
    digit = re.compile(rf"[{DIGITS}]")
    assert all(digit.match(chr(c)) for c in range(0x110000) if re.match(r"\d", chr(c)))


def test_the_places_scanner_finds_what_the_gazetteer_finds():
    from quzhou_archive.analyse.places import _gazetteer, _places

    pattern = _gazetteer().pattern
    every = texts() + ["衢州市衢江区", "常山县城", "衢", "开化", "江山市江山"]
    assert sum(1 for t in every for _ in pattern.finditer(t)) > 100
    for text in every:
        assert groups(_places().finditer(text), True) == groups(pattern.finditer(text), False), text
