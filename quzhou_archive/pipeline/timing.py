"""Stage durations, printed when QZ_TIMINGS is set (as the benchmark does)."""
from __future__ import annotations

import os
import resource
import sys
import time
from contextlib import contextmanager

TIMINGS: dict[str, float] = {}


@contextmanager
def timed(stage: str):
    """Stage durations, printed when QZ_TIMINGS is set (as the benchmark does)."""
    started, cpu = time.perf_counter(), cpu_seconds()
    try:
        yield
    finally:
        TIMINGS[stage] = TIMINGS.get(stage, 0.0) + time.perf_counter() - started
        if os.environ.get("QZ_TIMINGS"):
            print(f"  {stage}: {TIMINGS[stage]:.1f} s (CPU {cpu_seconds() - cpu:.1f} s; largest so far {peak_mib()} MiB)",
                  file=sys.stderr, flush=True)


def cpu_seconds() -> float:
    """CPU time of this process and of the workers it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mib() -> int:
    """This process's largest resident size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def note(stage: str, seconds: float) -> None:
    """A duration measured elsewhere (CPU time the workers report), printed as `timed` prints."""
    TIMINGS[stage] = TIMINGS.get(stage, 0.0) + seconds
    if os.environ.get("QZ_TIMINGS"):
        print(f"  {stage}: {TIMINGS[stage]:.1f} s", file=sys.stderr, flush=True)
