"""The archive's economic figures as rows: what `build_site.py figures`
prints and what `data/figures.csv` and `data/figures.json` hold.

One row per figure. The first eleven fields are the command line's JSON
(the contract); the downloads add what an economist needs to use a row
without opening the article: the canonical indicator, the qualifier
(近, 超, 约, 以上), what the text leaves unclear, the sentence, and the
article's date, paper and page.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import marshal
from operator import itemgetter

from quzhou_archive.analyse.figures import Figure
from quzhou_archive.articles import ArticleMeta
from quzhou_archive.exports import csv_cell, csv_cells, csv_lines
from quzhou_archive.site.model import article_url

CLI_FIELDS = ("article", "quote", "subject", "county", "indicator", "measure", "value", "unit", "period", "target",
              "url")
# the spreadsheet leaves out the two long texts (the sentence, the headline), which the JSON and
# the article pages hold: at 10 000 articles they were half of its size
TABLE_FIELDS = CLI_FIELDS + ("indicator_canonical", "qualifier", "unclear", "article_date", "paper", "page")
DOWNLOAD_FIELDS = CLI_FIELDS + ("indicator_canonical", "qualifier", "unclear", "sentence", "article_date", "paper",
                                "page", "headline")


def figure_anchor(number: int) -> str:
    """The id of a figure's mark in its article page (numbered from 1)."""
    return f"figure-{number}"


def figure_url(article_id: str, number: int, base_url: str = "/") -> str:
    """The article page at its `number`th figure's sentence."""
    return f"{base_url}{article_url(article_id)}#{figure_anchor(number)}"


def number(value: float) -> int | float:
    """12.0 -> 12, 12.5 -> 12.5: as the papers print it."""
    return int(value) if float(value).is_integer() else value


def row(article_id: str, meta: ArticleMeta, n: int, figure: Figure, base_url: str = "/") -> dict:
    """The download row of the article's `n`th figure (from 1)."""
    return _row(article_id, meta, figure, figure_url(article_id, n, base_url))


def _row(article_id: str, meta: ArticleMeta, figure: Figure, url: str) -> dict:
    return {
        "article": article_id, "quote": figure.quote, "subject": figure.subject, "county": figure.county,
        "indicator": figure.indicator, "measure": figure.measure, "value": number(figure.value),
        "unit": figure.unit, "period": figure.period, "target": figure.target,
        "url": url,
        "indicator_canonical": figure.canonical, "qualifier": figure.qualifier, "unclear": list(figure.unclear),
        "sentence": figure.sentence, "article_date": meta.date, "paper": meta.paper, "page": meta.page,
        "headline": meta.title,
    }


def rows(figures: list[tuple[str, ArticleMeta, list[Figure]]], base_url: str = "/") -> list[dict]:
    """Every figure of every article (article ID, metadata, its figures), in
    the order of the articles and of their text."""
    return [row(aid, meta, n, f, base_url) for aid, meta, found in figures for n, f in enumerate(found, 1)]


def selected(all_rows: list[dict], county: str | None = None, indicator: str | None = None) -> list[dict]:
    """The rows of one county and/or one indicator (as the text names it, or
    its canonical name; a part of either name is enough)."""
    def wanted(r: dict) -> bool:
        if county and r["county"] != county and (r["county"] or "").rstrip("市县区") != county.rstrip("市县区"):
            return False
        if indicator and indicator not in (r["indicator"] or "") and indicator not in (r["indicator_canonical"] or ""):
            return False
        return True

    return [r for r in all_rows if wanted(r)]


_JSON = json.JSONEncoder(ensure_ascii=False)


def as_json(all_rows: list[dict], fields=DOWNLOAD_FIELDS) -> str:
    """A JSON array, one figure a line: readable, and a line-oriented tool can take it apart."""
    if not all_rows:
        return "[]\n"
    return "[\n" + ",\n".join(_JSON.encode({k: r[k] for k in fields}) for r in all_rows) + "\n]\n"


def as_csv(all_rows: list[dict], fields=DOWNLOAD_FIELDS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\r\n")
    writer.writeheader()
    for r in all_rows:
        writer.writerow({k: _cell(r[k]) for k in fields})
    return out.getvalue()


# -- the downloads joined from parts (see `exports/__init__.py`) ---------------------
# the bytes are those of `as_json` and `as_csv` above, which stay the reference

_URL = CLI_FIELDS.index("url")      # the downloads' fields: the article's ID first, the URL here, in both
assert DOWNLOAD_FIELDS[0] == TABLE_FIELDS[0] == "article" and TABLE_FIELDS[_URL] == DOWNLOAD_FIELDS[_URL] == "url"


def article_rows(meta: ArticleMeta, figures: list[Figure]) -> tuple[str, list[dict], list[tuple]]:
    """What an article file gives the section and the downloads, whatever
    its path: a digest of all they show of it, its figures' rows (with an
    empty ID and URL, which are the path's), and their `row_parts`."""
    rows = [_row("", meta, figure, "") for figure in figures]
    encoded = _JSON.encode(rows)        # every field of every row, as the downloads give it
    shown = hashlib.sha1(encoded.encode("utf-8")).hexdigest()[:20]
    return shown, rows, _parts(rows, _json_parts(encoded, len(rows)))


def packed(result: tuple[str, list[dict], list[tuple]]) -> tuple[str, bytes, bytes]:
    """`article_rows`'s result as the cache keeps it: the rows and their parts
    each marshalled apart, so that the section, which reads every article's
    rows, decodes none of the parts, and the downloads none of the rows."""
    shown, rows, parts = result
    return shown, marshal.dumps(rows), marshal.dumps(parts)


def unpacked(plain) -> tuple[str, list[dict], list[tuple]]:
    shown, rows, parts = plain
    return shown, marshal.loads(rows), marshal.loads(parts)


def cached_rows(value: bytes) -> tuple[str, list[dict]]:
    """The digest and the rows of an article, from the cache's value."""
    shown, rows, _ = marshal.loads(value)
    return shown, marshal.loads(rows)


def cached_parts(value: bytes) -> list[tuple]:
    """The rows' parts of an article, from the cache's value."""
    return marshal.loads(marshal.loads(value)[2])


def row_parts(rows: list[dict]) -> list[tuple[str, str, str, str]]:
    """For each of an article's rows, the JSON between the article's ID and
    the URL and after the URL, and the spreadsheet's cells likewise."""
    pathless = [{**r, "article": "", "url": ""} for r in rows]
    return _parts(rows, _json_parts(_JSON.encode(pathless), len(rows)))


def _parts(rows: list[dict], json_parts: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    cells = csv_lines([_cells(values) for r in rows for values in (_CSV_HEAD(r), _CSV_TAIL(r))])
    return [(head, tail, cells[2 * n], cells[2 * n + 1]) for n, (head, tail) in enumerate(json_parts)]


_CSV_HEAD, _CSV_TAIL = itemgetter(*TABLE_FIELDS[1:_URL]), itemgetter(*TABLE_FIELDS[_URL + 1:])
# in the JSON of rows with an empty ID and URL, where a row starts and where its URL is: the
# encoder escapes every quote inside a string, so these occur nowhere else
_ROW_START = '{"article": "", '
_NEXT_ROW = "}, " + _ROW_START
_EMPTY_URL = ', "url": "", '
assert DOWNLOAD_FIELDS[:2] == ("article", "quote") and DOWNLOAD_FIELDS[_URL] == "url"


def _json_parts(encoded: str, count: int) -> list[tuple[str, str]]:
    """Each row's fields between its ID and its URL, and after its URL, as
    JSON without the braces, cut from the JSON of the article's rows (the
    encoder is called once for them all: a call costs more than a row)."""
    if not count:
        return []
    items = encoded[1 + len(_ROW_START):-2].split(_NEXT_ROW)       # without '[{"article": "", ' and "}]"
    parts = [tuple(item.split(_EMPTY_URL)) for item in items]
    if len(parts) != count or any(len(p) != 2 for p in parts):
        raise ValueError("the rows' JSON is not cut where it should be")
    return parts


def _cells(values: tuple) -> list:
    return [v if v.__class__ is str else _cell(v) for v in values]


JSON_HEAD, JSON_SEPARATOR, JSON_TAIL, JSON_EMPTY = "[\n", ",\n", "\n]\n", "[]\n"
CSV_HEAD = "\ufeff" + csv_cells(list(TABLE_FIELDS)) + "\r\n"


def article_parts(aid: str, parts: list, base_url: str = "/") -> tuple[str, str]:
    """An article's items of `data/figures.json` (each followed by
    JSON_SEPARATOR) and its rows of `data/figures.csv`, from its `row_parts`:
    the files are JSON_HEAD, every article's items but the last separator,
    and JSON_TAIL (JSON_EMPTY when there is none); CSV_HEAD and the rows
    (`pipeline/joined.py` joins them)."""
    items, cells = [], []
    ident = _JSON.encode(aid)
    for n, (json_head, json_tail, csv_head, csv_tail) in enumerate(parts, 1):
        url = figure_url(aid, n, base_url)
        items.append(f'{{"article": {ident}, {json_head}, "url": {_JSON.encode(url)}, {json_tail}}}{JSON_SEPARATOR}')
        cells.append(f"{csv_cell(aid)},{csv_head},{csv_cell(url)},{csv_tail}\r\n")
    return "".join(items), "".join(cells)


def _cell(value):
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return value


def archive_figures(articles_dir) -> list[tuple[str, ArticleMeta, list[Figure]]]:
    """Every article of the folder with its figures, extracted now. Bad
    articles are named and the others still read (`sources.load_articles`)."""
    from quzhou_archive.analyse.figures import figures_of
    from quzhou_archive.pipeline.sources import load_articles

    return [(a.id, a.metadata, figures_of(a)) for a in load_articles(articles_dir)]


def print_figures(articles_dir, shape: str, county: str | None = None, indicator: str | None = None,
                  all_fields: bool = False, base_url: str = "/") -> int:
    from quzhou_archive.errors import ArchiveError

    if not articles_dir.is_dir():
        raise ArchiveError(articles_dir, "no such folder of articles")
    found = selected(rows(archive_figures(articles_dir), base_url), county, indicator)
    fields = DOWNLOAD_FIELDS if all_fields else CLI_FIELDS
    if shape == "json":
        print(as_json(found, fields), end="")
    elif shape == "csv":
        print(as_csv(found, fields), end="")
    else:
        print(as_text(found), end="")
    return 0


def as_text(all_rows: list[dict]) -> str:
    """For reading in a terminal: one figure a line, under its article."""
    from quzhou_archive.site.figures import period_label, value_text

    lines, last = [], None
    for r in all_rows:
        if r["article"] != last:
            last = r["article"]
            lines.append(f"{r['article']}  {r['headline']}")
        flags = "（目标）" if r["target"] else ""
        where = r["county"] or "地区不详"
        lines.append(f"  {where} {r['subject'] or ''} {r['indicator']} {value_text(r)} "
                     f"{period_label(r['period'])}{flags}  「{r['quote']}」")
    lines.append(f"{len(all_rows)} figures in {len({r['article'] for r in all_rows})} articles")
    return "\n".join(lines) + "\n"
