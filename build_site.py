#!/usr/bin/env python3
"""衢州区域经济新闻档案 — build the archive. See README.md, or run with --help."""
from quzhou_archive.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
