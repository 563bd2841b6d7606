"""Progress bars for long steps: shown on a terminal, silent in logs and CI."""
from __future__ import annotations

import os
import sys
from typing import Iterable, TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], desc: str, unit: str = "item", total: int | None = None) -> Iterable[T]:
    if not sys.stderr.isatty() or os.environ.get("QZ_QUIET") == "1":
        return items
    from tqdm import tqdm   # loaded only for a terminal: a build with nothing to do starts sooner

    return tqdm(items, desc=desc, unit=unit, total=total, leave=False, file=sys.stderr)
