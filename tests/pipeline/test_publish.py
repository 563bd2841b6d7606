"""Publishing is atomic: a build stopped at any step of publishing leaves a
reader the complete old site or the complete new one, with the index that
goes with it, and the next build ends with the new ones and nothing left
behind; a folder that may not be replaced leaves both old ones and one line.

The build runs as the real command line (tests/stopping.py) and is stopped
at a named step (os._exit, as a kill), not after a guessed time.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from quzhou_archive import articles as store
from quzhou_archive.pipeline import build
from quzhou_archive.search.whoosh_index import Searcher
from quzhou_archive.analyse.segment import load_segmenter
from quzhou_archive.pipeline.publish import JOURNAL, NEXT_MANIFEST, STAMP_FILE, index_to_read
from quzhou_archive.pipeline.state import SCRATCH_PREFIX, state_dir
from tests.conftest import ROOT
from tests.stopping import forked
from tests.pipeline.test_build import INSERTED, QUERIES, insert_mid_paragraph, snapshot, write_article

# every step publishing reaches, in order (publish.reached)
STEPS = ["manifest staged", "journal written", "exchanging index", "index exchanged", "exchanging site",
         "site exchanged", "manifest saved", "journal removed", "old folders removed"]
NEW_SITE_FROM = STEPS.index("site exchanged")
NEW_TITLE = "新的一天"


def reader_view(index: Path) -> dict:
    """What a reader of the index gets: the index that goes with the site, and its answers."""
    with Searcher(index) as s:
        assert s.warning is None, s.warning
        stored = sorted((dict(f) for f in s.searcher.all_stored_fields()), key=lambda f: f["id"])
        answers = {q: [(h.id, round(h.score, 6)) for h in s.search(q, limit=None)[1]] for q in QUERIES + [NEW_TITLE]}
        return {"stored": stored, "answers": answers}


@dataclass
class Archive:
    work: Path          # where every test builds: restored from `template` first
    template: Path
    old_site: dict
    old_index: dict
    new_site: dict
    new_index: dict

    def restore(self) -> Path:
        """The old outputs again, at the path they were built at (the build's settings name it)."""
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.copytree(self.template, self.work, symlinks=True)    # copy2: times kept, as the manifest saw them
        return self.work

    def args(self, *more: str) -> list[str]:
        return ["build", "--articles", str(self.work / "articles.new"), "--out", str(self.work / "site"),
                "--index", str(self.work / "index"), "--jobs", "1", *more]

    def build_new(self) -> int:
        return build(self.work / "articles.new", self.work / "site", self.work / "index", jobs=1)


def change(articles: Path) -> None:
    """An edit, a new article and a removed one: every stage has work to do."""
    paths = sorted(store.article_paths(articles))
    insert_mid_paragraph(paths[3], INSERTED)
    write_article(articles, "2099/01/01/quzhou-ribao-p01-01", NEW_TITLE, "衢州市规上工业增加值同比增长9%。", "2099-01-01")
    paths[5].unlink()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    load_segmenter()        # loaded once here, the builds in this process fork workers that have it
    root = tmp_path_factory.mktemp("publish")
    work = root / "work"
    shutil.copytree(ROOT / "articles", work / "articles.new")
    assert build(work / "articles.new", work / "site", work / "index", jobs=1) == 0
    old_site, old_index = snapshot(work / "site"), reader_view(work / "index")
    change(work / "articles.new")
    template = root / "template"
    shutil.copytree(work, template, symlinks=True)
    fresh = root / "fresh"
    assert build(work / "articles.new", fresh / "site", fresh / "index", jobs=1, full=True) == 0
    new_site, new_index = snapshot(fresh / "site"), reader_view(fresh / "index")
    assert old_site != new_site and old_index != new_index
    # the changed articles' segmentation given to the template's cache: the builds under test
    # spend their time publishing, not segmenting
    with sqlite3.connect(state_dir(template / "index") / "cache.db") as db:
        db.execute("ATTACH ? AS fresh", (str(state_dir(fresh / "index") / "cache.db"),))
        db.execute("INSERT OR IGNORE INTO analysis SELECT * FROM fresh.analysis")
    return Archive(work, template, old_site, old_index, new_site, new_index)


def run_stopping(args: list[str], **how) -> subprocess.CompletedProcess:
    """The command line in a process of its own, stopped as `how` says (tests/stopping.py)."""
    code, err = forked(args, **how)
    return subprocess.CompletedProcess(args, code, "", err)


def leftovers(work: Path) -> list[str]:
    state = state_dir(work / "index")
    return sorted([p.name for p in work.iterdir() if ".new-" in p.name or ".old-" in p.name]
                  + [p.name for p in state.iterdir() if p.name in (JOURNAL, NEXT_MANIFEST)
                     or p.name.startswith(SCRATCH_PREFIX)])


def assert_ends_new(archive: Archive, capsys, says: str = "2 changed, 1 removed", settles: str = "") -> None:
    """The next build repairs (`settles`: finishing a stopped build's publish,
    it `says` so; else it builds the change again, incrementally): the new site
    and index, nothing left behind, and then nothing to do."""
    capsys.readouterr()
    assert archive.build_new() == 0
    said = capsys.readouterr()
    assert says in said.out and settles in said.err
    assert snapshot(archive.work / "site") == archive.new_site
    assert reader_view(archive.work / "index") == archive.new_index
    assert leftovers(archive.work) == []
    capsys.readouterr()
    assert archive.build_new() == 0
    assert capsys.readouterr().out.startswith("nothing changed")


@pytest.mark.parametrize("step", STEPS)
def test_publishing_is_atomic_stopped_at_each_step(archive, step, capsys):
    work = archive.restore()
    proc = run_stopping(archive.args(), exit_at=step)
    assert proc.returncode == 9, proc.stderr        # stopped where it was told
    # a reader: the whole old site or the whole new one, and the index that goes with it
    site = snapshot(work / "site")
    if STEPS.index(step) < NEW_SITE_FROM:
        assert site == archive.old_site
        assert reader_view(work / "index") == archive.old_index
    else:
        assert site == archive.new_site
        assert reader_view(work / "index") == archive.new_index
    if step == "manifest staged":       # nothing published yet: the build is done again
        assert_ends_new(archive, capsys)
    elif STEPS.index(step) < STEPS.index("manifest saved"):     # the stopped build's publish is finished
        assert_ends_new(archive, capsys, says="nothing changed", settles="now in place")
    else:                               # it was published: only tidying was left
        assert_ends_new(archive, capsys, says="nothing changed")


def test_search_on_the_command_line_between_the_exchanges_answers_from_the_index_of_the_site(archive):
    """Stopped with the new index in place and the old site: `search` reads the
    index on the other side of the exchange, the one the site goes with."""
    work = archive.restore()
    assert run_stopping(archive.args(), exit_at="index exchanged").returncode == 9
    assert snapshot(work / "site") == archive.old_site
    search = subprocess.run([sys.executable, str(ROOT / "build_site.py"), "search", NEW_TITLE, "--json",
                             "--index", str(work / "index")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert search.returncode == 0 and search.stderr == ""
    ids = [hit["id"] for hit in json.loads(search.stdout)]
    assert ids == [aid for aid, _ in archive.old_index["answers"][NEW_TITLE]]
    assert ids != [aid for aid, _ in archive.new_index["answers"][NEW_TITLE]]


def test_search_while_a_build_is_between_its_exchanges_reads_the_index_of_the_site(archive, tmp_path, capsys):
    work = archive.restore()
    proc = subprocess.Popen([sys.executable, "-m", "tests.stopping", "--pause-at", "index exchanged",
                             str(tmp_path), "--", *archive.args()], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "paused").exists():
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr and proc.stderr.read()
            time.sleep(0.05)
        assert reader_view(work / "index") == archive.old_index
        assert index_to_read(work / "index", state_dir(work / "index"), patience=0.1) != work / "index"
    finally:
        (tmp_path / "go").touch()
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert snapshot(work / "site") == archive.new_site
    assert reader_view(work / "index") == archive.new_index
    assert leftovers(work) == []


# -- where the system cannot exchange in one step -------------------------------------

@pytest.mark.parametrize("renames", [1, 2, 4, 5])
def test_publishing_by_renames_where_there_is_no_exchange_is_repaired_by_the_next_build(archive, renames, capsys):
    """The fallback (three renames a folder) leaves a moment without the
    folder; stopped there, the site is whole or absent, never mixed, and
    the next build puts it right."""
    work = archive.restore()
    proc = run_stopping(archive.args(), no_exchange=True, exit_after_renames=renames)
    assert proc.returncode == 9, proc.stderr
    if (work / "site").exists():
        assert snapshot(work / "site") in (archive.old_site, archive.new_site)
    else:
        assert renames == 4       # parked between the site's first two renames
    assert_ends_new(archive, capsys, says="nothing changed", settles="now in place")


def test_publishing_by_renames_where_there_is_no_exchange_gives_the_new_ones(archive, capsys):
    work = archive.restore()
    proc = run_stopping(archive.args(), no_exchange=True)
    assert proc.returncode == 0, proc.stderr
    assert snapshot(work / "site") == archive.new_site
    assert reader_view(work / "index") == archive.new_index
    assert leftovers(work) == []


# -- a failure after staging --------------------------------------------------------------

def assert_both_old_and_one_line(archive: Archive, proc: subprocess.CompletedProcess, capsys) -> None:
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "could not be replaced" in proc.stderr and "as they were" in proc.stderr
    assert snapshot(archive.work / "site") == archive.old_site
    assert reader_view(archive.work / "index") == archive.old_index
    assert leftovers(archive.work) == []


def test_a_site_made_immutable_leaves_the_old_index_and_site_and_one_line(archive, capsys):
    work = archive.restore()
    if shutil.which("chattr") is None:
        pytest.skip("no chattr here to make a folder immutable")
    made = subprocess.run(["chattr", "+i", str(work / "site")], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"this file system or user cannot make a folder immutable: {made.stderr.strip()}")
    try:
        proc = subprocess.run([sys.executable, str(ROOT / "build_site.py"), *archive.args()], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert str(work / "site") in proc.stderr
        assert_both_old_and_one_line(archive, proc, capsys)
    finally:
        subprocess.run(["chattr", "-i", str(work / "site")], check=True)
    assert_ends_new(archive, capsys)


@pytest.mark.parametrize("step", ["exchanging index", "exchanging site"])
def test_a_folder_that_may_not_be_replaced_leaves_the_old_index_and_site_and_one_line(archive, step, capsys):
    archive.restore()
    proc = run_stopping(archive.args(), fail_at=step)
    assert_both_old_and_one_line(archive, proc, capsys)
    assert_ends_new(archive, capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder: no failure to see")
def test_a_read_only_parent_leaves_the_old_index_and_site_and_one_line(archive, capsys):
    work = archive.restore()
    work.chmod(0o555)
    try:
        proc = subprocess.run([sys.executable, str(ROOT / "build_site.py"), *archive.args()], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
    finally:
        work.chmod(0o755)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert snapshot(work / "site") == archive.old_site
    assert reader_view(work / "index") == archive.old_index


def test_the_site_and_the_index_carry_one_stamp(archive):
    work = archive.restore()
    stamp = (work / "site" / STAMP_FILE).read_text().strip()
    record = json.loads((work / "index" / "site.json").read_text())
    assert record == {"site": str((work / "site").resolve()), "stamp": stamp}
