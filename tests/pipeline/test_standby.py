"""The standby: the site an exchange takes out is kept hidden beside the
published one, and the next build stages its site from it at the cost of
what the last build changed, never by linking the whole site again; a
standby that cannot be trusted is never used."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from quzhou_archive import articles as store
from quzhou_archive import fsutil
from quzhou_archive.pipeline import build, standby
from quzhou_archive.pipeline.state import Manifest, state_dir
from tests.pipeline.test_build import INSERTED, insert_mid_paragraph, snapshot, write_article


def standby_of(site: Path) -> Path:
    return standby.standby_path(site)


def whole_copies(monkeypatch) -> list:
    """Every folder a linked copy is made of (the site's, and the index's
    few files), noted (and still made)."""
    copies = []
    real = fsutil.TreeLink.__init__

    def noted(self, source, target):
        copies.append(Path(source))
        real(self, source, target)

    monkeypatch.setattr(fsutil.TreeLink, "__init__", noted)
    return copies


def inode(path: Path) -> int:
    return path.stat().st_ino


def test_a_build_from_nothing_keeps_a_linked_copy_of_its_site_as_the_standby(built):
    _, site, _ = built
    kept = standby_of(site)
    assert snapshot(kept) == snapshot(site)
    page = next(site.glob("articles/**/*.html"))
    assert inode(page) == inode(kept / page.relative_to(site))      # hard links: no second copy
    recorded = Manifest.load(state_dir(built[2])).standby
    assert recorded is not None and recorded[2] == []


def test_the_standby_is_the_site_before_the_published_one(built):
    articles, site, index = built
    before = snapshot(site)
    insert_mid_paragraph(sorted(store.article_paths(articles))[3], INSERTED)
    assert build(articles, site, index, jobs=1) == 0
    assert snapshot(standby_of(site)) == before
    assert snapshot(site) != before
    behind = Manifest.load(state_dir(index)).standby[2]
    changed = {p for p in set(before) | set(snapshot(site)) if before.get(p) != snapshot(site).get(p)}
    assert changed <= set(behind)


def test_an_incremental_build_stages_its_site_from_the_standby_not_a_whole_copy(built, tmp_path, monkeypatch):
    articles, site, index = built
    copies = whole_copies(monkeypatch)
    paths = sorted(store.article_paths(articles))
    for change in (lambda: insert_mid_paragraph(paths[3], INSERTED),
                   lambda: write_article(articles, "2099/01/01/quzhou-ribao-p01-01", "新的一天", "衢州市规上工业增加值同比增长9%。",
                                         "2099-01-01"),
                   lambda: paths[5].unlink()):
        change()
        assert build(articles, site, index, jobs=1) == 0
    assert site not in copies
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", jobs=1, full=True) == 0
    assert snapshot(site) == snapshot(fresh / "site")


def replace_standby(site: Path) -> None:
    """The standby folder replaced by another (a copy of the same site: another folder)."""
    kept = standby_of(site)
    other = kept.with_name(kept.name + "-other")
    shutil.copytree(site, other)        # made while the old one stands: another inode for certain
    fsutil.remove_tree(kept)
    os.rename(other, kept)


def restamp_standby(site: Path) -> None:
    stamp = standby_of(site) / ".build-stamp"
    stamp.unlink()
    stamp.write_text("another site\n")


@pytest.mark.parametrize("spoil", [replace_standby, restamp_standby, lambda site: fsutil.remove_tree(standby_of(site))],
                         ids=["another folder", "another stamp", "gone"])
def test_a_standby_that_cannot_be_trusted_is_not_used(built, tmp_path, monkeypatch, spoil):
    articles, site, index = built
    spoil(site)
    copies = whole_copies(monkeypatch)
    insert_mid_paragraph(sorted(store.article_paths(articles))[3], INSERTED)
    assert build(articles, site, index, jobs=1) == 0
    assert site in copies           # a whole linked copy instead
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", jobs=1, full=True) == 0
    assert snapshot(site) == snapshot(fresh / "site")


def test_a_published_file_changed_in_place_is_repaired_though_the_standby_shares_it(built, tmp_path):
    articles, site, index = built
    page = next(site.glob("articles/**/*.html"))
    with open(page, "ab") as handle:       # written through the link the standby shares
        handle.write(b"<!-- changed by hand -->")
    insert_mid_paragraph(sorted(store.article_paths(articles))[3], INSERTED)
    assert build(articles, site, index, jobs=1) == 0
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", jobs=1, full=True) == 0
    assert snapshot(site) == snapshot(fresh / "site")


def test_a_build_that_fails_after_taking_the_standby_leaves_the_site_and_a_usable_state(built, tmp_path,
                                                                                         monkeypatch):
    from quzhou_archive.pipeline import pages

    articles, site, index = built
    before = snapshot(site)
    insert_mid_paragraph(sorted(store.article_paths(articles))[3], INSERTED)

    def fail(ctx):
        raise OSError(28, "No space left on device", str(site))

    with monkeypatch.context() as patch:
        patch.setattr(pages, "run", fail)
        with pytest.raises(Exception):
            build(articles, site, index, jobs=1)
    assert snapshot(site) == before
    assert not standby_of(site).exists()        # it was the failed build's staging folder
    assert build(articles, site, index, jobs=1) == 0
    fresh = tmp_path / "fresh"
    assert build(articles, fresh / "site", fresh / "index", jobs=1, full=True) == 0
    assert snapshot(site) == snapshot(fresh / "site")
    assert standby_of(site).exists()
