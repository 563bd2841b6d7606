"""Worker processes for the stages that split their work.

A stage maps a function over its items with `Workers.map`; with enough
items the work goes to a pool of forked processes, else it is done in this
process (a pool costs more than a few items). What the function needs
besides its item — the analysis cache, the renderer, the vocabulary — is
the stage's *kit*: one object, set up once in each worker (inherited
through the fork, never sent), and handed to every call as `func(kit,
item)`. No stage keeps anything for its workers in module globals.

Pools start only when a stage has the work for them, and each is gone when
its stage is: a pool forked for rendering never loaded jieba, and the ones
that loaded it do not outlive segmenting.
"""
from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import marshal
import multiprocessing
import os
import signal
from pathlib import Path

from quzhou_archive.progress import progress

PARALLEL_FROM = 64          # fewer items than this are done in this process


class Kit:
    """What a stage's tasks need besides their items. `setup` runs once in
    each worker before its first task (loading what every task uses),
    `close` once the stage is done with it in this process."""

    def setup(self) -> None:
        pass

    def close(self) -> None:
        pass


class CacheKit(Kit):
    """A kit whose tasks read the analysis cache (in `cache_folder`, which
    the kit names): opened in each process when a task first reads it, as a
    connection must not cross a fork, and closed with the kit."""

    @property
    def cache(self):
        opened = self.__dict__.get("_opened_cache")
        if opened is None:
            from quzhou_archive.pipeline.state import AnalysisCache

            opened = self.__dict__["_opened_cache"] = AnalysisCache(Path(self.cache_folder))
        return opened

    def close(self) -> None:
        opened = self.__dict__.pop("_opened_cache", None)
        if opened is not None:
            opened.close()


def keep_freed_memory() -> None:
    """In a worker process: let the C allocator keep the memory a task frees
    (up to what the next task asks for again) instead of handing large
    blocks back to the system at once. Array work (numpy) allocates and
    frees temporaries of megabytes on every call; given back, each page of
    them faults in afresh the next time, which cost the export's workers
    more system time than their arithmetic. glibc only: elsewhere nothing
    changes."""
    if multiprocessing.parent_process() is None:
        return                  # the build's own process keeps the allocator's defaults
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 32 << 20)     # glibc's largest: blocks below it come from the heap
        libc.mallopt(M_TRIM_THRESHOLD, 128 << 20)    # the heap shrinks only past this much free at its top
    except (OSError, AttributeError):
        pass


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3      # glibc's mallopt parameters


_KIT: Kit | None = None     # in a worker process: the kit of the pool it belongs to


def _start_worker(kit: Kit) -> None:
    global _KIT
    _KIT = kit
    kit.setup()


def _call(func, item):
    return func(_KIT, item)


class Workers:
    """A pool of `jobs` worker processes for one stage, started on the first
    `map` that has enough work, stopped when the stage leaves the `with`."""

    def __init__(self, jobs: int, kit: Kit):
        self.jobs = jobs
        self.kit = kit
        self._pool = None
        self._local_ready = False

    def _start(self):
        # objects the parent already holds are frozen out of the collector's
        # reach, so that the workers' collections do not copy the pages
        # holding them (fork shares them until either process writes)
        gc.collect()
        gc.freeze()
        try:
            return multiprocessing.get_context("fork").Pool(self.jobs, initializer=_start_worker, initargs=(self.kit,))
        finally:
            gc.unfreeze()

    def begin(self) -> "Workers":
        """Start the workers now, whatever work comes: their kit's `setup`
        (loading jieba, say) goes on while this process does other things."""
        if self._pool is None:
            self._pool = self._start()
        return self

    def map(self, func, items: list, desc: str | None, unit: str, chunksize: int = 16, size: int | None = None):
        """func(kit, item) over items, in order: in the workers when there is
        enough work (`size`: how much is expected, where an item is more than
        one article's worth or `items` one batch of many), or when they were
        begun; else in this process. A progress bar shows it under `desc`,
        if given."""
        expected = len(items) if size is None else size
        if self._pool is not None or (self.jobs > 1 and expected >= PARALLEL_FROM):
            if self._pool is None:
                self._pool = self._start()
            results = self._pool.imap(functools.partial(_call, func), items, chunksize=chunksize)
        else:
            if not self._local_ready:
                self.kit.setup()
                self._local_ready = True
            results = (func(self.kit, item) for item in items)
        return results if desc is None else progress(results, desc=desc, unit=unit, total=len(items))

    def stop(self) -> None:
        """Stop the workers, whatever they are doing (a build that ends without their work)."""
        self.__exit__(RuntimeError, None, None)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if self._pool is not None:
            if kind is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None
        self.kit.close()


class Forked:
    """func(*args) worked out in a forked process while this one goes on,
    its answer (plain data) sent back marshalled down a pipe: for work of
    many system calls wrapped in Python (stat calls by the hundred
    thousand), which threads could only take turns at. Only forked while
    the build runs no other thread: a fork copies only the thread that
    makes it."""

    def __init__(self, func, *args):
        self.pid, self.pipe = None, None
        reading, writing = os.pipe()
        gc.freeze()         # the collector kept off the objects both processes share, so that no page is copied
        try:
            self.pid = os.fork()
        except OSError:     # no process to be had (the system's limit): the caller does the work itself
            os.close(reading)
            os.close(writing)
            return
        finally:
            gc.unfreeze()
        if self.pid == 0:
            os.close(reading)
            _answer(writing, func, args)
        os.close(writing)
        self.pipe = os.fdopen(reading, "rb")

    def result(self):
        """The answer; None if the process failed (or could not be started)."""
        if self.pipe is None:
            return None
        with self.pipe:
            data = self.pipe.read()
        status = self._wait()
        return marshal.loads(data) if status == 0 else None

    def stop(self) -> None:
        """Stop the process, whatever it is doing, and wait for it (unless it was waited for)."""
        if self.pipe is not None:
            self.pipe.close()
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._wait()

    def _wait(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        self.pid = None         # (its number may be another process's from now on)
        return status


def _answer(writing: int, func, args) -> None:
    """(In a forked process, which ends here, whatever happens: no cleanup
    of what it shares with the build's process is run.)"""
    status = 1
    try:
        gc.disable()
        data = marshal.dumps(func(*args))
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)
