"""Writing to disk so that nobody ever sees half a file or half a folder.

Files and folders get the modes the process's umask asks for (0644 and
0755 with the usual 022), as a static host serving them as another user
needs: `tempfile` alone would make them 0600 and 0700.

`exchange` swaps two folders in one step where the system can
(`renameat2(RENAME_EXCHANGE)`, Linux 3.15 and glibc 2.28 on), so that a
reader finds the old folder or the new one and never neither. Elsewhere
(another system, or a file system without it) it falls back to three
renames, between which the target is briefly absent; `publish.py` keeps a
journal so that a build stopped there is put right by the next one.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


def current_umask() -> int:
    """The process's umask (read from /proc where there is one: setting it
    to read it back is not safe beside other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def folder_mode() -> int:
    return 0o777 & ~current_umask()


def file_mode() -> int:
    return 0o666 & ~current_umask()


def atomic_write(path: Path, data: str | bytes, durable: bool = False) -> None:
    """Write via a temporary file in the same folder, then rename over the
    target. The file keeps the mode it had (a new one: what the umask says);
    `durable`: on disk before the rename (for a journal)."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except (FileNotFoundError, NotADirectoryError):   # new, or its folder is not there (yet)
        mode = file_mode()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:   # the folder is not there yet (asked only then: a batch writes many files to one folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
        if durable:
            sync_folder(path.parent)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (where folders can be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def staging_dir(target: Path) -> Path:
    """An empty folder beside `target`, to build its replacement in (with the
    mode the umask gives a folder, not mkdtemp's 0700: it is published)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    os.chmod(new, folder_mode())
    return new


@contextmanager
def staging(target: Path, linked: bool = False):
    """A staging folder for `target` (a hard-linked copy of it if `linked`),
    deleted if the block fails; on success it is the caller's to swap in."""
    new = staging_dir(target)
    try:
        if linked and target.exists():
            link_tree(target, new)
            os.chmod(new, folder_mode())    # the copy took the old folder's mode
        yield new
    except BaseException:
        remove_tree(new)
        raise


def link_tree(source: Path, target: Path) -> None:
    """`target` (empty) made a copy of `source` of hard links, which cost no
    copying: `cp -al` where there is one, else file by file."""
    TreeLink(source, target).wait()


class TreeLink:
    """`link_tree` under way in the background (`cp -al`, where there is
    one), while this process goes on with other work: `wait` gives the
    finished copy, `cancel` stops it and removes what it made."""

    def __init__(self, source: Path, target: Path):
        self.source, self.target = Path(source), Path(target)
        self._cp = None
        cp = shutil.which("cp")
        if cp and sys.platform.startswith("linux"):
            self.target.rmdir()
            self._cp = subprocess.Popen([cp, "-al", str(self.source), str(self.target)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait(self) -> Path:
        if self._cp is not None:
            if self._cp.wait() == 0:
                return self.target
            shutil.rmtree(self.target, ignore_errors=True)
            self.target.mkdir()
        _link_files(self.source, self.target)
        return self.target

    def cancel(self) -> None:
        if self._cp is not None and self._cp.poll() is None:
            self._cp.kill()
            self._cp.wait()
        remove_tree(self.target)


def _link_files(source: Path, target: Path) -> None:
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


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NOT_SUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _load_renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):     # a C library without it (glibc before 2.28, some others)
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    call.restype = ctypes.c_int
    return call


_renameat2 = _load_renameat2()


def exchange_in_one_step(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False where the system or the
    file system cannot (then nothing happened)."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NOT_SUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(b))


def side_path(target: Path, pid: int | None = None) -> Path:
    """Where the three-rename fallback parks `target` for a moment."""
    return target.with_name(f".{target.name}.old-{pid or os.getpid()}")


def exchange(a: Path, b: Path, side: Path | None = None) -> None:
    """Swap what is at `a` and at `b` (either may be absent: then it is a
    rename). In one step where possible, else by way of `side`."""
    a, b = Path(a), Path(b)
    here_a, here_b = os.path.lexists(a), os.path.lexists(b)
    if here_a and here_b:
        if exchange_in_one_step(a, b):
            return
        side = side or side_path(b)
        os.rename(b, side)
        os.rename(a, b)
        os.rename(side, a)
    elif here_a:
        os.rename(a, b)
    elif here_b:
        os.rename(b, a)
    else:
        raise FileNotFoundError(errno.ENOENT, "neither folder exists", str(b))


def swap_in(new: Path, target: Path) -> None:
    """Replace folder `target` by the complete folder `new`."""
    exchange(new, target)
    if new.exists():
        remove_tree(new)      # what was the target


def remove_tree(folder: Path) -> None:
    """Delete a folder: `rm -rf` where there is one (a site is thousands of files), else shutil."""
    rm = shutil.which("rm")
    if rm and sys.platform.startswith("linux"):
        if subprocess.run([rm, "-rf", "--", str(folder)], capture_output=True).returncode == 0:
            return
    shutil.rmtree(folder, ignore_errors=True)


TRASH_MARK = ".trash-"      # a folder on its way out (`remove_tree_soon`)


def remove_tree_soon(folder: Path) -> None:
    """Delete a folder without waiting for it: renamed at once to a name
    with TRASH_MARK (which the next build clears, should this removal be
    cut short), its files then removed by an `rm -rf` left running on its
    own: an old site is tens of thousands of files, and the build that
    replaced it has nothing more to do with them."""
    folder = Path(folder)
    trash = folder.with_name(folder.name.replace(".new-", TRASH_MARK, 1) if ".new-" in folder.name
                             else f".{folder.name}{TRASH_MARK}{os.getpid()}")
    try:
        os.rename(folder, trash)
    except OSError:
        return remove_tree(folder)
    remove_in_background(trash)


def remove_in_background(folder: Path) -> None:
    """`rm -rf` of a folder, left running on its own (where there is no
    shell and rm, removed now)."""
    sh = shutil.which("sh")
    if not (sh and shutil.which("rm") and sys.platform.startswith("linux")):
        return remove_tree(folder)
    # sh starts rm in the background and ends at once: rm is nobody's child to wait for
    subprocess.run([sh, "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(folder)], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
