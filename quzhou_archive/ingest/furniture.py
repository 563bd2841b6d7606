"""Page furniture: lines that belong to the page, not to any story.

`furniture_kind(text, folded)` names the kind of a furniture line or returns
None. `page_facts(kind, text, folded)` reads what such a line says about the
page (paper, date, page number, section), so that nothing a masthead or a
trailer states is lost even though the line itself leaves the text.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from quzhou_archive.ingest import dates
from quzhou_archive.ingest import webfurniture as web
from quzhou_archive.papers import known_papers
from quzhou_archive.textnorm import fold, has_cjk, holds_any

SENTENCE_PUNCT = "。;；!！?？"


class Furniture(enum.StrEnum):
    """Kinds of page furniture. The value is what a page record's `why` says
    about a dropped line."""

    MASTHEAD = "masthead"       # paper name, 机关报, CN number, issue date at the top
    TRAILER = "trailer"         # an e-paper's line of paper, page, section and date
    PAGE_LABEL = "page-label"   # 00002版:综合新闻
    ATTRIBUTION = "attribution"  # 本文转自:浙江日报
    WEB_META = "web-meta"       # a website's line of facts: date, 来源, 作者
    FOOTER = "footer"           # a website's furniture: share bars, links, copyright
    EDITOR = "editor"           # 责任编辑: the page's editors, never the story's authors
    TEASER_BOX = "teaser-box"   # 今日导读
    TEASER_REF = "teaser-ref"   # 详见第N版
    JUMP = "jump"               # (下转第N版)
    NOISE = "noise"             # stray Latin letters or digits
    PHOTO_NOTE = "photo-note"   # (图片由…提供)
    NAVIGATION = "navigation"   # a list of the page's titles printed again below
    # what websites and e-paper readers add (see webfurniture.py)
    BREADCRUMB = "breadcrumb"   # 当前位置:首页 > 新闻 > 正文
    SITE_NAV = "site-nav"       # a row of the site's section names
    SITE_NAME = "site-name"     # 开化新闻网 above or beside the headline
    CONTROLS = "controls"       # 分享至, 上一篇 下一篇, 返回顶部, 【大 中 小】
    COUNTER = "counter"         # 浏览数 761
    SUMMARY = "summary"         # 导读:… (a repeat of the lead)
    PROMOTION = "promotion"     # …尽在…APP, 扫码关注…
    COPYRIGHT = "copyright"     # 版权所有, Copyright ©, ICP备…
    RELATED = "related"         # 相关新闻 and the list of other articles under it
    DATE_FRAGMENT = "date-fragment"   # a bare 11月26日 with no year: states nothing
    SOURCE_TAG = "source-tag"   # [衢州日报] glued to a reposted headline
    IMAGE = "image"             # 46.jpg, [图片]: where a web copy had a photo
    LABEL = "label"             # a label printed one character a line (故/事)

_URL = re.compile(r"https?://|www\.|\.(?:com|cn|net|org|html?)\b", re.I)
_EDITOR = re.compile(r"^[(（\[【]?\s*(?:责任编辑|责编|编辑|美编|校对|版式|版式设计|组版|审读|值班编委|审稿|见习编辑|主编|编审|终审|二审|一审|本版编辑|设计)\s*[:：]")
# (责任编辑 张三), [编辑 李四]: a bracket stands in for the colon
_BRACKETED_EDITOR = re.compile(r"^[(（\[【]\s*(?:责任编辑|责编|编辑|网络编辑|审核|校对|终审)\s*[:：]?\s*[^()（）\[\]【】]{1,30}[)）\]】]$")
_EPAPER_LABEL = re.compile(r"^第?\s*(?P<page>[a-z]?\d{1,5})\s*版\s*(?:[:：]\s*(?P<section>\S.{0,15}))?$", re.I)
_PAGE_IN_LINE = re.compile(r"(?<!今日)(?<!今日\s)(?<!共)(?<!共\s)(?<![\d])第?\s*(?P<page>[a-z]?\d{1,5})\s*版(?:\s*[:：]\s*(?P<section>[^\s|｜丨/,，]{1,12}))?", re.I)
_TEASER_REF = re.compile(r"^[(（]?\s*(?:详见|请看|见)(?:今日|本报|本期)?\s*第?\s*[a-z]?[\d一二三四五六七八九十]{1,3}\s*版\s*[)）]?$", re.I)
_JUMP = re.compile(r"^[(（]?\s*(?:下转|上接|转|接)(?:第)?\s*[a-z]?[\d一二三四五六七八九十]{1,3}\s*版\s*[)）]?$", re.I)
_TEASER_BOX = re.compile(r"^(?:今日导读|要闻导读|本期导读|导读|今日看点|本期看点|内容提要)$")
_ATTRIBUTION = re.compile(r"^(?:本文转自|转自|来源|稿件来源|文章来源|信息来源|原文来源|来自)\s*[:：]\s*(?P<source>.+)$")
# Lines a website wraps around a copied story. The first kind is furniture
# wherever it stands; the second only as a short line of its own.
_WEB_NOTICE = re.compile(r"^(?:转载请注明|转载请|版权所有|版权声明|免责声明|copyright|©|原标题|原文标题|原文链接|本文链接)", re.I)
_WEB_FURNITURE = re.compile(
    r"^(?:分享到|扫一扫|点击|阅读原文|浏览(?:次数|量)?|阅读(?:次数|量)|发布时间|发布日期|发表时间|更新时间|上一篇|下一篇|"
    r"上一版|下一版|返回(?:目录|首页|顶部|列表)?|打印|关闭(?:窗口)?|字号|放大|缩小|默认|版面导航|标题导航|往期回顾|pdf|"
    r"编辑|审核|推荐阅读|相关阅读|相关新闻|热门推荐|查看原文)(?=$|\s|[:：|｜/>】\]])",
    re.I,
)
_MASTHEAD = re.compile(
    r"机关报|连续出版物号|国内统一刊号|cn\s*\d{2}\s*[-—]\s*\d{4}|邮发代号|总第\s*[\d,]+\s*期|"
    r"今日\s*[\d一二三四五六七八九十]+\s*版|农历|^(?:新闻)?热线|报料热线|广告热线|发行热线|出版$|"
    r"新闻传媒中心出版|报社出版|主管\s*[:：]|主办\s*[:：]|定价|零售价|印刷\s*[:：]",
    re.I,
)
# Only the front page carries these.
_FRONT_PAGE = re.compile(r"机关报|连续出版物号|国内统一刊号|cn\s*\d{2}\s*[-—]\s*\d{4}|邮发代号|总第\s*[\d,]+\s*期|今日\s*[\d一二三四五六七八九十]+\s*版|主办", re.I)
_WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]|礼拜[一二三四五六日天]")
# A website's line of facts under a copied headline: 2024-11-30 08:35 来源:浙江日报 作者:张三
_WEB_META_FIELD = re.compile(r"(?:来源|作者|编辑|责编|浏览|阅读|发布|时间|字号|点击)\s*[:：]")
_SOURCE_FIELD = re.compile(r"来源\s*[:：]\s*(?P<source>[^\s|｜丨]+)")
_PHOTO_NOTE = re.compile(r"^[(（][^()（）]{0,60}(?:提供|供图|图片|除署名外|资料图|摄影)[^()（）]{0,30}[)）]$")
_PAPER_LINE = re.compile(r"^[\u4e00-\u9fff]{2,8}(?:日报|晚报|报|周刊|商报|时报)$")
_PAPER_IN_TEXT = re.compile(r"《?(?P<paper>[\u4e00-\u9fff]{2,8}(?:日报|晚报|商报|时报|周报|报))》?")


def is_paper_name(folded: str) -> bool:
    if folded in known_papers():
        return True
    # 数字报, 电子报 name the reader, not a paper
    return bool(_PAPER_LINE.match(folded)) and web.epaper_masthead(folded) != ""


def canonical_paper(name: str | None) -> str | None:
    """The archive's one spelling of a paper: its papers.yaml name, else the
    folded (Simplified) form, so that 衢州日報 and 衢州日报 are one paper."""
    if not name:
        return None
    folded = fold(name.strip())
    known = known_papers().get(folded)
    return known.name if known else folded


# A date with no year, a time or a weekday on a line of its own: 11月26日,
# 01-08 10:30, 星期日. It states nothing the page can be dated by.
_DATE_FRAGMENT = re.compile(
    r"^(?=\S)(?:\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}[-/.]\d{1,2})?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*"
    r"(?:星期[一二三四五六日天]|周[一二三四五六日]|礼拜[一二三四五六日天])?$")


def furniture_kind(text: str, folded: str, at_top: bool) -> str | None:
    """The kind of page furniture `text` is, or None for content.

    `at_top` is true before the first story: a bare paper name or date line
    there is the masthead, while further down it could be a headline.
    """
    plain = folded.strip()
    if not plain:
        return None
    if _IMAGE.match(plain):
        return Furniture.IMAGE
    if _READERS_TODAY.match(plain) and dates.full_dates(plain):
        return Furniture.FOOTER  # the reader's today, not the page's date
    if _is_web_stamp(plain):
        return Furniture.WEB_META
    if not has_cjk(plain):
        if _URL.search(plain):
            return Furniture.FOOTER
        return Furniture.MASTHEAD if at_top and _LATIN_NAME.fullmatch(plain) else Furniture.NOISE
    if web.is_summary(plain):
        return Furniture.SUMMARY
    if holds_any(plain, SENTENCE_PUNCT) and len(plain) > 60:
        return None  # running text, however it starts
    if _EDITOR.match(plain) or _BRACKETED_EDITOR.match(plain):
        return Furniture.EDITOR
    if _TEASER_BOX.match(plain):
        return Furniture.TEASER_BOX
    if _TEASER_REF.match(plain):
        return Furniture.TEASER_REF
    if _JUMP.match(plain):
        return Furniture.JUMP
    if _EPAPER_LABEL.match(plain):
        return Furniture.PAGE_LABEL
    site = site_furniture_kind(text, plain)
    if site:
        return site
    if _ATTRIBUTION.match(plain) and not _WEB_META_FIELD.search(plain, _ATTRIBUTION.match(plain).start("source")):
        return Furniture.ATTRIBUTION
    if (len(plain) <= 120 and not holds_any(plain, SENTENCE_PUNCT) and _WEB_META_FIELD.search(plain)
            and (dates.full_dates(plain) or _SOURCE_FIELD.search(plain))):
        return Furniture.WEB_META
    if web.paper_field(plain) or web.is_field_line(plain):
        return Furniture.WEB_META
    if _URL.search(plain) or _WEB_NOTICE.match(plain):
        return Furniture.FOOTER
    if _WEB_FURNITURE.match(plain) and len(plain) <= 40 and not holds_any(plain, "。!！?？"):
        return Furniture.FOOTER
    if _PHOTO_NOTE.match(plain):
        return Furniture.PHOTO_NOTE
    if is_trailer(plain):
        return Furniture.TRAILER
    if len(plain) <= 80 and not holds_any(plain, SENTENCE_PUNCT):
        if _MASTHEAD.search(plain):
            return Furniture.MASTHEAD
        if dates.full_dates(plain) and (_WEEKDAY.search(plain) or len(plain) <= 24):
            return Furniture.MASTHEAD
        if at_top and is_paper_name(plain):
            return Furniture.MASTHEAD
    return None


_DIGIT = re.compile(r"\d")
_LATIN_NAME = re.compile(r"[a-z][a-z .&'-]{2,40}")
# A site's header greets the reader with today's date: 今天是2024年6月16日 星期日.
_READERS_TODAY = re.compile(r"^(?:今天是|今日是|今天|当前日期|当前时间|现在时间|现在是)\s*[:：]?\s*\d")


def _is_web_stamp(plain: str) -> bool:
    """A line that only stamps the page the way websites do: with a time of
    day (2024-06-16 18:32:45, 头条2018/3/16 19:32:07), after a label
    (发布时间:…, 日期:01-08), or as a bare numeric date (21.06.2017). A
    paper's own date line (2024年11月30日 星期六) is its masthead instead."""
    if len(plain) > 40 or not _DIGIT.search(plain):
        return False
    stamp = dates.read_stamp(plain)
    if stamp is None or not dates.is_stamp_line(plain, stamp):
        return False
    return stamp.clock or stamp.labelled or not has_cjk(plain)


# A photo's file name or placeholder left in a web copy.
_IMAGE = re.compile(r"^(?:\S{0,60}\.(?:jpe?g|png|gif|webp|bmp)|[\[【(（](?:图片|image|img|photo|pic)[\]】)）])$", re.I)
# [衢州日报] split off a reposted headline (see zones.py)
_SOURCE_TAG = re.compile(r"^[\[【(（](?P<paper>[^\]】)）]{2,12})[\]】)）]$")


def site_furniture_kind(text: str, plain: str) -> Furniture | None:
    """Lines a website or an e-paper reader adds around a story."""
    tag = _SOURCE_TAG.match(plain)
    if tag and is_paper_name(tag["paper"]):
        return Furniture.SOURCE_TAG
    if web.is_breadcrumb(plain):
        return Furniture.BREADCRUMB
    if web.is_nav_bar(text):
        return Furniture.SITE_NAV
    if web.is_site_controls(plain):
        return Furniture.CONTROLS
    if web.is_counter(plain):
        return Furniture.COUNTER
    if web.epaper_masthead(plain) is not None:
        return Furniture.MASTHEAD
    if _DATE_FRAGMENT.match(plain):
        return Furniture.DATE_FRAGMENT
    if web.is_related_header(plain):
        return Furniture.RELATED
    if web.is_promotion(plain):
        return Furniture.PROMOTION
    if web.is_copyright(plain):
        return Furniture.COPYRIGHT
    return None


def is_trailer(plain: str) -> bool:
    """An e-paper trailer: paper, page, section, title, date, weekday on one line."""
    if len(plain) > 160 or "。" in plain:
        return False
    has_date = bool(dates.full_dates(plain))
    has_paper = any(is_paper_name(m["paper"]) for m in _PAPER_IN_TEXT.finditer(plain))
    has_page = "版" in plain and bool(_PAGE_IN_LINE.search(plain))
    has_weekday = bool(_WEEKDAY.search(plain))
    if has_date and (has_page or has_weekday) and (_TRAILER_SHAPE.match(plain) or _BRACKET_TRAILER.match(plain)):
        return True  # the shape names the paper, even one the archive does not know
    return has_date and has_paper and (has_page or has_weekday)


# Where an e-paper trailer names its paper: 今日开化 综合新闻 00002 <title> <date>
# 星期四, or 《今日开化》(2022年9月22日 第2版).
_TRAILER_SHAPE = re.compile(r"^(?P<paper>[\u4e00-\u9fff]{2,10})\s+[\u4e00-\u9fff]{2,10}\s+(?:第\s*)?[a-z]?\d{1,5}\s*版?\s", re.I)
_BRACKET_TRAILER = re.compile(r"^《(?P<paper>[^》]{2,12})》\s*[(（][^)）]*[)）]$")


def _paper_named(plain: str, original: str, trailer: bool) -> str | None:
    """The paper a masthead or trailer names: one that looks like a paper's
    name, else (trailers only) the one in the trailer's place for it."""
    for m in _PAPER_IN_TEXT.finditer(plain):
        if is_paper_name(m["paper"]):
            return original.strip()[m.start("paper"):m.end("paper")]
    m = trailer and (_TRAILER_SHAPE.match(plain) or _BRACKET_TRAILER.match(plain))
    return original.strip()[m.start("paper"):m.end("paper")] if m else None


@dataclass
class PageFacts:
    paper: str | None = None
    date: str | None = None
    page: int | None = None
    section: str | None = None
    front_page: bool = False
    stamp: dates.Stamp | None = None    # how the line states its date (see dates.page_date)


def page_facts(kind: str, folded: str, original: str) -> PageFacts:
    """What a furniture line says about its page."""
    facts = PageFacts()
    plain = folded.strip()
    if kind == Furniture.MASTHEAD and _FRONT_PAGE.search(plain):
        facts.front_page = True
    if kind in (Furniture.MASTHEAD, Furniture.TRAILER):
        stamp = dates.read_stamp(plain)
        if stamp is not None and stamp.iso:
            facts.stamp = stamp
        facts.paper = _paper_named(plain, original, trailer=kind == Furniture.TRAILER)
        if kind == Furniture.MASTHEAD and is_paper_name(plain):
            facts.paper = original.strip()
        epaper = web.epaper_masthead(plain) if kind == Furniture.MASTHEAD else None
        if epaper is not None:
            # 今日开化 数字报纸: the reader's masthead names the paper, known or not
            facts.paper = _original_of(epaper, plain, original) if epaper else None
    if kind == Furniture.SOURCE_TAG:
        inner = plain.strip("[]【】()（）《》 ")
        facts.paper = _original_of(inner, plain, original)
    if kind in (Furniture.PAGE_LABEL, Furniture.TRAILER, Furniture.MASTHEAD):
        m = (_EPAPER_LABEL.match(plain) if kind == Furniture.PAGE_LABEL else None) or _PAGE_IN_LINE.search(plain)
        if m:
            digits = re.sub(r"\D", "", m["page"])
            facts.page = int(digits) if digits else None
            if m["section"]:
                start = m.start("section")
                facts.section = original.strip()[start:start + len(m["section"])].strip()
    if kind == Furniture.ATTRIBUTION:
        m = _ATTRIBUTION.match(plain)
        source = m["source"]
        p = _PAPER_IN_TEXT.search(source)
        if p and is_paper_name(p["paper"]):
            offset = m.start("source") + p.start("paper")
            facts.paper = original.strip()[offset:offset + len(p["paper"])]
    if kind == Furniture.FOOTER and dates.date_labels().match(plain):
        facts.stamp = dates.read_stamp(plain)
    if kind == Furniture.WEB_META:
        facts.stamp = dates.read_stamp(plain)
        named = web.paper_field(plain)
        if named:
            facts.paper = _original_of(named, plain, original)
        m = _SOURCE_FIELD.search(plain)
        if m and not named:
            p = _PAPER_IN_TEXT.search(m["source"])
            if p and is_paper_name(p["paper"]):
                offset = m.start("source") + p.start("paper")
                facts.paper = original.strip()[offset:offset + len(p["paper"])]
    if facts.stamp is not None:
        facts.date = facts.stamp.iso
    return facts


def _original_of(part: str, plain: str, original: str) -> str:
    """The page's own characters for a part found in the folded line."""
    at = plain.find(part)
    return original.strip()[at:at + len(part)] if at >= 0 else part
