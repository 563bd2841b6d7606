#!/usr/bin/env python3
"""Ingest throughput: MB of raw page text per second on one core.

Parses the bundled raw pages repeatedly,
in memory, until at least --mb megabytes have gone through; then runs the
whole command (decode, parse, write) over a folder of copies. Prints the
numbers the README reports. Target: >= 1 MB/s.

usage: python benchmarks/ingest_speed.py [--mb 20]
"""
from __future__ import annotations

import argparse
import os
import re
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


def command_throughput(pages: list[Path], copies: int) -> tuple[float, float, int]:
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
        start = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            report = ingest([str(inputs)], Path(tmp) / "articles", err=quiet)
        seconds = time.perf_counter() - start
        return size / 1e6, seconds, report.written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20, help="MB to parse in memory (default 20)")
    parser.add_argument("--copies", type=int, default=40, help="copies of each page for the command run (default 40)")
    args = parser.parse_args()
    pages = sample_pages()
    mb, seconds = parse_throughput(pages, args.mb)
    print(f"parse (decode + layout + metadata), one core: {mb:.1f} MB in {seconds:.2f} s CPU = {mb / seconds:.2f} MB/s")
    mb, seconds, written = command_throughput(pages, args.copies)
    print(f"ingest command (read, parse, write {written} articles): {mb:.1f} MB in {seconds:.2f} s = {mb / seconds:.2f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
