"""Worker processes for the stages that split their work, and what each
worker keeps open for the tasks it is given (the content cache)."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

from quzhou_archive.pipeline.state import ContentCache
from quzhou_archive.progress import progress

PARALLEL_FROM = 64          # fewer items than this are done in this process


class Workers:
    """Worker processes for the stages that split their work. With `warm`, they
    load jieba at once, while this process reads the articles. When little
    work is expected (`few`: an incremental build), one warm worker is
    started, on a core of its own, and the whole set only if a stage turns
    out to have many items after all. Small jobs are done in this process."""

    def __init__(self, jobs: int, warm: bool = False, few: bool = False):
        self.jobs = jobs
        self.warm = warm
        self._pool = self._single = None
        self._used = False
        if warm and few:
            self._single = self._start(1)
        elif warm and jobs > 1:
            self._pool = self._start(jobs)

    def _start(self, n: int):
        return multiprocessing.get_context("fork").Pool(n, initializer=_warm_up if self.warm else None)

    def map(self, func, items: list, desc: str, unit: str, chunksize: int = 16, always: bool = False,
            size: int | None = None):
        """func over items, in order: in the workers when there is enough work
        (`size`, if an item is more than one article's worth), or `always`."""
        many = (len(items) if size is None else size) >= PARALLEL_FROM
        if items and always and self._single is not None and not many:
            self._used = True
            results = self._single.imap(func, items, chunksize=chunksize)
        elif self.jobs > 1 and items and (always or many):
            if self._pool is None:
                self._pool = self._start(self.jobs)
            self._used = True
            results = self._pool.imap(func, items, chunksize=chunksize)
        else:
            results = map(func, items)
        return progress(results, desc=desc, unit=unit, total=len(items))

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        for pool in (self._pool, self._single):
            if pool is not None:
                if kind is None:
                    pool.close()
                else:
                    pool.terminate()
                pool.join()
        self._pool = self._single = None

    def cool_down(self) -> None:
        """Let the workers that loaded jieba go (a hundred megabytes each): the
        stages after segmenting fork new ones when they need them. Workers
        that were never given work are stopped, not waited for (they may
        still be loading jieba)."""
        if self._used:
            self.__exit__(None, None, None)
        else:
            self.cancel()
        self.warm = False
        self._used = False

    def cancel(self) -> None:
        """Stop at once (nothing to do after all)."""
        for pool in (self._pool, self._single):
            if pool is not None:
                pool.terminate()
                pool.join()
        self._pool = self._single = None


def _warm_up() -> None:
    from quzhou_archive.analyse.segment import _jieba

    _jieba()


_WORKER_CACHE: dict = {}


def _worker_cache(folder: str, version: str) -> ContentCache:
    """The content cache, opened once per worker process."""
    if (folder, version) not in _WORKER_CACHE:
        _WORKER_CACHE[(folder, version)] = ContentCache(Path(folder), version)
    return _WORKER_CACHE[(folder, version)]


def _close_worker_caches() -> None:
    """(When the work was done in this process.)"""
    for cache in _WORKER_CACHE.values():
        cache.close()
    _WORKER_CACHE.clear()
