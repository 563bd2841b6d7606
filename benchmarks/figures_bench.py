#!/usr/bin/env python3
"""Figure extraction speed: `figures_of` over the bundled articles and over
a synthetic archive made from them (`quzhou_archive.synthetic`), in
characters of article text per CPU second. A build runs it on every
article, so it must stay a small part of a build (target: 5 MB of text per
CPU second or more).

Times are the best of --repeat runs of CPU time (time.process_time), with
the gazetteer and indicator tables already loaded, as a build loads them
once per process.

usage: python benchmarks/figures_bench.py [--synthetic 2000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quzhou_archive import articles as store  # noqa: E402
from quzhou_archive.analyse.figures import figures_of  # noqa: E402
from quzhou_archive.articles import text_paragraphs  # noqa: E402
from quzhou_archive.synthetic import generate  # noqa: E402


def load(folder: Path) -> list:
    return [store.read_article(folder, p) for p in store.article_paths(folder)]


def best_cpu_time(articles: list, repeat: int) -> tuple[int, float]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        count = sum(len(figures_of(a)) for a in articles)
        best = min(best, time.process_time() - start)
    return count, best


def report(name: str, articles: list, repeat: int) -> None:
    texts = ["".join(text_paragraphs(a.body)) for a in articles]
    chars, size = sum(map(len, texts)), sum(len(t.encode("utf-8")) for t in texts)
    count, seconds = best_cpu_time(articles, repeat)
    per_second = 1 / seconds if seconds else float("inf")
    print(f"{name}: {len(articles)} articles, {chars} characters ({size / 1e6:.2f} MB UTF-8), {count} figures, "
          f"{seconds:.3f} s CPU: {chars * per_second / 1e6:.2f} M characters, "
          f"{size * per_second / 1e6:.2f} MB per CPU second")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=2000, help="synthetic articles to make (default 2000)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bundled = load(ROOT / "articles")
    figures_of(bundled[0])          # tables loaded before timing
    report("bundled articles", bundled, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        generate(args.synthetic, Path(tmp), ROOT / "articles")
        report("synthetic archive", load(Path(tmp)), args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
