"""Ingest: raw newspaper pages -> one Markdown article per story.

`ingest()` is the loop: each file is decoded and parsed to plain data by
`page.parse_page`; a file that fails is reported on one line (file and line)
and the loop goes on. Only then are articles written, each atomically, never
over an article a person has edited.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .decode import decode_page
from .furniture import known_papers
from .page import ParsedArticle, ParsedPage, parse_page
from .. import articles as store
from ..errors import ArchiveError
from ..fsutil import atomic_write
from ..progress import progress
from ..textnorm import fold


@dataclass
class IngestReport:
    pages: int = 0
    failed: int = 0
    written: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)
    removed: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        parts = [f"{self.pages} page(s) ingested", f"{self.written} new", f"{self.updated} updated",
                 f"{self.unchanged} unchanged"]
        if self.kept:
            parts.append(f"{len(self.kept)} kept because edited by hand")
        if self.removed:
            parts.append(f"{self.removed} no longer on their page, removed")
        if self.failed:
            parts.append(f"{self.failed} file(s) failed")
        return ", ".join(parts)


def collect_inputs(paths: list[str]) -> tuple[list[Path], list[ArchiveError]]:
    files, errors = [], []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not found:
                errors.append(ArchiveError(path, "folder holds no *.txt pages"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(ArchiveError(path, "no such file or folder"))
    return files, errors


def read_page(path: Path) -> ParsedPage:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ArchiveError(path, f"cannot read: {err.strerror}") from None
    text, encoding = decode_page(path, data)
    return parse_page(path, text, encoding)


def paper_slug(paper: str | None) -> str | None:
    if not paper:
        return None
    known = known_papers().get(fold(paper))
    return known.slug if known else store.slugify(fold(paper))


def page_key_of(page: ParsedPage) -> str:
    return store.page_key(paper_slug(page.paper), page.date, page.page, page.digest)


def article_meta(page: ParsedPage, article: ParsedArticle) -> dict:
    meta = {
        "title": article.title,
        "subtitle": article.subtitle,
        "kicker": article.kicker,
        "date": article.date,
        "paper": article.paper,
        "page": article.page,
        "counties": article.counties,
        "topics": article.topics,
        "authors": article.authors,
        "photographers": article.photographers,
        "kind": article.kind,
    }
    optional = {
        "section": article.section,
        "byline": article.byline,
        "photos": article.photos,
        "notes": article.notes,
        "see_page": article.see_page,
    }
    meta.update({k: v for k, v in optional.items() if v})
    if not article.headline_printed:
        meta["headline_printed"] = False
    meta["source"] = {"file": page.source, "lines": [article.first_line, article.last_line]}
    return meta


def page_record(page: ParsedPage, ids: list[str]) -> str:
    record = {
        "source": {"file": page.source, "encoding": page.encoding, "sha256": page.digest, "lines": page.lines},
        "paper": page.paper, "date": page.date, "date_basis": page.date_basis,
        "page": page.page, "section": page.section, "home": page.home,
        "articles": ids,
        "dropped": page.dropped,
    }
    header = "# What ingest read from one raw page: its facts, its articles, and the furniture it dropped.\n"
    return header + store.yaml_dump(record)


class _Writer:
    """Writes parsed pages under `root`, keeping hand edits and catching ID clashes."""

    def __init__(self, root: Path, report: IngestReport, err):
        self.root = root
        self.report = report
        self.err = err
        self.claimed: dict[str, str] = {}   # article ID -> "file:first-last" that produced it

    def fail(self, error: ArchiveError) -> None:
        print(error, file=self.err)

    def plan(self, path: Path, page: ParsedPage) -> list[tuple[str, str]] | None:
        key = page_key_of(page)
        planned = []
        for n, article in enumerate(page.articles, start=1):
            aid = store.article_id(key, n)
            if aid in self.claimed:
                self.fail(ArchiveError(path, f"article ID {aid} is also produced by {self.claimed[aid]} "
                                             f"(the same page twice?); this page was not written", article.first_line))
                return None
            existing = self.root / f"{aid}.md"
            other = _source_of(existing)
            if other is not None and other != page.source:
                self.fail(ArchiveError(path, f"article ID {aid} already belongs to {existing} (from {other}); "
                                             f"this page was not written", article.first_line))
                return None
            planned.append((aid, store.article_file_text(article_meta(page, article), article.body)))
        for aid, _ in planned:
            self.claimed[aid] = f"{page.source}"
        return planned

    def write(self, page: ParsedPage, planned: list[tuple[str, str]]) -> None:
        for aid, text in planned:
            self._write_article(self.root / f"{aid}.md", text)
        record_path = self.root / f"{page_key_of(page)}{store.PAGE_RECORD_SUFFIX}"
        self._remove_stale(record_path, {aid for aid, _ in planned})
        atomic_write(record_path, page_record(page, [aid for aid, _ in planned]))

    def _write_article(self, path: Path, text: str) -> None:
        if not path.exists():
            atomic_write(path, text)
            self.report.written += 1
            return
        current = path.read_text(encoding="utf-8", errors="replace")
        if current == text:
            self.report.unchanged += 1
        elif store.is_hand_edited(current):
            self.report.kept.append(str(path))
            print(f"{path}: edited by hand, kept as it is (delete it to ingest it again)", file=self.err)
        else:
            atomic_write(path, text)
            self.report.updated += 1

    def _remove_stale(self, record_path: Path, now: set[str]) -> None:
        """Articles an earlier ingest wrote for this page that it no longer finds."""
        if not record_path.exists():
            return
        try:
            before = store.yaml_load(record_path.read_text(encoding="utf-8")).get("articles") or []
        except (yaml.YAMLError, AttributeError):
            return
        for aid in before:
            if aid in now:
                continue
            path = self.root / f"{aid}.md"
            if path.exists():
                if store.is_hand_edited(path.read_text(encoding="utf-8", errors="replace")):
                    self.report.kept.append(str(path))
                    print(f"{path}: no longer found on its page but edited by hand, kept", file=self.err)
                else:
                    path.unlink()
                    self.report.removed += 1


def _source_of(article_path: Path) -> str | None:
    if not article_path.exists():
        return None
    try:
        meta, _ = store.split_frontmatter(article_path, article_path.read_text(encoding="utf-8"))
    except (ArchiveError, UnicodeDecodeError):
        return None
    source = meta.get("source")
    return source.get("file") if isinstance(source, dict) else None


def ingest(paths: list[str], articles_dir: Path, err=None) -> IngestReport:
    err = err or sys.stderr
    report = IngestReport()
    files, errors = collect_inputs(paths)
    for error in errors:
        report.failed += 1
        print(error, file=err)
    writer = _Writer(Path(articles_dir), report, err)
    for path in progress(files, desc="ingest", unit="page"):
        try:
            page = read_page(path)
        except ArchiveError as error:
            report.failed += 1
            print(error, file=err)
            continue
        planned = writer.plan(path, page)
        if planned is None:
            report.failed += 1
            continue
        writer.write(page, planned)
        report.pages += 1
    return report
