"""Raw page text -> classified logical lines.

A *logical line* is what the page printed as one block: a paragraph, a
headline, a caption. PDF and e-paper dumps give one per raw line; web copies
wrapped at a fixed width are joined back first. Each logical line is then
classified by what it looks like on its own (plus, for a bare line of names,
the line before it); deciding what it *is* on the page is `layout`'s job.
"""
from __future__ import annotations

import enum
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from . import credits
from .furniture import SENTENCE_PUNCT, Furniture, furniture_kind
from ..textnorm import display_width, fold, squash


class LineKind(enum.Enum):
    """What a logical line looks like on its own. Members, not strings, so
    that a misspelt kind is an AttributeError rather than a silent mismatch."""

    FURNITURE = "furniture"   # belongs to the page, not to a story (info: a `Furniture` kind)
    EDNOTE = "ednote"         # 编者按
    LEAD = "lead"             # a first paragraph opening with its byline (info: a `Lead`)
    CREDIT = "credit"         # a photo credit alone (info: a `PhotoCredit`)
    CAPTION = "caption"       # a caption ending in its credit (info: a `PhotoCredit`)
    BYLINE = "byline"         # a line of reporters' names (info: the names)
    SIGNED = "signed"         # 单位 职务 姓名 (info: a `Signature`)
    DASH = "dash"             # a ——subtitle line
    HEAD = "head"             # short and unpunctuated: headline, heading, kicker or banner
    BODY = "body"             # running text


# the members under the short names the rest of ingest uses
FURNITURE, EDNOTE, LEAD, CREDIT, CAPTION, BYLINE, SIGNED, DASH, HEAD, BODY = (
    LineKind.FURNITURE, LineKind.EDNOTE, LineKind.LEAD, LineKind.CREDIT, LineKind.CAPTION,
    LineKind.BYLINE, LineKind.SIGNED, LineKind.DASH, LineKind.HEAD, LineKind.BODY,
)

_CLOSERS = "”’」』)）》】\"'"
_SENTENCE_END = "。!！?？…;；:："
_INDENT = re.compile(r"^(?:\u3000|\s{2,}|\t)")


@dataclass
class Line:
    first: int          # first raw line number (1-based)
    last: int           # last raw line number
    text: str           # original characters, outer whitespace stripped
    folded: str         # matching form, same length as text
    kind: LineKind = BODY
    info: Any = None    # what the classifier parsed: a Lead, PhotoCredit, names …


def ends_sentence(text: str) -> bool:
    """Does this text end where a paragraph may end (not cut mid-sentence)?"""
    stripped = text.rstrip().rstrip(_CLOSERS)
    if not stripped:
        return True
    return stripped[-1] in _SENTENCE_END


def _full_width_test(lines: list[str]):
    """For a web copy wrapped at a fixed width, a test telling whether a line
    fills that width (and so runs on into the next line); None if the text
    was not wrapped.

    Wrapping tools count either characters or display columns, so both are
    tried; a wrapped copy has many lines of (nearly) the same length that are
    directly followed by another non-blank line.
    """
    candidates = [line.strip() for line, nxt in zip(lines, lines[1:] + [""]) if line.strip() and nxt.strip()]
    everything = [line.strip() for line in lines if line.strip()]
    best = None
    for measure, slack, narrowest in ((len, 2, 20), (display_width, 4, 40)):
        sizes = [measure(c) for c in candidates if measure(c) >= 12]
        if len(sizes) < 4:
            continue
        counts = Counter(sizes)
        width = max(counts, key=lambda w: (sum(counts[x] for x in range(w - slack, w + 1)), w))
        near = sum(1 for size in sizes if width - slack <= size <= width)
        # nothing in a wrapped copy is much longer than the width it was wrapped at
        longer = sum(1 for line in everything if measure(line) > width + slack)
        if (width >= narrowest and near >= max(4, 0.5 * len(sizes)) and longer <= 0.1 * len(everything)
                and (best is None or near > best[0])):
            best = (near, measure, width - slack)
    if best is None:
        return None
    _, measure, threshold = best
    return lambda line: measure(line.strip()) >= threshold


def _join_wrapped(left_raw: str, left: str, right: str) -> str:
    """Join a wrapped line to the next; a space only where the copy had one."""
    if left_raw[-1:].isspace() and left[-1:].isascii() and right[:1].isascii():
        return f"{left} {right}"
    return left + right


def logical_lines(text: str) -> list[Line]:
    raw = text.split("\n")
    is_full = _full_width_test(raw)
    out: list[Line] = []
    joinable = False  # the previous raw line filled the wrap width and directly precedes this one
    previous_raw = ""
    for number, line in enumerate(raw, start=1):
        if not line.strip():
            joinable = False
            continue
        stripped = line.strip()
        if joinable and out and not _INDENT.match(line):
            last = out[-1]
            last.text = _join_wrapped(previous_raw, last.text, stripped)
            last.last = number
        else:
            out.append(Line(number, number, stripped, ""))
        joinable = is_full is not None and is_full(line)
        previous_raw = line
    for line in out:
        line.folded = fold(line.text)
    return out


def looks_like_heading(folded: str) -> bool:
    """Short, unpunctuated text: a headline, heading, kicker or banner."""
    s = folded.strip()
    n = len(squash(s))
    if n < 2 or n > 90:
        return False
    if any(p in s for p in "。;；") or s[-1] in ",，、:：—-(（“":
        return False
    if s.rstrip(_CLOSERS)[-1:] in ("。",):
        return False
    commas = s.count(",") + s.count("，")
    if commas >= 2 or (commas == 1 and (" " not in s or n > 30)):
        return False
    if n > 36 and " " not in s:
        return False
    return True


def _is_dash(folded: str) -> bool:
    s = folded.strip()
    return bool(re.match(r"^(?:——|—|--|－－)", s)) and len(s) <= 60 and not any(p in s for p in "。;；")


def _byline_only(line: Line) -> list[str] | None:
    text = line.text
    m = re.match(r"^(?:作者|记者|文|文图|图文|通讯员|撰稿)\s*[:：/|]\s*(.+)$", line.folded)
    if m:
        return credits.names_in_credit(text[m.start(1):], need_role=False)
    inner = text.strip().strip("()（）")
    bullet = text.lstrip()[:1] in "■□●◎▲◆★"
    return credits.names_in_credit(inner, need_role=not bullet)


def classify(lines: list[Line]) -> list[Line]:
    at_top = True
    previous: Line | None = None
    for line in lines:
        line.kind, line.info = _classify_one(line, at_top, previous)
        if line.kind != FURNITURE:
            at_top = False
            previous = line
    _promote_short_kickers(lines)
    _mark_title_lists(lines)
    return lines


def _mark_title_lists(lines: list[Line]) -> None:
    """E-paper dumps list a page's titles (标题导航) before the stories: a
    headline that is printed again further down, and that is not itself
    followed by text here, is navigation."""
    heads = [i for i, ln in enumerate(lines) if ln.kind == HEAD]
    later: dict[str, int] = {}
    for i in heads:
        later[squash(lines[i].folded)] = i
    for i in heads:
        key = squash(lines[i].folded)
        if later[key] == i:
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None or nxt.kind in (HEAD, FURNITURE):
            lines[i].kind, lines[i].info = FURNITURE, Furniture.NAVIGATION


def _promote_short_kickers(lines: list[Line]) -> None:
    """A short line with one comma right above a headline is a kicker
    (大爱,在对门延续), unless it finishes a paragraph cut just before it."""
    content = [ln for ln in lines if ln.kind != FURNITURE]
    for before, line, after in zip([None] + content, content, content[1:] + [None]):
        if line.kind != BODY or after is None or after.kind not in (HEAD, DASH):
            continue
        s = line.folded
        if len(squash(s)) > 20 or ends_sentence(s) or s[-1] in ",，、" or s.count(",") + s.count("，") > 1:
            continue
        if before is not None and before.kind == BODY and not ends_sentence(before.folded):
            continue
        line.kind = HEAD


def _classify_one(line: Line, at_top: bool, previous: Line | None) -> tuple[LineKind, Any]:
    folded = line.folded
    kind = furniture_kind(line.text, folded, at_top)
    if kind:
        return FURNITURE, kind
    if re.match(r"^[【\[]?编者(?:按|的话)", folded):
        return EDNOTE, None
    lead = credits.parse_lead(line.text)
    if lead:
        return LEAD, lead
    photo = credits.parse_photo_credit(line.text)
    if photo:
        return (CAPTION if photo.caption else CREDIT), photo
    names = _byline_only(line)
    if names and not any(p in folded for p in SENTENCE_PUNCT):
        return BYLINE, names
    signature = credits.parse_signature(line.text)
    if signature:
        return SIGNED, signature
    if _is_dash(folded):
        return DASH, None
    if looks_like_heading(folded):
        if previous is not None and previous.kind in (HEAD, DASH):
            bare = credits.names_in_credit(line.text, need_role=False)
            if bare:
                return BYLINE, bare
        return HEAD, None
    return BODY, None
