"""The open-data stage: every article, with all its frontmatter and its
text, as `data/articles.jsonl` and `data/articles.csv` (`exports/articles.py`),
and `data/index.html`, the page that documents their fields.

The files are made from every article file, so they are kept as a group
while no article file changed, came or went; otherwise they are joined
again (`joined.py`): each unchanged article's line taken from the
published file, each changed one's made from the `record` analyser's
result (the file's frontmatter and text as JSON and as CSV cells, cached
by its digest), streamed to disk.
"""
from __future__ import annotations

import marshal

from quzhou_archive.exports import articles as export
from quzhou_archive.pipeline import joined
from quzhou_archive.pipeline.context import downloads_stage_version, site_stage_version
from quzhou_archive.pipeline.state import digest_of
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.site.model import Page

NAME = "opendata"
READS = ("record",)
GROUP = "opendata"
DOWNLOADS = "opendata downloads"    # their version, apart from the page's
JSONL, CSV, PAGE = "data/articles.jsonl", "data/articles.csv", "data/index.html"


def version(code: str, results: dict[str, str], base_url: str) -> str:
    return site_stage_version(code, results, READS, base_url)


def downloads_version(code: str, results: dict[str, str], base_url: str) -> str:
    return downloads_stage_version(code, results, READS, base_url)


def run(ctx) -> None:
    with timed("open data"):
        stage, downloads_stage = ctx.versions.stages[NAME], ctx.versions.stages[DOWNLOADS]
        articles = sorted((s.id, s.digest) for s in ctx.sources)
        if ctx.outputs.keep_group(GROUP, digest_of(stage, downloads_stage, articles)):
            return
        downloads = [joined.Download(JSONL, b""), joined.Download(CSV, export.CSV_HEADER.encode("utf-8"))]
        joined.write(ctx, GROUP, downloads_stage, digest_of(downloads_stage, articles), downloads, "record",
                     lambda aid, value: export.lines(aid, marshal.loads(value), ctx.base_url))
        count = len(ctx.records)
        ctx.outputs.write(GROUP, PAGE, digest_of(stage, count),
                          lambda: ctx.renderer().render(data_page(count)))


def data_page(count: int) -> Page:
    return Page(PAGE, "data.html", {"page_title": "开放数据", "section": "", "count": count,
                                     "csv_fields": export.CSV_FIELDS, "separator": export.LIST_SEPARATOR})
