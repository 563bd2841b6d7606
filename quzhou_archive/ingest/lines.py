"""Raw page text -> classified logical lines.

A *logical line* is what the page printed as one block: a paragraph, a
headline, a caption. PDF and e-paper dumps give one per raw line; web copies
wrapped at a fixed width are joined back first. A line that holds two
things (a paragraph and its bracketed credit, text and a bulleted credit)
is split in two. Each logical line is then classified by what it looks like
on its own (plus, for a bare line of names, the line before it, and for a
caption, the paragraphs around it); deciding what it *is* on the page is
`layout`'s job.
"""
from __future__ import annotations

import enum
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from quzhou_archive.ingest import credits
from quzhou_archive.ingest.furniture import SENTENCE_PUNCT, Furniture, furniture_kind
from quzhou_archive.textnorm import display_width, fold, holds_any, squash


class LineKind(enum.Enum):
    """What a logical line looks like on its own. Members, not strings, so
    that a misspelt kind is an AttributeError rather than a silent mismatch."""

    FURNITURE = "furniture"   # belongs to the page, not to a story (info: a `Furniture` kind)
    EDNOTE = "ednote"         # 编者按
    LEAD = "lead"             # a first paragraph opening with its byline (info: a `Lead`)
    CREDIT = "credit"         # a photo credit alone (info: a `PhotoCredit`)
    CAPTION = "caption"       # a caption ending in its credit (info: a `PhotoCredit`)
    BYLINE = "byline"         # a line of reporters' names (info: a `credits.Credit`)
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
    info: Any = None    # what the classifier parsed: a Lead, PhotoCredit, Credit …

    def part(self, start: int, end: int | None = None) -> "Line":
        """Characters start:end of this line as a line of its own (same raw lines)."""
        end = len(self.text) if end is None else end
        chunk = self.text[start:end]
        start += len(chunk) - len(chunk.lstrip())
        text = chunk.strip()
        return Line(self.first, self.last, text, self.folded[start:start + len(text)])


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


def _wrap_gap(left_raw: str, left: str, right: str) -> str:
    """What joins a wrapped line to the next: a space only where the copy had one."""
    return " " if left_raw[-1:].isspace() and left[-1:].isascii() and right[:1].isascii() else ""


def logical_lines(text: str, folded_page: str | None = None) -> list[Line]:
    """`folded_page` is `fold(text)` when the caller has it already."""
    raw = text.split("\n")
    # the page is folded once; folding is character by character, so each
    # line's folded form is the same stretch of the folded page
    folded_page = fold(text) if folded_page is None else folded_page
    is_full = _full_width_test(raw)
    out: list[Line] = []
    joinable = False  # the previous raw line filled the wrap width and directly precedes this one
    previous_raw = ""
    at = 0            # where the raw line starts in the page
    for number, line in enumerate(raw, start=1):
        start, at = at, at + len(line) + 1
        stripped = line.strip()
        if not stripped:
            joinable = False
            continue
        lead = start + len(line) - len(line.lstrip())
        folded = folded_page[lead:lead + len(stripped)]
        if joinable and out and not _INDENT.match(line):
            last = out[-1]
            gap = _wrap_gap(previous_raw, last.text, stripped)
            last.text = last.text + gap + stripped
            last.folded = last.folded + gap + folded
            last.last = number
        else:
            out.append(Line(number, number, stripped, folded))
        joinable = is_full is not None and is_full(line)
        previous_raw = line
    return out


def looks_like_heading(folded: str) -> bool:
    """Short, unpunctuated text: a headline, heading, kicker or banner."""
    s = folded.strip()
    n = len(squash(s))
    if n < 2 or n > 90:
        return False
    if holds_any(s, "。;；") or s[-1] in ",，、:：—-(（“":
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
    return s.startswith(("——", "—", "--", "－－")) and len(s) <= 60 and not holds_any(s, "。;；")


_BYLINE_BULLETS = "■□●◎▲◆★"
_BYLINE_BULLET = re.compile(f"[{_BYLINE_BULLETS}]")


_ROLE_FIELD = re.compile(r"^(?:作者|记者|文|图|文图|图文|通讯员|撰稿|撰文|摄影)\s*[:：/|]\s*\S")


def _byline_only(line: Line) -> credits.Credit | None:
    text = line.text
    stripped = text.strip()
    if _ROLE_FIELD.match(line.folded):
        return credits.read_credit(stripped.replace("|", " ").replace("｜", " "), need_role=False)
    if stripped[:1] in credits.OPEN_BRACKETS and stripped[-1:] in credits.CLOSE_BRACKETS:
        return credits.bracket_credit(stripped[1:-1])
    bullet = stripped[:1] in _BYLINE_BULLETS
    return credits.read_credit(stripped, need_role=not bullet)


def classify(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    at_top = True
    previous: Line | None = None
    for whole in lines:
        for line in _parts(whole):
            if line.info is None:
                line.kind, line.info = _classify_one(line, at_top, previous)
                if line.kind == HEAD and out and _states_source(out[-1]):
                    # 来源: 掌上衢州 | 方利军 傅云燕: the names the source line sends
                    line.kind, line.info = _bare_names(line)
            out.append(line)
            if line.kind != FURNITURE:
                at_top = False
                previous = line
    _captions_that_are_text(out)
    _promote_short_kickers(out)
    _mark_title_lists(out)
    return out


def _states_source(line: Line) -> bool:
    return line.kind == FURNITURE and line.info in (Furniture.ATTRIBUTION, Furniture.WEB_META)


def _bare_names(line: Line) -> tuple[LineKind, Any]:
    credit = credits.read_credit(line.text, need_role=False)
    return (BYLINE, credit) if credit else (line.kind, line.info)


# -- lines that hold two things ----------------------------------------------

def _parts(line: Line) -> list[Line]:
    """Split a logical line that holds two things: a paragraph and its credit
    in brackets (……意义。(通讯员 A B 记者 C)), or text and a bulleted credit
    inside it (标题 ■ A B). A part already classified carries its kind and
    info. (Parts a site glues to a headline are cut off before, see zones.)"""
    at = credits.trailing_credit(line.text)
    if at is not None and len(squash(line.text[:at])) >= 10:
        return [line.part(0, at), _byline_part(line, at, None)]
    span = _bulleted_credit(line)
    if span is not None:
        start, end = span
        parts = ([line.part(0, start)] if line.text[:start].strip() else []) + [_byline_part(line, start, end)]
        return parts + ([line.part(end)] if line.text[end:].strip() else [])
    return [line]


def _byline_part(line: Line, start: int, end: int | None) -> Line:
    part = line.part(start, end)
    part.kind, part.info = BYLINE, _byline_only(part)
    return part


def _bulleted_credit(line: Line) -> tuple[int, int] | None:
    """A bullet and the credit after it inside a longer line: 标题 ■ 张三 李四 正文……

    The names run until the first word that is neither a role nor a name;
    what is left before must close (a headline or a sentence) and what is
    left after must be running text."""
    text = line.text
    for m in _BYLINE_BULLET.finditer(text):
        start = m.start()
        tokens = []
        for token in credits.credit_tokens(text, start + 1):
            if token.kind == "other" or not (text[token.end:token.end + 1].isspace() or token.end == len(text)):
                break
            tokens.append(token)
        while tokens and tokens[-1].kind == "role" and fold(tokens[-1].text) not in credits.vocabulary().trailing_roles:
            tokens.pop()
        if not any(t.kind == "name" for t in tokens):
            continue
        end = tokens[-1].end
        before, after = line.folded[:start].strip(), line.folded[end:].strip()
        if not before and not after:
            return None  # a byline line of its own
        if before and not (ends_sentence(before) or looks_like_heading(before)):
            continue
        if after and len(squash(after)) < 20:
            continue
        return start, end
    return None


# A caption is short and sits by its credit.
CAPTION_MAX = 150
def _captions_that_are_text(lines: list[Line]) -> None:
    """A line ending in a photo credit whose "caption" is really text: too
    long for a caption, or the end of a paragraph cut just before it that
    nothing after it continues. The text stays text; the credit is a credit."""
    for i, line in enumerate(lines):
        if line.kind != CAPTION:
            continue
        caption = line.info.caption
        before = _neighbour(lines, i, -1)
        after = _neighbour(lines, i, +1)
        finishes_paragraph = (before is not None and before.kind == BODY and not ends_sentence(before.folded)
                              and ends_sentence(caption) and (after is None or after.kind != BODY))
        if len(squash(caption)) <= CAPTION_MAX and not finishes_paragraph:
            continue
        text = line.part(0, len(caption))
        text.kind, text.info = BODY, None
        credit = line.part(len(caption))
        credit.kind, credit.info = CREDIT, credits.PhotoCredit("", line.info.credit, line.info.photographers)
        lines[i:i + 1] = [text, credit]


def _neighbour(lines: list[Line], i: int, step: int) -> Line | None:
    """The nearest line before/after i that is neither furniture nor a photo credit."""
    j = i + step
    while 0 <= j < len(lines) and (lines[j].kind in (FURNITURE, CREDIT, CAPTION)):
        j += step
    return lines[j] if 0 <= j < len(lines) else None


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


_EDNOTE = re.compile(r"^[【\[]?编者(?:按|的话)")


def _classify_one(line: Line, at_top: bool, previous: Line | None) -> tuple[LineKind, Any]:
    folded = line.folded
    kind = furniture_kind(line.text, folded, at_top)
    if kind:
        return FURNITURE, kind
    if _EDNOTE.match(folded):
        return EDNOTE, None
    lead = credits.parse_lead(line.text, folded)
    if lead:
        return LEAD, lead
    photo = credits.parse_photo_credit(line.text, folded)
    if photo:
        return (CAPTION if photo.caption else CREDIT), photo
    credit = _byline_only(line)
    if credit and not holds_any(folded, SENTENCE_PUNCT):
        return BYLINE, credit
    signature = credits.parse_signature(line.text)
    if signature:
        return SIGNED, signature
    if _is_dash(folded):
        return DASH, None
    if looks_like_heading(folded):
        if previous is not None and previous.kind in (HEAD, DASH):
            return _bare_names(Line(line.first, line.last, line.text, folded, HEAD))
        return HEAD, None
    return BODY, None
