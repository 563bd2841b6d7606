"""The real command line, stopped or failed at a named step of publishing:
as a program, or `forked` from a test.

    python -m tests.stopping [--exit-at STEP] [--fail-at STEP] [--pause-at STEP DIR]
                             [--exit-after-renames N] [--no-exchange] -- build ARGS…

--exit-at STEP          the process ends there (os._exit: no clean-up, as a kill)
--fail-at STEP          an OSError (EPERM) is raised there, as a folder that may not be renamed gives
--pause-at STEP DIR     DIR/paused is made there, and the build waits for DIR/go
--exit-after-renames N  the process ends after the N-th rename once publishing began
--no-exchange           as on a system without renameat2: the three-rename fallback
"""
from __future__ import annotations

import argparse
import errno
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from quzhou_archive import fsutil
from quzhou_archive.pipeline import publish
from quzhou_archive.cli import main


def hook(exit_at=None, fail_at=None, pause_at=None):
    started = {"publishing": False}

    def at(step: str) -> None:
        if step == "journal written":
            started["publishing"] = True
        if step == exit_at:
            os._exit(9)
        if step == fail_at:
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), "(injected)")
        if pause_at and step == pause_at[0]:
            folder = Path(pause_at[1])
            (folder / "paused").touch()
            deadline = time.monotonic() + 120
            while not (folder / "go").exists() and time.monotonic() < deadline:
                time.sleep(0.02)

    return at, started


def count_renames(limit: int, started: dict) -> None:
    rename = os.rename
    done = [0]

    def counted(a, b, *rest, **named):
        rename(a, b, *rest, **named)
        if started["publishing"]:
            done[0] += 1
            if done[0] == limit:
                os._exit(9)

    os.rename = counted


def run(command: list[str], exit_at=None, fail_at=None, pause_at=None, exit_after_renames=None,
        no_exchange=False) -> int:
    """The command line's main(), with the step hook set (in a process of its own)."""
    publish.STEP_HOOK, started = hook(exit_at, fail_at, pause_at)
    if no_exchange:
        fsutil._renameat2 = None
    if exit_after_renames:
        count_renames(exit_after_renames, started)
    return main(command)


def forked(command: list[str], **how) -> tuple[int, str]:
    """`run` in a forked child (which has this process's modules and jieba
    already loaded): its exit code and what it wrote to stderr."""
    with tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:     # the child: never returns
            code = 70
            try:
                sys.stdout = open(os.devnull, "w")
                sys.stderr = os.fdopen(os.dup(err.fileno()), "w", buffering=1)
                code = run(command, **how)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), err.read().decode("utf-8", "replace")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--exit-at")
    parser.add_argument("--fail-at")
    parser.add_argument("--pause-at", nargs=2)
    parser.add_argument("--exit-after-renames", type=int)
    parser.add_argument("--no-exchange", action="store_true")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    sys.exit(run(command, args.exit_at, args.fail_at, args.pause_at, args.exit_after_renames, args.no_exchange))
