"""How one paragraph's figures are read (`figures.extract` walks the
paragraphs): one regex finds every number with a unit; only at those spots
is the text around read, for what the number measures (a growth or share
cue before it, a production cue, the firm or project noun of a count), the
indicator named before it, the place, the period and whether it is a plan.

Everything is read in the folded text (`textnorm.fold`: Simplified,
half-width, lower case), which has the length of the paragraph, so spans
found in it are quoted from the paragraph as written.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from quzhou_archive.analyse import numbers
from quzhou_archive.analyse.figures import Figure, FigureContext
from quzhou_archive.analyse.indicators import canonical, is_bare_name
from quzhou_archive.analyse.periods import PERIODS, ArticleDate, Mention
from quzhou_archive.analyse.places import county_of, place_at, place_matches
from quzhou_archive.analyse.scanning import DIGITS, Scanner
from quzhou_archive.textnorm import fold

_CJK = r"\u4e00-\u9fff"

# the lookahead of the characters a figure can start with lets the regex
# engine pass over the rest of the text three times faster
CANDIDATE = re.compile(
    r"(?=[\d零〇一二两三四五六七八九十百千万亿翻])(?:"
    r"(?P<fan>翻(?P<times>[一两二三])?番)"
    rf"|百分之(?P<pct>{numbers.CHINESE}|\d+(?:\.\d+)?)"
    rf"|(?P<num>{numbers.ARABIC}|{numbers.CHINESE})(?P<mid>余|多)?(?P<unit>{numbers.units_pattern()})"
    r"(?P<post>以上|以下|左右|余)?"
    r"|(?P<bare>(?:万亿|亿|千万|百万|万)(?:美元|元))(?P<bpost>以上|左右)?)"
)
CANDIDATES = Scanner(CANDIDATE, DIGITS + "零〇一二两三四五六七八九十百千万亿翻",
                     DIGITS + ",.零〇一二两三四五六七八九十百千万亿点余多番分美元" + re.escape(numbers.UNIT_STARTS))
SENTENCE = re.compile(r"[^。!?;\n]+(?:[。!?;\n]+[”’\"」』]*)?")

_QUALIFIER = re.compile(r"(?:将近|接近|超过|近|超|逾|约|大约|不到|不足|不少于|至少|最高)$")
_BARE_QUALIFIER = re.compile(r"(?:将近|接近|超过|近|超|逾|约|上|过)$")
_RANK_OR_RANGE = re.compile(rf"(?:第|\d[-~—至到]|[{numbers.CN_DIGIT}十][-~至到])$")
# (the patterns searched for in a clause or sentence have every alternative
# start with a character, not a class, so that the regex engine passes over
# the text to one of the first characters without trying the pattern)
_GROWTH_CUE = re.compile(r"(?:增长|增加|提高|提升|上升|下降|减少|降低|回落|下滑|下跌|上涨|增幅|增速|增长率|降幅|涨幅|"
                         r"增|降|涨)(?:了|为|达到|达|至|到)?$")
_SHARE_CUE = re.compile(r"(?:占[^,:;。]{0,24}|比重|占比|份额)(?:为|达到|达|超过|超|约|近|已达)?$")
_PRODUCTION_CUE = re.compile(r"年产|产能|产量|生产|年加工|加工能力|年处理|出货|销量|装机|发电量|出栏|年销售")
_FIRM_HEAD = re.compile(rf"^[{_CJK}“”\"a-z0-9+·]{{0,10}}?(?:企业|公司|企|厂|集团)")
_PROJECT_HEAD = re.compile(rf"^[{_CJK}“”\"a-z0-9+·]{{0,10}}?项目")
_HEAD_BEFORE = {"家": re.compile(r"(?:企业|公司|企|厂|集团)(?:有|达|共|为|共有|达到|超过|近|约|已达)?$"),
                "个": re.compile(r"项目(?:有|达|共|为|共有|达到|超过|近|约|已达)?$")}
_HEAD_BEFORE["项"] = _HEAD_BEFORE["个"]
_CLASS_LABEL = re.compile(rf"^(?:的)?[{_CJK}]{{0,6}}?(?:项目|企业|工程|产业)|^级")
_PREDICATE_END = re.compile(r"累计|实现|共计|合计")
_PER_UNIT = re.compile(r"每(?![年月天日季])|一(?:斤|公斤|亩|吨|天|人|个月|箱|盒|株|平方米)")
_PER_UNIT_AFTER = re.compile(r"(?:钱)?(?:/|每|一)(?:斤|公斤|亩|吨|天|人|月|个月|箱|盒|株|平方米|件|台)")
# an official's visit: 考察两家公司 counts the firms seen, not an economic fact
_VISIT = re.compile(r"考察|走访|拜访|调研|参观|来到|看望|慰问|前往|深入")
_LIST_GAP = re.compile(r"[、,]?(?:和|及|与|以及|、)?")
_TARGET = re.compile(r"计划|规划|力争|预计|预期|可达|可望|有望|目标|拟|建成后|投产后|达产|争取|确保|可实现|可新增|可带动|"
                     r"到20\d\d年|至20\d\d年|明年|下一步|今后|未来|我们将|公司将|企业将|项目将|"
                     r"将(?:持续|继续|进一步|全力|努力|加快)?(?:实现|完成|达到|超过|突破|新增|形成|带动|建成|加大|引进)")
_CUMULATIVE = re.compile(r"累计|目前|至今|迄今|现已|现有|当前")
_LEAD = re.compile(
    r"(?:(?:19|20)\d\d年度?(?:以来|底|末|初)?|今年(?:以来)?|去年|上年|全年|当年|第?[一二三四]季度|[上下]半年|前三季度|"
    r"\d{1,2}(?:[-至]\d{1,2})?月份?|其中|同时|此外|另外|并且|而且|以及|并|而|且|据统计|数据显示|统计显示|目前|当前|现已|"
    r"累计|共计|总计|合计|共|已|还|又|均|全部|实现|完成|获得|获|达到|取得|拥有|有|此次|本次|全区|全县|全市|全镇|我县|我市|"
    r"我区|该县|该市|该区|在|的|其|以|对|向|为|将|年内|当年|最高|最低|这些|这|该|此|"
    r"(?:增长|增加|提高|上升|下降|减少)[到至]|[增升降]至|从|[◆●■▲★·•\-—“”\"\s])+")
_TRAIL_WORD = (r"(?:从(?:19|20)\d\d年的?|分别|同比|环比|比上年|比去年同期|比去年|较上年度|较上年|较去年|实现|达到|达|完成|为|是|有|"
               r"突破|超过|超|共|计|累计|合计|总计|共计|已|增至|增加到|提高到|至|到|约|近|逾|最高|率先|首次|成功|就|可|将|能|预计|"
               r"力争|有望|在全[区县市省]|在全国|已经|均|又|再|等|了)")
_TRAIL = re.compile(rf"{_TRAIL_WORD}{_TRAIL_WORD}*$")     # (one or more: written so that it starts with a character)
_FIRM = re.compile(rf"[{_CJK}a-z0-9()·]{{2,20}}?(?:有限责任公司|股份有限公司|集团有限公司|有限公司|集团|股份|公司)")
_NOUN_AFTER = re.compile(rf"(?![和及与的])[{_CJK}“”\"a-z()·+]{{1,20}}?(?=项目|[\d,.:;、。!?]|和|及|与|$)")
_HEADS = ("人均可支配收入", "增加值", "产值", "营业收入", "收入", "投资", "总额", "利润", "产量", "销售额")


@dataclass
class Spot:
    """A number with its unit, as found."""
    start: int                  # where the number (or the qualifier of a bare unit) starts
    end: int
    value: float
    unit: str                   # folded
    kind: str                   # money, percent, output, count, doubling
    qualifier: str | None
    chinese: bool


@dataclass
class Draft:
    spot: Spot
    measure: str
    indicator: str
    quote_start: int
    quote_end: int
    items: list[str] | None = None      # the indicators of a 分别 list, one per value
    index: int = 0                      # this value's place in its list
    base: list["Draft"] | None = None   # the list a growth list follows (增长5.2%和7.1%)
    subject: str | None = None


# between an article's paragraphs when its text is scanned as one string:
# no pattern of the extractor matches it, and the lookarounds at the edge
# of a paragraph see in it what they see at the end of a string (an article
# whose text holds it is scanned a paragraph at a time)
SEPARATOR = "\x00"


def scan(paragraphs: list[str]) -> list[tuple[str, int, list[re.Match], list[re.Match]]]:
    """Each paragraph's folded text, where it starts in that text, and the
    matches of PERIOD and CANDIDATE in it (as their `Scanner`s give them).
    The article is folded and scanned as one string: one pass of each
    pattern over it instead of one per paragraph (a figure-rich article has
    dozens of short paragraphs).
    Time expressions are looked for only up to the last paragraph that may
    hold a figure: one after it names the period of none."""
    joined = SEPARATOR.join(paragraphs)
    if joined.count(SEPARATOR) != len(paragraphs) - 1:
        texts = list(map(fold, paragraphs))
        candidates = [list(CANDIDATES.finditer(text)) for text in texts]
        last = max((n for n, found in enumerate(candidates) if found), default=-1)
        return [(text, 0, list(PERIODS.finditer(text)) if n <= last else [], candidates[n])
                for n, text in enumerate(texts)]
    text = fold(joined)
    starts, at = [], 0
    for paragraph in paragraphs:
        starts.append(at)
        at += len(paragraph) + 1
    candidates = _by_paragraph(CANDIDATES.finditer(text), starts)
    last = max((n for n, found in enumerate(candidates) if found), default=-1)
    # (the paragraph's end is a separator or the text's end, which the lookarounds see alike)
    periods = _by_paragraph(PERIODS.finditer(text, 0, starts[last] + len(paragraphs[last])), starts) if last >= 0 \
        else [[] for _ in starts]
    return [(text, base, periods[n], candidates[n]) for n, base in enumerate(starts)]


def _by_paragraph(matches, starts: list[int]) -> list[list[re.Match]]:
    """Matches (in order) sorted into the paragraphs that start at `starts`."""
    found = [[] for _ in starts]
    last, n, following = len(starts) - 1, 0, starts[1] if len(starts) > 1 else None
    for m in matches:
        if following is not None and m.start() >= following:
            n = bisect.bisect_right(starts, m.start()) - 1
            following = starts[n + 1] if n < last else None
        found[n].append(m)
    return found


def read_paragraph(index: int, paragraph: str, text: str, candidates: list[re.Match], base: int,
                   times: list[Mention], anchor: Mention | None, context: FigureContext) -> list[Figure]:
    """The figures of one paragraph (`text`: folded), from CANDIDATE's
    matches, which are `base` further on than the paragraph's positions."""
    spots = [s for s in (_spot(m, text, base) for m in candidates) if s is not None]
    if not spots:
        return []
    sentences = [m.span() for m in SENTENCE.finditer(text)]
    starts = [s for s, _ in sentences]
    places = None          # the places the paragraph names, found when a figure first needs them
    times = _Times(times)
    year = ArticleDate.of(context.date).year
    figures, previous, sentence_of_previous = [], [], None
    for spot in spots:
        which = bisect.bisect_right(starts, spot.start) - 1
        s_start, s_end = sentences[which]
        if which != sentence_of_previous:
            previous, sentence_of_previous = [], which
        draft = _draft(text, spot, s_start, previous)
        if draft is None:
            continue
        previous.append(draft)
        if places is None:
            places = place_matches(text, _FIRM)
        figures.append(_figure(index, paragraph, text, draft, (s_start, s_end), times, anchor, places, context, year))
    return figures


class _Times(list):
    """A paragraph's time expressions (in order), with where each starts."""

    def __init__(self, times: list[Mention]):
        super().__init__(times)
        self.starts = [t.start for t in times]


def _spot(m: re.Match, text: str, base: int) -> Spot | None:
    start, end = m.start() - base, m.end(1) - base
    _, fan, times, pct, num, mid, unit, post, bare, _ = m.groups()     # the whole match, then CANDIDATE's groups
    if fan:
        times = {"两": 2, "二": 2, "三": 3}.get(times, 1)
        return Spot(start, end, 100.0 * (2 ** times - 1), "%", "doubling", None, True)
    before = text[max(0, start - 4):start]
    if bare:
        q = _BARE_QUALIFIER.search(before)
        if not q:
            return None      # 亿元企业, or a number the page lost
        return Spot(start, end, 1.0, bare, "money", q.group(0), True)
    if _RANK_OR_RANGE.search(before):
        return None
    if pct is not None:
        value, unit, raw = numbers.parse_number(pct), "%", pct
    else:
        value, raw = numbers.parse_number(num), num
    if value is None:
        return None
    chinese = not raw[0].isdigit()
    kind = numbers.unit_kind(unit)
    if chinese and kind in ("count", "output") and (value == 1 or raw in ("百", "千") and unit[0] not in "万亿"):
        return None          # 一家企业 is "a firm"; 百家, 千家万户 are idioms
    q = _QUALIFIER.search(before)
    qualifier = q.group(0) if q else (mid or post)
    return Spot(start, end, value, unit, kind, qualifier, chinese)


def _draft(text: str, spot: Spot, s_start: int, previous: list[Draft]) -> Draft | None:
    prev = previous[-1] if previous else None
    floor = max(s_start, prev.spot.end) if prev else s_start
    q_start = spot.start - len(spot.qualifier) if spot.qualifier and text.startswith(
        spot.qualifier, spot.start - len(spot.qualifier)) else spot.start
    # the clause: after the last comma, colon or 、 since `floor` (the sentence's
    # start, or the figure before); the wider clause only after a comma or colon
    # since the sentence's start (a comma before `floor` is no later than it)
    comma = max(text.rfind(",", s_start, q_start), text.rfind(":", s_start, q_start)) + 1
    c_start = max(floor, comma, text.rfind("、", floor, q_start) + 1)
    pre = text[c_start:q_start]
    after = text[spot.end:spot.end + 24]
    if _PER_UNIT.search(text, max(s_start, c_start - 12), spot.start) or _PER_UNIT_AFTER.match(after):
        return None          # 每亩, 一斤30元, 200元一天: a rate or price, not a total
    if prev and _LIST_GAP.fullmatch(text[prev.spot.end:spot.start]) and _compatible(prev, spot):
        return _continued(prev, spot)
    if spot.kind == "doubling":
        return _relative(text, spot, pre, c_start, previous, "growth")
    if spot.kind == "percent":
        if spot.unit in ("个百分点", "百分点") or _GROWTH_CUE.search(pre):
            return _relative(text, spot, pre, c_start, previous, "growth")
        if _SHARE_CUE.search(text, max(s_start, comma), q_start):
            return _share(text, spot, pre, c_start, previous)
        return None          # 完成率, 覆盖率, 自动化率: rates that are not economic figures
    if spot.kind == "money":
        return _amount(text, spot, pre, c_start, after, previous)
    if spot.kind == "output":
        return _output(text, spot, pre, text[max(s_start, comma):q_start], c_start, after)
    return _count(text, spot, pre, c_start, after)


def _compatible(prev: Draft, spot: Spot) -> bool:
    kind = {"growth": "percent", "share": "percent", "amount": "money", "output": "output", "count": "count"}
    return kind[prev.measure] == spot.kind or prev.measure == "growth" and spot.kind == "doubling"


def _continued(prev: Draft, spot: Spot) -> Draft:
    index = prev.index + 1
    if prev.items and index < len(prev.items):
        indicator = prev.items[index]
    elif prev.base and index < len(prev.base):
        indicator = prev.base[index].indicator
    else:
        indicator = prev.indicator
    return Draft(spot, prev.measure, indicator, spot.start, spot.end, prev.items, index, prev.base, prev.subject)


def _relative(text, spot, pre, c_start, previous, measure) -> Draft:
    """A change rate: its indicator is named before the cue, or is that of
    the figure it follows (规上工业产值110.2亿元,同比增长4.16%)."""
    cue = _GROWTH_CUE.search(pre)
    core_text = pre[:cue.start()] if cue else pre
    core, subject, offset = _core(core_text)
    quote_start = c_start + offset if core else c_start + (cue.start() if cue else len(pre))
    if core:
        items = _items(core) if "分别" in core_text else None
        return Draft(spot, measure, items[0] if items else core, quote_start, spot.end, items, subject=subject)
    base = _last_run(previous)
    if base:
        return Draft(spot, measure, base[0].indicator, quote_start, spot.end, base=base, subject=base[0].subject)
    noun = _NOUN_AFTER.match(text, spot.end)     # 提升30%生产效率
    return Draft(spot, measure, noun.group(0) if noun else "增长", quote_start, spot.end)


def _last_run(previous: list[Draft]) -> list[Draft]:
    """The last list of values (one value is a list of one) that is not itself a change rate."""
    run = []
    for draft in reversed(previous):
        if draft.measure == "growth":
            if run:
                break
            continue
        run.append(draft)
        if draft.index == 0:
            break
    return run[::-1]


def _share(text, spot, pre, c_start, previous) -> Draft:
    core, subject, offset = _core(pre)
    indicator = core or "占比"
    if indicator.startswith("占") and previous:
        whose = previous[-1].indicator
        indicator = whose.partition("占")[0] + indicator if previous[-1].measure == "share" else whose + indicator
    return Draft(spot, "share", indicator, c_start + offset, spot.end, subject=subject)


def _named_before(core: str, previous: list[Draft]) -> str:
    """营收 after 规模以上服务业营业收入同比增长13.3%: the short name stands for
    the full one the sentence has just used."""
    short = canonical(core) if is_bare_name(core) else None
    for draft in reversed(previous):
        if (short and draft.measure == "growth" and len(draft.indicator) > len(core)
                and canonical(draft.indicator) == short):
            return draft.indicator
    return core


def _amount(text, spot, pre, c_start, after, previous) -> Draft | None:
    if (spot.qualifier == "最高" or spot.qualifier is None) and after.startswith("的") and "最高" in pre + (
            spot.qualifier or ""):
        return None          # 给予最高100万元的补助: the cap of a rule
    label = _CLASS_LABEL.match(after)
    if label and (spot.unit[0] in "亿万千百" and (spot.qualifier in ("以上", "超", "超过") or spot.value == 1
                                             or after.startswith("级"))):
        return None          # 亿元以上项目, 超亿元企业: a class of projects, not an amount
    core, subject, offset = _core(pre)
    quote_start, quote_end = c_start + offset, spot.end
    noun = _NOUN_AFTER.match(text, spot.end)
    if noun and (not core or len(core) <= 2 and not is_bare_name(core)):   # 13亿元可转债, 利用100万元…资金
        core, quote_end = core + noun.group(0), noun.end()
    elif not core:                   # 从…358.4亿元增长到…785.6亿元: the same indicator again
        base = _last_run(previous)
        core = base[0].indicator if base else "金额"
    items = _items(core) if "分别" in pre else None
    core = _named_before(core, previous)
    return Draft(spot, "amount", items[0] if items else core, quote_start, quote_end, items, subject=subject)


def _output(text, spot, pre, wide, c_start, after) -> Draft | None:
    cue = _PRODUCTION_CUE.search(wide)
    if not cue:
        return None          # 设备220台, 10余台机械: things, not output
    noun = _NOUN_AFTER.match(text, spot.end)
    product = noun.group(0) if noun else ""
    head = cue.group(0) if cue.group(0) in ("年产", "产能", "产量", "年加工", "年处理", "年销售") else ""
    core, subject, offset = _core(pre)
    indicator = (head + product) if product else (core or head or "产量")
    # the quote starts at the cue when it is in this clause (年产17万吨…), else at the number
    cue_at = c_start + pre.rfind(head) if head and head in pre else spot.start
    return Draft(spot, "output", indicator, cue_at, noun.end() if noun else spot.end, subject=subject)


def _count(text, spot, pre, c_start, after) -> Draft | None:
    if _VISIT.search(pre):
        return None
    head = _FIRM_HEAD if spot.unit == "家" else _PROJECT_HEAD
    noun = head.match(after)
    core, subject, offset = _core(pre)
    if noun:
        rest = _NOUN_AFTER.match(text, spot.end)
        predicate_end = max(rest.end() if rest else 0, spot.end + noun.end())
        predicate = text[spot.end:predicate_end]
        predicate_end = spot.end + (_PREDICATE_END.search(predicate).start() if _PREDICATE_END.search(predicate)
                                    else len(predicate))
        predicate = text[spot.end:predicate_end]
        # a short verb before (首批授权5家茶企) belongs to the indicator; a list
        # of examples (…等10家企业) or the end of another item (茶企和1家…) does not
        lead = core if core and len(core) <= 6 and not re.search(r"[等和及与、]$", pre) else ""
        return Draft(spot, "count", lead + predicate, c_start + offset if lead else spot.start, predicate_end,
                     subject=subject)
    if _HEAD_BEFORE[spot.unit].search(pre) and core:
        return Draft(spot, "count", _TRAIL.sub("", core) or core, c_start + offset, spot.end, subject=subject)
    return None              # 7个小组, 8家商会, 100个直播间: not firms or projects


@functools.lru_cache(maxsize=8192)
def _core(pre: str) -> tuple[str, str | None, int]:
    """The indicator a clause names before its number, the firm or place it
    starts with (the subject) and where the indicator starts in the clause."""
    offset, subject = 0, None
    while True:
        lead = _LEAD.match(pre, offset)
        if lead and lead.end() > offset:
            offset = lead.end()
            continue
        firm = _FIRM.match(pre, offset)
        place = place_at(pre, offset)
        # the longer of the two; the firm where they end together
        taken = place if place is not None and (firm is None or place.end() > firm.end()) else firm
        if taken is None or taken.end() >= len(pre):
            if taken is not None and subject is None:
                subject = taken.group(0)
                offset = taken.end()
            break
        subject, offset = taken.group(0), taken.end()
    core = _TRAIL.sub("", pre[offset:])
    return core, subject, offset


def _items(core: str) -> list[str] | None:
    """城乡居民人均可支配收入 -> 城镇…, 农村…; 高新技术产业和装备制造业增加值 -> each
    with the head the last one names."""
    core = core.replace("分别", "")
    if core.startswith("城乡"):
        return ["城镇" + core[2:], "农村" + core[2:]]
    parts = [p for p in re.split(r"、|和|及|与", core) if p]
    if len(parts) < 2:
        return None
    head = next((h for h in _HEADS if parts[-1].endswith(h)), "")
    return [p if p.endswith(_HEADS) else p + head for p in parts]


def _figure(index, paragraph, text, draft: Draft, sentence, times, anchor, places, context, year) -> Figure:
    spot = draft.spot
    s_start, s_end = sentence
    before = text[s_start:spot.start]
    target = _is_target(before, year)
    period, unclear = _period(draft, sentence, times, anchor, target, before)
    if period and year and period[:4].isdigit() and int(period[:4]) > year:
        target = True        # a later year than the article's: a plan
    county, subject, county_unclear = county_of(draft, sentence, places, context, paragraph)
    if county_unclear:
        unclear = unclear + ("county",)
    unit = numbers.UNIT_DISPLAY.get(spot.unit, spot.unit)
    indicator = tidy(_as_written(paragraph, text, draft.indicator))
    measure = draft.measure
    return Figure.of(                # quote, sentence, paragraph, start, subject, county, indicator, canonical, measure,
        paragraph[draft.quote_start:draft.quote_end], paragraph[s_start:s_end], index, draft.quote_start,
        subject, county, indicator, canonical(indicator, share=measure == "share"), measure,
        spot.value, unit, spot.qualifier, period, target, unclear)     # value, unit, qualifier, period, target, unclear


_YEAR_IN_NAME = re.compile(r"(?:截至|截止|至|到)?(?:19|20)\d\d年度?(?:以来|底|末|初)?")
_VERB_FIRST = re.compile(r"^(?:推动|带动|推进|促进|力促|助推|助力|下辖|旗下|其中|全年|累计|实现|完成|建成|达产|投产|后|"
                         r"预计|计划|可实现|可|力争|本次)+")
_VERB_INSIDE = re.compile(r"(?:累计|可)?实现(?=.)")
_CLOSED_FIRST = re.compile(r"^[^“”\"]*[”\"](?=[^“”\"]*$)")


@functools.lru_cache(maxsize=4096)
def tidy(indicator: str) -> str:
    """An indicator's name without what only the sentence needed: a year
    (推动2023年销售额 -> 销售额: the period says it), a verb it began with or
    held (投产后预计年产值 -> 年产值, 累计实现产值 -> 产值), the
    end of a quotation it was cut from (链主型”企业东巨康年产值 -> 企业东巨康年产值)."""
    name = _CLOSED_FIRST.sub("", indicator)
    name = _VERB_INSIDE.sub("", _VERB_FIRST.sub("", _YEAR_IN_NAME.sub("", name)))
    return name or indicator


def _is_target(before: str, year: int | None) -> bool:
    """A plan, target or expectation: a cue before the figure in its sentence.
    到2025年 is a deadline unless that year is past or it ends a from-to
    (从2020年的…增长到2024年的…)."""
    for m in _TARGET.finditer(before):
        cue = m.group(0)
        if cue[0] in "到至" and cue[1:3] == "20":
            if "从" in before[:m.start()] or (year and int(cue[1:5]) < year):
                continue
        return True
    return False


def _as_written(paragraph: str, text: str, indicator: str) -> str:
    """The indicator in the paragraph's own characters where it is quoted
    from it (the folded text has the paragraph's length)."""
    at = text.find(indicator)
    if at >= 0:
        return paragraph[at:at + len(indicator)]
    whose, sep, share = indicator.partition("占")   # X占Y比重, joined from two places
    if sep and share:
        return _as_written(paragraph, text, whose) + sep + _as_written(paragraph, text, share)
    return indicator


def _period(draft, sentence, times, anchor, target, before) -> tuple[str | None, tuple[str, ...]]:
    s_start, _ = sentence
    starts = times.starts
    # the last time expression before the figure in its sentence, else the last before the sentence
    before_figure = bisect.bisect_left(starts, draft.spot.start)
    if before_figure and starts[before_figure - 1] >= s_start:
        t = times[before_figure - 1]
        if t.since and _CUMULATIVE.search(before):
            return None, ()  # 2018年以来…累计: a sum over years
        return t.period, () if t.period else ("period",)
    if target or _CUMULATIVE.search(before):
        return None, ()
    before_sentence = bisect.bisect_left(starts, s_start)
    t = times[before_sentence - 1] if before_sentence else anchor
    if t is None:
        return None, ("period",)
    return t.period, () if t.period else ("period",)
