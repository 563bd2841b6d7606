"""Bylines, signatures and photo credits -> names.

All functions take the original text and return plain data; matching is
done on the folded form so that 本報訊(記者 …) reads like 本报讯(记者 …),
while the names returned keep the page's own characters. A credit tells
writers from photographers (记者 吴红梅文/摄 报道组 郑晨: 吴红梅 is both);
the words of credits (roles, newsroom units, editors' labels) are kept in
data/bylines.yaml.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from quzhou_archive.data import read_yaml
from quzhou_archive.textnorm import fold, holds_any

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


@dataclass(frozen=True)
class Vocabulary:
    """data/bylines.yaml: the words of bylines and credits."""

    role_endings: tuple[str, ...]
    role_words: frozenset[str]
    photo_roles: frozenset[str]
    trailing_roles: frozenset[str]
    unit_endings: tuple[str, ...]
    unit_patterns: tuple[re.Pattern, ...]
    editor_labels: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = read_yaml("bylines.yaml")
    return Vocabulary(
        role_endings=tuple(data["role_endings"]),
        role_words=frozenset(data["role_words"]),
        photo_roles=frozenset(data["photo_roles"]),
        trailing_roles=frozenset(data["trailing_roles"]),
        unit_endings=tuple(data["unit_endings"]),
        unit_patterns=tuple(re.compile(p) for p in data["unit_patterns"]),
        editor_labels=tuple(sorted(data["editor_labels"], key=len, reverse=True)),
    )


@functools.lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("quzhou_archive.data").joinpath("surnames.txt").read_text(encoding="utf-8")
    names = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return frozenset(n for n in names if len(n) == 1), frozenset(n for n in names if len(n) == 2)


def _all_cjk(token: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in token)


@functools.lru_cache(maxsize=8192)
def is_name(token: str) -> bool:
    """A personal name: 2-3 Chinese characters after a known surname (4 with a double surname)."""
    folded = fold(token)
    if not _all_cjk(folded) or folded in NOT_NAMES:
        return False
    single, double = surnames()
    if len(folded) in (2, 3) and folded[0] in single:
        return True
    return len(folded) in (3, 4) and folded[:2] in double


@functools.lru_cache(maxsize=8192)
def is_role(token: str) -> bool:
    """记者, 见习记者, 衢报传媒集团记者, 文, 摄 … and newsroom units (县委报道组, 共享联盟常山站)."""
    folded = fold(token).rstrip(":：")
    if not folded:
        return False
    vocab = vocabulary()
    return (folded in vocab.role_words or folded.endswith(vocab.role_endings) or folded.endswith(vocab.unit_endings)
            or any(p.search(folded) for p in vocab.unit_patterns))


def is_editor_label(token: str) -> bool:
    """编辑, 责编, 责任编辑 …: the page's editors, never a story's authors."""
    return fold(token).rstrip(":：").endswith(vocabulary().editor_labels)


def _strip_role_prefix(token: str) -> str | None:
    """记者徐颖之 -> 徐颖之 (a role glued to a name)."""
    folded = fold(token)
    for end in vocabulary().role_endings + ("文", "图"):
        at = folded.find(end)
        if at >= 0:
            rest = token[at + len(end):].lstrip(":：")
            if rest and is_name(rest):
                return rest
    return None


def _split_role_suffix(token: str) -> tuple[str, str] | None:
    """吴红梅文 -> (吴红梅, 文): a name with its role glued after it (记者 吴红梅文/摄)."""
    folded = fold(token)
    for size in (2, 1):
        if len(folded) > size + 1 and folded[-size:] in vocabulary().trailing_roles and is_name(token[:-size]):
            return token[:-size], token[-size:]
    return None


@dataclass
class Token:
    text: str
    start: int
    end: int
    kind: str               # "role", "name" or "other"
    name: str | None = None


_TOKEN = re.compile(r"[^\s、,，;；/|·(（)）:：。]+")


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
                and not is_role(word) and not is_role(raw[i + 1][0]) and text[e0:raw[i + 1][1]].isspace():
            tokens.append(Token(text[s0:raw[i + 1][2]], s0, raw[i + 1][2], "name", word + raw[i + 1][0]))
            i += 2
            continue
        if is_role(word):
            tokens.append(Token(word, s0, e0, "role"))
        elif is_name(word):
            tokens.append(Token(word, s0, e0, "name", word))
        elif (glued := _strip_role_prefix(word)) is not None:
            tokens.append(Token(word, s0, e0, "name", glued))
        elif (suffixed := _split_role_suffix(word)) is not None:
            name, role = suffixed
            tokens.append(Token(name, s0, s0 + len(name), "name", name))
            tokens.append(Token(role, s0 + len(name), e0, "role"))
        else:
            tokens.append(Token(word, s0, e0, "other"))
        i += 1
    return tokens


@dataclass
class Credit:
    """Who a byline credits: the writers and the photographers (a name may be both)."""

    authors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return self.authors + [n for n in self.photographers if n not in self.authors]

    def __bool__(self) -> bool:
        return bool(self.authors or self.photographers)


def _role_effect(role: str) -> tuple[bool, bool]:
    """(writes, photographs) for one role word: 记者 writes, 摄 photographs, 文图 does both."""
    folded = fold(role).rstrip(":：")
    both = folded in ("文图", "图文", "摄影报道")
    photographs = both or folded in vocabulary().photo_roles or folded.endswith(tuple(vocabulary().photo_roles - {"图"}))
    return (both or not photographs), photographs


def credit_of(tokens: list[Token]) -> Credit:
    """Give each name its role. A role before names (记者 张三, 摄影 李四, 文/图
    张三) credits the names after it; a short role right after names that no
    name follows (张三 摄, 记者 吴红梅文/摄 报道组 郑晨) credits those names."""
    roles: dict[str, tuple[bool, bool]] = {}
    leading = (True, False)          # (writes, photographs) for the names that follow
    group: list[str] = []            # names since the last role
    trailing: tuple[bool, bool] | None = None
    for i, token in enumerate(tokens):
        if token.kind == "name":
            if trailing is not None:
                group, trailing = [], None
            group.append(token.name)
            roles[token.name] = leading
            continue
        effect = _role_effect(token.text)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        follows_names = bool(group) and (i > 0 and tokens[i - 1].kind == "name" or trailing is not None)
        if follows_names and fold(token.text) in vocabulary().trailing_roles and (nxt is None or nxt.kind != "name"):
            trailing = effect if trailing is None else (trailing[0] or effect[0], trailing[1] or effect[1])
            for name in group:
                roles[name] = trailing
            continue
        if i > 0 and tokens[i - 1].kind == "role" and trailing is None:
            leading = (leading[0] or effect[0], leading[1] or effect[1])   # 文/图: both roles at once
        else:
            leading = effect
        group, trailing = [], None
    credit = Credit()
    for name, (writes, photographs) in roles.items():
        if writes:
            credit.authors.append(name)
        if photographs:
            credit.photographers.append(name)
    return credit


def read_credit(text: str, *, need_role: bool) -> Credit | None:
    """The names a credit such as `记者 童子遇 李欣宁 见习记者 张墨` gives, by role.

    Returns None if any part is neither a role nor a name, or when
    `need_role` is set and no role word appears (a bare line of names is
    only a byline where the layout says so).
    """
    text = text.strip().strip(_BULLETS)
    if len(text) > 60 or holds_any(text, "。;；!！?？"):
        return None  # running text, not a credit line
    tokens = credit_tokens(text)
    if not tokens or len(tokens) > 12 or any(t.kind == "other" for t in tokens):
        return None
    if not any(t.kind == "name" for t in tokens):
        return None
    has_role = any(t.kind == "role" for t in tokens) or any(t.name != t.text for t in tokens if t.kind == "name")
    if need_role and not has_role:
        return None
    return credit_of(tokens)


def names_in_credit(text: str, *, need_role: bool) -> list[str] | None:
    """Every name a credit line gives, writers first; None if it is no credit."""
    credit = read_credit(text, need_role=need_role)
    return credit.names if credit else None


# A web page's line of facts names the story's writers after 作者:/记者:, or
# after the source with no label (来源: 掌上衢州 方利军 傅云燕).
_WRITER_FIELD = re.compile(r"(?:作者|记者|通讯员|文|撰稿|采写)\s*[:：]\s*")
_SOURCE_FIELD = re.compile(r"(?:来源|稿源|出处)\s*[:：]\s*\S+")
_ANY_FIELD = re.compile(r"[^\s:：]{1,6}\s*[:：]")


def web_meta_credit(text: str) -> Credit:
    """Writers named on a website's line of facts; never its editors (编辑:, 责编:)."""
    folded = fold(text)
    credit = Credit()
    for m in _WRITER_FIELD.finditer(folded):
        if m.start() > 0 and not folded[m.start() - 1].isspace() and folded[m.start() - 1] not in "|｜丨/":
            continue  # part of a longer label
        _add(credit, _field_credit(text, folded, m.end(), need_role=False))
    m = _SOURCE_FIELD.search(folded)
    if m:
        _add(credit, _field_credit(text, folded, m.end(), need_role=False))
    return credit


def _field_credit(text: str, folded: str, start: int, *, need_role: bool) -> Credit | None:
    """The credit from `start` up to the next field of the line (… 编辑:)."""
    nxt = _ANY_FIELD.search(folded, start)
    value = text[start:nxt.start() if nxt else len(text)]
    if not value.strip() or any(is_editor_label(t.text) for t in credit_tokens(value)):
        return None
    return read_credit(value, need_role=need_role)


def _add(credit: Credit, more: Credit | None) -> None:
    if not more:
        return
    credit.authors += [n for n in more.authors if n not in credit.authors]
    credit.photographers += [n for n in more.photographers if n not in credit.photographers]


# A bracketed credit: (通讯员 章佳恬 徐丽婷 记者 邱丹晨), and the web
# copy's note (原标题:… 通讯员:… 记者:…) that ends with one.
_ORIGINAL_TITLE = re.compile(r"^\s*(?:原标题|原题|原文标题)\s*[:：]")


OPEN_BRACKETS, CLOSE_BRACKETS = "(（【[", ")）】]"


def bracket_credit(inner: str) -> Credit | None:
    """The credit inside a bracket; a credit needs a role, or two names and nothing else."""
    folded = fold(inner)
    if _ORIGINAL_TITLE.match(folded):
        m = _first_role_field(inner)
        return read_credit(inner[m:], need_role=True) if m is not None else None
    credit = read_credit(inner, need_role=True)
    if credit is None:
        credit = read_credit(inner, need_role=False)
        if credit is None or len(credit.names) < 2:
            return None
    return credit


def _first_role_field(text: str) -> int | None:
    """Where the first role of a credit starts after an original title."""
    for token in credit_tokens(text):
        if token.kind == "role" and token.start > 0 and (text[token.start - 1].isspace() or text[token.start - 1] in "、,，"):
            return token.start
    return None


def trailing_credit(text: str) -> int | None:
    """Where a credit in brackets at the end of a paragraph starts:
    ……具有重大意义。(通讯员 章佳恬 徐丽婷 记者 邱丹晨)"""
    stripped = text.rstrip()
    if not stripped.endswith(tuple(CLOSE_BRACKETS)):
        return None
    open_at = max(stripped.rfind(b) for b in OPEN_BRACKETS)
    if open_at <= 0:
        return None
    before = fold(stripped[:open_at]).rstrip()
    if not before or before[-1] not in "。!！?？…”\"":
        return None  # the bracket belongs to the sentence
    if bracket_credit(stripped[open_at + 1:-1]) is None:
        return None
    return open_at


@dataclass
class Lead:
    """A first paragraph that opens with its byline: 本报讯(记者 徐颖之)11月26日…"""

    byline: str
    authors: list[str]
    rest: str
    photographers: list[str] = field(default_factory=list)


_LEAD = re.compile(
    r"^[" + _BULLETS + r"\s]*"
    r"(?P<tag>本报讯|本报[^\s(（]{1,14}(?:讯|电)|[^\s(（]{2,12}(?:社|台|网|报)[^\s(（]{0,14}电|[^\s(（]{2,10}讯(?=\s*[(（【\[])"
    r"|[^\s(（]{2,12}(?:网|报|台|社|频道|中心|在线)(?:[^\s(（]{0,8}日)?讯(?=\s))"
    r"\s*(?:[(（【\[](?P<credit>[^)）】\]]{0,80})[)）】\]])?"
)
_REPORTER_LEAD = re.compile(r"^(?P<tag>(?:本报|本台)?(?:记者|通讯员))\s+")
# A paragraph that opens with its credit in brackets and no 本报讯 before it:
# (共享联盟常山站 张三 李四 记者 王五)近日,……
_BRACKET_LEAD = re.compile(r"^[" + _BULLETS + r"\s]*[(（](?P<credit>[^()（）]{2,80})[)）]")


def parse_lead(text: str, folded: str | None = None) -> Lead | None:
    """`folded` is `fold(text)` when the caller has it already."""
    folded = fold(text) if folded is None else folded
    m = _LEAD.match(folded)
    if m:
        if m.group("credit") is not None:
            credit = read_credit(text[m.start("credit"):m.end("credit")], need_role=False)
            if credit is None:
                return None
            return Lead(text[:m.end()].strip(), credit.authors, text[m.end():].strip(), credit.photographers)
        # 本报讯 记者 徐颖之 通讯员 张三 11月26日…: names run until the first other token
        byline_end, authors = _walk_credit_tokens(text, m.end())
        return Lead(text[:byline_end].strip(), authors, text[byline_end:].strip())
    m = _BRACKET_LEAD.match(folded)
    if m:
        credit = bracket_credit(text[m.start("credit"):m.end("credit")])
        rest = text[m.end():].strip()
        if credit and len(rest) > 20:
            return Lead(text[:m.end()].strip(), credit.authors, rest, credit.photographers)
        return None
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


def parse_photo_credit(text: str, folded: str | None = None) -> PhotoCredit | None:
    """`… 记者 刘芸 摄`, `许军 摄`, `(记者 X 通讯员 Y 摄)` -> caption + photographers."""
    folded = fold(text) if folded is None else folded
    if "摄" not in folded and "供图" not in folded:
        return None   # (what _CREDIT_END looks for, found faster)
    end = _CREDIT_END.search(folded)
    if not end or end.start() == 0:
        return None
    names, first = [], None
    # tokens are split at spaces and brackets, so a name glued to the caption
    # (…游客许军 摄) is never taken for a credit
    for token in reversed(credit_tokens(text, 0, end.start())):
        if token.kind == "other":
            break
        if token.kind == "role" and _role_effect(token.text) == (True, False) and fold(token.text) in vocabulary().trailing_roles:
            return None  # 张三/文 李四/摄 credits a writer too: a byline, not a photo credit
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


_SIGNATURE = re.compile(r"^(?P<aff>.{2,70}?)\s+(?P<name>\S{2,4})$")


def parse_signature(text: str) -> Signature | None:
    text = text.strip()
    if not any(map(str.isspace, text[-5:-2])):
        return None   # the name, 2-4 characters at the end, follows a space
    m = _SIGNATURE.match(text)
    if not m or not is_name(m.group("name")):
        return None
    aff = fold(m.group("aff")).rstrip()
    if holds_any(aff, "。;；!！?？"):
        return None
    if not aff.endswith(TITLE_ENDINGS):
        return None
    return Signature(m.group("aff").strip(), m.group("name"))
