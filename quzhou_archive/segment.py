"""All tokenising, for the Whoosh index, the browser index and queries.

The only module that imports jieba. A text is folded (Traditional ->
Simplified, full-width -> half-width, lower case: `textnorm.fold`) and read
as a stream of non-space characters; each character has a position. From
that stream come

* character bigrams with their positions — any substring of two or more
  characters is a run of consecutive bigrams, so every substring can be found
  exactly, across word boundaries and punctuation alike;
* single characters with their counts, for one-character queries;
* jieba words, whose counts make the vocabulary that splits a query into
  words for the second tier of results (see `rank.py`).

`static/search.js` reproduces `fold_query`/`bigrams` for queries typed in the
browser; it never needs jieba, because the words it needs come with the index.
"""
from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from .textnorm import fold

# Bump when tokens change: cached tokens and built indexes are then redone.
TOKENIZER_VERSION = 3

_WORD_CHARS = re.compile(r"^[\u3400-\u9fff\uf900-\ufaffa-z0-9]+$")


@dataclass
class FieldTokens:
    """Tokens of one field of one document."""

    length: int = 0                                              # characters, spaces excluded
    bigrams: dict[str, list[int]] = field(default_factory=dict)  # bigram -> positions
    chars: dict[str, int] = field(default_factory=dict)          # character -> count


@dataclass
class DocTokens:
    headline: FieldTokens
    body: FieldTokens
    words: dict[str, int]                                        # jieba word (2+ chars) -> count


def stream(text: str) -> str:
    """The folded characters of `text` that carry positions: everything but whitespace."""
    return "".join(fold(text).split())


def field_tokens(parts: list[str]) -> FieldTokens:
    """Tokens of a field made of several printed parts (kicker, title, subtitle…).

    Parts are separated by one empty position, so no bigram and no phrase
    runs from one part into the next.
    """
    tokens = FieldTokens()
    bigrams: dict[str, list[int]] = {}
    chars: Counter = Counter()
    position = 0
    for part in parts:
        s = stream(part)
        if not s:
            continue
        chars.update(s)
        for i in range(len(s) - 1):
            bigrams.setdefault(s[i:i + 2], []).append(position + i)
        tokens.length += len(s)
        position += len(s) + 1
    tokens.bigrams = bigrams
    tokens.chars = dict(chars)
    return tokens


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
    from .gazetteer import load

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


def words(text: str) -> Counter:
    """jieba words of two or more characters (letters and digits count), folded."""
    counts: Counter = Counter()
    for word in _jieba().cut(fold(text), HMM=True):
        word = word.strip()
        if len(word) >= 2 and _WORD_CHARS.match(word):
            counts[word] += 1
    return counts


def tokenize(headline_parts: list[str], body_parts: list[str]) -> DocTokens:
    """All tokens of one article: headline (kicker, title, subtitle) and body
    (paragraphs, captions, bylines)."""
    headline = field_tokens(headline_parts)
    body = field_tokens(body_parts)
    vocabulary = words("\n".join(headline_parts + body_parts))
    return DocTokens(headline, body, dict(vocabulary))


def fold_query(text: str) -> str:
    """A query term as the index sees it (whitespace removed)."""
    return stream(text)
