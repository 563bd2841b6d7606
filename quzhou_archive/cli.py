"""Command line: `python build_site.py [ingest|build|search|figures|serve] …`.

With no command it builds the archive with the defaults. Every failure is
reported as one line naming the file (and line) and gives a non-zero exit.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from quzhou_archive.errors import ArchiveError

DEFAULT_ARTICLES = "articles"
DEFAULT_OUT = "_site"
DEFAULT_INDEX = "search_index"


def _at_least_one(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def _port(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535 (0: any free one), not {n}")
    return n


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build_site.py",
        description="衢州区域经济新闻档案: ingest raw newspaper pages, build the search index and the static site.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help="raw page text -> one Markdown article per story")
    p.add_argument("paths", nargs="+", metavar="PATH", help="raw page files, or folders of *.txt pages")
    p.add_argument("--articles", default=DEFAULT_ARTICLES, metavar="DIR", help="where articles go (default: articles/)")
    p.add_argument("--catalog", metavar="FILE", help="the catalogue of what the pages do not say, for every page "
                                                     "(default: the catalog.yaml beside each page, if any)")
    p.add_argument("--report", action="store_true", help="print, per page, the stories found and the furniture dropped")
    p.add_argument("--report-json", action="store_true", help="the same report as JSON on stdout (the summary goes to stderr)")
    p.add_argument("--dry-run", action="store_true", help="read the pages and report, but write nothing")

    p = sub.add_parser("build", help="articles -> Whoosh index and static site")
    _build_options(p)

    p = sub.add_parser("search", help="search the Whoosh index")
    p.add_argument("query", metavar="QUERY", nargs="?", help="what to look for (see README: Search)")
    p.add_argument("--queries", metavar="FILE", help="run every query in FILE (one per line, - for stdin); "
                                                     "with --json, prints one JSON array per line")
    p.add_argument("--json", action="store_true", help="print a JSON array of results")
    p.add_argument("--limit", type=_at_least_one, default=10, metavar="N", help="at most N results (default 10)")
    p.add_argument("--sort", choices=("relevance", "newest", "oldest"), default="relevance",
                   help="order of the results (default relevance; a query of filters alone: newest)")
    p.add_argument("--index", default=DEFAULT_INDEX, metavar="DIR", help="index folder (default: search_index/)")

    p = sub.add_parser("figures", help="the economic figures the articles report")
    p.add_argument("--articles", default=DEFAULT_ARTICLES, metavar="DIR", help="articles folder (default: articles/)")
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print a JSON array of figures")
    shape.add_argument("--csv", action="store_true", help="print CSV, a header and one row per figure")
    p.add_argument("--county", metavar="C", help="only the figures of this county (常山县, or 常山)")
    p.add_argument("--indicator", metavar="I", help="only figures of this indicator (as written or canonical; "
                                                    "a part of the name is enough)")
    p.add_argument("--all-fields", action="store_true", help="also the fields of data/figures.csv: canonical "
                                                             "indicator, qualifier, sentence, article date, paper, page")
    p.add_argument("--base-url", default="/", metavar="PATH", help="the site's path, for the figures' URLs (default /)")

    p = sub.add_parser("serve", help="preview the built site locally")
    p.add_argument("--port", type=_port, default=8000, metavar="N", help="port (default 8000; 0: any free one)")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help="site folder (default: _site/)")
    p.add_argument("--base-url", default="/", metavar="PATH", help="serve the site under this path (default /)")
    return parser


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--articles", default=DEFAULT_ARTICLES, metavar="DIR", help="articles folder (default: articles/)")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help="site folder (default: _site/)")
    p.add_argument("--index", default=DEFAULT_INDEX, metavar="DIR", help="Whoosh index folder (default: search_index/)")
    p.add_argument("--base-url", default="/", metavar="PATH",
                   help="path (/REPO/) or full URL (https://OWNER.github.io/REPO/) the site is served under (default /)")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes (default: one per core)")
    p.add_argument("--full", action="store_true", help="rebuild everything, as if for the first time")
    p.add_argument("--no-wait", action="store_true", help="if another build is running, stop instead of waiting")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "build"
    if args.command is None:
        args = _parser().parse_args(["build"])
    try:
        return _COMMANDS[command](args)
    except ArchiveError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head, less …, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _ingest(args) -> int:
    from quzhou_archive.ingest import ingest

    review = args.report or args.report_json
    report = ingest(args.paths, Path(args.articles), catalog=Path(args.catalog) if args.catalog else None,
                    dry_run=args.dry_run, review=review)
    if review:
        from quzhou_archive.ingest.review import json_report, text_report

        sys.stdout.write(json_report(report) if args.report_json else text_report(report))
    print(report.summary(), file=sys.stderr if args.report_json else sys.stdout)
    return 0 if report.ok else 1


def _build(args) -> int:
    from quzhou_archive.pipeline import build

    return build(Path(args.articles), Path(args.out), Path(args.index), args.base_url, jobs=args.jobs,
                 wait=not args.no_wait, full=args.full)


def _search(args) -> int:
    from quzhou_archive.search.cli import run_batch, run_search

    if args.queries:
        return run_batch(args.queries, Path(args.index), limit=args.limit, as_json=args.json, sort=args.sort)
    if args.query is None:
        raise ArchiveError("search", "give a QUERY (or --queries FILE)")
    return run_search(args.query, Path(args.index), limit=args.limit, as_json=args.json, sort=args.sort)


def _figures(args) -> int:
    from quzhou_archive.exports.figures import print_figures
    from quzhou_archive.pipeline.folders import normalise_base_url

    return print_figures(Path(args.articles), "json" if args.json else "csv" if args.csv else "text",
                         county=args.county, indicator=args.indicator, all_fields=args.all_fields,
                         base_url=normalise_base_url(args.base_url))


def _serve(args) -> int:
    from quzhou_archive.site.serve import serve

    return serve(Path(args.out), args.port, args.base_url)


_COMMANDS = {"ingest": _ingest, "build": _build, "search": _search, "figures": _figures, "serve": _serve}
