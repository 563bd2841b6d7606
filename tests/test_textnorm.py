"""Folding for search: any Traditional form OpenCC writes of a text folds back to it."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import opencc
import pytest

from quzhou_archive.analyse.segment import fold_query
from quzhou_archive.textnorm import fold, fold_char, search_fold, search_fold_pairs

DATA = Path(__file__).resolve().parent.parent / "quzhou_archive" / "data" / "search_folds.txt"
SOURCES = ("STPhrases", "TWVariants", "HKVariants")
SENTENCE = "衢州市常山县回复了解批复家具想象里面为了温度线路山峰群众着手推进产业链项目只有一个"


@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2hk"])
def test_every_traditional_form_folds_back(config):
    written = opencc.OpenCC(config).convert(SENTENCE)
    assert written != SENTENCE
    assert fold_query(written) == fold_query(SENTENCE)


def test_phrase_forms_that_plain_folding_misses():
    assert fold("瞭解") != fold("了解")               # one character at a time, 瞭 stays
    assert search_fold("瞭解") == search_fold("了解")
    assert search_fold("回覆 著手 傢俱") == search_fold("回复 着手 家具")


def test_search_folding_is_length_preserving_and_settles_in_one_step():
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        source, target = line.split()[:2]
        assert search_fold(source) == search_fold(target) == search_fold(search_fold(target))


def test_ingest_folding_is_unchanged_by_the_search_pairs():
    assert fold("等待回复") == "等待回复"
    assert fold("覆盖") == "覆盖"


# -- the data file, derived from OpenCC's own dictionaries ------------------------

def _opencc_dict() -> Path | None:
    tool = Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict"
    return tool if tool.exists() else None


def _dictionary(tool: Path, name: str) -> list[str]:
    share = tool.parent.parent / "share" / "opencc"
    env = {**os.environ, "LD_LIBRARY_PATH": str(tool.parent.parent / "lib64")}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{name}.txt"
        subprocess.run([str(tool), "-i", str(share / f"{name}.ocd2"), "-o", str(out), "-f", "ocd2", "-t", "text"],
                       check=True, capture_output=True, env=env)
        return out.read_text(encoding="utf-8").splitlines()


def derive(dictionaries: dict[str, list[str]]) -> list[str]:
    """Lines of search_folds.txt: every pair of characters that a dictionary
    entry writes for one another where `fold` does not bring them together,
    folded towards the one more common in Simplified text."""
    found: dict[frozenset, str] = {}
    common_file = DATA.with_name("common_chars.txt").read_text(encoding="utf-8")
    common = set(fold("".join(line for line in common_file.splitlines() if not line.startswith("#"))))
    for name in SOURCES:
        for line in dictionaries[name]:
            left, rights = line.split("\t")
            for right in rights.split(" "):
                if len(left) != len(right):
                    continue
                for a, b in zip(left, right):
                    a, b = fold_char(a), fold_char(b)
                    if a == b or frozenset((a, b)) in found:
                        continue
                    source, target = (a, b) if b in common and a not in common else (b, a)
                    found[frozenset((a, b))] = f"{source} {target} {left} {right}"
    return sorted(found.values())


def current_lines() -> list[str]:
    return [line for line in DATA.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def test_data_file_matches_the_installed_opencc():
    tool = _opencc_dict()
    if tool is None:
        pytest.skip("this OpenCC build ships no opencc_dict")
    derived = derive({name: _dictionary(tool, name) for name in SOURCES})
    assert current_lines() == derived, "refresh with: python -m tests.test_textnorm"


if __name__ == "__main__":    # rewrite the pairs of data/search_folds.txt from the installed OpenCC
    header = [line for line in DATA.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    tool = _opencc_dict() or sys.exit("this OpenCC build ships no opencc_dict")
    DATA.write_text("\n".join(header + derive({n: _dictionary(tool, n) for n in SOURCES})) + "\n", encoding="utf-8")


# -- fast forms of plain operations: the same results ---------------------------

def _random_texts(seed: int, count: int) -> list[str]:
    import random
    rnd = random.Random(seed)
    blocks = [(0x20, 0x250), (0x3000, 0x3040), (0x4E00, 0x9FFF), (0xFF00, 0xFF70), (0x2000, 0x2070)]
    texts = []
    for _ in range(count):
        chars = [chr(rnd.randrange(*rnd.choice(blocks))) for _ in range(rnd.randrange(1, 60))]
        texts.append("".join(chars))
    return texts


def test_fold_is_fold_char_of_every_character():
    # long texts take the path that replaces only the characters that change,
    # once the table has learnt enough characters; short ones are translated
    texts = _random_texts(1, 4000) + ["衢州日報　ＡＢＣ１２３，開化縣。", "ABC", "Ａ", "", "臺灣 İstanbul ß"]
    for _ in range(2):
        for text in texts:
            assert fold(text) == "".join(fold_char(ch) for ch in text), text


def test_search_fold_is_search_fold_char_of_every_character():
    from quzhou_archive.textnorm import search_fold_char, search_fold_folded

    pairs = "".join(a + b for a, b in search_fold_pairs().items())     # characters folded twice, once here
    texts = _random_texts(3, 4000) + ["瞭解回覆著手傢俱 臺灣", pairs, pairs[::-1], "ABC", "瞭", ""]
    for _ in range(2):
        for text in texts:
            assert search_fold(text) == "".join(search_fold_char(ch) for ch in text), text
            assert search_fold_folded(fold(text)) == search_fold(text), text


def test_longest_word_pattern_finds_what_a_longest_first_alternation_finds():
    import random
    import re

    from quzhou_archive.textnorm import longest_word_pattern

    words = ["衢州", "衢州市", "衢江", "衢江区", "江山", "江山市", "山", "a.b", "a", "ab*"]
    tree = re.compile(longest_word_pattern(words))
    flat = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    rnd = random.Random(2)
    for _ in range(3000):
        text = "".join(rnd.choice(words + ["市", "区", "的", "b", "*", "."]) for _ in range(rnd.randrange(0, 12)))
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in flat.finditer(text)], text


def test_holds_any_and_squash_and_cjk_count():
    import re

    from quzhou_archive.textnorm import cjk_count, has_cjk, holds_any, squash

    for text in _random_texts(3, 2000) + ["a\u3000b\x1cc\u2028d", ""]:
        assert holds_any(text, "。;；]^-\\") == any(p in text for p in "。;；]^-\\")
        assert squash(text) == re.sub(r"\s+", "", text)
        assert cjk_count(text) == len(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]", text))
        assert has_cjk(text) == (cjk_count(text) > 0)
