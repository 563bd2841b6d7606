"""The page as an editor sees it: where a line stands, not only what it says.

Classified one by one, a site's name looks like a one-word kicker, a web
headline with commas looks like a paragraph, and a list of other articles
looks like the last lines of a story. Where they stand tells them apart. A
page has

* a *head*: everything above the first paragraph of text — the site's name,
  navigation and masthead, the headline, and the headline's *meta* lines
  (date, source, share buttons, counters);
* its *text*: the stories;
* a *tail* under a story: lists of other articles, copyright, promotions.

`split_glued` runs on the logical lines before they are classified and cuts
off what a site or a layout glued to a line; `read_page` runs after and
re-labels lines by their position, length, punctuation and neighbours.
"""
from __future__ import annotations

import re

from quzhou_archive.ingest import credits
from quzhou_archive.ingest import dates
from quzhou_archive.ingest import webfurniture as web
from quzhou_archive.ingest.credits import PhotoCredit
from quzhou_archive.ingest.furniture import Furniture
from quzhou_archive.ingest.layout import HEADLINE_META
from quzhou_archive.ingest.lines import BODY, BYLINE, CAPTION, DASH, FURNITURE, HEAD, LEAD, Line, ends_sentence, looks_like_heading
from quzhou_archive.textnorm import fold, holds_any, squash

# -- glued parts, split before classification -------------------------------

# (上接一版)同时,… and …完成。(下转第二版): a jump line glued to its paragraph.
_JUMP_HEAD = re.compile(r"^[(（]\s*(?:上接|接|续|紧接)(?:第)?\s*[a-z]?[\d一二三四五六七八九十]{1,3}\s*版\s*[)）]", re.I)
_JUMP_TAIL = re.compile(r"[(（]\s*(?:下转|转|转至|续)(?:第)?\s*[a-z]?[\d一二三四五六七八九十]{1,3}\s*版\s*[)）]$", re.I)
# [衢州日报]headline, 【栏目名】headline: a tag glued in front of a headline.
_TAG_HEAD = re.compile(r"^[\[【](?P<tag>[^\[\]【】\s]{2,12})[\]】]\s*(?=\S)")
# headline 2023年01月05日: a web copy's timestamp glued to its headline.
_DATE_TAIL = re.compile(r"\s+(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})"
                        r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$")
# headline【组图】, headline(图): a site's mark of what the page holds.
_MARK_TAIL = re.compile(r"\s*[\[【(（](?:组图|多图|高清组图|图|图文|视频|直播|独家|原创)[\]】)）]$")


def split_glued(lines: list[Line]) -> list[Line]:
    """Cut jump lines, headline tags, site marks and timestamps off the lines
    they are glued to; every part keeps the raw line numbers of its line."""
    out: list[Line] = []
    for line in lines:
        out.extend(_split_one(line))
    return out


def _split_one(line: Line) -> list[Line]:
    text, folded = line.text, line.folded
    m = _JUMP_HEAD.match(folded)
    if m and text[m.end():].strip():
        return [_part(line, text[:m.end()]), *_split_one(_part(line, text[m.end():]))]
    m = _JUMP_TAIL.search(folded)
    if m and text[:m.start()].strip():
        return [*_split_one(_part(line, text[:m.start()])), _part(line, text[m.start():])]
    if _headline_sized(text):
        m = _TAG_HEAD.match(folded)
        if m and _headline_sized(text[m.end():]) and len(squash(text[m.end():])) >= 4:
            return [_part(line, text[:m.end()]), _part(line, text[m.end():])]
        m = _MARK_TAIL.search(folded) or _DATE_TAIL.search(folded)
        if m and len(squash(text[:m.start()])) >= 4 and not dates.is_stamp_line(folded):
            # (新华网 | 2024-06-16 10:22 is one stamp line: a site's name beside its time)
            return [_part(line, text[:m.start()]), _part(line, text[m.start():])]
    return [line]


def _headline_sized(text: str) -> bool:
    return len(text) <= 90 and len(squash(text)) <= 60 and not holds_any(text, "。；;")


def _part(line: Line, text: str) -> Line:
    text = text.strip()
    return Line(line.first, line.last, text, fold(text), line.kind, line.info)


# -- re-labelling by position, after classification ---------------------------



def read_page(lines: list[Line]) -> list[Line]:
    """Re-label lines that only their place on the page explains."""
    web_copy = _is_web_copy(lines)
    if web_copy:
        _mark_head_navigation(lines)
    _mark_page_lists(lines)
    lines = _find_web_headline(lines)
    _mark_site_names(lines)
    _mark_related_lists(lines)
    _mark_vertical_labels(lines)
    _mark_photo_titles(lines)
    _promote_short_headings(lines, web_copy=web_copy)
    return lines


# Furniture only a website prints: a page with any of it is a web copy, whose
# text has no columns to cut its paragraphs.
_WEB_SIGNS = frozenset({
    Furniture.BREADCRUMB, Furniture.SITE_NAV, Furniture.SITE_NAME, Furniture.CONTROLS, Furniture.COUNTER,
    Furniture.WEB_META, Furniture.COPYRIGHT, Furniture.PROMOTION, Furniture.RELATED, Furniture.IMAGE,
})


def _is_web_copy(lines: list[Line]) -> bool:
    return any(ln.kind == FURNITURE and ln.info in _WEB_SIGNS for ln in lines)


def _mark_head_navigation(lines: list[Line]) -> None:
    """首页 新闻 政务 视频 above a web copy's headline: a short row of the
    site's sections. (On a printed page such a row is a banner slogan, so
    only web copies are read this way.)"""
    end = _head_zone(lines)
    heads = [i for i in range(end) if lines[i].kind == HEAD]
    for i in heads[:-1]:   # the last headline-like line of the head is the headline
        items = lines[i].text.split()
        if len(items) >= 3 and all(len(item) <= 4 for item in items) and not any(
                credits.is_name(item) or credits.is_role(item) for item in items):
            _relabel(lines[i], Furniture.SITE_NAV)


def _mark_page_lists(lines: list[Line]) -> None:
    """第01版:要闻 / 第02版:综合 / …: an e-paper reader's list of the issue's
    pages, which says nothing about which page this is."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].kind == FURNITURE and lines[j].info == Furniture.PAGE_LABEL:
            j += 1
        if j - i >= 2:
            for line in lines[i:j]:
                line.info = Furniture.NAVIGATION
        i = max(j, i + 1)


def _head_zone(lines: list[Line]) -> int:
    """Index of the first line of text (a paragraph or a lead): the page's head ends there."""
    return next((i for i, ln in enumerate(lines) if ln.kind in (BODY, LEAD)), len(lines))


def _is_meta(line: Line | None) -> bool:
    return line is not None and line.kind == FURNITURE and line.info in HEADLINE_META  # what stands between a web headline and its text


def _mark_site_names(lines: list[Line]) -> None:
    """开化新闻网 above the headline, or 浙江在线 between a headline and its
    date: the site's name, not a kicker or a subtitle. A site name stands
    at the top of the page or beside the site's other furniture, and never
    alone: the head still holds the real headline."""
    end = _head_zone(lines)
    heads = [i for i in range(end) if lines[i].kind in (HEAD, DASH)]
    for i in heads:
        line = lines[i]
        if line.kind != HEAD or not web.looks_like_site_name(line.folded):
            continue
        first = all(ln.kind == FURNITURE for ln in lines[:i])
        beside = _is_meta(lines[i - 1] if i else None) or _is_meta(lines[i + 1] if i + 1 < len(lines) else None)
        others = [j for j in heads if j != i and not web.looks_like_site_name(lines[j].folded)]
        if (first or beside) and others:
            line.kind, line.info = FURNITURE, Furniture.SITE_NAME


# A web copy that lost the break after its headline:
# <headline>11月26日上午,<first sentence>…
_LEAD_OPENER = re.compile(
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日"
    r"(?:上午|下午|晚上|晚间|早上|清晨|凌晨|中午|傍晚|晚|起|以来)?[,，]"
    r"|(?:近日|日前|近期|昨天|昨日|今天|前不久|本周|上周|今年以来|近年来)(?:上午|下午|晚上)?[,，]"
)
# …ending like this, the text before the opener is a sentence's start, not a headline
_NOT_A_HEADLINE_END = re.compile(r"(?:获悉|了解到|悉|讯|电|报道|消息|介绍|表示|说|指出|称|显示|记者|通讯员|[的了在于和与及将从对])$")


def _find_web_headline(lines: list[Line]) -> list[Line]:
    """A page whose head holds no headline: its first line of text may be one.

    A web headline may carry commas (县城面积扩大5倍,…,开化40年巨变展新颜~),
    which a printed one rarely does; it is the headline when the site's
    meta lines (date, source, share buttons) follow it. And a copy that lost
    a line break glues the headline to the first sentence."""
    end = _head_zone(lines)
    if end >= len(lines) or lines[end].kind != BODY or any(
            ln.kind == DASH or ln.kind == HEAD and not web.looks_like_site_name(ln.folded) for ln in lines[:end]):
        return lines   # the head has a headline (a site's name is none)
    line = lines[end]
    nxt = lines[end + 1] if end + 1 < len(lines) else None
    if _is_meta(nxt) and _headline_shaped(line.folded):
        line.kind = HEAD
        return lines
    cut = _fused_headline_end(line.folded)
    if cut is None:
        return lines
    head, body = _part(line, line.text[:cut]), _part(line, line.text[cut:])
    head.kind, body.kind = HEAD, BODY
    head.info = body.info = None
    return lines[:end] + [head, body] + lines[end + 1:]


def _headline_shaped(folded: str) -> bool:
    s = folded.strip()
    return (4 <= len(squash(s)) <= 64 and not holds_any(s, "。；;") and s[-1] not in ",，、:：(（“"
            and s.count(",") + s.count("，") <= 3)


def _fused_headline_end(folded: str) -> int | None:
    for m in _LEAD_OPENER.finditer(folded):
        head = folded[:m.start()].rstrip()
        if not 6 <= len(squash(head)) <= 40:
            continue
        if holds_any(head, ",，。；;、") or _NOT_A_HEADLINE_END.search(head) or not looks_like_heading(head):
            return None
        return m.start()
    return None


def _mark_related_lists(lines: list[Line]) -> None:
    """相关新闻 and the list under it; a run of bulleted titles; a title and
    its snippet ending in [详细]: a site's list of other articles. The list
    runs as long as its lines look like list entries."""
    started = False   # only under a story's text, never in the head
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind in (BODY, LEAD):
            started = True
        if started and _opens_related_list(lines, i):
            if line.kind in (HEAD, BODY) and i > 0 and lines[i - 1].kind == HEAD and web.ends_with_link_mark(line.folded):
                _relabel(lines[i - 1], Furniture.RELATED)   # the title of the snippet
            j = i
            while j < len(lines) and _in_related_list(lines[j], j == i):
                _relabel(lines[j], Furniture.RELATED)
                j += 1
            i = max(j, i + 1)
            continue
        i += 1


def _opens_related_list(lines: list[Line], i: int) -> bool:
    line = lines[i]
    if line.kind == FURNITURE and line.info == Furniture.RELATED:
        return True
    if line.kind in (HEAD, BODY) and web.ends_with_link_mark(line.folded):
        return True
    run = lines[i:i + 3]
    return len(run) == 3 and all(ln.kind in (HEAD, BODY) and web.BULLET_ITEM.match(ln.folded)
                                 and web.is_list_item(ln.folded) for ln in run)


def _in_related_list(line: Line, first: bool) -> bool:
    if line.kind == FURNITURE:
        return line.info in (Furniture.RELATED, Furniture.NOISE, Furniture.DATE_FRAGMENT, Furniture.CONTROLS,
                             Furniture.NAVIGATION) or first
    return line.kind in (HEAD, BODY, DASH, BYLINE) and web.is_list_item(line.folded)


def _relabel(line: Line, kind: Furniture) -> None:
    line.kind, line.info = FURNITURE, kind


# ▲县城夜景, 压题图:马金镇石柱村。毛水华摄 — a photo's caption, marked as one.
_PHOTO_MARK = re.compile(r"^(?:[▲△▼▽↑↓←→]|(?:压题图|题图|组图|图|上图|下图|左图|右图|图片)\s*[:：])\s*")
_GLUED_CREDIT = re.compile(r"(?<=[。.!！?？\s])(?P<names>[\u4e00-\u9fff]{2,4}(?:[、\s][\u4e00-\u9fff]{2,4})*)\s*/?\s*摄影?$")


def _mark_photo_titles(lines: list[Line]) -> None:
    """Lines that open with a photo mark are captions, even without a credit:
    a web gallery's photo titles are neither headings nor text. So is the
    short line under a photo's file name (46.jpg / 茗富村村貌。)."""
    for before, line in zip([None] + lines, lines):
        if line.kind not in (HEAD, BODY, DASH):
            continue
        under_image = (before is not None and before.kind == FURNITURE and before.info == Furniture.IMAGE
                       and len(squash(line.text)) <= 40 and sum(line.folded.count(p) for p in "。!！?？") <= 1)
        if under_image or _PHOTO_MARK.match(line.folded):
            line.kind, line.info = CAPTION, _marked_caption(line.text)


def _mark_vertical_labels(lines: list[Line]) -> None:
    """故 / 事: a label printed one character a line."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].kind in (BODY, HEAD) and len(lines[j].text) == 1:
            j += 1
        if j - i >= 2:
            for line in lines[i:j]:
                _relabel(line, Furniture.LABEL)
        i = max(j, i + 1)


def _marked_caption(text: str) -> PhotoCredit:
    parsed = credits.parse_photo_credit(text)
    if parsed is not None:
        return parsed
    m = _GLUED_CREDIT.search(fold(text))
    if m:
        names = re.split(r"[、\s]+", text[m.start("names"):m.end("names")])
        if all(credits.is_name(n) for n in names):
            return PhotoCredit(text[:m.start()].strip(), text[m.start():].strip(), names)
    return PhotoCredit(text.strip(), "", [])


_TOPIC_COLON = re.compile(r"^[\u4e00-\u9fff]{2,6}[:：]\S")


def _promote_short_headings(lines: list[Line], web_copy: bool) -> None:
    """A short line with one comma between two finished paragraphs is a
    section heading, though the comma made it look like text: 共富:茶旅融合
    新路子,“长出”致富金叶子 (a topic and a colon in front), or in a web copy,
    where no column cuts a paragraph short, 是慢行道,也是绿色道."""
    content = [ln for ln in lines if ln.kind != FURNITURE]
    for before, line, after in zip([None] + content, content, content[1:] + [None]):
        if line.kind != BODY or before is None or after is None or after.kind != BODY:
            continue
        s = line.folded.strip()
        if holds_any(s, "。；;！？!?") or s[-1] in ",，、:：" or s.count(",") + s.count("，") > 1:
            continue
        topic = len(squash(s)) <= 30 and _TOPIC_COLON.match(s)
        if not (topic or web_copy and len(squash(s)) <= 20):
            continue
        if before.kind in (BODY, LEAD) and ends_sentence(before.folded):
            line.kind = HEAD
