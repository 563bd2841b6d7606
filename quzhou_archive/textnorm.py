"""Character-level normalisation shared by ingest and search.

`fold` maps every character to its search/matching form — Traditional to
Simplified (OpenCC), full-width ASCII to half-width, lower case — one
character to one character, so that a position in the folded text is the
same position in the original. Ingest matches its patterns against folded
text but writes the original characters; search folds the index and the
query the same way.
"""
from __future__ import annotations

import re
import unicodedata
from importlib import resources

import opencc

_T2S = opencc.OpenCC("t2s")

# CJK ideographs plus the CJK punctuation that sits between them in running
# text; used to decide where a space is a wrapping artefact.
CJK_CHAR = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
_CJK_RE = re.compile(f"[{CJK_CHAR}]")
_NOT_CJK = re.compile(f"[^{CJK_CHAR}]+")
_CJK_GAP = re.compile(f"(?<=[{CJK_CHAR}{CJK_PUNCT}])[ \t\u3000\u00a0]+(?=[{CJK_CHAR}{CJK_PUNCT}])")


def _fold_one(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII block
        ch = chr(code - 0xFEE0)
    elif code == 0x3000:
        ch = " "
    elif code > 0x2E7F:
        converted = _T2S.convert(ch)
        if len(converted) == 1:
            ch = converted
    return ch.lower() if len(ch.lower()) == 1 else ch


class _FoldTable(dict):
    """str.translate table that learns each character's folded form once."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_one(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold_char(ch: str) -> str:
    """The matching form of one character (always one character)."""
    return _FOLD_TABLE[ord(ch)]


class _KnownFolds:
    """What the fold table knew at one moment, as two patterns: a character it
    did not know, and a character that folds to another. Most characters of a
    page fold to themselves, so replacing the few that do not is several
    times faster than translating every character. A character whose folded
    form folds again is left to `str.translate`, which changes each character
    once."""

    def __init__(self, table: dict[int, str]):
        changing = {chr(code): folded for code, folded in table.items() if chr(code) != folded}
        twice = {ch for ch, folded in changing.items() if folded in changing}
        self.size = len(table)
        self.changing = {ch: folded for ch, folded in changing.items() if ch not in twice}
        known = "".join(chr(code) for code in table if chr(code) not in twice)
        self.unknown = re.compile(f"[^{re.escape(known)}]")
        self.folds = re.compile(f"[{re.escape(''.join(self.changing))}]") if self.changing else None


_known: _KnownFolds | None = None
_translated = 0          # characters translated one by one since the patterns were built
_RELEARN_FROM = 256      # characters the table knows before the patterns are first built
_RELEARN_GROWTH = 1.25   # rebuilt when the table has grown by this factor since,
_RELEARN_COST = 32       # or has learnt a few characters and translating texts that hold
                         # them has cost this many characters per character known: building
                         # the patterns costs about as much
_SHORT = 4               # a word this short is as quickly translated


def _learned(translated: int) -> None:
    """Rebuild the patterns when the table knows characters they do not, and
    rebuilding costs less than translating the texts that hold them."""
    global _known, _translated
    _translated += translated
    size = len(_FOLD_TABLE)
    if _known is None:
        due = size >= _RELEARN_FROM
    else:
        due = size > _known.size and (size >= _RELEARN_GROWTH * _known.size or _translated >= _RELEARN_COST * size)
    if due:
        _known, _translated = _KnownFolds(_FOLD_TABLE), 0


def fold(text: str) -> str:
    """Fold a whole string character by character (length preserved)."""
    if text.isascii():
        return text.lower()
    if len(text) <= _SHORT:
        return text.translate(_FOLD_TABLE)
    known = _known
    if known is None or known.unknown.search(text):
        folded = text.translate(_FOLD_TABLE)
        _learned(len(text))
        return folded
    folds = known.folds
    if folds is not None:
        # each character that folds to another is replaced everywhere where it
        # is first met (no folded form is one of them), and the search goes on
        # from there: one pass, without a list of every occurrence (，of a page)
        found = folds.search(text)
        while found:
            ch = found.group()
            text = text.replace(ch, known.changing[ch])
            found = folds.search(text, found.start() + 1)
    return text


def _search_folds() -> dict[str, str]:
    """data/search_folds.txt: character -> the character search treats it as."""
    text = resources.files("quzhou_archive.data").joinpath("search_folds.txt").read_text(encoding="utf-8")
    return dict(line.split()[:2] for line in text.splitlines() if line.strip() and not line.startswith("#"))


class _SearchFoldTable(dict):
    """`fold`, then the pairs of data/search_folds.txt."""

    extra = _search_folds()

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        folded = self[code] = self.extra.get(folded, folded)
        return folded


_SEARCH_FOLD_TABLE = _SearchFoldTable()


def search_fold_pairs() -> dict[str, str]:
    """The pairs `search_fold` adds to `fold` (data/search_folds.txt)."""
    return dict(_SearchFoldTable.extra)


def search_fold_char(ch: str) -> str:
    """The character search matches `ch` as: `fold_char`, and the characters
    OpenCC writes differently only in phrases or regional variants folded too
    (瞭 as 了, 覆 as 复), so that any Traditional form of a text finds it."""
    return _SEARCH_FOLD_TABLE[ord(ch)]


def search_fold(text: str) -> str:
    """`search_fold_char` over a string (length preserved). Ingest uses the
    plainer `fold`: these pairs are for matching, not for reading."""
    return text.translate(_SEARCH_FOLD_TABLE)


def longest_word_pattern(words) -> str:
    """A regular expression for any of `words` that, where several start at
    the same place, matches the longest: what an alternation of the words
    sorted longest first matches, but written as a tree of their characters
    (衢(?:州(?:市)?|江区)), so that a place where no word starts is left at its
    first character instead of being tried against every word."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[None] = True   # a word ends here
    return _alternatives(tree)


def _alternatives(node: dict) -> str:
    branches = [re.escape(ch) + _continuations(child) for ch, child in node.items() if ch is not None]
    return "|".join(branches)


def _continuations(node: dict) -> str:
    """What may follow a character: the longer words first, then (if a word
    ends here) nothing."""
    if all(ch is None for ch in node):
        return ""
    return f"(?:{_alternatives(node)})" + ("?" if None in node else "")


_CHAR_CLASSES: dict[str, re.Pattern] = {}


def holds_any(text: str, chars: str) -> bool:
    """Does `text` hold any of the characters `chars`? (`any(c in text for c
    in chars)`, found by one pattern instead of one search per character.)"""
    pattern = _CHAR_CLASSES.get(chars)
    if pattern is None:
        pattern = _CHAR_CLASSES[chars] = re.compile(f"[{re.escape(chars)}]")
    return pattern.search(text) is not None


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def cjk_count(text: str) -> int:
    return len(_NOT_CJK.sub("", text))


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def close_cjk_gaps(text: str) -> str:
    """Remove whitespace that line wrapping left between Chinese characters.

    Spaces next to Latin letters or digits are kept ("AR/VR 设备", "3 GWh").
    """
    if " " not in text and "\t" not in text and "\u3000" not in text and "\u00a0" not in text:
        return text   # no gap to close (found faster than by the pattern)
    return _CJK_GAP.sub("", text)


def display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def squash(text: str) -> str:
    """Text without any whitespace, for comparisons that ignore layout."""
    return "".join(text.split())   # str.split() splits where the pattern \s would


_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """'4', '四', '十二', '二〇二四' -> int; None if it is not a number."""
    if text.isdigit():
        return int(text)
    if text and all(ch in _CN_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    tens, sep, units = text.partition("十")
    if not sep or (tens and tens not in _CN_DIGITS) or (units and units not in _CN_DIGITS):
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
