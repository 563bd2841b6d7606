#!/usr/bin/env python3
"""What the economic figures cost a full build: the same archive built from
nothing with and without them (the figures analyser and the figures stage
taken out), in turn, in the same run; prints each time and the share the
figures add (the target is at most 10 % at 10 000 articles).

usage: python benchmarks/figures_cost.py [--articles 10000] [--rounds 2]
"""
from __future__ import annotations

import argparse
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
WITH_FIGURES = """
import sys
from quzhou_archive.pipeline import build
sys.exit(build(sys.argv[1], sys.argv[2], sys.argv[3]))
"""


def timed_build(script: str, articles: Path, work: Path) -> float:
    out, index = work / "_site", work / "search_index"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script, str(articles), str(out), str(index)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=2, help="builds of each kind, taken in turn (default 2)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="figures-cost-"))
    try:
        generate(args.articles, work / "articles", ROOT / "articles")
        times: dict[str, list[float]] = {"without figures": [], "with figures": []}
        for _ in range(args.rounds):
            for name, script in (("without figures", WITHOUT_FIGURES), ("with figures", WITH_FIGURES)):
                seconds = timed_build(script, work / "articles", work)
                times[name].append(seconds)
                print(f"{name}: {seconds:.1f} s", flush=True)
        without, with_ = (statistics.median(times[k]) for k in ("without figures", "with figures"))
        print(f"\n{args.articles} articles, full build from nothing (median of {args.rounds}): "
              f"{without:.1f} s without figures, {with_:.1f} s with them: "
              f"{100 * (with_ - without) / without:+.1f}% (<= 10%)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
