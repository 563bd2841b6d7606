#!/usr/bin/env python3
"""Ingest throughput: MB of raw page text per second on one core.

Three measures, each printed with what it counts:

* parse: the bundled raw pages decoded and parsed in memory, over and over
  until at least --mb megabytes have gone through; CPU time of this
  process (ingest runs in one thread). The per-character folding table and
  the word caches (names, roles) are warm after the first pages, as they
  are in any batch longer than a few pages;
* the whole ingest command over a folder of distinct copies of the pages
  (read, decode, parse, write every article and page record), run in this
  process after start-up: CPU time, and wall time, which adds whatever the
  disk makes it wait;
* start-up: one page ingested by a fresh `build_site.py ingest`, imports
  and vocabularies included, which a run pays once.

The target is >= 1 MB/s for the first two.

usage: python benchmarks/ingest_speed.py [--mb 20] [--copies 40]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quzhou_archive.ingest import ingest  # noqa: E402
from quzhou_archive.ingest.decode import decode_page  # noqa: E402
from quzhou_archive.ingest.page import parse_page  # noqa: E402


def sample_pages() -> list[Path]:
    """The bundled raw pages: real pages of 10-15 KB, as the archive receives them."""
    return sorted((ROOT / "raw").glob("*.txt"))


def parse_throughput(pages: list[Path], target_mb: float) -> tuple[float, float]:
    blobs = [(p, p.read_bytes()) for p in pages]
    done = 0
    start = time.process_time()
    while done < target_mb * 1e6:
        for path, data in blobs:
            text, encoding = decode_page(path, data)
            parse_page(path, text, encoding)
            done += len(data)
    seconds = time.process_time() - start
    return done / 1e6, seconds


def distinct_copy(text: str, i: int) -> str:
    """Copy i of a page: another masthead date and an extra line, so that every
    copy is a different page with its own article IDs."""
    day = f"{2000 + i // 336}年{1 + i // 28 % 12}月{1 + i % 28}日"
    return re.sub(r"\d{4}年\d{1,2}月\d{1,2}日", day, text, count=1) + f"\n第{i}份\n"


def command_throughput(pages: list[Path], copies: int) -> tuple[float, float, float, int, int]:
    """(MB, CPU seconds, wall seconds, articles written, pages) of one ingest run."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "raw"
        inputs.mkdir()
        size = 0
        for page in pages:
            text = decode_page(page, page.read_bytes())[0]
            for i in range(copies):
                target = inputs / f"{i:04d}_{page.name}"
                target.write_text(distinct_copy(text, i), encoding="utf-8")
                size += target.stat().st_size
        wall, cpu = time.perf_counter(), time.process_time()
        with open(os.devnull, "w") as quiet:
            report = ingest([str(inputs)], Path(tmp) / "articles", err=quiet)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        return size / 1e6, cpu, wall, report.written, report.pages


def start_up(page: Path) -> float:
    """Wall seconds of a fresh `build_site.py ingest` of one page."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "build_site.py"), "ingest", str(page), "--articles", str(Path(tmp) / "a")],
                       cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20, help="MB to parse in memory (default 20)")
    parser.add_argument("--copies", type=int, default=40, help="copies of each page for the command run (default 40)")
    args = parser.parse_args()
    pages = sample_pages()
    mb, seconds = parse_throughput(pages, args.mb)
    print(f"parse (decode + layout + metadata, in memory), CPU time: {mb:.1f} MB in {seconds:.2f} s = {mb / seconds:.2f} MB/s")
    mb, cpu, wall, written, count = command_throughput(pages, args.copies)
    print(f"ingest command (read, parse, write {written} articles and {count} page records), after start-up: "
          f"{mb:.1f} MB in {cpu:.2f} s CPU = {mb / cpu:.2f} MB/s; wall time {wall:.2f} s = {mb / wall:.2f} MB/s")
    print(f"start-up: one page by a fresh `build_site.py ingest` (imports and vocabularies included): {start_up(pages[0]):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
