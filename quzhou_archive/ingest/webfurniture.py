"""What websites and e-paper readers print around a story.

A copied web page or an e-paper reader's page carries the site's own lines:
breadcrumbs, navigation bars, buttons (分享到, 上一篇, 返回顶部), counters,
a line of fields (发布时间:…, 来源:…, 浏览:…), app promotions, copyright,
lists of other articles. Each test here looks at the *shape* of a line —
its parts, their length, the separators between them, the words they are
made of — against vocabularies kept in `data/furniture.yaml`, so that a new
site's furniture is caught by the same tests, and an archivist can teach
the archive a new word without touching the code.

Every function takes the folded text (see `textnorm.fold`) unless it says
otherwise.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from quzhou_archive.ingest import credits
from quzhou_archive.data import read_yaml
from quzhou_archive.textnorm import cjk_count, holds_any, squash

SENTENCE_END = "。;；!！?？"
_NUMBER = re.compile(r"^[\d.,]+[万千百wk+]*$")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Vocabulary:
    site_controls: frozenset[str]
    field_labels: re.Pattern        # ^label: at the start of a line
    paper_labels: re.Pattern
    summary_labels: re.Pattern
    counter_words: frozenset[str]
    breadcrumb_openers: re.Pattern
    breadcrumb_separator: re.Pattern
    breadcrumb_homes: frozenset[str]
    related_headers: frozenset[str]
    link_marks: tuple[str, ...]
    epaper_words: re.Pattern
    site_name_ending: re.Pattern
    promotion: re.Pattern
    copyright: re.Pattern


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = read_yaml("furniture.yaml")

    def words(key):
        return [str(w).lower() for w in data.get(key) or []]

    def label(key):
        return re.compile(rf"^(?:{_alternation(words(key))})\s*[:：]")

    patterns = data.get("patterns") or {}
    return Vocabulary(
        site_controls=frozenset(squash(w) for w in words("site_controls")),
        field_labels=label("field_labels"),
        paper_labels=re.compile(rf"^(?:{_alternation(words('paper_labels'))})\s*[:：]\s*(?P<paper>\S+)"),
        summary_labels=label("summary_labels"),
        counter_words=frozenset(words("counter_words")),
        breadcrumb_openers=re.compile(rf"^(?:{_alternation(words('breadcrumb_openers'))})\s*是?\s*[:：]"),
        breadcrumb_separator=re.compile(rf"\s*(?:{_alternation(words('breadcrumb_separators'))})\s*"),
        breadcrumb_homes=frozenset(squash(w) for w in words("breadcrumb_homes")),
        related_headers=frozenset(words("related_headers")),
        link_marks=tuple(words("link_marks")),
        epaper_words=re.compile(_alternation(words("epaper_words"))),
        site_name_ending=re.compile(rf"(?:{_alternation(words('site_name_endings'))})$"),
        promotion=re.compile("|".join(f"(?:{p})" for p in patterns.get("promotion") or [])),
        copyright=re.compile("|".join(f"(?:{p})" for p in patterns.get("copyright") or [])),
    )


# -- single lines -----------------------------------------------------------

_CONTROL_SPLIT = re.compile(r"[\s|｜丨/·•:：\[\]【】()（）<>《》«»,，、_↑↓←→-]+")


@functools.lru_cache(maxsize=64)
def _tokens(plain: str) -> tuple[str, ...]:
    return tuple(t for t in _CONTROL_SPLIT.split(plain) if t)


def is_site_controls(plain: str) -> bool:
    """A line made only of a site's buttons: 分享至, 【大 中 小】, 上一篇 下一篇."""
    if len(plain) > 60:
        return False
    tokens = _tokens(plain)
    controls = vocabulary().site_controls
    return bool(tokens) and all(t in controls for t in tokens)


def is_counter(plain: str) -> bool:
    """A line of counts: 回答数 1 浏览数 761, 阅读 1.2万, 评论(3)."""
    if len(plain) > 40 or not any(map(str.isdigit, plain)):
        return False
    tokens = _tokens(plain)
    words = vocabulary().counter_words
    # 浏览761 glues the word to its number
    glued = [t for t in tokens if _glued_count(t, words)]
    numbers = [t for t in tokens if _NUMBER.match(t)]
    if not (glued or numbers and any(t in words for t in tokens)):
        return False
    return all(t in words or _NUMBER.match(t) or t in glued for t in tokens)


_GLUED_NUMBER = re.compile(r"^(\D+?)([\d.]+[万千w]?)(\D*)$")


def _glued_count(token: str, words: frozenset[str]) -> bool:
    m = _GLUED_NUMBER.match(token)
    return bool(m) and m[1] in words and (not m[3] or m[3] in words)


def is_field_line(plain: str) -> bool:
    """A site's line of facts that opens with a field name: 日期:01-08, 字号:,
    版面:03版:要闻, 标签:…; short, and no running text."""
    return (len(plain) <= 120 and bool(vocabulary().field_labels.match(plain))
            and not holds_any(plain, "。；;！？?"))


def is_summary(plain: str) -> bool:
    """导读:… — a site's repeat of the lead."""
    return bool(vocabulary().summary_labels.match(plain))


_BREADCRUMB_CHARS = re.compile(r"[>»›＞→》/]")


def is_breadcrumb(plain: str) -> bool:
    """当前位置:首页 > 新闻, 网易首页 > 网易号 > 正文, 首页>区域经济."""
    if len(plain) > 160 or holds_any(plain, "。；;！？?"):
        return False
    vocab = vocabulary()
    if vocab.breadcrumb_openers.match(plain):
        return True
    if not _BREADCRUMB_CHARS.search(plain):
        return False
    parts = [p for p in vocab.breadcrumb_separator.split(plain) if p.strip()]
    if len(parts) < 2:
        parts = [p for p in plain.split("/") if p.strip()]   # 首页/新闻中心/县域经济: only after a home
        if len(parts) < 2 or not _is_home(parts[0], vocab):
            return False
    if any(len(squash(p)) > 40 for p in parts[:-1]):
        return False
    return len(parts) >= 3 or _is_home(parts[0], vocab)


def _is_home(part: str, vocab: Vocabulary) -> bool:
    first = squash(part)
    return first in vocab.breadcrumb_homes or first.endswith("首页")


_NAV_SEPARATOR = re.compile(r"\s{2,}|\t|[|｜丨·•]")
_NAV_CHARS = re.compile(r"[|｜丨·•\t\u3000]")
_PIPES = re.compile(r"[|｜丨·•]")


def is_nav_bar(text: str) -> bool:
    """A site's row of section names: 首 页   时政要闻   图片新闻 …, or
    总站·浙江在线 | 浙江新闻 | 图片. Original text: the width of the gaps counts."""
    if len(text) > 200 or text.count(" ") < 3 and not _NAV_CHARS.search(text) or holds_any(text, "。，,；;！？?“”"):
        return False
    pieces = _NAV_SEPARATOR.split(text.strip())
    items = [squash(p) for p in pieces if squash(p)]
    if len(items) < 4:
        # 首页 新闻 政务 经济 文化 旅游: a bar with single spaces needs more, shorter items
        items = text.split()
        return (len(items) >= 6 and all(len(i) <= 4 for i in items) and sum(map(len, items)) / len(items) <= 3.5
                and not any(credits.is_name(i) or credits.is_role(i) for i in items))   # 记者 张三 李四 …
    if any(len(i) > 12 for i in items):
        return False
    piped = bool(_PIPES.search(text))
    return (piped or len(items) >= 5) and sum(len(i) for i in items) / len(items) <= 7


def is_related_header(plain: str) -> bool:
    """相关新闻, 最近更新, 【推荐阅读】 on a line of its own."""
    core = plain.strip(" :：[]【】<>《》()（）|-—·•")
    return core in vocabulary().related_headers


def ends_with_link_mark(plain: str) -> bool:
    """…[详细], 标题>> — a link to another article."""
    return plain.rstrip().endswith(vocabulary().link_marks)


def is_promotion(plain: str) -> bool:
    """更多精彩,尽在…APP; 扫码下载…客户端; 关注…公众号."""
    vocab = vocabulary()
    return len(plain) <= 80 and bool(vocab.promotion.pattern) and bool(vocab.promotion.search(plain))


def is_copyright(plain: str) -> bool:
    vocab = vocabulary()
    return len(plain) <= 200 and bool(vocab.copyright.pattern) and bool(vocab.copyright.search(plain))


def epaper_masthead(plain: str) -> str | None:
    """衢州日报 数字报纸, 电子报阅读机, 今日开化数字报: the e-paper reader's
    masthead. Returns the paper it names ("" when it names none), or None
    when the line is not such a masthead."""
    if len(plain) > 40 or holds_any(plain, SENTENCE_END + ",，"):
        return None
    m = vocabulary().epaper_words.search(plain)
    if not m:
        return None
    before = _CJK_RUN.findall(plain[:m.start()])
    return before[-1] if before and 2 <= len(before[-1]) <= 10 else ""


def paper_field(plain: str) -> str | None:
    """当前报纸名称:衢州日报 -> 衢州日报."""
    m = vocabulary().paper_labels.match(plain)
    return m["paper"] if m else None


def looks_like_site_name(plain: str) -> bool:
    """开化新闻网, 浙江在线, 掌上衢州客户端: short, unpunctuated, ending the way
    a site's name ends. Only the page around it says whether it is one."""
    core = squash(plain)
    return (2 <= len(core) <= 14 and cjk_count(core) >= 2 and not holds_any(core, SENTENCE_END + ",，、:：“”")
            and bool(vocabulary().site_name_ending.search(core)))


BULLET_ITEM = re.compile(r"^(?:[-–—·•●○◇◆▪▫■□>»]|\d{1,2}[.、)）])\s*\S")
_TRAILING_DATE = re.compile(r"(?:\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}\s*(?:\d{1,2}:\d{2})?\s*$|\d{1,2}月\d{1,2}日$")


def is_list_item(plain: str) -> bool:
    """One entry of a list of other articles: a short title, bulleted or not,
    perhaps with its date or a link mark, and never a finished sentence."""
    if ends_with_link_mark(plain):
        return True
    text = plain.rstrip()
    if len(squash(text)) > 60 or not text or text[-1] in "。;；,，、":
        return False
    return bool(BULLET_ITEM.match(text) or _TRAILING_DATE.search(text)) or not holds_any(text, SENTENCE_END)
