"""The folders a build reads and writes, checked before anything is locked
or written: the site and the index are replaced whole, so neither may be
another's, nor a folder of someone's files."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from quzhou_archive.errors import ArchiveError
from quzhou_archive.pipeline.publish import SITE_RECORD, STAMP_FILE, read_journal


def check_separate(articles_dir: Path, out_dir: Path, index_dir: Path) -> None:
    """The site and the index are replaced whole: neither may be, hold or lie
    in the articles or each other."""
    named = [("--articles", articles_dir.resolve()), ("--out", out_dir.resolve()), ("--index", index_dir.resolve())]
    for n, (a, path_a) in enumerate(named):
        for b, path_b in named[n + 1:]:
            if path_a == path_b or path_a in path_b.parents or path_b in path_a.parents:
                raise ArchiveError(path_b, f"{b} and {a} ({path_a}) must be separate folders, neither inside the "
                                           f"other: a build replaces the site and the index whole")


def refuse_foreign(out_dir: Path, index_dir: Path) -> None:
    """Never replace a folder of someone's files that a build did not write."""
    for folder, marks, option in ((out_dir, (STAMP_FILE, "search/meta.json"), "--out"),
                                  (index_dir, (SITE_RECORD,), "--index")):
        if not folder.exists():
            continue
        if not folder.is_dir():
            raise ArchiveError(folder, f"is a file, not a folder; give another {option}")
        if any((folder / mark).exists() for mark in marks) or not any(folder.iterdir()) \
                or option == "--index" and an_index_no_site_names(folder):
            continue
        raise ArchiveError(folder, f"holds files no build wrote, and a build replaces the whole folder: give "
                                   f"another {option}, or empty it")


def an_index_no_site_names(folder: Path) -> bool:
    """A Whoosh index a build wrote, or the note the repository keeps in its
    place (asked only of a folder without the site's record: Whoosh takes a
    while to load)."""
    from quzhou_archive.search import whoosh_index

    return (folder / whoosh_index.STATS_FILE).exists() or whoosh_index.only_its_readme(folder)


def journal_targets(folder: Path) -> list[Path]:
    """The folders a stopped build's publish left half done (their locks are taken too)."""
    journal = read_journal(folder)
    return [step.target for step in journal[1]] if journal else []


def normalise_base_url(base_url: str) -> str:
    """'/REPO' or 'REPO/' -> '/REPO/'; '' -> '/'; a full URL keeps its scheme and
    host (https://owner.github.io/REPO -> https://owner.github.io/REPO/)."""
    base = base_url.strip()
    parts = urlsplit(base)
    if parts.scheme and parts.netloc:
        path = "/" + parts.path.strip("/")
        return f"{parts.scheme}://{parts.netloc}{path if path == '/' else path + '/'}"
    base = "/" + base.strip("/")
    return base if base == "/" else base + "/"
