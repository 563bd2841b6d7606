"""The extractor against the economist-editor's gold figures of the seed
pages (shared/gold/figures.yaml), through the command line, as outside
checks run it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# beside the project, as CI lays it; FIGURES_SHARED points elsewhere (a worktree)
SHARED = Path(os.environ.get("FIGURES_SHARED") or ROOT.parent / "shared")


@pytest.mark.skipif(not (SHARED / "tools" / "check_figures.py").exists(), reason="no shared gold here")
def test_seed_figures_reach_the_gold():
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "check_figures.py"), str(SHARED / "gold" / "figures.yaml"),
         str(SHARED / "seeds"), "--project", str(ROOT), "--python", sys.executable],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    lines = result.stdout.strip().splitlines()
    print(lines[-1] if lines else result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
