"""All tokenising, for the Whoosh index, the browser index and queries.

The only module that imports jieba. A text is folded (Traditional ->
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

import functools
import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from quzhou_archive.textnorm import fold, search_fold, search_fold_pairs

# Bump when tokens change: cached tokens and built indexes are then redone.
TOKENIZER_VERSION = 6

_WORD_CHARS = re.compile(r"^[\u3400-\u9fff\uf900-\ufaffa-z0-9]+$")


@dataclass
class DocTokens:
    """What one article gives the indexes: its fields as folded streams, and its words."""

    headline: list[str]                 # kicker, title, subtitle
    body: list[str]                     # paragraphs, headings, captions, bylines
    words: dict[str, int]               # jieba word (2+ characters) -> count

    def to_plain(self) -> tuple:
        return (self.headline, self.body, self.words)

    @classmethod
    def from_plain(cls, plain: tuple) -> "DocTokens":
        return cls(*plain)


def stream(text: str) -> str:
    """The folded characters of `text` that carry positions: everything but whitespace."""
    return "".join(search_fold(text).split())


def field_streams(parts: list[str]) -> list[str]:
    return [s for s in map(stream, parts) if s]


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


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word, freq in user_dictionary():
        tokenizer.add_word(word, freq)
    return tokenizer


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
    """TOKENIZER_VERSION and the data the tokens depend on (the user
    dictionary, the search foldings): what cached tokens are keyed by, so
    that an archivist's edit to the gazetteer is never answered from the cache."""
    data = repr((TOKENIZER_VERSION, user_dictionary(), sorted(search_fold_pairs().items())))
    return f"{TOKENIZER_VERSION}-{hashlib.sha256(data.encode()).hexdigest()[:12]}"


def words(text: str) -> Counter:
    """jieba words of two or more characters (letters and digits count), folded.

    Dictionary words only (no HMM guesses): the user dictionary supplies the
    local names, and the same text always gives the same words."""
    counts: Counter = Counter()
    for word in _jieba().cut(fold(text), HMM=False):   # jieba reads the plainly folded text
        if len(word) >= 2 and _WORD_CHARS.match(word):
            counts[search_fold(word)] += 1
    return counts


def tokenize(headline_parts: list[str], body_parts: list[str]) -> DocTokens:
    """All tokens of one article: headline (kicker, title, subtitle) and body
    (paragraphs, headings, captions, bylines)."""
    return DocTokens(field_streams(headline_parts), field_streams(body_parts),
                     dict(words("\n".join(headline_parts + body_parts))))


def fold_query(text: str) -> str:
    """A query term as the index sees it (whitespace removed)."""
    return stream(text)
