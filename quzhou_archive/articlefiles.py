"""Which files under an articles folder are articles: every `*.md`, hidden
folders and files left out. Apart from `articles.py`, which reads them,
so that a build that only looks at the files loads no parser."""
from __future__ import annotations

import os
from pathlib import Path


def article_paths(root: Path) -> list[Path]:
    """Every article file under `root`, sorted."""
    return [Path(p) for p in article_files(str(root))]


def article_files(root: str) -> list[str]:
    """`article_paths` as strings."""
    return [path for path, _, _ in article_file_stats(root)]


def article_file_stats(root: str) -> list[tuple[str, int, int]]:
    """(path, size, modification time in ns) of every article file, sorted
    by path: what a build looks at every time, so one `scandir` pass whose
    entries carry their paths, and no path objects."""
    found, folders = [], [root]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):     # (as os.walk: a linked folder is not entered)
                    folders.append(entry.path)
                elif name.endswith(".md") and entry.is_file():
                    stat = entry.stat()
                    found.append((entry.path, stat.st_size, stat.st_mtime_ns))
    found.sort()
    return found
