"""A pattern's matches over a whole text, found where the pattern can start.

Python's regex engine runs quickly through text to the next character a
pattern can start with only when the pattern starts with a character
class. PERIOD and CANDIDATE start with a lookahead of the characters they
can start with instead (their groups start at the first character), and
the engine enters the pattern at every character of the text: most of
the time spent scanning an article. `Scanner` wraps such a pattern in one
that starts with the class, consumes that character, and from there
looks back at the whole pattern where it started: the matches of the
pattern, the whole of each as group 1.

The wrapped pattern moves on one character at a time, so it also finds
the matches that start inside an earlier one, which `finditer` leaves out
as `Pattern.finditer` does; a match that is empty ends where it starts,
and the next one may start a character later, as in `Pattern.finditer`
(neither pattern has another match where it has an empty one).
"""
from __future__ import annotations

import re
import sys

# what `\d` matches, and more: the decimal digits of the Basic Multilingual
# Plane, and every character beyond it (a set the engine tests at once;
# `\d` itself costs a lookup in the Unicode tables for every character)
DIGITS = "0-9" + "".join(re.escape(chr(c)) for c in range(0x80, 0x10000) if chr(c).isdecimal()) + "\U00010000-\U0010ffff"


class Scanner:
    """`pattern`'s matches, for a pattern that can start only at a character
    of `first` followed by one of `second` (character class contents: more
    is harmless, less would miss matches)."""

    def __init__(self, pattern: re.Pattern, first: str, second: str):
        self.pattern = pattern
        self.wrapped = re.compile(f"[{first}](?=[{second}])(?<=(?=({pattern.pattern})).)", pattern.flags)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        """The matches `pattern.finditer(text, pos, endpos)` gives, as matches
        of the wrapped pattern: the whole of each is group 1 (`start()`, and
        `end(1)`); its named groups are the pattern's."""
        end = pos
        for m in self.wrapped.finditer(text, pos, endpos):
            if m.start() >= end:
                end = m.end(1)
                yield m
