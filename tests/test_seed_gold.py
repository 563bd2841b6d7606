"""The editor's gold for the seed pages (../shared, present beside a checkout)."""
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED

CHECK = SHARED / "tools" / "check_ingest.py"


@pytest.mark.skipif(not CHECK.exists(), reason="../shared (the editor's gold) is not beside this checkout")
def test_seed_pages_match_the_editors_gold():
    result = subprocess.run([sys.executable, str(CHECK), str(SHARED / "gold" / "seeds.yaml"), str(SHARED / "seeds"),
                             "--python", sys.executable], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
