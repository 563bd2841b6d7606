"""An article's text -> the economic figures it reports (`Figure`).

Every amount of money, change rate, share, physical output and count of
firms or projects, each with the shortest stretch of the text that holds
it (`quote`), the sentence around it, whose it is (`subject`, `county`),
what it measures (`indicator`, as the text names it, and the canonical
name from `data/indicators.yaml`), its number and unit, the period it
refers to (only as precise as the text and the article's date allow) and
whether it is a plan or target rather than an outcome.

Plain data in, plain data out: `extract` reads paragraphs and what the
frontmatter says of the article, and returns records; the build caches
them like any other analysis (`pipeline/analyse.py`).
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from quzhou_archive.analyse.periods import ArticleDate, mentions_found
from quzhou_archive.textnorm import fold

MEASURES = ("amount", "growth", "output", "count", "share")


@dataclass(frozen=True)
class FigureContext:
    """What the article's frontmatter says that a figure's period and place
    depend on."""

    date: str | None                    # YYYY, YYYY-MM or YYYY-MM-DD, or None
    counties: tuple[str, ...] = ()      # canonical county names the article is about
    headline: str = ""


@dataclass(frozen=True)
class Figure:
    quote: str                  # the shortest exact substring of the paragraph that holds the figure
    sentence: str               # the sentence of the paragraph it is in (exact substring)
    paragraph: int              # which paragraph (index into extract's `paragraphs`)
    start: int                  # where the quote starts in that paragraph
    subject: str | None         # the place, firm or project it belongs to
    county: str | None          # canonical county name; 衢州市 for city-wide; None if unknown
    indicator: str              # as the text names it
    canonical: str | None       # the canonical indicator name, when data/indicators.yaml knows it
    measure: str                # one of MEASURES
    value: float
    unit: str
    qualifier: str | None       # 近, 超, 约, 以上 … as written, or None
    period: str | None          # 2023, 2023-Q1, 2023-H1, 2023-05, 2023-01/2023-04; None if not clear
    target: bool                # a plan, target or expectation, not an outcome
    unclear: tuple[str, ...] = ()   # what the text leaves unclear: "period", "county"

    def to_plain(self) -> tuple:
        # the fields in order, as `dataclasses.astuple` gives them, without its
        # deep copy of every value (which cost more than extracting a figure)
        return (self.quote, self.sentence, self.paragraph, self.start, self.subject, self.county, self.indicator,
                self.canonical, self.measure, self.value, self.unit, self.qualifier, self.period, self.target,
                self.unclear)

    @classmethod
    def of(cls, *values) -> "Figure":
        """`Figure(*values)` with every field given, made without the frozen
        class's setting of each field by `object.__setattr__`, which costs
        more than the rest of a figure's making (the instance's attributes
        are the same, in the same order)."""
        figure = object.__new__(cls)
        figure.__dict__.update(zip(_FIELDS, values))
        return figure

    @classmethod
    def from_plain(cls, plain) -> "Figure":
        values = list(plain)
        values[-1] = tuple(values[-1])
        return cls.of(*values)


_FIELDS = tuple(f.name for f in fields(Figure))


def extract(paragraphs: list[str], context: FigureContext) -> list[Figure]:
    """The figures the paragraphs report, in the order of the text."""
    from quzhou_archive.analyse.reading import read_paragraph, scan

    date = ArticleDate.of(context.date)
    found: list[Figure] = []
    anchor = None          # the last time expression before the paragraph
    for index, (paragraph, (text, base, periods, candidates)) in enumerate(zip(paragraphs, scan(paragraphs))):
        times = mentions_found(periods, text, base, date, anchor)
        if candidates:
            found.extend(read_paragraph(index, paragraph, text[base:base + len(paragraph)], candidates, base, times,
                                        anchor, context))
        for t in reversed(times):
            if not t.weak:
                anchor = t
                break
    return found


def version_files() -> list[str]:
    """The files the figures of an article depend on besides the article:
    the extractor's modules, the text folding and gazetteer they use, and
    the data archivists tune. A change to any of them extracts every
    article's figures again (and segments none)."""
    from pathlib import Path

    here = Path(__file__).resolve().parent
    package = here.parent
    modules = [here / f"{name}.py" for name in ("figures", "reading", "numbers", "periods", "places", "indicators",
                                                             "scanning")]
    shared = [package / "textnorm.py", package / "gazetteer.py"]
    data = [package / "data" / name for name in ("indicators.yaml", "gazetteer.yaml", "search_folds.txt")]
    return [str(p) for p in modules + shared + data if p.exists()]


def context_of(meta) -> FigureContext:
    """What `extract` needs of an article's metadata (`articles.ArticleMeta`)."""
    return FigureContext(meta.date, tuple(meta.counties), "".join(meta.headline_parts))


def figures_of(article) -> list[Figure]:
    """The figures of one article (`articles.Article`)."""
    from quzhou_archive.articles import text_paragraphs

    return extract(text_paragraphs(article.body), context_of(article.metadata))
