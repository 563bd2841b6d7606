"""The raw-pages stage: the raw newspaper pages beside the articles folder
(`<articles>/../raw`) published in the site, as they are and as pages with
numbered lines (`site/raw.py`). Runs before the pages, which link an
article's source lines to them when its raw file is published.

A raw file is made again when its bytes changed (by size and time, then
its digest); while no raw file came, went or was touched, all are kept.
"""
from __future__ import annotations

from quzhou_archive.pipeline.context import site_stage_version
from quzhou_archive.pipeline.state import digest_of, file_digest
from quzhou_archive.pipeline.timing import timed
from quzhou_archive.site import raw

NAME = "raw"
READS = ()
GROUP = "raw"


def version(code: str, results: dict[str, str], base_url: str) -> str:
    return site_stage_version(code, results, (), base_url)


def run(ctx) -> None:
    with timed("raw pages"):
        stage = ctx.versions.stages[NAME]
        files = raw.publishable(raw.raw_folder(ctx.articles_dir))
        ctx.raw_files = frozenset(files)
        if ctx.outputs.keep_group(GROUP, digest_of(stage, raw.folder_state(raw.raw_folder(ctx.articles_dir)))):
            return
        renderer = ctx.renderer()
        for name, path in files.items():
            data = path.read_bytes()
            inputs = digest_of(stage, file_digest(data))
            ctx.outputs.write(GROUP, raw.file_path(name), inputs, lambda: data)
            ctx.outputs.write(GROUP, raw.view_path(name), inputs,
                              lambda: renderer.render(raw.view_page(name, *raw.decoded(path, data))))
