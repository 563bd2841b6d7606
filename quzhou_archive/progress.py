"""Progress bars for long steps: shown on a terminal, silent in logs and CI."""
from __future__ import annotations

import os
import sys
from typing import Iterable, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], desc: str, unit: str = "item", total: int | None = None) -> Iterable[T]:
    quiet = not sys.stderr.isatty() or os.environ.get("QZ_QUIET") == "1"
    return tqdm(items, desc=desc, unit=unit, total=total, disable=quiet, leave=False, file=sys.stderr)
