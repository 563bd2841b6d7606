"""Bylines, signatures and photo credits -> names.

All functions take the original text and return plain data; matching is
done on the folded form so that 本報訊(記者 …) reads like 本报讯(记者 …),
while the names returned keep the page's own characters.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from ..textnorm import fold

# Words that name a role, not a person. A token ending in one of these is a
# role even with an organisation before it (衢报传媒集团记者).
ROLE_ENDINGS = ("记者", "通讯员", "报道组", "实习生", "撰稿", "整理", "摄影", "供稿", "特约", "评论员")
ROLE_WORDS = {"文", "图", "文图", "图文", "本报", "摄", "报道", "采写"}
# Titles that end the affiliation part of a signature (单位 职务 姓名).
TITLE_ENDINGS = (
    "书记", "局长", "镇长", "乡长", "县长", "市长", "区长", "省长", "主任", "董事长", "总经理",
    "经理", "院士", "教授", "博导", "代表", "主席", "部长", "处长", "科长", "校长", "院长",
    "站长", "所长", "厂长", "社长", "会长", "理事长", "总裁", "负责人", "委员", "党员", "村民",
    "老师", "医生", "律师", "研究员", "工程师", "总监", "创始人", "局员", "队长", "组长",
    "支书", "行长", "主委", "秘书长", "馆长", "团长", "专家", "企业家", "书记员",
)
# Common words that begin with a surname character; never a person's name.
NOT_NAMES = {
    "后记", "周末", "高端", "张力", "高质量", "金融", "金牌", "万元", "方向", "方案", "方面",
    "高速", "高新", "毛利", "程序", "许可", "江山", "常山", "开化", "龙游", "柯城", "衢江",
    "衢州", "华夏", "文化", "文明", "新春", "新年", "明天", "明日", "全面", "全市", "全县",
    "时代", "时间", "何时", "于是", "向前", "向上", "安全", "安吉", "平安", "和谐", "和美",
    "林业", "林下", "田园", "石头", "马上", "黄金", "红色", "金秋", "秦岭", "齐心", "胡柚",
    "龙年", "龙顶", "古城", "大美", "大爱", "钱江", "钱塘", "潘多拉", "余额", "余家",
}

_BULLETS = "■□●◎▲△◆◇★☆▶►•"


@functools.lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("quzhou_archive.data").joinpath("surnames.txt").read_text(encoding="utf-8")
    names = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return frozenset(n for n in names if len(n) == 1), frozenset(n for n in names if len(n) == 2)


def _all_cjk(token: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in token)


def is_name(token: str) -> bool:
    """A personal name: 2-3 Chinese characters after a known surname (4 with a double surname)."""
    folded = fold(token)
    if not _all_cjk(folded) or folded in NOT_NAMES:
        return False
    single, double = surnames()
    if len(folded) in (2, 3) and folded[0] in single:
        return True
    return len(folded) in (3, 4) and folded[:2] in double


def is_role(token: str) -> bool:
    folded = fold(token).rstrip(":：")
    return bool(folded) and (folded in ROLE_WORDS or folded.endswith(ROLE_ENDINGS))


def _strip_role_prefix(token: str) -> str | None:
    """记者徐颖之 -> 徐颖之 (a role glued to a name)."""
    folded = fold(token)
    for end in ROLE_ENDINGS + ("文", "图"):
        at = folded.find(end)
        if at >= 0:
            rest = token[at + len(end):].lstrip(":：")
            if rest and is_name(rest):
                return rest
    return None


@dataclass
class Token:
    text: str
    start: int
    end: int
    kind: str               # "role", "name" or "other"
    name: str | None = None


_TOKEN = re.compile(r"[^\s、,，;；/|·(（)）]+")


def credit_tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Split a credit into roles, names and other words.

    Two-character names are often printed with a space for alignment
    (记者 张 磊): a lone surname followed by one or two characters is one name.
    """
    raw = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]
    tokens: list[Token] = []
    i = 0
    while i < len(raw):
        word, s0, e0 = raw[i]
        word = word.lstrip(_BULLETS)
        if not word:
            i += 1
            continue
        if i + 1 < len(raw) and len(word) == 1 and 1 <= len(raw[i + 1][0]) <= 2 and is_name(word + raw[i + 1][0]) \
                and not is_role(raw[i + 1][0]):
            tokens.append(Token(text[s0:raw[i + 1][2]], s0, raw[i + 1][2], "name", word + raw[i + 1][0]))
            i += 2
            continue
        if is_role(word):
            tokens.append(Token(word, s0, e0, "role"))
        elif is_name(word):
            tokens.append(Token(word, s0, e0, "name", word))
        elif (glued := _strip_role_prefix(word)) is not None:
            tokens.append(Token(word, s0, e0, "name", glued))
        else:
            tokens.append(Token(word, s0, e0, "other"))
        i += 1
    return tokens


def names_in_credit(text: str, *, need_role: bool) -> list[str] | None:
    """Names in a credit such as `记者 童子遇 李欣宁 见习记者 张墨`.

    Returns None if any part is neither a role nor a name, or when
    `need_role` is set and no role word appears (a bare line of names is
    only a byline where the layout says so).
    """
    text = text.strip().strip(_BULLETS)
    if len(text) > 60 or any(p in text for p in "。;；!！?？"):
        return None  # running text, not a credit line
    tokens = credit_tokens(text)
    if not tokens or len(tokens) > 12 or any(t.kind == "other" for t in tokens):
        return None
    names = [t.name for t in tokens if t.kind == "name"]
    has_role = any(t.kind == "role" for t in tokens) or any(t.name != t.text for t in tokens if t.kind == "name")
    if not names or (need_role and not has_role):
        return None
    return names


@dataclass
class Lead:
    """A first paragraph that opens with its byline: 本报讯(记者 徐颖之)11月26日…"""

    byline: str
    authors: list[str]
    rest: str


_LEAD = re.compile(
    r"^[" + _BULLETS + r"\s]*"
    r"(?P<tag>本报讯|本报[^\s(（]{1,14}(?:讯|电)|[^\s(（]{2,12}(?:社|台|网|报)[^\s(（]{0,14}电|[^\s(（]{2,10}讯(?=\s*[(（【\[]))"
    r"\s*(?:[(（【\[](?P<credit>[^)）】\]]{0,80})[)）】\]])?"
)
_REPORTER_LEAD = re.compile(r"^(?P<tag>(?:本报|本台)?(?:记者|通讯员))\s+")


def parse_lead(text: str) -> Lead | None:
    folded = fold(text)
    m = _LEAD.match(folded)
    if m:
        if m.group("credit") is not None:
            credit = text[m.start("credit"):m.end("credit")]
            authors = names_in_credit(credit, need_role=False)
            if authors is None:
                return None
            return Lead(text[:m.end()].strip(), authors, text[m.end():].strip())
        # 本报讯 记者 徐颖之 通讯员 张三 11月26日…: names run until the first other token
        byline_end, authors = _walk_credit_tokens(text, m.end())
        return Lead(text[:byline_end].strip(), authors, text[byline_end:].strip())
    m = _REPORTER_LEAD.match(folded)
    if m:
        byline_end, authors = _walk_credit_tokens(text, 0)
        rest = text[byline_end:].strip()
        if authors and len(rest) > 20:
            return Lead(text[:byline_end].strip(), authors, rest)
    return None


def _walk_credit_tokens(text: str, start: int) -> tuple[int, list[str]]:
    """Consume role/name tokens from `start`; return where they end and the names.

    A name must be followed by a space: in 本报讯 记者 徐颖之 11月… the body
    starts right after the last name.
    """
    pos, authors = start, []
    for token in credit_tokens(text, start):
        if token.kind == "other" or (token.kind == "name" and not text[token.end:token.end + 1].isspace()):
            break
        if token.kind == "name":
            authors.append(token.name)
        pos = token.end
    return pos, authors


@dataclass
class PhotoCredit:
    caption: str            # text before the credit ("" when the line is only a credit)
    credit: str             # the credit as printed: "记者 刘芸 摄"
    photographers: list[str] = field(default_factory=list)


_CREDIT_END = re.compile(r"[(（]?\s*(?:/\s*)?(?:摄影?|供图)\s*[)）]?\s*$")


def parse_photo_credit(text: str) -> PhotoCredit | None:
    """`… 记者 刘芸 摄`, `许军 摄`, `(记者 X 通讯员 Y 摄)` -> caption + photographers."""
    folded = fold(text)
    end = _CREDIT_END.search(folded)
    if not end or end.start() == 0:
        return None
    names, first = [], None
    # tokens are split at spaces and brackets, so a name glued to the caption
    # (…游客许军 摄) is never taken for a credit
    for token in reversed(credit_tokens(text, 0, end.start())):
        if token.kind == "other":
            break
        if token.kind == "name":
            names.insert(0, token.name)
        first = token.start
        if text[token.start - 1:token.start] in ("(", "（"):
            break  # the bracket opens the credit
    if not names or first is None:
        return None
    cut = first
    while cut > 0 and text[cut - 1] in " \t(（":
        cut -= 1
    return PhotoCredit(text[:cut].strip(), text[cut:].strip(), names)


@dataclass
class Signature:
    """单位 职务 姓名, the signature over a speech or a signed piece."""

    affiliation: str
    name: str


def parse_signature(text: str) -> Signature | None:
    text = text.strip()
    m = re.match(r"^(?P<aff>.{2,70}?)\s+(?P<name>\S{2,4})$", text)
    if not m or not is_name(m.group("name")):
        return None
    aff = fold(m.group("aff")).rstrip()
    if any(p in aff for p in "。;；!！?？"):
        return None
    if not aff.endswith(TITLE_ENDINGS):
        return None
    return Signature(m.group("aff").strip(), m.group("name"))
