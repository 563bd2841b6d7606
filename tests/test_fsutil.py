"""Writing files so that nobody sees half of one."""
from __future__ import annotations

import pytest

from quzhou_archive.fsutil import atomic_write


def test_atomic_write_creates_missing_folders_and_replaces_a_file(tmp_path):
    target = tmp_path / "2024" / "11" / "30" / "page.md"
    atomic_write(target, "一")
    atomic_write(target, "二")
    atomic_write(target.with_name("other.md"), b"\xe4\xb8\x89")
    assert target.read_text(encoding="utf-8") == "二"
    assert sorted(p.name for p in target.parent.iterdir()) == ["other.md", "page.md"]   # no temporary file left


def test_atomic_write_into_a_file_fails_like_a_folder_would(tmp_path):
    (tmp_path / "taken").write_text("x")
    with pytest.raises(FileExistsError):   # a file stands where the folder should be
        atomic_write(tmp_path / "taken" / "page.md", "x")
