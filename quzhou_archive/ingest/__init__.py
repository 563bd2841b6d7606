"""Ingest: raw newspaper pages -> one Markdown article per story.

`ingest()` is the loop: each file is decoded, recognised if it is a page
already read (the same text in another encoding or a re-download: skipped
with a notice), given what its catalogue states (`catalog.py`), and parsed to
plain data by `page.parse_page`; a file that fails is reported on one line
(file and line) and the loop goes on. Only then are articles written, each
atomically, never over an article a person has edited.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quzhou_archive.ingest.catalog import Catalogues
from quzhou_archive.ingest.decode import decode_page, text_fingerprint
from quzhou_archive.ingest.page import ParsedArticle, ParsedPage, parse_page
from quzhou_archive import articles as store
from quzhou_archive.errors import ArchiveError
from quzhou_archive.fsutil import atomic_write
from quzhou_archive.papers import known_papers
from quzhou_archive.progress import progress
from quzhou_archive.textnorm import fold


@dataclass
class IngestReport:
    pages: int = 0
    failed: int = 0
    written: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)
    removed: int = 0
    skipped: int = 0                 # the same page twice: read once
    dry_run: bool = False
    outcomes: list["PageOutcome"] = field(default_factory=list)   # filled when a review is asked for

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
        if self.skipped:
            parts.append(f"{self.skipped} skipped as the same page twice")
        if self.failed:
            parts.append(f"{self.failed} file(s) failed")
        return ("dry run, nothing written: " if self.dry_run else "") + ", ".join(parts)


@dataclass
class PageOutcome:
    """What became of one raw file, for the review report."""
    file: str
    status: str                          # ingested, skipped, failed
    message: str | None = None           # why it was skipped or failed
    page: ParsedPage | None = None
    ids: list[str] = field(default_factory=list)


class SamePage(Exception):
    """This raw file holds a page already read from another file, in this run
    or (`archived`) by an earlier ingest."""

    def __init__(self, other: str, archived: bool = False):
        super().__init__(other)
        self.other = other
        self.archived = archived


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


def read_text(path: Path) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ArchiveError(path, f"cannot read: {err.strerror}") from None
    return decode_page(path, data)


def read_page(path: Path, catalogued: dict | None = None) -> ParsedPage:
    text, encoding = read_text(path)
    return parse_page(path, text, encoding, catalogued)


def paper_slug(paper: str | None) -> str | None:
    if not paper:
        return None
    known = known_papers().get(fold(paper))
    return known.slug if known else store.slugify(fold(paper))


def page_key_of(page: ParsedPage) -> str:
    slug = paper_slug(page.paper)
    if slug and page.edition:   # one paper's editions each have their page 1
        slug += "-" + store.slugify(page.edition)
    return store.page_key(slug, page.date, page.page, page.digest)


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
        "edition": page.edition,
        "byline": article.byline,
        "photos": article.photos,
        "notes": article.notes,
        "see_page": article.see_page,
        "topic_terms": article.topic_terms,
    }
    meta.update({k: v for k, v in optional.items() if v})
    if not article.headline_printed:
        meta["headline_printed"] = False
    if page.catalogued:
        meta["catalogued"] = list(page.catalogued)
    meta["source"] = {"file": page.source, "lines": [article.first_line, article.last_line]}
    return meta


def page_record(page: ParsedPage, ids: list[str]) -> str:
    record = {
        "source": {"file": page.source, "encoding": page.encoding, "sha256": page.digest,
                   "fingerprint": page.fingerprint, "lines": page.lines},
        "paper": page.paper, "date": page.date, "date_basis": page.date_basis,
        "page": page.page, "section": page.section, "home": page.home,
        "articles": ids,
        "dropped": page.dropped,
    }
    if page.edition:
        record["edition"] = page.edition
    if page.catalogued:   # fact -> the catalogue line that stated it
        record["catalogued"] = {name: page.catalogue_lines[name] for name in page.catalogued}
    header = "# What ingest read from one raw page: its facts, its articles, and the furniture it dropped.\n"
    return header + store.yaml_dump(record)


class _Writer:
    """Writes parsed pages under `root`, keeping hand edits and catching ID clashes."""

    def __init__(self, root: Path, report: IngestReport, err, dry_run: bool = False):
        self.root = root
        self.report = report
        self.err = err
        self.dry_run = dry_run
        self.claimed: dict[str, str] = {}   # article ID -> the raw file that produced it
        self.last_error: ArchiveError | None = None
        self._archived: dict[str, list[tuple[str, str]]] | None = None   # see archived_pages

    def fail(self, error: ArchiveError) -> None:
        self.last_error = error
        print(error, file=self.err)

    def archived_pages(self) -> dict[str, list[tuple[str, str]]]:
        """Text fingerprint (and exact text digest, which is all that records
        written before fingerprints hold) -> (page key, raw file name) of every
        page record already in the archive; read once, from each record's
        `source:` line only."""
        if self._archived is None:
            self._archived = {}
            for record in self.root.rglob(f"*{store.PAGE_RECORD_SUFFIX}") if self.root.is_dir() else []:
                source = _record_source(record)
                if source:
                    key = record.relative_to(self.root).as_posix()[:-len(store.PAGE_RECORD_SUFFIX)]
                    for digest in {source.get("fingerprint"), source.get("sha256")} - {None}:
                        self._archived.setdefault(digest, []).append((key, str(source.get("file"))))
        return self._archived

    def earlier_keys(self, page: ParsedPage) -> list[str]:
        """Keys this very page (same file, same text) was archived under before.
        Raises SamePage when the archive holds the same text from another file."""
        archived = self.archived_pages()
        earlier = sorted(set(archived.get(page.fingerprint, []) + archived.get(page.digest, [])))
        others = [name for _, name in earlier if name != page.source]
        if others and len(others) == len(earlier):
            raise SamePage(others[0], archived=True)
        return [key for key, name in earlier if name == page.source]

    def plan(self, path: Path, page: ParsedPage) -> list[tuple[str, str]] | None:
        """The articles to write, or None when their IDs belong to another page.
        Raises SamePage when the archive already has this very page from another file."""
        key = page_key_of(page)
        self.earlier_keys(page)
        planned = []
        for n, article in enumerate(page.articles, start=1):
            aid = store.article_id(key, n)
            if aid in self.claimed:
                self.fail(ArchiveError(path, f"article ID {aid} is also produced by {self.claimed[aid]}, a different "
                                             f"page{_catalogued_note(page)}; this page was not written",
                                       article.first_line))
                return None
            existing = self.root / f"{aid}.md"
            other = _source_of(existing)
            if other is not None and other != page.source:
                self.fail(ArchiveError(path, f"article ID {aid} already belongs to {existing} (from {other}, "
                                             f"a different page{_catalogued_note(page)}); this page was not written",
                                       article.first_line))
                return None
            planned.append((aid, store.article_file_text(article_meta(page, article), article.body)))
        for aid, _ in planned:
            self.claimed[aid] = str(path)
        return planned

    def write(self, path: Path, page: ParsedPage, planned: list[tuple[str, str]]) -> None:
        key = page_key_of(page)
        for aid, text in planned:
            self._write_article(self.root / f"{aid}.md", text)
        record_path = self.root / f"{key}{store.PAGE_RECORD_SUFFIX}"
        now = {aid for aid, _ in planned}
        self._remove_stale(record_path, now)
        for old in self.earlier_keys(page):
            if old != key:   # its facts changed (a catalogue entry, a better reading): it moves
                print(f"{path}: now archived as {key}, no longer as {old}", file=self.err)
                old_record = self.root / f"{old}{store.PAGE_RECORD_SUFFIX}"
                self._remove_stale(old_record, now)
                if not self.dry_run:
                    old_record.unlink(missing_ok=True)
        self._put(record_path, page_record(page, [aid for aid, _ in planned]))

    def _put(self, path: Path, text: str) -> None:
        if not self.dry_run:
            atomic_write(path, text)

    def _write_article(self, path: Path, text: str) -> None:
        if not path.exists():
            self._put(path, text)
            self.report.written += 1
            return
        current = path.read_text(encoding="utf-8", errors="replace")
        if current == text:
            self.report.unchanged += 1
        elif store.is_hand_edited(current):
            self.report.kept.append(str(path))
            print(f"{path}: edited by hand, kept as it is (delete it to ingest it again)", file=self.err)
        else:
            self._put(path, text)
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
                    if not self.dry_run:
                        path.unlink()
                    self.report.removed += 1


def _record_source(record: Path) -> dict | None:
    """The `source:` mapping of a page record, read from its own line."""
    try:
        with record.open(encoding="utf-8") as handle:
            line = next((ln for ln in handle if ln.startswith("source:")), None)
        source = store.yaml_load(line)["source"] if line else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, KeyError):
        return None
    return source if isinstance(source, dict) else None


def _source_of(article_path: Path) -> str | None:
    if not article_path.exists():
        return None
    try:
        meta, _ = store.split_frontmatter(article_path, article_path.read_text(encoding="utf-8"))
    except (ArchiveError, UnicodeDecodeError):
        return None
    source = meta.get("source")
    return source.get("file") if isinstance(source, dict) else None


def _catalogued_note(page: ParsedPage) -> str:
    if not page.catalogued:
        return ""
    where = sorted({page.catalogue_lines[name].rsplit(":", 1)[0] for name in page.catalogued})
    return f" (this page's {', '.join(page.catalogued)} come from {', '.join(where)})"


def ingest(paths: list[str], articles_dir: Path, err=None, *, catalog: Path | None = None,
           dry_run: bool = False, review: bool = False) -> IngestReport:
    """Ingest raw pages. `catalog`: one catalogue for every page instead of the
    `catalog.yaml` beside each; `dry_run`: read and report, write nothing;
    `review`: keep each page's outcome in `report.outcomes`."""
    err = err or sys.stderr
    report = IngestReport(dry_run=dry_run)
    catalogues = Catalogues(catalog)          # a malformed --catalog stops here, before anything is read
    files, errors = collect_inputs(paths)
    for error in errors:
        report.failed += 1
        print(error, file=err)
    writer = _Writer(Path(articles_dir), report, err, dry_run=dry_run)
    first_of_text: dict[str, Path] = {}       # text fingerprint -> the first file that held it
    told: set[str] = set()                    # catalogue errors already printed
    for path in progress(files, desc="ingest", unit="page"):
        outcome = _ingest_one(path, writer, catalogues, first_of_text, told)
        if review:
            report.outcomes.append(outcome)
    for notice in catalogues.notices():
        print(notice, file=err)
    return report


def _ingest_one(path: Path, writer: _Writer, catalogues: Catalogues, first_of_text: dict[str, Path],
                told: set[str]) -> PageOutcome:
    report, err = writer.report, writer.err
    try:
        text, encoding = read_text(path)
        fingerprint = text_fingerprint(text)
        if fingerprint in first_of_text:
            raise SamePage(str(first_of_text[fingerprint]))
        try:
            catalogue = catalogues.of(path)
        except ArchiveError as error:
            if str(error) not in told:   # one line for the catalogue, not one per page it covers
                told.add(str(error))
                print(error, file=err)
            report.failed += 1
            return PageOutcome(str(path), "failed", f"its catalogue is malformed: {error}")
        page = parse_page(path, text, encoding, catalogue.facts_for(path) if catalogue else None, fingerprint)
        first_of_text[fingerprint] = path
        for notice in page.notices:
            print(notice, file=err)
        planned = writer.plan(path, page)
    except ArchiveError as error:
        report.failed += 1
        print(error, file=err)
        return PageOutcome(str(path), "failed", error.message)
    except SamePage as same:
        report.skipped += 1
        where = f"{same.other}, already in the archive" if same.archived else same.other
        print(f"{path}: the same page as {where} (the same text once decoded); skipped", file=err)
        return PageOutcome(str(path), "skipped", f"the same page as {where}")
    if planned is None:
        report.failed += 1
        return PageOutcome(str(path), "failed", writer.last_error.message, page)
    writer.write(path, page, planned)
    report.pages += 1
    return PageOutcome(str(path), "ingested", None, page, [aid for aid, _ in planned])
