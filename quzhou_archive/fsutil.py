"""Writing to disk so that nobody ever sees half a file or half a folder."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder, then rename over the target."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:   # the folder is not there yet (asked only then: a batch writes many files to one folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def staging_dir(target: Path) -> Path:
    """An empty folder beside `target`, to build its replacement in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))


@contextmanager
def staging(target: Path, linked: bool = False):
    """A staging folder for `target` (a hard-linked copy of it if `linked`),
    deleted if the block fails; on success it is the caller's to swap in."""
    new = staging_dir(target)
    try:
        if linked and target.exists():
            link_tree(target, new)
        yield new
    except BaseException:
        remove_tree(new)
        raise


def link_tree(source: Path, target: Path) -> None:
    """`target` (empty) made a copy of `source` of hard links, which cost no
    copying: `cp -al` where there is one, else file by file."""
    cp = shutil.which("cp")
    if cp and sys.platform.startswith("linux"):
        target.rmdir()
        if subprocess.run([cp, "-al", str(source), str(target)], capture_output=True).returncode == 0:
            return
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
    for item in source.rglob("*"):
        rel = item.relative_to(source)
        if item.is_dir():
            (target / rel).mkdir(parents=True, exist_ok=True)
        else:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(item, target / rel)
            except OSError:
                shutil.copy2(item, target / rel)


def swap_in(new: Path, target: Path) -> None:
    """Replace folder `target` by the complete folder `new`."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            remove_tree(old)
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        remove_tree(old)


def remove_tree(folder: Path) -> None:
    """Delete a folder: `rm -rf` where there is one (a site is thousands of files), else shutil."""
    rm = shutil.which("rm")
    if rm and sys.platform.startswith("linux"):
        if subprocess.run([rm, "-rf", "--", str(folder)], capture_output=True).returncode == 0:
            return
    shutil.rmtree(folder, ignore_errors=True)


def write_tree(target: Path, files: dict[str, str | bytes]) -> None:
    """Write a whole folder of files and swap it in; on failure the old folder stays."""
    new = staging_dir(target)
    try:
        for rel, data in files.items():
            path = new / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        swap_in(new, target)
    finally:
        if new.exists():
            shutil.rmtree(new, ignore_errors=True)
