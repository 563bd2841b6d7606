"""One raw page -> plain data: its articles and the page record.

`parse_page` never touches the disk; it returns a `ParsedPage` or raises an
ArchiveError naming the file and line. Writing is `articles.py`'s job.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from quzhou_archive.ingest import catalog
from quzhou_archive.ingest import dates
from quzhou_archive.ingest import places
from quzhou_archive.ingest import zones
from quzhou_archive.ingest.decode import text_fingerprint
from quzhou_archive.ingest.furniture import Furniture, canonical_paper, page_facts
from quzhou_archive.ingest.layout import Block, Layout, Left, Story, assemble
from quzhou_archive.ingest.lines import classify, logical_lines
from quzhou_archive.analyse import topics as topic_scoring
from quzhou_archive.articles import escape_markdown
from quzhou_archive.errors import ArchiveError
from quzhou_archive.papers import known_papers
from quzhou_archive.textnorm import cjk_count, fold, squash

BRIEF_CHARS = 300          # a story shorter than this is a brief
FEATURE_CHARS = 1500       # an unsigned-by-本报讯 story longer than this, with sections, is a feature
_SPEECH_WORDS = re.compile(r"讲话|发言|致辞|演讲|署名文章")


@dataclass
class ParsedArticle:
    kicker: str | None
    title: str
    subtitle: str | None
    date: str | None
    paper: str | None
    page: int | None
    section: str | None
    counties: list[str]
    topics: list[str]
    authors: list[str]
    photographers: list[str]
    kind: str
    first_line: int
    last_line: int
    byline: list[str]
    photos: list[dict]
    notes: list[str]
    see_page: int | None
    body: str                 # Markdown
    headline_printed: bool = True   # False when the page printed no headline and the title is the first clause
    topic_terms: dict[str, list[str]] = field(default_factory=dict)   # the keywords that put it in each topic


@dataclass
class ParsedPage:
    source: str               # file name
    encoding: str
    digest: str               # sha256 of the decoded, LF-normalised text
    paper: str | None
    date: str | None
    date_basis: str | None    # masthead, trailer, web, text, catalogue, or None
    page: int | None
    section: str | None
    home: str | None
    articles: list[ParsedArticle]
    dropped: list[dict] = field(default_factory=list)
    lines: int = 0
    edition: str | None = None
    catalogued: list[str] = field(default_factory=list)      # facts the catalogue gave, not the page
    catalogue_lines: dict[str, str] = field(default_factory=dict)  # fact -> catalogue file:line
    notices: list[str] = field(default_factory=list)         # the catalogue disagreeing with the page
    fingerprint: str = ""     # what makes two raw files the same page (decode.text_fingerprint)


def parse_page(path: Path, text: str, encoding: str = "utf-8",
               catalogued: dict[str, catalog.Stated] | None = None, fingerprint: str | None = None) -> ParsedPage:
    """`fingerprint` is `text_fingerprint(text)` when the caller has it already."""
    folded_text = fold(text)
    read, repeats = take_out_repeats(logical_lines(text, folded_text))
    lines = zones.read_page(classify(zones.split_glued(read)))
    layout = assemble(lines)
    stories = [s for s in layout.stories if _has_content(s)]
    if not any(s.kind != "teaser" for s in stories):
        raise ArchiveError(path, "no recognisable story on this page (only page furniture or fragments)",
                           lines[0].first if lines else None)
    paper, date, basis, page, section = _page_facts(layout, folded_text)
    filled = catalog.fill_in(path, catalogued, paper=paper, date=date, date_basis=basis, page=page, section=section)
    paper, date, basis, page, section = filled.paper, filled.date, filled.date_basis, filled.page, filled.section
    # the stories' own words place the page; a site's navigation bar naming
    # other cities does not
    texts, page_mentions = _story_texts(stories)
    known = known_papers().get(fold(paper)) if paper else None
    home = places.home_of(paper, page_mentions, known_home=known.home if known else None)
    articles = [_article(s, t, paper, date, page, section, home) for s, t in zip(stories, texts)]
    dropped = [{"lines": [d.line, d.last], "text": d.text, "why": d.why} for d in layout.dropped]
    dropped += [{"lines": [r.first, r.last], "text": r.text, "why": "repeat", "repeats": [r.of_first, r.of_last]}
                for r in repeats]
    for s in layout.stories:
        if not _has_content(s):
            dropped.append({"lines": [s.first, s.last], "text": _story_text(s), "why": str(Left.EMPTY_HEADLINE)})
    return ParsedPage(
        source=path.name,
        encoding=encoding,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        paper=paper, date=date, date_basis=basis, page=page, section=section, home=home,
        articles=articles, dropped=dropped, lines=text.count("\n") + 1,
        fingerprint=fingerprint or text_fingerprint(text), edition=filled.edition,
        catalogued=filled.catalogued, catalogue_lines=filled.where,
        notices=filled.notices + [f"{path}:{r.first}: lines {r.first}-{r.last} repeat lines {r.of_first}-{r.of_last} "
                                  f"word for word; read once, the repeat kept in the page record" for r in repeats],
    )


# A run of lines is the page printed (or saved) twice, not a headline a teaser
# box or a summary repeats, when it is this long.
REPEAT_MIN_LINES = 3
REPEAT_MIN_CHARS = 200


@dataclass
class Repeat:
    first: int            # raw lines of the repeat
    last: int
    of_first: int         # raw lines of what it repeats
    of_last: int
    text: str


def take_out_repeats(lines: list) -> tuple[list, list[Repeat]]:
    """The logical lines with every run that repeats an earlier run word for
    word taken out, and those runs. A page saved with its stories over and
    over is those stories once: read whole, its headlines would all look like
    one umbrella story's sections."""
    first_at: dict[str, int] = {}
    kept, repeats = [], []
    i = 0
    while i < len(lines):
        j, n = first_at.get(lines[i].text), 0
        if j is not None:
            while i + n < len(lines) and j + n < i and lines[j + n].text == lines[i + n].text:
                n += 1
        run = lines[i:i + n]
        if n >= REPEAT_MIN_LINES and sum(len(line.text) for line in run) >= REPEAT_MIN_CHARS:
            repeats.append(Repeat(run[0].first, run[-1].last, lines[j].first, lines[j + n - 1].last,
                                  "\n".join(line.text for line in run)))
            i += n
            continue
        first_at.setdefault(lines[i].text, i)
        kept.append(lines[i])
        i += 1
    return kept, repeats


def _has_content(story: Story) -> bool:
    return bool(story.blocks or story.title and story.kind in ("teaser", "photo") or story.photos)


def _story_text(story: Story) -> str:
    parts = [story.kicker, story.title, story.subtitle, *story.bylines, *(b.text for b in story.blocks)]
    return " ".join(p for p in parts if p)


@dataclass
class _StoryText:
    """A story's body, its headline and body folded, and the places they
    mention: read once for the page's mentions and the story's counties."""

    body: str
    folded_headline: str
    folded_body: str
    headline_mentions: Counter
    body_mentions: Counter
    page_mentions: Counter   # what the story adds to its page's mentions


def _story_texts(stories: list[Story]) -> tuple[list[_StoryText], Counter]:
    """Each story's text, and the places the page's stories mention.

    The page's mentions are those of all its stories' text joined (printed
    headline, bylines, paragraphs): where neither a space nor a line break
    can be part of a name, the sum of each story's in the same order, so
    that every paragraph is searched once."""
    texts = [_story_text_of(s) for s in stories]
    if not (places.separates(" ") and places.separates("\n")):
        return texts, places.mentions(fold(" ".join(_story_text(s) for s in stories)))
    page_mentions: Counter = Counter()
    for text in texts:
        page_mentions.update(text.page_mentions)
    return texts, page_mentions


def _story_text_of(story: Story) -> _StoryText:
    title = story.title or _derived_title(story)
    headline = " ".join(p for p in (story.kicker, title, story.subtitle) if p)
    body = "\n".join(b.text for b in story.blocks)
    folded_headline, folded_body = fold(headline), fold(body)
    headline_mentions, body_mentions = places.mentions(folded_headline), places.mentions(folded_body)
    printed = headline_mentions if story.title else places.mentions(
        fold(" ".join(p for p in (story.kicker, story.subtitle) if p)))
    page_mentions = Counter(printed)
    for byline in story.bylines:
        page_mentions.update(places.mentions(fold(byline)))
    page_mentions.update(body_mentions)
    return _StoryText(body, folded_headline, folded_body, headline_mentions, body_mentions, page_mentions)


# Which furniture is believed first when two lines state a page fact.
_FACT_RANK = {Furniture.MASTHEAD: 0, Furniture.TRAILER: 1, Furniture.SOURCE_TAG: 2, Furniture.ATTRIBUTION: 3,
              Furniture.WEB_META: 4, Furniture.PAGE_LABEL: 5, Furniture.FOOTER: 6}


def _page_facts(layout: Layout, folded_text: str):
    paper = date = section = None
    basis = page = None
    front_page = False
    claims = []
    for kind, line in sorted(layout.facts, key=lambda kl: _FACT_RANK[kl[0]]):
        facts = page_facts(kind, line.folded, line.text)
        paper = paper or facts.paper
        if facts.stamp is not None:
            stated_by = {Furniture.MASTHEAD: "masthead", Furniture.TRAILER: "trailer"}.get(kind, "web")
            names_paper = bool(facts.paper or facts.page or facts.front_page)
            claims.append(dates.DateClaim(facts.stamp, stated_by, line.first, names_paper))
        page = page or facts.page
        section = section or facts.section
        front_page = front_page or facts.front_page
    if page is None and front_page:
        page = 1  # only the front page carries the masthead's 主办/CN/总第 lines
    date, basis = dates.page_date(claims)
    if date is None:
        date = dates.infer_date(folded_text)
        basis = "text" if date else None
    return canonical_paper(paper), date, basis, page, section


def _kind(story: Story, body_chars: int) -> str:
    if story.kind in ("photo", "teaser"):
        return story.kind
    headline = " ".join(p for p in (story.kicker, story.title, story.subtitle) if p)
    if story.umbrella or story.signed or _SPEECH_WORDS.search(fold(headline)) and not story.has_lead:
        return "speech"
    sections = any(b.kind in ("h2", "h3") for b in story.blocks)
    if sections and (not story.has_lead or body_chars > FEATURE_CHARS):
        return "feature"
    if body_chars < BRIEF_CHARS:
        return "brief"
    return "news"


def _derived_title(story: Story) -> str:
    """A story printed without a headline is titled by its first clause."""
    first = next((b.text for b in story.blocks if b.kind == "p"), "") or (story.photos[0]["caption"] if story.photos else "")
    clause = re.split(r"[,，。;；!！?？:：]", first, maxsplit=1)[0]
    return clause[:30] or "(无题)"


def _sections(story: Story) -> list[str]:
    """The folded texts of a story's parts under their own headlines (h2),
    when it has two or more: each speech of a collection, each part of a
    long report. Each is evidence for topics on its own."""
    parts: list[list[str]] = []
    for block in story.blocks:
        if block.kind == "h2":
            parts.append([])
        if parts:
            parts[-1].append(block.text)
    return [fold("\n".join(p)) for p in parts] if len(parts) >= 2 else []


def _article(story: Story, text: _StoryText, paper, date, page, section, home) -> ParsedArticle:
    title = story.title or _derived_title(story)
    topics = topic_scoring.topics_for(text.folded_headline, text.folded_body, sections=_sections(story))
    return ParsedArticle(
        kicker=story.kicker, title=title, subtitle=story.subtitle,
        date=date, paper=paper, page=page, section=section,
        counties=places.counties_for(text.folded_headline, text.folded_body, home,
                                     headline_mentions=text.headline_mentions, body_mentions=text.body_mentions),
        topics=topics,
        topic_terms=topic_scoring.topic_terms(text.folded_headline, text.folded_body, topics),
        authors=list(story.authors),
        photographers=list(story.photographers),
        kind=_kind(story, cjk_count(text.body)),
        first_line=story.first, last_line=story.last,
        byline=list(story.bylines),
        photos=list(story.photos),
        notes=list(story.notes),
        see_page=story.see_page,
        body=render_markdown(story.blocks),
        headline_printed=story.title is not None,
    )


def render_markdown(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        text = escape_markdown(block.text)
        if block.kind == "h2":
            out.append(f"## {text}")
        elif block.kind == "h3":
            out.append(f"### {text}")
        elif block.kind == "quote":
            out.append(f"> {text}")
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


def title_squash(article: ParsedArticle) -> str:
    return squash("".join(p for p in (article.kicker, article.title, article.subtitle) if p))
