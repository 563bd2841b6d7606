"""Classified lines -> stories, photo items, teasers and dropped furniture.

The page is read top to bottom the way an editor reads it:

* a run of headline-like lines (a *headline block*) followed by a byline,
  a signature or a source attribution starts a story; followed by a caption
  and a photo credit it is a photo item; followed by 详见第N版 it is a teaser;
  followed by text inside a story it is a section heading; followed by
  nothing it is a page banner;
* text joins the open paragraph of the current story when that paragraph
  was cut mid-sentence, whatever captions or furniture came in between;
* captions inside a story become the story's photos, not its text.

Every line ends up in a story or in the page's record of dropped furniture.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from quzhou_archive.ingest import credits
from quzhou_archive.ingest.credits import Lead, PhotoCredit, Signature
from quzhou_archive.ingest.furniture import Furniture
from quzhou_archive.ingest.lines import (
    BODY, BYLINE, CAPTION, CREDIT, DASH, EDNOTE, FURNITURE, HEAD, LEAD, SIGNED, Line, LineKind, ends_sentence,
)
from quzhou_archive.textnorm import chinese_number, close_cjk_gaps, fold, squash

# Trailing headline parts that report who attended: they are the 副题.
_ATTENDANCE = re.compile(r"(?:出席|致辞|主持|讲话|参加|带队|会见|陪同|出席并讲话|出席会议|作报告|等参加|参会|见证)$")
# A leading headline part that reports who said it: the 引题.
_SPEAKER = re.compile(r"(?:时强调|强调|时指出|指出|时表示|表示|要求|时要求|寄语)$")
# A first headline line that names a column or series (…观察, …巡礼) is the 引题,
# and so is the line above a "地名:…" main title.
_COLUMN_KICKER = re.compile(r"(?:观察|巡礼|纪实|系列报道|调查|探访|进行时|走基层|一线|特别报道|专题|笔谈|访谈|手记|札记|追踪|聚焦\S{0,6}|看\S{1,4})$")
# 【栏目名】 split off the front of a headline (zones.py): the column is the 引题.
_COLUMN_TAG = re.compile(r"^[\[【][^\[\]【】]+[\]】]$")
_PLACE_COLON = re.compile(r"^[\u4e00-\u9fff]{2,8}[:：]")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．])")


@dataclass
class Block:
    kind: str            # "p", "h2", "h3" or "quote"
    text: str
    open: bool = False   # a paragraph cut mid-sentence, waiting for its continuation


@dataclass
class Story:
    kind: str                                   # "story", "photo" or "teaser" (refined later)
    first: int
    last: int
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    bylines: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    photos: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    umbrella: bool = False       # a feature gathering signed sections (发言摘要)
    signed: bool = False         # carries 单位 职务 姓名 signatures
    has_lead: bool = False       # opened with 本报讯 or a reporter credit
    see_page: int | None = None  # teasers: the page they point to

    def touch(self, line: Line) -> None:
        self.first = min(self.first, line.first)
        self.last = max(self.last, line.last)

    @property
    def open_paragraph(self) -> Block | None:
        if self.blocks and self.blocks[-1].kind == "p" and self.blocks[-1].open:
            return self.blocks[-1]
        return None

    def add_text(self, text: str) -> None:
        text = close_cjk_gaps(text.strip())
        if not text:
            return
        para = self.open_paragraph
        if para is not None:
            para.text = close_cjk_gaps(para.text + text)
            para.open = not ends_sentence(para.text)
        else:
            self.blocks.append(Block("p", text, open=not ends_sentence(text)))

    def add_heading(self, text: str, level: int) -> None:
        self.blocks.append(Block(f"h{level}", text))

    def add_author(self, names: list[str]) -> None:
        for name in names:
            if name not in self.authors:
                self.authors.append(name)

    def add_credit(self, credit: credits.Credit) -> None:
        """A byline's writers become authors, its photographers photographers."""
        self.add_author(credit.authors)
        for name in credit.photographers:
            if name not in self.photographers:
                self.photographers.append(name)

    def add_photo(self, credit: PhotoCredit, caption: str | None = None) -> None:
        caption = credit.caption if caption is None else caption
        self.photos.append({"caption": close_cjk_gaps(caption) or None, "credit": credit.credit})
        for name in credit.photographers:
            if name not in self.photographers:
                self.photographers.append(name)


class Left(enum.StrEnum):
    """Why a line that is not furniture still stays out of every story."""

    BANNER = "banner"                        # a headline block that nothing follows
    ORPHAN_CREDIT = "orphan credit"          # a byline no story claims
    ORPHAN_PHOTO_CREDIT = "orphan photo credit"
    EMPTY_HEADLINE = "empty headline"        # a headline with nothing under it


# Furniture that closes the story above it: what follows is another story
# (a vertical label, 故/事, opens a box of its own).
_ENDS_STORY = frozenset({Furniture.TRAILER, Furniture.EDITOR, Furniture.LABEL})
# A web copy's source or fields under a story's text close it too (above
# the text they belong to the headline).
_CLOSES_TEXT = frozenset({Furniture.ATTRIBUTION, Furniture.WEB_META, Furniture.RELATED, Furniture.COPYRIGHT})
# Furniture that may stand inside a story or a teaser box without closing it.
_INSIDE_STORY = frozenset({Furniture.PAGE_LABEL, Furniture.NOISE, Furniture.JUMP})
# Furniture that stands between a web headline and its text.
HEADLINE_META = frozenset({
    Furniture.WEB_META, Furniture.ATTRIBUTION, Furniture.MASTHEAD, Furniture.CONTROLS, Furniture.COUNTER,
    Furniture.BREADCRUMB, Furniture.SITE_NAME, Furniture.SITE_NAV, Furniture.SUMMARY, Furniture.DATE_FRAGMENT,
    Furniture.SOURCE_TAG, Furniture.NOISE, Furniture.FOOTER, Furniture.PROMOTION, Furniture.PAGE_LABEL,
    Furniture.JUMP,
})
# Furniture whose text states facts about the page (paper, date, page).
_STATES_FACTS = frozenset({Furniture.MASTHEAD, Furniture.TRAILER, Furniture.PAGE_LABEL, Furniture.ATTRIBUTION,
                           Furniture.FOOTER, Furniture.WEB_META, Furniture.SOURCE_TAG})


@dataclass
class Dropped:
    line: int
    last: int
    text: str
    why: str      # a `Furniture` or `Left` value


@dataclass
class Layout:
    stories: list[Story]
    dropped: list[Dropped]
    facts: list[tuple[Furniture, Line]]   # furniture lines that state page facts


def _credit_like(line: Line) -> bool:
    """A short line that opens with a role word (记者 …文/摄 报道组 …): a
    credit line, even where its names could not all be read."""
    first = line.text.split(maxsplit=1)[0] if line.text.split() else ""
    return line.kind == HEAD and len(line.text) <= 60 and credits.is_role(first)


def split_headline(text: str) -> tuple[str | None, str, str | None]:
    """One printed headline line -> (kicker, title, subtitle).

    Parts separated by spaces keep their order; attendance parts (…出席,
    …主持) are the subtitle, a leading "…时强调" is the kicker, and a short
    headline broken over two lines stays one title.
    """
    parts = _merge_parts(text.split())
    kicker = subtitle_parts = None
    if len(parts) > 1 and _SPEAKER.search(fold(parts[0])):
        kicker, parts = parts[0], parts[1:]
    placed = next((i for i, p in enumerate(parts) if i and _PLACE_COLON.match(fold(p))), None)
    if kicker is None and placed is not None:
        # 特别报道《…》(二) 衢州:谋划大产业 致力新发展: the main title opens with its place
        kicker, parts = " ".join(parts[:placed]), parts[placed:]
    if kicker is None and _couplet_kicker(parts):
        # 强化交流合作 实现共同发展 <main title>: a pair of matched phrases is the 引题,
        # and what follows, however the layout spaced it, is the main title
        kicker, parts = " ".join(parts[:2]), [" ".join(parts[2:])]
    tail = []
    while len(parts) > 1 and len(parts[-1]) <= 14 and _ATTENDANCE.search(fold(parts[-1])):
        tail.insert(0, parts.pop())
    subtitle_parts = tail
    if len(parts) > 1:
        total = sum(len(p) for p in parts)
        if total <= 20 or all(len(p) <= 5 for p in parts):
            parts = [" ".join(parts)]
        elif kicker is None and len(parts) == 2 and len(parts[0]) <= 10 and len(parts[1]) >= 1.3 * len(parts[0]):
            kicker, parts = parts[0], parts[1:]
        else:
            subtitle_parts = parts[1:] + subtitle_parts
            parts = parts[:1]
    subtitle = " ".join(subtitle_parts) or None
    return kicker, parts[0], subtitle


def _couplet_kicker(parts: list[str]) -> bool:
    return (len(parts) >= 3 and len(parts[0]) == len(parts[1]) and 4 <= len(parts[0]) <= 8
            and sum(len(p) for p in parts) > 20 and sum(len(p) for p in parts[2:]) > len(parts[0]))


def _merge_parts(parts: list[str]) -> list[str]:
    """Undo spaces that only the layout put there: after a colon, before a lone quote."""
    merged: list[str] = []
    for part in parts:
        if merged and (merged[-1][-1] in ":：" or (part[0] in "“「《" and len(part) <= 6 and part[-1] in "”」》")):
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def headline_fields(block: list[Line]) -> tuple[str | None, str, str | None]:
    """A headline block of one or more lines -> (kicker, title, subtitle)."""
    main = [ln.text for ln in block if ln.kind != DASH]
    dashes = [ln.text for ln in block if ln.kind == DASH]
    if not main:
        return None, dashes[0], " ".join(dashes[1:]) or None
    if len(main) == 1 and not dashes:
        return split_headline(main[0])
    if len(main) == 1:
        return None, main[0], " ".join(dashes)
    if len(main) == 2:
        short, long_ = len(squash(main[0])), len(squash(main[1]))
        if _COLUMN_KICKER.search(fold(squash(main[0]))) or _PLACE_COLON.match(fold(main[1])) or (
                short <= 10 and long_ >= short + 4) or _COLUMN_TAG.match(main[0]):
            kicker, title, rest = main[0], main[1], dashes
        else:
            kicker, title, rest = None, main[0], [main[1]] + dashes
    else:
        kicker, title, rest = main[0], main[1], main[2:] + dashes
    # the title line may itself carry a 引题 or 副题 after a space
    inner_kicker, title, inner_subtitle = split_headline(title)
    kicker = " ".join(p for p in (kicker, inner_kicker) if p) or None
    rest = ([inner_subtitle] if inner_subtitle else []) + rest
    return kicker, title, " ".join(rest) or None


def heading_text(block: list[Line]) -> str:
    return " ".join(ln.text for ln in block)


def _dash_groups(block: list[Line]) -> list[list[Line]]:
    """Split a headline block after each —— subtitle line."""
    groups, current = [], []
    for ln in block:
        current.append(ln)
        if ln.kind == DASH:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


class _Assembler:
    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.stories: list[Story] = []
        self.dropped: list[Dropped] = []
        self.facts: list[tuple[str, Line]] = []
        self.current: Story | None = None
        self.pending: list[Line] = []          # 编者按 and bylines waiting for their story
        self.closed_by_source: Story | None = None   # the story a source line under its text just closed
        self.teaser_box: list[list[Line]] | None = None   # inside 今日导读: headline blocks and paragraphs

    # -- helpers ---------------------------------------------------------
    def drop(self, line: Line, why: Furniture | Left) -> None:
        self.dropped.append(Dropped(line.first, line.last, line.text, str(why)))

    def start_story(self, block: list[Line], kind: str = "story") -> Story:
        first = block[0] if block else None
        story = Story(kind, first.first if first else 0, first.last if first else 0)
        if block:
            story.kicker, story.title, story.subtitle = headline_fields(block)
            for ln in block:
                story.touch(ln)
        self.stories.append(story)
        if kind == "story":
            self.current = story
            self._flush_pending(story)
        return story

    def _flush_pending(self, story: Story) -> None:
        for ln in self.pending:
            story.touch(ln)
            if ln.kind == EDNOTE:
                story.blocks.insert(0, Block("quote", close_cjk_gaps(ln.text)))
            else:
                story.bylines.append(ln.text)
                story.add_credit(ln.info)
        self.pending = []

    def ensure_story(self, line: Line) -> Story:
        if self.current is None:
            story = Story("story", line.first, line.last)
            self.stories.append(story)
            self.current = story
            self._flush_pending(story)
        return self.current

    def next_index(self, j: int, skip=(CAPTION, CREDIT)) -> int:
        """Index of the next line at or after j that is not a caption (or furniture)."""
        while j < len(self.lines) and (self.lines[j].kind in skip or (
                self.lines[j].kind == FURNITURE and self.lines[j].info in _INSIDE_STORY)):
            j += 1
        return j

    # -- main loop -------------------------------------------------------
    def run(self) -> Layout:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if line.kind in (HEAD, DASH):
                j = i
                while j < len(self.lines) and self.lines[j].kind in (HEAD, DASH):
                    j += 1
                i = self.on_block(self.lines[i:j], j)
                continue
            if self.teaser_box is not None and line.kind not in (BODY, FURNITURE):
                self.close_teaser_box()
            if line.kind not in (FURNITURE, BYLINE):
                self.closed_by_source = None
            self._HANDLERS[line.kind](self, line)
            i += 1
        self.finish()
        return Layout(self.stories, self.dropped, self.facts)

    def finish(self) -> None:
        self.close_teaser_box()
        for ln in self.pending:
            if self.current is not None:
                self._flush_pending(self.current)
                break
            self.drop(ln, Left.ORPHAN_CREDIT)
        self.pending = []

    # -- headline blocks -------------------------------------------------
    def on_block(self, block: list[Line], j: int) -> int:
        """Decide what a headline block is; return the index to continue from."""
        lines = self.lines
        k = self.next_index(j)
        nxt = lines[k] if k < len(lines) else None
        nxt_furniture = nxt.info if nxt is not None and nxt.kind == FURNITURE else None

        if nxt is not None and (nxt.kind in (LEAD, BYLINE, SIGNED) or nxt_furniture in (Furniture.ATTRIBUTION, Furniture.WEB_META)):
            self.close_teaser_box()
            return self.story_from_block(block, j, nxt, k)
        text_at = self.text_after_meta(j)
        if text_at is not None:
            self.close_teaser_box()
            return self.story_from_block(block, j, lines[text_at], text_at)
        if self.teaser_box is not None:
            if self.teaser_box or nxt_furniture == Furniture.TEASER_REF or (nxt is not None and nxt.kind == BODY):
                self.teaser_box.append(block)
                return j
            self.close_teaser_box()  # nothing of a teaser follows: a banner under the box
        if nxt_furniture == Furniture.TEASER_REF:
            self.make_teaser([block])
            return j
        photo_end = self.photo_lookahead(j)
        if photo_end is not None:
            return self.make_photo(block, j, photo_end)
        if nxt is None or (nxt.kind == FURNITURE and nxt_furniture != Furniture.PHOTO_NOTE):
            for ln in block:
                self.drop(ln, Left.BANNER)
            return j
        story = self.current
        if story is None:
            self.start_story(block)
            return j
        if not story.blocks and len(block) == 1 and _credit_like(block[0]):
            # under the headline, before any text: the story's credits
            story.touch(block[0])
            story.bylines.append(block[0].text)
            story.add_author([t.name for t in credits.credit_tokens(block[0].text) if t.kind == "name"])
            return j
        para = story.open_paragraph
        if para is not None and len(block) == 1 and " " not in block[0].text:
            story.add_text(block[0].text)  # the rest of a paragraph cut by a column
            story.touch(block[0])
            return j
        self.add_section(story, block)
        return j

    def text_after_meta(self, j: int) -> int | None:
        """A web headline: its date, source, buttons or counters, then text.
        Returns where the text starts, or None when no such meta lines follow."""
        k, meta = j, False
        while k < len(self.lines):
            line = self.lines[k]
            if line.kind == FURNITURE and line.info in HEADLINE_META:
                meta = meta or line.info not in _INSIDE_STORY
            elif line.kind not in (CAPTION, CREDIT) and not (meta and _credit_like(line)):
                break
            k += 1
        if meta and k < len(self.lines) and self.lines[k].kind in (BODY, LEAD, BYLINE):
            return k
        return None

    def add_section(self, story: Story, block: list[Line]) -> None:
        text = heading_text(block)
        numbered = bool(_NUMBERED.match(text))
        has_h2 = any(b.kind == "h2" for b in story.blocks)
        story.add_heading(text, 3 if numbered and (has_h2 or story.umbrella) else 2)
        for ln in block:
            story.touch(ln)

    def story_from_block(self, block: list[Line], j: int, nxt: Line, k: int) -> int:
        groups = _dash_groups(block)
        if nxt.kind == SIGNED and self.current is not None and self.current.umbrella:
            story = self.current
            self.add_section(story, block)
            return j
        if nxt.kind == SIGNED and len(groups) >= 2:
            story = self.start_story([ln for g in groups[:-1] for ln in g])
            story.umbrella = True
            self.add_section(story, groups[-1])
            return j
        self.start_story(block)
        return j

    # -- photos and teasers ----------------------------------------------
    def photo_lookahead(self, j: int) -> int | None:
        """After a headline block: a caption line, or 1-3 paragraphs and a credit line."""
        lines = self.lines
        if j < len(lines) and lines[j].kind == CAPTION:
            after = lines[j + 1] if j + 1 < len(lines) else None
            # a long caption, or a short one that no paragraph continues, belongs to this title
            if len(squash(lines[j].info.caption)) > 30 or after is None or after.kind not in (BODY, CAPTION):
                return j + 1
        k = j
        while k < len(lines) and k - j < 3 and lines[k].kind == BODY:
            k += 1
        if k > j and k < len(lines) and lines[k].kind == CREDIT:
            return k + 1
        return None

    def make_photo(self, block: list[Line], j: int, end: int) -> int:
        photo = self.start_story(block, kind="photo")
        for ln in self.lines[j:end]:
            photo.touch(ln)
            if ln.kind == BODY:
                photo.add_text(ln.text)
            else:
                if ln.info.caption:
                    photo.add_text(ln.info.caption)
                if ln.info.credit:
                    photo.bylines.append(ln.info.credit)
                for name in ln.info.photographers:
                    if name not in photo.photographers:
                        photo.photographers.append(name)
        return end

    def make_teaser(self, parts: list[list[Line]]) -> Story:
        """A teaser from its headline block and the paragraphs around it."""
        heads = [p for p in parts if p[0].kind in (HEAD, DASH)]
        teaser = self.start_story(heads[0] if heads else [], kind="teaser")
        for part in parts:
            for ln in part:
                teaser.touch(ln)
            if part is not (heads[0] if heads else None):
                text = " ".join(ln.text for ln in part)
                teaser.add_text(text)
        return teaser

    def close_teaser_box(self) -> None:
        """Whatever a 今日导读 box still holds without a 详见 line is one more teaser."""
        if self.teaser_box:
            self.make_teaser(self.teaser_box)
        self.teaser_box = None

    # -- single lines ----------------------------------------------------
    def on_furniture(self, line: Line) -> None:
        kind = line.info
        if kind == Furniture.PHOTO_NOTE and self.current is not None:
            self.current.notes.append(line.text)
            self.current.touch(line)
            return
        self.drop(line, kind)
        if kind in _STATES_FACTS:
            self.facts.append((kind, line))
        if kind in (Furniture.WEB_META, Furniture.ATTRIBUTION) and self.current is not None:
            # 2024-06-16 来源: 掌上衢州 方利军 傅云燕 / 作者: 记者周娜 胡婧妤
            self.current.add_credit(credits.web_meta_credit(line.text))
        if kind == Furniture.TEASER_BOX:
            self.close_teaser_box()
            self.teaser_box = []
        elif kind == Furniture.TEASER_REF:
            if self.teaser_box:
                self.make_teaser(self.teaser_box)
                self.teaser_box = []  # a box may hold several teasers, each closed by its 详见
            ref = re.search(r"([\d一二三四五六七八九十]+)(?=\s*版)", line.folded)
            if self.stories and self.stories[-1].kind == "teaser" and ref:
                self.stories[-1].see_page = chinese_number(ref.group(1))
        elif kind not in _INSIDE_STORY:
            self.close_teaser_box()
        if kind in _ENDS_STORY or kind in _CLOSES_TEXT and self.current is not None and self.current.blocks:
            # a trailer or an editors' line closes the story above it; an
            # 编者按 or byline still waiting belongs to the next story
            if kind in _CLOSES_TEXT:
                self.closed_by_source = self.current
            self.current = None

    def on_ednote(self, line: Line) -> None:
        self.pending.append(line)

    def on_lead(self, line: Line) -> None:
        lead: Lead = line.info
        story = self.current
        if story is None or story.has_lead or any(b.kind == "p" for b in story.blocks):
            story = self.start_story([])
            story.first, story.last = line.first, line.last
        story.touch(line)
        story.has_lead = True
        story.bylines.append(lead.byline)
        story.add_credit(credits.Credit(lead.authors, lead.photographers))
        story.add_text(lead.rest)

    def on_byline(self, line: Line) -> None:
        # 来源: 掌上衢州 / 方利军 傅云燕 under a story: the names credit the
        # story the source line closed
        story = self.current or self.closed_by_source
        if story is None:
            self.pending.append(line)
            return
        story.touch(line)
        story.bylines.append(line.text)
        story.add_credit(line.info)

    def on_signed(self, line: Line) -> None:
        signature: Signature = line.info
        story = self.ensure_story(line)
        story.touch(line)
        story.signed = True
        story.add_author([signature.name])
        if story.umbrella or story.blocks:
            story.blocks.append(Block("p", line.text))
        else:
            story.bylines.append(line.text)

    def on_credit(self, line: Line) -> None:
        credit: PhotoCredit = line.info
        story = self.current
        if story is None:
            self.drop(line, Left.ORPHAN_PHOTO_CREDIT)
            return
        story.touch(line)
        caption = None
        last = story.blocks[-1] if story.blocks else None
        if last is not None and last.kind == "p" and re.match(r"^(?:图为|图[:：]|上图|下图|左图|右图)", fold(last.text)):
            caption = story.blocks.pop().text
        story.add_photo(credit, caption)

    def on_caption(self, line: Line) -> None:
        credit: PhotoCredit = line.info
        story = self.current
        if story is None:
            photo = Story("photo", line.first, line.last)
            photo.add_text(credit.caption)
            if credit.credit:
                photo.bylines.append(credit.credit)
            photo.photographers.extend(credit.photographers)
            self.stories.append(photo)
            return
        story.touch(line)
        story.add_photo(credit)

    def on_body(self, line: Line) -> None:
        if self.teaser_box is not None:
            self.teaser_box.append([line])
            return
        story = self.ensure_story(line)
        story.touch(line)
        story.add_text(line.text)


    # Headline-like lines (HEAD, DASH) are read as blocks by `run`, never one by one.
    _HANDLERS = {
        FURNITURE: on_furniture, EDNOTE: on_ednote, LEAD: on_lead, BYLINE: on_byline, SIGNED: on_signed,
        CREDIT: on_credit, CAPTION: on_caption, BODY: on_body,
    }
    assert set(_HANDLERS) | {HEAD, DASH} == set(LineKind), "every kind of line needs a handler"


def assemble(lines: list[Line]) -> Layout:
    return _Assembler(lines).run()
