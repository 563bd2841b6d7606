"""The review report: what ingest made of each page, for an archivist to check a batch.

Per page: its facts (and which came from the catalogue), each story found
(kind, date, paper and page, counties, authors, headline) and the lines
dropped as page furniture, counted by why. Columns are aligned by display
width, so Chinese (two columns a character) lines up with ASCII. The same
content is available as JSON for tools.
"""
from __future__ import annotations

import json
import unicodedata
from collections import Counter

from quzhou_archive.ingest import IngestReport
from quzhou_archive.ingest import PageOutcome
from quzhou_archive.ingest.page import ParsedArticle, ParsedPage

MISSING = "-"
COLUMN_CAPS = {"counties": 24, "authors": 24}   # display columns; the headline, last, is never cut
NO_HEADLINE_MARK = "*"


# -- display width -----------------------------------------------------------

def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width characters two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def clip(text: str, columns: int) -> str:
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        if used + width(ch) > columns - 1:
            break
        out.append(ch)
        used += width(ch)
    return "".join(out) + "…"


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


# -- what each page shows ----------------------------------------------------

def dropped_by_reason(page: ParsedPage) -> dict[str, int]:
    """Lines dropped as furniture, per reason, most first."""
    counts: Counter = Counter()
    for item in page.dropped:
        first, last = item["lines"]
        counts[item["why"]] += last - first + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _paper_page(article: ParsedArticle) -> str:
    if article.paper is None and article.page is None:
        return MISSING
    return f"{article.paper or '?'} {article.page if article.page is not None else '?'}版"


def _people(article: ParsedArticle) -> str:
    names = list(article.authors) + [f"{n}(摄)" for n in article.photographers if n not in article.authors]
    return "、".join(names) or MISSING


def _story_row(n: int, article: ParsedArticle) -> list[str]:
    headline = " / ".join(p for p in (article.kicker, article.title, article.subtitle) if p)
    mark = "" if article.headline_printed else NO_HEADLINE_MARK
    return [str(n), article.kind, article.date or MISSING, _paper_page(article),
            clip("、".join(article.counties) or MISSING, COLUMN_CAPS["counties"]),
            clip(_people(article), COLUMN_CAPS["authors"]), mark + headline]


HEADER = ["#", "kind", "date", "paper/page", "counties", "authors", "headline"]


def _page_facts_line(page: ParsedPage) -> str:
    def fact(name: str, value, shown: str | None = None) -> str:
        if value is None:
            return f"{name} {MISSING}"
        text = f"{name} {shown or value}"
        return text + (" (catalogue)" if name in page.catalogued else "")

    date_note = f" ({page.date_basis})" if page.date and page.date_basis not in (None, "catalogue") else ""
    parts = [fact("paper", page.paper), fact("date", page.date, page.date and page.date + date_note),
             fact("page", page.page)]
    if page.section:
        parts.append(fact("section", page.section))
    if page.edition:
        parts.append(fact("edition", page.edition))
    if page.home:
        parts.append(f"home {page.home}")
    return " · ".join(parts)


def _dropped_line(page: ParsedPage) -> str:
    reasons = dropped_by_reason(page)
    total = sum(reasons.values())
    if not total:
        return "furniture dropped: none"
    return f"furniture dropped: {total} line(s) — " + ", ".join(f"{why} {n}" for why, n in reasons.items())


# -- the text report ---------------------------------------------------------

def text_report(report: IngestReport) -> str:
    rows = [_story_row(n, a) for o in report.outcomes if o.page for n, a in enumerate(o.page.articles, 1)]
    widths = [max(width(r[i]) for r in rows + [HEADER]) for i in range(len(HEADER) - 1)]

    def line(cells: list[str]) -> str:
        return "    " + "  ".join(pad(c, w) for c, w in zip(cells, widths)) + "  " + cells[-1]

    out = []
    for outcome in report.outcomes:
        out.extend(_outcome_lines(outcome, line))
        out.append("")
    out.append(_totals(report))
    return "\n".join(out) + "\n"


def _outcome_lines(outcome: PageOutcome, line) -> list[str]:
    page = outcome.page
    if outcome.status == "skipped" or page is None:
        return [f"{outcome.file}  [{outcome.status}] {outcome.message}"]
    count = len(page.articles)
    head = f"{outcome.file}  ({page.encoding}, {page.lines} lines, {count} {'story' if count == 1 else 'stories'})"
    if outcome.status == "failed":
        head += f"  [failed] {outcome.message}"
    lines = [head, "  " + _page_facts_line(page)]
    lines += [f"  ! {notice}" for notice in page.notices]
    lines.append(line(HEADER))
    lines += [line(_story_row(n, a)) for n, a in enumerate(page.articles, 1)]
    lines.append("  " + _dropped_line(page))
    return lines


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _totals(report: IngestReport) -> str:
    status = Counter(o.status for o in report.outcomes)
    pages = [o.page for o in report.outcomes if o.page and o.status == "ingested"]
    stories = [a for p in pages for a in p.articles]
    kinds = Counter(a.kind for a in stories)
    checks = [(sum(p.date is None for p in pages), "page", "pages", "without a date"),
              (sum(p.date_basis == "text" for p in pages), "page", "pages", "dated only by a year in the text"),
              (sum(p.paper is None for p in pages), "page", "pages", "without a paper"),
              (sum(not a.headline_printed for a in stories), "story", "stories",
               f"with no printed headline (marked {NO_HEADLINE_MARK}: titled by its first words)"),
              (sum(not a.counties for a in stories), "story", "stories", "with no county")]
    lines = [_count(len(report.outcomes), "page", "pages") + ": "
             + ", ".join(f"{n} {s}" for s, n in sorted(status.items())),
             _count(len(stories), "story", "stories") + ": "
             + (", ".join(f"{k} {n}" for k, n in kinds.most_common()) or "none")]
    to_check = [f"{_count(n, one, many)} {what}" for n, one, many, what in checks if n]
    if to_check:
        lines.append("to check: " + "; ".join(to_check))
    return "\n".join(lines)


# -- the JSON report ---------------------------------------------------------

def json_report(report: IngestReport) -> str:
    return json.dumps([_outcome_json(o) for o in report.outcomes], ensure_ascii=False, indent=1) + "\n"


def _outcome_json(outcome: PageOutcome) -> dict:
    record = {"file": outcome.file, "status": outcome.status, "message": outcome.message}
    page = outcome.page
    if page is None:
        return record
    record.update({
        "paper": page.paper, "date": page.date, "date_basis": page.date_basis, "page": page.page,
        "section": page.section, "edition": page.edition, "home": page.home, "encoding": page.encoding,
        "catalogued": {name: page.catalogue_lines[name] for name in page.catalogued},
        "notices": list(page.notices),
        "dropped": dropped_by_reason(page),
        "stories": [_story_json(a, outcome.ids[i] if i < len(outcome.ids) else None)
                    for i, a in enumerate(page.articles)],
    })
    return record


def _story_json(article: ParsedArticle, article_id: str | None) -> dict:
    return {
        "id": article_id, "kind": article.kind, "kicker": article.kicker, "title": article.title,
        "subtitle": article.subtitle, "headline_printed": article.headline_printed,
        "date": article.date, "paper": article.paper, "page": article.page,
        "counties": article.counties, "authors": article.authors, "photographers": article.photographers,
        "lines": [article.first_line, article.last_line],
    }
