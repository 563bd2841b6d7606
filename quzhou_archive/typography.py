"""Chinese typesetting of the pages: punctuation typed (or extracted from
PDF) as ASCII next to Chinese text is shown in its full-width form. Only
the pages show it so: the article files keep their characters, and search
folds the two forms together anyway. A module of its own, so that the
pages' renderer loads no Markdown."""
from __future__ import annotations

import re

_CJK = "\u3400-\u9fff\uf900-\ufaff“”‘’"
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_NEXT_TO_CJK = re.compile(f"(?<=[{_CJK}])[,;:?!()]|[,;:?!()](?=[{_CJK}])|(?<=[{_CJK}])[(]|[)](?=[{_CJK}])")
_ASCII_PUNCTUATION = re.compile(r"[,;:?!()]")


def typeset(text: str) -> str:
    """`text` with each ASCII , ; : ? ! ( ) next to Chinese in its full-width
    form: one character for one, so positions in the text hold."""
    if _ASCII_PUNCTUATION.search(text) is None:     # most Chinese text has none: found faster than by the pattern
        return text
    return _NEXT_TO_CJK.sub(lambda m: _FULL_WIDTH[m.group()], text)
