"""The one rule for every file of the site: made when the digest of its
inputs changed or the file is damaged, kept otherwise; removed when no
stage names it any more; a whole group kept when its stage says none of it
can have changed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from quzhou_archive.pipeline import outputs as outputs_module
from quzhou_archive.pipeline.outputs import Outputs, OutputsCheck, Repair, StagedSite, check_outputs
from quzhou_archive.pipeline.publish import STAMP_FILE
from quzhou_archive.pipeline.state import Manifest


def first_build(tmp_path: Path) -> tuple[Path, Manifest]:
    """A published site of four files in two groups, and its manifest."""
    site = StagedSite(tmp_path / "site")
    outputs = Outputs(site, Manifest(), Repair())
    for group, path, inputs in [("pages", "a.html", "A1"), ("pages", "b.html", "B1"), ("pages", "c.html", "C1"),
                                ("feeds", "feed.xml", "F1")]:
        outputs.write(group, path, inputs, lambda: f"{path} made from {inputs}")
    for group in ("pages", "feeds"):
        outputs.keep_group(group, f"{group} 1")
    stamp = outputs.finish()
    return site.root, Manifest(settings="s", stamp=stamp, outputs=outputs.records, groups=outputs.groups)


class Build:
    """A later build in the same folder; what it makes is logged in `made`."""

    def __init__(self, root: Path, last: Manifest):
        self.outputs = Outputs(StagedSite(root), last, check_outputs(last, root, root))
        self.made: list[str] = []

    def name(self, group: str, path: str, inputs: str) -> None:
        self.outputs.write(group, path, inputs, lambda: self.made.append(path) or f"{path} made from {inputs}")


def test_a_file_whose_inputs_are_the_same_is_kept_and_one_whose_inputs_changed_is_made(tmp_path):
    root, last = first_build(tmp_path)
    before = os.stat(root / "a.html").st_mtime_ns
    build = Build(root, last)
    build.name("pages", "a.html", "A1")
    build.name("pages", "b.html", "B2")
    build.name("pages", "c.html", "C1")
    build.name("feeds", "feed.xml", "F1")
    build.outputs.finish()
    assert build.made == ["b.html"]
    assert (root / "b.html").read_text() == "b.html made from B2"
    assert os.stat(root / "a.html").st_mtime_ns == before
    assert build.outputs.records["b.html"].inputs == "B2"


def test_a_file_no_stage_names_any_more_is_removed(tmp_path):
    root, last = first_build(tmp_path)
    build = Build(root, last)
    build.name("pages", "a.html", "A1")
    build.name("feeds", "feed.xml", "F1")
    build.outputs.finish()
    assert not (root / "b.html").exists() and not (root / "c.html").exists()
    assert set(build.outputs.records) == {"a.html", "feed.xml", STAMP_FILE}
    assert build.made == []


def test_a_damaged_file_is_made_again_though_its_inputs_are_the_same(tmp_path):
    root, last = first_build(tmp_path)
    (root / "a.html").write_text("someone's edit")
    (root / "c.html").unlink()
    build = Build(root, last)
    for path, inputs in [("a.html", "A1"), ("b.html", "B1"), ("c.html", "C1")]:
        build.name("pages", path, inputs)
    build.name("feeds", "feed.xml", "F1")
    build.outputs.finish()
    assert build.made == ["a.html", "c.html"]
    assert (root / "a.html").read_text() == "a.html made from A1"


def test_a_kept_group_keeps_the_files_not_named_again(tmp_path):
    root, last = first_build(tmp_path)
    build = Build(root, last)
    assert build.outputs.keep_group("pages", "pages 1")
    build.name("pages", "b.html", "B2")           # the one page whose own inputs changed
    assert not build.outputs.keep_group("feeds", "feeds 2")
    build.name("feeds", "feed.xml", "F2")
    build.outputs.finish()
    assert build.made == ["b.html", "feed.xml"]
    assert set(build.outputs.records) == {"a.html", "b.html", "c.html", "feed.xml", STAMP_FILE}
    assert build.outputs.paths("pages") == ["a.html", "b.html", "c.html"]


def test_a_group_with_a_damaged_file_is_not_kept(tmp_path):
    root, last = first_build(tmp_path)
    (root / "c.html").unlink()
    build = Build(root, last)
    assert not build.outputs.keep_group("pages", "pages 1")
    assert build.outputs.keep_group("feeds", "feeds 1")


def test_the_stamp_is_the_same_when_the_files_are(tmp_path):
    root, last = first_build(tmp_path)
    build = Build(root, last)
    for path, inputs in [("a.html", "A1"), ("b.html", "B1"), ("c.html", "C1")]:
        build.name("pages", path, inputs)
    build.name("feeds", "feed.xml", "F1")
    assert build.outputs.finish() == last.stamp
    build = Build(root, last)
    build.name("pages", "a.html", "A2")
    assert build.outputs.finish() != last.stamp


# -- the published files, looked at in shares by forked processes -----------------------------

def damage(root: Path) -> None:
    (root / "a.html").unlink()                              # missing
    (root / "c.html").write_text("c.html changed by hand")   # changed
    os.utime(root / "feed.xml", ns=(10**18, 10**18))        # touched: its bytes the same


def test_shares_looked_at_by_forked_processes_find_what_one_process_finds(tmp_path, monkeypatch):
    root, last = first_build(tmp_path)
    damage(root)
    monkeypatch.setattr(outputs_module, "CHECKED_APART_FROM", 1)
    check = OutputsCheck(last, root, root, jobs=3)
    assert len(check.forked) == 2           # two shares looked at elsewhere, one here
    found, alone = check.result(), check_outputs(last, root, root)
    assert found.site == alone.site == {"a.html", "c.html"}
    assert found.retimed == alone.retimed == {"feed.xml": 10**18}


def test_a_share_whose_process_failed_is_looked_at_here(tmp_path, monkeypatch):
    root, last = first_build(tmp_path)
    damage(root)
    here, real = os.getpid(), outputs_module.check_outputs

    def failing_when_forked(*args):
        if os.getpid() != here:
            raise OSError("the disk went away")
        return real(*args)

    monkeypatch.setattr(outputs_module, "check_outputs", failing_when_forked)
    monkeypatch.setattr(outputs_module, "CHECKED_APART_FROM", 1)
    found = OutputsCheck(last, root, root, jobs=4).result()
    assert found.site == {"a.html", "c.html"} and found.retimed == {"feed.xml": 10**18}


def test_a_check_not_asked_for_stops_its_processes(tmp_path, monkeypatch):
    root, last = first_build(tmp_path)
    monkeypatch.setattr(outputs_module, "CHECKED_APART_FROM", 1)
    check = OutputsCheck(last, root, root, jobs=3)
    pids = [forked.pid for forked, _, _ in check.forked]
    check.stop()
    for pid in pids:        # waited for: no process of that number is left to wait for
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, 0)


def test_the_stamp_is_the_digest_of_every_file_but_itself_a_line_each_in_path_order(tmp_path):
    from quzhou_archive.pipeline.outputs import listing
    from quzhou_archive.pipeline.state import OutputRecord

    records = {path: OutputRecord("pages", "i", f"d{n}", 1, 1) for n, path in enumerate(["b.html", STAMP_FILE, "a.html"])}
    assert listing(records) == "a.html:d2\nb.html:d0\n"
    assert listing({STAMP_FILE: records[STAMP_FILE]}) == listing({}) == ""
    root, last = first_build(tmp_path)
    assert (root / STAMP_FILE).read_text() == last.stamp + "\n"


@pytest.mark.parametrize("jobs", [1, 2, 5])
def test_a_check_of_no_published_files_finds_nothing(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(outputs_module, "CHECKED_APART_FROM", 0)
    found = OutputsCheck(Manifest(), tmp_path, tmp_path, jobs=jobs).result()
    assert not found and found.retimed == {}
