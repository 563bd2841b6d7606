"""Shared helpers: raw samples by case name, running the command line."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW_SAMPLES = ROOT / "tests" / "data" / "raw"
BUNDLED_RAW = ROOT / "raw"
SHARED = ROOT.parent / "shared"


def raw_sample(case: str) -> Path:
    path = RAW_SAMPLES / f"{case}.txt"
    assert path.exists(), f"no raw sample named {case}"
    return path


@pytest.fixture
def parse():
    """parse('case_name') -> ParsedPage of tests/data/raw/case_name.txt"""
    from quzhou_archive.ingest import read_page

    return lambda case: read_page(raw_sample(case))


def run_cli(*args: str, cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build_site.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def article_by_title(page, fragment: str):
    hits = [a for a in page.articles if fragment in "".join(p for p in (a.kicker, a.title, a.subtitle) if p)]
    assert len(hits) == 1, f"{len(hits)} articles titled like {fragment!r}: {[a.title for a in page.articles]}"
    return hits[0]
