"""Writing to disk: nobody sees half a file; modes as the umask says; folders exchanged whole."""
from __future__ import annotations

import os
import sys

import pytest

from quzhou_archive import fsutil


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def mode(path) -> int:
    return path.stat().st_mode & 0o7777


def test_atomic_write_creates_missing_folders_and_replaces_a_file(tmp_path):
    target = tmp_path / "2024" / "11" / "30" / "page.md"
    fsutil.atomic_write(target, "一")
    fsutil.atomic_write(target, "二")
    fsutil.atomic_write(target.with_name("other.md"), b"\xe4\xb8\x89")
    assert target.read_text(encoding="utf-8") == "二"
    assert sorted(p.name for p in target.parent.iterdir()) == ["other.md", "page.md"]   # no temporary file left


def test_atomic_write_into_a_file_fails_like_a_folder_would(tmp_path):
    (tmp_path / "taken").write_text("x")
    with pytest.raises(FileExistsError):   # a file stands where the folder should be
        fsutil.atomic_write(tmp_path / "taken" / "page.md", "x")


def test_current_umask_is_what_the_process_has(umask_027):
    assert fsutil.current_umask() == 0o027
    assert (fsutil.folder_mode(), fsutil.file_mode()) == (0o750, 0o640)


def test_atomic_write_gives_a_new_file_the_umask_mode_and_keeps_an_old_files_mode(tmp_path, umask_027):
    fsutil.atomic_write(tmp_path / "new.txt", "新")
    assert mode(tmp_path / "new.txt") == 0o640          # not mkstemp's 0600
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o604)
    fsutil.atomic_write(kept, "new", durable=True)
    assert kept.read_text() == "new" and mode(kept) == 0o604


def test_staging_folders_have_the_umask_mode_not_mkdtemps(tmp_path, umask_027):
    old = tmp_path / "site"
    old.mkdir()
    old.chmod(0o700)                 # as a site staged by mkdtemp alone was
    (old / "page.html").write_text("x")
    assert mode(fsutil.staging_dir(old)) == 0o750
    with fsutil.staging(old, linked=True) as new:
        assert mode(new) == 0o750 and (new / "page.html").read_text() == "x"


def folder(path, text):
    path.mkdir()
    (path / "a.txt").write_text(text)
    return path


def test_exchange_swaps_two_folders(tmp_path):
    a, b = folder(tmp_path / "a", "new"), folder(tmp_path / "b", "old")
    fsutil.exchange(a, b)
    assert (b / "a.txt").read_text() == "new" and (a / "a.txt").read_text() == "old"


def test_exchange_with_one_folder_absent_is_a_rename(tmp_path):
    a = folder(tmp_path / "a", "new")
    fsutil.exchange(a, tmp_path / "b")
    assert (tmp_path / "b" / "a.txt").read_text() == "new" and not a.exists()
    fsutil.exchange(a, tmp_path / "b")
    assert (a / "a.txt").read_text() == "new" and not (tmp_path / "b").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_exchange_is_one_step_on_linux(tmp_path):
    a, b = folder(tmp_path / "a", "new"), folder(tmp_path / "b", "old")
    inode = b.stat().st_ino
    assert fsutil.exchange_in_one_step(a, b), "renameat2(RENAME_EXCHANGE) unavailable: publishing falls back"
    assert a.stat().st_ino == inode and not fsutil.side_path(b).exists()


def test_exchange_falls_back_to_renames_where_there_is_no_exchange(tmp_path, monkeypatch):
    monkeypatch.setattr(fsutil, "_renameat2", None)
    a, b = folder(tmp_path / "a", "new"), folder(tmp_path / "b", "old")
    assert not fsutil.exchange_in_one_step(a, b)
    fsutil.exchange(a, b)
    assert (b / "a.txt").read_text() == "new" and (a / "a.txt").read_text() == "old"
    assert not fsutil.side_path(b).exists()


def test_swap_in_replaces_a_folder_and_leaves_nothing_beside_it(tmp_path):
    new, target = folder(tmp_path / "new", "new"), folder(tmp_path / "target", "old")
    fsutil.swap_in(new, target)
    assert (target / "a.txt").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


def test_a_tree_linked_in_the_background_shares_every_file_and_can_be_called_off(tmp_path, monkeypatch):
    old = tmp_path / "site"
    (old / "a" / "b").mkdir(parents=True)
    (old / "a" / "b" / "page.html").write_text("x")
    (old / "top.html").write_text("y")
    for cp in (True, False):        # `cp -al`, and the file-by-file copy where there is no cp
        if not cp:
            monkeypatch.setattr(fsutil.shutil, "which", lambda name: None)
        link = fsutil.TreeLink(old, fsutil.staging_dir(old))
        copy = link.wait()
        assert sorted(p.relative_to(copy) for p in copy.rglob("*")) == sorted(p.relative_to(old) for p in old.rglob("*"))
        assert (copy / "a" / "b" / "page.html").stat().st_ino == (old / "a" / "b" / "page.html").stat().st_ino
        fsutil.remove_tree(copy)
        called_off = fsutil.TreeLink(old, fsutil.staging_dir(old))
        called_off.cancel()
        assert not called_off.target.exists() and [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_tree_removed_soon_is_gone_from_its_name_at_once_and_from_the_disk_shortly(tmp_path):
    import time

    old = tmp_path / ".site.new-abc"
    for n in range(200):
        (old / f"d{n % 7}").mkdir(parents=True, exist_ok=True)
        (old / f"d{n % 7}" / f"{n}.html").write_text("x")
    fsutil.remove_tree_soon(old)
    assert not old.exists()
    deadline = time.monotonic() + 10
    while list(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(tmp_path.iterdir()) == []       # the trash, too, by the rm left running


def test_trash_left_by_a_cut_short_removal_is_cleared_by_the_next_build_in_the_background(tmp_path, monkeypatch):
    import time

    from quzhou_archive.pipeline import state

    site, index = tmp_path / "site", tmp_path / "index"
    site.mkdir()
    trash = tmp_path / f".site{fsutil.TRASH_MARK}123"
    (trash / "a").mkdir(parents=True)
    waited_for = []
    monkeypatch.setattr(state.shutil, "rmtree", lambda *a, **k: waited_for.append(a))
    state.remove_leftovers(site, index, tmp_path / "state")
    assert waited_for == []         # a removal still under way is not waited for
    deadline = time.monotonic() + 10
    while trash.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
