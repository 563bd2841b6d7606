#!/usr/bin/env python3
"""What the economic figures cost a full build: the same archive built from
nothing without them (the figures analyser and the figures stage taken
out), with their extraction only, and with everything they add, in turn,
in the same run; prints each time and the share the
figures add to the fastest of each (the target is at most 10 % at 10 000
articles), in wall time and in the CPU time of the build's processes.

usage: python benchmarks/figures_cost.py [--articles 10000] [--rounds 3]
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quzhou_archive.synthetic import generate  # noqa: E402

WITHOUT_FIGURES = """
import sys
from quzhou_archive.pipeline import analyse, build, figures, pages
analyse.ANALYSERS = tuple(a for a in analyse.ANALYSERS if a.name != "figures")
analyse.ALL = frozenset(a.name for a in analyse.ANALYSERS)
analyse.Analysis.figures = property(lambda self: [])     # the pages show none (workers are forked: they see this)
pages.READS = ("meta", "content")
figures.run = lambda ctx: None
figures.version = lambda code, results, base_url: "none"
sys.exit(build(sys.argv[1], sys.argv[2], sys.argv[3]))
"""
EXTRACTION_ONLY = """
import sys
from quzhou_archive.pipeline import analyse, build, figures, pages
analyse.Analysis.figures = property(lambda self: [])     # extracted and cached, shown nowhere
pages.READS = ("meta", "content")
figures.run = lambda ctx: None
sys.exit(build(sys.argv[1], sys.argv[2], sys.argv[3]))
"""
WITH_FIGURES = """
import sys
from quzhou_archive.pipeline import build
sys.exit(build(sys.argv[1], sys.argv[2], sys.argv[3]))
"""


def timed_build(script: str, articles: Path, work: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the build's processes)."""
    build_dir = work / "build"          # the site, the index and the build's memory of them: from nothing each time
    shutil.rmtree(build_dir, ignore_errors=True)
    build_dir.mkdir()
    out, index = build_dir / "_site", build_dir / "search_index"
    cpu_before = _children_cpu()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script, str(articles), str(out), str(index)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=3, help="builds of each kind, taken in turn (default 3)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="figures-cost-"))
    try:
        generate(args.articles, work / "articles", ROOT / "articles")
        kinds = (("without figures", WITHOUT_FIGURES), ("extraction only", EXTRACTION_ONLY),
                 ("with figures", WITH_FIGURES))
        times: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in kinds}
        for _ in range(args.rounds):
            for name, script in kinds:
                wall, cpu = timed_build(script, work / "articles", work)
                times[name].append((wall, cpu))
                print(f"{name}: {wall:.1f} s ({cpu:.1f} s of CPU)", flush=True)
        # the fastest of each: on a shared machine the others measure the neighbours as well
        wall = {k: min(w for w, _ in v) for k, v in times.items()}
        cpu = {k: min(c for _, c in v) for k, v in times.items()}
        base_wall, base_cpu = wall["without figures"], cpu["without figures"]
        print(f"\n{args.articles} articles, full build from nothing, fastest of {args.rounds}:")
        for name, _ in kinds:
            print(f"  {name}: {wall[name]:.1f} s ({100 * (wall[name] - base_wall) / base_wall:+.1f}%), "
                  f"CPU {cpu[name]:.1f} s ({100 * (cpu[name] - base_cpu) / base_cpu:+.1f}%)")
        print("extraction only: the figures analyser run and cached, shown nowhere; with figures: also the "
              "数据 pages, the downloads and every article's table of its figures (target: extraction <= 10%)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
