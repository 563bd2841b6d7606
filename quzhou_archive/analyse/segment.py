"""All tokenising, for the Whoosh index, the browser index and queries.

The only module that imports jieba (and rjieba, which runs jieba's
dictionary and algorithm compiled, with the same words). A text is folded (Traditional ->
Simplified, full-width -> half-width, lower case: `textnorm.search_fold`) and read
as a stream of non-space characters; each character has a position. A field
(headline, body) is a list of such streams, one per printed part; nothing
runs from one part into the next.
From the streams come

* character bigrams with their positions (the browser index) — any
  substring of two or more characters is a run of consecutive bigrams, so
  every substring can be found exactly, across word boundaries and
  punctuation alike (the Whoosh index keeps the streams themselves);
* jieba words, whose counts make the vocabulary that splits a query into
  words for the second tier of results (see `rank.py`).

`static/search.js` reproduces `fold_query` and the bigrams for queries typed
in the browser; it never needs jieba: the words it needs come with the index.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import logging
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

from quzhou_archive.textnorm import fold, search_fold, search_fold_folded, search_fold_pairs

# Bump when tokens change: cached tokens and built indexes are then redone.
TOKENIZER_VERSION = 6

_WORD_CHARS = "\u3400-\u9fff\uf900-\ufaffa-z0-9"
_NOT_A_WORD_CHAR = re.compile(f"[^{_WORD_CHARS}\n]")
_WORD_LINE = re.compile(f"^[{_WORD_CHARS}]+$", re.M)      # a line that is a word


class DocTokens:
    """What one article gives the indexes: its fields as folded streams, and
    its words. The words are kept as they occur, one after another (what
    counting them for a batch of articles reads); counted when asked for."""

    # the words as one string, a line for each time one occurs: cached and
    # decoded without a dict, and split only where they are asked for
    PLAIN_FORMAT = 3

    def __init__(self, headline: list[str], body: list[str], words: dict[str, int] | None = None,
                 occurrences: list[str] | None = None, occurrences_text: str | None = None):
        self.headline = headline            # kicker, title, subtitle
        self.body = body                    # paragraphs, headings, captions, bylines
        self._words = words
        self._occurrences = occurrences
        self._occurrences_text = occurrences_text

    @property
    def words(self) -> dict[str, int]:
        """jieba word (2+ characters) -> count, in the order they first occur."""
        if self._words is None:
            self._words = Counter(self.occurrences)
        return self._words

    @property
    def occurrences(self) -> list[str]:
        """Each word each time it occurs, in order."""
        if self._occurrences is None:
            if self._occurrences_text is not None:
                self._occurrences = self._occurrences_text.split("\n") if self._occurrences_text else []
            else:
                self._occurrences = list(Counter.elements(self._words or {}))
        return self._occurrences

    def to_plain(self) -> tuple:
        text = self._occurrences_text
        return (self.headline, self.body, "\n".join(self.occurrences) if text is None else text)

    @classmethod
    def from_plain(cls, plain: tuple) -> "DocTokens":
        headline, body, occurrences = plain
        return cls(headline, body, occurrences_text=occurrences)

    def __eq__(self, other) -> bool:
        return isinstance(other, DocTokens) and (self.headline, self.body, self.words) == (
            other.headline, other.body, other.words)

    def __repr__(self) -> str:
        return f"DocTokens(headline={self.headline!r}, body={self.body!r}, words={dict(self.words)!r})"


def stream(text: str) -> str:
    """The folded characters of `text` that carry positions: everything but whitespace."""
    return "".join(search_fold(text).split())


def field_streams(parts: list[str]) -> list[str]:
    joined = "\n".join(parts)
    if joined.count("\n") != len(parts) - 1:      # a part of several lines: each folded by itself
        return [s for s in map(stream, parts) if s]
    # the parts folded at once ("\n" folds to itself), then cut apart again
    return [s for s in ("".join(part.split()) for part in search_fold(joined).split("\n")) if s]


def field_length(streams: list[str]) -> int:
    return sum(len(s) for s in streams)


SLOT = 1024   # positions come in slots: each part starts a new one


def part_starts(streams: list[str]) -> list[int]:
    """Where each part's positions begin. A part starts at a slot boundary and
    takes as many slots as it needs, with at least one empty position after
    it: so nothing runs from one part into the next, and changing a paragraph
    moves the positions of no other paragraph (unless it grows across a slot
    boundary) — an edit rewrites little of the browser index."""
    starts, slot = [], 0
    for s in streams:
        starts.append(slot * SLOT)
        slot += len(s) // SLOT + 1
    return starts


def bigram_positions(streams: list[str]) -> dict[str, list[int]]:
    """Character bigram -> the positions where it starts (never across parts)."""
    positions: dict[str, list[int]] = {}
    for s, offset in zip(streams, part_starts(streams)):
        for i in range(len(s) - 1):
            positions.setdefault(s[i:i + 2], []).append(offset + i)
    return positions


def bigrams(s: str) -> list[str]:
    return [s[i:i + 2] for i in range(len(s) - 1)]


# jieba's re_han_default: the runs it segments; everything between them it
# yields a character (or a whitespace run) at a time, never a word of two.
_JIEBA_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+")
_RJIEBA_MISSING = "segmentation: rjieba not installed; using Python jieba (slower)"
# Weight that no text can reach (jieba never segments a control character):
# it carries the part of Python jieba's total frequency that rjieba does not count.
_TOTAL_BALANCE_WORD = "\x00"

Cut = Callable[[str], Iterable[str]]


def load_segmenter() -> None:
    """Load the dictionaries now (before workers fork, say), not at the first words()."""
    _cut()


@functools.lru_cache(maxsize=1)
def _cut() -> Cut:
    """The segmenter words() uses: jieba's dictionary and algorithm run by
    rjieba (compiled, same tokens), or Python jieba where rjieba is missing."""
    if rjieba_available():
        try:
            return rjieba_cut()
        except ImportError:         # installed, but cannot be loaded
            print(_RJIEBA_MISSING, file=sys.stderr)
    return python_jieba_cut()


@functools.lru_cache(maxsize=1)
def rjieba_available() -> bool:
    """Whether rjieba is installed (found, not imported: loading it takes a
    while, and only the processes that segment need it); if not, says so,
    once: workers forked after a build has asked inherit the answer and
    stay silent."""
    if importlib.util.find_spec("rjieba") is None:
        print(_RJIEBA_MISSING, file=sys.stderr)
        return False
    return True


@functools.lru_cache(maxsize=1)
def python_jieba_cut() -> Cut:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word, freq in user_dictionary():
        tokenizer.add_word(word, freq)
    return lambda text: tokenizer.cut(text, HMM=False)


@functools.lru_cache(maxsize=1)
def _jieba_dictionary_bytes() -> bytes:
    # found without importing jieba (which takes a quarter of a second): rjieba does the cutting
    spec = importlib.util.find_spec("jieba")
    return (Path(spec.submodule_search_locations[0]) / "dict.txt").read_bytes()


@functools.lru_cache(maxsize=1)
def _jieba_dictionary_digest() -> str:
    return hashlib.sha256(_jieba_dictionary_bytes()).hexdigest()


def jieba_dictionary() -> list[tuple[str, int, str]]:
    """jieba's own dict.txt (word, frequency, tag), as Python jieba reads it."""
    entries = []
    for line in _jieba_dictionary_bytes().decode("utf-8").splitlines():
        word, freq, *tag = line.strip().split(" ")
        entries.append((word, int(freq), tag[0] if tag else ""))
    return entries


def jieba_frequencies() -> tuple[dict[bytes, int], int]:
    """dict.txt's words (UTF-8) with their last frequency, and the sum of all
    its lines' frequencies (a word listed twice counts twice, as in Python jieba)."""
    pairs = re.findall(rb"^(\S+) (\d+)", _jieba_dictionary_bytes(), re.M)
    return {w: int(f) for w, f in pairs}, sum(int(f) for _, f in pairs)


@functools.lru_cache(maxsize=1)
def rjieba_cut() -> Cut:
    """rjieba with jieba's dictionary (its own copy of dict.txt, the same
    words: tests/analyse/test_segment.py) and the user dictionary, cutting
    exactly as Python jieba does.

    Two differences are evened out. rjieba's total frequency counts each word
    once, at its last frequency, where Python jieba adds every dict.txt line
    and every add_word (a duplicate line, a user word already in the
    dictionary): the difference goes to a word no text contains, as the
    total weighs every path. And rjieba segments more characters as Chinese
    (CJK extensions, compatibility ideographs), so it is given only the runs
    Python jieba segments, one per line.

    A word of frequency 0 (written to force a split) is no word to Python
    jieba but one rjieba can still choose: with such a word Python jieba cuts."""
    import rjieba

    user = user_dictionary()
    if any(freq <= 0 for _, freq in user):
        return python_jieba_cut()
    tokenizer = rjieba.Jieba()
    for word, freq in user:
        tokenizer.add_word(word, freq, None)
    balance = total_balance(user)
    if balance:
        tokenizer.add_word(_TOTAL_BALANCE_WORD, balance, None)
    return _BlocksCut(tokenizer)


class _BlocksCut:
    """rjieba cutting the runs Python jieba segments, one a line: each token
    it gives is made of those runs' characters, or a line break."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> list[str]:
        return self.tokenizer.cut("\n".join(_JIEBA_BLOCK.findall(text)), False)


# the characters of jieba's runs that are not word characters, once folded (folding leaves no A-Z)
_BLOCK_NOT_WORD_CHARS = "+#&._%-"


def total_balance(user: list[tuple[str, int]]) -> int:
    """Python jieba's total frequency less rjieba's: the repeated lines of
    dict.txt, and the user words' earlier frequencies. Reading dict.txt for
    it takes longer than loading rjieba, so it is kept in the temporary
    folder by the digest of what it is computed from (as Python jieba keeps
    its own dictionary cache there)."""
    key = hashlib.sha256((_jieba_dictionary_digest() + repr(user)).encode()).hexdigest()[:16]
    memo = Path(tempfile.gettempdir()) / f"quzhou-archive-jieba-total-{key}.txt"
    try:
        return int(memo.read_text(encoding="ascii"))
    except (OSError, ValueError):
        pass
    listed, lines_total = jieba_frequencies()
    balance = lines_total - sum(listed.values()) + sum(listed.get(w.encode("utf-8"), 0) for w, _ in user)
    with contextlib.suppress(OSError):      # a folder that may not be written: computed again next time
        scratch = memo.with_name(f"{memo.name}.{os.getpid()}")
        scratch.write_text(str(balance), encoding="ascii")
        os.replace(scratch, memo)
    return balance


def user_dictionary() -> list[tuple[str, int]]:
    """Local names jieba should keep whole: the gazetteer's divisions, towns and
    landmarks, and the firms and products in `data/userdict.txt`."""
    from quzhou_archive.gazetteer import load

    words: dict[str, int] = {}
    for division in load().divisions:
        for name in (division.name, *division.short, *division.places):
            words[name] = 20000
    text = resources.files("quzhou_archive.data").joinpath("userdict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].split()
        if line:
            words[line[0]] = int(line[1]) if len(line) > 1 else 5000
    return sorted(words.items())


@functools.lru_cache(maxsize=1)
def tokenizer_fingerprint() -> str:
    """TOKENIZER_VERSION and the data the tokens depend on (jieba's dictionary,
    the user dictionary, the search foldings): what cached tokens are keyed by,
    so that an archivist's edit to the gazetteer is never answered from the
    cache. Which implementation cuts (rjieba or Python jieba) is not part of
    it: both give the same words (tests/analyse/test_segment.py)."""
    data = repr((TOKENIZER_VERSION, _jieba_dictionary_digest(), user_dictionary(), sorted(search_fold_pairs().items())))
    return f"{TOKENIZER_VERSION}-{hashlib.sha256(data.encode()).hexdigest()[:12]}"


def words(text: str) -> Counter:
    """jieba words of two or more characters (letters and digits count), folded.

    Dictionary words only (no HMM guesses): the user dictionary supplies the
    local names, and the same text always gives the same words."""
    return count_words(_cut(), text)


def count_words(cut: Cut, text: str) -> Counter:
    """words() by a given segmenter."""
    return Counter(word_occurrences(cut, text))


def word_occurrences(cut: Cut, text: str) -> list[str]:
    """The words of `text` in order, each time it occurs."""
    return _occurrences(cut, fold(text))     # jieba reads the plainly folded text


def _occurrences(cut: Cut, folded: str) -> list[str]:
    """The words of a folded text: its tokens of two characters or more
    that are made of word characters, folded for search. They are sifted and
    folded all at once, joined a line each: a token never holds a line
    break, and a word seldom anything but word characters."""
    tokens = [token for token in cut(folded) if len(token) >= 2]
    joined = "\n".join(tokens)
    if _may_hold_other_chars(cut, joined):
        tokens = _WORD_LINE.findall(joined)
        joined = "\n".join(tokens)
    folded = search_fold(joined)
    return tokens if folded == joined else folded.split("\n") if tokens else []


def _may_hold_other_chars(cut: Cut, joined: str) -> bool:
    """Might some token be more than word characters? rjieba's come from
    jieba's runs, whose only other characters are a few signs; any other
    segmenter's are looked at whole."""
    if type(cut) is _BlocksCut:
        return any(ch in joined for ch in _BLOCK_NOT_WORD_CHARS)
    return _NOT_A_WORD_CHAR.search(joined) is not None


def tokenize(headline_parts: list[str], body_parts: list[str]) -> DocTokens:
    """All tokens of one article: headline (kicker, title, subtitle) and body
    (paragraphs, headings, captions, bylines). The text is folded once: jieba
    reads it, and the streams are it with search's own pairs folded too."""
    parts = headline_parts + body_parts
    text = "\n".join(parts)
    folded = fold(text)
    occurrences = _occurrences(_cut(), folded)
    if text.count("\n") != len(parts) - 1:      # a part of several lines: each folded by itself
        return DocTokens(field_streams(headline_parts), field_streams(body_parts), occurrences=occurrences)
    streams = ["".join(part.split()) for part in search_fold_folded(folded).split("\n")]
    cut = len(headline_parts)
    return DocTokens([s for s in streams[:cut] if s], [s for s in streams[cut:] if s], occurrences=occurrences)


def fold_query(text: str) -> str:
    """A query term as the index sees it (whitespace removed)."""
    return stream(text)
