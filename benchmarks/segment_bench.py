#!/usr/bin/env python3
"""Segmentation speed: words() over the bundled archive and synthetic
articles, cut by rjieba and by Python jieba (the same words, checked here too).

Texts are the article files as written (front matter and body). Times are
the best of --repeat runs, dictionaries already loaded; loading each is
timed once, as a build pays it once per process.

usage: python benchmarks/segment_bench.py [--synthetic 500] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quzhou_archive.analyse.segment import count_words, python_jieba_cut, rjieba_cut  # noqa: E402
from quzhou_archive.synthetic import generate  # noqa: E402


def archive_texts(synthetic: int, folder: Path) -> list[str]:
    paths = sorted((ROOT / "articles").glob("**/*.md")) + generate(synthetic, folder, ROOT / "articles")
    return [p.read_text(encoding="utf-8") for p in paths]


def timed(make):
    start = time.perf_counter()
    value = make()
    return value, time.perf_counter() - start


def best_time(cut, texts: list[str], repeat: int) -> tuple[list, float]:
    times, results = [], None
    for _ in range(repeat):
        results, seconds = timed(lambda: [count_words(cut, t) for t in texts])
        times.append(seconds)
    return results, min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        texts = archive_texts(args.synthetic, Path(folder))
    chars = sum(map(len, texts))
    print(f"{len(texts)} texts, {chars / 1e6:.2f} M characters")
    compiled, compiled_load = timed(rjieba_cut)
    python, python_load = timed(python_jieba_cut)
    compiled_words, compiled_s = best_time(compiled, texts, args.repeat)
    python_words, python_s = best_time(python, texts, args.repeat)
    print(f"load:    rjieba {compiled_load:.2f} s, Python jieba {python_load:.2f} s")
    print(f"words(): rjieba {compiled_s:.3f} s, Python jieba {python_s:.3f} s, "
          f"ratio {python_s / compiled_s:.1f}x")
    print("same words:", compiled_words == python_words)
    return 0 if compiled_words == python_words else 1


if __name__ == "__main__":
    sys.exit(main())
