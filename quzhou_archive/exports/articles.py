"""The whole archive as data: `data/articles.jsonl` and `data/articles.csv`,
one record per article, in the order of the articles' IDs, so that no one
needs to scrape the site.

A record holds the article's ID, its page's URL, every frontmatter field
as its file has it (the contract's keys with their defaults filled in, and
any other key a person added) but `ingest_digest`, which only tells ingest
whether a person has edited the file, and its text (the Markdown body).
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re

from quzhou_archive.exports import csv_cell, csv_cells
from quzhou_archive.site.model import article_url

# the contract's frontmatter keys, in its order; `source` is split into its two parts in the CSV
FRONTMATTER = ("title", "subtitle", "kicker", "date", "paper", "page", "counties", "topics", "authors",
               "photographers", "kind", "byline", "photos", "notes", "source")
LEFT_OUT = {"ingest_digest"}
LISTS = ("counties", "topics", "authors", "photographers", "byline", "notes")
CSV_FIELDS = ("id", "url", *(k for k in FRONTMATTER if k != "source"), "source_file", "source_lines", "extra",
              "text")
LIST_SEPARATOR = ";"


def record(article_id: str, meta: dict, body: str, base_url: str = "/") -> dict:
    """One article as a JSON Lines record."""
    return with_place(article_id, json.loads(frontmatter_and_text(meta, body)), base_url)


def frontmatter_and_text(meta: dict, body: str) -> str:
    """What an article file gives its record, as JSON (its ID and URL are
    its path's: two files of the same bytes give the same JSON)."""
    own = {k: v for k, v in meta.items() if k not in LEFT_OUT}
    ordered = {k: own.pop(k) for k in FRONTMATTER if k in own}
    return json.dumps({**ordered, **own, "text": body.strip()}, ensure_ascii=False, default=plain)


def with_place(article_id: str, fields: dict, base_url: str = "/") -> dict:
    """The record: ID and URL first, then the file's fields."""
    return {"id": article_id, "url": base_url + article_url(article_id), **fields}


def plain(value):
    """A YAML value as JSON has it (a date PyYAML read as a date: its ISO text)."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")


def as_jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def csv_row(rec: dict) -> dict:
    """A record as a spreadsheet row: lists joined by ";", the photos and any
    key outside the contract as JSON, the source as file and "first-last"."""
    row = {k: rec.get(k) for k in ("id", "url", *FRONTMATTER[:-1], "text")}
    for key in LISTS:
        row[key] = LIST_SEPARATOR.join(map(str, rec.get(key) or []))
    row["photos"] = json.dumps(rec["photos"], ensure_ascii=False) if rec.get("photos") else ""
    source = rec.get("source") if isinstance(rec.get("source"), dict) else {}
    lines = source.get("lines")
    row["source_file"] = source.get("file") or ""
    row["source_lines"] = f"{lines[0]}-{lines[1]}" if isinstance(lines, list) and len(lines) == 2 else ""
    extra = {k: v for k, v in rec.items() if k not in CSV_FIELDS and k not in FRONTMATTER}
    row["extra"] = json.dumps(extra, ensure_ascii=False, default=plain) if extra else ""
    return {k: "" if row.get(k) is None else (plain(row[k]) if isinstance(row[k], _dt.date) else row[k])
            for k in CSV_FIELDS}


def as_csv(records: list[dict]) -> str:
    """UTF-8 with a byte order mark, so that Excel reads the Chinese."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for rec in records:
        writer.writerow(csv_row(rec))
    return "\ufeff" + out.getvalue()


# -- the downloads joined from parts (see `exports/__init__.py`) ---------------------
# the bytes are those of `as_jsonl` and `as_csv` above, which stay the reference

def record_parts(meta: dict, body: str) -> tuple[str, str | None]:
    """What an article file gives its two lines, whatever its path: its
    fields and text as JSON (`frontmatter_and_text`) and its CSV cells but
    the first two (ID and URL). The cells are None where the file has a
    field of its own named `id` or `url`: its lines are then made whole."""
    fields = frontmatter_and_text(meta, body)
    plain = json.loads(fields)
    if "id" in plain or "url" in plain:
        return fields, None
    cells = list(csv_row({"id": "", "url": "", **plain}).values())[2:]
    return fields, f"{csv_cells(cells[:-1])},{text_cell(cells[-1])}"     # the text is the last


_QUOTED = re.compile(r'[,"\r\n]')


def text_cell(text: str) -> str:
    """A text as `csv` writes it among other cells (the CSV module copies a
    long text a character at a time): quoted, its quotes doubled, where it
    holds a comma, a quote or a line break."""
    return '"' + text.replace('"', '""') + '"' if _QUOTED.search(text) else text


def lines(article_id: str, parts: tuple[str, str | None], base_url: str = "/") -> tuple[str, str]:
    """The article's line of `articles.jsonl` and its row of `articles.csv`."""
    fields, cells = parts
    url = base_url + article_url(article_id)
    if cells is None:
        rec = with_place(article_id, json.loads(fields), base_url)
        return json.dumps(rec, ensure_ascii=False) + "\n", csv_cells(list(csv_row(rec).values())) + "\r\n"
    return (f'{{"id": {json.dumps(article_id, ensure_ascii=False)}, "url": {json.dumps(url, ensure_ascii=False)}, '
            f'{fields[1:]}\n', f"{csv_cell(article_id)},{csv_cell(url)},{cells}\r\n")


CSV_HEADER = "\ufeff" + csv_cells(list(CSV_FIELDS)) + "\r\n"
