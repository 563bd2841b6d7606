#!/usr/bin/env python3
"""A larger archive projected from two measured ones.

Reads two records written by `build_bench.py --record` (say 100 000 and
200 000 articles), fits a straight line through each measurement (time,
peak memory, site size, files) and prints what it gives at the target size.
A line through two points says nothing about curvature: the README states
the projection as such. The growth per 1 000 articles is the line's slope.

usage: python benchmarks/projection.py RECORD_A.json RECORD_B.json [--at 1000000]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def line_through(x1: float, y1: float, x2: float, y2: float):
    slope = (y2 - y1) / (x2 - x1)
    return lambda x: y1 + slope * (x - x1)


def project(a: dict, b: dict, at: int) -> list[tuple[str, float, float, float, str]]:
    """(measure, at a, at b, projected, unit) for every measure both records hold."""
    rows = []

    def add(name: str, ya: float, yb: float, unit: str) -> None:
        rows.append((name, ya, yb, line_through(a["articles"], ya, b["articles"], yb)(at), unit))

    for build in a["builds"]:
        if build in b["builds"]:
            add(f"{build}: time", a["builds"][build]["seconds"], b["builds"][build]["seconds"], "s")
    add("full build: peak memory (PSS)", a["builds"]["full build, from nothing"]["tree_pss"] / 2**30,
        b["builds"]["full build, from nothing"]["tree_pss"] / 2**30, "GiB")
    add("site size", a["site_bytes"] / 1e9, b["site_bytes"] / 1e9, "GB")
    add("site files", a["site_files"], b["site_files"], "files")
    add("Whoosh index", a["index_bytes"] / 1e9, b["index_bytes"] / 1e9, "GB")
    if a.get("artifact") and b.get("artifact"):
        add("Pages upload, compressed", a["artifact"][1] / 1e9, b["artifact"][1] / 1e9, "GB")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("records", type=Path, nargs=2)
    ap.add_argument("--at", type=int, default=1_000_000, help="the archive size to project (default 1000000)")
    args = ap.parse_args()
    a, b = sorted((json.loads(p.read_text(encoding="utf-8")) for p in args.records), key=lambda r: r["articles"])
    print(f"| measure | {a['articles']:,} | {b['articles']:,} | per 1 000 more | {args.at:,} (projected) |")
    print("|---|---|---|---|---|")
    for name, ya, yb, yp, unit in project(a, b, args.at):
        fmt = "{:,.0f}" if unit == "files" else "{:.2f}"
        growth = (yb - ya) / (b["articles"] - a["articles"]) * 1000
        step = "{:,.0f}" if unit == "files" else "{:.3f}"
        print(f"| {name} | {fmt.format(ya)} {unit} | {fmt.format(yb)} {unit} | {step.format(growth)} {unit} "
              f"| {fmt.format(yp)} {unit} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
